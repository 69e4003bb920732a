package rewards

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Certificate levels of the default scales (社会工作者职业水平证书).
const (
	CertAssistant = "assistant-social-worker" // 助理社会工作师
	CertSocial    = "social-worker"           // 社会工作师
	CertSenior    = "senior-social-worker"    // 高级社会工作师
)

// Assessment results of the default scales (年度考核等次).
const (
	ResultExcellent = "excellent" // 优秀
	ResultCompetent = "competent" // 称职
	ResultBasic     = "basic"     // 基本称职
	ResultFail      = "fail"      // 不称职
)

// QinhuaiPayScale returns Nanjing's "three posts, eighteen grades" (三岗十八级) with the
// coefficient formula: head (正职) 7–18, deputy (副职) 4–15, other staff 1–12; a grade
// every 3 years; a bachelor's, master's or doctorate counts as 3, 5 or 7 years.
//
// Unverified defaults, to be replaced from a district's own rules: the certificate
// bonuses (+1, +2, +3), the assessment effects (excellent 18 months of credit,
// competent 12, basic 6, fail freezes), the uplift of 1, the coefficient table and the
// city wages (illustrative: Nanjing's table was not found), and the bonuses.
func QinhuaiPayScale() PayScale {
	coeffs := make([]Rate, 18)
	for g := range coeffs {
		coeffs[g] = 8000 + 400*Rate(g) // 0.80 … 1.48, illustrative
	}
	wages := map[int]Fen{}
	for y := 2015; y <= 2026; y++ {
		wages[y] = Yuan(7000 + 400*int64(y-2015)) // illustrative, not published statistics
	}
	return PayScale{
		Name:   "三岗十八级",
		Grades: 18,
		Posts: []PostRange{
			{Post: "head", Name: "正职", Min: 7, Max: 18},
			{Post: "deputy", Name: "副职", Min: 4, Max: 15},
			{Post: "staff", Name: "其他工作人员", Min: 1, Max: 12},
		},
		YearsPerGrade: 3,
		Education:     map[string]int{"bachelor": 3, "master": 5, "doctorate": 7},
		Certificates:  map[string]int{CertAssistant: 1, CertSocial: 2, CertSenior: 3},
		Assessments: map[string]AssessmentRule{
			ResultExcellent: {CreditMonths: 18},
			ResultCompetent: {CreditMonths: 12},
			ResultBasic:     {CreditMonths: 6},
			ResultFail:      {CreditMonths: 0},
		},
		PostChange: PostChangeNearest,
		Pay: PayFormula{
			Kind:         FormulaCoefficient,
			CityWages:    wages,
			Uplift:       One,
			Coefficients: coeffs,
			Note:         "illustrative coefficients and city wages: replace with the published previous-year average monthly wage and the district's table",
		},
		Bonuses: defaultBonuses(),
	}
}

// FixedYuanPayScale returns the fixed-amount variant of three posts, eighteen grades:
// post wage 2800/2500/2300 yuan, level wage 50 yuan + 60 yuan per level above the
// first, title wage 300/500/800 yuan for the three certificates, and performance pay by
// assessment result (illustrative amounts).
func FixedYuanPayScale() PayScale {
	s := QinhuaiPayScale()
	s.Name = "三岗十八级 (fixed amounts)"
	s.Pay = PayFormula{
		Kind:           FormulaFixed,
		PostWage:       map[string]Fen{"head": Yuan(2800), "deputy": Yuan(2500), "staff": Yuan(2300)},
		LevelBase:      Yuan(50),
		LevelStep:      Yuan(60),
		TitleWage:      map[string]Fen{CertAssistant: Yuan(300), CertSocial: Yuan(500), CertSenior: Yuan(800)},
		PerformancePay: map[string]Fen{ResultExcellent: Yuan(800), ResultCompetent: Yuan(600), ResultBasic: Yuan(300), ResultFail: 0},
		Unassessed:     Yuan(600),
		Note:           "performance pay amounts are illustrative",
	}
	return s
}

func defaultBonuses() Bonuses {
	return Bonuses{
		Performance: map[string]Fen{"A": Yuan(500), "B": Yuan(300), "C": Yuan(100), "D": 0},
		Timeliness:  []TimelinessBand{{MinRate: 9500, Amount: Yuan(200)}, {MinRate: 9000, Amount: Yuan(100)}},
	}
}

// Validate reports every problem of the scale at once, each with its path
// ("posts[2].min: …"), joined with [errors.Join]. The errors wrap nothing: callers
// test for a nil result.
func (s PayScale) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	if s.Name == "" {
		bad("name", "must not be empty")
	}
	if s.Grades < 1 {
		bad("grades", "%d must be >= 1", s.Grades)
	}
	if len(s.Posts) == 0 {
		bad("posts", "must list at least one post")
	}
	seen := map[string]bool{}
	for i, p := range s.Posts {
		switch {
		case p.Post == "":
			bad(fmt.Sprintf("posts[%d].post", i), "must not be empty")
		case seen[p.Post]:
			bad(fmt.Sprintf("posts[%d].post", i), "%q is listed twice", p.Post)
		}
		seen[p.Post] = true
		if p.Min < 1 || p.Min > s.Grades {
			bad(fmt.Sprintf("posts[%d].min", i), "%d must be within 1–%d", p.Min, s.Grades)
		}
		if p.Max < p.Min || p.Max > s.Grades {
			bad(fmt.Sprintf("posts[%d].max", i), "%d must be within %d–%d", p.Max, p.Min, s.Grades)
		}
	}
	if s.YearsPerGrade < 1 {
		bad("years_per_grade", "%d must be >= 1", s.YearsPerGrade)
	}
	for _, k := range sortedKeys(s.Education) {
		if s.Education[k] < 0 {
			bad("education."+k, "%d years must be >= 0", s.Education[k])
		}
	}
	for _, k := range sortedKeys(s.Certificates) {
		if s.Certificates[k] < 0 {
			bad("certificates."+k, "%d grades must be >= 0", s.Certificates[k])
		}
	}
	if len(s.Assessments) == 0 {
		bad("assessments", "must list at least one result")
	}
	for _, k := range sortedKeys(s.Assessments) {
		if s.Assessments[k].CreditMonths < 0 {
			bad("assessments."+k+".credit_months", "%d must be >= 0", s.Assessments[k].CreditMonths)
		}
	}
	if !slices.Contains([]string{PostChangeNearest, PostChangeBottom, PostChangeOneUp}, s.PostChange) {
		bad("post_change", "%q must be %q, %q or %q", s.PostChange, PostChangeNearest, PostChangeBottom, PostChangeOneUp)
	}
	f := s.Pay
	switch f.Kind {
	case FormulaCoefficient:
		if len(f.CityWages) == 0 {
			bad("pay.city_wages", "must give at least one year's average wage")
		}
		for _, y := range sortedKeys(f.CityWages) {
			if f.CityWages[y] <= 0 {
				bad(fmt.Sprintf("pay.city_wages.%d", y), "%d fen must be > 0", f.CityWages[y])
			}
		}
		if f.Uplift <= 0 {
			bad("pay.uplift", "%s must be > 0", f.Uplift)
		}
		if len(f.Coefficients) != s.Grades {
			bad("pay.coefficients", "%d coefficients for %d grades", len(f.Coefficients), s.Grades)
		}
		for i, c := range f.Coefficients {
			if c <= 0 {
				bad(fmt.Sprintf("pay.coefficients[%d]", i), "%s must be > 0", c)
			}
		}
	case FormulaFixed:
		for i, p := range s.Posts {
			if w, ok := f.PostWage[p.Post]; !ok || w < 0 {
				bad("pay.post_wage."+p.Post, "posts[%d] needs a wage >= 0", i)
			}
		}
		if f.LevelBase < 0 || f.LevelStep < 0 {
			bad("pay.level_base", "level base %d and step %d must be >= 0", f.LevelBase, f.LevelStep)
		}
		for _, k := range sortedKeys(f.TitleWage) {
			if _, ok := s.Certificates[k]; !ok {
				bad("pay.title_wage."+k, "%q is not a certificate of the scale", k)
			}
		}
		for _, k := range sortedKeys(s.Assessments) {
			if _, ok := f.PerformancePay[k]; !ok {
				bad("pay.performance_pay."+k, "the result %q has no performance pay", k)
			}
		}
	case FormulaExpr:
		if f.Expr.IsZero() {
			bad("pay.expr", "must give the formula when kind is %q", FormulaExpr)
		}
		if len(f.Coefficients) != 0 && len(f.Coefficients) != s.Grades {
			bad("pay.coefficients", "%d coefficients for %d grades", len(f.Coefficients), s.Grades)
		}
	default:
		bad("pay.kind", "%q must be %q, %q or %q", f.Kind, FormulaCoefficient, FormulaFixed, FormulaExpr)
	}
	for _, k := range sortedKeys(s.Bonuses.Performance) {
		if s.Bonuses.Performance[k] < 0 {
			bad("bonuses.performance."+k, "%d fen must be >= 0", s.Bonuses.Performance[k])
		}
	}
	for i, b := range s.Bonuses.Timeliness {
		if b.MinRate < 0 || b.MinRate > One {
			bad(fmt.Sprintf("bonuses.timeliness[%d].min_rate", i), "%s must be within 0–1", b.MinRate)
		}
		if b.Amount < 0 {
			bad(fmt.Sprintf("bonuses.timeliness[%d].amount", i), "%d fen must be >= 0", b.Amount)
		}
	}
	return errors.Join(errs...)
}

func sortedKeys[K int | string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
