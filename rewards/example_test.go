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

// The fixed-yuan scheme: post pay, level pay by years worked, title pay for the
// certificate (and no extra level for it), the 一肩挑 allowance and the monthly basic
// performance pay; in January the annual reward for last year's assessment, whose grade
// is the one passed in the Evaluation.
func ExamplePayScale_Payslip() {
	scale := rewards.FixedYuanPayScale()
	start := time.Date(2019, 9, 1, 0, 0, 0, 0, cst)
	w := rewards.Worker{
		ID: "p-0007", Start: start, PriorService: 2,
		Posts:        []rewards.PostSpell{{Post: "staff", From: start}, {Post: "head", From: time.Date(2023, 3, 1, 0, 0, 0, 0, cst), DualRole: true}},
		Certificates: []rewards.Certificate{{Level: rewards.CertSocial, From: time.Date(2021, 6, 1, 0, 0, 0, 0, cst)}},
	}
	ps, err := scale.Payslip(w, time.Date(2025, 1, 20, 0, 0, 0, 0, cst), rewards.Evaluation{Assessment: rewards.ResultExcellent})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range ps.Lines {
		fmt.Printf("%-14s %10s  %s\n", l.Item, l.Amount, l.Text)
	}
	fmt.Printf("%-14s %10s\n", "total", ps.Total)
	// Output:
	// post            ¥2,800.00  post pay of head
	// level             ¥170.00  level 3 for 7 years worked: ¥50.00 + ¥60.00 × (level 3 − 1)
	// title             ¥500.00  title pay for certificate "social-worker"
	// dual role         ¥300.00  one person is both party secretary and director (书记主任一肩挑)
	// performance       ¥200.00  basic performance pay, monthly
	// annual reward   ¥6,000.00  annual performance reward for 2024, assessment "excellent" (as evaluated)
	// total           ¥9,970.00
}

// exampleTree is a district with a grid of two workers and a police station with one
// responsibility area (beat-07), its community police officer and its director.
func exampleTree() *hierarchy.Tree {
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	b.AddUnit(hierarchy.Unit{ID: "320104", Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict})
	b.AddUnit(hierarchy.Unit{ID: "320104001", Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "320104001001", Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: "320104001"})
	b.AddUnit(hierarchy.Unit{ID: "G01", Name: "第一网格", Level: hierarchy.LevelGrid, Parent: "320104001001"})
	b.AddUnit(hierarchy.Unit{ID: "station", Name: "派出所", Kind: hierarchy.KindPoliceStation, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "beat-07", Name: "警务区", Kind: hierarchy.KindPoliceBeat, Parent: "station"})
	for _, p := range []struct {
		person hierarchy.PersonID
		unit   hierarchy.UnitID
		role   hierarchy.Role
	}{
		{"w-li", "G01", hierarchy.RoleGridWorker},
		{"w-wang", "G01", hierarchy.RoleGridWorker},
		{"officer-zhao", "beat-07", hierarchy.RoleCommunityPolice},
		{"chief-qian", "station", hierarchy.RoleDirector},
	} {
		b.AddPerson(hierarchy.Person{ID: p.person, Name: string(p.person)})
		b.AddPost(hierarchy.Post{ID: post(p.person, p.unit), Person: p.person, Unit: p.unit, Role: p.role})
	}
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	return t
}

// post is the ID convention of the example: "person@unit".
func post(p hierarchy.PersonID, u hierarchy.UnitID) hierarchy.PostID {
	return hierarchy.PostID(string(p) + "@" + string(u))
}

// Every command names an actor and the post they act in: the station's director opens
// the fund, each grid worker submits their own report, the beat's officer decides and
// pays. A grid worker may not approve (rule auth.role), and nobody approves their own
// claim (rule rewards.separation).
func ExampleService() {
	ctx := context.Background()
	clock := gridgov.NewManualClock(time.Date(2025, 4, 1, 9, 0, 0, 0, cst))
	svc, err := rewards.NewService(memstore.New(), rewards.QinhuaiPolicy(), exampleTree(), clock, gridgov.NewSeededIDGenerator(1), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	chief := hierarchy.Actor{Person: "chief-qian", Post: post("chief-qian", "station")}
	officer := hierarchy.Actor{Person: "officer-zhao", Post: post("officer-zhao", "beat-07")}
	li := hierarchy.Actor{Person: "w-li", Post: post("w-li", "G01")}
	wang := hierarchy.Actor{Person: "w-wang", Post: post("w-wang", "G01")}

	// The police station opens its responsibility area's fund for the year.
	if _, err := svc.OpenFund(ctx, chief, rewards.FundOpening{Area: "beat-07", Year: 2025, Amount: rewards.Yuan(35000), Ref: "appropriation-2025-07"}); err != nil {
		fmt.Println(err)
		return
	}
	// Two grid workers report the same matter; the earlier report wins.
	first := rewards.ClaimInput{Source: rewards.Source{Kind: "report", ID: "E-1001"}, Worker: "w-li", Area: "beat-07", Unit: "G01",
		Category: rewards.CategoryPolice, Outcome: rewards.OutcomeCaseSolved, Contribution: rewards.ContributionDirect,
		Matter: "110-20250401-88", ReportedAt: time.Date(2025, 4, 1, 8, 10, 0, 0, cst)}
	second := first
	second.Source.ID, second.Worker, second.ReportedAt = "E-1002", "w-wang", first.ReportedAt.Add(20*time.Minute)
	if _, err := svc.Submit(ctx, wang, second); err != nil { // verified in the other order
		fmt.Println(err)
		return
	}
	if _, err := svc.Submit(ctx, li, first); err != nil {
		fmt.Println(err)
		return
	}
	_, err = svc.Approve(ctx, "report:E-1001", li)
	fmt.Println("approval by a grid worker refused by", gridgov.RuleOf(err))
	for _, id := range []string{"report:E-1001", "report:E-1002"} {
		c, err := svc.Approve(ctx, id, officer)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(strings.TrimSpace(fmt.Sprint(c.ID, " ", c.State, " ", c.Reason)))
	}
	s, err := svc.Settle(ctx, "beat-07/2025", officer)
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
	// approval by a grid worker refused by auth.role
	// report:E-1001 approved
	// report:E-1002 rejected matter:110-20250401-88 was rewarded to claim report:E-1001, reported 2025-04-01 08:10:00
	// settled 1 claim(s), ¥200.00
	// fund balance ¥34,800.00
	// invariants hold: true
}

func ExamplePlanAward() {
	policy := rewards.YearEndPolicy{Share: 5000, Top: 3, Split: rewards.SplitProportional}
	pool, lines, _ := rewards.PlanAward(policy, rewards.Yuan(20000), map[hierarchy.PersonID]int64{"w-li": 4200, "w-wang": 2100, "w-zhou": 2100, "w-sun": 300})
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
