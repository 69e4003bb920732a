package sim

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/rewards"
)

// Published is the period the report's published figures cover: they add up the
// years since the reform began (2019 for whistles, 2020 for the police channel).
const Published = "Qinhuai field report, 2019/2020 to 2020"

// Report is what a run found, every figure computed by the library's metrics,
// statistics, scorecards and payroll from the stored records. It is a plain value;
// two runs with the same options give equal reports (Elapsed aside).
type Report struct {
	Seed      int64            `json:"seed"`
	Year      int              `json:"year"`
	Scale     int              `json:"scale"`
	Profile   string           `json:"profile"`
	From      string           `json:"from"` // the period covered, [From, To)
	To        string           `json:"to"`
	Complete  bool             `json:"complete"` // the whole year is stored
	Districts []DistrictLayout `json:"districts"`
	// Figures set each simulated figure beside the published one.
	Figures []Figure `json:"figures"`
	// Monthly counts the grid events reported each month, by major class.
	Monthly []Month `json:"monthly"`
	// Funnel follows the grid events from report to closure.
	Funnel []Stage `json:"funnel"`
	// Rewards is the distribution of what grid workers earned in report rewards.
	Rewards []Bucket `json:"rewards"`
	// Streets and Departments are the year's rankings.
	Streets     []Ranked `json:"streets"`
	Departments []Ranked `json:"departments,omitempty"`
	// Pay is the pay bill of the workers on the pay scale.
	Pay *PayBill `json:"pay,omitempty"`
	// Elapsed is how long the run took by Options.Now; it is not part of the report's
	// content and JSON leaves it out.
	Elapsed time.Duration `json:"-"`
}

// DistrictLayout is what a district was built from, counted from its tree and index.
type DistrictLayout struct {
	Code             string `json:"code"`
	Units            int    `json:"units"`
	Streets          int    `json:"streets"`
	Communities      int    `json:"communities"`
	Grids            int    `json:"grids"`
	Exclusive        int    `json:"exclusive"`
	Beats            int    `json:"beats"`
	Rooms            int    `json:"rooms"`
	GridWorkers      int    `json:"grid_workers"` // full-time
	FirstSecretaries int    `json:"first_secretaries"`
	Findings         int    `json:"findings"` // of grid validation
}

// Figure is one simulated figure beside the published one.
type Figure struct {
	Key       string  `json:"key"`
	Name      string  `json:"name"`
	Simulated string  `json:"simulated"`
	Value     float64 `json:"value"`
	Published string  `json:"published,omitempty"`
	Target    float64 `json:"target,omitempty"` // the published value as a number, when there is one
	Source    string  `json:"source"`           // the library call that computed it
}

// Month is one month's reports by category.
type Month struct {
	Month      string           `json:"month"`
	ByCategory map[string]int64 `json:"by_category"`
}

// Stage is one stage of the escalation funnel.
type Stage struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// Bucket is one band of the reward distribution: how many workers earned within it.
type Bucket struct {
	Label   string `json:"label"`
	Workers int    `json:"workers"`
}

// Ranked is one place of a ranking.
type Ranked struct {
	Place int     `json:"place"`
	Unit  string  `json:"unit"`
	Name  string  `json:"name"`
	Score string  `json:"score"`
	Grade string  `json:"grade,omitempty"`
	Value float64 `json:"value"`
}

// PayBill is the pay of the workers on the 三岗十八级 scale.
type PayBill struct {
	Workers     int            `json:"workers"`
	Month       string         `json:"month"` // the month of this year paid
	MonthTotal  string         `json:"month_total"`
	NextMonth   string         `json:"next_month"` // January of the next year, on this year's grades
	NextTotal   string         `json:"next_total"`
	GradeCounts map[string]int `json:"grade_counts"`
	MonthFen    rewards.Fen    `json:"month_fen"`
	NextFen     rewards.Fen    `json:"next_fen"`
	// NextBonusFen is the part of NextFen that the year's scorecards add as performance
	// and timeliness bonuses, which the month of this year, paid before them, lacks; the
	// rest of the difference is the newer city wage and the grades gained.
	NextBonusFen rewards.Fen `json:"next_bonus_fen"`
	NextBonus    string      `json:"next_bonus"`
	// MeanGrade and NextMeanGrade are the workers' mean grade in the two months, and
	// GradesUp how many workers are a grade or more higher in the second.
	MeanGrade     float64 `json:"mean_grade"`
	NextMeanGrade float64 `json:"next_mean_grade"`
	GradesUp      int     `json:"grades_up"`
}

func ratePct(r escalation.Rate) float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den) * 100
}

// reads are the report's largest reads, which depend on nothing the year end
// writes: the police cases' metrics, and the mediation report with the rewards'
// statistics.
type reads struct {
	done      chan struct{}
	police    escalation.MetricsReport
	mediation mediation.Report
	rewards   []rewards.Stats
	errs      [2]error
}

// startReads runs the reads on two goroutines of their own, so that on other cores
// they overlap the year end's overall evaluations and the rest of the report, which
// take about as long. The results are values computed from the store as the
// simulation left it, so when the reads run changes nothing in the report.
func (r *runner) startReads(ctx context.Context, from, to time.Time) *reads {
	x := &reads{done: make(chan struct{})}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		x.police, x.errs[0] = r.svc.police.Metrics(ctx, escalation.MetricsOptions{Period: escalation.Period{From: from, To: to}})
	}()
	go func() {
		defer wg.Done()
		if x.mediation, x.errs[1] = r.svc.mediation.Report(ctx, mediation.Period{From: from, To: to}); x.errs[1] != nil {
			return
		}
		x.rewards, x.errs[1] = r.svc.rewards.StatsEach(ctx,
			rewards.StatsQuery{From: from, To: to, By: []rewards.Dimension{rewards.ByCategory}},
			rewards.StatsQuery{From: from, To: to, By: []rewards.Dimension{rewards.ByWorker}})
	}()
	go func() {
		wg.Wait()
		close(x.done)
	}()
	return x
}

// wait returns the reads once they are done, or when ctx ends.
func (x *reads) wait(ctx context.Context) (*reads, error) {
	select {
	case <-x.done:
		return x, errors.Join(x.errs[:]...)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// report builds the report of everything stored for the districts, over [from, to).
// pre holds each runner's police metrics when their read was started earlier (see
// startReads); those missing are started here.
func report(ctx context.Context, rs []*runner, from, to time.Time, pre []*reads) (*Report, error) {
	r0 := rs[0]
	rep := &Report{Seed: r0.seed, Year: r0.year, Scale: len(rs), Profile: r0.d.prof.Name,
		From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), Complete: !to.Before(from.AddDate(1, 0, 0))}
	period := escalation.Period{From: from, To: to}
	var events, police escalation.Metrics
	var units = map[hierarchy.UnitID]bool{}
	var levels = map[hierarchy.Level]int64{}
	var med mediation.Stats
	var polStats, epiStats rewards.StatsRow
	monthly := make([]Month, 0, 12)
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		monthly = append(monthly, Month{Month: m.Format("2006-01"), ByCategory: map[string]int64{}})
	}
	workerPaid := map[string]rewards.Fen{}
	type streetAgg struct {
		name string
		m    escalation.Metrics
	}
	streets := map[hierarchy.UnitID]*streetAgg{}
	var rankStreets []Ranked
	var pay *PayBill
	var secScored int
	var revN, revSum int64
	var projDone, projLed int64
	if pre == nil {
		pre = make([]*reads, len(rs))
	}
	for i, r := range rs {
		if pre[i] == nil {
			pre[i] = r.startReads(ctx, from, to)
		}
	}
	for i, r := range rs {
		d := r.d
		rep.Districts = append(rep.Districts, d.layout(ctx))
		cases, mr, err := r.yearCases(ctx, period)
		if err != nil {
			return nil, err
		}
		events.Add(mr.Total)
		if rep.Complete {
			a, err := r.assess(ctx, mr, cases)
			if err != nil {
				return nil, err
			}
			if len(rep.Districts) == 1 {
				// The rankings are the first district's (Qinhuai's); at scale > 1 the
				// others are its copies.
				rankStreets = ranked(d, a.results, evaluation.CardStreet, a.streets)
				rep.Departments = ranked(d, a.results, evaluation.CardDepartment, a.depts)
			}
			for _, s := range a.secretaries {
				if res, ok := a.results.Result(evaluation.CardFirstSecretary, s); ok && res.Scored {
					secScored++
				}
				if v, ok := a.in.Value(s, evaluation.Source{Kind: evaluation.SourceProjects}); ok {
					projDone += v.Ratio.Num
					projLed += v.Sample
				}
			}
			pb, err := r.payBill(a)
			if err != nil {
				return nil, err
			}
			if pay == nil {
				pay = pb
			} else {
				pay.Workers += pb.Workers
				if pay.MonthFen, err = addFen(pay.MonthFen, pb.MonthFen); err != nil {
					return nil, err
				}
				if pay.NextFen, err = addFen(pay.NextFen, pb.NextFen); err != nil {
					return nil, err
				}
				for g, n := range pb.GradeCounts {
					pay.GradeCounts[g] += n
				}
				pay.MonthTotal, pay.NextTotal = pay.MonthFen.String(), pay.NextFen.String()
			}
		}
		for _, s := range d.streets {
			if m, ok := mr.Units[s.id]; ok {
				streets[s.id] = &streetAgg{name: string(s.name), m: *m}
			}
		}
		for i, mo := range monthly {
			start, _ := time.ParseInLocation("2006-01", mo.Month, d.cal.Location())
			end := start.AddDate(0, 1, 0)
			mm := escalation.Compute(slices.Values(cases), r.ps, d.cal, escalation.MetricsOptions{
				Period: escalation.Period{From: start, To: end}, Window: end.Sub(start)})
			for cat, n := range mm.Total.Trend {
				if len(n) > 0 {
					monthly[i].ByCategory[cat] += n[0]
				}
			}
		}
		for _, c := range cases {
			for _, e := range c.History {
				if !period.Contains(e.At) {
					continue
				}
				switch e.Action {
				case escalation.ActionReportIn:
					if e.Unit != "" {
						units[e.Unit] = true
					}
				case escalation.ActionEscalate:
					levels[e.Level]++
				}
			}
		}
		n, sum, err := r.reverseStats(ctx)
		if err != nil {
			return nil, err
		}
		revN, revSum = revN+n, revSum+sum
		x, err := pre[i].wait(ctx)
		if err != nil {
			return nil, err
		}
		med = addMediation(med, x.mediation.Total)
		st, ws := x.rewards[0], x.rewards[1]
		// Of the police and epidemic matters' cases only the police closure is a
		// figure; the epidemic cases are counted by their claims.
		police.Add(x.police.Total)
		for _, row := range st.Rows {
			switch row.Key[0] {
			case rewards.CategoryPolice:
				polStats = addRow(polStats, row)
			case rewards.CategoryEpidemic:
				epiStats = addRow(epiStats, row)
			}
		}
		for _, row := range ws.Rows {
			workerPaid[d.code+"/"+row.Key[0]] += row.Net
		}
	}
	rep.Monthly = monthly

	fig := func(key, name, sim string, v float64, pub string, target float64, src string) {
		rep.Figures = append(rep.Figures, Figure{Key: key, Name: name, Simulated: sim, Value: v, Published: pub,
			Target: target, Source: src})
	}
	count := func(n int64) string { return fmt.Sprintf("%d", n) }
	fig("in_grid", "events solved inside the grid (网格内解决)", events.InGrid.String(), ratePct(events.InGrid),
		"90%", 90, "escalation.Compute: Metrics.InGrid")
	fig("closure", "closure rate of cases due (结案率)", events.Closure.String(), ratePct(events.Closure), "", 0,
		"escalation.Compute: Metrics.Closure")
	fig("on_time", "on-time closure (按期结案率)", events.OnTimeClosure.String(), ratePct(events.OnTimeClosure), "", 0,
		"escalation.Compute: Metrics.OnTimeClosure")
	fig("events", "grid events reported", count(events.Reported), float64(events.Reported), "", 0,
		"escalation.Compute: Metrics.Reported")
	fig("escalations", "escalation steps by the scheduler", count(events.Escalations), float64(events.Escalations), "", 0,
		"escalation.Compute: Metrics.Escalations")
	fig("whistles", "whistles blown (吹哨)", count(events.Whistles), float64(events.Whistles), "≈500 (since 2019)", 500,
		"escalation.Compute: Metrics.Whistles")
	fig("whistle_resolution", "whistles resolved", events.WhistleResolution.String(), ratePct(events.WhistleResolution),
		"80%", 80, "escalation.Compute: Metrics.WhistleResolution")
	fig("report_in_units", "departments and units that reported in (报到)", count(int64(len(units))), float64(len(units)),
		"54", 54, "distinct units of the report-in events of the stored cases")
	fig("report_in_on_time", "report-ins on time", events.ReportInOnTime.String(), ratePct(events.ReportInOnTime), "", 0,
		"escalation.Compute: Metrics.ReportInOnTime")
	fig("police_reports", "police-relevant reports (警情) presented for reward", count(int64(polStats.Reports)),
		float64(polStats.Reports), "60,000+ (since 2020)", 60000, "rewards.Service.Stats by category")
	fig("police_rewarded", "police reports rewarded", count(int64(polStats.Rewarded)), float64(polStats.Rewarded), "", 0,
		"rewards.Service.Stats by category")
	fig("police_rewards", "rewards paid for police reports", polStats.Net.String(), float64(polStats.Net)/100,
		"¥1,387,000 (since 2020)", 1387000, "rewards.Service.Stats by category: Net")
	fig("police_closure", "police matters closed on time", police.OnTimeClosure.String(), ratePct(police.OnTimeClosure), "", 0,
		"escalation.Service.Metrics (police collection)")
	fig("epidemic_reports", "epidemic-prevention reports (疫情)", count(int64(epiStats.Reports)), float64(epiStats.Reports),
		"24,000+ (2020)", 24000, "rewards.Service.Stats by category")
	fig("epidemic_rewards", "rewards paid for epidemic reports", epiStats.Net.String(), float64(epiStats.Net)/100, "", 0,
		"rewards.Service.Stats by category: Net")
	fig("disputes_resolved", "disputes resolved by agreement (调解成功)", fmt.Sprint(med.Agreed), float64(med.Agreed),
		"3,800+ (since 2020)", 3800, "mediation.Service.Report: Stats.Agreed")
	fig("mediation_success", "mediation success rate", fmt.Sprintf("%.1f%%", med.SuccessRate()*100), med.SuccessRate()*100,
		"", 0, "mediation.Service.Report: Stats.SuccessRate")
	fig("consultations", "legal consultations (法律咨询)", fmt.Sprint(med.Consultations), float64(med.Consultations),
		"1,100+ (since 2020)", 1100, "mediation.Service.Report: Stats.Consultations")
	fig("trainings", "legal trainings (法治培训)", fmt.Sprint(med.Trainings), float64(med.Trainings), "61 (since 2020)", 61,
		"mediation.Service.Report: Stats.Trainings")

	revMean := 0.0
	if revN > 0 {
		revMean = float64(revSum) / float64(revN) / 1e4
	}
	fig("reverse_ratings", "reverse ratings of first secretaries (反向评价)",
		fmt.Sprintf("%d, mean score %.1f%%", revN, revMean), float64(revN), "", 0,
		"evaluation.Service.RatingsOf: rule community-secondee")
	if rep.Complete {
		fig("first_secretaries", "first secretaries assessed (第一书记考核)", fmt.Sprint(secScored), float64(secScored),
			"107", 107, "evaluation.Service.Score: card first-secretary")
		fig("projects", "livelihood projects completed / led (民生项目)", fmt.Sprintf("%d / %d", projDone, projLed),
			float64(projDone), "107 secretaries, 1–2 projects each", 0, "evaluation.Inputs: projects source")
		if pay != nil {
			fig("pay_bill", "monthly pay bill, "+pay.Month, pay.MonthTotal, float64(pay.MonthFen)/100, "", 0,
				"rewards.PayScale.Payroll")
			fig("pay_bill_next", "monthly pay bill, "+pay.NextMonth+", on this year's grades", pay.NextTotal,
				float64(pay.NextFen)/100, "", 0, "rewards.PayScale.Payroll with evaluation.PayEvaluation")
		}
		rep.Pay = pay
	}
	rep.Funnel = []Stage{
		{"reported", events.Reported},
		{"solved on the spot", events.SelfHandled},
		{"escalated to the community", levels[hierarchy.LevelCommunity]},
		{"escalated to the street", levels[hierarchy.LevelStreet]},
		{"escalated to the district", levels[hierarchy.LevelDistrict]},
		{"whistles", events.Whistles},
		{"closed", events.Closed},
	}
	bands := []struct {
		label string
		upTo  rewards.Fen
	}{{"¥0–500", rewards.Yuan(500)}, {"¥500–1,000", rewards.Yuan(1000)}, {"¥1,000–1,500", rewards.Yuan(1500)},
		{"¥1,500–2,000", rewards.Yuan(2000)}, {"¥2,000–3,000", rewards.Yuan(3000)}, {"over ¥3,000", rewards.MaxAmount}}
	rep.Rewards = make([]Bucket, len(bands))
	for i, b := range bands {
		rep.Rewards[i].Label = b.label
	}
	for _, paid := range workerPaid {
		for i, b := range bands {
			if paid <= b.upTo {
				rep.Rewards[i].Workers++
				break
			}
		}
	}
	var ranked []Ranked
	for id, s := range streets {
		ranked = append(ranked, Ranked{Unit: string(id), Name: s.name, Score: s.m.OnTimeClosure.String(),
			Value: ratePct(s.m.OnTimeClosure)})
	}
	slices.SortFunc(ranked, func(a, b Ranked) int {
		if a.Value != b.Value {
			if a.Value > b.Value {
				return -1
			}
			return 1
		}
		return compareStrings(a.Unit, b.Unit)
	})
	for i := range ranked {
		ranked[i].Place = i + 1
	}
	rep.Streets = ranked
	if rankStreets != nil {
		rep.Streets = rankStreets
	}
	return rep, nil
}

// addFen adds two amounts, refusing one that would overflow.
func addFen(a, b rewards.Fen) (rewards.Fen, error) {
	if (b > 0 && a > rewards.MaxAmount-b) || (b < 0 && a < -rewards.MaxAmount-b) {
		return 0, fmt.Errorf("sim: pay bill %d + %d fen exceeds %d", a, b, rewards.MaxAmount)
	}
	return a + b, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func addMediation(a, b mediation.Stats) mediation.Stats {
	a.Cases += b.Cases
	a.Refused += b.Refused
	a.Concluded += b.Concluded
	a.Agreed += b.Agreed
	a.Failed += b.Failed
	a.OnTime += b.OnTime
	a.TotalDuration += b.TotalDuration
	a.Consultations += b.Consultations
	a.Trainings += b.Trainings
	return a
}

func addRow(a, b rewards.StatsRow) rewards.StatsRow {
	a.Reports += b.Reports
	a.Rejected += b.Rejected
	a.Rewarded += b.Rewarded
	a.Paid += b.Paid
	a.ClawedBack += b.ClawedBack
	a.Net += b.Net
	return a
}

// layout counts what the district was built from.
func (d *district) layout(ctx context.Context) DistrictLayout {
	l := DistrictLayout{Code: d.code, Units: d.tree.Len(), Streets: len(d.tree.ByLevel(hierarchy.LevelStreet)),
		Communities: len(d.communities), Grids: d.ix.Len(), Beats: len(d.beats), Rooms: len(d.network.Rooms()),
		FirstSecretaries: len(d.secretaries)}
	for _, code := range d.ix.Codes() {
		if g, ok := d.ix.Grid(code); ok && g.Kind != "comprehensive" {
			l.Exclusive++
		}
	}
	for _, g := range d.grids {
		if p, ok := d.tree.Post(g.worker.Post); ok && p.Role == hierarchy.RoleGridWorker {
			l.GridWorkers++
		}
	}
	if v, err := d.ix.Validate(ctx); err == nil {
		l.Findings = len(v.Findings)
	}
	return l
}
