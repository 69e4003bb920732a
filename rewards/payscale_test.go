package rewards

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, cst) }

func staff(start time.Time, mods ...func(*Worker)) Worker {
	w := Worker{ID: "p-1", Start: start, Posts: []PostSpell{{Post: "staff", From: start}}}
	for _, m := range mods {
		m(&w)
	}
	return w
}

func assessed(year int, results ...string) func(*Worker) {
	return func(w *Worker) {
		for i, r := range results {
			w.Assessments = append(w.Assessments, Assessment{Year: year + i, Result: r})
		}
	}
}

func TestPayScale_GradeAt(t *testing.T) {
	qh := QinhuaiPayScale()
	lowering := QinhuaiPayScale()
	lowering.Assessments[ResultFail] = AssessmentRule{CreditMonths: 0, GradeDelta: -1, ResetCredit: true}
	oneUp := QinhuaiPayScale()
	oneUp.PostChange = PostChangeOneUp
	bottom := QinhuaiPayScale()
	bottom.PostChange = PostChangeBottom
	start := day(2020, 3, 1)

	tests := []struct {
		name   string
		scale  PayScale
		w      Worker
		at     time.Time
		want   Grade
		reason string
	}{
		{"NewStaff", qh, staff(start), start, Grade{Post: "staff", Grade: 1},
			"no service, no degree: the bottom of the staff range"},
		{"Bachelor", qh, staff(start, func(w *Worker) { w.Education = "bachelor" }), start, Grade{Post: "staff", Grade: 2},
			"a bachelor's counts as 3 years, one grade"},
		{"MasterBanksRemainder", qh, staff(start, func(w *Worker) { w.Education = "master" }), start, Grade{Post: "staff", Grade: 2, CreditMonths: 24},
			"5 years make one grade and bank 2 years"},
		{"DoctoratePlusService", qh, staff(start, func(w *Worker) { w.Education = "doctorate"; w.PriorService = 10 }), start, Grade{Post: "staff", Grade: 6, CreditMonths: 24},
			"7 + 10 = 17 years: five grades and 2 years banked"},
		{"PlacementCappedAtTop", qh, Worker{ID: "p", Start: start, PriorService: 40, Posts: []PostSpell{{Post: "head", From: start}}}, start, Grade{Post: "head", Grade: 18},
			"7 + 40 ÷ 3 = 20 exceeds the head range 7–18; nothing is banked at the top"},
		{"CertificateAtStart", qh, staff(start, func(w *Worker) { w.Certificates = []Certificate{{Level: CertSenior, From: day(2019, 1, 1)}} }), start, Grade{Post: "staff", Grade: 4, Certificate: CertSenior},
			"a senior social worker starts three grades up"},
		{"ThreeCompetentYears", qh, staff(start, assessed(2020, ResultCompetent, ResultCompetent, ResultCompetent)), day(2023, 1, 1), Grade{Post: "staff", Grade: 2, LastResult: ResultCompetent},
			"three ordinary years make one grade, effective 1 January"},
		{"DayBeforeStep", qh, staff(start, assessed(2020, ResultCompetent, ResultCompetent, ResultCompetent)), day(2022, 12, 31), Grade{Post: "staff", Grade: 1, CreditMonths: 24, LastResult: ResultCompetent},
			"the third year's result is not in effect before 1 January"},
		{"FailFreezes", qh, staff(start, assessed(2020, ResultCompetent, ResultFail, ResultCompetent)), day(2023, 1, 1), Grade{Post: "staff", Grade: 1, CreditMonths: 24, LastResult: ResultCompetent},
			"a failed year earns no credit, so three years are not yet a grade"},
		{"FailLowers", lowering, staff(start, func(w *Worker) { w.Education = "master" }, assessed(2020, ResultCompetent, ResultFail)), day(2022, 1, 1), Grade{Post: "staff", Grade: 2, LastResult: ResultFail},
			"master: grade 2 with 24 months banked; 2020 adds 12 → grade 3; under a lowering policy the 2021 fail takes it back to 2"},
		{"ExcellentAccelerates", qh, staff(start, assessed(2020, ResultExcellent, ResultExcellent)), day(2022, 1, 1), Grade{Post: "staff", Grade: 2, LastResult: ResultExcellent},
			"two excellent years earn 36 months: a grade a year early"},
		{"RangeCapOnProgression", qh, staff(start, func(w *Worker) { w.PriorService = 33 }, assessed(2020, ResultExcellent)), day(2021, 1, 1), Grade{Post: "staff", Grade: 12, LastResult: ResultExcellent},
			"grade 12 is the top of the staff range: credit is not banked"},
		{"PromotionNearestBelowRange", qh, staff(start, func(w *Worker) {
			w.Education = "bachelor"
			w.Posts = append(w.Posts, PostSpell{Post: "deputy", From: day(2021, 7, 1)})
		}), day(2021, 7, 1), Grade{Post: "deputy", Grade: 4},
			"staff grade 2 is below the deputy range 4–15: the nearest grade is 4"},
		{"PromotionNearestInRange", qh, staff(start, func(w *Worker) {
			w.PriorService = 15
			w.Posts = append(w.Posts, PostSpell{Post: "deputy", From: day(2021, 7, 1)})
		}), day(2021, 7, 1), Grade{Post: "deputy", Grade: 6},
			"staff grade 6 is inside the deputy range and is kept"},
		{"PromotionOneUp", oneUp, staff(start, func(w *Worker) {
			w.PriorService = 15
			w.Posts = append(w.Posts, PostSpell{Post: "deputy", From: day(2021, 7, 1)})
		}), day(2021, 7, 1), Grade{Post: "deputy", Grade: 7},
			"the one-up rule adds a grade on promotion"},
		{"PromotionBottom", bottom, staff(start, func(w *Worker) {
			w.PriorService = 15
			w.Posts = append(w.Posts, PostSpell{Post: "deputy", From: day(2021, 7, 1)})
		}), day(2021, 7, 1), Grade{Post: "deputy", Grade: 4},
			"the bottom rule restarts at the range's lowest grade"},
		{"DemotionCapped", qh, Worker{ID: "p", Start: start, PriorService: 30, Posts: []PostSpell{{Post: "head", From: start}, {Post: "deputy", From: day(2020, 9, 1)}}}, day(2020, 9, 1), Grade{Post: "deputy", Grade: 15},
			"head grade 17 is above the deputy range: the nearest grade is 15"},
		{"PostChangeKeepsCredit", qh, staff(start, func(w *Worker) {
			w.Education = "master"
			w.Posts = append(w.Posts, PostSpell{Post: "deputy", From: day(2020, 6, 1)})
		}, assessed(2020, ResultCompetent)), day(2021, 1, 1), Grade{Post: "deputy", Grade: 5, LastResult: ResultCompetent},
			"24 banked months survive the post change and the next year completes a grade: 4 → 5"},
		{"LaterCertificateAddsDifference", qh, staff(start, func(w *Worker) {
			w.Certificates = []Certificate{{Level: CertAssistant, From: day(2019, 5, 1)}, {Level: CertSocial, From: day(2021, 6, 1)}}
		}), day(2021, 6, 1), Grade{Post: "staff", Grade: 3, Certificate: CertSocial},
			"assistant (+1) at start, social worker (+2) later adds the one grade of difference"},
		{"LowerCertificateAddsNothing", qh, staff(start, func(w *Worker) {
			w.Certificates = []Certificate{{Level: CertSenior, From: day(2019, 5, 1)}, {Level: CertAssistant, From: day(2021, 6, 1)}}
		}), day(2021, 6, 1), Grade{Post: "staff", Grade: 4, Certificate: CertSenior},
			"only the highest certificate counts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, steps, err := tc.scale.GradeAt(tc.w, tc.at)
			require.NoError(t, err, tc.reason)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("GradeAt() mismatch (-want +got) (%s):\n%s", tc.reason, diff)
			}
			if len(steps) == 0 || steps[len(steps)-1].Grade != got {
				t.Errorf("GradeAt() steps end in %+v, want the returned grade (%s)", steps, tc.reason)
			}
		})
	}
}

func TestPayScale_GradeAtErrors(t *testing.T) {
	qh := QinhuaiPayScale()
	start := day(2020, 3, 1)
	tests := []struct {
		name     string
		w        Worker
		at       time.Time
		wantKind error
		wantMsg  string
		reason   string
	}{
		{"ErrNoPost", Worker{ID: "p", Start: start}, start, gridgov.ErrInvalid, "posts: the worker holds no post", "a worker must hold a post"},
		{"ErrUnknownPost", staff(start, func(w *Worker) { w.Posts[0].Post = "chief" }), start, gridgov.ErrInvalid, `posts[0].post: "chief"`, "posts come from the scale"},
		{"ErrUnknownResult", staff(start, assessed(2020, "good")), start, gridgov.ErrInvalid, `assessments[0].result: "good"`, "results come from the scale"},
		{"ErrUnknownCertificate", staff(start, func(w *Worker) { w.Certificates = []Certificate{{Level: "phd", From: start}} }), start, gridgov.ErrInvalid, `certificates[0].level`, "certificates come from the scale"},
		{"ErrBeforeStart", staff(start), day(2020, 1, 1), gridgov.ErrPrecondition, "starts on 2020-03-01", "no grade before the worker starts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := qh.GradeAt(tc.w, tc.at)
			if !errors.Is(err, tc.wantKind) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("GradeAt() error = %v, want %v containing %q (%s)", err, tc.wantKind, tc.wantMsg, tc.reason)
			}
		})
	}
}

func TestPayScale_Payslip(t *testing.T) {
	coef := QinhuaiPayScale()
	coef.Pay.CityWages = map[int]Fen{2024: 987_654} // ¥9,876.54
	coef.Pay.Uplift = 11500                         // 1.15
	fixed := FixedYuanPayScale()
	start := day(2020, 3, 1)
	head := Worker{ID: "p-2", Start: start, PriorService: 6, Posts: []PostSpell{{Post: "head", From: start}},
		Certificates: []Certificate{{Level: CertSocial, From: start}}, Assessments: []Assessment{{Year: 2024, Result: ResultCompetent}}}
	// head: 7 + 6 ÷ 3 + 2 = grade 11; the 2024 assessment adds 12 months, not a grade.
	tests := []struct {
		name   string
		scale  PayScale
		w      Worker
		ev     Evaluation
		want   []PayLine
		total  Fen
		reason string
	}{
		{"Coefficient", coef, head, Evaluation{},
			[]PayLine{{Item: "base", Rule: RulePayBase, Amount: 1_362_963}}, 1_362_963,
			"987654 × 1.15 × coefficient of grade 11 (0.80 + 10 × 0.04 = 1.20) = 1362962.52, rounded once to 1362963"},
		{"Fixed", fixed, head, Evaluation{},
			[]PayLine{
				{Item: "post", Rule: RulePayPost, Amount: Yuan(2800)},
				{Item: "level", Rule: RulePayLevel, Amount: Yuan(50 + 60*3)},
				{Item: "title", Rule: RulePayTitle, Amount: Yuan(500)},
				{Item: "performance", Rule: RulePayPerformance, Amount: Yuan(200)},
			}, Yuan(2800 + 230 + 500 + 200),
			"post 2800 + level 4 for 6 + 5 = 11 years worked (50 + 60 × 3) + title 500 + basic performance 200; no annual reward outside January"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := tc.scale.Payslip(tc.w, day(2025, 3, 15), tc.ev)
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, ps.Lines, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Text" }, cmp.Ignore())); diff != "" {
				t.Errorf("Payslip() lines mismatch (-want +got) (%s):\n%s", tc.reason, diff)
			}
			if ps.Total != tc.total {
				t.Errorf("Payslip() total = %v, want %v (%s)", ps.Total, tc.total, tc.reason)
			}
		})
	}
	if _, err := coef.Payslip(head, day(2026, 1, 15), Evaluation{}); !errors.Is(err, gridgov.ErrPrecondition) || gridgov.RuleOf(err) != RulePayData {
		t.Errorf("Payslip(2026) without the 2025 city wage error = %v, want ErrPrecondition by %s", err, RulePayData)
	}
}

func TestPayScale_Explain(t *testing.T) {
	s := QinhuaiPayScale()
	start := day(2016, 9, 1)
	w := Worker{ID: "p-0042", Start: start, PriorService: 2, Education: "bachelor",
		Posts:        []PostSpell{{Post: "staff", From: start}, {Post: "deputy", From: day(2021, 4, 1)}},
		Certificates: []Certificate{{Level: CertAssistant, From: day(2016, 6, 1)}, {Level: CertSocial, From: day(2019, 11, 1)}},
		Assessments: []Assessment{{Year: 2016, Result: ResultCompetent}, {Year: 2017, Result: ResultExcellent}, {Year: 2018, Result: ResultFail},
			{Year: 2019, Result: ResultCompetent}, {Year: 2020, Result: ResultExcellent}, {Year: 2021, Result: ResultCompetent},
			{Year: 2022, Result: ResultCompetent}, {Year: 2023, Result: ResultBasic}, {Year: 2024, Result: ResultExcellent}}}
	x, err := s.Explain(w, day(2025, 3, 10), Evaluation{Band: "B", OnTimeRate: 9600, HasOnTime: true})
	require.NoError(t, err)
	golden(t, "explain.golden", x.String())
}

// TestPayScale_ExplainFixed is the fixed-yuan payslip of the same worker in January,
// when the annual reward for the previous year is paid.
func TestPayScale_ExplainFixed(t *testing.T) {
	s := FixedYuanPayScale()
	start := day(2016, 9, 1)
	w := Worker{ID: "p-0042", Start: start, PriorService: 2, Education: "bachelor",
		Posts:        []PostSpell{{Post: "staff", From: start}, {Post: "head", From: day(2021, 4, 1), DualRole: true}},
		Certificates: []Certificate{{Level: CertAssistant, From: day(2016, 6, 1)}, {Level: CertSocial, From: day(2019, 11, 1)}},
		Assessments:  []Assessment{{Year: 2023, Result: ResultBasic}, {Year: 2024, Result: ResultExcellent}}}
	x, err := s.Explain(w, day(2025, 1, 10), Evaluation{})
	require.NoError(t, err)
	golden(t, "explain-fixed.golden", x.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestPayScale_NingxiaProfile(t *testing.T) {
	// Four posts, twenty-four grades, a grade every two years: a profile, no code.
	data, err := os.ReadFile("testdata/ningxia-payscale.yaml")
	require.NoError(t, err)
	var s PayScale
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&s))
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate(ningxia) = %v, want nil", err)
	}
	start := day(2021, 1, 1)
	w := Worker{ID: "nx-1", Start: start, Education: "bachelor", Posts: []PostSpell{{Post: "post-4", From: start}},
		Assessments: []Assessment{{Year: 2021, Result: "competent"}, {Year: 2022, Result: "competent"}}}
	g, _, err := s.GradeAt(w, day(2023, 1, 1))
	require.NoError(t, err)
	// Placement: 1 + 3 ÷ 2 = 2, 12 months banked; two years add 24 → 36 = one more grade, 12 banked.
	if diff := cmp.Diff(Grade{Post: "post-4", Grade: 3, CreditMonths: 12, LastResult: "competent"}, g); diff != "" {
		t.Errorf("GradeAt(ningxia) mismatch (-want +got):\n%s", diff)
	}
	ps, err := s.Payslip(w, day(2023, 1, 1), Evaluation{})
	require.NoError(t, err)
	// 2022 wage 850000 × uplift 1.1 × coefficient of grade 3 (1.10) = 1028500
	if ps.Total != 1_028_500 {
		t.Errorf("Payslip(ningxia).Total = %d, want 1028500", ps.Total)
	}
}

func TestPayScale_Validate(t *testing.T) {
	if err := QinhuaiPayScale().Validate(); err != nil {
		t.Errorf("QinhuaiPayScale().Validate() = %v, want nil", err)
	}
	if err := FixedYuanPayScale().Validate(); err != nil {
		t.Errorf("FixedYuanPayScale().Validate() = %v, want nil", err)
	}
	s := QinhuaiPayScale()
	s.Posts[1].Min = 0
	s.Posts[2].Max = 19
	s.Pay.Coefficients = s.Pay.Coefficients[:17]
	s.PostChange = "sideways"
	s.Bonuses.Timeliness[0].MinRate = 12000
	err := s.Validate()
	want := []string{
		"posts[1].min: 0 must be within 1–18",
		"posts[2].max: 19 must be within 1–18",
		`post_change: "sideways" must be`,
		"pay.coefficients: 17 coefficients for 18 grades",
		"bonuses.timeliness[0].min_rate: 1.2 must be within 0–1",
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Validate() = %v, want it to report %q", err, w)
		}
	}
}

// TestFixedYuan_Rules checks the fixed-yuan scheme rule by rule against the city
// document: post pay 2800/2500/2300; 12 levels by years worked, three years or less
// being level 1, level pay 50 + 60 per level above 1; title pay 300/500/800 and no extra
// level for the certificate; +300 for 书记主任"一肩挑"; performance pay = 200 a month +
// an annual reward by the four assessment grades.
func TestFixedYuan_Rules(t *testing.T) {
	s := FixedYuanPayScale()
	start := day(2025, 1, 1)
	worker := func(post string, prior int, mods ...func(*Worker)) Worker {
		w := Worker{ID: "p-9", Start: start, PriorService: prior, Posts: []PostSpell{{Post: post, From: start}}}
		for _, m := range mods {
			m(&w)
		}
		return w
	}
	cert := func(w *Worker) { w.Certificates = []Certificate{{Level: CertSocial, From: start}} }
	dual := func(w *Worker) { w.Posts[0].DualRole = true }
	tests := []struct {
		name   string
		w      Worker
		month  time.Time
		ev     Evaluation
		item   string
		want   Fen // the line's amount; -1: no such line
		text   string
		reason string
	}{
		{"PostPayHead", worker("head", 0), day(2025, 3, 1), Evaluation{}, "post", Yuan(2800), "", "post pay of the head (正职) is 2800"},
		{"PostPayDeputy", worker("deputy", 0), day(2025, 3, 1), Evaluation{}, "post", Yuan(2500), "", "post pay of the deputy (副职) is 2500"},
		{"PostPayStaff", worker("staff", 0), day(2025, 3, 1), Evaluation{}, "post", Yuan(2300), "", "post pay of other staff is 2300"},
		{"NewHeadWithCertificateIsLevel1", worker("head", 0, cert), day(2025, 3, 1), Evaluation{}, "level", Yuan(50), "level 1 for 0 years",
			"levels count years worked: a new head with a 社会工作师 certificate and no service is on level 1 (¥50), not grade 9"},
		{"ThreeYearsIsLevel1", worker("staff", 3), day(2025, 3, 1), Evaluation{}, "level", Yuan(50), "level 1 for 3 years", "three years or less is level 1"},
		{"FourYearsIsLevel2", worker("staff", 4), day(2025, 3, 1), Evaluation{}, "level", Yuan(110), "level 2 for 4 years", "50 + 60 per level above the first (local choice: 4–6 years is level 2)"},
		{"WholeYearsSinceStart", worker("staff", 3), day(2026, 1, 1), Evaluation{}, "level", Yuan(110), "level 2 for 4 years", "a year at work since the start adds to the years worked"},
		{"TopLevel12", worker("staff", 60), day(2025, 3, 1), Evaluation{}, "level", Yuan(50 + 60*11), "level 12", "the scale has 12 levels: 710 at the top"},
		{"TitlePaySocialWorker", worker("staff", 0, cert), day(2025, 3, 1), Evaluation{}, "title", Yuan(500), "", "title pay 300/500/800: a social worker gets 500"},
		{"DualRoleUplift", worker("head", 0, dual), day(2025, 3, 1), Evaluation{}, "dual role", Yuan(300), "一肩挑", "one person as secretary and director gets +300"},
		{"NoDualRoleNoUplift", worker("head", 0), day(2025, 3, 1), Evaluation{}, "dual role", -1, "", "the uplift is only for 一肩挑"},
		{"PerformanceBasicMonthly", worker("staff", 0), day(2025, 3, 1), Evaluation{}, "performance", Yuan(200), "", "performance pay has a monthly basic amount of 200"},
		{"AnnualRewardNotMonthly", worker("staff", 0), day(2025, 3, 1), Evaluation{Assessment: ResultExcellent}, "annual reward", -1, "", "the assessment reward is annual, not a monthly band"},
		{"AnnualRewardByEvaluation", worker("staff", 0), day(2026, 1, 1), Evaluation{Assessment: ResultBasic}, "annual reward", Yuan(2000), `assessment "basic" (as evaluated)`,
			"the annual reward goes by the four grades; the grade cited is the one the caller passes in Evaluation"},
		{"AnnualRewardByRecord", worker("staff", 0, assessed(2025, ResultExcellent)), day(2026, 1, 1), Evaluation{}, "annual reward", Yuan(6000), `assessment "excellent" (as recorded)`,
			"without an evaluated grade, the worker's recorded assessment of the year is used"},
		{"EvaluationWinsOverRecord", worker("staff", 0, assessed(2025, ResultExcellent)), day(2026, 1, 1), Evaluation{Assessment: ResultFail}, "annual reward", 0, `assessment "fail" (as evaluated)`,
			"the caller's grade is cited and paid, whatever the record says"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := s.Payslip(tc.w, tc.month, tc.ev)
			require.NoError(t, err, tc.reason)
			var line *PayLine
			for i := range ps.Lines {
				if ps.Lines[i].Item == tc.item {
					line = &ps.Lines[i]
				}
				if ps.Lines[i].Amount < 0 {
					t.Errorf("negative line %+v (%s)", ps.Lines[i], tc.reason)
				}
			}
			switch {
			case tc.want < 0 && line != nil:
				t.Errorf("Payslip() has line %+v, want none (%s)", *line, tc.reason)
			case tc.want >= 0 && line == nil:
				t.Errorf("Payslip() has no %q line in %+v (%s)", tc.item, ps.Lines, tc.reason)
			case line != nil && (line.Amount != tc.want || !strings.Contains(line.Text, tc.text)):
				t.Errorf("Payslip() %s = %v %q, want %v containing %q (%s)", tc.item, line.Amount, line.Text, tc.want, tc.text, tc.reason)
			}
		})
	}
	// The certificate is title pay only: it adds no grade either.
	with, _, err := s.GradeAt(worker("head", 0, cert), start)
	require.NoError(t, err)
	without, _, err := s.GradeAt(worker("head", 0), start)
	require.NoError(t, err)
	if with.Grade != without.Grade {
		t.Errorf("GradeAt() with certificate = %d, without = %d: the certificate is counted twice", with.Grade, without.Grade)
	}
	x, err := s.Explain(worker("staff", 0), day(2026, 1, 1), Evaluation{Assessment: ResultCompetent})
	require.NoError(t, err)
	if !strings.Contains(x.String(), `assessment "competent" (as evaluated)`) {
		t.Errorf("Explain() does not cite the evaluated grade:\n%s", x)
	}
	if _, err := s.Payslip(worker("staff", 0), day(2026, 1, 1), Evaluation{Assessment: "good"}); !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != RulePayAnnual {
		t.Errorf("Payslip(unknown grade) error = %v, want ErrInvalid by %s", err, RulePayAnnual)
	}
}

// TestCoefficient_Floor is the policy floor of the coefficient family: with Floor 1 no
// grade is paid below the city average monthly wage (全社会单位就业人员平均工资 ÷ 12).
func TestCoefficient_Floor(t *testing.T) {
	s := QinhuaiPayScale()
	s.Pay.CityWages = map[int]Fen{2024: Yuan(10000)}
	s.Pay.Floor = One
	low := staff(day(2020, 3, 1))                                           // grade 1, coefficient 0.80
	high := staff(day(2020, 3, 1), func(w *Worker) { w.PriorService = 30 }) // grade 11, coefficient 1.20
	tests := []struct {
		name   string
		w      Worker
		floor  Fen
		total  Fen
		reason string
	}{
		{"RaisesLowGrade", low, Yuan(2000), Yuan(10000), "grade 1 pays 0.80 × ¥10,000: the floor adds ¥2,000"},
		{"LeavesHighGrade", high, -1, Yuan(12000), "grade 11 pays 1.20 × ¥10,000, above the floor"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := s.Payslip(tc.w, day(2025, 3, 1), Evaluation{})
			require.NoError(t, err)
			var floor Fen = -1
			for _, l := range ps.Lines {
				if l.Rule == RulePayFloor {
					floor = l.Amount
				}
			}
			if floor != tc.floor || ps.Total != tc.total {
				t.Errorf("Payslip() floor line %v total %v, want %v and %v (%s)", floor, ps.Total, tc.floor, tc.total, tc.reason)
			}
		})
	}
}

// FuzzPayslip_NeverNegative is rule money.bounds on pay: a scale that passes Validate
// never produces a negative line or total and never overflows.
func FuzzPayslip_NeverNegative(f *testing.F) {
	f.Add(int64(2800_00), int64(50_00), int64(60_00), int64(300_00), int64(200_00), int64(10000), int64(8000), uint8(3), false)
	f.Add(int64(-1), int64(math.MaxInt64), int64(-5), int64(math.MinInt64), int64(1), int64(math.MaxInt64), int64(-1), uint8(200), true)
	f.Fuzz(func(t *testing.T, post, base, step, title, perf, uplift, coef int64, prior uint8, fixed bool) {
		s := QinhuaiPayScale()
		if fixed {
			s = FixedYuanPayScale()
			s.Pay.PostWage["staff"] = Fen(post)
			s.Pay.LevelBase, s.Pay.LevelStep = Fen(base), Fen(step)
			s.Pay.TitleWage[CertSocial] = Fen(title)
			s.Pay.PerformanceBasic = Fen(perf)
			s.Pay.AnnualReward[ResultCompetent] = Fen(title)
		} else {
			s.Pay.CityWages[2024] = Fen(post)
			s.Pay.Uplift = Rate(uplift)
			s.Pay.Coefficients[0] = Rate(coef)
			s.Bonuses.Performance["A"] = Fen(perf)
		}
		if s.Validate() != nil {
			return
		}
		w := staff(day(2020, 1, 1), func(w *Worker) {
			w.PriorService = int(prior)
			w.Certificates = []Certificate{{Level: CertSocial, From: day(2020, 1, 1)}}
		}, assessed(2020, ResultCompetent, ResultCompetent, ResultCompetent, ResultCompetent, ResultCompetent))
		ps, err := s.Payslip(w, day(2025, 1, 15), Evaluation{Band: "A"})
		if err != nil {
			if errors.Is(err, gridgov.ErrInvalid) && strings.Contains(err.Error(), "prior_service") {
				return // a worker record beyond MaxYears is refused, not paid
			}
			t.Fatalf("Payslip() of a valid scale: %v", err)
		}
		if ps.Total < 0 {
			t.Fatalf("Payslip() total %v < 0", ps.Total)
		}
		for _, l := range ps.Lines {
			if l.Amount < 0 {
				t.Fatalf("Payslip() line %+v < 0", l)
			}
		}
	})
}
