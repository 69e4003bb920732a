package profile

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// hook decodes a value into a type whose notation the profile defines itself (money in
// yuan, rates, durations, time limits). It returns the canonical text of the value, for
// diffs, or an error message. ok false means the hook declines the value (a mapping
// where the hook reads scalars) and the ordinary decoding applies.
type hook func(v *value, out reflect.Value) (canonical string, ok bool, err error)

// decoder fills Go values from a tree of values, strictly: every problem is recorded
// with its position and decoding goes on, so one pass reports them all.
type decoder struct {
	srcs  map[string][]byte
	hooks map[reflect.Type]hook
	// paths are hooks for plain integers whose notation depends on where they are (a
	// rating credit, a ladder point): the first whose pattern matches the path decodes.
	paths  []pathHook
	errs   ErrorList
	index  map[string]*value // path → the value at that path
	leaves []leaf            // every scalar (and empty list or map), in file order
	labels map[string]string // list item path → its identity ("hierarchy.levels[1]" → "street")
}

// pathHook is a hook for the integers at the paths pattern matches.
type pathHook struct {
	pattern *regexp.Regexp
	hook    hook
}

// leaf is one rule value of the profile, for diffs.
type leaf struct {
	path  string
	text  string // canonical text
	value *value
}

func newDecoder(srcs map[string][]byte) *decoder {
	return &decoder{srcs: srcs, hooks: map[reflect.Type]hook{}, index: map[string]*value{}, labels: map[string]string{}}
}

func (d *decoder) fail(v *value, path, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		if len(d.errs) == maxErrors {
			d.errs = append(d.errs, &Error{File: v.file, Line: v.line, Col: v.col, Path: path,
				Msg: fmt.Sprintf("more than %d problems: stopped reporting", maxErrors)})
		}
		return
	}
	d.errs = append(d.errs, &Error{File: v.file, Line: v.line, Col: v.col, Path: path,
		Msg: fmt.Sprintf(format, args...), Excerpt: excerpt(d.srcs[v.file], v.line, v.col)})
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	yamlUnmarshaler = reflect.TypeFor[yaml.Unmarshaler]()
)

func (d *decoder) decode(v *value, out reflect.Value, path string) {
	d.index[path] = v
	if v.kind == nullKind {
		d.fail(v, path, "null is not a value here: leave the key out or give a value")
		return
	}
	t := out.Type()
	if k := t.Kind(); k == reflect.Int || k == reflect.Int64 {
		for _, ph := range d.paths {
			if !ph.pattern.MatchString(path) {
				continue
			}
			text, _, err := ph.hook(v, out)
			if err != nil {
				d.fail(v, path, "%v", err)
				return
			}
			d.leaves = append(d.leaves, leaf{path, text, v})
			return
		}
	}
	if h, ok := d.hooks[t]; ok {
		text, ok, err := h(v, out)
		if err != nil {
			d.fail(v, path, "%v", err)
			return
		}
		if ok {
			d.leaves = append(d.leaves, leaf{path, text, v})
			return
		}
	}
	if out.CanAddr() && out.Addr().Type().Implements(yamlUnmarshaler) && v.node != nil {
		if err := out.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(v.node); err != nil {
			d.fail(v, path, "%s", cleanMsg(err))
			return
		}
		d.leaves = append(d.leaves, leaf{path, v.str, v})
		return
	}
	if t.Kind() != reflect.String && out.CanAddr() && out.Addr().Type().Implements(textUnmarshaler) {
		if !d.want(v, scalarKind, path) {
			return
		}
		if err := out.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(v.str)); err != nil {
			d.fail(v, path, "%s", cleanMsg(err))
			return
		}
		d.leaves = append(d.leaves, leaf{path, v.str, v})
		return
	}
	switch t.Kind() {
	case reflect.String:
		if d.want(v, scalarKind, path) {
			out.SetString(v.str)
			d.leaves = append(d.leaves, leaf{path, strconv.Quote(v.str), v})
		}
	case reflect.Bool:
		if !d.want(v, scalarKind, path) {
			return
		}
		if v.quoted || v.tag != "!!bool" {
			d.fail(v, path, "want true or false, got %q", v.str)
			return
		}
		out.SetBool(v.str == "true" || v.str == "True" || v.str == "TRUE")
		d.leaves = append(d.leaves, leaf{path, strconv.FormatBool(out.Bool()), v})
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !d.want(v, scalarKind, path) {
			return
		}
		n, err := strconv.ParseInt(v.str, 10, t.Bits())
		switch {
		case v.quoted || v.tag != "!!int" && err != nil:
			d.fail(v, path, "want a whole number, got %q", v.str)
		case err != nil:
			d.fail(v, path, "%s is out of range", v.str)
		default:
			out.SetInt(n)
			d.leaves = append(d.leaves, leaf{path, strconv.FormatInt(n, 10), v})
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if !d.want(v, scalarKind, path) {
			return
		}
		n, err := strconv.ParseUint(v.str, 10, t.Bits())
		if err != nil || v.quoted {
			d.fail(v, path, "want a whole number >= 0, got %q", v.str)
			return
		}
		out.SetUint(n)
		d.leaves = append(d.leaves, leaf{path, strconv.FormatUint(n, 10), v})
	case reflect.Float32, reflect.Float64:
		if !d.want(v, scalarKind, path) {
			return
		}
		f, err := strconv.ParseFloat(v.str, t.Bits())
		if err != nil || v.quoted || math.IsNaN(f) || math.IsInf(f, 0) || (v.tag != "!!int" && v.tag != "!!float") {
			d.fail(v, path, "want a number, got %q", v.str)
			return
		}
		out.SetFloat(f)
		d.leaves = append(d.leaves, leaf{path, strconv.FormatFloat(f, 'g', -1, 64), v})
	case reflect.Slice:
		if !d.want(v, listKind, path) {
			return
		}
		s := reflect.MakeSlice(t, len(v.items), len(v.items))
		for i, item := range v.items {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		d.label(v, path)
		out.Set(s)
		if len(v.items) == 0 {
			d.leaves = append(d.leaves, leaf{path, "[]", v})
		}
	case reflect.Map:
		if !d.want(v, mapKind, path) {
			return
		}
		m := reflect.MakeMapWithSize(t, len(v.keys))
		keys := map[any]string{} // converted key → as written, so "2015" and "02015" cannot both be set
		for _, e := range v.keys {
			k := reflect.New(t.Key()).Elem()
			switch t.Key().Kind() {
			case reflect.String:
				k.SetString(e.key)
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				n, err := strconv.ParseInt(e.key, 10, t.Key().Bits())
				if err != nil {
					d.fail(e.pos, path, "key %q: want a whole number", e.key)
					continue
				}
				k.SetInt(n)
			default:
				d.fail(e.pos, path, "unsupported key type %s", t.Key())
				continue
			}
			if first, dup := keys[k.Interface()]; dup {
				d.fail(e.pos, path, "key %q repeats key %q", e.key, first)
				continue
			}
			keys[k.Interface()] = e.key
			elem := reflect.New(t.Elem()).Elem()
			p := path + "." + e.key
			d.index[path+"["+e.key+"]"] = e.val
			d.decode(e.val, elem, p)
			m.SetMapIndex(k, elem)
		}
		out.Set(m)
		if len(v.keys) == 0 {
			d.leaves = append(d.leaves, leaf{path, "{}", v})
		}
	case reflect.Struct:
		if !d.want(v, mapKind, path) {
			return
		}
		fields := structFields(t)
		for _, e := range v.keys {
			f, ok := fields[e.key]
			if !ok {
				d.fail(e.pos, join(path, e.key), "unknown key %q%s", e.key, suggest(e.key, fields))
				continue
			}
			d.decode(e.val, out.FieldByIndex(f.index), join(path, e.key))
		}
		// Fail closed: a key the package does not mark optional (omitempty) must be
		// written, so that a forgotten guard is never a silent false.
		var missing []string
		for name, f := range fields {
			if f.required && v.get(name) == nil {
				missing = append(missing, name)
			}
		}
		slices.Sort(missing)
		for _, name := range missing {
			d.fail(v, join(path, name), "required key %q is missing (write it, even as false, 0 or [])", name)
		}
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		d.decode(v, p.Elem(), path)
		out.Set(p)
	default:
		d.fail(v, path, "unsupported type %s", t)
	}
}

// identityKeys are the fields that name a list item, so that a diff can match items by
// name rather than by place: a level inserted in the middle changes one rule, not all
// that follow it.
var identityKeys = []string{"id", "level", "key", "kind", "post", "period", "category"}

// label records the identity of each item of the list v, when one field names every
// item uniquely.
func (d *decoder) label(v *value, path string) {
	for _, k := range identityKeys {
		names := make([]string, len(v.items))
		seen := map[string]bool{}
		ok := len(v.items) > 0
		for i, item := range v.items {
			n := (*value)(nil)
			if item.kind == mapKind {
				n = item.get(k)
			}
			if n == nil || n.kind != scalarKind || seen[n.str] || strings.ContainsAny(n.str, "[]") {
				ok = false
				break
			}
			seen[n.str], names[i] = true, n.str
		}
		if ok {
			for i, n := range names {
				d.labels[fmt.Sprintf("%s[%d]", path, i)] = n
			}
			return
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (d *decoder) want(v *value, k kind, path string) bool {
	if v.kind != k {
		what := v.kind.String()
		if v.kind == scalarKind {
			what = fmt.Sprintf("%q", v.str)
		}
		d.fail(v, path, "want %s, got %s", k, what)
		return false
	}
	return true
}

// field is a field of a struct as the profile sees it.
type field struct {
	index    []int
	required bool // the yaml tag has no omitempty: the key must be written
}

// structFields maps the YAML names of t's fields (following the yaml tags, with inline
// structs flattened) to their index paths.
func structFields(t reflect.Type) map[string]field {
	fields := map[string]field{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		flags := strings.Split(opts, ",")
		if slices.Contains(flags, "inline") && f.Type.Kind() == reflect.Struct {
			for k, sub := range structFields(f.Type) {
				fields[k] = field{index: append([]int{i}, sub.index...), required: sub.required}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = field{index: []int{i}, required: !slices.Contains(flags, "omitempty") && !slices.Contains(flags, "omitzero")}
	}
	return fields
}

// suggest names the nearest known key, so a misspelling is easy to fix.
func suggest(key string, fields map[string]field) string {
	best, bestD := "", 3
	for k := range fields {
		if d := distance(key, k); d < bestD || d == bestD && best != "" && k < best {
			best, bestD = k, d
		}
	}
	if best == "" {
		known := make([]string, 0, len(fields))
		for k := range fields {
			known = append(known, k)
		}
		slices.Sort(known)
		return " (known: " + strings.Join(known, ", ") + ")"
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// pathRE recognises the path a package's Validate puts before its message.
var pathRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\[[^\]]*\]|\.[A-Za-z0-9_-]+)*$`)

// locate returns the value at path, or at the nearest enclosing path that exists, so
// that a problem of a missing field points at the mapping that lacks it.
func (d *decoder) locate(path string) (*value, string) {
	for p := path; p != ""; {
		if v, ok := d.index[p]; ok {
			return v, p
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return nil, ""
}

// cleanMsg drops the package prefix and the kind suffix from a decoding error
// ("rewards: rate \"x\": …: gridgov: invalid" → "rate \"x\": …").
func cleanMsg(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i > 0 && !strings.ContainsAny(msg[:i], " \"") {
		msg = msg[i+2:]
	}
	return strings.TrimSuffix(msg, ": gridgov: invalid")
}
