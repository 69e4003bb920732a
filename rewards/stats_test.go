package rewards

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// streets maps grids to streets, standing in for a hierarchy.Tree.
type streets map[hierarchy.UnitID]hierarchy.UnitID

func (s streets) AncestorAt(id hierarchy.UnitID, l hierarchy.Level) (hierarchy.UnitID, bool) {
	st, ok := s[id]
	return st, ok && l == hierarchy.LevelStreet
}

func TestSummarize(t *testing.T) {
	mar, apr := t0, t0.AddDate(0, 1, 0)
	claims := []Claim{
		{ClaimInput: ClaimInput{Worker: "w1", Area: "A", Unit: "g1", Category: CategoryPolice, ReportedAt: mar}, State: StatePaid, Paid: 2000},
		{ClaimInput: ClaimInput{Worker: "w1", Area: "A", Unit: "g2", Category: CategoryEpidemic, ReportedAt: apr}, State: StatePaid, Paid: 1000},
		{ClaimInput: ClaimInput{Worker: "w2", Area: "A", Unit: "g1", Category: CategoryPolice, ReportedAt: mar}, State: StateRejected},
		{ClaimInput: ClaimInput{Worker: "w2", Area: "B", Unit: "g3", Category: CategoryPolice, ReportedAt: apr}, State: StateClawedBack, Paid: 5000, ClawedBack: 5000},
		{ClaimInput: ClaimInput{Worker: "w3", Area: "B", Unit: "g3", Category: CategoryPolice, ReportedAt: apr.AddDate(1, 0, 0)}, State: StatePaid, Paid: 700},
	}
	res := streets{"g1": "s1", "g2": "s1", "g3": "s2"}
	tests := []struct {
		name   string
		q      StatsQuery
		total  StatsRow
		rows   []StatsRow
		reason string
	}{
		{"Total", StatsQuery{}, StatsRow{Reports: 5, Rejected: 1, Rewarded: 4, Paid: 8700, ClawedBack: 5000, Net: 3700}, nil,
			"every report counts; a clawed-back claim was rewarded, then taken back"},
		{"ByStreetAndMonth", StatsQuery{By: []Dimension{ByStreet, ByMonth}, Streets: res, To: time.Date(2026, 1, 1, 0, 0, 0, 0, cst)},
			StatsRow{Reports: 4, Rejected: 1, Rewarded: 3, Paid: 8000, ClawedBack: 5000, Net: 3000},
			[]StatsRow{
				{Key: []string{"s1", "2025-03"}, Reports: 2, Rejected: 1, Rewarded: 1, Paid: 2000, Net: 2000},
				{Key: []string{"s1", "2025-04"}, Reports: 1, Rewarded: 1, Paid: 1000, Net: 1000},
				{Key: []string{"s2", "2025-04"}, Reports: 1, Rewarded: 1, Paid: 5000, ClawedBack: 5000},
			}, "streets come from the units through the resolver; the 2026 report is outside [From, To)"},
		{"ByWorker", StatsQuery{By: []Dimension{ByWorker}}, StatsRow{Reports: 5, Rejected: 1, Rewarded: 4, Paid: 8700, ClawedBack: 5000, Net: 3700},
			[]StatsRow{
				{Key: []string{"w1"}, Reports: 2, Rewarded: 2, Paid: 3000, Net: 3000},
				{Key: []string{"w2"}, Reports: 2, Rejected: 1, Rewarded: 1, Paid: 5000, ClawedBack: 5000},
				{Key: []string{"w3"}, Reports: 1, Rewarded: 1, Paid: 700, Net: 700},
			}, "one row per worker"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Summarize(claims, nil, tc.q)
			require.NoError(t, err)
			if diff := cmp.Diff(tc.total, st.Total); diff != "" {
				t.Errorf("Summarize() total mismatch (-want +got) (%s):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.rows, st.Rows); diff != "" {
				t.Errorf("Summarize() rows mismatch (-want +got) (%s):\n%s", tc.reason, diff)
			}
		})
	}
	if _, err := Summarize(claims, nil, StatsQuery{By: []Dimension{ByStreet}}); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Summarize(by street, no resolver) error = %v, want ErrInvalid", err)
	}
	if _, err := Summarize(claims, nil, StatsQuery{By: []Dimension{"colour"}}); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Summarize(unknown dimension) error = %v, want ErrInvalid", err)
	}
}

// TestService_QinhuaiHeadlineAtOneHundredth runs a hundredth of Qinhuai's reported
// figures (60,000 reports, ¥1,387,000 paid) through the whole service and reads them
// back from Stats: the simulation of the full year uses the same calls.
func TestService_QinhuaiHeadlineAtOneHundredth(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	for _, a := range []string{"A", "B", "C"} {
		f.open(a, Yuan(35000))
	}
	mix := []struct {
		n        int
		category string
		o        func(*ClaimInput)
	}{
		{495, CategoryPolice, outcome(OutcomeVerified, ContributionDirect)},      // ¥20
		{87, CategoryEpidemic, outcome(OutcomeVerified, "")},                     // ¥10
		{10, CategoryPolice, outcome(OutcomeCaseSolved, ContributionDirect)},     // ¥200
		{2, CategoryPolice, outcome(OutcomeCaptureByReport, ContributionDirect)}, // ¥300
		{1, CategoryPolice, outcome(OutcomeCaptureOnSpot, ContributionDirect)},   // ¥500
		{5, CategoryPolice, matter("M-dup")},                                     // duplicates of R0's matter
	}
	f.clock.Set(time.Date(2026, 1, 5, 9, 0, 0, 0, cst)) // every report of 2025 is in the past
	i := 0
	for _, m := range mix {
		for range m.n {
			in := report(fmt.Sprint("R", i), fmt.Sprint("w", i%50), []string{"A", "B", "C"}[i%3], m.o,
				reportedAt(time.Date(2025, time.Month(1+i%12), 1+i%28, 10, 0, 0, 0, cst)))
			in.Category = m.category
			if i == 0 {
				in.Matter = "M-dup"
			}
			c, err := f.svc.Submit(ctx, head, in)
			require.NoError(t, err)
			if c.State == StateClaimed {
				_, err = f.svc.Approve(ctx, c.ID, officer)
				require.NoError(t, err)
			}
			i++
		}
	}
	for _, a := range []string{"A", "B", "C"} {
		_, err := f.svc.Settle(ctx, a+"/2025", officer)
		require.NoError(t, err)
	}
	st, err := f.svc.Stats(ctx, StatsQuery{By: []Dimension{ByArea}})
	require.NoError(t, err)
	if st.Total.Reports != 600 || st.Total.Rewarded != 595 || st.Total.Net != Yuan(13870) {
		t.Errorf("Stats().Total = %d reports, %d rewarded, %v net; want 600, 595, ¥13,870.00", st.Total.Reports, st.Total.Rewarded, st.Total.Net)
	}
	var sum Fen
	for _, r := range st.Rows {
		sum += r.Net
	}
	if sum != st.Total.Net || len(st.Rows) != 3 {
		t.Errorf("area rows add up to %v in %d rows, want the total in 3", sum, len(st.Rows))
	}
	byCat := StatsQuery{By: []Dimension{ByCategory}}
	cat, err := f.svc.Stats(ctx, byCat)
	require.NoError(t, err)
	each, err := f.svc.StatsEach(ctx, StatsQuery{By: []Dimension{ByArea}}, byCat)
	require.NoError(t, err)
	if diff := cmp.Diff([]Stats{st, cat}, each); diff != "" {
		t.Errorf("StatsEach differs from Stats of each query (-Stats +StatsEach):\n%s", diff)
	}
	f.reconcileOK()
}

// TestSummarize_NeverWraps is rule money.overflow in statistics: totals that would
// pass the int64 range are an error, not a negative sum.
func TestSummarize_NeverWraps(t *testing.T) {
	big := Claim{ClaimInput: ClaimInput{ReportedAt: t0}, State: StatePaid, Paid: Fen(math.MaxInt64/2 + 1)}
	_, err := Summarize([]Claim{big, big}, nil, StatsQuery{})
	if !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != RuleMoneyOverflow {
		t.Errorf("Summarize(two halves of MaxInt64) error = %v, want ErrInvalid by %s", err, RuleMoneyOverflow)
	}
}

// TestService_StatsEach checks that the statistics read from the claims' summaries
// are those Summarize computes from the whole claims, for every grouping, over claims
// paid, reduced, rejected, clawed back and still waiting.
func TestService_StatsEach(t *testing.T) {
	p := QinhuaiPolicy()
	p.Schedule.WorkerCaps = []Cap{{Period: "month", Amount: Yuan(600)}}
	f := newFixture(t, p)
	ctx := t.Context()
	f.clock.Set(time.Date(2025, 6, 1, 9, 0, 0, 0, cst))
	f.open("A", Yuan(35000))
	f.open("B", Yuan(35000))
	onSpot := outcome(OutcomeCaptureOnSpot, ContributionDirect) // ¥500, reduced by the cap on a second claim
	for i := range 12 {
		in := report(fmt.Sprint("S", i), fmt.Sprint("w", i%3), []string{"A", "B"}[i%2], onSpot,
			reportedAt(time.Date(2025, time.Month(1+i%4), 3, 10, 0, 0, 0, cst)))
		if i%5 == 4 {
			in.Category = CategoryEpidemic
			in.Outcome, in.Contribution = OutcomeVerified, ""
		}
		if i == 1 {
			in.Matter = "M1"
		}
		f.approved(in)
	}
	// A later report of S1's matter is rejected.
	_, err := f.svc.Submit(ctx, head, report("S1-dup", "w2", "A", onSpot, matter("M1")))
	require.NoError(t, err)
	for _, a := range []string{"A", "B"} {
		_, err := f.svc.Settle(ctx, a+"/2025", officer)
		require.NoError(t, err)
	}
	_, err = f.svc.Clawback(ctx, "report:S0", officer, "the report was false")
	require.NoError(t, err)
	_, err = f.svc.Submit(ctx, head, report("S-wait", "w9", "B", onSpot, reportedAt(time.Date(2025, 5, 3, 10, 0, 0, 0, cst))))
	require.NoError(t, err)

	whole, err := f.svc.Claims(ctx, "")
	require.NoError(t, err)
	states := map[ClaimState]int{}
	for _, c := range whole {
		states[c.State]++
	}
	if states[StatePaid] == 0 || states[StateClawedBack] == 0 || states[StateRejected] == 0 || states[StateClaimed] == 0 {
		t.Fatalf("claims by state = %v, want paid, clawed-back, rejected and claimed ones", states)
	}
	res := streets{"grid-1": "s1"}
	var qs []StatsQuery
	for _, by := range [][]Dimension{nil, {ByWorker}, {ByArea}, {ByStreet}, {ByMonth}, {ByYear}, {ByCategory}, {ByCategory, ByMonth}} {
		qs = append(qs, StatsQuery{By: by, Streets: res})
	}
	qs = append(qs, StatsQuery{By: []Dimension{ByWorker}, From: time.Date(2025, 2, 1, 0, 0, 0, 0, cst), To: time.Date(2025, 4, 1, 0, 0, 0, 0, cst)})
	got, err := f.svc.StatsEach(ctx, qs...)
	require.NoError(t, err)
	for i, q := range qs {
		want, err := Summarize(whole, nil, q)
		require.NoError(t, err)
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Errorf("StatsEach by %v differs from Summarize of the whole claims (-want +got):\n%s", q.By, diff)
		}
	}
}
