package evaluation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/memstore"
)

// benchCard is a department card over street ratings and two rates, without relations,
// so that the benchmark measures aggregation and scoring.
func benchEvaluator(b *testing.B) *evaluation.Evaluator {
	p := evaluation.QinhuaiPolicy()
	lin := evaluation.Normaliser{Kind: evaluation.NormLinear, Floor: 0, Target: evaluation.Full}
	p.Scorecards["bench"] = &evaluation.Scorecard{Total: 100, Max: 100, Indicators: []evaluation.Indicator{
		{ID: "ratings", Weight: 40, Source: evaluation.Source{Kind: evaluation.SourceRating, Name: evaluation.RuleStreetWhistle}, Normaliser: lin},
		{ID: "closure", Weight: 30, Source: evaluation.Source{Kind: evaluation.SourceMetric, Name: "closure"},
			Normaliser: evaluation.Normaliser{Kind: evaluation.NormLinear, Floor: 600_000, Target: evaluation.Full}},
		{ID: "on_time", Weight: 30, Source: evaluation.Source{Kind: evaluation.SourceMetric, Name: "on_time_closure"},
			Normaliser: evaluation.Normaliser{Kind: evaluation.NormDeduct, Threshold: 900_000, Step: 10_000, Deduct: 100, Cap: 3000}},
	}}
	e, err := evaluation.Compile(p)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkScore_1MRatings aggregates 1,000,000 ratings (drawn at random over 1,000
// units) into inputs and scores, ranks and grades the 1,000 units: one full run per
// iteration.
type benchData struct {
	period   evaluation.Period
	subjects []hierarchy.Ref
	ratings  []evaluation.Rating
	rates    [][2]evaluation.Ratio
}

func newBenchData() benchData {
	const units, ratings = 1000, 1_000_000
	period, _ := evaluation.ParsePeriod("2024-Q2")
	r := rand.New(rand.NewPCG(1, 2))
	subjects := make([]hierarchy.Ref, units)
	for i := range subjects {
		subjects[i] = hierarchy.UnitRef(hierarchy.UnitID(fmt.Sprintf("dept-%04d", i)))
	}
	rs := make([]evaluation.Rating, ratings)
	span := int64(period.To.Sub(period.From))
	for i := range rs {
		rs[i] = evaluation.Rating{Key: fmt.Sprint("k", i), Rule: evaluation.RuleStreetWhistle, Subject: subjects[r.IntN(units)],
			Target: evaluation.Target{Kind: evaluation.TargetWhistle, Case: "C", Whistle: 1},
			WorkAt: period.From.Add(time.Duration(r.Int64N(span))), Score: r.Int64N(evaluation.Full + 1), Scored: true}
	}
	rates := make([][2]evaluation.Ratio, units)
	for i := range rates {
		d := 50 + r.Int64N(100)
		rates[i] = [2]evaluation.Ratio{{Num: r.Int64N(d + 1), Den: d}, {Num: r.Int64N(d + 1), Den: d}}
	}
	return benchData{period: period, subjects: subjects, ratings: rs, rates: rates}
}

func BenchmarkScore_1MRatings(b *testing.B) {
	e := benchEvaluator(b)
	d := newBenchData()
	period, subjects, rs, rates, units := d.period, d.subjects, d.ratings, d.rates, len(d.subjects)
	closure := evaluation.Source{Kind: evaluation.SourceMetric, Name: "closure"}
	onTime := evaluation.Source{Kind: evaluation.SourceMetric, Name: "on_time_closure"}
	req := evaluation.Request{"bench": subjects}
	b.ReportAllocs()
	cpu0 := cpuTime()
	defer func() { b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op") }()
	for b.Loop() {
		in := evaluation.NewInputs(period)
		in.AddRatings(rs)
		for i, s := range subjects {
			in.Set(s, closure, evaluation.Value{Ratio: rates[i][0]})
			in.Set(s, onTime, evaluation.Value{Ratio: rates[i][1]})
		}
		res, err := e.Score(nil, in, req)
		if err != nil || len(res.Cards["bench"]) != units {
			b.Fatal(err)
		}
	}
}

// BenchmarkService_Rate is one rating command through the service on memstore: a
// street secretary's community rates one of 1,000 secondees, drawn at random (after
// the first thousand, a submission amends an earlier rating).
func BenchmarkService_Rate(b *testing.B) {
	const n = 1000
	bld := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	bld.AddUnit(hierarchy.Unit{ID: "320104", Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict})
	bld.AddUnit(hierarchy.Unit{ID: "320104001", Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: "320104"})
	bld.AddUnit(hierarchy.Unit{ID: "320104001001", Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: "320104001"})
	bld.AddUnit(hierarchy.Unit{ID: "dept", Name: "区城管局", Kind: hierarchy.KindDepartment, Parent: "320104"})
	bld.AddPerson(hierarchy.Person{ID: "sec", Name: "sec"})
	bld.AddPost(hierarchy.Post{ID: "post-sec", Person: "sec", Unit: "320104001001", Role: hierarchy.RoleSecretary})
	people := make([]hierarchy.Ref, n)
	for i := range people {
		id := hierarchy.PersonID(fmt.Sprintf("o%04d", i))
		people[i] = hierarchy.PersonRef(id)
		bld.AddPerson(hierarchy.Person{ID: id, Name: string(id)})
		bld.AddPost(hierarchy.Post{ID: hierarchy.PostID("post-" + id), Person: id, Unit: "dept", Role: hierarchy.RoleEnforcementOfficer})
		bld.AddSecondment(hierarchy.Secondment{ID: "sec-" + string(id), Subject: people[i], Home: "dept", Serving: "320104001001"})
	}
	for _, g := range hierarchy.QinhuaiGrants("320104") {
		bld.AddGrant(g)
	}
	tree, err := bld.Build()
	if err != nil {
		b.Fatal(err)
	}
	clock := gridgov.NewManualClock(time.Date(2024, 7, 2, 9, 0, 0, 0, cst))
	svc, err := evaluation.NewService(memstore.New(), evaluation.QinhuaiPolicy(), tree, &evaluation.ServiceOptions{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	in := evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: hierarchy.Actor{Person: "sec", Post: "post-sec"},
		Target:  evaluation.Target{Kind: evaluation.TargetPeriod, Period: "2024-Q2"},
		Answers: map[string]string{"attendance": "satisfied", "cooperation": "basic", "results": "satisfied", "attitude": evaluation.NA}}
	r := rand.New(rand.NewPCG(3, 4))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		in.Subject = people[r.IntN(n)]
		if _, err := svc.Rate(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScore_1MRatings_FloatBaseline is the peer: the same aggregation and
// weighting done the usual hand-written way, float64 averages in a map, a float
// weighted sum and a sort, with no exact arithmetic, no explanation and no checks.
func BenchmarkScore_1MRatings_FloatBaseline(b *testing.B) {
	d := newBenchData()
	type agg struct {
		sum float64
		n   int
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	defer func() { b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op") }()
	for b.Loop() {
		m := make(map[hierarchy.Ref]*agg, len(d.subjects))
		for i := range d.ratings {
			r := &d.ratings[i]
			if !r.Scored || !d.period.Contains(r.WorkAt) {
				continue
			}
			a := m[r.Subject]
			if a == nil {
				a = &agg{}
				m[r.Subject] = a
			}
			a.sum += float64(r.Score) / evaluation.Full
			a.n++
		}
		scores := make([]float64, len(d.subjects))
		for i, s := range d.subjects {
			a := m[s]
			c := float64(d.rates[i][0].Num) / float64(d.rates[i][0].Den)
			o := float64(d.rates[i][1].Num) / float64(d.rates[i][1].Den)
			lin := min(max((c-0.6)/0.4, 0), 1)
			ded := 1.0
			if o < 0.9 {
				ded = max(30-min((0.9-o)*100, 30), 0) / 30
			}
			scores[i] = 40*a.sum/float64(a.n) + 30*lin + 30*ded
		}
		slices.Sort(scores)
	}
}

// BenchmarkInputs_AddRating adds the 1,000,000 ratings one by one (each copied into
// the inputs) instead of as one slice.
func BenchmarkInputs_AddRating(b *testing.B) {
	d := newBenchData()
	b.ReportAllocs()
	for b.Loop() {
		in := evaluation.NewInputs(d.period)
		for i := range d.ratings {
			in.AddRating(d.ratings[i])
		}
	}
}
