package rewards_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards"
	"github.com/gridgov/gridgov/store/memstore"
)

var cst = time.FixedZone("CST", 8*3600)

func ExamplePayScale_Payslip() {
	scale := rewards.FixedYuanPayScale()
	start := time.Date(2019, 9, 1, 0, 0, 0, 0, cst)
	w := rewards.Worker{
		ID: "p-0007", Start: start, Education: "bachelor",
		Posts:        []rewards.PostSpell{{Post: "staff", From: start}},
		Certificates: []rewards.Certificate{{Level: rewards.CertAssistant, From: time.Date(2021, 6, 1, 0, 0, 0, 0, cst)}},
		Assessments: []rewards.Assessment{{Year: 2019, Result: rewards.ResultCompetent}, {Year: 2020, Result: rewards.ResultCompetent},
			{Year: 2021, Result: rewards.ResultExcellent}},
	}
	ps, err := scale.Payslip(w, time.Date(2022, 5, 20, 0, 0, 0, 0, cst), rewards.Evaluation{Band: "A"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s grade %d\n", ps.Grade.Post, ps.Grade.Grade)
	for _, l := range ps.Lines {
		fmt.Printf("%-18s %10s\n", l.Item, l.Amount)
	}
	fmt.Printf("%-18s %10s\n", "total", ps.Total)
	// Output:
	// staff grade 4
	// post                ¥2,300.00
	// level                 ¥230.00
	// title                 ¥300.00
	// performance           ¥800.00
	// performance bonus     ¥500.00
	// total               ¥4,130.00
}

func ExampleService() {
	ctx := context.Background()
	clock := gridgov.NewManualClock(time.Date(2025, 4, 1, 9, 0, 0, 0, cst))
	svc, err := rewards.NewService(memstore.New(), rewards.QinhuaiPolicy(), clock, gridgov.NewSeededIDGenerator(1), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The police station opens its responsibility area's fund for the year.
	if _, err := svc.OpenFund(ctx, "beat-07", 2025, rewards.Yuan(35000), "appropriation-2025-07"); err != nil {
		fmt.Println(err)
		return
	}
	// Two grid workers report the same matter; the earlier report wins.
	first := rewards.ClaimInput{Source: rewards.Source{Kind: "report", ID: "E-1001"}, Worker: "w-li", Area: "beat-07",
		Category: rewards.CategoryPolice, Outcome: rewards.OutcomeCaseSolved, Contribution: rewards.ContributionDirect,
		Matter: "110-20250401-88", ReportedAt: time.Date(2025, 4, 1, 8, 10, 0, 0, cst)}
	second := first
	second.Source.ID, second.Worker, second.ReportedAt = "E-1002", "w-wang", first.ReportedAt.Add(20*time.Minute)
	for _, in := range []rewards.ClaimInput{second, first} { // verified in the other order
		if _, err := svc.Submit(ctx, in); err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, id := range []string{"report:E-1001", "report:E-1002"} {
		c, err := svc.Approve(ctx, id, "officer-zhao")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(strings.TrimSpace(fmt.Sprint(c.ID, " ", c.State, " ", c.Reason)))
	}
	s, err := svc.Settle(ctx, "beat-07/2025")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("settled %d claim(s), %s\n", len(s.Paid), s.Total)
	fund, _ := svc.Fund(ctx, "beat-07/2025")
	fmt.Println("fund balance", fund.Balance)
	r, _ := svc.Reconcile(ctx, clock.Now())
	fmt.Println("invariants hold:", r.OK())
	// Output:
	// report:E-1001 approved
	// report:E-1002 rejected matter:110-20250401-88 was rewarded to claim report:E-1001, reported 2025-04-01 08:10:00
	// settled 1 claim(s), ¥200.00
	// fund balance ¥34,800.00
	// invariants hold: true
}

func ExamplePlanAward() {
	policy := rewards.YearEndPolicy{Share: 5000, Top: 3, Split: rewards.SplitProportional}
	pool, lines := rewards.PlanAward(policy, rewards.Yuan(20000), map[hierarchy.PersonID]int64{"w-li": 4200, "w-wang": 2100, "w-zhou": 2100, "w-sun": 300})
	fmt.Println("pool", pool)
	for _, l := range lines {
		fmt.Println(l.Rank, l.Worker, l.Amount)
	}
	// Output:
	// pool ¥10,000.00
	// 1 w-li ¥5,000.00
	// 2 w-wang ¥2,500.00
	// 3 w-zhou ¥2,500.00
}
