package evaluation

import (
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards"
)

// Grade keys: the annual assessment results of rewards (优秀 / 称职 / 基本称职 / 不称职).
const (
	GradeExcellent = rewards.ResultExcellent
	GradeCompetent = rewards.ResultCompetent
	GradeBasic     = rewards.ResultBasic
	GradeFail      = rewards.ResultFail
)

// Rating rules, scales, cards and items of [QinhuaiPolicy].
const (
	RuleCommunitySecondee    = "community-secondee" // a community rates those seconded to it, per period (反向评价)
	RuleStreetWhistle        = "street-whistle"     // a street rates a department it summoned, per whistle (一哨一考核)
	RuleStreetCase           = "street-case"        // a street rates a department per case handled (一件一考核)
	RuleStreetDeptPeriod     = "street-department"  // a street rates a department per period
	ScaleSatisfaction        = "satisfaction"       // 满意 / 基本满意 / 不满意
	CardStreet               = "street"             // 街道
	CardCommunity            = "community"          // 社区
	CardDepartment           = "department"         // 区职能部门
	CardGridWorker           = "grid-worker"        // 网格员
	CardFirstSecretary       = "first-secretary"    // 第一书记
	CardHotline              = "hotline"            // 接诉即办 three rates
	ItemGridEvents           = "grid-events"        // 网格事件处置, an admitted item of communities
	ItemResidentSatisfaction = "resident-satisfaction"
)

// QinhuaiGrades are the default grade bands: 优秀 from 90, 称职 from 75, 基本称职 from
// 60, 不称职 below, with rewards' pay bands A–D. The edges are a local choice, not a
// published rule; a district sets its own.
func QinhuaiGrades() []GradeBand {
	return []GradeBand{
		{Grade: GradeExcellent, Name: "优秀", Min: 9000, PayBand: "A"},
		{Grade: GradeCompetent, Name: "称职", Min: 7500, PayBand: "B"},
		{Grade: GradeBasic, Name: "基本称职", Min: 6000, PayBand: "C"},
		{Grade: GradeFail, Name: "不称职", Min: 0, PayBand: "D"},
	}
}

func deptCriteria() []Criterion {
	return []Criterion{
		{ID: "response", Name: "响应速度", Weight: 30, Scale: ScaleSatisfaction},
		{ID: "cooperation", Name: "配合程度", Weight: 20, Scale: ScaleSatisfaction},
		{ID: "results", Name: "处置效果", Weight: 30, Scale: ScaleSatisfaction},
		{ID: "attitude", Name: "工作作风", Weight: 20, Scale: ScaleSatisfaction},
	}
}

func linear(floor, target int64) Normaliser {
	return Normaliser{Kind: NormLinear, Floor: floor, Target: target}
}

// QinhuaiPolicy returns Qinhuai's defaults. The structure follows the report (reverse
// evaluation by communities, street ratings of departments per whistle and per case,
// bundled assessment of departments with their paired communities, third-party
// surveys, first-secretary projects, sunk-down attendance of one day in two weeks);
// the weights, floors, targets and windows are illustrative local choices a district
// replaces as data. The hotline card carries the "three rates" at 30/35/35, the
// example weights of Beijing practice.
func QinhuaiPolicy() Policy {
	rate := func(name string) Source { return Source{Kind: SourceMetric, Name: name} }
	return Policy{
		Scales: map[string][]Answer{
			ScaleSatisfaction: {
				{Key: "satisfied", Name: "满意", Credit: Full},
				{Key: "basic", Name: "基本满意", Credit: 900_000},
				{Key: "dissatisfied", Name: "不满意", Credit: 0},
			},
		},
		Ratings: []RatingRule{
			{ID: RuleCommunitySecondee, Target: TargetPeriod, Right: hierarchy.RightReverseEvaluate, WindowDays: 15, Criteria: []Criterion{
				{ID: "attendance", Name: "在岗出勤", Weight: 25, Scale: ScaleSatisfaction},
				{ID: "cooperation", Name: "配合程度", Weight: 25, Scale: ScaleSatisfaction},
				{ID: "results", Name: "工作实效", Weight: 30, Scale: ScaleSatisfaction},
				{ID: "attitude", Name: "工作作风", Weight: 20, Scale: ScaleSatisfaction},
			}},
			{ID: RuleStreetWhistle, Target: TargetWhistle, Right: hierarchy.RightAppraise, WindowDays: 7, Criteria: append(deptCriteria(),
				Criterion{ID: "report_in", Name: "报到及时", Weight: 20, Scale: ScaleSatisfaction, Fact: FactReportInOnTime,
					IfTrue: "satisfied", IfFalse: "dissatisfied"})},
			{ID: RuleStreetCase, Target: TargetCase, Right: hierarchy.RightAppraise, WindowDays: 7, Criteria: deptCriteria()},
			{ID: RuleStreetDeptPeriod, Target: TargetPeriod, Right: hierarchy.RightAppraise, WindowDays: 15, Criteria: deptCriteria()},
		},
		Grades: QinhuaiGrades(),
		Scorecards: map[string]*Scorecard{
			CardCommunity: {Name: "社区综合考核", Level: hierarchy.LevelCommunity, Total: 100, Max: 100,
				RankWithin: hierarchy.LevelStreet, Imposed: true, Indicators: []Indicator{
					{ID: "closure", Name: "结案率", Weight: 25, Source: rate("closure"), Normaliser: linear(600_000, Full), Item: ItemGridEvents},
					{ID: "on_time", Name: "按期结案率", Weight: 20, Source: rate("on_time_closure"), Item: ItemGridEvents,
						Normaliser: Normaliser{Kind: NormDeduct, Threshold: 900_000, Step: 10_000, Deduct: 100, Cap: 2000}},
					{ID: "in_grid", Name: "网格内解决率", Weight: 15, Source: rate("in_grid"), Normaliser: linear(500_000, 900_000), Item: ItemGridEvents},
					{ID: "rework", Name: "返工率", Weight: 15, Source: rate("rework"), Lower: true, Normaliser: linear(800_000, Full), Item: ItemGridEvents},
					{ID: "satisfaction", Name: "群众满意度", Weight: 25, Source: Source{Kind: SourceSurvey, Name: "residents"},
						Item: ItemResidentSatisfaction, Normaliser: Normaliser{Kind: NormBands, Bands: []NormBand{
							{Min: 950_000, Credit: Full}, {Min: 900_000, Credit: 900_000}, {Min: 800_000, Credit: 700_000}, {Min: 0, Credit: 0}}}},
				}},
			CardStreet: {Name: "街道综合考核", Level: hierarchy.LevelStreet, Total: 100, Max: 100, Indicators: []Indicator{
				{ID: "closure", Name: "结案率", Weight: 30, Source: rate("closure"), Normaliser: linear(600_000, Full)},
				{ID: "whistles", Name: "吹哨解决率", Weight: 20, Source: rate("whistle_resolution"), Normaliser: linear(500_000, 900_000)},
				{ID: "communities", Name: "所辖社区考核", Weight: 30, Source: Source{Kind: SourceCard, Card: CardCommunity, Relation: RelationChildren},
					Normaliser: linear(0, Full)},
				{ID: "satisfaction", Name: "群众满意度", Weight: 20, Source: Source{Kind: SourceSurvey, Name: "residents"}, Normaliser: linear(700_000, Full)},
			}},
			CardDepartment: {Name: "区职能部门考核", Kind: hierarchy.KindDepartment, Total: 100, Max: 100, Indicators: []Indicator{
				{ID: "whistle_ratings", Name: "街道一哨一考核", Weight: 20, Source: Source{Kind: SourceRating, Name: RuleStreetWhistle}, Normaliser: linear(0, Full)},
				{ID: "case_ratings", Name: "街道一件一考核", Weight: 10, Source: Source{Kind: SourceRating, Name: RuleStreetCase}, Normaliser: linear(0, Full)},
				{ID: "report_in", Name: "报到及时率", Weight: 20, Source: rate("report_in_on_time"), Normaliser: linear(600_000, Full)},
				{ID: "closure", Name: "结案率", Weight: 20, Source: rate("closure"), Normaliser: linear(600_000, Full)},
				{ID: "bundle", Name: "结对社区捆绑考核", Weight: 20, Source: Source{Kind: SourceCard, Card: CardCommunity, Relation: RelationPaired},
					Normaliser: linear(0, Full)},
				{ID: "sunk_down", Name: "干部下沉", Weight: 10, Source: Source{Kind: SourceAttendance}, Normaliser: linear(0, Full)},
			}},
			CardFirstSecretary: {Name: "第一书记考核", Role: hierarchy.RoleFirstSecretary, Total: 100, Max: 100, Indicators: []Indicator{
				{ID: "projects", Name: "民生项目", Weight: 70, Source: Source{Kind: SourceProjects}, Normaliser: linear(0, Full)},
				{ID: "sunk_down", Name: "驻村(社区)出勤", Weight: 30, Source: Source{Kind: SourceAttendance}, Normaliser: linear(0, Full)},
			}},
			CardGridWorker: {Name: "网格员考核", Role: hierarchy.RoleGridWorker, Total: 100, Max: 100, RankWithin: hierarchy.LevelCommunity, Indicators: []Indicator{
				{ID: "closure", Name: "结案率", Weight: 40, Source: rate("closure"), Normaliser: linear(600_000, Full)},
				{ID: "on_time", Name: "按期结案率", Weight: 30, Source: rate("on_time_closure"),
					Normaliser: Normaliser{Kind: NormDeduct, Threshold: 900_000, Step: 10_000, Deduct: 100, Cap: 3000}},
				{ID: "complaints", Name: "有效投诉", Weight: 30, Source: Source{Kind: SourceEvents, Name: "complaints"},
					Normaliser: Normaliser{Kind: NormDeduct, Deduct: 500, Cap: 3000}},
			}},
			CardHotline: {Name: "接诉即办三率", Total: 100, Max: 100, Indicators: []Indicator{
				{ID: "response", Name: "响应率", Weight: 30, Source: rate("response"), Normaliser: linear(0, Full)},
				{ID: "resolution", Name: "解决率", Weight: 35, Source: rate("resolution"), Normaliser: linear(0, Full)},
				{ID: "satisfaction", Name: "满意率", Weight: 35, Source: rate("satisfaction"), Normaliser: linear(0, Full)},
			}},
		},
		SurveyMinSample: 100,
		ProjectsPerYear: 1,
		Attendance:      AttendanceRule{WindowDays: 14, MinDays: 1},
	}
}
