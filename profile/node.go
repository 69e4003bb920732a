package profile

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// kind is the shape of a value of the file.
type kind int

const (
	scalarKind kind = iota
	mapKind
	listKind
	nullKind
)

func (k kind) String() string {
	return [...]string{"a scalar", "a mapping", "a list", "null"}[k]
}

// value is one value of a profile file with the position and the file that set it.
// A merged profile is a tree of values from several files: each value keeps its own.
type value struct {
	kind   kind
	str    string // the scalar's text, exactly as written
	tag    string // the scalar's resolved YAML tag (!!int, !!str …) or a merge tag (!replace, !append)
	quoted bool   // the scalar was quoted: never a number
	keys   []*entry
	items  []*value
	file   string
	line   int
	col    int
	node   *yaml.Node // the source node, for types that decode themselves
}

type entry struct {
	key string
	pos *value // the key's own position
	val *value
}

func (v *value) get(key string) *value {
	for _, e := range v.keys {
		if e.key == key {
			return e.val
		}
	}
	return nil
}

// limits on what one file may make the loader do, so that a hostile file (an alias
// bomb, a deep nesting) fails with a position instead of exhausting memory.
const (
	maxDepth  = 64
	maxValues = 200000
	maxErrors = 200 // a file with more problems is not a profile with mistakes
)

// parse reads one YAML or JSON document into values, reporting every duplicate key and
// unsupported construct with its position.
func parse(file string, src []byte) (*value, ErrorList) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, ErrorList{syntaxError(file, src, err)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, ErrorList{{File: file, Line: 1, Col: 1, Msg: "empty profile"}}
	}
	c := &converter{file: file, src: src}
	v := c.convert(doc.Content[0], 0)
	return v, c.errs
}

type converter struct {
	file  string
	src   []byte
	errs  ErrorList
	count int
}

func (c *converter) fail(n *yaml.Node, format string, args ...any) {
	if len(c.errs) >= maxErrors {
		return
	}
	c.errs = append(c.errs, &Error{File: c.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...),
		Excerpt: excerpt(c.src, n.Line, n.Column)})
}

func (c *converter) convert(n *yaml.Node, depth int) *value {
	c.count++
	v := &value{file: c.file, line: n.Line, col: n.Column, node: n}
	if depth > maxDepth {
		c.fail(n, "nested deeper than %d levels", maxDepth)
		v.kind = nullKind
		return v
	}
	if c.count > maxValues {
		if c.count == maxValues+1 {
			c.fail(n, "more than %d values (an alias expanding too far?)", maxValues)
		}
		v.kind = nullKind
		return v
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			c.fail(n, "unknown alias")
			v.kind = nullKind
			return v
		}
		// Aliases expand in place and count against maxValues.
		return c.convert(n.Alias, depth+1)
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			v.kind = nullKind
			return v
		}
		v.kind, v.str, v.tag = scalarKind, n.Value, n.Tag
		v.quoted = n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
		if n.Tag == "!!binary" {
			c.fail(n, "binary values are not allowed")
		}
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			c.fail(n, "unknown tag %s (scalars take no tag)", n.Tag)
		}
		return v
	case yaml.MappingNode:
		v.kind = mapKind
		if n.Tag == tagReplace {
			v.tag = tagReplace
		} else if n.Tag != "!!map" {
			c.fail(n, "unknown tag %s on a mapping (only %s)", n.Tag, tagReplace)
		}
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!null" {
				c.fail(k, "a key must be a plain scalar")
				continue
			}
			if k.Tag == "!!merge" {
				c.fail(k, "merge keys (<<) are not supported: use extends")
				continue
			}
			if prev, dup := seen[k.Value]; dup {
				c.fail(k, "duplicate key %q (first at line %d)", k.Value, prev.Line)
				continue
			}
			seen[k.Value] = k
			kv := &value{kind: scalarKind, str: k.Value, file: c.file, line: k.Line, col: k.Column, node: k}
			v.keys = append(v.keys, &entry{key: k.Value, pos: kv, val: c.convert(val, depth+1)})
		}
		return v
	case yaml.SequenceNode:
		v.kind = listKind
		if n.Tag == tagAppend {
			v.tag = tagAppend
		} else if n.Tag != "!!seq" {
			c.fail(n, "unknown tag %s on a list (only %s)", n.Tag, tagAppend)
		}
		for _, item := range n.Content {
			v.items = append(v.items, c.convert(item, depth+1))
		}
		return v
	default:
		c.fail(n, "unsupported YAML node")
		v.kind = nullKind
		return v
	}
}

// syntaxError turns the parser's message ("yaml: line 3: did not find expected key")
// into a positioned error. The parser gives only a line: the column is then 1.
func syntaxError(file string, src []byte, err error) *Error {
	msg := err.Error()
	line := 1
	msg = strings.TrimPrefix(msg, "yaml: ")
	var n int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &n); scanErr == nil && n > 0 {
		line = n
		_, rest, _ := strings.Cut(msg, ":")
		msg = strings.TrimSpace(rest)
	} else if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	return &Error{File: file, Line: line, Col: 1, Msg: "syntax: " + msg, Excerpt: excerpt(src, line, 1)}
}

// Merge tags of an extending profile: a mapping tagged !replace replaces the base's
// mapping instead of merging with it; a list tagged !append is added to the end of
// the base's list instead of replacing it.
const (
	tagReplace = "!replace"
	tagAppend  = "!append"
)
