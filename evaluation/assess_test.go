package evaluation_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards"
)

func TestInputs_AddProjects(t *testing.T) {
	in := evaluation.NewInputs(q2(t))
	projects := []evaluation.Project{
		{ID: "pr1", Leader: "fs-a", Year: 2024, Completed: true},
		{ID: "pr2", Leader: "fs-a", Year: 2024, Completed: false},
		{ID: "pr3", Leader: "fs-b", Year: 2024, Completed: true},
		{ID: "pr4", Leader: "fs-b", Year: 2023, Completed: true},
	}
	in.AddProjects(projects, []hierarchy.PersonID{"fs-a", "fs-b", "fs-c"}, 2024, 2)
	tests := []struct {
		who    hierarchy.PersonID
		want   evaluation.Ratio
		flag   bool
		reason string
	}{
		{"fs-a", evaluation.Ratio{Num: 1, Den: 2}, false, "two projects led, one completed"},
		{"fs-b", evaluation.Ratio{Num: 1, Den: 2}, true, "one project led in 2024 is below the minimum of two: it counts over two and is flagged"},
		{"fs-c", evaluation.Ratio{Num: 0, Den: 2}, true, "no project at all reads 0 of the minimum, not 'not applicable'"},
	}
	for _, tt := range tests {
		v, ok := in.Value(hierarchy.PersonRef(tt.who), evaluation.Source{Kind: evaluation.SourceProjects})
		if !ok || v.Ratio != tt.want || (len(v.Flags) > 0) != tt.flag {
			t.Errorf("%s: %v flags %v, want %v flagged %v (%s)", tt.who, v.Ratio, v.Flags, tt.want, tt.flag, tt.reason)
		}
	}
}

func TestAttendanceRule_Attendance(t *testing.T) {
	p, _ := evaluation.ParsePeriod("2024-03") // 31 days: windows of 14, 14 and 3 days
	r := evaluation.QinhuaiPolicy().Attendance
	d := func(n int) time.Time { return time.Date(2024, 3, n, 10, 0, 0, 0, cst) }
	cadres := map[hierarchy.PersonID]hierarchy.UnitID{"c1": deptUM, "c2": deptUM, "c3": deptMS}
	records := []evaluation.AttendanceRecord{
		{Person: "c1", Community: zhongpai, Day: d(2)}, {Person: "c1", Community: zhongpai, Day: d(20)}, {Person: "c1", Community: kangju, Day: d(30)},
		{Person: "c2", Community: zhongpai, Day: d(3)}, {Person: "c2", Community: zhongpai, Day: d(3)},
		{Person: "c3", Community: fzmComm, Day: d(15)},
	}
	cads, depts, err := r.Attendance(p, cadres, records)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]evaluation.Ratio{}
	for _, c := range append(cads, depts...) {
		got[c.Subject.String()] = c.Windows
	}
	want := map[string]evaluation.Ratio{
		"person:c1":              {Num: 3, Den: 3}, // a day in each window
		"person:c2":              {Num: 1, Den: 3}, // two records of one day count once, and only in the first window
		"person:c3":              {Num: 1, Den: 3}, // 15 March is in the second window
		"unit:" + string(deptUM): {Num: 4, Den: 6},
		"unit:" + string(deptMS): {Num: 1, Den: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("compliance mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []struct {
		rec    evaluation.AttendanceRecord
		reason string
	}{
		{evaluation.AttendanceRecord{Person: "c9", Day: d(2)}, "an unknown cadre is named"},
		{evaluation.AttendanceRecord{Person: "c1", Day: d(1).AddDate(0, 1, 0)}, "a day outside the period is named"},
	} {
		if _, _, err := r.Attendance(p, cadres, []evaluation.AttendanceRecord{bad.rec}); !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("Attendance(%v) = %v, want ErrInvalid (%s)", bad.rec, err, bad.reason)
		}
	}
}

func TestService_Workload(t *testing.T) {
	ctx := context.Background()
	clock := gridgov.NewManualClock(day(2024, 3, 1))
	s := newService(t, clock)
	// 费随事转: no funding, no request.
	if _, err := s.RequestTask(ctx, clerk, zhongpai, "food-safety-checks", "食品安全巡查", 0, ""); gridgov.RuleOf(err) != evaluation.RuleWorkloadFunding {
		t.Errorf("RequestTask(no funding) = %v, want %s", err, evaluation.RuleWorkloadFunding)
	}
	// Only a department requests.
	if _, err := s.RequestTask(ctx, zpSec, zhongpai, "x", "x", rewards.Yuan(1), "budget"); gridgov.RuleOf(err) != evaluation.RuleWorkloadDept {
		t.Errorf("RequestTask(by a community) = %v, want %s", err, evaluation.RuleWorkloadDept)
	}
	req, err := s.RequestTask(ctx, clerk, zhongpai, evaluation.ItemGridEvents, "网格事件处置", rewards.Yuan(20000), "district budget 2024-117")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.WorkloadReport(ctx)
	if err != nil || len(rep.Pending) != 1 || rep.TasksPerCommunity[zhongpai] != 0 {
		t.Fatalf("WorkloadReport() = %+v, %v; want one pending request and no task", rep, err)
	}
	// The department cannot approve its own request: only the district's right does.
	if _, err := s.DecideTask(ctx, clerk, zhongpai, req.ID, true, ""); !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != evaluation.RuleWorkloadApprove {
		t.Errorf("DecideTask(by the department) = %v, want forbidden by %s", err, evaluation.RuleWorkloadApprove)
	}
	l, err := s.DecideTask(ctx, approve, zhongpai, req.ID, true, "admitted")
	if err != nil {
		t.Fatal(err)
	}
	if !l.Admitted(evaluation.ItemGridEvents) {
		t.Fatalf("task not admitted after approval: %+v", l)
	}
	// The default community card measures grid events and resident satisfaction: the
	// second is not admitted for 中牌楼, so imposing the card is refused with the reason.
	card := s.Evaluator().Policy().Scorecards[evaluation.CardCommunity]
	err = l.CheckImposed("scorecard community", evaluation.ImposedItems(card))
	if !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != evaluation.RuleWorkloadUnadmited || !strings.Contains(err.Error(), evaluation.ItemResidentSatisfaction) {
		t.Errorf("CheckImposed() = %v, want the unadmitted item named", err)
	}
	// Outside the list: bought as a service.
	if _, err := s.BuyService(ctx, clerk, zhongpai, evaluation.PurchasedService{ID: "pest-control", Name: "除四害", Price: rewards.Yuan(5000), Provider: "某环境公司"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BuyService(ctx, clerk, zhongpai, evaluation.PurchasedService{ID: evaluation.ItemGridEvents, Price: rewards.Yuan(1), Provider: "x"}); gridgov.RuleOf(err) != evaluation.RuleWorkloadState {
		t.Errorf("BuyService(admitted task) = %v, want %s", err, evaluation.RuleWorkloadState)
	}
	rep, err = s.WorkloadReport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantRep := evaluation.WorkloadReport{TasksPerCommunity: map[hierarchy.UnitID]int{zhongpai: 1},
		FundingPerTask: map[string]rewards.Fen{evaluation.ItemGridEvents: rewards.Yuan(20000)}}
	if diff := cmp.Diff(wantRep, rep); diff != "" {
		t.Errorf("WorkloadReport() mismatch (-want +got):\n%s", diff)
	}
	clock.Advance(24 * time.Hour)
	if _, err := s.WithdrawTask(ctx, clerk, zhongpai, evaluation.ItemGridEvents); !errors.Is(err, gridgov.ErrForbidden) {
		t.Errorf("WithdrawTask(by the department) = %v, want forbidden", err)
	}
	l, err = s.WithdrawTask(ctx, approve, zhongpai, evaluation.ItemGridEvents)
	if err != nil || l.Admitted(evaluation.ItemGridEvents) || len(l.Tasks) != 1 {
		t.Errorf("WithdrawTask() = %+v, %v; want the task withdrawn and kept in the history", l, err)
	}
	if _, err := s.RequestTask(ctx, clerk, "320104999999", "x", "x", rewards.Yuan(1), "budget"); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("RequestTask(unknown community) = %v, want ErrInvalid", err)
	}
}

func TestService_RecordOverall(t *testing.T) {
	ctx := context.Background()
	clock := gridgov.NewManualClock(day(2024, 7, 1))
	s := newService(t, clock)
	m := escalation.Metrics{Reported: 12, Closed: 10, Closure: escalation.Rate{Num: 9, Den: 10}, OnTimeClosure: escalation.Rate{Num: 8, Den: 10},
		InGrid: escalation.Rate{Num: 7, Den: 10}, Rework: escalation.Rate{Num: 1, Den: 10}}
	rec := evaluation.OverallFromMetrics(zhongpai, "2024-Q2", m)
	if _, err := s.RecordOverall(ctx, kjSec, rec); !errors.Is(err, gridgov.ErrForbidden) {
		t.Errorf("RecordOverall(by another community) = %v, want forbidden", err)
	}
	bad := rec
	bad.Period = "2024-Q5"
	if _, err := s.RecordOverall(ctx, street, bad); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("RecordOverall(bad period) = %v, want ErrInvalid", err)
	}
	bad = evaluation.OverallFromMetrics(zhongpai, "2024-Q2", escalation.Metrics{Closure: escalation.Rate{Num: 11, Den: 10}})
	if _, err := s.RecordOverall(ctx, street, bad); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("RecordOverall(rate above 1) = %v, want ErrInvalid", err)
	}
	if _, err := s.RecordOverall(ctx, street, rec); err != nil {
		t.Fatal(err)
	}
	req := evaluation.Request{evaluation.CardCommunity: {hierarchy.UnitRef(zhongpai)}}
	in, err := s.Inputs(ctx, "2024-Q2", req)
	if err != nil {
		t.Fatal(err)
	}
	in.AddSurvey(evaluation.Survey{Name: "residents", Unit: zhongpai, Respondents: 120, Credit: 120 * evaluation.Full}, 100)
	rs, err := s.Score(in, req)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rs.Result(evaluation.CardCommunity, hierarchy.UnitRef(zhongpai))
	// closure 90% → 25 × 0.75 = 18.75; on time 80% → 20 − 10 = 10; in grid 70% → 15 × 0.5 = 7.5;
	// rework 10% → 15 × 0.5 = 7.5; satisfaction 100% → 25. Total 68.75.
	if r.Score != 6875 || r.Grade.Grade != evaluation.GradeBasic {
		t.Errorf("community score from the overall evaluation = %s %s, want 68.75 basic", r.Score, r.Grade.Grade)
	}
}

// TestFirstSecretaryCard: projects completed count 70, sunk-down attendance 30.
func TestFirstSecretaryCard(t *testing.T) {
	e := mustCompile(t, evaluation.QinhuaiPolicy())
	year, _ := evaluation.ParsePeriod("2024")
	in := evaluation.NewInputs(year)
	fs := hierarchy.PersonID("fs-a")
	in.AddProjects([]evaluation.Project{{ID: "p1", Leader: fs, Year: 2024, Completed: true}, {ID: "p2", Leader: fs, Year: 2024}},
		[]hierarchy.PersonID{fs}, 2024, e.Policy().ProjectsPerYear)
	in.AddAttendance([]evaluation.Compliance{{Subject: hierarchy.PersonRef(fs), Windows: evaluation.Ratio{Num: 24, Den: 27}}})
	rs, err := e.Score(nil, in, evaluation.Request{evaluation.CardFirstSecretary: {hierarchy.PersonRef(fs)}})
	if err != nil {
		t.Fatal(err)
	}
	// 70 × 1/2 + 30 × 24/27 = 35 + 26.666… = 61.67: 基本称职.
	if r := rs.Cards[evaluation.CardFirstSecretary][0]; r.Score != 6167 || r.Grade.Grade != evaluation.GradeBasic {
		t.Errorf("first secretary = %s %s, want 61.67 basic", r.Score, r.Grade.Grade)
	}
}
