package policytest

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov/profile"
	"github.com/gridgov/gridgov/rewards"
)

// decoder decodes a yaml.Node into Go values strictly: unknown and duplicate keys,
// wrong kinds and unparsable notations are errors at the value's line and column, all
// collected, none fatal to the rest of the file. It follows the profile loader's rules
// (profile.Error positions, money in yuan) on a much smaller set of types.
type decoder struct {
	file string
	src  []byte
	errs profile.ErrorList
	// decoded is set when decoding found nothing wrong: checks that would only echo
	// a decoding error (a step without a time because its time was unreadable) wait
	// for it.
	decoded bool
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, &profile.Error{File: d.file, Line: n.Line, Col: n.Column, Path: path, Msg: fmt.Sprintf(format, args...), Excerpt: excerpt(d.src, n.Line, n.Column)})
}

var (
	timeType  = reflect.TypeOf(time.Time{})
	moneyType = reflect.TypeOf(rewards.Fen(0))
	thenType  = reflect.TypeOf(Then{})
	nodeType  = reflect.TypeOf(yaml.Node{})
)

func (d *decoder) decode(n *yaml.Node, out reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		d.fail(n, path, "aliases are not accepted in a scenario file: write the value out")
		return
	}
	switch out.Type() {
	case timeType:
		if d.scalar(n, path) {
			t, err := parseTime(n.Value)
			if err != nil {
				d.fail(n, path, "%v", err)
				return
			}
			out.Set(reflect.ValueOf(t))
		}
		return
	case moneyType:
		if d.scalar(n, path) {
			f, err := parseMoney(n.Value)
			if err != nil {
				d.fail(n, path, "%v", err)
				return
			}
			out.SetInt(int64(f))
		}
		return
	case thenType:
		d.then(n, out.Addr().Interface().(*Then), path)
		return
	case nodeType:
		out.Set(reflect.ValueOf(*n))
		return
	}
	switch out.Kind() {
	case reflect.Pointer:
		v := reflect.New(out.Type().Elem())
		d.decode(n, v.Elem(), path)
		out.Set(v)
	case reflect.Struct:
		d.structure(n, out, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "want a list, got %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(out.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		out.Set(s)
	case reflect.String:
		if d.scalar(n, path) {
			if n.Tag != "!!str" {
				d.fail(n, path, "want a string, got %s %q (quote it)", strings.TrimPrefix(n.Tag, "!!"), n.Value)
				return
			}
			out.SetString(n.Value)
		}
	case reflect.Int, reflect.Int64:
		if d.scalar(n, path) {
			i, err := strconv.ParseInt(n.Value, 10, 64)
			if n.Tag != "!!int" || err != nil {
				d.fail(n, path, "want a whole number, got %q", n.Value)
				return
			}
			out.SetInt(i)
		}
	case reflect.Bool:
		if d.scalar(n, path) {
			if n.Tag != "!!bool" || (n.Value != "true" && n.Value != "false") {
				d.fail(n, path, "want true or false, got %q", n.Value)
				return
			}
			out.SetBool(n.Value == "true")
		}
	case reflect.Float64:
		if d.scalar(n, path) {
			f, err := strconv.ParseFloat(n.Value, 64)
			if (n.Tag != "!!int" && n.Tag != "!!float") || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				d.fail(n, path, "want a finite number, got %q", n.Value)
				return
			}
			out.SetFloat(f)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.fail(n, path, "want a mapping, got %s", kindName(n))
			return
		}
		m := reflect.MakeMap(out.Type())
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			if seen[k.Value] {
				d.fail(k, p, "duplicate key %q", k.Value)
				continue
			}
			seen[k.Value] = true
			ev := reflect.New(out.Type().Elem()).Elem()
			d.decode(v, ev, p)
			m.SetMapIndex(reflect.ValueOf(k.Value), ev)
		}
		out.Set(m)
	default:
		d.fail(n, path, "cannot decode into %s", out.Type()) // a bug of this package, reported rather than hidden
	}
}

func (d *decoder) scalar(n *yaml.Node, path string) bool {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "want a single value, got %s", kindName(n))
		return false
	}
	return true
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

// structure decodes a mapping into a struct by the fields' yaml tags; a key no field
// names is an error, so a misspelt expectation never passes silently.
func (d *decoder) structure(n *yaml.Node, out reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping, got %s", kindName(n))
		return
	}
	if pf := out.FieldByName("Pos"); pf.IsValid() && pf.Type() == reflect.TypeOf(Pos{}) {
		pf.Set(reflect.ValueOf(Pos{Line: n.Line, Col: n.Column}))
	}
	t := out.Type()
	fields := map[string]int{}
	var names []string
	for i := range t.NumField() {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = i
		names = append(names, tag)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		if seen[k.Value] {
			d.fail(k, p, "duplicate key %q", k.Value)
			continue
		}
		seen[k.Value] = true
		fi, ok := fields[k.Value]
		if !ok {
			d.fail(k, p, "unknown key %q%s", k.Value, suggest(k.Value, names))
			continue
		}
		d.decode(v, out.Field(fi), p)
	}
}

// then decodes the expectations of a step, keeping each one's position.
func (d *decoder) then(n *yaml.Node, out *Then, path string) {
	out.Pos = Pos{Line: n.Line, Col: n.Column}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping of expectations (%s), got %s", strings.Join(expectKinds, ", "), kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		if seen[k.Value] {
			d.fail(k, p, "duplicate key %q", k.Value)
			continue
		}
		seen[k.Value] = true
		if !isExpectKind(k.Value) {
			d.fail(k, p, "unknown expectation %q%s (want one of %s)", k.Value, suggest(k.Value, expectKinds), strings.Join(expectKinds, ", "))
			continue
		}
		if !d.scalar(v, p) {
			continue
		}
		e := Expect{Kind: k.Value, Want: v.Value, Pos: Pos{Line: v.Line, Col: v.Column}}
		switch e.Kind {
		case "deadline":
			t, err := parseTime(v.Value)
			if err != nil {
				d.fail(v, p, "%v", err)
				continue
			}
			e.Want = formatTime(t)
			e.time = t
		case "amount", "balance":
			f, err := parseMoney(v.Value)
			if err != nil {
				d.fail(v, p, "%v", err)
				continue
			}
			e.Want = f.String()
		}
		out.Expects = append(out.Expects, e)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func suggest(key string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := distance(key, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// Time notations of a scenario file: RFC 3339 with or without seconds, or a date
// (midnight China Standard Time). A time without a zone is refused: a deadline test
// must not depend on the machine's zone.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"}

var cst = time.FixedZone("CST", 8*3600)

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, cst); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("time %q: want 2025-09-26T10:00+08:00 (RFC 3339, with its zone) or a date 2025-09-26", s)
}

func formatTime(t time.Time) string { return t.Format("2006-01-02T15:04:05Z07:00") }

// parseMoney reads yuan as the profile does (¥500, 500.00, ¥1,387,000.50) into fen,
// exactly, never through a float.
func parseMoney(s string) (rewards.Fen, error) {
	bad := func(why string) (rewards.Fen, error) {
		return 0, fmt.Errorf("money %q: %s (write yuan: ¥500, 500.00)", s, why)
	}
	v := strings.TrimPrefix(strings.TrimSpace(s), "¥")
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(v, "-")
	v = strings.ReplaceAll(v, ",", "")
	whole, frac, hasFrac := strings.Cut(v, ".")
	if whole == "" || !digits(whole) || (hasFrac && (frac == "" || !digits(frac))) {
		return bad("not a number")
	}
	if len(frac) > 2 {
		return bad("more than two decimal places (a fen is the smallest unit)")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || y > 1e15 {
		return bad("too large")
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	fen := y*100 + f
	if neg {
		fen = -fen
	}
	return rewards.Fen(fen), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// excerpt returns line n of src with a caret under column col, as profile errors do.
func excerpt(src []byte, line, col int) string {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	text := strings.TrimRight(lines[line-1], "\r")
	pad := strings.Repeat(" ", max(col-1, 0))
	return fmt.Sprintf("  %4d | %s\n       | %s^", line, text, pad)
}

func reflectValue(f *File) reflect.Value { return reflect.ValueOf(f).Elem() }
