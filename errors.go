package gridgov

import (
	"errors"
	"strings"
)

// The kinds of failure every gridgov package reports. Callers test for them with
// [errors.Is]; the message of the wrapping error says which call and which rule failed.
var (
	// ErrNotFound: the unit, case, document or record does not exist.
	ErrNotFound = errors.New("gridgov: not found")
	// ErrConflict: a compare-and-swap write saw a newer version than it expected.
	ErrConflict = errors.New("gridgov: version conflict")
	// ErrInvalid: the input or the policy is malformed (a bad code, a negative amount).
	ErrInvalid = errors.New("gridgov: invalid")
	// ErrForbidden: the actor has no right to do this.
	ErrForbidden = errors.New("gridgov: forbidden")
	// ErrPrecondition: the command is well formed but the current state does not allow it
	// (closing a case that was never verified, paying from an empty fund).
	ErrPrecondition = errors.New("gridgov: precondition failed")
)

// Error is the structured error returned by rule decisions. It names the operation, the
// kind of failure (one of the Err* sentinels above) and, when a policy rule refused the
// command, that rule, so a district can tell a caller exactly what stopped it.
//
// Error works with [errors.Is] for its Kind and for the wrapped Err, and with [errors.As].
type Error struct {
	Op   string // the refused operation, e.g. "escalation.Verify"
	Kind error  // ErrNotFound, ErrConflict, ErrInvalid, ErrForbidden or ErrPrecondition
	Rule string // the policy rule that refused, if any, e.g. "roles.handler-may-not-verify"
	Msg  string // a human-readable explanation
	Err  error  // an underlying error, if any
}

// Errorf-style constructors are deliberately absent: building the struct literal keeps
// every field named at the call site.

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Kind != nil {
		b.WriteString(strings.TrimPrefix(e.Kind.Error(), "gridgov: "))
	} else {
		b.WriteString("error")
	}
	if e.Rule != "" {
		b.WriteString(" by rule ")
		b.WriteString(e.Rule)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes both the kind and the underlying error to [errors.Is] and [errors.As].
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// RuleOf returns the policy rule named by the first [*Error] in err's chain, or "".
func RuleOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Rule
	}
	return ""
}
