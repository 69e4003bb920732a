package evaluation

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Points is a score in hundredths of a point: 9235 is 92.35 points. Every decided score
// is Points, an integer, so the band a score falls in never depends on a float.
type Points int64

// String returns "92.35".
func (p Points) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%02d", sign, p/100, p%100)
}

// ParsePoints reads "92.35", "90" or "-1.5".
func ParsePoints(s string) (Points, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	digits := func(x string) bool { return strings.Trim(x, "0123456789") == "" }
	if len(frac) > 2 || whole == "" || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("evaluation: points %q: at most two decimals: %w", s, gridgov.ErrInvalid)
	}
	w, err := strconv.ParseInt(whole, 10, 40)
	if err != nil {
		return 0, fmt.Errorf("evaluation: points %q: %w", s, gridgov.ErrInvalid)
	}
	f := int64(0)
	if frac != "" {
		for len(frac) < 2 {
			frac += "0"
		}
		if f, err = strconv.ParseInt(frac, 10, 16); err != nil {
			return 0, fmt.Errorf("evaluation: points %q: %w", s, gridgov.ErrInvalid)
		}
	}
	p := Points(w*100 + f)
	if neg {
		p = -p
	}
	return p, nil
}

// MarshalText writes "92.35".
func (p Points) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads "92.35".
func (p *Points) UnmarshalText(b []byte) error {
	v, err := ParsePoints(string(b))
	*p = v
	return err
}

// MarshalJSON writes the points as a string, "92.35".
func (p Points) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }

// UnmarshalJSON accepts "92.35" or 92.35.
func (p *Points) UnmarshalJSON(b []byte) error {
	return p.UnmarshalText([]byte(strings.Trim(string(b), `"`)))
}

// GradeBand is one grade of a card: a score of at least Min earns it. Bands are listed
// from the highest; the lowest starts at 0.
type GradeBand struct {
	// Grade is the grade's key, the assessment result rewards uses ("excellent").
	Grade string `json:"grade" yaml:"grade"`
	Name  string `json:"name,omitempty" yaml:"name,omitempty"` // 优秀
	Min   Points `json:"min" yaml:"min"`
	// PayBand is the evaluation band rewards' bonuses are keyed by ("A").
	PayBand string `json:"pay_band,omitempty" yaml:"pay_band,omitempty"`
}

// SourceKind says where an indicator's input comes from.
type SourceKind string

// Sources of indicators.
const (
	// SourceMetric: a rate of the overall evaluation (综合评价) of the subject's unit for
	// the period, derived from escalation's metrics (Name: "closure", "on_time_closure",
	// "in_grid", "rework", "accurate_dispatch", "whistle_resolution",
	// "report_in_on_time"; hotline cards add "response", "resolution", "satisfaction").
	SourceMetric SourceKind = "metric"
	// SourceMediation: a mediation rate (Name: "success", "on_time").
	SourceMediation SourceKind = "mediation"
	// SourceRating: the average score of the ratings of rule Name about the subject.
	SourceRating SourceKind = "rating"
	// SourceSurvey: the satisfaction of third-party survey Name.
	SourceSurvey SourceKind = "survey"
	// SourceProjects: first-secretary livelihood projects completed over those due.
	SourceProjects SourceKind = "projects"
	// SourceAttendance: sunk-down attendance compliance.
	SourceAttendance SourceKind = "attendance"
	// SourceCard: the score of another card (Card) of related subjects (Relation).
	SourceCard SourceKind = "card"
	// SourceInput: a value the district supplies by Name (an annual target assessment).
	SourceInput SourceKind = "input"
	// SourceEvents: a count of events Name (complaints upheld, accidents) for deductions.
	SourceEvents SourceKind = "events"
)

// Relations of a [SourceCard] source.
const (
	RelationPaired   = "paired"   // the communities paired (结对) with the department: 捆绑式考核
	RelationChildren = "children" // the units directly below the subject: roll-up
	RelationSelf     = "self"     // the same subject's other card
)

// Source names an indicator's input.
type Source struct {
	Kind     SourceKind `json:"kind" yaml:"kind"`
	Name     string     `json:"name,omitempty" yaml:"name,omitempty"`
	Card     string     `json:"card,omitempty" yaml:"card,omitempty"`
	Relation string     `json:"relation,omitempty" yaml:"relation,omitempty"`
}

// Key returns "kind:name", the key of the input in [Inputs].
func (s Source) Key() string { return string(s.Kind) + ":" + s.Name }

// String returns "metric:closure", "attendance" or "card community of paired".
func (s Source) String() string {
	if s.Kind == SourceCard {
		return fmt.Sprintf("card %s of %s", s.Card, s.Relation)
	}
	if s.Name == "" {
		return string(s.Kind)
	}
	return s.Key()
}

// Normaliser kinds.
const (
	// NormLinear: credit 0 at Floor, full at Target, straight between, clamped.
	NormLinear = "linear"
	// NormBands: the credit of the highest band whose Min the value reaches.
	NormBands = "bands"
	// NormDeduct: full points, minus Deduct for every Step the value falls below
	// Threshold ("90% or more scores 25, minus 1 per point below"), or for every event
	// of a SourceEvents input; never more than Cap, never below zero.
	NormDeduct = "deduct"
	// NormFormula: a district formula (Formula) turns the input into the credit; see
	// [Formula].
	NormFormula = "formula"
)

// NormBand is one step of a bands normaliser.
type NormBand struct {
	Min    int64 `json:"min" yaml:"min"`       // millionths of the input
	Credit int64 `json:"credit" yaml:"credit"` // millionths of the weight
}

// Normaliser turns an indicator's input (a ratio, in millionths, or an event count)
// into the share of the indicator's weight it earns. Values are millionths.
type Normaliser struct {
	Kind      string     `json:"kind" yaml:"kind"`
	Floor     int64      `json:"floor,omitempty" yaml:"floor,omitempty"`
	Target    int64      `json:"target,omitempty" yaml:"target,omitempty"`
	Bands     []NormBand `json:"bands,omitempty" yaml:"bands,omitempty"`
	Threshold int64      `json:"threshold,omitempty" yaml:"threshold,omitempty"`
	Step      int64      `json:"step,omitempty" yaml:"step,omitempty"`
	Deduct    Points     `json:"deduct,omitempty" yaml:"deduct,omitempty"`
	Cap       Points     `json:"cap,omitempty" yaml:"cap,omitempty"`
	// Formula is the expression of a formula normaliser: it sees the input as num,
	// den, sample and ppm (num/den in millionths, rounded half up) and yields the
	// credit in millionths, clamped to 0..1 000 000.
	Formula string `json:"formula,omitempty" yaml:"formula,omitempty"`
}

// Indicator is one weighted item of a scorecard.
type Indicator struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Weight is the indicator's share of the card's Total.
	Weight int64  `json:"weight" yaml:"weight"`
	Source Source `json:"source" yaml:"source"`
	// Lower says a lower input is better (rework, complaints): a ratio input counts as
	// 1 − value before the normaliser.
	Lower      bool       `json:"lower,omitempty" yaml:"lower,omitempty"`
	Normaliser Normaliser `json:"normaliser" yaml:"normaliser"`
	// Item is the admitted item (准入事项) the indicator measures, required on cards
	// imposed on communities.
	Item string `json:"item,omitempty" yaml:"item,omitempty"`
}

// Scorecard is one card of the policy: weighted indicators whose weights sum to Total,
// scaled to Max points, an optional district formula, grade bands and how results are
// ranked.
type Scorecard struct {
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Subjects says who the card scores: units of a level or kind, or people in posts
	// of a role.
	Level hierarchy.Level `json:"level,omitempty" yaml:"level,omitempty"`
	Kind  hierarchy.Kind  `json:"kind,omitempty" yaml:"kind,omitempty"`
	Role  hierarchy.Role  `json:"role,omitempty" yaml:"role,omitempty"`
	// Total is what the indicators' weights must sum to.
	Total int64 `json:"total" yaml:"total"`
	// Max is the top score in points (100).
	Max        int64       `json:"max" yaml:"max"`
	Indicators []Indicator `json:"indicators" yaml:"indicators"`
	// Formula, when set, decides the score instead of the weighted sum (see [Formula]).
	Formula string `json:"formula,omitempty" yaml:"formula,omitempty"`
	// Grades override the policy's grade bands for this card.
	Grades []GradeBand `json:"grades,omitempty" yaml:"grades,omitempty"`
	// RankWithin groups results for ranking by the subject's ancestor at this level
	// (communities ranked within their street); empty ranks all of the card's subjects
	// together.
	RankWithin hierarchy.Level `json:"rank_within,omitempty" yaml:"rank_within,omitempty"`
	// Imposed says the card is imposed on communities: every indicator must name an
	// admitted item (see [Workload.CheckImposed]).
	Imposed bool `json:"imposed,omitempty" yaml:"imposed,omitempty"`
}

func (c *Scorecard) validate(path, id string, p *Policy, rules map[string]bool) []error {
	var errs []error
	bad := func(q, format string, args ...any) {
		errs = append(errs, &gridgov.Error{Op: "evaluation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
			Msg: path + q + ": " + fmt.Sprintf(format, args...)})
	}
	// The bounds keep weight × max × 100 far inside int64.
	if c.Total <= 0 || c.Total > 1_000_000 {
		bad(".total", "%d must be within 1..1000000", c.Total)
	}
	if c.Max <= 0 || c.Max > 1_000_000 {
		bad(".max", "%d must be within 1..1000000", c.Max)
	}
	if len(c.Indicators) == 0 {
		bad(".indicators", "must list at least one indicator")
	}
	var sum int64
	ids := map[string]bool{}
	for i, in := range c.Indicators {
		q := fmt.Sprintf(".indicators[%d]", i)
		if in.ID == "" || ids[in.ID] || !isIdent(in.ID) {
			bad(q+".id", "%q must be a unique identifier (letters, digits, _)", in.ID)
		}
		ids[in.ID] = true
		if in.Weight <= 0 || in.Weight > 1_000_000 {
			bad(q+".weight", "%d must be within 1..1000000", in.Weight)
		}
		sum += in.Weight
		s := in.Source
		switch s.Kind {
		case SourceMetric, SourceMediation, SourceSurvey, SourceInput, SourceEvents:
			if s.Name == "" {
				bad(q+".source.name", "must name the %s", s.Kind)
			}
		case SourceRating:
			if !rules[s.Name] {
				bad(q+".source.name", "%q is not a rating rule of the policy", s.Name)
			}
		case SourceProjects, SourceAttendance:
		case SourceCard:
			if p.Scorecards[s.Card] == nil {
				bad(q+".source.card", "%q is not a scorecard of the policy", s.Card)
			}
			if !slices.Contains([]string{RelationPaired, RelationChildren, RelationSelf}, s.Relation) {
				bad(q+".source.relation", "%q must be paired, children or self", s.Relation)
			}
			if s.Relation == RelationSelf && s.Card == id {
				bad(q+".source.card", "a card cannot read its own score")
			}
		default:
			bad(q+".source.kind", "%q is not a known source", s.Kind)
		}
		n := in.Normaliser
		if s.Kind == SourceEvents && n.Kind != NormDeduct {
			bad(q+".normaliser.kind", "an events source is read only by a deduction per event")
		}
		switch n.Kind {
		case NormLinear:
			if n.Target <= n.Floor {
				bad(q+".normaliser.target", "%d must be above the floor %d", n.Target, n.Floor)
			}
			if n.Floor < 0 || n.Target > Full {
				bad(q+".normaliser", "floor %d and target %d must lie within 0..%d", n.Floor, n.Target, Full)
			}
		case NormBands:
			if len(n.Bands) == 0 {
				bad(q+".normaliser.bands", "must list at least one band")
			}
			for j, b := range n.Bands {
				if j > 0 && b.Min >= n.Bands[j-1].Min {
					bad(fmt.Sprintf("%s.normaliser.bands[%d].min", q, j), "%d must be below the band before it", b.Min)
				}
				if b.Credit < 0 || b.Credit > Full {
					bad(fmt.Sprintf("%s.normaliser.bands[%d].credit", q, j), "%d must be within 0..%d", b.Credit, Full)
				}
			}
		case NormDeduct:
			if n.Deduct <= 0 {
				bad(q+".normaliser.deduct", "%s must be > 0", n.Deduct)
			}
			if s.Kind != SourceEvents && (n.Step <= 0 || n.Threshold <= 0 || n.Threshold > Full) {
				bad(q+".normaliser", "step %d must be > 0 and threshold %d within 1..%d for a deduction below a threshold", n.Step, n.Threshold, Full)
			}
			if n.Cap < 0 {
				bad(q+".normaliser.cap", "%s must be >= 0", n.Cap)
			}
		case NormFormula:
			if in.Lower {
				bad(q+".lower", "a formula normaliser sees the raw input: write the direction into the formula")
			}
			if _, err := compileIndicatorFormula(fmt.Sprintf("%s%s.normaliser.formula", path, q), in); err != nil {
				errs = append(errs, err)
			}
		default:
			bad(q+".normaliser.kind", "%q must be linear, bands, deduct or formula", n.Kind)
		}
		if c.Imposed && in.Item == "" {
			bad(q+".item", "a card imposed on communities must name the admitted item each indicator measures")
		}
	}
	if len(c.Indicators) > 0 && sum != c.Total {
		bad(".indicators", "weights sum to %d, the card's total is %d", sum, c.Total)
	}
	if len(c.Grades) > 0 {
		errs = append(errs, validateGrades(path+".grades", c.Grades)...)
	}
	if c.Formula != "" {
		if _, err := compileFormula(path, c); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// bands returns the card's grade bands.
func (c *Scorecard) bands(p *Policy) []GradeBand {
	if len(c.Grades) > 0 {
		return c.Grades
	}
	return p.Grades
}

// GradeOf returns the grade band a decided score falls in: the first (highest) band whose
// Min the score reaches. The comparison is on integer Points, so a score of exactly a
// band's Min earns that band.
func GradeOf(bands []GradeBand, s Points) GradeBand {
	for _, b := range bands {
		if s >= b.Min {
			return b
		}
	}
	return GradeBand{}
}
