package rewards

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

func TestPlanAward(t *testing.T) {
	type S = map[hierarchy.PersonID]int64
	tests := []struct {
		name     string
		policy   YearEndPolicy
		balance  Fen
		scores   S
		wantPool Fen
		want     []AwardLine
		reason   string
	}{
		{"EqualCumulativeRounding", YearEndPolicy{Share: 5000, Top: 3, Split: SplitEqual}, 10001, S{"a": 3, "b": 2, "c": 1},
			5001, []AwardLine{{1, "a", 3, 1667}, {2, "b", 2, 1667}, {3, "c", 1, 1667}},
			"half of 10001 fen is 5000.5, rounded up once; thirds of 5001 add up exactly"},
		{"ProportionalTiesByID", YearEndPolicy{Share: One, Top: 2, Split: SplitProportional}, 1000, S{"b": 300, "a": 300, "c": 100},
			1000, []AwardLine{{1, "a", 300, 500}, {2, "b", 300, 500}},
			"equal scores rank by worker ID, and c falls outside the top 2"},
		{"ProportionalRounding", YearEndPolicy{Share: One, Top: 3, Split: SplitProportional}, 100, S{"a": 1, "b": 1, "c": 1},
			100, []AwardLine{{1, "a", 1, 33}, {2, "b", 1, 34}, {3, "c", 1, 33}},
			"cumulative rounding: 33.3 → 33, 66.7 → 67 (34), 100 → 100 (33): the lines add up to the pool"},
		{"FixedShares", YearEndPolicy{Share: 5000, Top: 3, Split: SplitShares, Shares: []Rate{5000, 3000, 2000}}, Yuan(1000), S{"a": 9, "b": 5},
			Yuan(500), []AwardLine{{1, "a", 9, Yuan(250)}, {2, "b", 5, Yuan(150)}},
			"ranks without a worker leave their share in the fund"},
		{"OnlyPositiveScoresRank", YearEndPolicy{Share: One, Top: 5, Split: SplitEqual}, 100, S{"a": 0, "b": -5, "c": 1},
			100, []AwardLine{{1, "c", 1, 100}},
			"a worker with nothing to show is not awarded"},
		{"NobodyRanks", YearEndPolicy{Share: One, Top: 5, Split: SplitEqual}, 100, S{},
			100, nil, "no lines: the pool stays in the fund"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pool, lines, err := PlanAward(tc.policy, tc.balance, tc.scores)
			require.NoError(t, err, tc.reason)
			if pool != tc.wantPool {
				t.Errorf("PlanAward() pool = %d, want %d (%s)", pool, tc.wantPool, tc.reason)
			}
			if diff := cmp.Diff(tc.want, lines); diff != "" {
				t.Errorf("PlanAward() mismatch (-want +got) (%s):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestService_YearEndAward(t *testing.T) {
	f := newFixture(t, QinhuaiPolicy())
	ctx := t.Context()
	f.open("A", Yuan(35000))
	// w1 earns ¥700, w2 ¥500, w3 ¥200, w4 ¥500 then loses it to a clawback.
	pays := []struct {
		id, worker string
		o          func(*ClaimInput)
	}{
		{"R1", "w1", outcome(OutcomeCaptureOnSpot, ContributionDirect)},
		{"R2", "w1", outcome(OutcomeCaseSolved, ContributionDirect)},
		{"R3", "w2", outcome(OutcomeCaptureOnSpot, ContributionDirect)},
		{"R4", "w3", outcome(OutcomeCaseSolved, ContributionDirect)},
		{"R5", "w4", outcome(OutcomeCaptureOnSpot, ContributionDirect)},
	}
	for _, p := range pays {
		c := f.approved(report(p.id, p.worker, "A", p.o))
		_, err := f.svc.Pay(ctx, c.ID, officer)
		require.NoError(t, err)
	}
	_, err := f.svc.Clawback(ctx, "report:R5", officer, "false report")
	require.NoError(t, err)

	a, err := f.svc.YearEndAward(ctx, chief, "A/2025", Ranking{})
	require.NoError(t, err)
	// Balance ¥35,000 − ¥1,400 = ¥33,600; half is the pool; proportional to 700:500:200.
	want := []AwardLine{{1, "w1", 70000, Yuan(8400)}, {2, "w2", 50000, Yuan(6000)}, {3, "w3", 20000, Yuan(2400)}}
	if diff := cmp.Diff(want, a.Lines); diff != "" || a.Pool != Yuan(16800) || !a.Posted {
		t.Errorf("YearEndAward() pool %v posted %v, lines mismatch (-want +got):\n%s", a.Pool, a.Posted, diff)
	}
	again, err := f.svc.YearEndAward(ctx, chief, "A/2025", Ranking{Name: "other", Scores: map[hierarchy.PersonID]int64{"w9": 1}})
	require.NoError(t, err)
	if diff := cmp.Diff(a, again); diff != "" {
		t.Errorf("second YearEndAward() mismatch (-want +got): it runs once per fund\n%s", diff)
	}
	fund, err := f.svc.Fund(ctx, "A/2025")
	require.NoError(t, err)
	if fund.Balance != Yuan(33600-16800) {
		t.Errorf("fund after the award = %v, want ¥16,800.00", fund.Balance)
	}
	f.reconcileOK()

	f.open("B", Yuan(35000))
	if _, err := f.svc.YearEndAward(ctx, chief, "B/2025", Ranking{Name: "annual-score"}); !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != RuleAwardRanking {
		t.Errorf("YearEndAward(unknown ranking, no scores) error = %v, want ErrInvalid by %s", err, RuleAwardRanking)
	}
	b, err := f.svc.YearEndAward(ctx, chief, "B/2025", Ranking{Name: "annual-score", Scores: map[hierarchy.PersonID]int64{"w7": 88, "w8": 92}})
	require.NoError(t, err)
	if len(b.Lines) != 2 || b.Lines[0].Worker != "w8" || b.Total() != Yuan(17500) {
		t.Errorf("YearEndAward(supplied scores) = %+v, want w8 first and ¥17,500.00 in all", b.Lines)
	}
	st, err := f.svc.Stats(ctx, StatsQuery{By: []Dimension{ByArea}})
	require.NoError(t, err)
	if got := fmt.Sprint(st.Total.Awarded); got != "¥34,300.00" {
		t.Errorf("Stats().Total.Awarded = %s, want ¥34,300.00", got)
	}
	f.reconcileOK()
}
