package evaluation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
)

// oneCard returns a policy whose only card is c, under id "c".
func oneCard(c *evaluation.Scorecard) evaluation.Policy {
	p := evaluation.QinhuaiPolicy()
	p.Scorecards = map[string]*evaluation.Scorecard{"c": c}
	return p
}

func mustCompile(tb testing.TB, p evaluation.Policy) *evaluation.Evaluator {
	tb.Helper()
	e, err := evaluation.Compile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func q2(tb testing.TB) evaluation.Period {
	p, err := evaluation.ParsePeriod("2024-Q2")
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func rate(name string) evaluation.Source {
	return evaluation.Source{Kind: evaluation.SourceMetric, Name: name}
}

func val(num, den int64) evaluation.Value {
	return evaluation.Value{Ratio: evaluation.Ratio{Num: num, Den: den}, Sample: den}
}

func TestPolicy_Validate_Paths(t *testing.T) {
	lin := evaluation.Normaliser{Kind: evaluation.NormLinear, Floor: 0, Target: evaluation.Full}
	tests := []struct {
		name   string
		edit   func(p *evaluation.Policy)
		want   string
		reason string
	}{
		{"weights-sum", func(p *evaluation.Policy) { p.Scorecards[evaluation.CardHotline].Indicators[2].Weight = 30 },
			"scorecards.hotline.indicators: weights sum to 95, the card's total is 100", "weights must sum as the card says"},
		{"weight-zero", func(p *evaluation.Policy) { p.Scorecards[evaluation.CardStreet].Indicators[2].Weight = 0 },
			"scorecards.street.indicators[2].weight: 0 must be within 1..1000000", "a zero weight is refused with its path"},
		{"formula-does-not-compile", func(p *evaluation.Policy) { p.Scorecards[evaluation.CardHotline].Formula = "response +" },
			"scorecards.hotline.formula: \"response +\" does not compile", "a bad formula is a policy error naming its card"},
		{"formula-float", func(p *evaluation.Policy) { p.Scorecards[evaluation.CardHotline].Formula = "total / 3" },
			"is a float", "a float never decides a grade"},
		{"formula-unknown-name", func(p *evaluation.Policy) { p.Scorecards[evaluation.CardHotline].Formula = "responce + 1" },
			"scorecards.hotline.formula", "the formula is typed against the indicators"},
		{"indicator-formula-does-not-compile", func(p *evaluation.Policy) {
			p.Scorecards[evaluation.CardStreet].Indicators[1].Normaliser = evaluation.Normaliser{Kind: evaluation.NormFormula, Formula: "ppm >="}
		}, "scorecards.street.indicators[1].normaliser.formula: \"ppm >=\" does not compile", "a bad indicator formula names its indicator"},
		{"indicator-formula-unknown-input", func(p *evaluation.Policy) {
			p.Scorecards[evaluation.CardStreet].Indicators[1].Normaliser = evaluation.Normaliser{Kind: evaluation.NormFormula, Formula: "rate * 2"}
		}, "scorecards.street.indicators[1].normaliser.formula", "the formula is typed against num, den, sample and ppm"},
		{"indicator-formula-too-big", func(p *evaluation.Policy) {
			p.Scorecards[evaluation.CardStreet].Indicators[1].Normaliser = evaluation.Normaliser{Kind: evaluation.NormFormula,
				Formula: strings.Repeat("ppm + ", 300) + "ppm"}
		}, "scorecards.street.indicators[1].normaliser.formula", "the node limit bounds a formula's cost"},
		{"fact-of-a-period", func(p *evaluation.Policy) {
			p.Ratings[0].Criteria[0].Fact = evaluation.FactReportInOnTime
			p.Ratings[0].Criteria[0].IfTrue, p.Ratings[0].Criteria[0].IfFalse = "satisfied", "dissatisfied"
		}, "ratings[0].criteria[0].fact", "a period has no report-in to read"},
		{"unknown-rating-rule", func(p *evaluation.Policy) {
			p.Scorecards[evaluation.CardDepartment].Indicators[0].Source.Name = "street-whistles"
		}, "scorecards.department.indicators[0].source.name: \"street-whistles\" is not a rating rule", "a misspelt source is refused"},
		{"unknown-card", func(p *evaluation.Policy) {
			p.Scorecards[evaluation.CardDepartment].Indicators[4].Source.Card = "comunity"
		}, "scorecards.department.indicators[4].source.card", "bundled assessment must name a card that exists"},
		{"cycle", func(p *evaluation.Policy) {
			p.Scorecards[evaluation.CardCommunity].Indicators[0] = evaluation.Indicator{ID: "closure", Weight: 25, Item: evaluation.ItemGridEvents,
				Source: evaluation.Source{Kind: evaluation.SourceCard, Card: evaluation.CardStreet, Relation: evaluation.RelationSelf}, Normaliser: lin}
		}, "cycle", "cards reading each other's scores would never settle"},
		{"imposed-without-item", func(p *evaluation.Policy) { p.Scorecards[evaluation.CardCommunity].Indicators[1].Item = "" },
			"scorecards.community.indicators[1].item", "a card imposed on communities names the admitted item of each indicator"},
		{"grades-order", func(p *evaluation.Policy) { p.Grades[1].Min = 9500 },
			"grades[1].min", "bands listed from the highest"},
		{"grades-floor", func(p *evaluation.Policy) { p.Grades[3].Min = 100 },
			"grades[3].min: the lowest band must start at 0", "every score needs a grade"},
		{"credit-off-scale", func(p *evaluation.Policy) { p.Scales[evaluation.ScaleSatisfaction][1].Credit = 1_100_000 },
			"scales.satisfaction[1].credit", "partial credit is at most full"},
		{"events-not-deducted", func(p *evaluation.Policy) { p.Scorecards[evaluation.CardGridWorker].Indicators[2].Normaliser = lin },
			"scorecards.grid-worker.indicators[2].normaliser.kind", "an event count is read only by a deduction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := evaluation.QinhuaiPolicy()
			tt.edit(&p)
			err := p.Validate()
			if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error containing %q (%s)", err, tt.want, tt.reason)
			}
			if _, err := evaluation.Compile(p); err == nil {
				t.Errorf("Compile() accepted a policy Validate refuses")
			}
		})
	}
}

func TestEvaluator_Score_Normalisers(t *testing.T) {
	lin := evaluation.Normaliser{Kind: evaluation.NormLinear, Floor: 600_000, Target: evaluation.Full}
	deduct := evaluation.Normaliser{Kind: evaluation.NormDeduct, Threshold: 900_000, Step: 10_000, Deduct: 100, Cap: 1000}
	bands := evaluation.Normaliser{Kind: evaluation.NormBands, Bands: []evaluation.NormBand{{Min: 950_000, Credit: evaluation.Full}, {Min: 900_000, Credit: 900_000}, {Min: 0, Credit: 0}}}
	tests := []struct {
		name   string
		ind    evaluation.Indicator
		v      evaluation.Value
		want   evaluation.Points
		reason string
	}{
		{"linear-mid", evaluation.Indicator{Normaliser: lin}, val(8, 10), 5000, "80% is half way from 60% to 100%"},
		{"linear-below-floor", evaluation.Indicator{Normaliser: lin}, val(5, 10), 0, "below the floor earns nothing, never negative"},
		{"linear-lower-better", evaluation.Indicator{Normaliser: lin, Lower: true}, val(1, 10), 7500, "a 10% rework rate counts as 90%"},
		{"deduct-at-threshold", evaluation.Indicator{Normaliser: deduct}, val(9, 10), 10000, "90% keeps every point"},
		{"deduct-per-point", evaluation.Indicator{Normaliser: deduct}, val(87, 100), 9700, "three points below 90% lose 3 points"},
		{"deduct-partial-point", evaluation.Indicator{Normaliser: deduct}, val(875, 1000), 9750, "2.5 points below lose 2.5: the deduction is proportional"},
		{"deduct-cap", evaluation.Indicator{Normaliser: deduct}, val(5, 10), 9000, "the deduction is capped at 10 points"},
		{"bands", evaluation.Indicator{Normaliser: bands}, val(93, 100), 9000, "93% is in the 90% band"},
		{"bands-edge", evaluation.Indicator{Normaliser: bands}, val(95, 100), 10000, "exactly 95% reaches the top band"},
		{"formula", evaluation.Indicator{Normaliser: evaluation.Normaliser{Kind: evaluation.NormFormula,
			Formula: "ppm >= 900000 ? 1000000 : portion(ppm, 9, 10)"}}, val(8, 10), 7200, "a district formula: below 90% earns 0.9 of the rate"},
		{"formula-clamped", evaluation.Indicator{Normaliser: evaluation.Normaliser{Kind: evaluation.NormFormula, Formula: "ppm * 2"}},
			val(8, 10), 10000, "a formula's credit is clamped to full"},
		{"events", evaluation.Indicator{Source: evaluation.Source{Kind: evaluation.SourceEvents, Name: "complaints"},
			Normaliser: evaluation.Normaliser{Kind: evaluation.NormDeduct, Deduct: 500, Cap: 3000}}, val(3, 1), 8500, "three upheld complaints at 5 points each"},
		{"events-cap", evaluation.Indicator{Source: evaluation.Source{Kind: evaluation.SourceEvents, Name: "complaints"},
			Normaliser: evaluation.Normaliser{Kind: evaluation.NormDeduct, Deduct: 500, Cap: 3000}}, val(9, 1), 7000, "at most 30 points are deducted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ind := tt.ind
			ind.ID, ind.Weight = "x", 1
			if ind.Source.Kind == "" {
				ind.Source = rate("closure")
			}
			e := mustCompile(t, oneCard(&evaluation.Scorecard{Total: 1, Max: 100, Indicators: []evaluation.Indicator{ind}}))
			in := evaluation.NewInputs(q2(t))
			s := hierarchy.UnitRef(zhongpai)
			in.Set(s, ind.Source, tt.v)
			rs, err := e.Score(buildTree(t), in, evaluation.Request{"c": {s}})
			if err != nil {
				t.Fatal(err)
			}
			if got := rs.Cards["c"][0].Score; got != tt.want {
				t.Errorf("Score() = %s, want %s (%s)", got, tt.want, tt.reason)
			}
		})
	}
}

func TestEvaluator_Score_BandEdges(t *testing.T) {
	e := mustCompile(t, oneCard(&evaluation.Scorecard{Total: 1, Max: 100, Indicators: []evaluation.Indicator{
		{ID: "x", Weight: 1, Source: rate("closure"), Normaliser: evaluation.Normaliser{Kind: evaluation.NormLinear, Target: evaluation.Full}}}}))
	tests := []struct {
		num, den int64
		score    evaluation.Points
		grade    string
		reason   string
	}{
		{17999, 20000, 9000, evaluation.GradeExcellent, "89.995 rounds half up to 90.00, which is 优秀"},
		{899949, 1000000, 8999, evaluation.GradeCompetent, "89.9949 rounds to 89.99, below 优秀"},
		{9, 10, 9000, evaluation.GradeExcellent, "exactly 90 is 优秀: a band's minimum belongs to it"},
		{3, 4, 7500, evaluation.GradeCompetent, "exactly 75 is 称职"},
		{14999, 20000, 7500, evaluation.GradeCompetent, "74.995 rounds up to 75.00"},
		{5999, 10000, 5999, evaluation.GradeFail, "59.99 is 不称职"},
		{2, 3, 6667, evaluation.GradeBasic, "66.666… rounds to 66.67"},
	}
	for _, tt := range tests {
		in := evaluation.NewInputs(q2(t))
		s := hierarchy.UnitRef(zhongpai)
		in.Set(s, rate("closure"), val(tt.num, tt.den))
		rs, err := e.Score(buildTree(t), in, evaluation.Request{"c": {s}})
		if err != nil {
			t.Fatal(err)
		}
		r := rs.Cards["c"][0]
		if r.Score != tt.score || r.Grade.Grade != tt.grade {
			t.Errorf("%d/%d: Score() = %s %s, want %s %s (%s)", tt.num, tt.den, r.Score, r.Grade.Grade, tt.score, tt.grade, tt.reason)
		}
	}
}

func TestEvaluator_Score_HotlineThreeRates(t *testing.T) {
	e := mustCompile(t, evaluation.QinhuaiPolicy())
	in := evaluation.NewInputs(q2(t))
	s := hierarchy.UnitRef(qinhong)
	in.Set(s, rate("response"), val(98, 100))
	in.Set(s, rate("resolution"), val(80, 100))
	in.Set(s, rate("satisfaction"), val(0, 0)) // no return visits: not applicable
	rs, err := e.Score(buildTree(t), in, evaluation.Request{evaluation.CardHotline: {s}})
	if err != nil {
		t.Fatal(err)
	}
	r := rs.Cards[evaluation.CardHotline][0]
	// (30×0.98 + 35×0.80) / 65 × 100 = 57.4/65 × 100 = 88.307… → 88.31
	if r.Score != 8831 || r.Lines[2].Applicable {
		t.Errorf("three rates = %s (satisfaction applicable %v), want 88.31 with satisfaction left out", r.Score, r.Lines[2].Applicable)
	}
}

func TestEvaluator_Score_SourceMissing(t *testing.T) {
	e := mustCompile(t, evaluation.QinhuaiPolicy())
	in := evaluation.NewInputs(q2(t))
	s := hierarchy.UnitRef(qinhong)
	in.Set(s, rate("response"), val(98, 100))
	in.Set(s, rate("resolution"), val(80, 100))
	_, err := e.Score(buildTree(t), in, evaluation.Request{evaluation.CardHotline: {s}})
	if !errors.Is(err, gridgov.ErrPrecondition) || gridgov.RuleOf(err) != evaluation.RuleSource ||
		!strings.Contains(err.Error(), "indicator satisfaction for unit:320104001: no input metric:satisfaction") {
		t.Fatalf("Score() = %v, want the missing source named", err)
	}
	for _, bad := range []struct {
		req    evaluation.Request
		reason string
	}{
		{evaluation.Request{"hotlines": {s}}, "an unknown card is named"},
		{evaluation.Request{evaluation.CardHotline: {s, s}}, "a subject listed twice would be ranked against itself"},
		{evaluation.Request{evaluation.CardHotline: {hierarchy.UnitRef("320104999")}}, "an unknown subject is named"},
	} {
		if _, err := e.Score(buildTree(t), in, bad.req); !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("Score(%v) = %v, want ErrInvalid (%s)", bad.req, err, bad.reason)
		}
	}
}

// setCommunity sets a full set of community inputs that score exactly score/100 on
// the default community card: every rate at the same credit.
func setCommunity(in *evaluation.Inputs, u hierarchy.UnitID, closure, sat int64) {
	s := hierarchy.UnitRef(u)
	in.Set(s, rate("closure"), val(closure, 100))
	in.Set(s, rate("on_time_closure"), val(95, 100))
	in.Set(s, rate("in_grid"), val(90, 100))
	in.Set(s, rate("rework"), val(0, 100))
	in.AddSurvey(evaluation.Survey{Name: "residents", Unit: u, Respondents: 200, Credit: sat * 2_000_000}, 100)
}

func TestEvaluator_Score_RankingTies(t *testing.T) {
	e := mustCompile(t, oneCard(&evaluation.Scorecard{Total: 1, Max: 100, Indicators: []evaluation.Indicator{
		{ID: "x", Weight: 1, Source: rate("closure"), Normaliser: evaluation.Normaliser{Kind: evaluation.NormLinear, Target: evaluation.Full}}}}))
	in := evaluation.NewInputs(q2(t))
	units := map[hierarchy.UnitID]int64{zhongpai: 90, kangju: 95, fzmComm: 90, qinhong: 80, fuzimiao: 90}
	var subjects []hierarchy.Ref
	for u, v := range units {
		in.Set(hierarchy.UnitRef(u), rate("closure"), val(v, 100))
		subjects = append(subjects, hierarchy.UnitRef(u))
	}
	rs, err := e.Score(buildTree(t), in, evaluation.Request{"c": subjects})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		ID   string
		Rank int
	}
	var got []row
	for _, r := range rs.Cards["c"] {
		got = append(got, row{r.Subject.ID, r.Rank})
	}
	// Standard competition ranking: 95 first, three at 90 share second, 80 is fifth.
	// Ties are listed in subject order, which decides nothing.
	want := []row{{string(kangju), 1}, {string(zhongpai), 2}, {string(fuzimiao), 2}, {string(fzmComm), 2}, {string(qinhong), 5}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranking mismatch (-want +got):\n%s", diff)
	}
	if top := rs.Top("c", "", 2); len(top) != 4 {
		t.Errorf("Top(2) = %d results, want 4: the ties at second place are all on the red list", len(top))
	}
	if bottom := rs.Bottom("c", "", 1); len(bottom) != 1 || bottom[0].Subject.ID != string(qinhong) {
		t.Errorf("Bottom(1) = %v, want the 80", bottom)
	}
}

func TestEvaluator_Score_BundledAndRollUp(t *testing.T) {
	p := evaluation.QinhuaiPolicy()
	e := mustCompile(t, p)
	tree := buildTree(t)
	in := evaluation.NewInputs(q2(t))
	setCommunity(in, zhongpai, 100, 100) // 100 on the community card
	setCommunity(in, kangju, 80, 100)
	setCommunity(in, fzmComm, 60, 90)
	for _, d := range []hierarchy.UnitID{deptUM, deptMS} {
		s := hierarchy.UnitRef(d)
		in.Set(s, rate("report_in_on_time"), val(1, 1))
		in.Set(s, rate("closure"), val(1, 1))
		in.Set(s, evaluation.Source{Kind: evaluation.SourceRating, Name: evaluation.RuleStreetWhistle}, val(evaluation.Full, evaluation.Full))
		in.Set(s, evaluation.Source{Kind: evaluation.SourceRating, Name: evaluation.RuleStreetCase}, val(0, 0))
		in.Set(s, evaluation.Source{Kind: evaluation.SourceAttendance}, val(26, 26))
	}
	for _, st := range []hierarchy.UnitID{qinhong} {
		s := hierarchy.UnitRef(st)
		in.Set(s, rate("closure"), val(1, 1))
		in.Set(s, rate("whistle_resolution"), val(9, 10))
		in.AddSurvey(evaluation.Survey{Name: "residents", Unit: st, Respondents: 50, Credit: 50 * evaluation.Full}, p.SurveyMinSample)
	}
	req := evaluation.Request{
		evaluation.CardCommunity:  {hierarchy.UnitRef(zhongpai), hierarchy.UnitRef(kangju), hierarchy.UnitRef(fzmComm)},
		evaluation.CardDepartment: {hierarchy.UnitRef(deptUM), hierarchy.UnitRef(deptMS)},
		evaluation.CardStreet:     {hierarchy.UnitRef(qinhong)},
	}
	rs, err := e.Score(tree, in, req)
	if err != nil {
		t.Fatal(err)
	}
	score := func(card string, u hierarchy.UnitID) evaluation.Points {
		r, ok := rs.Result(card, hierarchy.UnitRef(u))
		if !ok {
			t.Fatalf("no result of %s for %s", card, u)
		}
		return r.Score
	}
	zp, kj, fz := score(evaluation.CardCommunity, zhongpai), score(evaluation.CardCommunity, kangju), score(evaluation.CardCommunity, fzmComm)
	tests := []struct {
		name   string
		got    evaluation.Points
		want   evaluation.Points
		reason string
	}{
		{"community-full", zp, 10000, "every indicator at or above target"},
		// closure 80% → half of 25; the rest full: 100 − 12.5 = 87.5
		{"community-kangju", kj, 8750, "closure half way between floor and target"},
		// closure 60% → 0 of 25; satisfaction 90% → 0.9 of 25 = 22.5: 100 − 25 − 2.5 = 72.5
		{"community-fzm", fz, 7250, "closure at the floor, satisfaction in the 90% band"},
		// (whistle ratings 20 + report-in 20 + closure 20 + sunk-down 10) full, case
		// ratings N/A (weight 10 left out), bundle 20 × 72.5%: (70 + 14.5) / 90 × 100 =
		// 93.888… → 93.89
		{"department-bundled-with-fzm", score(evaluation.CardDepartment, deptMS), 9389,
			"市场监管局 is paired with 夫子庙社区: its score carries the community's 72.5 at weight 20, case ratings renormalised away"},
		{"department-bundled-with-zp", score(evaluation.CardDepartment, deptUM), 10000, "城管局 is paired with 中牌楼 at 100"},
		// closure 30 + whistles 20 × (0.9−0.5)/0.4 = 20 + communities 30 × mean(100, 87.5) = 28.125 + survey 20 × 1 = 98.125 → 98.13
		{"street-roll-up", score(evaluation.CardStreet, qinhong), 9813, "秦虹's card averages its two communities (fzm is not below it)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: score %s, want %s (%s)", tt.name, tt.got, tt.want, tt.reason)
		}
	}
	st, _ := rs.Result(evaluation.CardStreet, hierarchy.UnitRef(qinhong))
	if !slicesContains(st.Flags, evaluation.FlagSmallSample) || st.Lines[3].Sample != 50 {
		t.Errorf("street flags %v sample %d, want the 50-respondent survey flagged and its sample shown", st.Flags, st.Lines[3].Sample)
	}
	// Communities rank within their street.
	if r, _ := rs.Result(evaluation.CardCommunity, hierarchy.UnitRef(fzmComm)); r.Rank != 1 || r.Group != string(fuzimiao) {
		t.Errorf("夫子庙社区 rank %d in %q, want 1 in %s: alone in its street", r.Rank, r.Group, fuzimiao)
	}
}

func slicesContains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func TestEvaluator_Score_CardFormula(t *testing.T) {
	lin := evaluation.Normaliser{Kind: evaluation.NormLinear, Target: evaluation.Full}
	tests := []struct {
		formula string
		want    evaluation.Points
		reason  string
	}{
		{"", 8500, "without a formula the weighted sum decides: (90 + 80) / 2"},
		{"portion(a, 4, 3) + portion(b, 2, 3)", 8667, "a district reweights the points (each out of 50) two to one: 45×4/3 + 40×2/3 = 86.67"},
		{"total - portion(total, 1, 10)", 7650, "a tenth off the weighted sum"},
		{"max + 500", 10000, "a formula's score is clamped to the card's top"},
		{"a - 99999", 0, "and to zero"},
	}
	for _, tt := range tests {
		e := mustCompile(t, oneCard(&evaluation.Scorecard{Total: 2, Max: 100, Formula: tt.formula, Indicators: []evaluation.Indicator{
			{ID: "a", Weight: 1, Source: rate("closure"), Normaliser: lin},
			{ID: "b", Weight: 1, Source: rate("in_grid"), Normaliser: lin},
		}}))
		in := evaluation.NewInputs(q2(t))
		s := hierarchy.UnitRef(zhongpai)
		in.Set(s, rate("closure"), val(9, 10))
		in.Set(s, rate("in_grid"), val(8, 10))
		rs, err := e.Score(nil, in, evaluation.Request{"c": {s}})
		if err != nil {
			t.Fatal(err)
		}
		r := rs.Cards["c"][0]
		if r.Score != tt.want {
			t.Errorf("formula %q: score %s, want %s (%s)", tt.formula, r.Score, tt.want, tt.reason)
		}
		if tt.formula != "" && !strings.Contains(rs.Explain(r), "formula "+tt.formula+" decides the score") {
			t.Errorf("formula %q: Explain does not name the formula:\n%s", tt.formula, rs.Explain(r))
		}
	}
}

// TestEvaluator_Score_BundleWeights: a department's score includes its paired
// community's at the policy's weight (捆绑式考核).
func TestEvaluator_Score_BundleWeights(t *testing.T) {
	lin := evaluation.Normaliser{Kind: evaluation.NormLinear, Target: evaluation.Full}
	tests := []struct {
		weight int64
		want   evaluation.Points
		reason string
	}{
		{10, 8600, "own 90 × 0.9 + community 50 × 0.1 = 86"},
		{20, 8200, "own 90 × 0.8 + community 50 × 0.2 = 82"},
		{33, 7680, "own 90 × 0.67 + community 50 × 0.33 = 76.80"},
		{50, 7000, "half and half = 70"},
		{99, 5040, "almost all the community's: 90 × 0.01 + 50 × 0.99 = 50.40"},
	}
	policy := func(weight int64) evaluation.Policy {
		p := evaluation.QinhuaiPolicy()
		p.Scorecards = map[string]*evaluation.Scorecard{
			"comm": {Total: 1, Max: 100, Indicators: []evaluation.Indicator{{ID: "x", Weight: 1, Source: rate("closure"), Normaliser: lin}}},
			"dept": {Total: 100, Max: 100, Indicators: []evaluation.Indicator{
				{ID: "own", Weight: 100 - weight, Source: rate("closure"), Normaliser: lin},
				{ID: "bundle", Weight: weight, Source: evaluation.Source{Kind: evaluation.SourceCard, Card: "comm", Relation: evaluation.RelationPaired}, Normaliser: lin},
			}},
		}
		return p
	}
	for _, tt := range tests {
		e := mustCompile(t, policy(tt.weight))
		in := evaluation.NewInputs(q2(t))
		in.Set(hierarchy.UnitRef(deptMS), rate("closure"), val(9, 10))
		in.Set(hierarchy.UnitRef(fzmComm), rate("closure"), val(5, 10))
		rs, err := e.Score(buildTree(t), in, evaluation.Request{"comm": {hierarchy.UnitRef(fzmComm)}, "dept": {hierarchy.UnitRef(deptMS)}})
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := rs.Result("dept", hierarchy.UnitRef(deptMS)); r.Score != tt.want {
			t.Errorf("bundle weight %d: %s, want %s (%s)", tt.weight, r.Score, tt.want, tt.reason)
		}
	}
	// Scoring the department without its paired community's result is refused, and so
	// is a bundle for a department paired with nobody.
	e := mustCompile(t, policy(20))
	in := evaluation.NewInputs(q2(t))
	in.Set(hierarchy.UnitRef(deptMS), rate("closure"), val(9, 10))
	in.Set(hierarchy.UnitRef(office), rate("closure"), val(9, 10))
	in.Set(hierarchy.UnitRef(fzmComm), rate("closure"), val(5, 10))
	for _, bad := range []struct {
		req    evaluation.Request
		reason string
	}{
		{evaluation.Request{"dept": {hierarchy.UnitRef(deptMS)}}, "the paired community was not scored"},
		{evaluation.Request{"comm": {hierarchy.UnitRef(fzmComm)}, "dept": {hierarchy.UnitRef(office)}}, "区委办 is paired with no community"},
	} {
		_, err := e.Score(buildTree(t), in, bad.req)
		if gridgov.RuleOf(err) != evaluation.RuleSource || !strings.Contains(err.Error(), "indicator bundle") {
			t.Errorf("Score(%v) = %v, want the bundle's source named (%s)", bad.req, err, bad.reason)
		}
	}
}
