package escalation

import (
	"slices"
	"time"

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
// apply Command to the case as the system (the zero [hierarchy.Actor]). It is a plain
// value.
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
// running steps past the warning point but not yet late (none while parked), one
// escalation per level the case must still climb (in order, lowest first: apply them
// in that order), and the open whistle if its time limit passed. A step counts from
// the level the case had when it started: at each point of EscalationRules.At the case
// must stand one level higher, so each level is reached exactly once and never twice.
// A parked case's clocks stand still. DueFor is pure: the embedding system calls it
// (or [Service.Due]) from its own scheduler.
//
// Only env's calendars (and, with env.Calendars, its tree) are read: with
// env.Calendars set, each step's clock runs on the calendar of the unit responsible
// for it ([Timer.Unit]) and a whistle's on the calendar of the unit it was blown to;
// otherwise every clock runs on env.Calendar.
func (p *Policy) DueFor(c Case, now time.Time, env Env) []Due {
	return p.dueList(&c, now, env.cals())
}

func (p *Policy) dueList(c *Case, now time.Time, k cals) []Due {
	if !c.State.Open() {
		return nil
	}
	var (
		tbuf [8]Timer
		cbuf [4]Cycle
		pbuf [4]Pause
		buf  [8]pending
	)
	tl := p.fold(c, k, Timeline{Timers: tbuf[:0], Cycles: cbuf[:0], Pauses: pbuf[:0]}, false, nil)
	var out []Due
	for _, x := range p.schedule(c, &tl, k, buf[:0], nil) {
		if x.at.After(now) {
			continue
		}
		if x.kind == DueWarn && !x.deadline.IsZero() && !now.Before(x.deadline) {
			continue // late already: the escalation says more than the warning
		}
		d := Due{Case: c.ID, Kind: x.kind, At: x.at}
		switch x.kind {
		case DueWarn:
			d.Step, d.Cycle = x.step, int(x.cycle)
			d.Command = Warn{Step: x.step, Cycle: int(x.cycle)}
		case DueEscalate:
			d.Level = p.Escalation.Levels[x.level]
			d.Command = Escalate{To: d.Level}
		case DueEscalateWhistle:
			d.Whistle = int(x.whistle)
			d.Command = EscalateWhistle{Whistle: d.Whistle}
		}
		out = append(out, d)
	}
	return out
}

// dueFor reports whether DueFor would list an item of kind at time now matching
// step/cycle (warnings), level (escalations) or whistle, without building the list.
func (p *Policy) dueFor(c *Case, now time.Time, k cals, kind DueKind, step Step, cycle, level int) bool {
	var (
		tbuf [8]Timer
		cbuf [4]Cycle
		pbuf [4]Pause
		buf  [8]pending
	)
	tl := p.fold(c, k, Timeline{Timers: tbuf[:0], Cycles: cbuf[:0], Pauses: pbuf[:0]}, false, nil)
	for _, x := range p.schedule(c, &tl, k, buf[:0], nil) {
		if x.kind != kind || x.at.After(now) {
			continue
		}
		switch kind {
		case DueWarn:
			if x.step == step && int(x.cycle) == cycle && (x.deadline.IsZero() || now.Before(x.deadline)) {
				return true
			}
		case DueEscalate:
			if int(x.level) == level {
				return true
			}
		}
	}
	return false
}

// DueAll lists what must happen to every case of cases at time now, each case under
// the policy of its version in ps on the calendars of env (see [Policy.DueFor]);
// cases whose version ps lacks are skipped.
func DueAll(cases []Case, now time.Time, ps *PolicySet, env Env) []Due {
	var out []Due
	for _, c := range cases {
		if !c.NextCheck.IsZero() && c.NextCheck.After(now) {
			continue
		}
		p, err := ps.For(c)
		if err != nil {
			continue
		}
		out = append(out, p.DueFor(c, now, env)...)
	}
	sortDue(out)
	return out
}

// pending is one item of the schedule: what falls due when.
type pending struct {
	at       time.Time
	deadline time.Time // of a warning's timer
	kind     DueKind
	step     Step
	cycle    int32
	level    int32 // index into the escalation levels
	whistle  int32
}

// nextCheck returns the earliest instant at which DueFor lists something, zero if
// nothing is pending.
func (p *Policy) nextCheck(c *Case, tl *Timeline, k cals) time.Time {
	var next time.Time
	p.schedule(c, tl, k, nil, &next)
	return next
}

// schedule appends to out every pending item of the case with the instant it falls
// due (past or future), and for a warning the deadline of its timer. With next set it
// appends nothing and keeps in *next the earliest instant at which an item is listed
// (a warning only before its deadline): the scheduler's next wake-up.
func (p *Policy) schedule(c *Case, tl *Timeline, k cals, out []pending, next *time.Time) []pending {
	emit := func(x pending) {
		if next == nil {
			out = append(out, x)
			return
		}
		if x.kind == DueWarn && !x.deadline.IsZero() && !x.at.Before(x.deadline) {
			return
		}
		if next.IsZero() || x.at.Before(*next) {
			*next = x.at
		}
	}
	levels := p.Escalation.Levels
	top := len(levels) - 1
	if p.Escalation.WarnAt > 0 && !tl.Paused() {
		for i := range tl.Timers {
			t := &tl.Timers[i]
			if !t.Running() || t.Warned || t.Refused {
				continue
			}
			if w := instant(tl.Pauses, t.cal, t, percent(t.Budget, p.Escalation.WarnAt)); !w.IsZero() {
				emit(pending{kind: DueWarn, at: w, deadline: t.Deadline, step: t.Step, cycle: int32(t.Cycle)})
			}
		}
	}
	// For the next wake-up only the first level up counts when the points rise (as
	// Validate requires): every timer reaches it no later than any level above.
	last := top
	if next != nil && ascending(p.Escalation.At) {
		last = min(top, tl.Level+1)
	}
	for l := tl.Level + 1; l <= last; l++ {
		var at time.Time
		for i := range tl.Timers {
			t := &tl.Timers[i]
			k := l - int(t.base) - 1
			if !t.Running() || t.Refused || k < 0 || k >= len(p.Escalation.At) {
				continue
			}
			e := instant(tl.Pauses, t.cal, t, percent(t.Budget, p.Escalation.At[k]))
			if !e.IsZero() && (at.IsZero() || e.Before(at)) {
				at = e
			}
		}
		if at.IsZero() {
			break
		}
		emit(pending{kind: DueEscalate, at: at, level: int32(l)})
	}
	if w, ok := c.OpenWhistle(); ok && p.whistleCanRise(w) {
		if r, ok := p.Whistle.Types[w.Type]; ok {
			emit(pending{kind: DueEscalateWhistle, at: limitInstant(k.of(w.To), w.At, r.Resolve), whistle: int32(w.Seq)})
		}
	}
	return out
}

// percent returns pct percent of d without the overflow of d*pct: with the bounds
// Validate sets (a limit of at most MaxLimitTime, points of at most
// MaxEscalationPoint) the result always fits.
func percent(d time.Duration, pct int) time.Duration {
	p := time.Duration(pct)
	return d/100*p + d%100*p/100
}

// ascending reports whether every escalation point is above the one before it.
func ascending(at []int) bool {
	for i := 1; i < len(at); i++ {
		if at[i] <= at[i-1] {
			return false
		}
	}
	return true
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
