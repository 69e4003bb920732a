package evaluation_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
)

// randomInputs draws ratings and rates for n communities and their departments.
func randomRatings(r *rand.Rand, subjects []hierarchy.Ref, n int, period evaluation.Period) []evaluation.Rating {
	out := make([]evaluation.Rating, n)
	for i := range out {
		s := subjects[r.IntN(len(subjects))]
		out[i] = evaluation.Rating{Key: fmt.Sprint("k", i), Rule: evaluation.RuleStreetWhistle, Subject: s,
			Target: evaluation.Target{Kind: evaluation.TargetWhistle, Case: fmt.Sprint("C", i), Whistle: 1},
			WorkAt: period.From.Add(time.Duration(r.Int64N(int64(period.To.Sub(period.From))))),
			Score:  r.Int64N(evaluation.Full + 1), Scored: r.IntN(10) > 0}
	}
	return out
}

func randomRatio(r *rand.Rand) evaluation.Value {
	den := r.Int64N(200)
	num := int64(0)
	if den > 0 {
		num = r.Int64N(den + 1)
	}
	return evaluation.Value{Ratio: evaluation.Ratio{Num: num, Den: den}, Sample: den}
}

// TestEvaluator_Score_Properties: for random inputs on the Qinhuai cards every score
// stays within 0..Max and every indicator's points within its weight's share, and
// permuting the order of ratings, inputs and subjects never changes a result.
func TestEvaluator_Score_Properties(t *testing.T) {
	e := mustCompile(t, evaluation.QinhuaiPolicy())
	tree := buildTree(t)
	period := q2(t)
	depts := []hierarchy.Ref{hierarchy.UnitRef(deptUM), hierarchy.UnitRef(deptMS)}
	comms := []hierarchy.Ref{hierarchy.UnitRef(zhongpai), hierarchy.UnitRef(kangju), hierarchy.UnitRef(fzmComm)}
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 17))
		ratings := randomRatings(r, depts, 50, period)
		type setting struct {
			s   hierarchy.Ref
			src evaluation.Source
			v   evaluation.Value
		}
		var sets []setting
		for _, d := range depts {
			for _, name := range []string{"report_in_on_time", "closure"} {
				sets = append(sets, setting{d, evaluation.Source{Kind: evaluation.SourceMetric, Name: name}, randomRatio(r)})
			}
			sets = append(sets, setting{d, evaluation.Source{Kind: evaluation.SourceAttendance}, randomRatio(r)})
		}
		for _, c := range comms {
			for _, name := range []string{"closure", "on_time_closure", "in_grid", "rework"} {
				sets = append(sets, setting{c, evaluation.Source{Kind: evaluation.SourceMetric, Name: name}, randomRatio(r)})
			}
			sets = append(sets, setting{c, evaluation.Source{Kind: evaluation.SourceSurvey, Name: "residents"}, randomRatio(r)})
		}
		build := func(perm *rand.Rand) *evaluation.Inputs {
			in := evaluation.NewInputs(period)
			ss := slices.Clone(sets)
			rs := slices.Clone(ratings)
			if perm != nil {
				perm.Shuffle(len(ss), func(i, j int) { ss[i], ss[j] = ss[j], ss[i] })
				perm.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
			}
			for _, d := range depts {
				// Declare the rating sources: no rating reads "not applicable".
				in.Set(d, evaluation.Source{Kind: evaluation.SourceRating, Name: evaluation.RuleStreetWhistle}, evaluation.Value{})
				in.Set(d, evaluation.Source{Kind: evaluation.SourceRating, Name: evaluation.RuleStreetCase}, evaluation.Value{})
			}
			for _, x := range rs {
				in.AddRating(x)
			}
			for _, x := range ss {
				in.Set(x.s, x.src, x.v)
			}
			return in
		}
		req := func(perm *rand.Rand) evaluation.Request {
			d, c := slices.Clone(depts), slices.Clone(comms)
			if perm != nil {
				perm.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
				perm.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
			}
			return evaluation.Request{evaluation.CardDepartment: d, evaluation.CardCommunity: c}
		}
		base, err := e.Score(tree, build(nil), req(nil))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for card, results := range base.Cards {
			c := e.Policy().Scorecards[card]
			for _, res := range results {
				if res.Score < 0 || res.Score > evaluation.Points(c.Max*100) {
					t.Fatalf("seed %d: %s %s score %s outside 0..%d", seed, card, res.Subject, res.Score, c.Max)
				}
				for _, l := range res.Lines {
					if l.Credit < 0 || l.Credit > evaluation.Full {
						t.Fatalf("seed %d: %s %s credit %d outside 0..1", seed, card, l.Indicator, l.Credit)
					}
				}
			}
		}
		perm := rand.New(rand.NewPCG(seed, 99))
		again, err := e.Score(tree, build(perm), req(perm))
		if err != nil {
			t.Fatalf("seed %d (permuted): %v", seed, err)
		}
		if diff := cmp.Diff(base.Cards, again.Cards, cmpopts.IgnoreUnexported(evaluation.Line{})); diff != "" {
			t.Fatalf("seed %d: permuting the inputs changed the results (-base +permuted):\n%s", seed, diff)
		}
	}
}

// FuzzNormalise checks that any input ratio on any normaliser of the Qinhuai cards
// gives a score within the card's bounds.
func FuzzNormalise(f *testing.F) {
	f.Add(int64(0), int64(0), uint8(0))   // undefined input: not applicable
	f.Add(int64(9), int64(10), uint8(1))  // at a threshold
	f.Add(int64(1), int64(1), uint8(2))   // full
	f.Add(int64(-5), int64(3), uint8(3))  // a garbled negative ratio
	f.Add(int64(50), int64(10), uint8(4)) // a ratio above one
	e, err := evaluation.Compile(evaluation.QinhuaiPolicy())
	if err != nil {
		f.Fatal(err)
	}
	card := e.Policy().Scorecards[evaluation.CardCommunity]
	f.Fuzz(func(t *testing.T, num, den int64, which uint8) {
		if den < 0 || den > 1<<40 || num > 1<<40 || num < -(1<<40) {
			return
		}
		p, _ := evaluation.ParsePeriod("2024-Q2")
		in := evaluation.NewInputs(p)
		s := hierarchy.UnitRef(zhongpai)
		for i, ind := range card.Indicators {
			v := evaluation.Value{Ratio: evaluation.Ratio{Num: 1, Den: 1}}
			if i == int(which)%len(card.Indicators) {
				v.Ratio = evaluation.Ratio{Num: num, Den: den}
			}
			in.Set(s, ind.Source, v)
		}
		rs, err := e.Score(nil, in, evaluation.Request{evaluation.CardCommunity: {s}})
		if num < 0 || num > den {
			if !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != evaluation.RuleInput {
				t.Fatalf("Score(%d/%d) = %v, want the garbled input refused", num, den, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		r := rs.Cards[evaluation.CardCommunity][0]
		if r.Score < 0 || r.Score > 10000 {
			t.Fatalf("score %s outside 0..100 for %d/%d on indicator %d", r.Score, num, den, which)
		}
	})
}
