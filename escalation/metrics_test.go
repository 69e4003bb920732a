package escalation_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

func TestRate(t *testing.T) {
	for _, tt := range []struct {
		r      escalation.Rate
		places int
		want   int64
		str    string
		reason string
	}{
		{escalation.Rate{Num: 911, Den: 972}, 2, 9372, "911/972 (93.72%)", "the closure rate of GB/T 30428's example"},
		{escalation.Rate{Num: 737, Den: 972}, 2, 7582, "737/972 (75.82%)", "its on-time closure rate: 75.823% rounds down"},
		{escalation.Rate{Num: 911, Den: 972}, 0, 94, "911/972 (93.72%)", "93.72% to a whole percent"},
		{escalation.Rate{Num: 1, Den: 8}, 0, 13, "1/8 (12.50%)", "12.5% rounds half up"},
		{escalation.Rate{Num: 2, Den: 3}, 2, 6667, "2/3 (66.67%)", "66.666…% rounds up"},
		{escalation.Rate{Num: 1, Den: 3}, 6, 33333333, "1/3 (33.33%)", "six places"},
		{escalation.Rate{Num: 3, Den: 3}, 9, 100000000, "3/3 (100.00%)", "more than six places are capped at six"},
		{escalation.Rate{}, 2, 0, "0/0 (–)", "an undefined rate is 0 and says so"},
	} {
		if got := tt.r.Percent(tt.places); got != tt.want {
			t.Errorf("%v.Percent(%d) = %d, want %d (%s)", tt.r, tt.places, got, tt.want, tt.reason)
		}
		if got := tt.r.String(); got != tt.str {
			t.Errorf("String() = %q, want %q (%s)", got, tt.str, tt.reason)
		}
	}
	if got := (escalation.Mean{Sum: 65 * time.Minute, N: 4}).Average(); got != 16*time.Minute+15*time.Second {
		t.Errorf("Mean.Average() = %s, want 16m15s", got)
	}
	if got := (escalation.Mean{Sum: 5 * time.Second, N: 2}).Average(); got != 3*time.Second {
		t.Errorf("Mean.Average() = %s, want 3s (2.5s rounds half up)", got)
	}
}

// metricCases builds the cases of TestCompute: seven cases in November 2025 and one
// reported in October, each with a known outcome.
func metricCases(t *testing.T, p *escalation.Policy) []escalation.Case {
	m := at(2025, 11, 3, 9, 0)
	min := func(n int) time.Time { return m.Add(time.Duration(n) * time.Minute) }
	cal := calendar.Default()
	// A: the whole loop on the first day, on time.
	a := run(t, p, escalation.Case{},
		step{act("gw1"), report("A"), m},
		step{act("qhdisp"), escalation.File{}, min(10)},
		step{act("qhdisp"), escalation.Dispatch{}, min(20)},
		step{act("qhlaw1"), escalation.Accept{}, min(60)},
		step{act("qhlaw1"), escalation.ReportBack{}, min(120)},
		step{act("gw2"), escalation.Verify{Passed: true}, min(180)},
		step{act("qhdisp"), escalation.Close{}, min(240)},
	)
	// B: solved on the spot.
	sh := report("B")
	sh.SelfHandled = true
	b := run(t, p, escalation.Case{}, step{act("gw1"), sh, min(30)})
	// C: a wrong dispatch returned, a rework, reported back late, closed.
	c := run(t, p, escalation.Case{},
		step{act("gw1"), report("C"), m},
		step{act("qhdisp"), escalation.File{}, min(5)},
		step{act("qhdisp"), escalation.Dispatch{To: deptUM}, min(10)},
		step{act("um1"), escalation.Return{Reason: "street matter"}, min(15)},
		step{act("qhdisp"), escalation.Dispatch{}, min(20)},
		step{act("qhlaw1"), escalation.Accept{}, min(25)},
		step{act("qhlaw1"), escalation.ReportBack{}, min(60)},
		step{act("gw2"), escalation.Verify{Reason: "still there"}, min(120)},
		step{act("qhlaw1"), escalation.ReportBack{}, at(2025, 11, 12, 10, 0)},
		step{act("gw2"), escalation.Verify{Passed: true}, at(2025, 11, 12, 11, 0)},
		step{act("qhdisp"), escalation.Close{}, at(2025, 11, 12, 12, 0)},
	)
	// D: accepted and forgotten; the scheduler escalates it to the district.
	d := run(t, p, escalation.Case{},
		step{act("gw1"), report("D"), m},
		step{act("qhdisp"), escalation.File{}, min(10)},
		step{act("qhdisp"), escalation.Dispatch{}, min(20)},
		step{act("qhlaw1"), escalation.Accept{}, min(30)},
	)
	for now := min(60); now.Before(at(2025, 11, 30, 0, 0)); now = now.Add(time.Hour) {
		for _, due := range p.DueFor(d, now, escalation.Env{Calendar: cal}) {
			d = run(t, p, d, step{system, due.Command, now})
		}
	}
	// E: voided.
	e := run(t, p, escalation.Case{},
		step{act("gw1"), report("E"), m},
		step{act("qhdisp"), escalation.Void{Reason: "duplicate of A"}, min(60)},
	)
	// F: a complex dispute whistled up: two of three summoned report in, one late;
	// resolved; closed on time.
	f := whistled(t, p)
	f.ID = "F"
	f = run(t, p, f,
		step{act("qhhead"), escalation.Summon{Units: []hierarchy.UnitID{deptUM, deptWat}}, min(65)},
		step{act("um1"), escalation.ReportIn{}, min(120)},
		step{act("wat1"), escalation.ReportIn{}, at(2025, 11, 5, 9, 0)},
		step{act("qhhead"), escalation.ConcludeWhistle{Resolved: true, Outcome: "solved together"}, at(2025, 11, 6, 9, 0)},
		step{act("zpdir"), escalation.ReportBack{}, at(2025, 11, 10, 10, 0)},
		step{act("qhinsp"), escalation.Verify{Passed: true}, at(2025, 11, 10, 11, 0)},
		step{act("qhdisp"), escalation.Close{}, at(2025, 11, 10, 12, 0)},
	)
	// G: reported in October in 夫子庙, closed in November.
	g := run(t, p, escalation.Case{},
		step{act("gw3"), escalation.Report{ID: "G", Source: escalation.SourcePatrol, Category: "E05", Location: escalation.Location{Unit: grid4}}, at(2025, 10, 27, 9, 0)},
		step{act("fzdisp"), escalation.File{}, at(2025, 10, 27, 9, 10)},
		step{act("fzdisp"), escalation.Dispatch{}, at(2025, 10, 27, 9, 20)},
		step{act("fzlaw1"), escalation.Accept{}, at(2025, 10, 27, 9, 30)},
		step{act("fzlaw1"), escalation.ReportBack{}, at(2025, 10, 28, 10, 0)},
		step{act("fzdisp"), escalation.Verify{Passed: true}, at(2025, 10, 28, 11, 0)},
		step{act("fzdisp"), escalation.Close{}, at(2025, 11, 3, 10, 0)},
	)
	return []escalation.Case{a, b, c, d, e, f, g}
}

func TestCompute(t *testing.T) {
	p := policy()
	ps, err := escalation.NewPolicySet(p)
	require.NoError(t, err)
	cases := metricCases(t, &p)
	nov := escalation.Period{From: at(2025, 11, 1, 0, 0), To: at(2025, 12, 1, 0, 0)}
	want := escalation.Metrics{
		Reported:          6, // A–F; G was reported in October
		Voided:            1, // E
		Closed:            5, // A, B, C, F, G
		SelfHandled:       1, // B
		Escalations:       5, // D rose three levels, F two with its whistle
		Whistles:          1,
		InGrid:            escalation.Rate{Num: 4, Den: 5},              // F rose with its whistle
		Closure:           escalation.Rate{Num: 3, Den: 4},              // due: A, C, D (6 Nov), F (17 Nov); D is open
		OnTimeClosure:     escalation.Rate{Num: 2, Den: 4},              // C's rework was reported back late
		Rework:            escalation.Rate{Num: 1, Den: 4},              // C, of A, C, F, G
		AccurateDispatch:  escalation.Rate{Num: 4, Den: 5},              // C's first dispatch was returned
		WhistleResolution: escalation.Rate{Num: 1, Den: 1},              //
		ReportInOnTime:    escalation.Rate{Num: 1, Den: 3},              // the water department late, the leader never
		FirstResponse:     escalation.Mean{Sum: 65 * time.Minute, N: 4}, // A 40m, C 5m, D 10m, F 10m
		Trend:             map[string][]int64{"E05": {5, 0, 0, 0, 0}, "G01": {1, 0, 0, 0, 0}},
	}
	got := escalation.Compute(slices.Values(cases), ps, calendar.Default(), escalation.MetricsOptions{Period: nov, Window: 7 * 24 * time.Hour})
	if diff := cmp.Diff(want, got.Total); diff != "" {
		t.Errorf("Compute().Total mismatch (-want +got):\n%s", diff)
	}
	if got.Units != nil {
		t.Errorf("Units = %v without a tree, want nil", got.Units)
	}

	// Per unit, rolled up: the district is the total; 夫子庙 holds G alone.
	byUnit := escalation.Compute(slices.Values(cases), ps, calendar.Default(),
		escalation.MetricsOptions{Period: nov, Window: 7 * 24 * time.Hour, Tree: tree(t)})
	if diff := cmp.Diff(want, byUnit.Total); diff != "" {
		t.Errorf("Compute(tree).Total mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, *byUnit.Units[district]); diff != "" {
		t.Errorf("district mismatch (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		unit             hierarchy.UnitID
		reported, closed int64
		reason           string
	}{
		{grid1, 6, 4, "A–F lie in grid 1"},
		{zhongpai, 6, 4, "grid 1's community"},
		{qinhong, 6, 4, "grid 1's street"},
		{grid4, 0, 1, "G lies in 夫子庙's grid"},
		{fuzimiao, 0, 1, "G rolled up to its street"},
	} {
		m := byUnit.Units[tt.unit]
		if m == nil || m.Reported != tt.reported || m.Closed != tt.closed {
			t.Errorf("Units[%s] = %+v, want reported %d closed %d (%s)", tt.unit, m, tt.reported, tt.closed, tt.reason)
		}
	}
	if _, ok := byUnit.Units[kangju]; ok {
		t.Error("Units holds 康居里, which has no cases")
	}
	byOwner := escalation.Compute(slices.Values(cases), ps, calendar.Default(), escalation.MetricsOptions{Period: nov, Tree: tree(t), By: escalation.ByOwner})
	// A case counts for one unit: C's dispatch to the department, returned, counts for
	// the bureau that owns C now.
	if m := byOwner.Units[qinhongLaw]; m == nil || m.Closed != 2 || m.AccurateDispatch != (escalation.Rate{Num: 3, Den: 4}) {
		t.Errorf("Units[秦虹 law enforcement] by owner = %+v, want A and C closed, 3 of the 4 dispatches of A, C, D accurate", m)
	}
	if m := byOwner.Units[deptUM]; m != nil {
		t.Errorf("Units[dept] by owner = %+v: C was returned by it and now belongs to the street", m)
	}

	// Cases under a policy version the set lacks are skipped.
	stray := cases[0]
	stray.PolicyVersion = "unknown"
	if got := escalation.Compute(slices.Values([]escalation.Case{stray}), ps, calendar.Default(), escalation.MetricsOptions{Period: nov}); got.Total.Reported != 0 {
		t.Errorf("a case under an unknown policy counted: %+v", got.Total)
	}
}

// TestMetrics_Add checks that metrics computed over two parts of the cases and added
// equal the metrics of all of them, counts, rates, means and trends alike.
func TestMetrics_Add(t *testing.T) {
	p := policy()
	ps, err := escalation.NewPolicySet(p)
	require.NoError(t, err)
	cases := metricCases(t, &p)
	opts := escalation.MetricsOptions{
		Period: escalation.Period{From: at(2025, 11, 1, 0, 0), To: at(2025, 12, 1, 0, 0)},
		Window: 7 * 24 * time.Hour,
	}
	all := escalation.Compute(slices.Values(cases), ps, calendar.Default(), opts).Total
	for split := range len(cases) + 1 {
		var sum escalation.Metrics
		sum.Add(escalation.Compute(slices.Values(cases[:split]), ps, calendar.Default(), opts).Total)
		sum.Add(escalation.Compute(slices.Values(cases[split:]), ps, calendar.Default(), opts).Total)
		if diff := cmp.Diff(all, sum, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("split at %d: sum of the parts differs from the whole (-whole +sum):\n%s", split, diff)
		}
	}
}
