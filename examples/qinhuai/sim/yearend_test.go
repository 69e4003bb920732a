package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/profile"
	"github.com/gridgov/gridgov/rewards"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

// TestRun_YearEnd runs the last week of December on a store whose progress says the
// year has reached it, so that the year-end stage — overall evaluations recorded,
// the scorecards scored on them and on the streets' whistle ratings, the rankings and
// the payroll of the next year on the grades — runs within the test budget.
func TestRun_YearEnd(t *testing.T) {
	b, _ := storeAt(t, time.Date(2025, 12, 22, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	rep := run(t, Options{Seed: 1, Backend: b})
	if !rep.Complete {
		t.Fatalf("report of %s–%s is not complete", rep.From, rep.To)
	}
	if len(rep.Streets) != 12 || rep.Streets[0].Grade == "" {
		t.Errorf("street ranking = %+v, want the 12 streets graded by their scorecard", rep.Streets)
	}
	if len(rep.Departments) == 0 {
		t.Error("no department was ranked")
	}
	if rep.Pay == nil || rep.Pay.Workers != 1117+3*104 || rep.Pay.MonthFen <= 0 || rep.Pay.NextFen <= 0 {
		t.Errorf("pay bill = %+v, want 1,429 workers paid", rep.Pay)
	}
	// January's bill adds the scorecards' bonuses to base pay on the new city wage
	// (¥11,000 against ¥10,600 in the profile) and the grades gained; without the
	// bonuses it grows by the wage's ratio and by less than 3 grade steps' 12% more.
	if p := rep.Pay; p != nil {
		base := float64(p.NextFen-p.NextBonusFen) / float64(p.MonthFen)
		t.Logf("pay bill: %s then %s, bonuses %s, base ×%.4f, mean grade %.2f → %.2f, %d up",
			p.MonthTotal, p.NextTotal, p.NextBonus, base, p.MeanGrade, p.NextMeanGrade, p.GradesUp)
		if p.NextBonusFen <= 0 || p.NextMeanGrade <= p.MeanGrade || p.GradesUp == 0 ||
			base < 11000.0/10600 || base > 11000.0/10600*1.12 {
			t.Errorf("pay bill %+v: want bonuses, higher grades and base pay ×(1.038–1.16)", p)
		}
	}
	if f := figure(t, rep, "first_secretaries"); f.Value != 107 {
		t.Errorf("first secretaries assessed = %s, want 107", f.Simulated)
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	t.Log(text.String())
	// A second run on the complete store simulates nothing and reports the same.
	again := run(t, Options{Seed: 1, Backend: b})
	if again.To != rep.To || len(again.Figures) != len(rep.Figures) {
		t.Errorf("a run on the complete store reports %s–%s, want %s–%s", again.From, again.To, rep.From, rep.To)
	}
}

// qinhuai returns the default profile and the district it builds as the first of
// the city.
func qinhuai(t *testing.T) (*profile.Profile, *district) {
	t.Helper()
	p, err := profile.Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err := buildDistrict(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p, d
}

// storeAt returns a store whose progress says the year of seed 1 has been simulated
// up to done, with the beats' funds opened on 1 January as the year's first day
// opens them, and the district that run builds: a test then runs only the days it is
// about.
func storeAt(t *testing.T, done time.Time) (store.Backend, *district) {
	t.Helper()
	b := memstore.New()
	col := store.NewCollection[progress](b, progressCollection, nil)
	if _, err := col.Put(t.Context(), "320104", progress{Seed: 1, Year: 2025, Profile: "qinhuai", Done: done}, 0); err != nil {
		t.Fatal(err)
	}
	p, d := qinhuai(t)
	svc, err := rewards.NewService(b, p.Rewards, d.tree, gridgov.NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, done.Location())),
		gridgov.NewSeededIDGenerator(1), &rewards.ServiceOptions{Prefix: "320104.rewards."})
	if err != nil {
		t.Fatal(err)
	}
	for _, bt := range d.beats {
		if _, err := svc.OpenFund(t.Context(), d.leader, rewards.FundOpening{Area: bt.id, Year: 2025,
			Amount: p.Rewards.Funds.Floor, Ref: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return b, d
}
