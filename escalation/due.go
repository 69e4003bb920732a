package escalation

import (
	"slices"
	"time"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
)

// DueKind says what a scheduler must do for a case.
type DueKind string

// Kinds of due work.
const (
	DueWarn            DueKind = "warn"             // a step is near its deadline (预警)
	DueEscalate        DueKind = "escalate"         // a late step raises the case one level (升级)
	DueEscalateWhistle DueKind = "escalate-whistle" // a whistle passed its time limit unresolved
)

// Due is one thing a scheduler must do for a case now, with the command that does it:
// apply Command to the case as the system (the zero [hierarchy.Actor]).
type Due struct {
	Case CaseID  `json:"case"`
	Kind DueKind `json:"kind"`
	// At is the instant it fell due.
	At time.Time `json:"at"`
	// Step and Cycle name the timer of a warning; Level is the level an escalation
	// reaches; Whistle the whistle to send up.
	Step    Step            `json:"step,omitempty"`
	Cycle   int             `json:"cycle,omitempty"`
	Level   hierarchy.Level `json:"level,omitempty"`
	Whistle int             `json:"whistle,omitempty"`
	Command Command         `json:"-"`
}

// DueFor lists what must happen to case c at time now under policy p: warnings for
// running steps past the warning point but not yet late (none while parked), one escalation per level the
// case must still climb (in order, lowest first: apply them in that order), and the
// open whistle if its time limit passed. A step counts from the level the case had
// when it started: at each point of EscalationRules.At the case must stand one level
// higher, so each level is reached exactly once and never twice. A parked case's
// clocks stand still. DueFor is pure: the embedding system calls it (or
// [Service.Due]) from its own scheduler.
func (p *Policy) DueFor(c Case, now time.Time, cal *calendar.Calendar) []Due {
	if !c.State.Open() {
		return nil
	}
	var tl Timeline
	p.fold(&c, cal, &tl)
	var out []Due
	p.schedule(&c, &tl, cal, func(d Due, deadline time.Time) {
		if d.At.After(now) {
			return
		}
		if d.Kind == DueWarn && !deadline.IsZero() && !now.Before(deadline) {
			return // late already: the escalation says more than the warning
		}
		out = append(out, d)
	})
	return out
}

// DueAll lists what must happen to every case of cases at time now, each case under
// the policy of its version in ps; cases whose version ps lacks are skipped.
func DueAll(cases []Case, now time.Time, ps *PolicySet, cal *calendar.Calendar) []Due {
	var out []Due
	for _, c := range cases {
		if !c.NextCheck.IsZero() && c.NextCheck.After(now) {
			continue
		}
		p, err := ps.For(c)
		if err != nil {
			continue
		}
		out = append(out, p.DueFor(c, now, cal)...)
	}
	return out
}

// nextCheck returns the earliest instant at which DueFor lists something, zero if
// nothing is pending.
func (p *Policy) nextCheck(c *Case, tl *Timeline, cal *calendar.Calendar) time.Time {
	var next time.Time
	p.schedule(c, tl, cal, func(d Due, deadline time.Time) {
		if d.Kind == DueWarn && !deadline.IsZero() && !d.At.Before(deadline) {
			return
		}
		if next.IsZero() || d.At.Before(next) {
			next = d.At
		}
	})
	return next
}

// schedule calls emit for every pending item of the case with the instant it falls
// due (past or future), and for a warning the deadline of its timer.
func (p *Policy) schedule(c *Case, tl *Timeline, cal *calendar.Calendar, emit func(Due, time.Time)) {
	levels := p.Escalation.Levels
	top := len(levels) - 1
	for i := range tl.Timers {
		t := &tl.Timers[i]
		if !t.Running() || t.Warned || p.Escalation.WarnAt == 0 || tl.Paused() {
			continue
		}
		if w := tl.instant(t, t.Budget*time.Duration(p.Escalation.WarnAt)/100); !w.IsZero() {
			emit(Due{Case: c.ID, Kind: DueWarn, At: w, Step: t.Step, Cycle: t.Cycle,
				Command: Warn{Step: t.Step, Cycle: t.Cycle}}, t.Deadline)
		}
	}
	for l := tl.Level + 1; l <= top; l++ {
		var at time.Time
		for i := range tl.Timers {
			t := &tl.Timers[i]
			k := l - t.base - 1
			if !t.Running() || k < 0 || k >= len(p.Escalation.At) {
				continue
			}
			e := tl.instant(t, t.Budget*time.Duration(p.Escalation.At[k])/100)
			if !e.IsZero() && (at.IsZero() || e.Before(at)) {
				at = e
			}
		}
		if at.IsZero() {
			break
		}
		emit(Due{Case: c.ID, Kind: DueEscalate, At: at, Level: levels[l], Command: Escalate{To: levels[l]}}, time.Time{})
	}
	if w, ok := c.OpenWhistle(); ok && p.whistleCanRise(w) {
		if r, ok := p.Whistle.Types[w.Type]; ok {
			emit(Due{Case: c.ID, Kind: DueEscalateWhistle, At: limitInstant(cal, w.At, r.Resolve), Whistle: w.Seq,
				Command: EscalateWhistle{Whistle: w.Seq}}, time.Time{})
		}
	}
}

// whistleCanRise reports whether an unresolved whistle has a level above it to go to.
func (p *Policy) whistleCanRise(w Whistle) bool {
	l := p.levelIndex(w.ToLevel)
	return l >= 0 && l < len(p.Escalation.Levels)-1
}

// sortDue orders due work by instant, then case, keeping each case's escalations in
// level order.
func sortDue(ds []Due) {
	slices.SortStableFunc(ds, func(a, b Due) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if a.Case < b.Case {
			return -1
		}
		if a.Case > b.Case {
			return 1
		}
		return 0
	})
}
