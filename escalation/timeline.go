package escalation

import (
	"time"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
)

// Outcome is how a cycle of handling ended.
type Outcome string

// Cycle outcomes; an open cycle has none.
const (
	OutcomeReturned Outcome = "returned" // the owner returned a wrong dispatch (退回)
	OutcomeRework   Outcome = "rework"   // verification failed (返工)
	OutcomeClosed   Outcome = "closed"   // verified and closed
)

// Cycle is one round of handling: from a dispatch (or a rework) to a return, a rework
// or the close. Each cycle runs its own handle timer; completed cycles are kept.
type Cycle struct {
	N       int              `json:"n"` // 1-based
	Start   time.Time        `json:"start"`
	End     time.Time        `json:"end,omitzero"`
	Owner   hierarchy.UnitID `json:"owner"`
	Outcome Outcome          `json:"outcome,omitempty"`
}

// Pause is a stretch during which the case was parked (挂账); To is zero while it still is.
type Pause struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
}

// Timer is the clock of one step in one cycle: when it started and stopped, its limit
// and the deadline that results, the time paused inside it.
type Timer struct {
	Step Step `json:"step"`
	// Cycle is the cycle the timer belongs to; a dispatch timer has the number of
	// cycles completed before it (0 for the first dispatch), the file timer 0.
	Cycle int       `json:"cycle"`
	Start time.Time `json:"start"`
	Stop  time.Time `json:"stop,omitzero"` // zero while running
	Limit Limit     `json:"limit"`
	// Budget is the limit as an amount of working time (of clock time for a clock
	// limit): a limit in working days is the working time from the start to the end of
	// the n-th working day.
	Budget time.Duration `json:"budget"`
	// Deadline is the instant the budget runs out, the pauses inside the timer
	// skipped; zero when the timer is paused before reaching it.
	Deadline time.Time `json:"deadline,omitzero"`
	// Paused is the working (or clock) time paused inside the timer.
	Paused time.Duration `json:"paused,omitempty"`
	// Warned is set once the step's warning was recorded.
	Warned bool `json:"warned,omitempty"`
	// Category and Complexity are the classification the limit was chosen by: the
	// case's at the timer's start.
	Category   string     `json:"category"`
	Complexity Complexity `json:"complexity"`
	// base is the escalation level index at the start: escalation counts from it.
	base int
}

// Running reports whether the timer has not stopped.
func (t Timer) Running() bool { return t.Stop.IsZero() }

// OnTime reports whether a stopped timer stopped by its deadline.
func (t Timer) OnTime() bool {
	return !t.Stop.IsZero() && !t.Deadline.IsZero() && !t.Stop.After(t.Deadline)
}

// Timeline is the fold of a case's history under its policy and a calendar: the
// timers of its steps, its cycles and pauses. It is recomputed, never stored, so a
// changed calendar or an explicit re-evaluation under a new policy gives new
// deadlines for the same facts ("SLA repair").
type Timeline struct {
	Timers []Timer `json:"timers"`
	Cycles []Cycle `json:"cycles"`
	Pauses []Pause `json:"pauses,omitempty"`
	// Level is the index of the case's level in the policy's escalation levels.
	Level int `json:"level"`

	clock clockFn
}

// clockFn measures time on the working calendar or the wall clock.
type clockFn struct{ cal *calendar.Calendar }

func (c clockFn) between(clock bool, a, b time.Time) time.Duration {
	if clock {
		return b.Sub(a)
	}
	return c.cal.Between(a, b)
}

func (c clockFn) add(clock bool, t time.Time, d time.Duration) time.Time {
	if clock {
		return t.Add(d)
	}
	return c.cal.Add(t, d)
}

// budget converts limit l of a step starting at start into an amount of time.
func budget(cal *calendar.Calendar, start time.Time, l Limit) time.Duration {
	switch {
	case l.WorkingDays > 0:
		return cal.Between(start, cal.AddDays(start, l.WorkingDays))
	case l.WorkingTime > 0:
		return time.Duration(l.WorkingTime)
	default:
		return time.Duration(l.ClockTime)
	}
}

// limitInstant is the deadline of limit l started at start, without pauses.
func limitInstant(cal *calendar.Calendar, start time.Time, l Limit) time.Time {
	switch {
	case l.WorkingDays > 0:
		return cal.AddDays(start, l.WorkingDays)
	case l.WorkingTime > 0:
		return cal.Add(start, time.Duration(l.WorkingTime))
	default:
		return start.Add(time.Duration(l.ClockTime))
	}
}

// Timeline folds case c's history under policy p on calendar cal. Events the policy
// does not time are skipped; the fold never fails.
func (p *Policy) Timeline(c Case, cal *calendar.Calendar) Timeline {
	var tl Timeline
	p.fold(&c, cal, &tl)
	return tl
}

type folder struct {
	p       *Policy
	cal     *calendar.Calendar
	tl      *Timeline
	running [6]int // index into tl.Timers per step, -1 when not running
	cat     string
	cx      Complexity
}

func stepIndex(s Step) int {
	switch s {
	case StepFile:
		return 0
	case StepDispatch:
		return 1
	case StepRespond:
		return 2
	case StepHandle:
		return 3
	case StepVerify:
		return 4
	default:
		return 5
	}
}

func (f *folder) start(s Step, cycle int, at time.Time) {
	f.stop(s, at)
	l, _ := f.p.LimitFor(s, f.cat, f.cx)
	f.tl.Timers = append(f.tl.Timers, Timer{Step: s, Cycle: cycle, Start: at, Limit: l,
		Budget: budget(f.cal, at, l), Category: f.cat, Complexity: f.cx, base: f.tl.Level})
	f.running[stepIndex(s)] = len(f.tl.Timers) - 1
}

func (f *folder) stop(s Step, at time.Time) {
	i := stepIndex(s)
	if j := f.running[i]; j >= 0 {
		f.tl.Timers[j].Stop = at
		f.running[i] = -1
	}
}

func (f *folder) stopAll(at time.Time) {
	for _, s := range Steps() {
		f.stop(s, at)
	}
}

func (f *folder) endCycle(at time.Time, o Outcome) {
	if n := len(f.tl.Cycles); n > 0 && f.tl.Cycles[n-1].End.IsZero() {
		f.tl.Cycles[n-1].End = at
		f.tl.Cycles[n-1].Outcome = o
	}
}

func (p *Policy) fold(c *Case, cal *calendar.Calendar, tl *Timeline) {
	f := folder{p: p, cal: cal, tl: tl, running: [6]int{-1, -1, -1, -1, -1, -1}}
	tl.clock = clockFn{cal}
	for i := range c.History {
		e := &c.History[i]
		at := e.At
		switch e.Action {
		case ActionReport:
			f.cat, f.cx = e.Category, e.Complexity
			if l := p.levelIndex(e.Level); l >= 0 {
				tl.Level = l
			}
			f.start(StepFile, 0, at)
		case ActionReclassify, ActionFile:
			if e.Category != "" {
				f.cat = e.Category
			}
			if e.Complexity != "" {
				f.cx = e.Complexity
			}
			if e.Action == ActionFile {
				f.stop(StepFile, at)
				f.start(StepDispatch, len(tl.Cycles), at)
			}
		case ActionVoid, ActionSelfHandle:
			f.stopAll(at)
		case ActionDispatch:
			f.stop(StepDispatch, at)
			tl.Cycles = append(tl.Cycles, Cycle{N: len(tl.Cycles) + 1, Start: at, Owner: e.Unit})
			n := len(tl.Cycles)
			f.start(StepRespond, n, at)
			f.start(StepHandle, n, at)
		case ActionAccept:
			f.stop(StepRespond, at)
		case ActionReturn:
			f.stop(StepRespond, at)
			f.stop(StepHandle, at)
			f.endCycle(at, OutcomeReturned)
			f.start(StepDispatch, len(tl.Cycles), at)
		case ActionReportBack:
			f.stop(StepHandle, at)
			f.start(StepVerify, len(tl.Cycles), at)
		case ActionVerify:
			f.stop(StepVerify, at)
			f.start(StepClose, len(tl.Cycles), at)
		case ActionRework:
			f.stop(StepVerify, at)
			owner := hierarchy.UnitID("")
			if n := len(tl.Cycles); n > 0 {
				owner = tl.Cycles[n-1].Owner
			}
			f.endCycle(at, OutcomeRework)
			tl.Cycles = append(tl.Cycles, Cycle{N: len(tl.Cycles) + 1, Start: at, Owner: owner})
			f.start(StepHandle, len(tl.Cycles), at)
		case ActionClose:
			f.stop(StepClose, at)
			f.endCycle(at, OutcomeClosed)
		case ActionPark:
			tl.Pauses = append(tl.Pauses, Pause{From: at})
		case ActionResume:
			if n := len(tl.Pauses); n > 0 && tl.Pauses[n-1].To.IsZero() {
				tl.Pauses[n-1].To = at
			}
		case ActionEscalate:
			if l := p.levelIndex(e.Level); l > tl.Level {
				tl.Level = l
			}
		case ActionWarn:
			for j := len(tl.Timers) - 1; j >= 0; j-- {
				if tl.Timers[j].Step == e.Step && tl.Timers[j].Cycle == e.Cycle {
					tl.Timers[j].Warned = true
					break
				}
			}
		}
	}
	for i := range tl.Timers {
		t := &tl.Timers[i]
		t.Deadline = tl.instant(t, t.Budget)
		t.Paused = tl.paused(t)
	}
}

// Paused reports whether the case is parked at the end of its history.
func (tl Timeline) Paused() bool {
	n := len(tl.Pauses)
	return n > 0 && tl.Pauses[n-1].To.IsZero()
}

// instant returns the instant at which timer t has run amount of its clock, pauses
// skipped, as if it never stopped; zero when a pause still open comes first.
func (tl *Timeline) instant(t *Timer, amount time.Duration) time.Time {
	clock := t.Limit.Clock()
	a := t.Start
	for _, p := range tl.Pauses {
		if !t.Stop.IsZero() && !p.From.Before(t.Stop) {
			break
		}
		if !p.To.IsZero() && !p.To.After(a) {
			continue
		}
		if p.From.After(a) {
			w := tl.clock.between(clock, a, p.From)
			if w >= amount {
				return tl.clock.add(clock, a, amount)
			}
			amount -= w
		}
		if p.To.IsZero() {
			return time.Time{}
		}
		a = p.To
	}
	return tl.clock.add(clock, a, amount)
}

// paused returns the time paused inside timer t (up to its stop, or the last pause).
func (tl *Timeline) paused(t *Timer) time.Duration {
	var d time.Duration
	clock := t.Limit.Clock()
	for _, p := range tl.Pauses {
		if !t.Stop.IsZero() && !p.From.Before(t.Stop) {
			break
		}
		from, to := p.From, p.To
		if from.Before(t.Start) {
			from = t.Start
		}
		if to.IsZero() || (!t.Stop.IsZero() && to.After(t.Stop)) {
			to = t.Stop
		}
		if to.IsZero() || !to.After(from) {
			continue
		}
		d += tl.clock.between(clock, from, to)
	}
	return d
}

// Elapsed returns the time timer t has run by now, in its own clock, pauses
// excluded (up to its stop when stopped).
func (tl Timeline) Elapsed(t Timer, now time.Time) time.Duration {
	end := now
	if !t.Stop.IsZero() && t.Stop.Before(now) {
		end = t.Stop
	}
	if !end.After(t.Start) {
		return 0
	}
	clock := t.Limit.Clock()
	d := tl.clock.between(clock, t.Start, end)
	for _, p := range tl.Pauses {
		from, to := p.From, p.To
		if !from.Before(end) {
			break
		}
		if from.Before(t.Start) {
			from = t.Start
		}
		if to.IsZero() || to.After(end) {
			to = end
		}
		if to.After(from) {
			d -= tl.clock.between(clock, from, to)
		}
	}
	return d
}

// Running returns the timers still running, oldest first.
func (tl Timeline) Running() []Timer {
	var out []Timer
	for _, t := range tl.Timers {
		if t.Running() {
			out = append(out, t)
		}
	}
	return out
}

// Timer returns the last timer of step in cycle.
func (tl Timeline) Timer(step Step, cycle int) (Timer, bool) {
	for i := len(tl.Timers) - 1; i >= 0; i-- {
		if tl.Timers[i].Step == step && tl.Timers[i].Cycle == cycle {
			return tl.Timers[i], true
		}
	}
	return Timer{}, false
}

// Resolution returns the handle timer of the last cycle: its deadline is the case's
// resolution deadline (处置时限). ok is false for a case never dispatched.
func (tl Timeline) Resolution() (Timer, bool) {
	for i := len(tl.Timers) - 1; i >= 0; i-- {
		if tl.Timers[i].Step == StepHandle {
			return tl.Timers[i], true
		}
	}
	return Timer{}, false
}
