package evaluation_test

import (
	"context"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestResults_Explain_Golden scores 城管局 on the department card from ratings and
// overall evaluations recorded through the service, and compares the explanation with
// testdata/explain-department.golden: every indicator with its input, sample,
// normaliser and points, and under the rating averages each raw rating.
func TestResults_Explain_Golden(t *testing.T) {
	ctx := context.Background()
	clock := gridgov.NewManualClock(day(2024, 5, 5))
	s := newService(t, clock)
	dept := hierarchy.UnitRef(deptUM)
	if _, err := s.Rate(ctx, evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: street, Subject: dept,
		Target:  evaluation.Target{Kind: evaluation.TargetWhistle, Case: "C1", Whistle: 1},
		Answers: map[string]string{"response": "satisfied", "cooperation": "basic", "results": "satisfied", "attitude": evaluation.NA}}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if _, err := s.Rate(ctx, evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: street, Subject: dept,
		Target:  evaluation.Target{Kind: evaluation.TargetWhistle, Case: "C1", Whistle: 1},
		Answers: map[string]string{"response": "satisfied", "cooperation": "dissatisfied", "results": "satisfied", "attitude": evaluation.NA}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rate(ctx, evaluation.RatingInput{Rule: evaluation.RuleStreetCase, Rater: street, Subject: dept,
		Target:  evaluation.Target{Kind: evaluation.TargetCase, Case: "C1"},
		Answers: map[string]string{"response": "basic", "cooperation": "basic", "results": "satisfied", "attitude": "satisfied"}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(2024, 7, 1))
	for _, rec := range []evaluation.OverallEvaluation{
		evaluation.OverallFromMetrics(deptUM, "2024-Q2", escalation.Metrics{Closure: escalation.Rate{Num: 47, Den: 50},
			ReportInOnTime: escalation.Rate{Num: 9, Den: 10}}),
		evaluation.OverallFromMetrics(zhongpai, "2024-Q2", escalation.Metrics{Closure: escalation.Rate{Num: 90, Den: 100},
			OnTimeClosure: escalation.Rate{Num: 85, Den: 100}, InGrid: escalation.Rate{Num: 80, Den: 100}, Rework: escalation.Rate{Num: 5, Den: 100}}),
	} {
		if _, err := s.RecordOverall(ctx, centre, rec); err != nil {
			t.Fatal(err)
		}
	}
	req := evaluation.Request{evaluation.CardCommunity: {hierarchy.UnitRef(zhongpai)}, evaluation.CardDepartment: {dept}}
	in, err := s.Inputs(ctx, "2024-Q2", req)
	if err != nil {
		t.Fatal(err)
	}
	in.AddSurvey(evaluation.Survey{Name: "residents", Unit: zhongpai, Respondents: 80, Credit: 74_000_000}, 100)
	// Two cadres of 城管局 sunk down over the quarter's seven two-week windows.
	_, depts, err := s.Evaluator().Policy().Attendance.Attendance(in.Period,
		map[hierarchy.PersonID]hierarchy.UnitID{officer: deptUM, officer2: deptUM}, []evaluation.AttendanceRecord{
			{Person: officer, Community: zhongpai, Day: day(2024, 4, 3)}, {Person: officer, Community: zhongpai, Day: day(2024, 4, 17)},
			{Person: officer, Community: zhongpai, Day: day(2024, 5, 2)}, {Person: officer, Community: zhongpai, Day: day(2024, 5, 14)},
			{Person: officer, Community: zhongpai, Day: day(2024, 5, 28)}, {Person: officer, Community: zhongpai, Day: day(2024, 6, 11)},
			{Person: officer, Community: zhongpai, Day: day(2024, 6, 25)},
			{Person: officer2, Community: fzmComm, Day: day(2024, 4, 8)}, {Person: officer2, Community: fzmComm, Day: day(2024, 6, 3)},
		})
	if err != nil {
		t.Fatal(err)
	}
	in.AddAttendance(depts)
	rs, err := s.Score(in, req)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rs.Result(evaluation.CardDepartment, dept)
	c, _ := rs.Result(evaluation.CardCommunity, hierarchy.UnitRef(zhongpai))
	got := rs.Explain(c) + "\n" + rs.Explain(r)
	const path = "testdata/explain-department.golden"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("Explain() mismatch (-want +got):\n%s", diff)
	}
}
