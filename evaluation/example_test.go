package evaluation_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards"
	"github.com/gridgov/gridgov/store/memstore"
)

// A community rates an enforcement officer seconded to it (反向评价) for a quarter; a
// neighbouring community may not.
func ExampleService_Rate() {
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	b.AddUnit(hierarchy.Unit{ID: "320104", Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict})
	b.AddUnit(hierarchy.Unit{ID: "320104001", Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "320104001001", Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: "320104001"})
	b.AddUnit(hierarchy.Unit{ID: "320104001002", Code: "320104001002", Name: "康居里社区", Level: hierarchy.LevelCommunity, Parent: "320104001"})
	b.AddUnit(hierarchy.Unit{ID: "dept-um", Name: "区城管局", Kind: hierarchy.KindDepartment, Parent: "320104"})
	for _, p := range []hierarchy.PersonID{"zhang", "li", "qian"} {
		b.AddPerson(hierarchy.Person{ID: p, Name: string(p)})
	}
	b.AddPost(hierarchy.Post{ID: "zhang-secretary", Person: "zhang", Unit: "320104001001", Role: hierarchy.RoleSecretary})
	b.AddPost(hierarchy.Post{ID: "li-secretary", Person: "li", Unit: "320104001002", Role: hierarchy.RoleSecretary})
	b.AddPost(hierarchy.Post{ID: "qian-officer", Person: "qian", Unit: "dept-um", Role: hierarchy.RoleEnforcementOfficer})
	b.AddSecondment(hierarchy.Secondment{ID: "sec-qian", Subject: hierarchy.PersonRef("qian"), Home: "dept-um", Serving: "320104001001",
		Start: time.Date(2025, 1, 1, 0, 0, 0, 0, cst)})
	for _, g := range hierarchy.QinhuaiGrants("320104") {
		b.AddGrant(g)
	}
	tree, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	clock := gridgov.NewManualClock(time.Date(2025, 4, 3, 10, 0, 0, 0, cst))
	svc, err := evaluation.NewService(memstore.New(), evaluation.QinhuaiPolicy(), tree, &evaluation.ServiceOptions{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	in := evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Subject: hierarchy.PersonRef("qian"),
		Target: evaluation.Target{Kind: evaluation.TargetPeriod, Period: "2025-Q1"},
		Rater:  hierarchy.Actor{Person: "zhang", Post: "zhang-secretary"},
		// Attendance was not observed this quarter: not applicable, so it is left out.
		Answers: map[string]string{"attendance": evaluation.NA, "cooperation": "satisfied", "results": "basic", "attitude": "satisfied"}}
	r, err := svc.Rate(context.Background(), in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s rated %s: %d/%d\n", r.RaterUnit, r.Subject, r.Score, evaluation.Full)

	in.Rater = hierarchy.Actor{Person: "li", Post: "li-secretary"}
	_, err = svc.Rate(context.Background(), in)
	fmt.Println(gridgov.RuleOf(err))
	// Output:
	// 320104001001 rated person:qian: 960000/1000000
	// rating.seconded-elsewhere
}

// Dongcheng's published rule: the streets' ratings of a district department ("one
// whistle, one assessment; one case, one assessment") make up about one third of the
// department's annual performance score. As configuration: two indicators weighted
// 1 and 2 out of a total of 3.
func Example_dongchengOneThird() {
	p := evaluation.QinhuaiPolicy()
	p.Scorecards["department-annual"] = &evaluation.Scorecard{
		Name: "区职能部门年度绩效", Kind: hierarchy.KindDepartment, Total: 3, Max: 100,
		Indicators: []evaluation.Indicator{
			{ID: "street_ratings", Name: "街道评价", Weight: 1, Source: evaluation.Source{Kind: evaluation.SourceRating, Name: evaluation.RuleStreetWhistle},
				Normaliser: evaluation.Normaliser{Kind: evaluation.NormLinear, Target: evaluation.Full}},
			{ID: "targets", Name: "年度目标考核", Weight: 2, Source: evaluation.Source{Kind: evaluation.SourceInput, Name: "annual-targets"},
				Normaliser: evaluation.Normaliser{Kind: evaluation.NormLinear, Target: evaluation.Full}},
		},
	}
	e, err := evaluation.Compile(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	year, _ := evaluation.ParsePeriod("2025")
	in := evaluation.NewInputs(year)
	dept := hierarchy.UnitRef("dept-um")
	// Three street ratings over the year: 100%, 90% and 60%.
	for i, score := range []int64{1_000_000, 900_000, 600_000} {
		in.AddRating(evaluation.Rating{Key: fmt.Sprint("r", i), Rule: evaluation.RuleStreetWhistle, Subject: dept, Scored: true, Score: score,
			Target: evaluation.Target{Kind: evaluation.TargetWhistle, Case: fmt.Sprint("C", i), Whistle: 1},
			WorkAt: time.Date(2025, time.Month(3+3*i), 10, 9, 0, 0, 0, cst)})
	}
	in.Set(dept, evaluation.Source{Kind: evaluation.SourceInput, Name: "annual-targets"},
		evaluation.Value{Ratio: evaluation.Ratio{Num: 92, Den: 100}, Note: "district target assessment"})
	rs, err := e.Score(nil, in, evaluation.Request{"department-annual": {dept}})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rs.Cards["department-annual"][0]
	for _, l := range r.Lines {
		fmt.Printf("%s: input %s over %d, %s points\n", l.Indicator, l.Input, l.Sample, l.Points)
	}
	fmt.Println("annual score", r.Score, r.Grade.Name)
	// Output:
	// street_ratings: input 2500000/3000000 (83.3333%) over 3, 27.78 points
	// targets: input 92/100 (92.0000%) over 0, 61.33 points
	// annual score 89.11 称职
}

// A grid worker's month: the grade the grid-worker card decides is the band the
// payslip's performance bonus cites, and the on-time rate its timeliness bonus reads.
func ExamplePayEvaluation() {
	e, err := evaluation.Compile(evaluation.QinhuaiPolicy())
	if err != nil {
		fmt.Println(err)
		return
	}
	month, _ := evaluation.ParsePeriod("2025-03")
	in := evaluation.NewInputs(month)
	w := hierarchy.PersonRef("p-0007")
	onTime := evaluation.Ratio{Num: 46, Den: 48}
	in.Set(w, evaluation.Source{Kind: evaluation.SourceMetric, Name: "closure"}, evaluation.Value{Ratio: evaluation.Ratio{Num: 47, Den: 48}})
	in.Set(w, evaluation.Source{Kind: evaluation.SourceMetric, Name: "on_time_closure"}, evaluation.Value{Ratio: onTime})
	in.Set(w, evaluation.Source{Kind: evaluation.SourceEvents, Name: "complaints"}, evaluation.Value{Ratio: evaluation.Ratio{Num: 0, Den: 1}})
	rs, err := e.Score(nil, in, evaluation.Request{evaluation.CardGridWorker: {w}})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rs.Cards[evaluation.CardGridWorker][0]
	fmt.Println("score", r.Score, "grade", r.Grade.Name, "band", r.Grade.PayBand)

	start := time.Date(2019, 9, 1, 0, 0, 0, 0, cst)
	worker := rewards.Worker{ID: "p-0007", Start: start, Posts: []rewards.PostSpell{{Post: "staff", From: start}}}
	x, err := rewards.QinhuaiPayScale().Explain(worker, month.From, evaluation.PayEvaluation(r, onTime))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range x.Lines {
		if strings.HasPrefix(l.Rule, "bonus.") {
			fmt.Println(l.Rule, "|", l.Text, "|", l.Amount)
		}
	}
	// Output:
	// score 97.92 grade 优秀 band A
	// bonus.performance | performance bonus: evaluation band "A" | ¥500.00
	// bonus.timeliness | timeliness bonus: on-time rate 0.9583 reaches 0.95 | ¥200.00
}

// The monthly red and black lists (红黑榜) of the hotline's three rates: ties share a
// place (standard competition ranking) and a tie at the cut joins the list.
func ExampleResults_Top() {
	e, err := evaluation.Compile(evaluation.QinhuaiPolicy())
	if err != nil {
		fmt.Println(err)
		return
	}
	month, _ := evaluation.ParsePeriod("2025-03")
	in := evaluation.NewInputs(month)
	rates := map[string][3]int64{ // response, resolution, satisfaction in percent
		"秦虹": {100, 90, 95}, "夫子庙": {98, 92, 94}, "双塘": {100, 90, 95}, "中华门": {95, 80, 85}, "红花": {99, 70, 80},
	}
	var streets []hierarchy.Ref
	for name, r := range rates {
		s := hierarchy.UnitRef(hierarchy.UnitID(name))
		streets = append(streets, s)
		for i, m := range []string{"response", "resolution", "satisfaction"} {
			in.Set(s, evaluation.Source{Kind: evaluation.SourceMetric, Name: m}, evaluation.Value{Ratio: evaluation.Ratio{Num: r[i], Den: 100}})
		}
	}
	rs, err := e.Score(nil, in, evaluation.Request{evaluation.CardHotline: streets})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("red list")
	for _, r := range rs.Top(evaluation.CardHotline, "", 1) {
		fmt.Println(r.Rank, r.Subject.ID, r.Score)
	}
	fmt.Println("black list")
	for _, r := range rs.Bottom(evaluation.CardHotline, "", 2) {
		fmt.Println(r.Rank, r.Subject.ID, r.Score)
	}
	// Output:
	// red list
	// 1 双塘 94.75
	// 1 秦虹 94.75
	// black list
	// 5 红花 82.20
	// 4 中华门 86.25
}
