package rewards

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// PostRange is one post (岗) of a pay scale and the grades (级) it spans.
type PostRange struct {
	// Post is the post's key ("head", "deputy", "staff").
	Post string `json:"post" yaml:"post"`
	// Name is the post's label for payslips ("正职").
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	Min  int    `json:"min" yaml:"min"`
	Max  int    `json:"max" yaml:"max"`
}

// AssessmentRule says what one annual assessment result (年度考核) does to progression.
type AssessmentRule struct {
	// CreditMonths is the progression credit the assessed year earns: 12 is one
	// ordinary year, 0 freezes progression, more than 12 accelerates it.
	CreditMonths int `json:"credit_months" yaml:"credit_months"`
	// GradeDelta moves the grade at once: -1 lowers it by one (within the post's range).
	GradeDelta int `json:"grade_delta,omitempty" yaml:"grade_delta,omitempty"`
	// ResetCredit drops the credit banked towards the next grade before this year's is
	// added.
	ResetCredit bool `json:"reset_credit,omitempty" yaml:"reset_credit,omitempty"`
}

// How a post change maps the grade into the new post's range.
const (
	// PostChangeNearest keeps the grade if the new range holds it, otherwise takes the
	// range's nearest end (staff 2 → deputy 4; head 17 → deputy 15). Pay stays as close
	// as the new range allows.
	PostChangeNearest = "nearest"
	// PostChangeBottom starts at the new range's lowest grade.
	PostChangeBottom = "bottom"
	// PostChangeOneUp is nearest, plus one grade on a promotion (a post whose range tops
	// out higher), so that a promotion always raises pay.
	PostChangeOneUp = "one-up"
)

// PayScale is the policy of a post-and-grade pay scale such as Nanjing's "three posts,
// eighteen grades" (三岗十八级) or Ningxia's "four posts, twenty-four grades". All of it
// is data: another district's scale is another value, not other code.
// It is a plain value: safe for concurrent use while no one modifies it.
type PayScale struct {
	// Name labels the scale on payslips.
	Name string `json:"name" yaml:"name"`
	// Grades is the number of grades (18).
	Grades int `json:"grades" yaml:"grades"`
	// Posts lists the posts and their grade ranges.
	Posts []PostRange `json:"posts" yaml:"posts"`
	// YearsPerGrade is the years of service one grade takes (3).
	YearsPerGrade int `json:"years_per_grade" yaml:"years_per_grade"`
	// Education maps a degree to the years of service it counts as (bachelor 3,
	// master 5, doctorate 7). Degrees not listed count nothing.
	Education map[string]int `json:"education" yaml:"education"`
	// Certificates maps a social-work certificate (社工证) to the grades it adds; only the
	// highest certificate held counts.
	Certificates map[string]int `json:"certificates" yaml:"certificates"`
	// Assessments maps each annual assessment result to its effect on progression.
	Assessments map[string]AssessmentRule `json:"assessments" yaml:"assessments"`
	// PostChange names the grade mapping on a change of post: "nearest", "bottom" or
	// "one-up".
	PostChange string `json:"post_change" yaml:"post_change"`
	// Pay is the monthly pay formula.
	Pay PayFormula `json:"pay" yaml:"pay"`
	// Bonuses are added to the monthly pay from evaluation results.
	Bonuses Bonuses `json:"bonuses" yaml:"bonuses"`
}

// Worker is what the pay scale needs to know about a community worker (社区工作者).
// It is a plain value: safe for concurrent use while no one modifies it.
type Worker struct {
	ID hierarchy.PersonID `json:"id" yaml:"id"`
	// Start is when the worker entered the scale.
	Start time.Time `json:"start" yaml:"start"`
	// PriorService is the years of recognised service before Start.
	PriorService int `json:"prior_service,omitempty" yaml:"prior_service,omitempty"`
	// Education is the highest degree at Start ("bachelor", "master", "doctorate").
	Education string `json:"education,omitempty" yaml:"education,omitempty"`
	// Posts is the worker's post history; the first spell starts at Start.
	Posts []PostSpell `json:"posts" yaml:"posts"`
	// Certificates is when each social-work certificate was obtained.
	Certificates []Certificate `json:"certificates,omitempty" yaml:"certificates,omitempty"`
	// Assessments are the annual assessment results.
	Assessments []Assessment `json:"assessments,omitempty" yaml:"assessments,omitempty"`
}

// PostSpell is a post held from a date.
type PostSpell struct {
	Post string    `json:"post" yaml:"post"`
	From time.Time `json:"from" yaml:"from"`
	// DualRole says that during the spell the worker is both the community's party
	// secretary and its residents' committee director (书记主任"一肩挑").
	DualRole bool `json:"dual_role,omitempty" yaml:"dual_role,omitempty"`
}

// Certificate is a social-work qualification obtained on a date.
type Certificate struct {
	Level string    `json:"level" yaml:"level"`
	From  time.Time `json:"from" yaml:"from"`
}

// Assessment is the result of one year's assessment. It takes effect on 1 January of
// the following year (China Standard Time).
type Assessment struct {
	Year   int    `json:"year" yaml:"year"`
	Result string `json:"result" yaml:"result"`
}

// Grade is a worker's place on the scale at some moment.
type Grade struct {
	Post  string `json:"post"`
	Grade int    `json:"grade"`
	// CreditMonths is the progression credit banked towards the next grade.
	CreditMonths int `json:"credit_months"`
	// LastResult is the most recent assessment result in effect, "" before the first.
	LastResult string `json:"last_result,omitempty"`
	// Certificate is the highest certificate held, "" for none.
	Certificate string `json:"certificate,omitempty"`
}

// Step is one line of a grade derivation: the event, the rule applied and the grade
// after it. [PayScale.GradeAt] returns them for [Explanation].
type Step struct {
	At    time.Time `json:"at"`
	Rule  string    `json:"rule"`
	Text  string    `json:"text"`
	Grade Grade     `json:"grade"`
}

// Rules named by pay scale steps and refusals.
const (
	RulePlacement   = "payscale.placement"
	RuleProgression = "payscale.progression"
	RuleAssessment  = "payscale.assessment"
	RulePostChange  = "payscale.post-change"
	RuleCertificate = "payscale.certificate"
	RuleRangeCap    = "payscale.range-cap"
	RuleWorker      = "payscale.worker"
)

func (s PayScale) post(name string) (PostRange, bool) {
	for _, p := range s.Posts {
		if p.Post == name {
			return p, true
		}
	}
	return PostRange{}, false
}

func (s PayScale) certBonus(level string) int { return s.Certificates[level] }

// certBetter reports whether certificate a ranks above b: more grades, or as many and
// more title pay (a fixed-yuan scale gives certificates title pay only).
func (s PayScale) certBetter(a, b string) bool {
	if b == "" {
		return a != ""
	}
	if ga, gb := s.certBonus(a), s.certBonus(b); ga != gb {
		return ga > gb
	}
	return s.Pay.TitleWage[a] > s.Pay.TitleWage[b]
}

// GradeAt derives w's grade at time at and the steps that led to it:
//
//   - Placement at Start: years = PriorService + the years Education counts as;
//     grade = the post's lowest grade + years ÷ YearsPerGrade + the certificate bonus,
//     capped to the post's range; the remainder of years is banked as credit.
//   - Each assessment, effective 1 January after its year: GradeDelta moves the grade,
//     then CreditMonths is added; every 12 × YearsPerGrade months of credit raise the
//     grade by one. At the top of the post's range credit is not banked.
//   - A post change maps the grade by PostChange; credit is kept.
//   - A better certificate adds the difference of the bonuses, within the range.
//
// Events on the same day apply in that order: assessment, post change, certificate.
// A worker record the scale cannot place (unknown post or result, no post at Start) is
// refused with ErrInvalid and rule payscale.worker.
func (s PayScale) GradeAt(w Worker, at time.Time) (Grade, []Step, error) {
	if err := s.checkWorker(w); err != nil {
		return Grade{}, nil, err
	}
	if at.Before(w.Start) {
		return Grade{}, nil, &gridgov.Error{Op: "rewards.GradeAt", Kind: gridgov.ErrPrecondition, Rule: RuleWorker,
			Msg: fmt.Sprintf("worker %s starts on %s, after %s", w.ID, w.Start.In(cst).Format(time.DateOnly), at.In(cst).Format(time.DateOnly))}
	}
	stepMonths := 12 * s.YearsPerGrade
	first, _ := s.post(w.Posts[0].Post)
	cert := bestCert(s, w.Certificates, w.Start)
	years := w.PriorService + s.Education[w.Education]
	g := Grade{Post: first.Post, Certificate: cert}
	raw := first.Min + years/s.YearsPerGrade + s.certBonus(cert)
	g.Grade = clamp(raw, first.Min, first.Max)
	g.CreditMonths = (years % s.YearsPerGrade) * 12
	if g.Grade == first.Max {
		g.CreditMonths = 0
	}
	text := fmt.Sprintf("placed in post %s (%d–%d): %d years of service + %d for education %q = %d years → grade %d + %d ÷ %d = %d",
		first.Post, first.Min, first.Max, w.PriorService, s.Education[w.Education], orNone(w.Education), years,
		first.Min, years, s.YearsPerGrade, first.Min+years/s.YearsPerGrade)
	if b := s.certBonus(cert); b != 0 {
		text += fmt.Sprintf(", + %d for certificate %q = %d", b, cert, first.Min+years/s.YearsPerGrade+b)
	}
	if raw != g.Grade {
		text += fmt.Sprintf(", capped to %d", g.Grade)
	}
	text += fmt.Sprintf("; %d months banked", g.CreditMonths)
	steps := []Step{{At: w.Start, Rule: RulePlacement, Text: text, Grade: g}}

	type event struct {
		at    time.Time
		order int
		apply func(Grade) (Grade, string, string)
	}
	var events []event
	for _, a := range w.Assessments {
		eff := time.Date(a.Year+1, 1, 1, 0, 0, 0, 0, cst)
		if eff.Before(w.Start) {
			continue
		}
		events = append(events, event{eff, 0, func(g Grade) (Grade, string, string) {
			r := s.Assessments[a.Result]
			p, _ := s.post(g.Post)
			var parts []string
			g.LastResult = a.Result
			if r.GradeDelta != 0 {
				before := g.Grade
				g.Grade = clamp(g.Grade+r.GradeDelta, p.Min, p.Max)
				parts = append(parts, fmt.Sprintf("grade %+d: %d → %d", r.GradeDelta, before, g.Grade))
			}
			if r.ResetCredit && g.CreditMonths > 0 {
				parts = append(parts, fmt.Sprintf("banked %d months dropped", g.CreditMonths))
				g.CreditMonths = 0
			}
			g.CreditMonths += r.CreditMonths
			credit := fmt.Sprintf("+%d months credit = %d", r.CreditMonths, g.CreditMonths)
			if r.CreditMonths == 0 {
				credit = "progression frozen, credit stays " + fmt.Sprint(g.CreditMonths)
			}
			parts = append(parts, credit)
			rule := RuleAssessment
			for g.CreditMonths >= stepMonths && g.Grade < p.Max {
				g.Grade++
				g.CreditMonths -= stepMonths
				parts = append(parts, fmt.Sprintf("%d months make a grade: → %d", stepMonths, g.Grade))
				rule = RuleProgression
			}
			if g.Grade >= p.Max && g.CreditMonths > 0 {
				parts = append(parts, fmt.Sprintf("grade %d is the top of %s, %d months not banked", p.Max, p.Post, g.CreditMonths))
				g.CreditMonths = 0
				rule = RuleRangeCap
			}
			return g, rule, fmt.Sprintf("assessment %d %q: %s", a.Year, a.Result, joinParts(parts))
		}})
	}
	for _, ps := range w.Posts[1:] {
		events = append(events, event{ps.From, 1, func(g Grade) (Grade, string, string) {
			old, _ := s.post(g.Post)
			nw, _ := s.post(ps.Post)
			before := g.Grade
			switch s.PostChange {
			case PostChangeBottom:
				g.Grade = nw.Min
			case PostChangeOneUp:
				g.Grade = clamp(g.Grade, nw.Min, nw.Max)
				if nw.Max > old.Max {
					g.Grade = clamp(max(before+1, g.Grade), nw.Min, nw.Max)
				}
			default:
				g.Grade = clamp(g.Grade, nw.Min, nw.Max)
			}
			g.Post = nw.Post
			if g.Grade == nw.Max {
				g.CreditMonths = 0
			}
			return g, RulePostChange, fmt.Sprintf("post %s (%d–%d) → %s (%d–%d) by rule %q: grade %d → %d",
				old.Post, old.Min, old.Max, nw.Post, nw.Min, nw.Max, s.PostChange, before, g.Grade)
		}})
	}
	for _, c := range w.Certificates {
		if !c.From.After(w.Start) {
			continue
		}
		events = append(events, event{c.From, 2, func(g Grade) (Grade, string, string) {
			if !s.certBetter(c.Level, g.Certificate) {
				return g, RuleCertificate, fmt.Sprintf("certificate %q adds nothing over %q", c.Level, orNone(g.Certificate))
			}
			add := s.certBonus(c.Level) - s.certBonus(g.Certificate)
			if add == 0 {
				prev := g.Certificate
				g.Certificate = c.Level
				return g, RuleCertificate, fmt.Sprintf("certificate %q over %q: title pay only, no grade", c.Level, orNone(prev))
			}
			p, _ := s.post(g.Post)
			before, prev := g.Grade, g.Certificate
			g.Certificate = c.Level
			g.Grade = clamp(g.Grade+add, p.Min, p.Max)
			text := fmt.Sprintf("certificate %q: +%d %s over %q: %d → %d", c.Level, add, plural(add, "grade", "grades"), orNone(prev), before, g.Grade)
			if before+add != g.Grade {
				text += fmt.Sprintf(" (capped at %d)", p.Max)
			}
			return g, RuleCertificate, text
		}})
	}
	slices.SortStableFunc(events, func(a, b event) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	for _, e := range events {
		if e.at.After(at) {
			break
		}
		var rule, text string
		g, rule, text = e.apply(g)
		steps = append(steps, Step{At: e.at, Rule: rule, Text: text, Grade: g})
	}
	return g, steps, nil
}

func bestCert(s PayScale, certs []Certificate, at time.Time) string {
	best := ""
	for _, c := range certs {
		if !c.From.After(at) && s.certBetter(c.Level, best) {
			best = c.Level
		}
	}
	return best
}

func (s PayScale) checkWorker(w Worker) error {
	var errs []error
	if len(w.Posts) == 0 {
		errs = append(errs, errors.New("posts: the worker holds no post"))
	} else if w.Posts[0].From.After(w.Start) {
		errs = append(errs, fmt.Errorf("posts[0].from: %s is after start %s", w.Posts[0].From.Format(time.DateOnly), w.Start.Format(time.DateOnly)))
	}
	for i, p := range w.Posts {
		if _, ok := s.post(p.Post); !ok {
			errs = append(errs, fmt.Errorf("posts[%d].post: %q is not a post of %s", i, p.Post, s.Name))
		}
		if i > 0 && p.From.Before(w.Posts[i-1].From) {
			errs = append(errs, fmt.Errorf("posts[%d].from: before the previous post", i))
		}
	}
	for i, a := range w.Assessments {
		if _, ok := s.Assessments[a.Result]; !ok {
			errs = append(errs, fmt.Errorf("assessments[%d].result: %q is not a result of %s", i, a.Result, s.Name))
		}
	}
	for i, c := range w.Certificates {
		if _, ok := s.Certificates[c.Level]; !ok {
			errs = append(errs, fmt.Errorf("certificates[%d].level: %q is not a certificate of %s", i, c.Level, s.Name))
		}
	}
	if w.PriorService < 0 || w.PriorService > MaxYears {
		errs = append(errs, fmt.Errorf("prior_service: %d must be within 0–%d", w.PriorService, MaxYears))
	}
	if err := errors.Join(errs...); err != nil {
		return &gridgov.Error{Op: "rewards.GradeAt", Kind: gridgov.ErrInvalid, Rule: RuleWorker, Msg: "worker " + string(w.ID), Err: err}
	}
	return nil
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func joinParts(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "; "
		}
		out += p
	}
	return out
}

// plural picks the English noun form for n, for Explain lines read on payslips.
func plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return one
	}
	return many
}
