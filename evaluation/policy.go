package evaluation

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Full is the credit of a full answer, in parts per million: every credit, rating score
// and normalised ratio of this package is an integer count of millionths.
const Full = 1_000_000

// NA is the answer key of a criterion that does not apply (不适用): it is left out of
// the rating and the weights of the others renormalised; it never counts as zero.
const NA = "n/a"

// Answer is one possible answer on a [Scale] with the credit it earns.
type Answer struct {
	Key  string `json:"key" yaml:"key"`
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Credit is the share of the criterion's weight the answer earns, in millionths
	// (满意 1 000 000, 基本满意 900 000, 不满意 0).
	Credit int64 `json:"credit" yaml:"credit"`
}

// Criterion is one thing a rater answers (response speed, cooperation, results,
// attitude …), with its relative weight and the scale of its answers.
//
// A criterion with a Fact is answered from the facts of the rated work, not by the
// rater: IfTrue when the fact holds, IfFalse when it does not ("report-in on time":
// 满意 when the department reported in by the deadline). Facts are those
// [ResolveWork] reads: [FactReportInOnTime] and [FactWhistleResolved] for whistles.
type Criterion struct {
	ID      string `json:"id" yaml:"id"`
	Name    string `json:"name,omitempty" yaml:"name,omitempty"`
	Weight  int64  `json:"weight" yaml:"weight"`
	Scale   string `json:"scale" yaml:"scale"`
	Fact    string `json:"fact,omitempty" yaml:"fact,omitempty"`
	IfTrue  string `json:"if_true,omitempty" yaml:"if_true,omitempty"`
	IfFalse string `json:"if_false,omitempty" yaml:"if_false,omitempty"`
}

// Facts a criterion may be answered from.
const (
	// FactReportInOnTime: the rated unit or leader reported in by the whistle type's
	// report-in deadline (报到及时), as escalation decides it.
	FactReportInOnTime = "report_in_on_time"
	// FactWhistleResolved: the whistle ended with the problem resolved.
	FactWhistleResolved = "whistle_resolved"
)

// TargetKind says what a rating is about: one whistle (一哨一考核), one case (一件一考核)
// or a period.
type TargetKind string

// Target kinds.
const (
	TargetWhistle TargetKind = "whistle"
	TargetCase    TargetKind = "case"
	TargetPeriod  TargetKind = "period"
)

// RatingRule is one kind of rating a district allows: who may rate whom (the right the
// rater's unit must hold over the subject at the time of the rated work), about what,
// on which criteria, and for how long after the work ends.
type RatingRule struct {
	ID     string          `json:"id" yaml:"id"`
	Target TargetKind      `json:"target" yaml:"target"`
	Right  hierarchy.Right `json:"right" yaml:"right"`
	// Criteria are the rule's criteria, in the order a form shows them.
	Criteria []Criterion `json:"criteria" yaml:"criteria"`
	// WindowDays is how many days after the rated work ends (the whistle concluded, the
	// case closed, the period over) a rating may still be submitted or amended.
	WindowDays int `json:"window_days" yaml:"window_days"`
	// Items are the admitted items (准入事项) the rule uses; a rule imposed on
	// communities must list only items admitted for them (see [Workload]).
	Items []string `json:"items,omitempty" yaml:"items,omitempty"`
}

// Window returns the rule's rating window.
func (r RatingRule) Window() time.Duration { return time.Duration(r.WindowDays) * 24 * time.Hour }

// Policy is a district's whole evaluation rule set: answer scales, rating rules,
// scorecards, grade bands and the assessments that feed them. All of it is data; see
// [QinhuaiPolicy] for the defaults and [Policy.Validate] for what must hold.
//
// A Policy is a plain value, safe for concurrent use while no one modifies it. Call
// [Policy.Compile] (or use a [Service]) before scoring: compiling checks it and compiles
// its formulas once.
type Policy struct {
	Scales  map[string][]Answer `json:"scales" yaml:"scales"`
	Ratings []RatingRule        `json:"ratings" yaml:"ratings"`
	// Grades are the default grade bands of every card that names none.
	Grades     []GradeBand           `json:"grades" yaml:"grades"`
	Scorecards map[string]*Scorecard `json:"scorecards" yaml:"scorecards"`
	// Surveys: the minimum sample of a third-party satisfaction survey (群众满意度第三方调查)
	// below which its result is flagged.
	SurveyMinSample int64 `json:"survey_min_sample" yaml:"survey_min_sample"`
	// ProjectsPerYear is the number of livelihood projects each first secretary
	// (第一书记) must lead in a year.
	ProjectsPerYear int `json:"projects_per_year" yaml:"projects_per_year"`
	// Attendance is the sunk-down rule (下沉): at least MinDays days in a community in
	// every window of WindowDays days.
	Attendance AttendanceRule `json:"attendance" yaml:"attendance"`
}

// AttendanceRule is the sunk-down attendance rule: cadres spend at least MinDays
// distinct days in a community in every window of WindowDays days, counted from the
// start of the period.
type AttendanceRule struct {
	WindowDays int `json:"window_days" yaml:"window_days"`
	MinDays    int `json:"min_days" yaml:"min_days"`
}

// Rules named by refusals and explanations.
const (
	RuleNoRight          = "rating.no-right"
	RuleSecondedElsewere = "rating.seconded-elsewhere"
	RuleSecondmentEnded  = "rating.secondment-ended"
	RuleWindowClosed     = "rating.window-closed"
	RulePeriodNotBegun   = "rating.period-not-begun"
	RuleWorkOpen         = "rating.work-not-finished"
	RuleNotParty         = "rating.not-party-to-work"
	RuleAnswers          = "rating.answers"
	RuleUnknown          = "rating.unknown"
	RulePolicy           = "evaluation.policy"
	RuleSource           = "score.source-missing"
	RuleInput            = "score.input-invalid"
	RuleActor            = "hierarchy.actor-post"
)

// Rule returns the rating rule id.
func (p *Policy) Rule(id string) (*RatingRule, bool) {
	for i := range p.Ratings {
		if p.Ratings[i].ID == id {
			return &p.Ratings[i], true
		}
	}
	return nil, false
}

// Validate checks the policy and returns every problem, each with its path
// ("scorecards.street.indicators[2].weight: ..."), joined; nil when it is sound. A
// policy that does not validate is never used: the package fails closed.
func (p *Policy) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, &gridgov.Error{Op: "evaluation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
			Msg: path + ": " + fmt.Sprintf(format, args...)})
	}
	for _, k := range sortedKeys(p.Scales) {
		as := p.Scales[k]
		if len(as) == 0 {
			bad("scales."+k, "must list at least one answer")
		}
		seen := map[string]bool{}
		for i, a := range as {
			path := fmt.Sprintf("scales.%s[%d]", k, i)
			switch {
			case a.Key == "" || a.Key == NA:
				bad(path+".key", "%q is empty or reserved", a.Key)
			case seen[a.Key]:
				bad(path+".key", "%q is repeated", a.Key)
			}
			seen[a.Key] = true
			if a.Credit < 0 || a.Credit > Full {
				bad(path+".credit", "%d must be within 0..%d", a.Credit, Full)
			}
		}
	}
	ruleIDs := map[string]bool{}
	for i, r := range p.Ratings {
		path := fmt.Sprintf("ratings[%d]", i)
		if r.ID == "" || ruleIDs[r.ID] {
			bad(path+".id", "%q is empty or repeated", r.ID)
		}
		ruleIDs[r.ID] = true
		if !slices.Contains([]TargetKind{TargetWhistle, TargetCase, TargetPeriod}, r.Target) {
			bad(path+".target", "%q must be whistle, case or period", r.Target)
		}
		if r.Right == "" {
			bad(path+".right", "must name the right a rater needs")
		}
		if r.WindowDays <= 0 {
			bad(path+".window_days", "%d must be > 0", r.WindowDays)
		}
		if len(r.Criteria) == 0 {
			bad(path+".criteria", "must list at least one criterion")
		}
		cids := map[string]bool{}
		for j, c := range r.Criteria {
			cp := fmt.Sprintf("%s.criteria[%d]", path, j)
			if c.ID == "" || cids[c.ID] {
				bad(cp+".id", "%q is empty or repeated", c.ID)
			}
			cids[c.ID] = true
			if c.Weight <= 0 || c.Weight > 1_000_000 {
				bad(cp+".weight", "%d must be within 1..1000000", c.Weight)
			}
			if _, ok := p.Scales[c.Scale]; !ok {
				bad(cp+".scale", "%q is not a scale of the policy", c.Scale)
			}
			if c.Fact != "" {
				if !(c.Fact == FactReportInOnTime || c.Fact == FactWhistleResolved) || r.Target != TargetWhistle {
					bad(cp+".fact", "%q is not a fact of a %s", c.Fact, r.Target)
				}
				for _, a := range []string{c.IfTrue, c.IfFalse} {
					if !slices.ContainsFunc(p.Scales[c.Scale], func(x Answer) bool { return x.Key == a }) {
						bad(cp+".if_true/if_false", "%q is not an answer of scale %s", a, c.Scale)
					}
				}
			}
		}
	}
	errs = append(errs, validateGrades("grades", p.Grades)...)
	for _, id := range sortedKeys(p.Scorecards) {
		c := p.Scorecards[id]
		if c == nil {
			bad("scorecards."+id, "is empty")
			continue
		}
		errs = append(errs, c.validate("scorecards."+id, id, p, ruleIDs)...)
	}
	if err := checkCardCycles(p.Scorecards); err != nil {
		errs = append(errs, err)
	}
	if p.SurveyMinSample < 0 {
		bad("survey_min_sample", "%d must be >= 0", p.SurveyMinSample)
	}
	if p.ProjectsPerYear < 0 {
		bad("projects_per_year", "%d must be >= 0", p.ProjectsPerYear)
	}
	if p.Attendance.WindowDays <= 0 || p.Attendance.MinDays <= 0 || p.Attendance.MinDays > p.Attendance.WindowDays {
		bad("attendance", "window %d days and minimum %d days must be > 0, the minimum within the window",
			p.Attendance.WindowDays, p.Attendance.MinDays)
	}
	return errors.Join(errs...)
}

func validateGrades(path string, gs []GradeBand) []error {
	var errs []error
	bad := func(p, format string, args ...any) {
		errs = append(errs, &gridgov.Error{Op: "evaluation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
			Msg: p + ": " + fmt.Sprintf(format, args...)})
	}
	if len(gs) == 0 {
		bad(path, "must list at least one grade band")
		return errs
	}
	for i, g := range gs {
		p := fmt.Sprintf("%s[%d]", path, i)
		if g.Grade == "" {
			bad(p+".grade", "must not be empty")
		}
		if i > 0 && g.Min >= gs[i-1].Min {
			bad(p+".min", "%s must be below the band before it (%s): list bands from the highest", g.Min, gs[i-1].Min)
		}
	}
	if gs[len(gs)-1].Min != 0 {
		bad(fmt.Sprintf("%s[%d].min", path, len(gs)-1), "the lowest band must start at 0 so every score has a grade")
	}
	return errs
}

// checkCardCycles refuses scorecards that read each other's scores in a cycle.
func checkCardCycles(cards map[string]*Scorecard) error {
	state := map[string]int{}
	var visit func(id string, path []string) error
	visit = func(id string, path []string) error {
		switch state[id] {
		case 1:
			return &gridgov.Error{Op: "evaluation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
				Msg: fmt.Sprintf("scorecards: cards read each other's scores in a cycle: %v", append(path, id))}
		case 2:
			return nil
		}
		state[id] = 1
		if c := cards[id]; c != nil {
			for _, in := range c.Indicators {
				if in.Source.Kind == SourceCard && cards[in.Source.Card] != nil {
					if err := visit(in.Source.Card, append(path, id)); err != nil {
						return err
					}
				}
			}
		}
		state[id] = 2
		return nil
	}
	for _, id := range sortedKeys(cards) {
		if err := visit(id, nil); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
