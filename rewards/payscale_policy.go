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
// every 3 years; a bachelor's, master's or doctorate counts as 3, 5 or 7 years. The
// base is the previous year's average monthly wage of all employed persons in urban
// units (城镇全社会单位就业人员平均工资, from the city statistics bureau's annual bulletin)
// × uplift × the grade's coefficient.
//
// Illustrative defaults, to be replaced from a district's own rules: the coefficient
// table (0.80 + 0.04 per grade, so grades 1–5 fall below the city average; set
// Pay.Floor to 1 where policy says no grade is paid below it), the city wages (not
// published statistics), the uplift of 1, the certificate bonuses (+1, +2, +3), the
// assessment effects (excellent 18 months of credit, competent 12, basic 6, fail
// freezes) and the bonuses.
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
			Note: "illustrative coefficients and city wages: replace the wages with the city statistics bureau's " +
				"previous-year average wage of all employed persons in urban units (÷ 12) and the table with the district's",
		},
		Bonuses: defaultBonuses(),
	}
}

// FixedYuanPayScale returns the fixed-yuan scheme of Nanjing's community workers as the
// city document states it (南京市社区工作者薪酬 fixed-amount table, as cited in the
// issue "Rules exact to their sources"):
//
//   - post pay (岗位工资) 2800 / 2500 / 2300 yuan for head, deputy and other staff;
//   - level pay (薪级工资) over 12 levels counted by years worked, three years or less
//     being level 1: 50 yuan + 60 yuan per level above the first;
//   - title pay (职称津贴) 300 / 500 / 800 yuan for an assistant social worker, social
//     worker or senior social worker certificate; the certificate is title pay only and
//     adds no level;
//   - +300 yuan for one person who is both party secretary and director (书记主任"一肩挑");
//   - performance pay (绩效工资): a monthly basic amount of 200 yuan plus an annual reward
//     by the four assessment grades (优秀, 称职, 基本称职, 不称职).
//
// Local choices, where the text leaves it open: levels 2–12 each span three further
// years (4–6 years is level 2, …, 34 years or more level 12); years worked are prior
// service plus whole years since the start, degrees not counted; the annual reward is
// paid in January for the previous year, with illustrative amounts (excellent 6000,
// competent 4000, basic 2000, fail 0). The 18-grade placement is still derived (it shows
// on the explanation) but pays nothing here.
func FixedYuanPayScale() PayScale {
	s := QinhuaiPayScale()
	s.Name = "三岗十八级 (fixed amounts)"
	s.Certificates = map[string]int{CertAssistant: 0, CertSocial: 0, CertSenior: 0}
	bounds := make([]int, 11)
	for i := range bounds {
		bounds[i] = 3 * (i + 1)
	}
	s.Pay = PayFormula{
		Kind:              FormulaFixed,
		PostWage:          map[string]Fen{"head": Yuan(2800), "deputy": Yuan(2500), "staff": Yuan(2300)},
		LevelYears:        bounds,
		LevelBase:         Yuan(50),
		LevelStep:         Yuan(60),
		TitleWage:         map[string]Fen{CertAssistant: Yuan(300), CertSocial: Yuan(500), CertSenior: Yuan(800)},
		DualRole:          Yuan(300),
		PerformanceBasic:  Yuan(200),
		AnnualReward:      map[string]Fen{ResultExcellent: Yuan(6000), ResultCompetent: Yuan(4000), ResultBasic: Yuan(2000), ResultFail: 0},
		AnnualRewardMonth: 1,
		Note:              "level bands beyond level 1, the annual reward amounts and its month are local choices",
	}
	s.Bonuses = Bonuses{}
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
	if s.Grades < 1 || s.Grades > MaxGrades {
		bad("grades", "%d must be within 1–%d", s.Grades, MaxGrades)
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
	if s.YearsPerGrade < 1 || s.YearsPerGrade > MaxYears {
		bad("years_per_grade", "%d must be within 1–%d", s.YearsPerGrade, MaxYears)
	}
	for _, k := range sortedKeys(s.Education) {
		if v := s.Education[k]; v < 0 || v > MaxYears {
			bad("education."+k, "%d years must be within 0–%d", v, MaxYears)
		}
	}
	for _, k := range sortedKeys(s.Certificates) {
		if v := s.Certificates[k]; v < 0 || v > MaxGrades {
			bad("certificates."+k, "%d grades must be within 0–%d", v, MaxGrades)
		}
	}
	if len(s.Assessments) == 0 {
		bad("assessments", "must list at least one result")
	}
	for _, k := range sortedKeys(s.Assessments) {
		a := s.Assessments[k]
		if a.CreditMonths < 0 || a.CreditMonths > 12*MaxYears {
			bad("assessments."+k+".credit_months", "%d must be within 0–%d", a.CreditMonths, 12*MaxYears)
		}
		if a.GradeDelta < -MaxGrades || a.GradeDelta > MaxGrades {
			bad("assessments."+k+".grade_delta", "%d must be within ±%d", a.GradeDelta, MaxGrades)
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
		checkWages("pay.city_wages", f.CityWages, bad)
		if f.Uplift <= 0 || f.Uplift > MaxRate {
			bad("pay.uplift", "%s must be within 0–%s", f.Uplift, MaxRate)
		}
		if f.Floor < 0 || f.Floor > MaxRate {
			bad("pay.floor", "%s must be within 0–%s", f.Floor, MaxRate)
		}
		if len(f.Coefficients) != s.Grades {
			bad("pay.coefficients", "%d coefficients for %d grades", len(f.Coefficients), s.Grades)
		}
		checkRates("pay.coefficients", f.Coefficients, bad)
	case FormulaFixed:
		for i, p := range s.Posts {
			if w, ok := f.PostWage[p.Post]; !ok || w < 0 || w > MaxWage {
				bad("pay.post_wage."+p.Post, "posts[%d] needs a wage within 0–%d fen", i, MaxWage)
			}
		}
		for _, k := range sortedKeys(f.PostWage) {
			if _, ok := s.post(k); !ok {
				bad("pay.post_wage."+k, "%q is not a post of the scale", k)
			}
		}
		if len(f.LevelYears) > MaxGrades-1 {
			bad("pay.level_years", "%d bounds, at most %d", len(f.LevelYears), MaxGrades-1)
		}
		for i, y := range f.LevelYears {
			if y < 0 || y > MaxYears || i > 0 && y <= f.LevelYears[i-1] {
				bad(fmt.Sprintf("pay.level_years[%d]", i), "%d must be within 0–%d and above the bound before it", y, MaxYears)
			}
		}
		top := Fen(len(f.LevelYears))
		if f.LevelBase < 0 || f.LevelStep < 0 || f.LevelBase > MaxWage || f.LevelStep > MaxWage || f.LevelBase+f.LevelStep*top > MaxWage {
			bad("pay.level_base", "level base %d and step %d must be >= 0 and the top level's pay within %d fen", f.LevelBase, f.LevelStep, MaxWage)
		}
		for _, k := range sortedKeys(f.TitleWage) {
			if _, ok := s.Certificates[k]; !ok {
				bad("pay.title_wage."+k, "%q is not a certificate of the scale", k)
			}
		}
		checkWages("pay.title_wage", f.TitleWage, bad)
		for _, k := range sortedKeys(s.Assessments) {
			if _, ok := f.AnnualReward[k]; !ok {
				bad("pay.annual_reward."+k, "the result %q has no annual reward", k)
			}
		}
		for _, k := range sortedKeys(f.AnnualReward) {
			if _, ok := s.Assessments[k]; !ok {
				bad("pay.annual_reward."+k, "%q is not an assessment result of the scale", k)
			}
		}
		checkWages("pay.annual_reward", f.AnnualReward, bad)
		if f.AnnualRewardMonth < 1 || f.AnnualRewardMonth > 12 {
			bad("pay.annual_reward_month", "%d must be within 1–12", f.AnnualRewardMonth)
		}
		for path, v := range map[string]Fen{"pay.dual_role": f.DualRole, "pay.performance_basic": f.PerformanceBasic} {
			if v < 0 || v > MaxWage {
				bad(path, "%d fen must be within 0–%d", v, MaxWage)
			}
		}
	case FormulaExpr:
		if f.Expr.IsZero() {
			bad("pay.expr", "must give the formula when kind is %q", FormulaExpr)
		}
		if len(f.Coefficients) != 0 && len(f.Coefficients) != s.Grades {
			bad("pay.coefficients", "%d coefficients for %d grades", len(f.Coefficients), s.Grades)
		}
		checkRates("pay.coefficients", f.Coefficients, bad)
		checkWages("pay.city_wages", f.CityWages, bad)
		if f.Uplift < 0 || f.Uplift > MaxRate {
			bad("pay.uplift", "%s must be within 0–%s", f.Uplift, MaxRate)
		}
	default:
		bad("pay.kind", "%q must be %q, %q or %q", f.Kind, FormulaCoefficient, FormulaFixed, FormulaExpr)
	}
	checkWages("bonuses.performance", s.Bonuses.Performance, bad)
	for i, b := range s.Bonuses.Timeliness {
		if b.MinRate < 0 || b.MinRate > One {
			bad(fmt.Sprintf("bonuses.timeliness[%d].min_rate", i), "%s must be within 0–1", b.MinRate)
		}
		if b.Amount < 0 || b.Amount > MaxWage {
			bad(fmt.Sprintf("bonuses.timeliness[%d].amount", i), "%d fen must be within 0–%d", b.Amount, MaxWage)
		}
	}
	return errors.Join(errs...)
}

// checkWages bounds every monthly amount of m to 0–MaxWage (a city wage to 1–MaxWage).
func checkWages[K ~int | ~string](path string, m map[K]Fen, bad func(string, string, ...any)) {
	least := Fen(0)
	if path == "pay.city_wages" {
		least = 1
	}
	for _, k := range sortedKeys(m) {
		if v := m[k]; v < least || v > MaxWage {
			bad(fmt.Sprintf("%s.%v", path, k), "%d fen must be within %d–%d", v, least, MaxWage)
		}
	}
}

// checkRates bounds every rate of rs to (0, MaxRate].
func checkRates(path string, rs []Rate, bad func(string, string, ...any)) {
	for i, r := range rs {
		if r <= 0 || r > MaxRate {
			bad(fmt.Sprintf("%s[%d]", path, i), "%s must be within 0–%s, above 0", r, MaxRate)
		}
	}
}

func sortedKeys[K ~int | ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
