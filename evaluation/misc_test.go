package evaluation_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
)

// TestService_Rate_Concurrent: concurrent amendments of one rating never lose one:
// every submission but the last ends in the history.
func TestService_Rate_Concurrent(t *testing.T) {
	ctx := context.Background()
	s := newService(t, gridgov.NewManualClock(day(2024, 7, 2)))
	in := evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: hierarchy.PersonRef(officer),
		Target: evaluation.Target{Kind: evaluation.TargetPeriod, Period: "2024-Q2"}, Answers: allSatisfied(evaluation.RuleCommunitySecondee)}
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Rate(ctx, in); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rs, err := s.RatingsOf(ctx, in.Subject)
	if err != nil || len(rs) != 1 || len(rs[0].History) != n-1 {
		t.Fatalf("after %d submissions: %d ratings, history %d, %v; want 1 rating with %d revisions", n, len(rs), len(rs[0].History), err, n-1)
	}
}

func TestService_CheckImposed(t *testing.T) {
	ctx := context.Background()
	s := newService(t, gridgov.NewManualClock(day(2024, 3, 1)))
	rule, _ := s.Evaluator().Policy().Rule(evaluation.RuleCommunitySecondee)
	items := append([]string{"inspection:sanitation"}, rule.Items...)
	err := s.CheckImposed(ctx, kangju, "inspection 环境卫生检查", items)
	if !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != evaluation.RuleWorkloadUnadmited {
		t.Errorf("CheckImposed() = %v, want an inspection on an unadmitted item refused", err)
	}
	if err := s.CheckImposed(ctx, kangju, "nothing", nil); err != nil {
		t.Errorf("CheckImposed(no items) = %v, want nil", err)
	}
}

func TestInputs_AddMediation(t *testing.T) {
	p := evaluation.QinhuaiPolicy()
	p.Scorecards = map[string]*evaluation.Scorecard{"room": {Total: 2, Max: 100, Indicators: []evaluation.Indicator{
		{ID: "success", Weight: 1, Source: evaluation.Source{Kind: evaluation.SourceMediation, Name: "success"},
			Normaliser: evaluation.Normaliser{Kind: evaluation.NormLinear, Target: evaluation.Full}},
		{ID: "on_time", Weight: 1, Source: evaluation.Source{Kind: evaluation.SourceMediation, Name: "on_time"},
			Normaliser: evaluation.Normaliser{Kind: evaluation.NormLinear, Target: evaluation.Full}},
	}}}
	e := mustCompile(t, p)
	in := evaluation.NewInputs(q2(t))
	u := hierarchy.UnitRef(zhongpai)
	in.AddMediation(u, evaluation.MediationFromStats(mediation.Stats{Concluded: 40, Agreed: 36, Failed: 4, OnTime: 38}))
	rs, err := e.Score(nil, in, evaluation.Request{"room": {u}})
	if err != nil {
		t.Fatal(err)
	}
	// (36/40 + 38/40) / 2 = 92.5
	if got := rs.Cards["room"][0].Score; got != 9250 {
		t.Errorf("mediation card = %s, want 92.50", got)
	}
}

func TestFormula_MemoryBudget(t *testing.T) {
	e := mustCompile(t, oneCard(&evaluation.Scorecard{Total: 1, Max: 100, Indicators: []evaluation.Indicator{
		{ID: "x", Weight: 1, Source: rate("closure"), Normaliser: evaluation.Normaliser{Kind: evaluation.NormFormula,
			Formula: "len(map(1..1000000, # * ppm))"}}}}))
	in := evaluation.NewInputs(q2(t))
	s := hierarchy.UnitRef(zhongpai)
	in.Set(s, rate("closure"), val(1, 2))
	_, err := e.Score(nil, in, evaluation.Request{"c": {s}})
	if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), "scorecards.c.indicators[0].normaliser.formula") {
		t.Fatalf("Score() = %v, want the formula stopped by its memory budget, naming the indicator", err)
	}
}
