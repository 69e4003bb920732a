package escalation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/memstore"
)

// unitCalendars gives the district command centre a 24×7 calendar and 秦虹街道 office
// hours of 09:00–12:00 and 14:00–18:00, which its offices inherit; every other unit
// keeps the default calendar.
func unitCalendars(tb testing.TB) *calendar.Set {
	tb.Helper()
	s, err := calendar.NewSetFromOptions(calendar.SetOptions{Units: map[string]*calendar.Options{
		string(districtCmd): {AllDay: true},
		string(qinhong):     {Hours: []calendar.Span{{Start: "09:00", End: "12:00"}, {Start: "14:00", End: "18:00"}}},
	}})
	require.NoError(tb, err)
	return s
}

// dispatcherFor is who may dispatch a case in grid1 to unit to: the district's
// dispatcher for the district command centre, which lies outside the street's
// jurisdiction, else the street's.
func dispatcherFor(to hierarchy.UnitID) hierarchy.Actor {
	if to == districtCmd {
		return act("ddisp")
	}
	return act("qhdisp")
}

// dispatchedTo reports, files and dispatches an ordinary stall in grid1 to unit to,
// dispatching at d, on the calendars of set; a case for the district command centre
// is accepted a minute later, so that only its handle timer runs on.
func dispatchedTo(tb testing.TB, p *escalation.Policy, set *calendar.Set, id escalation.CaseID, to hierarchy.UnitID, d time.Time) escalation.Case {
	tb.Helper()
	c := escalation.Case{}
	for _, s := range []step{
		{act("gw1"), report(id), d.Add(-time.Hour)},
		{act("qhdisp"), escalation.File{}, d.Add(-30 * time.Minute)},
		{dispatcherFor(to), escalation.Dispatch{To: to}, d},
		{act("ddisp"), escalation.Accept{}, d.Add(time.Minute)},
	} {
		if _, ok := s.cmd.(escalation.Accept); ok && to != districtCmd {
			break
		}
		e := env(tb, s.who)
		e.Calendars = set
		next, _, err := p.Apply(c, s.cmd, s.at, e)
		require.NoError(tb, err)
		c = next
	}
	return c
}

// TestCalendars_OwnerDecides dispatches the same case on Tuesday 30 September 2025,
// the last working day before the National Day holiday, to units on different
// calendars: three working days of a 24×7 unit run through the holiday, those of a
// street office wait for it to end.
func TestCalendars_OwnerDecides(t *testing.T) {
	p := policy()
	set := unitCalendars(t)
	d := at(2025, 9, 30, 9, 0)
	tests := []struct {
		name   string
		to     hierarchy.UnitID
		want   time.Time
		reason string
	}{
		{"CommandCentre24x7", districtCmd, at(2025, 10, 4, 0, 0),
			"24×7: the third day after the 30th is 3 October, ending at midnight; the holiday counts"},
		{"InheritedFromStreet", qinhongLaw, at(2025, 10, 11, 18, 0),
			"the bureau inherits 秦虹街道's hours: Thu 9, Fri 10, Sat 11 (worked in lieu), ending at 18:00"},
		{"Fallback", deptUM, at(2025, 10, 11, 17, 30),
			"a department with no calendar of its own or above it: the set's fallback, the default office hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dispatchedTo(t, &p, set, "C-cal", tt.to, d)
			if !c.Deadline.Equal(tt.want) {
				t.Errorf("Deadline = %s, want %s (%s)", c.Deadline, tt.want, tt.reason)
			}
			if want := set.For(string(tt.to), parentOf(tree(t))).AddDays(d, 3); !c.Deadline.Equal(want) {
				t.Errorf("Deadline = %s, want the owner's calendar's %s", c.Deadline, want)
			}
			// Without a set, Env.Calendar decides for everyone, as before.
			plain := run(t, &p, escalation.Case{},
				step{act("gw1"), report("C-cal"), d.Add(-time.Hour)},
				step{act("qhdisp"), escalation.File{}, d.Add(-30 * time.Minute)},
				step{dispatcherFor(tt.to), escalation.Dispatch{To: tt.to}, d},
			)
			if want := at(2025, 10, 11, 17, 30); !plain.Deadline.Equal(want) {
				t.Errorf("without a set: Deadline = %s, want %s", plain.Deadline, want)
			}
		})
	}
}

func parentOf(t *hierarchy.Tree) calendar.ParentFunc {
	return func(id string) (string, bool) {
		p, ok := t.Parent(hierarchy.UnitID(id))
		return string(p), ok
	}
}

// TestCalendars_TimerUnits checks which unit's calendar each timer runs on: the
// location's (the territory's platform) for filing, dispatch and verification, the
// owner's for responding and handling, and a rework keeps the owner's.
func TestCalendars_TimerUnits(t *testing.T) {
	p := policy()
	set := unitCalendars(t)
	d := at(2025, 9, 30, 9, 0)
	c := dispatchedTo(t, &p, set, "C-units", districtCmd, d)
	e := env(t, system)
	e.Calendars = set
	type row struct {
		Step  escalation.Step
		Cycle int
		Unit  hierarchy.UnitID
		Dead  time.Time
	}
	var got []row
	for _, tm := range p.Timeline(c, e).Timers {
		got = append(got, row{tm.Step, tm.Cycle, tm.Unit, tm.Deadline})
	}
	plat := set.For(string(grid1), parentOf(tree(t)))
	allDay := set.For(string(districtCmd), nil)
	lim := func(s escalation.Step, start time.Time) time.Time {
		l, _ := p.LimitFor(s, "E05", escalation.Ordinary)
		cal := plat
		if s == escalation.StepRespond || s == escalation.StepHandle {
			cal = allDay
		}
		switch {
		case l.WorkingDays > 0:
			return cal.AddDays(start, l.WorkingDays)
		case l.WorkingTime > 0:
			return cal.Add(start, time.Duration(l.WorkingTime))
		}
		return start.Add(time.Duration(l.ClockTime))
	}
	want := []row{
		{escalation.StepFile, 0, grid1, lim(escalation.StepFile, d.Add(-time.Hour))},
		{escalation.StepDispatch, 0, grid1, lim(escalation.StepDispatch, d.Add(-30*time.Minute))},
		{escalation.StepRespond, 1, districtCmd, lim(escalation.StepRespond, d)},
		{escalation.StepHandle, 1, districtCmd, lim(escalation.StepHandle, d)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Timeline() timers mismatch (-want +got):\n%s", diff)
	}
	// Elapsed runs on the timer's own calendar: a night of the 24×7 centre counts.
	h, ok := p.Timeline(c, e).Resolution()
	require.True(t, ok)
	if got, want := p.Timeline(c, e).Elapsed(h, d.Add(24*time.Hour)), 24*time.Hour; got != want {
		t.Errorf("Elapsed() over a day of the 24×7 centre = %s, want %s", got, want)
	}
}

// TestCalendars_Due: a case handled by the 24×7 command centre is late over the
// holiday and DueFor with the set lists its escalation, while the same case on office hours
// only warns; DueFor on one calendar ignores the set.
func TestCalendars_Due(t *testing.T) {
	p := policy()
	set := unitCalendars(t)
	d := at(2025, 9, 30, 9, 0)
	now := at(2025, 10, 6, 12, 0) // deep in the holiday: past 150% of three 24×7 days
	c := dispatchedTo(t, &p, set, "C-due", districtCmd, d)
	e := env(t, system)
	e.Calendars = set
	kinds := func(ds []escalation.Due) []string {
		var out []string
		for _, x := range ds {
			out = append(out, string(x.Kind)+":"+string(x.Level)+string(x.Step))
		}
		return out
	}
	tests := []struct {
		name   string
		got    []escalation.Due
		want   []string
		reason string
	}{
		{"DueForSet", p.DueFor(c, now, e), []string{"escalate:" + string(hierarchy.LevelCommunity), "escalate:" + string(hierarchy.LevelStreet)},
			"three 24×7 days from 30 September 09:00 end on 4 October 00:00 (87 h); 150% is 5 October 19:30, 200% 7 October 15:00"},
		{"DueForOneCalendar", p.DueFor(c, now, escalation.Env{Calendar: calendar.Default()}), nil,
			"on office hours not a minute has passed since the 30th's close of work"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, kinds(tt.got)); diff != "" {
				t.Errorf("due mismatch (-want +got) (%s):\n%s", tt.reason, diff)
			}
		})
	}
	// Apply agrees with DueFor: the escalation it lists is accepted with the set.
	for _, x := range p.DueFor(c, now, e) {
		next, _, err := p.Apply(c, x.Command, now, e)
		require.NoError(t, err, "Apply(%+v) listed by DueFor", x.Command)
		c = next
	}
	if got, want := c.Level, hierarchy.LevelStreet; got != want {
		t.Errorf("Level after the listed escalations = %s, want %s", got, want)
	}
	// The cached NextCheck, computed on the set, marks the next escalation.
	if c.NextCheck.IsZero() || len(p.DueFor(c, c.NextCheck, e)) == 0 || len(p.DueFor(c, c.NextCheck.Add(-time.Nanosecond), e)) != 0 {
		t.Errorf("NextCheck %s does not mark when DueFor first lists something", c.NextCheck)
	}
}

// TestCalendars_Service drives the same dispatch through two services, one with the
// units' calendars: only there does RunDue escalate over the holiday.
func TestCalendars_Service(t *testing.T) {
	ctx := context.Background()
	set := unitCalendars(t)
	d := at(2025, 9, 30, 9, 0)
	now := at(2025, 10, 6, 12, 0)
	tests := []struct {
		name   string
		cal    *calendar.Calendar
		set    *calendar.Set
		want   []hierarchy.Level
		reason string
	}{
		{"UnitCalendars", nil, set, []hierarchy.Level{hierarchy.LevelCommunity, hierarchy.LevelStreet},
			"the centre runs 24×7, so the holiday counts; no default calendar is needed with a set"},
		{"OneCalendar", calendar.Default(), nil, nil, "office hours: the holiday does not count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := escalation.NewPolicySet(policy())
			require.NoError(t, err)
			clock := gridgov.NewManualClock(d.Add(-time.Hour))
			svc, err := escalation.NewService(memstore.New(), ps, tree(t), tt.cal, &escalation.ServiceOptions{
				Clock: clock, IDs: gridgov.NewSeededIDGenerator(1), Calendars: tt.set})
			require.NoError(t, err)
			c, _, err := svc.Report(ctx, act("gw1"), report(""))
			require.NoError(t, err)
			clock.Set(d.Add(-30 * time.Minute))
			_, _, err = svc.Do(ctx, c.ID, act("qhdisp"), escalation.File{})
			require.NoError(t, err)
			clock.Set(d)
			_, _, err = svc.Do(ctx, c.ID, dispatcherFor(districtCmd), escalation.Dispatch{To: districtCmd})
			require.NoError(t, err)
			clock.Set(d.Add(time.Minute))
			_, _, err = svc.Do(ctx, c.ID, act("ddisp"), escalation.Accept{})
			require.NoError(t, err)
			clock.Set(now)
			done, err := svc.RunDue(ctx, now)
			require.NoError(t, err)
			var got []hierarchy.Level
			for _, x := range done {
				if x.Kind == escalation.DueEscalate {
					got = append(got, x.Level)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("RunDue() escalations mismatch (-want +got) (%s):\n%s", tt.reason, diff)
			}
			saved, err := svc.Get(ctx, c.ID)
			require.NoError(t, err)
			wantLevel := hierarchy.LevelGrid
			if n := len(tt.want); n > 0 {
				wantLevel = tt.want[n-1]
			}
			if saved.Level != wantLevel {
				t.Errorf("saved Level = %s, want %s", saved.Level, wantLevel)
			}
		})
	}
}

// TestCalendars_Required: a decision needs a calendar or a calendar set, and the
// service one or the other; nothing is decided without.
func TestCalendars_Required(t *testing.T) {
	p := policy()
	c, _, err := p.Apply(escalation.Case{}, report("C-req"), t0, escalation.Env{Tree: tree(t), Actor: act("gw1")})
	if !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != "env.required" {
		t.Errorf("Apply without calendars: err = %v, want ErrInvalid with rule env.required", err)
	}
	if c.ID != "" {
		t.Errorf("Apply without calendars returned case %q, want none", c.ID)
	}
	ps, err := escalation.NewPolicySet(policy())
	require.NoError(t, err)
	b := memstore.New()
	if _, err := escalation.NewService(b, ps, tree(t), nil, nil); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("NewService without calendars: err = %v, want ErrInvalid", err)
	}
	// With only a set, a decision runs.
	if _, _, err := p.Apply(escalation.Case{}, report("C-req"), t0, escalation.Env{Tree: tree(t), Calendars: unitCalendars(t), Actor: act("gw1")}); err != nil {
		t.Errorf("Apply with only a calendar set: %v", err)
	}
}
