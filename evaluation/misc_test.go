package evaluation_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/rewards"
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
	if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), "scorecards.c.indicators[0].normaliser.formula") ||
		!strings.Contains(err.Error(), "memory budget") {
		t.Fatalf("Score() = %v, want the formula stopped by its memory budget, naming the indicator", err)
	}
}

func TestService_RecordOverallReport_AllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := newService(t, gridgov.NewManualClock(day(2024, 7, 1)))
	rep := escalation.MetricsReport{Units: map[hierarchy.UnitID]*escalation.Metrics{
		zhongpai: {Closure: escalation.Rate{Num: 9, Den: 10}},
		fzmComm:  {Closure: escalation.Rate{Num: 8, Den: 10}},
	}}
	// 秦虹's staff may record 中牌楼 but not 夫子庙社区: nothing is written.
	if _, err := s.RecordOverallReport(ctx, street, "2024-Q2", rep); !errors.Is(err, gridgov.ErrForbidden) {
		t.Fatalf("RecordOverallReport(beyond the street) = %v, want forbidden", err)
	}
	in, err := s.Inputs(ctx, "2024-Q2", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := in.Value(hierarchy.UnitRef(zhongpai), rate("closure")); ok {
		t.Fatal("a refused report wrote a record")
	}
	recs, err := s.RecordOverallReport(ctx, centre, "2024-Q2", rep)
	if err != nil || len(recs) != 2 || recs[0].Unit != zhongpai {
		t.Fatalf("RecordOverallReport() = %v, %v; want two records in unit order", recs, err)
	}
	in, _ = s.Inputs(ctx, "2024-Q2", nil)
	if v, ok := in.Value(hierarchy.UnitRef(fzmComm), rate("closure")); !ok || v.Ratio != (evaluation.Ratio{Num: 8, Den: 10}) {
		t.Errorf("closure input of 夫子庙社区 = %v, %v; want 8/10 from the stage record", v, ok)
	}
}

func TestSubjectsOf(t *testing.T) {
	tree := buildTree(t)
	p := evaluation.QinhuaiPolicy()
	at := day(2024, 6, 1)
	tests := []struct {
		card   string
		want   []hierarchy.Ref
		reason string
	}{
		{evaluation.CardStreet, []hierarchy.Ref{hierarchy.UnitRef(qinhong), hierarchy.UnitRef(fuzimiao)}, "the street level"},
		{evaluation.CardDepartment, []hierarchy.Ref{hierarchy.UnitRef(deptUM), hierarchy.UnitRef(deptMS), hierarchy.UnitRef(office)}, "the department kind"},
		{evaluation.CardGridWorker, []hierarchy.Ref{hierarchy.PersonRef(worker)}, "people in grid-worker posts"},
		{evaluation.CardHotline, nil, "a card naming no level, kind or role picks nobody: the caller lists its subjects"},
	}
	for _, tt := range tests {
		got := evaluation.SubjectsOf(tree, p.Scorecards[tt.card], at)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SubjectsOf(%s) mismatch (-want +got) (%s):\n%s", tt.card, tt.reason, diff)
		}
	}
}

func TestAssessment_FeedsPayScaleProgression(t *testing.T) {
	e := mustCompile(t, evaluation.QinhuaiPolicy())
	year, _ := evaluation.ParsePeriod("2024")
	in := evaluation.NewInputs(year)
	w := hierarchy.PersonRef(worker)
	in.Set(w, rate("closure"), val(70, 100))
	in.Set(w, rate("on_time_closure"), val(80, 100))
	in.Set(w, evaluation.Source{Kind: evaluation.SourceEvents, Name: "complaints"}, val(2, 1))
	rs, err := e.Score(nil, in, evaluation.Request{evaluation.CardGridWorker: {w}})
	if err != nil {
		t.Fatal(err)
	}
	r := rs.Cards[evaluation.CardGridWorker][0]
	// closure 40 × 0.25 = 10; on time 30 − 10 = 20; complaints 30 − 10 = 20: 50, 不称职.
	a, ok := evaluation.Assessment(2024, r)
	if !ok || r.Score != 5000 || a != (rewards.Assessment{Year: 2024, Result: rewards.ResultFail}) {
		t.Fatalf("Assessment() = %v, %v for score %s; want the 2024 result fail", a, ok, r.Score)
	}
	scale := rewards.QinhuaiPayScale()
	start := day(2020, 1, 1)
	wk := rewards.Worker{ID: worker, Start: start, Posts: []rewards.PostSpell{{Post: "staff", From: start}},
		Assessments: []rewards.Assessment{{Year: 2020, Result: rewards.ResultCompetent}, {Year: 2021, Result: rewards.ResultCompetent}, a}}
	x, err := scale.Explain(wk, day(2025, 2, 1), evaluation.PayEvaluation(r, evaluation.Ratio{}))
	if err != nil {
		t.Fatal(err)
	}
	// Only the citations are checked, not rewards' wording around them.
	var assessed, banded bool
	for _, l := range x.Lines {
		assessed = assessed || l.Rule == rewards.RuleAssessment && strings.Contains(l.Text, `2024 "fail"`)
		banded = banded || l.Rule == rewards.RuleBonusPerf && strings.Contains(l.Text, `"D"`)
	}
	if !assessed || !banded {
		t.Errorf("the payslip's explanation does not cite the grade decided here (assessment %v, band %v):\n%s", assessed, banded, x)
	}
}

// TestPolicy_RoundTrip: the Qinhuai policy survives JSON and YAML unchanged, points
// written as "90.00", so a district edits it as a file.
func TestPolicy_RoundTrip(t *testing.T) {
	p := evaluation.QinhuaiPolicy()
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON evaluation.Policy
	if err := json.Unmarshal(js, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, fromJSON); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
	ys, err := yaml.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ys), "min: \"90.00\"") && !strings.Contains(string(ys), "min: 90.00") {
		t.Errorf("grade minimum not written as points:\n%s", ys)
	}
	var fromYAML evaluation.Policy
	if err := yaml.Unmarshal(ys, &fromYAML); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, fromYAML); diff != "" {
		t.Errorf("YAML round trip mismatch (-want +got):\n%s", diff)
	}
	if err := fromYAML.Validate(); err != nil {
		t.Error(err)
	}
}

func TestParsePoints(t *testing.T) {
	tests := []struct {
		in     string
		want   evaluation.Points
		ok     bool
		reason string
	}{
		{"90", 9000, true, "whole points"},
		{"92.5", 9250, true, "one decimal"},
		{"-1.05", -105, true, "a negative deduction"},
		{"92.345", 0, false, "hundredths are the finest unit: more decimals are refused, not rounded"},
		{"ninety", 0, false, "not a number"},
		{".5", 0, false, "a missing whole part"},
		{"1.-5", 0, false, "a sign inside the decimals"},
		{"+1", 0, false, "only a leading minus is a sign"},
	}
	for _, tt := range tests {
		got, err := evaluation.ParsePoints(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParsePoints(%q) = %s, %v; want %s ok %v (%s)", tt.in, got, err, tt.want, tt.ok, tt.reason)
		}
	}
}
