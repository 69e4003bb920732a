package escalation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
)

// example2027 is a holiday notice for 2027 in the calendar's text format, as a
// district would load it the day the State Council publishes it. Its dates are an
// example for the tests (a Monday given off and a Saturday worked), not the real
// notice.
const example2027 = `# 2027 (example)
2027-01-01 off 元旦
2027-01-04 off 元旦
2027-01-09 work 元旦调休
`

func load2027(t *testing.T, strict bool) *calendar.Calendar {
	t.Helper()
	days, err := calendar.ParseText(strings.NewReader(example2027))
	if err != nil {
		t.Fatal(err)
	}
	c, err := calendar.New(&calendar.Options{Days: days, Strict: strict})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// dispatchAt files and dispatches an ordinary case (three working days to handle)
// at the given instant under env's calendar.
func dispatchAt(t *testing.T, p *escalation.Policy, cal *calendar.Calendar, id escalation.CaseID, at time.Time) escalation.Case {
	t.Helper()
	var c escalation.Case
	for i, s := range []step{
		{act("gw1"), report(id), at.Add(-time.Hour)},
		{act("qhdisp"), escalation.File{}, at.Add(-30 * time.Minute)},
		{act("qhdisp"), escalation.Dispatch{}, at},
	} {
		e := env(t, s.who)
		e.Calendar = cal
		next, _, err := p.Apply(c, s.cmd, s.at, e)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		c = next
	}
	return c
}

// TestDeadline_ProvisionalYearIsMarkedAndRefreshedByTheNotice is the rule that a
// deadline depending on a year without notice is counted on the statutory holidays
// and marked provisional in the case's timeline, and that loading the notice and
// refreshing the case recomputes the deadline and clears the mark.
func TestDeadline_ProvisionalYearIsMarkedAndRefreshedByTheNotice(t *testing.T) {
	p := policy()
	dispatch := at(2026, 12, 30, 10, 0) // Wednesday
	c := dispatchAt(t, &p, calendar.Default(), "C-prov", dispatch)

	// Thursday 31 December, then 元旦 Friday 1 January 2027 (statutory) and the weekend:
	// Monday 4 and Tuesday 5.
	want := at(2027, 1, 5, 17, 30)
	if !c.Deadline.Equal(want) || !c.DeadlineProvisional || c.DeadlineRefused {
		t.Errorf("Deadline = %s (provisional %v, refused %v), want %s provisional", c.Deadline, c.DeadlineProvisional, c.DeadlineRefused, want)
	}
	h, ok := p.Timeline(c, escalation.Env{Calendar: calendar.Default()}).Resolution()
	if !ok || !h.Deadline.Equal(want) || !h.Provisional || h.Basis() != escalation.BasisProvisional {
		t.Errorf("Resolution() = deadline %s, basis %q; want %s, provisional", h.Deadline, h.Basis(), want)
	}

	// The notice is published: load it and refresh through the existing path.
	cal := load2027(t, false)
	r := p.Refresh(c, escalation.Env{Calendar: cal})
	// Thursday 31, then Friday 1 and Monday 4 off by the notice: Tuesday 5, Wednesday 6.
	want = at(2027, 1, 6, 17, 30)
	if !r.Deadline.Equal(want) || r.DeadlineProvisional {
		t.Errorf("after loading 2027: Deadline = %s (provisional %v), want %s, final", r.Deadline, r.DeadlineProvisional, want)
	}
	h, _ = p.Timeline(r, escalation.Env{Calendar: cal}).Resolution()
	if h.Provisional || h.Basis() != escalation.BasisNotice || !h.Deadline.Equal(want) {
		t.Errorf("after loading 2027: Resolution() = deadline %s, basis %q; want %s on the notice", h.Deadline, h.Basis(), want)
	}

	// A case wholly inside a noticed year is never marked.
	in := dispatchAt(t, &p, calendar.Default(), "C-2026", at(2026, 6, 1, 10, 0))
	if in.DeadlineProvisional || in.DeadlineRefused {
		t.Errorf("a June 2026 case is marked provisional %v refused %v, want neither", in.DeadlineProvisional, in.DeadlineRefused)
	}
}

// TestDeadline_StrictCalendarRefusesProvisionalDeadline is the rule that a strict
// calendar refuses a deadline that would depend on a year without notice: no
// deadline, no warning or escalation from it, until the notice is loaded and the
// case refreshed.
func TestDeadline_StrictCalendarRefusesProvisionalDeadline(t *testing.T) {
	p := policy()
	strict, err := calendar.New(&calendar.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	c := dispatchAt(t, &p, strict, "C-strict", at(2026, 12, 30, 10, 0))
	if !c.Deadline.IsZero() || !c.DeadlineRefused {
		t.Errorf("strict: Deadline = %s, refused %v; want no deadline, refused", c.Deadline, c.DeadlineRefused)
	}
	h, _ := p.Timeline(c, escalation.Env{Calendar: strict}).Resolution()
	if h.Basis() != escalation.BasisRefused || !h.Deadline.IsZero() {
		t.Errorf("strict: Resolution() basis %q deadline %s, want refused and zero", h.Basis(), h.Deadline)
	}
	late := at(2027, 2, 1, 9, 0)
	for _, d := range p.DueFor(c, late, escalation.Env{Calendar: strict}) {
		if d.Kind == escalation.DueEscalate || d.Kind == escalation.DueWarn {
			t.Errorf("strict: DueFor lists %+v from a refused deadline", d)
		}
	}

	cal := load2027(t, true)
	r := p.Refresh(c, escalation.Env{Calendar: cal})
	if want := at(2027, 1, 6, 17, 30); !r.Deadline.Equal(want) || r.DeadlineRefused || r.DeadlineProvisional {
		t.Errorf("strict after loading 2027: Deadline = %s (refused %v, provisional %v), want %s", r.Deadline, r.DeadlineRefused, r.DeadlineProvisional, want)
	}
	escalates := false
	for _, d := range p.DueFor(r, late, escalation.Env{Calendar: cal}) {
		escalates = escalates || d.Kind == escalation.DueEscalate
	}
	if !escalates {
		t.Errorf("strict after loading 2027: DueFor at %s lists no escalation for a case late since 6 January", late)
	}
}
