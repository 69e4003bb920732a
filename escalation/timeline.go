package escalation

import (
	"math/bits"
	"slices"
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
// and the deadline that results, the time paused inside it. It is a plain value.
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
	// Provisional and Refused say what the deadline rests on; see [Timer.Basis].
	// They sit in Warned's padding to keep the struct small.
	Provisional bool `json:"provisional,omitempty"`
	Refused     bool `json:"refused,omitempty"`
	// base is the escalation level index at the start: escalation counts from it.
	// It sits beside Warned to keep the struct small: folds copy timers around.
	base int32
	// Category and Complexity are the classification the limit was chosen by: the
	// case's at the timer's start.
	Category   string     `json:"category"`
	Complexity Complexity `json:"complexity"`
	// Unit is the unit responsible for the step, whose working calendar the timer runs
	// on when the environment gives units their own calendars: the cycle's owner (the
	// unit the case was dispatched to) for the respond and handle steps, the case's
	// location unit (the territory's platform) for filing, dispatch, verification and
	// closing. It is fixed when the timer starts and governs it to its stop, pauses
	// included.
	Unit hierarchy.UnitID `json:"unit,omitempty"`
	// cal is the calendar of Unit, resolved by the fold.
	cal *calendar.Calendar
}

// Running reports whether the timer has not stopped.
func (t Timer) Running() bool { return t.Stop.IsZero() }

// OnTime reports whether a stopped timer stopped by its deadline.
func (t Timer) OnTime() bool {
	return !t.Stop.IsZero() && !t.Deadline.IsZero() && !t.Stop.After(t.Deadline)
}

// Timeline is the fold of a case's history under its policy and its calendars: the
// timers of its steps, its cycles and pauses. It is recomputed, never stored, so a
// changed calendar or an explicit re-evaluation under a new policy gives new
// deadlines for the same facts ("SLA repair"). A Timeline is a plain value.
type Timeline struct {
	Timers []Timer `json:"timers"`
	Cycles []Cycle `json:"cycles"`
	Pauses []Pause `json:"pauses,omitempty"`
	// Level is the index of the case's level in the policy's escalation levels.
	Level int `json:"level"`

	k cals // for Elapsed
}

// between measures [a, b) on the working calendar, or on the wall clock.
func between(cal *calendar.Calendar, clock bool, a, b time.Time) time.Duration {
	if clock {
		return b.Sub(a)
	}
	return cal.Between(a, b)
}

// add is t plus d on the working calendar, or on the wall clock.
func add(cal *calendar.Calendar, clock bool, t time.Time, d time.Duration) time.Time {
	if clock {
		return t.Add(d)
	}
	return cal.Add(t, d)
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

// Timeline folds case c's history under policy p on the calendars of env: with
// env.Calendars set, each timer runs on the calendar of its [Timer.Unit], resolved
// through env.Tree; otherwise on env.Calendar. Events the policy does not time are
// skipped; the fold never fails.
func (p *Policy) Timeline(c Case, env Env) Timeline {
	k := env.cals()
	tl := p.fold(&c, k, Timeline{}, true, nil)
	tl.k = k
	return tl
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

// running holds, per step, the index of its running timer, or -1. When reuse is set
// (a fold that keeps only running timers), the slot of a stopped timer is free for the
// next one, so a short buffer holds any history.
type running struct {
	idx   [6]int
	free  uint64 // slots of stopped timers, when reuse is set
	reuse bool
}

func (r *running) stop(ts []Timer, s Step, at time.Time) {
	i := stepIndex(s)
	if j := r.idx[i]; j >= 0 {
		ts[j].Stop = at
		r.idx[i] = -1
		if r.reuse && j < 64 {
			r.free |= 1 << j
		}
	}
}

func (r *running) stopAll(ts []Timer, at time.Time) {
	for _, s := range [...]Step{StepFile, StepDispatch, StepRespond, StepHandle, StepVerify, StepClose} {
		r.stop(ts, s, at)
	}
}

// start stops step s's running timer and starts a new one. The slices are passed and
// returned by value, never stored through a pointer, so that a caller's stack buffer
// stays on the stack.
func (p *Policy) start(ts []Timer, r *running, s Step, cycle int, at time.Time, cat string, cx Complexity, level int, unit hierarchy.UnitID) []Timer {
	r.stop(ts, s, at)
	t := Timer{Step: s, Cycle: cycle, Start: at, Category: cat, Complexity: cx, Unit: unit, base: int32(level)}
	if r.free != 0 {
		j := bits.TrailingZeros64(r.free)
		r.free &^= 1 << j
		ts[j] = t
		r.idx[stepIndex(s)] = j
		return ts
	}
	ts = append(ts, t)
	r.idx[stepIndex(s)] = len(ts) - 1
	return ts
}

func endCycle(cs []Cycle, at time.Time, o Outcome) {
	if n := len(cs); n > 0 && cs[n-1].End.IsZero() {
		cs[n-1].End = at
		cs[n-1].Outcome = o
	}
}

// fold appends the case's timers, cycles and pauses to those of tl (usually empty,
// with buffers the caller provides) and returns it. Without all, only the running
// timers get their budget, deadline and paused time: the rest is what the scheduler
// never looks at.
//
// Each timer runs on the calendar of its Unit (see [Timer.Unit]); the owner of a cycle
// never changes inside it (a new owner comes with a return and a new dispatch, which
// start a new cycle), so the handle timer of a cycle runs on the calendar of the owner
// when the cycle's clock started, from its start to its stop.
//
// A partial case (see [Case.Complete]) resumes from the state its prefix left (see
// [foldState]) and folds only the events after it. With save set, the state after the
// whole history is stored there, for the next command to resume from.
func (p *Policy) fold(c *Case, k cals, tl Timeline, all bool, save *foldBox) Timeline {
	ts, cs, ps := tl.Timers, tl.Cycles, tl.Pauses
	loc := c.Location.Unit
	level := 0
	r := running{idx: [6]int{-1, -1, -1, -1, -1, -1}, reuse: !all}
	var (
		cat        string
		cx         Complexity
		n          int
		lastAt     time.Time
		dispatched bool
		by         hierarchy.UnitID
	)
	if b := c.prefix; b != nil {
		for i := range b.Timers {
			ts = append(ts, b.Timers[i].timer())
		}
		cs = append(cs, b.Cycles...)
		ps = append(ps, b.Pauses...)
		r.idx, r.free = b.Idx, b.Free
		if !r.reuse {
			r.free = 0
		}
		level, cat, cx = b.Level, b.Cat, b.Cx
		n, lastAt, dispatched, by = b.N, b.LastAt, b.Dispatched, b.DispatchBy
	}
	for i := range c.History {
		e := &c.History[i]
		at := e.At
		switch e.Action {
		case ActionReport:
			cat, cx = e.Category, e.Complexity
			if l := p.levelIndex(e.Level); l >= 0 {
				level = l
			}
			ts = p.start(ts, &r, StepFile, 0, at, cat, cx, level, loc)
		case ActionReclassify, ActionFile:
			if e.Category != "" {
				cat = e.Category
			}
			if e.Complexity != "" {
				cx = e.Complexity
			}
			if e.Action == ActionFile {
				r.stop(ts, StepFile, at)
				ts = p.start(ts, &r, StepDispatch, len(cs), at, cat, cx, level, loc)
			}
		case ActionVoid, ActionSelfHandle:
			r.stopAll(ts, at)
		case ActionDispatch:
			dispatched, by = true, e.ActorUnit
			r.stop(ts, StepDispatch, at)
			cs = append(cs, Cycle{N: len(cs) + 1, Start: at, Owner: e.Unit})
			ts = p.start(ts, &r, StepRespond, len(cs), at, cat, cx, level, e.Unit)
			ts = p.start(ts, &r, StepHandle, len(cs), at, cat, cx, level, e.Unit)
		case ActionAccept:
			r.stop(ts, StepRespond, at)
		case ActionReturn:
			r.stop(ts, StepRespond, at)
			r.stop(ts, StepHandle, at)
			endCycle(cs, at, OutcomeReturned)
			ts = p.start(ts, &r, StepDispatch, len(cs), at, cat, cx, level, loc)
		case ActionReportBack:
			r.stop(ts, StepHandle, at)
			ts = p.start(ts, &r, StepVerify, len(cs), at, cat, cx, level, loc)
		case ActionVerify:
			r.stop(ts, StepVerify, at)
			ts = p.start(ts, &r, StepClose, len(cs), at, cat, cx, level, loc)
		case ActionRework:
			r.stop(ts, StepVerify, at)
			owner := hierarchy.UnitID("")
			if n := len(cs); n > 0 {
				owner = cs[n-1].Owner
			}
			endCycle(cs, at, OutcomeRework)
			cs = append(cs, Cycle{N: len(cs) + 1, Start: at, Owner: owner})
			ts = p.start(ts, &r, StepHandle, len(cs), at, cat, cx, level, owner)
		case ActionClose:
			r.stop(ts, StepClose, at)
			endCycle(cs, at, OutcomeClosed)
		case ActionPark:
			ps = append(ps, Pause{From: at})
		case ActionResume:
			if n := len(ps); n > 0 && ps[n-1].To.IsZero() {
				ps[n-1].To = at
			}
		case ActionEscalate:
			if l := p.levelIndex(e.Level); l > level {
				level = l
			}
		case ActionWarn:
			for j := len(ts) - 1; j >= 0; j-- {
				if ts[j].Step == e.Step && ts[j].Cycle == e.Cycle {
					ts[j].Warned = true
					break
				}
			}
		}
	}
	if save != nil {
		if m := len(c.History); m > 0 {
			lastAt = c.History[m-1].At
		}
		fs := &save.fs
		*fs = foldState{N: n + len(c.History), LastAt: lastAt, Policy: p.Version, Loc: loc,
			Level: level, Cat: cat, Cx: cx, Idx: r.idx, Free: r.free,
			Pauses: cloneNil(ps), Dispatched: dispatched, DispatchBy: by}
		switch {
		case len(cs) > len(save.cycles):
			fs.Cycles = slices.Clone(cs)
		case len(cs) > 0:
			fs.Cycles = save.cycles[:len(cs):len(cs)]
			copy(fs.Cycles, cs)
		}
		switch {
		case len(ts) > len(save.timers):
			fs.Timers = make([]foldTimer, len(ts))
		case len(ts) > 0:
			fs.Timers = save.timers[:len(ts):len(ts)]
		}
		for i := range ts {
			fs.Timers[i] = foldTimerOf(&ts[i])
		}
		// As decoding the stored head will give it, so that the head cache can keep
		// this very state instead of a converted copy.
		fs.asParsed()
	}
	// Units repeat (the location, the owner): remember the last one resolved.
	var (
		lastUnit hierarchy.UnitID
		lastCal  *calendar.Calendar
	)
	for i := range ts {
		t := &ts[i]
		if !all && !t.Running() {
			continue
		}
		if k.set == nil {
			t.cal = k.def
		} else {
			if lastCal == nil || t.Unit != lastUnit {
				lastUnit, lastCal = t.Unit, k.of(t.Unit)
			}
			t.cal = lastCal
		}
		t.Limit, _ = p.LimitFor(t.Step, t.Category, t.Complexity)
		t.Budget = budget(t.cal, t.Start, t.Limit)
		t.Deadline = instant(ps, t.cal, t, t.Budget)
		t.Paused = paused(ps, t.cal, t)
		markDeadline(t)
	}
	tl.Timers, tl.Cycles, tl.Pauses, tl.Level = ts, cs, ps, level
	return tl
}

// Paused reports whether the case is parked at the end of its history.
func (tl Timeline) Paused() bool {
	n := len(tl.Pauses)
	return n > 0 && tl.Pauses[n-1].To.IsZero()
}

// instant returns the instant at which timer t has run amount of its clock, pauses
// skipped, as if it never stopped; zero when a pause still open comes first.
func instant(pauses []Pause, cal *calendar.Calendar, t *Timer, amount time.Duration) time.Time {
	clock := t.Limit.Clock()
	a := t.Start
	for _, p := range pauses {
		if !t.Stop.IsZero() && !p.From.Before(t.Stop) {
			break
		}
		if !p.To.IsZero() && !p.To.After(a) {
			continue
		}
		if p.From.After(a) {
			w := between(cal, clock, a, p.From)
			if w >= amount {
				return add(cal, clock, a, amount)
			}
			amount -= w
		}
		if p.To.IsZero() {
			return time.Time{}
		}
		a = p.To
	}
	return add(cal, clock, a, amount)
}

// paused returns the time paused inside timer t (up to its stop, or the last pause).
func paused(pauses []Pause, cal *calendar.Calendar, t *Timer) time.Duration {
	var d time.Duration
	clock := t.Limit.Clock()
	for _, p := range pauses {
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
		d += between(cal, clock, from, to)
	}
	return d
}

// Elapsed returns the time timer t has run by now, in its own clock, pauses
// excluded (up to its stop when stopped). It needs a Timeline from [Policy.Timeline].
func (tl Timeline) Elapsed(t Timer, now time.Time) time.Duration {
	end := now
	if !t.Stop.IsZero() && t.Stop.Before(now) {
		end = t.Stop
	}
	if !end.After(t.Start) {
		return 0
	}
	clock := t.Limit.Clock()
	cal := t.cal
	if cal == nil {
		cal = tl.k.of(t.Unit)
	}
	d := between(cal, clock, t.Start, end)
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
			d -= between(cal, clock, from, to)
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

// foldState is where the running-timer fold (fold without all) stands after the first
// N events of a history: everything the fold carries from one event to the next, plus
// what a decision reads of the history (the last event's time, the last dispatch). A
// command on a long case resumes from it and folds only its own events, so deadlines
// cost O(1) per command instead of O(history); since it is exactly the fold's own
// state, the resumed fold equals the fold from scratch (a property test checks it).
// It depends on the policy it was folded under and on the case's location unit, never
// on calendars: budgets and deadlines are recomputed from it on every fold.
type foldState struct {
	N      int              `json:"n"`
	LastAt time.Time        `json:"last_at,omitzero"`
	Policy string           `json:"policy"`
	Loc    hierarchy.UnitID `json:"loc,omitempty"`
	Level  int              `json:"level,omitempty"`
	Cat    string           `json:"cat,omitempty"`
	Cx     Complexity       `json:"cx,omitempty"`
	Idx    [6]int           `json:"idx"`
	Free   uint64           `json:"free,omitempty"`
	Timers []foldTimer      `json:"timers,omitempty"`
	Cycles []Cycle          `json:"cycles,omitempty"`
	Pauses []Pause          `json:"pauses,omitempty"`
	// Dispatched is set once the case was dispatched; DispatchBy is the actor unit of
	// its last dispatch (empty for a routed one), for [dispatcher].
	Dispatched bool             `json:"dispatched,omitempty"`
	DispatchBy hierarchy.UnitID `json:"dispatch_by,omitempty"`
}

// foldBox is a fold state with room for the timers and cycles most cases have when a
// command is decided (one cycle, a timer or two running or stopped), so that saving
// the state is one allocation; more spill into arrays of their own.
type foldBox struct {
	fs     foldState
	timers [2]foldTimer
	cycles [1]Cycle
}

// foldTimer is what the fold itself sets on a timer; the rest is recomputed.
type foldTimer struct {
	Step       Step             `json:"step"`
	Cycle      int              `json:"cycle,omitempty"`
	Start      time.Time        `json:"start"`
	Stop       time.Time        `json:"stop,omitzero"`
	Warned     bool             `json:"warned,omitempty"`
	Base       int32            `json:"base,omitempty"`
	Category   string           `json:"category,omitempty"`
	Complexity Complexity       `json:"complexity,omitempty"`
	Unit       hierarchy.UnitID `json:"unit,omitempty"`
}

func foldTimerOf(t *Timer) foldTimer {
	return foldTimer{Step: t.Step, Cycle: t.Cycle, Start: t.Start, Stop: t.Stop, Warned: t.Warned, Base: t.base,
		Category: t.Category, Complexity: t.Complexity, Unit: t.Unit}
}

func (f *foldTimer) timer() Timer {
	return Timer{Step: f.Step, Cycle: f.Cycle, Start: f.Start, Stop: f.Stop, Warned: f.Warned, base: f.Base,
		Category: f.Category, Complexity: f.Complexity, Unit: f.Unit}
}
