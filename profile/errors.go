package profile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gridgov/gridgov"
)

// Error is one problem of a profile, located in the file that set the offending value.
// Line and Col are 1-based; Path is the dotted path of the value in the merged profile
// ("rewards.schedule.rows[3].amount"), empty for a problem of the file as a whole.
//
// Error is a plain value, safe for concurrent use.
type Error struct {
	File    string `json:"file"` // the file that set the value, as given to Load ("district.yaml")
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Path    string `json:"path,omitempty"`
	Msg     string `json:"msg"`
	Rule    string `json:"rule,omitempty"`    // the package's rule, when the package's Validate named one
	Excerpt string `json:"excerpt,omitempty"` // the source line and a caret under the column, "" when unknown
}

// Error formats the problem as "file:line:col path: msg".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d", e.File, e.Line, e.Col)
	if e.Path != "" {
		b.WriteString(" ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap makes every profile problem an [gridgov.ErrInvalid].
func (e *Error) Unwrap() error { return gridgov.ErrInvalid }

// ErrorList is every problem of a profile, in file, line and column order. Load
// returns one (never an empty one) when anything is wrong, so a district sees all its
// mistakes at once.
type ErrorList []*Error

// Error lists the problems, one a line, each followed by its excerpt.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
		if e.Excerpt != "" {
			b.WriteByte('\n')
			b.WriteString(e.Excerpt)
		}
	}
	return b.String()
}

// Unwrap exposes each problem to [errors.Is] and [errors.As].
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Path < b.Path
	})
}

// excerpt returns line n of src with a caret under column col, indented, or "".
func excerpt(src []byte, line, col int) string {
	if line < 1 || src == nil {
		return ""
	}
	lines := strings.Split(string(src), "\n")
	if line > len(lines) {
		return ""
	}
	// The column counts characters (runes), as the YAML parser does; the caret
	// allows two cells for a wide CJK character so that it stands under the value.
	runes := []rune(strings.TrimRight(lines[line-1], "\r"))
	if len(runes) > 200 {
		runes = runes[:200]
	}
	text := string(runes)
	var b strings.Builder
	fmt.Fprintf(&b, "  %4d | %s\n", line, text)
	b.WriteString("       | ")
	for i := 0; i < col-1 && i < len(runes); i++ {
		if runes[i] == '\t' {
			b.WriteByte('\t')
		} else if runes[i] > 0x2e80 {
			b.WriteString("  ") // wide CJK characters take two columns
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	return b.String()
}
