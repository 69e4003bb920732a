package escalation_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

// TestDeadline_NationalDay files and dispatches a case on Friday 26 September 2025, the
// last Friday before the National Day and Mid-Autumn holiday (1–8 October). Sunday 28
// September was worked in lieu, so three working days end on Tuesday 30 September at
// 17:30; a case dispatched on the 30th is due on Saturday 11 October, the second
// weekend day worked in lieu.
func TestDeadline_NationalDay(t *testing.T) {
	p := policy()
	fri := at(2025, 9, 26, 10, 0)
	tests := []struct {
		name     string
		dispatch time.Time
		want     time.Time
		reason   string
	}{
		{"FridayBefore", fri.Add(time.Hour), at(2025, 9, 30, 17, 30), "Sun 28 (worked), Mon 29, Tue 30"},
		{"LastDayBefore", at(2025, 9, 30, 9, 0), at(2025, 10, 11, 17, 30), "Oct 1–8 off: Thu 9, Fri 10, Sat 11 (worked)"},
		{"FridayEvening", at(2025, 9, 26, 19, 0), at(2025, 9, 30, 17, 30), "the day of dispatch never counts, whatever the hour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := run(t, &p, escalation.Case{},
				step{act("gw1"), report("C-nd"), tt.dispatch.Add(-time.Hour)},
				step{act("qhdisp"), escalation.File{}, tt.dispatch.Add(-30 * time.Minute)},
				step{act("qhdisp"), escalation.Dispatch{}, tt.dispatch},
			)
			if !c.Deadline.Equal(tt.want) {
				t.Errorf("Deadline = %s, want %s (%s)", c.Deadline, tt.want, tt.reason)
			}
			handle, ok := p.Timeline(c, escalation.Env{Calendar: calendar.Default()}).Resolution()
			if !ok || !handle.Deadline.Equal(tt.want) {
				t.Errorf("Timeline().Resolution() = %+v, %v; want deadline %s", handle, ok, tt.want)
			}
		})
	}

	// Reporting back on the deadline is on time; the next working morning is late.
	for _, tt := range []struct {
		back   time.Time
		onTime bool
		reason string
	}{
		{at(2025, 9, 30, 17, 30), true, "the deadline itself is on time"},
		{at(2025, 10, 5, 12, 0), false, "a holiday after the deadline is late already"},
		{at(2025, 10, 9, 8, 30), false, "the first working instant after the holiday is late"},
	} {
		c := run(t, &p, escalation.Case{},
			step{act("gw1"), report("C-nd2"), fri},
			step{act("qhdisp"), escalation.File{}, fri.Add(30 * time.Minute)},
			step{act("qhdisp"), escalation.Dispatch{}, fri.Add(time.Hour)},
			step{act("qhlaw1"), escalation.Accept{}, fri.Add(2 * time.Hour)},
			step{act("qhlaw1"), escalation.ReportBack{}, tt.back},
		)
		h, _ := p.Timeline(c, escalation.Env{Calendar: calendar.Default()}).Resolution()
		if h.OnTime() != tt.onTime {
			t.Errorf("reported back at %s: OnTime() = %v, want %v (%s)", tt.back, h.OnTime(), tt.onTime, tt.reason)
		}
	}
}

// TestTimeline_PauseAndCycles parks a case for a stretch of working time, returns it
// once and sends it to rework once, and checks that the deadlines move by exactly the
// paused working time, that every cycle is kept with its outcome, and that each cycle
// starts its own handle timer.
func TestTimeline_PauseAndCycles(t *testing.T) {
	p := policy()
	cal := calendar.Default()
	mon := at(2025, 11, 3, 9, 0) // Monday
	c := run(t, &p, escalation.Case{},
		step{act("gw1"), report("C-cy"), mon},
		step{act("qhdisp"), escalation.File{}, mon.Add(10 * time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{To: deptUM}, mon.Add(20 * time.Minute)},               // cycle 1
		step{act("um1"), escalation.Return{Reason: "street matter"}, mon.Add(40 * time.Minute)},       // ends it
		step{act("qhdisp"), escalation.Dispatch{}, mon.Add(60 * time.Minute)},                         // cycle 2, 10:00
		step{act("qhlaw1"), escalation.Accept{}, mon.Add(70 * time.Minute)},                           //
		step{act("qhdisp"), escalation.Park{Reason: "waiting for the owner"}, at(2025, 11, 3, 16, 0)}, // Mon 16:00
		step{act("qhdisp"), escalation.Resume{}, at(2025, 11, 5, 10, 0)},                              // Wed 10:00
		step{act("qhlaw1"), escalation.ReportBack{}, at(2025, 11, 6, 9, 0)},                           //
		step{act("gw2"), escalation.Verify{Reason: "the stall is back"}, at(2025, 11, 6, 10, 0)},      // cycle 3
	)
	tl := p.Timeline(c, escalation.Env{Calendar: cal})

	wantCycles := []escalation.Cycle{
		{N: 1, Start: mon.Add(20 * time.Minute), End: mon.Add(40 * time.Minute), Owner: deptUM, Outcome: escalation.OutcomeReturned},
		{N: 2, Start: mon.Add(60 * time.Minute), End: at(2025, 11, 6, 10, 0), Owner: qinhongLaw, Outcome: escalation.OutcomeRework},
		{N: 3, Start: at(2025, 11, 6, 10, 0), Owner: qinhongLaw},
	}
	if diff := cmp.Diff(wantCycles, tl.Cycles); diff != "" {
		t.Errorf("Cycles mismatch (-want +got):\n%s", diff)
	}
	wantPauses := []escalation.Pause{{From: at(2025, 11, 3, 16, 0), To: at(2025, 11, 5, 10, 0)}}
	if diff := cmp.Diff(wantPauses, tl.Pauses); diff != "" {
		t.Errorf("Pauses mismatch (-want +got):\n%s", diff)
	}

	// Cycle 2's handle timer: 3 working days from Mon 10:00 end Thu 17:30 (6h on Monday
	// and 7h30m on each of Tue, Wed and Thu: 28h30m of working time); parked Mon 16:00–Wed 10:00 = 1h30m + 7h30m + 1h30m = 10h30m.
	h2, ok := tl.Timer(escalation.StepHandle, 2)
	if !ok {
		t.Fatal("no handle timer for cycle 2")
	}
	if h2.Budget != 28*time.Hour+30*time.Minute {
		t.Errorf("cycle 2 budget = %s, want 28h30m", h2.Budget)
	}
	if h2.Paused != 10*time.Hour+30*time.Minute {
		t.Errorf("cycle 2 paused = %s, want 10h30m", h2.Paused)
	}
	if want := cal.Add(at(2025, 11, 6, 17, 30), 10*time.Hour+30*time.Minute); !h2.Deadline.Equal(want) {
		t.Errorf("cycle 2 deadline = %s, want %s (Thu 17:30 + 10h30m of working time)", h2.Deadline, want)
	}
	if !h2.OnTime() {
		t.Errorf("cycle 2 reported back Thu 09:00 before its deadline %s, OnTime() = false", h2.Deadline)
	}
	if got, want := tl.Elapsed(h2, at(2025, 11, 10, 9, 0)), cal.Between(h2.Start, h2.Stop)-h2.Paused; got != want {
		t.Errorf("Elapsed(cycle 2) = %s, want %s (stopped, pause excluded)", got, want)
	}
	// Cycle 1's timers stopped at the return and ignore the later pause.
	h1, _ := tl.Timer(escalation.StepHandle, 1)
	if h1.Paused != 0 || !h1.Stop.Equal(mon.Add(40*time.Minute)) {
		t.Errorf("cycle 1 handle timer = %+v, want stopped at the return, never paused", h1)
	}
	// Cycle 3 runs from the rework with a fresh 3-working-day budget: Thu 10:00 → Tue 17:30.
	h3, _ := tl.Resolution()
	if h3.Cycle != 3 || !h3.Running() || !h3.Deadline.Equal(at(2025, 11, 11, 17, 30)) {
		t.Errorf("Resolution() = %+v, want cycle 3 running, due Tue 11 Nov 17:30", h3)
	}
	if !c.Deadline.Equal(h3.Deadline) {
		t.Errorf("Case.Deadline = %s, want the running handle deadline %s", c.Deadline, h3.Deadline)
	}

	// While parked the clock stands still: no deadline, elapsed frozen.
	parked := run(t, &p, escalation.Case{},
		step{act("gw1"), report("C-pk"), mon},
		step{act("qhdisp"), escalation.File{}, mon.Add(10 * time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{}, mon.Add(20 * time.Minute)},
		step{act("qhdisp"), escalation.Park{Reason: "waiting"}, mon.Add(80 * time.Minute)},
	)
	ptl := p.Timeline(parked, escalation.Env{Calendar: cal})
	ph, _ := ptl.Resolution()
	if !ph.Deadline.IsZero() || !ptl.Paused() {
		t.Errorf("parked: Resolution() = %+v, Paused() = %v; want no deadline while parked", ph, ptl.Paused())
	}
	if e1, e2 := ptl.Elapsed(ph, at(2025, 11, 4, 9, 0)), ptl.Elapsed(ph, at(2025, 11, 20, 9, 0)); e1 != time.Hour || e2 != time.Hour {
		t.Errorf("parked: Elapsed = %s then %s, want 1h both times", e1, e2)
	}
	if !parked.NextCheck.IsZero() {
		t.Errorf("parked: NextCheck = %s, want zero (nothing can fall due)", parked.NextCheck)
	}
}

// TestEscalation_OncePerLevel lets an ordinary case run late and drives the scheduler
// every 20 minutes for three weeks: the case warns once, then rises grid → community →
// street → district, each level exactly once, at 100%, 150% and 200% of its
// 3-working-day limit, and never goes down.
func TestEscalation_OncePerLevel(t *testing.T) {
	p := policy()
	cal := calendar.Default()
	mon := at(2025, 11, 3, 9, 0)
	c := run(t, &p, escalation.Case{},
		step{act("gw1"), report("C-late"), mon},
		step{act("qhdisp"), escalation.File{}, mon.Add(10 * time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{}, mon.Add(20 * time.Minute)},
		step{act("qhlaw1"), escalation.Accept{}, mon.Add(30 * time.Minute)},
	)
	budget := cal.Between(mon.Add(20*time.Minute), at(2025, 11, 6, 17, 30))
	wantAt := map[hierarchy.Level]time.Time{
		hierarchy.LevelCommunity: at(2025, 11, 6, 17, 30),
		hierarchy.LevelStreet:    cal.Add(mon.Add(20*time.Minute), budget*150/100),
		hierarchy.LevelDistrict:  cal.Add(mon.Add(20*time.Minute), budget*200/100),
	}
	seen := map[hierarchy.Level]int{}
	warns := 0
	prev := 0
	levels := p.Escalation.Levels
	for now := mon; now.Before(mon.AddDate(0, 0, 21)); now = now.Add(20 * time.Minute) {
		for _, d := range p.DueFor(c, now, escalation.Env{Calendar: cal}) {
			next, _, err := p.Apply(c, d.Command, now, env(t, system))
			if err != nil {
				t.Fatalf("%s: Apply(%+v) = %v", now, d, err)
			}
			c = next
			switch d.Kind {
			case escalation.DueWarn:
				warns++
			case escalation.DueEscalate:
				seen[d.Level]++
				if want := wantAt[d.Level]; d.At.Compare(want) != 0 || now.Before(want) || now.Sub(want) >= 20*time.Minute {
					t.Errorf("escalation to %s due at %s, applied at %s; want due at %s", d.Level, d.At, now, want)
				}
			}
			if i := indexOf(levels, c.Level); i < prev {
				t.Fatalf("level went down from %s to %s", levels[prev], c.Level)
			} else {
				prev = i
			}
		}
	}
	if diff := cmp.Diff(map[hierarchy.Level]int{hierarchy.LevelCommunity: 1, hierarchy.LevelStreet: 1, hierarchy.LevelDistrict: 1}, seen); diff != "" {
		t.Errorf("escalations per level mismatch (-want +got):\n%s", diff)
	}
	if warns != 1 {
		t.Errorf("warnings = %d, want 1 (respond and handle: respond stopped before its warning)", warns)
	}
	if c.Level != hierarchy.LevelDistrict || !c.NextCheck.IsZero() {
		t.Errorf("after three weeks: Level = %s, NextCheck = %s; want district and nothing pending", c.Level, c.NextCheck)
	}
	// Each escalation names the supervising unit of its level.
	var units []hierarchy.UnitID
	for _, e := range c.History {
		if e.Action == escalation.ActionEscalate {
			units = append(units, e.Unit)
		}
	}
	if diff := cmp.Diff([]hierarchy.UnitID{zhongpai, qinhong, district}, units); diff != "" {
		t.Errorf("escalation units mismatch (-want +got):\n%s", diff)
	}
}

func indexOf(ls []hierarchy.Level, l hierarchy.Level) int {
	for i, x := range ls {
		if x == l {
			return i
		}
	}
	return -1
}
