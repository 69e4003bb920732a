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
	// FormulaCoefficient: monthly base = the previous year's city average monthly wage
	// (上年度全市职工月平均工资) × Uplift × the grade's coefficient, rounded once.
	FormulaCoefficient = "coefficient"
	// FormulaFixed: post wage + level wage + title wage + performance pay, all in fixed
	// amounts (岗位工资 + 薪级工资 + 职称津贴 + 绩效工资).
	FormulaFixed = "fixed"
)

// PayFormula is the monthly pay rule of a [PayScale].
type PayFormula struct {
	// Kind is FormulaCoefficient or FormulaFixed.
	Kind string `json:"kind" yaml:"kind"`

	// CityWages maps a year to that year's city average monthly wage; pay in year Y
	// uses Y−1. (FormulaCoefficient)
	CityWages map[int]Fen `json:"city_wages,omitempty" yaml:"city_wages,omitempty"`
	// Uplift multiplies the city wage (上浮系数). (FormulaCoefficient)
	Uplift Rate `json:"uplift,omitempty" yaml:"uplift,omitempty"`
	// Coefficients holds one coefficient per grade, grade 1 first. (FormulaCoefficient)
	Coefficients []Rate `json:"coefficients,omitempty" yaml:"coefficients,omitempty"`

	// PostWage is the monthly wage of each post. (FormulaFixed)
	PostWage map[string]Fen `json:"post_wage,omitempty" yaml:"post_wage,omitempty"`
	// LevelBase and LevelStep give the level wage: LevelBase + LevelStep × (grade − 1).
	// (FormulaFixed)
	LevelBase Fen `json:"level_base,omitempty" yaml:"level_base,omitempty"`
	LevelStep Fen `json:"level_step,omitempty" yaml:"level_step,omitempty"`
	// TitleWage is the monthly allowance for the highest certificate held. (FormulaFixed)
	TitleWage map[string]Fen `json:"title_wage,omitempty" yaml:"title_wage,omitempty"`
	// PerformancePay is the monthly performance pay by the assessment result in
	// effect; a worker not yet assessed gets Unassessed. (FormulaFixed)
	PerformancePay map[string]Fen `json:"performance_pay,omitempty" yaml:"performance_pay,omitempty"`
	Unassessed     Fen            `json:"unassessed,omitempty" yaml:"unassessed,omitempty"`

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

// Evaluation is the part of a month's evaluation (package evaluation's scorecard)
// that pay uses.
type Evaluation struct {
	// Band is the grade band of the worker's score ("A"), "" when not evaluated.
	Band string `json:"band,omitempty"`
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
	add := func(item, rule, text string, amount Fen) {
		ps.Lines = append(ps.Lines, PayLine{Item: item, Rule: rule, Text: text, Amount: amount})
		ps.Total += amount
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
		add("base", RulePayBase, fmt.Sprintf("city average monthly wage %d %s × uplift %s × coefficient of grade %d %s",
			y-1, wage, f.Uplift, g.Grade, c), MulRate(wage, f.Uplift, c))
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
		add("base", RulePayBase, fmt.Sprintf("district formula %s with grade %d, post %s, city wage %d %s, uplift %s, coefficient %s",
			f.Expr, g.Grade, g.Post, y-1, Fen(env.CityWage), Rate(env.Uplift), Rate(env.Coefficient)), base)
	case FormulaFixed:
		add("post", RulePayPost, fmt.Sprintf("post wage of %s", g.Post), f.PostWage[g.Post])
		add("level", RulePayLevel, fmt.Sprintf("level wage %s + %s × (grade %d − 1)", f.LevelBase, f.LevelStep, g.Grade),
			f.LevelBase+f.LevelStep*Fen(g.Grade-1))
		if g.Certificate != "" {
			add("title", RulePayTitle, fmt.Sprintf("title wage for certificate %q", g.Certificate), f.TitleWage[g.Certificate])
		}
		if g.LastResult == "" {
			add("performance", RulePayPerformance, "performance pay, not yet assessed", f.Unassessed)
		} else {
			add("performance", RulePayPerformance, fmt.Sprintf("performance pay for assessment %q", g.LastResult), f.PerformancePay[g.LastResult])
		}
	}
	if ev.Band != "" {
		if b, ok := s.Bonuses.Performance[ev.Band]; ok {
			add("performance bonus", RuleBonusPerf, fmt.Sprintf("evaluation band %q", ev.Band), b)
		}
	}
	if ev.HasOnTime {
		bands := slices.Clone(s.Bonuses.Timeliness)
		slices.SortFunc(bands, func(a, b TimelinessBand) int { return int(b.MinRate - a.MinRate) })
		for _, b := range bands {
			if ev.OnTimeRate >= b.MinRate {
				add("timeliness bonus", RuleBonusTimely, fmt.Sprintf("on-time rate %s reaches %s", ev.OnTimeRate, b.MinRate), b.Amount)
				break
			}
		}
	}
	return ps, nil
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
		total += ps.Total
	}
	return out, total, nil
}
