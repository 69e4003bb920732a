package escalation

import "time"

// DeadlineBasis says what a timer's deadline rests on.
type DeadlineBasis string

// Deadline bases.
const (
	// BasisNotice: every day the deadline depends on is in a year whose State
	// Council holiday notice the calendar holds (or the limit is clock time).
	BasisNotice DeadlineBasis = "notice"
	// BasisProvisional: the deadline depends on a year without notice, counted on
	// the statutory holidays alone ([calendar.Calendar.Provisional]). The notice,
	// once published, usually moves days around them, so the deadline may move:
	// load the notice into the calendar and refresh the case ([Policy.Refresh]).
	BasisProvisional DeadlineBasis = "provisional"
	// BasisRefused: the calendar is strict ([calendar.Options.Strict]) and the
	// deadline would depend on a year without notice. Deadline is zero and the timer
	// neither warns nor escalates until the notice is loaded and the case refreshed.
	BasisRefused DeadlineBasis = "refused"
)

// Basis reports what the timer's deadline rests on, from [Timer.Provisional] and
// [Timer.Refused].
func (t Timer) Basis() DeadlineBasis {
	switch {
	case t.Refused:
		return BasisRefused
	case t.Provisional:
		return BasisProvisional
	}
	return BasisNotice
}

// markDeadline sets the timer's Provisional and Refused from its calendar: a limit in
// working time depends on every day from the timer's start to its deadline (or to
// its stop, or its start, when the deadline is not known). A clock limit depends on
// no calendar.
func markDeadline(t *Timer) {
	t.Provisional, t.Refused = false, false
	if t.cal == nil || t.Limit.Clock() {
		return
	}
	end := t.Deadline
	if end.IsZero() {
		end = t.Start
	}
	if t.Stop.After(end) {
		end = t.Stop
	}
	if !t.cal.ProvisionalBetween(t.Start, end) {
		return
	}
	if t.cal.Check(t.Start, end) != nil {
		t.Refused, t.Deadline = true, time.Time{}
		return
	}
	t.Provisional = true
}
