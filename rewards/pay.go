package rewards

import (
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// The kinds of pay formula.
const (
	// FormulaCoefficient is the coefficient family of 三岗十八级: monthly base = the
	// previous year's city average monthly wage × Uplift × the grade's coefficient,
	// rounded once, raised to the policy floor when one is set.
	FormulaCoefficient = "coefficient"
	// FormulaFixed is the fixed-yuan scheme as the city document states it: post pay
	// (岗位工资) by post, level pay (薪级工资) by years worked, title pay (职称津贴) by the
	// highest social-work certificate, the dual-role allowance (书记主任"一肩挑"), and
	// performance pay (绩效工资) = a monthly basic amount plus an annual reward by the
	// annual assessment grade.
	FormulaFixed = "fixed"
)

// PayFormula is the monthly pay rule of a [PayScale].
type PayFormula struct {
	// Kind is FormulaCoefficient, FormulaFixed or FormulaExpr.
	Kind string `json:"kind" yaml:"kind"`

	// CityWages maps a year Y to the average monthly wage of that year: the city's
	// average wage of all employed persons in urban units (城镇全社会单位就业人员平均工资 —
	// not the narrower average wage of employees, 职工平均工资), the annual figure ÷ 12.
	// A district reads it from the city statistics bureau's annual bulletin (南京市统计局,
	// 城镇全社会单位就业人员年平均工资, published each spring); pay in year Y uses Y−1.
	// (FormulaCoefficient, FormulaExpr)
	CityWages map[int]Fen `json:"city_wages,omitempty" yaml:"city_wages,omitempty"`
	// Uplift multiplies the city wage (上浮系数). (FormulaCoefficient)
	Uplift Rate `json:"uplift,omitempty" yaml:"uplift,omitempty"`
	// Coefficients holds one coefficient per grade, grade 1 first. (FormulaCoefficient)
	Coefficients []Rate `json:"coefficients,omitempty" yaml:"coefficients,omitempty"`
	// Floor, when > 0, is the least base of any grade as a multiple of the city wage:
	// 1 means no grade is paid below the city average. 0 means no floor. A policy
	// choice: the default coefficients pay grades 1–5 below the average.
	// (FormulaCoefficient)
	Floor Rate `json:"floor,omitempty" yaml:"floor,omitempty"`

	// PostWage is the monthly post pay of each post (岗位工资). (FormulaFixed)
	PostWage map[string]Fen `json:"post_wage,omitempty" yaml:"post_wage,omitempty"`
	// LevelYears are the upper bounds, in years worked, of levels 1, 2, …: with
	// [3, 6, 9] three years or less is level 1, four to six level 2, seven to nine
	// level 3 and ten or more level 4. Years worked are PriorService plus the whole
	// years since Start, on the first day of the pay month. (FormulaFixed)
	LevelYears []int `json:"level_years,omitempty" yaml:"level_years,omitempty"`
	// LevelBase and LevelStep give the level pay: LevelBase + LevelStep × (level − 1).
	// (FormulaFixed)
	LevelBase Fen `json:"level_base,omitempty" yaml:"level_base,omitempty"`
	LevelStep Fen `json:"level_step,omitempty" yaml:"level_step,omitempty"`
	// TitleWage is the monthly title pay for the highest certificate held. In this
	// scheme a certificate is title pay only; the scale's Certificates should add no
	// grades. (FormulaFixed)
	TitleWage map[string]Fen `json:"title_wage,omitempty" yaml:"title_wage,omitempty"`
	// DualRole is the monthly allowance of one person holding both the community party
	// secretary and the residents' committee director posts (书记主任"一肩挑"), paid while
	// the post spell in effect says so ([PostSpell.DualRole]). (FormulaFixed)
	DualRole Fen `json:"dual_role,omitempty" yaml:"dual_role,omitempty"`
	// PerformanceBasic is the monthly basic performance pay (基础绩效). (FormulaFixed)
	PerformanceBasic Fen `json:"performance_basic,omitempty" yaml:"performance_basic,omitempty"`
	// AnnualReward is the annual performance reward (年度绩效奖励) by assessment grade,
	// one amount for each of the scale's assessment results, paid on the payslip of
	// AnnualRewardMonth for the previous year's assessment. (FormulaFixed)
	AnnualReward      map[string]Fen `json:"annual_reward,omitempty" yaml:"annual_reward,omitempty"`
	AnnualRewardMonth int            `json:"annual_reward_month,omitempty" yaml:"annual_reward_month,omitempty"`

	// Expr is a district's own formula for the monthly base. (FormulaExpr; it may use
	// CityWages, Uplift and Coefficients too, when given)
	Expr Formula `json:"expr,omitzero" yaml:"expr,omitempty"`

	// Note records where the figures come from, for the reader of a profile.
	Note string `json:"note,omitempty" yaml:"note,omitempty"`
}

// Bonuses are monthly additions from evaluation results (绩效奖励, 时效奖励).
type Bonuses struct {
	// Performance maps an evaluation grade band ("A", "B" …) to a bonus.
	Performance map[string]Fen `json:"performance,omitempty" yaml:"performance,omitempty"`
	// Timeliness pays the Amount of the highest band whose MinRate the worker's
	// on-time closure rate reaches.
	Timeliness []TimelinessBand `json:"timeliness,omitempty" yaml:"timeliness,omitempty"`
}

// TimelinessBand is one step of the timeliness bonus.
type TimelinessBand struct {
	MinRate Rate `json:"min_rate" yaml:"min_rate"`
	Amount  Fen  `json:"amount" yaml:"amount"`
}

// Evaluation is the part of a worker's evaluation (package evaluation's scorecards)
// that pay uses. The payslip and [PayScale.Explain] cite exactly the band and grade
// passed here: the caller decides what they are, the pay scale does not re-derive them.
type Evaluation struct {
	// Band is the grade band of the worker's monthly score ("A"), "" when not
	// evaluated; it selects [Bonuses.Performance].
	Band string `json:"band,omitempty"`
	// Assessment is the annual assessment grade (年度考核等次: excellent 优秀, competent
	// 称职, basic 基本称职, fail 不称职) the fixed scheme's annual reward is paid by, in
	// the reward month. Empty means the worker's recorded assessment of the previous
	// year ([Worker.Assessments]), cited as such.
	Assessment string `json:"assessment,omitempty"`
	// OnTimeRate is closed on time ÷ due for the worker's cases; HasOnTime says it
	// was measured (a worker with no due cases earns no timeliness bonus).
	OnTimeRate Rate `json:"on_time_rate,omitempty"`
	HasOnTime  bool `json:"has_on_time,omitempty"`
}

// PayLine is one item of a payslip.
type PayLine struct {
	Item   string `json:"item"`
	Rule   string `json:"rule"`
	Text   string `json:"text"`
	Amount Fen    `json:"amount"`
}

// Payslip is a worker's pay for one month with the lines it adds up from.
// It is a plain value: safe for concurrent use while no one modifies it.
type Payslip struct {
	Worker hierarchy.PersonID `json:"worker"`
	Month  string             `json:"month"` // "2025-03"
	Grade  Grade              `json:"grade"`
	Lines  []PayLine          `json:"lines"`
	Total  Fen                `json:"total"`
	// Steps is the derivation of Grade.
	Steps []Step `json:"steps,omitempty"`
}

// Rules named by pay lines and refusals.
const (
	RulePayBase        = "pay.base"
	RulePayPost        = "pay.post-wage"
	RulePayLevel       = "pay.level-wage"
	RulePayTitle       = "pay.title-wage"
	RulePayPerformance = "pay.performance-pay"
	RulePayAnnual      = "pay.annual-reward"
	RulePayDualRole    = "pay.dual-role"
	RulePayFloor       = "pay.floor"
	RuleBonusPerf      = "bonus.performance"
	RuleBonusTimely    = "bonus.timeliness"
	RulePayData        = "pay.data"
)

// Payslip computes w's pay for the month containing at (China Standard Time), from
// the grade in effect on the first day of that month and the month's evaluation.
func (s PayScale) Payslip(w Worker, at time.Time, ev Evaluation) (Payslip, error) {
	y, m, _ := at.In(cst).Date()
	first := time.Date(y, m, 1, 0, 0, 0, 0, cst)
	if first.Before(w.Start) {
		first = w.Start
	}
	g, steps, err := s.GradeAt(w, first)
	if err != nil {
		return Payslip{}, err
	}
	ps := Payslip{Worker: w.ID, Month: fmt.Sprintf("%04d-%02d", y, m), Grade: g, Steps: steps}
	var sumErr error
	add := func(item, rule, text string, amount Fen) {
		ps.Lines = append(ps.Lines, PayLine{Item: item, Rule: rule, Text: text, Amount: amount})
		t, err := ps.Total.Add(amount)
		if err != nil && sumErr == nil {
			sumErr = err
		}
		ps.Total = t
	}
	f := s.Pay
	switch f.Kind {
	case FormulaCoefficient:
		wage, ok := f.CityWages[y-1]
		if !ok {
			return Payslip{}, &gridgov.Error{Op: "rewards.Payslip", Kind: gridgov.ErrPrecondition, Rule: RulePayData,
				Msg: fmt.Sprintf("no city average wage for %d, needed for pay in %d", y-1, y)}
		}
		c := f.Coefficients[g.Grade-1]
		base, err := MulRate(wage, f.Uplift, c)
		if err != nil {
			return Payslip{}, err
		}
		add("base", RulePayBase, fmt.Sprintf("city average monthly wage %d %s × uplift %s × coefficient of grade %d %s",
			y-1, wage, f.Uplift, g.Grade, c), base)
		if f.Floor > 0 {
			floor, err := MulRate(wage, f.Floor)
			if err != nil {
				return Payslip{}, err
			}
			if base < floor {
				add("floor", RulePayFloor, fmt.Sprintf("raised to the policy floor %s × city average monthly wage %s = %s", f.Floor, wage, floor), floor-base)
			}
		}
	case FormulaExpr:
		env := FormulaEnv{Grade: g.Grade, Post: g.Post, CityWage: int(f.CityWages[y-1]), Uplift: int(f.Uplift),
			Certificate: g.Certificate, Result: g.LastResult, CreditMonths: g.CreditMonths}
		if len(f.Coefficients) >= g.Grade {
			env.Coefficient = int(f.Coefficients[g.Grade-1])
		}
		base, err := f.Expr.Eval(env)
		if err != nil {
			return Payslip{}, err
		}
		if base < 0 || base > MaxWage {
			// A district formula cannot be bounded by Validate: its result is.
			return Payslip{}, &gridgov.Error{Op: "rewards.Payslip", Kind: gridgov.ErrInvalid, Rule: RulePayData,
				Msg: fmt.Sprintf("district formula %s yields %d fen for worker %s, outside 0–%d", f.Expr, base, w.ID, MaxWage)}
		}
		add("base", RulePayBase, fmt.Sprintf("district formula %s with grade %d, post %s, city wage %d %s, uplift %s, coefficient %s",
			f.Expr, g.Grade, g.Post, y-1, Fen(env.CityWage), Rate(env.Uplift), Rate(env.Coefficient)), base)
	case FormulaFixed:
		add("post", RulePayPost, fmt.Sprintf("post pay of %s", g.Post), f.PostWage[g.Post])
		years := yearsWorked(w, first)
		level := f.level(years)
		add("level", RulePayLevel, fmt.Sprintf("level %d for %d %s worked: %s + %s × (level %d − 1)",
			level, years, plural(years, "year", "years"), f.LevelBase, f.LevelStep, level), f.LevelBase+f.LevelStep*Fen(level-1))
		if g.Certificate != "" {
			add("title", RulePayTitle, fmt.Sprintf("title pay for certificate %q", g.Certificate), f.TitleWage[g.Certificate])
		}
		if spellAt(w, first).DualRole && f.DualRole > 0 {
			add("dual role", RulePayDualRole, "one person is both party secretary and director (书记主任一肩挑)", f.DualRole)
		}
		add("performance", RulePayPerformance, "basic performance pay, monthly", f.PerformanceBasic)
		if int(m) == f.AnnualRewardMonth {
			grade, source := ev.Assessment, "as evaluated"
			if grade == "" {
				grade, source = assessmentOf(w, y-1), "as recorded"
			}
			switch amount, ok := f.AnnualReward[grade]; {
			case grade == "":
				add("annual reward", RulePayAnnual, fmt.Sprintf("annual performance reward for %d: not assessed", y-1), 0)
			case !ok:
				return Payslip{}, &gridgov.Error{Op: "rewards.Payslip", Kind: gridgov.ErrInvalid, Rule: RulePayAnnual,
					Msg: fmt.Sprintf("assessment grade %q of worker %s is not a grade of %s", grade, w.ID, s.Name)}
			default:
				add("annual reward", RulePayAnnual, fmt.Sprintf("annual performance reward for %d, assessment %q (%s)", y-1, grade, source), amount)
			}
		}
	}
	if ev.Band != "" {
		if b, ok := s.Bonuses.Performance[ev.Band]; ok {
			add("performance bonus", RuleBonusPerf, fmt.Sprintf("evaluation band %q", ev.Band), b)
		}
	}
	if ev.HasOnTime && len(s.Bonuses.Timeliness) > 0 {
		bands := slices.Clone(s.Bonuses.Timeliness)
		slices.SortFunc(bands, func(a, b TimelinessBand) int { return int(b.MinRate - a.MinRate) })
		for _, b := range bands {
			if ev.OnTimeRate >= b.MinRate {
				add("timeliness bonus", RuleBonusTimely, fmt.Sprintf("on-time rate %s reaches %s", ev.OnTimeRate, b.MinRate), b.Amount)
				break
			}
		}
	}
	if sumErr != nil {
		return Payslip{}, sumErr
	}
	return ps, nil
}

// yearsWorked is PriorService plus the whole years from w.Start to at.
func yearsWorked(w Worker, at time.Time) int {
	s, a := w.Start.In(cst), at.In(cst)
	n := a.Year() - s.Year()
	if a.Month() < s.Month() || a.Month() == s.Month() && a.Day() < s.Day() {
		n--
	}
	return w.PriorService + max(n, 0)
}

// level is the fixed scheme's level for years worked.
func (f PayFormula) level(years int) int {
	level := 1
	for _, b := range f.LevelYears {
		if years > b {
			level++
		}
	}
	return level
}

// spellAt is the post spell of w in effect at t.
func spellAt(w Worker, t time.Time) PostSpell {
	cur := w.Posts[0]
	for _, p := range w.Posts[1:] {
		if !p.From.After(t) {
			cur = p
		}
	}
	return cur
}

func assessmentOf(w Worker, year int) string {
	for _, a := range w.Assessments {
		if a.Year == year {
			return a.Result
		}
	}
	return ""
}

// Payroll computes the payslips of workers for the month containing at; evals maps a
// worker to the month's evaluation. It stops at the first worker the scale refuses.
func (s PayScale) Payroll(workers []Worker, at time.Time, evals map[hierarchy.PersonID]Evaluation) ([]Payslip, Fen, error) {
	out := make([]Payslip, 0, len(workers))
	var total Fen
	for _, w := range workers {
		ps, err := s.Payslip(w, at, evals[w.ID])
		if err != nil {
			return nil, 0, fmt.Errorf("rewards: payroll: %w", err)
		}
		ps.Steps = nil
		out = append(out, ps)
		if total, err = total.Add(ps.Total); err != nil {
			return nil, 0, fmt.Errorf("rewards: payroll: %w", err)
		}
	}
	return out, total, nil
}
