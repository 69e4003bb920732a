package profile

import (
	"fmt"
	"strings"
)

// Change is one rule that differs between two profiles: the value at Path in the old
// profile and in the new one, each with the file and line that set it. Old is empty
// for a rule only the new profile has, New for one it dropped. Values are in their
// canonical notation (money "¥500.00", limits "3wd", rates "50%", strings quoted), so a
// change of notation alone is no change.
//
// Change is a plain value, safe for concurrent use.
type Change struct {
	Path    string `json:"path"`
	Old     string `json:"old,omitempty"`
	OldFile string `json:"old_file,omitempty"`
	OldLine int    `json:"old_line,omitempty"`
	New     string `json:"new,omitempty"`
	NewFile string `json:"new_file,omitempty"`
	NewLine int    `json:"new_line,omitempty"`
}

// String formats the change as "path: old (file:line) → new (file:line)".
func (c Change) String() string {
	side := func(v, file string, line int) string {
		if v == "" {
			return "(none)"
		}
		return fmt.Sprintf("%s (%s:%d)", v, file, line)
	}
	return fmt.Sprintf("%s: %s → %s", c.Path, side(c.Old, c.OldFile, c.OldLine), side(c.New, c.NewFile, c.NewLine))
}

// Diff lists the rules that differ between a and b, rule by rule: every value of a
// that b changes or lacks, in a's order, then every value only b has, in b's order. A
// list is compared item by item, items matched by the field that names them (id,
// level, key, kind, post, period or category, when it names every item once) and
// otherwise by place; an empty result means the profiles hold the same rules.
func Diff(a, b *Profile) []Change {
	in := func(p *Profile) ([]leaf, map[string]leaf) {
		ls := make([]leaf, len(p.leaves))
		m := make(map[string]leaf, len(p.leaves))
		for i, l := range p.leaves {
			l.path = p.relabel(l.path)
			ls[i], m[l.path] = l, l
		}
		return ls, m
	}
	al, am := in(a)
	bl, bm := in(b)
	aItems, bItems := items(al), items(bl)
	var out []Change
	done := map[string]bool{}
	for _, l := range al {
		if skipDiff(l.path) {
			continue
		}
		n, ok := bm[l.path]
		switch {
		case !ok:
			if item := missingItem(l.path, bItems); item != "" {
				if !done[item] {
					done[item] = true
					out = append(out, Change{Path: item, Old: summary(al, item), OldFile: l.value.file, OldLine: l.value.line})
				}
				continue
			}
			out = append(out, Change{Path: l.path, Old: l.text, OldFile: l.value.file, OldLine: l.value.line})
		case n.text != l.text:
			out = append(out, Change{Path: l.path, Old: l.text, OldFile: l.value.file, OldLine: l.value.line,
				New: n.text, NewFile: n.value.file, NewLine: n.value.line})
		}
	}
	for _, l := range bl {
		if _, ok := am[l.path]; ok || skipDiff(l.path) {
			continue
		}
		if item := missingItem(l.path, aItems); item != "" {
			if !done["+"+item] {
				done["+"+item] = true
				out = append(out, Change{Path: item, New: summary(bl, item), NewFile: l.value.file, NewLine: l.value.line})
			}
			continue
		}
		out = append(out, Change{Path: l.path, New: l.text, NewFile: l.value.file, NewLine: l.value.line})
	}
	return out
}

// items returns every list item path ("a.b[x]") that holds a leaf of ls.
func items(ls []leaf) map[string]bool {
	m := map[string]bool{}
	for _, l := range ls {
		for i := 0; i < len(l.path); i++ {
			if l.path[i] == ']' {
				m[l.path[:i+1]] = true
			}
		}
	}
	return m
}

// missingItem returns the outermost list item of path that the other profile lacks,
// or "": a whole item added or removed is one change, not one per field.
func missingItem(path string, other map[string]bool) string {
	for i := 0; i < len(path); i++ {
		if path[i] == ']' && !other[path[:i+1]] {
			return path[:i+1]
		}
	}
	return ""
}

// summary writes a list item as a short flow mapping of its leaves.
func summary(ls []leaf, item string) string {
	var parts []string
	for _, l := range ls {
		if rest, ok := strings.CutPrefix(l.path, item); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			if rest == "" {
				return l.text
			}
			parts = append(parts, strings.TrimPrefix(rest, ".")+": "+l.text)
		}
	}
	s := "{" + strings.Join(parts, ", ") + "}"
	if r := []rune(s); len(r) > 100 {
		s = string(r[:97]) + "…}"
	}
	return s
}

// relabel writes each list index of path that has an identity as that identity:
// "hierarchy.levels[1].offices[0].name" → "hierarchy.levels[street].offices[command].name".
func (p *Profile) relabel(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		if path[i] != '[' {
			b.WriteByte(path[i])
			continue
		}
		j := strings.IndexByte(path[i:], ']')
		if j < 0 {
			b.WriteString(path[i:])
			break
		}
		if name, ok := p.labels[path[:i+j+1]]; ok {
			b.WriteString("[" + name + "]")
		} else {
			b.WriteString(path[i : i+j+1])
		}
		i += j
	}
	return b.String()
}

// skipDiff leaves out what names a profile rather than a rule.
func skipDiff(path string) bool { return path == "name" || path == "description" }

// FormatDiff writes changes one a line, for a policy review.
func FormatDiff(changes []Change) string {
	var b strings.Builder
	for _, c := range changes {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}
