package hierarchy

import (
	"fmt"

	"github.com/gridgov/gridgov"
)

// The rules a [Builder], a [ChangeSet] or the CSV loader names when it refuses input.
// Every refusal is a [*gridgov.Error] with Kind [gridgov.ErrInvalid] (or
// [gridgov.ErrPrecondition] for a history out of order) and one of these as its Rule, so a
// caller can tell the problems of a joined error apart with [gridgov.RuleOf].
const (
	RuleMissing       = "hierarchy.missing"        // a required field (an ID, a name, a role) is empty
	RuleDuplicateID   = "hierarchy.duplicate-id"   // two units, people, posts … share an ID
	RuleDuplicateCode = "hierarchy.duplicate-code" // two units share a code
	RuleRoot          = "hierarchy.root"           // no root, or more than one
	RuleCycle         = "hierarchy.cycle"          // units that are their own ancestors
	RuleLevel         = "hierarchy.level"          // unknown level or kind, or not allowed under its parent
	RuleCode          = "hierarchy.code"           // a malformed division or credit code, or one not extending its parent's
	RuleDangling      = "hierarchy.dangling"       // a reference to a unit, person or post that does not exist
	RuleDates         = "hierarchy.dates"          // an end before its start
	RuleGrant         = "hierarchy.grant"          // a malformed grant (no right, both subject and relation …)
	RuleBackDated     = "hierarchy.back-dated"     // a change set effective before the latest version
	RuleCSV           = "hierarchy.csv"            // a malformed CSV row or header
	RuleEncoding      = "hierarchy.encoding"       // a file that is not UTF-8 text, or holds control characters
)

func invalid(op, rule, format string, args ...any) error {
	return &gridgov.Error{Op: "hierarchy." + op, Kind: gridgov.ErrInvalid, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

func invalidf(op, format string, args ...any) error {
	return &gridgov.Error{Op: "hierarchy." + op, Kind: gridgov.ErrInvalid, Msg: fmt.Sprintf(format, args...)}
}

// LineError locates a problem of a CSV file. Its Err is a [*gridgov.Error] wrapping
// [gridgov.ErrInvalid].
//
// LineError is a plain value, safe for concurrent use.
type LineError struct {
	Line int // 1-based line number in the file
	Err  error
}

// Error returns "line N: " and the underlying error.
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }
