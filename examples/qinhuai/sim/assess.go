package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards"
)

// evaluationService opens the district's evaluation service on clock, reading
// whistles from the events' cases.
func (r *runner) evaluationService(clock gridgov.Clock, events *escalation.Service) (*evaluation.Service, error) {
	return evaluation.NewService(r.b, r.d.prof.Evaluation, r.d.tree, &evaluation.ServiceOptions{Clock: clock,
		Facts:  evaluation.EscalationFacts{Cases: events, Policies: r.ps, Calendar: r.d.cal},
		Prefix: r.d.code + ".evaluation."})
}

// recordOverall records the year's overall evaluation (综合评价) of every unit with
// cases, the seventh stage of the loop, once the year is complete.
func (r *runner) recordOverall(ctx context.Context, from, to time.Time) error {
	ev, err := r.evaluationService(r.clock, r.svc.events)
	if err != nil {
		return err
	}
	_, mr, err := r.yearCases(ctx, escalation.Period{From: from, To: to})
	if err != nil {
		return err
	}
	r.clock.Set(to.Add(9 * time.Hour))
	_, err = ev.RecordOverallReport(ctx, r.d.assessor, strconv.Itoa(r.year), mr)
	return err
}

// yearCases lists the events' cases with their histories and computes their metrics
// over period by unit. Listing every case is the report's largest read, so the list
// and metrics are kept for the report that follows in the same run: nothing writes
// the events' cases between the two.
func (r *runner) yearCases(ctx context.Context, period escalation.Period) ([]escalation.Case, escalation.MetricsReport, error) {
	if r.listed != nil && r.listed.period.From.Equal(period.From) && r.listed.period.To.Equal(period.To) {
		return r.listed.cases, r.listed.mr, nil
	}
	cases, err := r.svc.events.List(ctx, escalation.Query{})
	if err != nil {
		return nil, escalation.MetricsReport{}, err
	}
	mr := escalation.Compute(slices.Values(cases), r.ps, r.d.cal, escalation.MetricsOptions{Period: period, Tree: r.d.tree})
	r.listed = &listedCases{period: period, cases: cases, mr: mr}
	return cases, mr, nil
}

// listedCases is what yearCases read.
type listedCases struct {
	period escalation.Period
	cases  []escalation.Case
	mr     escalation.MetricsReport
}

// assessment is what the scorecards decided for one district.
type assessment struct {
	results     *evaluation.Results
	in          *evaluation.Inputs
	streets     []hierarchy.Ref
	depts       []hierarchy.Ref
	secretaries []hierarchy.Ref
	workers     []hierarchy.Ref
	onTime      map[hierarchy.PersonID]evaluation.Ratio
}

// assess scores the year's cards: streets, communities, departments (with their
// paired communities, 捆绑式考核), first secretaries and grid workers. The stored
// records give the overall evaluations and the streets' ratings of departments; the
// inputs no record of the simulation holds — third-party satisfaction surveys,
// first secretaries' livelihood projects and days in their communities — are drawn
// from the year's seed.
func (r *runner) assess(ctx context.Context, mr escalation.MetricsReport, cases []escalation.Case) (*assessment, error) {
	d := r.d
	ev, err := r.evaluationService(r.clock, r.svc.events)
	if err != nil {
		return nil, err
	}
	period := strconv.Itoa(r.year)
	a := &assessment{onTime: map[hierarchy.PersonID]evaluation.Ratio{}}
	var communities []hierarchy.Ref
	for _, c := range d.communities {
		communities = append(communities, hierarchy.UnitRef(c.id))
	}
	for _, s := range d.streets {
		a.streets = append(a.streets, hierarchy.UnitRef(s.id))
	}
	for _, dep := range d.depts {
		a.depts = append(a.depts, hierarchy.UnitRef(dep.id))
	}
	for _, s := range d.secretaries {
		a.secretaries = append(a.secretaries, hierarchy.PersonRef(s.actor.Person))
	}
	for _, g := range d.grids {
		if p, ok := d.tree.Post(g.worker.Post); ok && p.Role == hierarchy.RoleGridWorker {
			a.workers = append(a.workers, hierarchy.PersonRef(g.worker.Person))
		}
	}
	req := evaluation.Request{evaluation.CardCommunity: communities, evaluation.CardStreet: a.streets,
		evaluation.CardDepartment: a.depts, evaluation.CardFirstSecretary: a.secretaries, evaluation.CardGridWorker: a.workers}
	in, err := ev.Inputs(ctx, period, req)
	if err != nil {
		return nil, err
	}
	a.in = in
	rng := rand.New(rand.NewPCG(uint64(r.seed), d.seedFor(r.seed, in.Period.From.AddDate(1, 0, 0))))

	// Third-party satisfaction surveys of every community and street.
	for _, u := range append(slices.Clone(communities), a.streets...) {
		n := int64(120 + rng.IntN(200))
		share := min(1, 0.88+0.1*rng.Float64())
		satisfied := int64(float64(n) * share)
		basic := (n - satisfied) * 2 / 3
		in.AddSurvey(evaluation.Survey{Name: "residents", Unit: hierarchy.UnitID(u.ID), Respondents: n,
			Credit: satisfied*evaluation.Full + basic*900_000}, d.prof.Evaluation.SurveyMinSample)
	}
	// First secretaries' livelihood projects and days in their communities.
	var projects []evaluation.Project
	var leaders []hierarchy.PersonID
	cadres := map[hierarchy.PersonID]hierarchy.UnitID{}
	var records []evaluation.AttendanceRecord
	for i, s := range d.secretaries {
		leaders = append(leaders, s.actor.Person)
		for k := range 1 + rng.IntN(2) {
			projects = append(projects, evaluation.Project{ID: fmt.Sprintf("%s-project-%03d-%d", d.code, i+1, k+1),
				Leader: s.actor.Person, Community: d.communities[s.community].id, Year: r.year, Completed: rng.Float64() < 0.9})
		}
		cadres[s.actor.Person] = d.depts[s.dept].id
		for w := in.Period.From; w.Before(in.Period.To); w = w.AddDate(0, 0, 14) {
			if rng.Float64() < 0.93 {
				day := w.AddDate(0, 0, rng.IntN(14))
				if day.Before(in.Period.To) {
					records = append(records, evaluation.AttendanceRecord{Person: s.actor.Person,
						Community: d.communities[s.community].id, Day: day.Add(10 * time.Hour)})
				}
			}
		}
	}
	in.AddProjects(projects, leaders, r.year, d.prof.Evaluation.ProjectsPerYear)
	perCadre, perDept, err := d.prof.Evaluation.Attendance.Attendance(in.Period, cadres, records)
	if err != nil {
		return nil, err
	}
	in.AddAttendance(perCadre)
	in.AddAttendance(perDept)

	// Departments: report-in timeliness from the whistles' facts; they own no cases,
	// so their closure rate does not apply.
	facts := evaluation.EscalationFacts{Cases: r.svc.events, Policies: r.ps, Calendar: d.cal}
	reportIn := map[hierarchy.UnitID]*evaluation.Ratio{}
	for _, dep := range d.depts {
		reportIn[dep.id] = &evaluation.Ratio{}
	}
	for _, c := range cases {
		for i := range c.Whistles {
			wf, err := facts.Whistle(ctx, string(c.ID), i+1)
			if err != nil {
				return nil, err
			}
			for _, s := range wf.Summons {
				if x := reportIn[s.Unit]; x != nil && in.Period.Contains(s.At) {
					x.Den++
					if s.OnTime {
						x.Num++
					}
				}
			}
		}
	}
	for _, dep := range d.depts {
		x := *reportIn[dep.id]
		in.Set(hierarchy.UnitRef(dep.id), evaluation.Source{Kind: evaluation.SourceMetric, Name: "report_in_on_time"},
			evaluation.Value{Ratio: x, Sample: x.Den, Note: "whistle facts"})
		in.Set(hierarchy.UnitRef(dep.id), evaluation.Source{Kind: evaluation.SourceMetric, Name: "closure"},
			evaluation.Value{Note: "owns no cases"})
	}
	// Grid workers: their grid's rates, and the complaints against its closed cases.
	complaints := map[hierarchy.UnitID]int64{}
	for _, c := range cases {
		for _, e := range c.History {
			if e.Action == escalation.ActionComplain && in.Period.Contains(e.At) {
				complaints[c.Location.Unit]++
			}
		}
	}
	for _, g := range d.grids {
		if p, ok := d.tree.Post(g.worker.Post); !ok || p.Role != hierarchy.RoleGridWorker {
			continue
		}
		ref := hierarchy.PersonRef(g.worker.Person)
		m := mr.Units[g.code]
		if m == nil {
			m = &escalation.Metrics{}
		}
		in.AddOverall(ref, evaluation.OverallFromMetrics(g.code, period, *m))
		in.Set(ref, evaluation.Source{Kind: evaluation.SourceEvents, Name: "complaints"},
			evaluation.Value{Ratio: evaluation.Ratio{Num: complaints[g.code], Den: 1}, Sample: 1})
		a.onTime[g.worker.Person] = evaluation.Ratio{Num: m.OnTimeClosure.Num, Den: m.OnTimeClosure.Den}
	}
	if a.results, err = ev.Score(in, req); err != nil {
		return nil, err
	}
	return a, nil
}

// payBill pays the community workers on the pay scale — the full-time grid workers
// and each community's director, secretary and staff member — for December on last
// year's assessments, and for January of the next year with this year's grades
// added (优秀 may accelerate a grade, 不称职 freezes it).
func (r *runner) payBill(a *assessment) (*PayBill, error) {
	d := r.d
	scale := d.prof.Rewards.PayScale
	rng := rand.New(rand.NewPCG(uint64(r.seed)^0x5a17, uint64(len(d.grids))))
	var workers []rewards.Worker
	post := map[hierarchy.PersonID]string{}
	add := func(p hierarchy.PersonID, kind string) {
		start := time.Date(2008+rng.IntN(17), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, d.cal.Location())
		w := rewards.Worker{ID: p, Start: start, Posts: []rewards.PostSpell{{Post: kind, From: start}}}
		if rng.IntN(3) > 0 {
			w.Education = "bachelor"
		}
		if rng.IntN(4) == 0 {
			w.Certificates = []rewards.Certificate{{Level: rewards.CertAssistant, From: start.AddDate(1, 0, 0)}}
		}
		for y := start.Year() + 1; y < r.year; y++ {
			res := rewards.ResultCompetent
			if rng.IntN(6) == 0 {
				res = rewards.ResultExcellent
			}
			w.Assessments = append(w.Assessments, rewards.Assessment{Year: y, Result: res})
		}
		post[p] = kind
		workers = append(workers, w)
	}
	for _, ref := range a.workers {
		add(hierarchy.PersonID(ref.ID), "staff")
	}
	for _, c := range d.communities {
		add(c.director.Person, "head")
		add(c.secretary.Person, "head")
		add(c.staff.Person, "staff")
	}
	dec := time.Date(r.year, 12, 1, 0, 0, 0, 0, d.cal.Location())
	decSlips, before, err := scale.Payroll(workers, dec, nil)
	if err != nil {
		return nil, fmt.Errorf("sim: payroll %s: %w", dec.Format("2006-01"), err)
	}
	evals := map[hierarchy.PersonID]rewards.Evaluation{}
	grades := map[string]int{}
	for i := range workers {
		w := &workers[i]
		res, ok := a.results.Result(evaluation.CardGridWorker, hierarchy.PersonRef(w.ID))
		if !ok || !res.Scored {
			w.Assessments = append(w.Assessments, rewards.Assessment{Year: r.year, Result: rewards.ResultCompetent})
			continue
		}
		if as, ok := evaluation.Assessment(r.year, res); ok {
			w.Assessments = append(w.Assessments, as)
		}
		evals[w.ID] = evaluation.PayEvaluation(res, a.onTime[w.ID])
		grades[res.Grade.Name]++
	}
	jan := dec.AddDate(0, 1, 0)
	janSlips, after, err := scale.Payroll(workers, jan, evals)
	if err != nil {
		return nil, fmt.Errorf("sim: payroll %s: %w", jan.Format("2006-01"), err)
	}
	pb := &PayBill{Workers: len(workers), Month: dec.Format("2006-01"), MonthTotal: before.String(),
		NextMonth: jan.Format("2006-01"), NextTotal: after.String(), GradeCounts: grades,
		MonthFen: before, NextFen: after}
	if err := pb.explain(decSlips, janSlips); err != nil {
		return nil, err
	}
	return pb, nil
}

// explain sets what makes the two months' bills differ: the bonuses, which only the
// second pays, and the grades.
func (pb *PayBill) explain(before, after []rewards.Payslip) error {
	if len(before) != len(after) || len(after) == 0 {
		return fmt.Errorf("sim: pay bill: %d payslips before and %d after", len(before), len(after))
	}
	var sum, next int
	for i := range after {
		if before[i].Worker != after[i].Worker {
			return fmt.Errorf("sim: pay bill: payslip %d is %s's before and %s's after", i, before[i].Worker, after[i].Worker)
		}
		sum += before[i].Grade.Grade
		next += after[i].Grade.Grade
		if after[i].Grade.Grade > before[i].Grade.Grade {
			pb.GradesUp++
		}
		for _, l := range after[i].Lines {
			if l.Rule != rewards.RuleBonusPerf && l.Rule != rewards.RuleBonusTimely {
				continue
			}
			var err error
			if pb.NextBonusFen, err = addFen(pb.NextBonusFen, l.Amount); err != nil {
				return err
			}
		}
	}
	pb.NextBonus = pb.NextBonusFen.String()
	pb.MeanGrade = float64(sum) / float64(len(before))
	pb.NextMeanGrade = float64(next) / float64(len(after))
	return nil
}

// ranked turns a card's results into a ranking.
func ranked(d *district, rs *evaluation.Results, card string, subjects []hierarchy.Ref) []Ranked {
	var out []Ranked
	for _, s := range subjects {
		res, ok := rs.Result(card, s)
		if !ok || !res.Scored {
			continue
		}
		name := s.ID
		if u, ok := d.tree.Unit(hierarchy.UnitID(s.ID)); ok {
			name = u.Name
		}
		out = append(out, Ranked{Place: res.Rank, Unit: s.ID, Name: name, Score: res.Score.String(), Grade: res.Grade.Name,
			Value: float64(res.Score) / 100})
	}
	slices.SortStableFunc(out, func(a, b Ranked) int {
		if a.Place != b.Place {
			return a.Place - b.Place
		}
		return compareStrings(a.Unit, b.Unit)
	})
	return out
}
