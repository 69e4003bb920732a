package rewards

import (
	"bytes"
	"github.com/gridgov/gridgov/hierarchy"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func TestPolicy_Validate(t *testing.T) {
	if err := QinhuaiPolicy().Validate(); err != nil {
		t.Fatalf("QinhuaiPolicy().Validate() = %v, want nil", err)
	}
	p := QinhuaiPolicy()
	p.PayScale.YearsPerGrade = 0
	p.Schedule.Rows[3].Amount = 0
	p.Schedule.Rows = append(p.Schedule.Rows, p.Schedule.Rows[0])
	p.Schedule.WorkerCaps[0].Period = "week"
	p.Funds.Shortfall = "overflow"
	p.Funds.Overflow = ""
	p.Funds.YearEnd.Split = SplitShares
	p.Funds.YearEnd.Shares = []Rate{6000, 5000}
	err := p.Validate()
	for _, want := range []string{
		"pay_scale.years_per_grade: 0 must be within 1–80",
		"schedule.rows[3].amount: 0 fen must be within 1–100000000000",
		"schedule.rows[9]: repeats rows[0]",
		`schedule.worker_caps[0].period: "week" must be month, quarter or year`,
		"funds.overflow: must name the overflow fund",
		"funds.year_end.shares: add up to 1.1, more than 1",
		"funds.year_end.shares: 2 shares for the top 10",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v\nwant it to report %q", err, want)
		}
	}
}

func TestPolicy_YAMLRoundTrip(t *testing.T) {
	// A district's profile is the policy as YAML: what is written reads back equal.
	want := QinhuaiPolicy()
	data, err := yaml.Marshal(want)
	require.NoError(t, err)
	var got Policy
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&got))
	if err := got.Validate(); err != nil {
		t.Fatalf("decoded policy Validate() = %v", err)
	}
	again, err := yaml.Marshal(got)
	require.NoError(t, err)
	if !bytes.Equal(data, again) {
		t.Errorf("YAML round trip changed the policy:\n%s\n---\n%s", data, again)
	}
}

// TestPolicy_RolesFailClosed is the fail-closed rule of roles: a policy without role
// rules (a misspelt roles key) does not validate, nor does an unknown action or an
// empty role list; AnyRole must be written out.
func TestPolicy_RolesFailClosed(t *testing.T) {
	tests := []struct {
		name   string
		roles  map[Action][]hierarchy.Role
		want   string
		reason string
	}{
		{"NoRules", nil, "roles: must give a role rule for each action", "no role rules at all would otherwise lift every limit"},
		{"UnknownAction", map[Action][]hierarchy.Role{"aprove": {hierarchy.RoleDirector}}, "roles.aprove: not an action", "a misspelt action names nothing"},
		{"EmptyList", map[Action][]hierarchy.Role{ActionApprove: {}}, "roles.approve: lists no role", "an empty list is not \"anyone\": write *"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := QinhuaiPolicy()
			p.Roles = tc.roles
			if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want it to report %q (%s)", err, tc.want, tc.reason)
			}
		})
	}
	p := QinhuaiPolicy()
	p.Roles = map[Action][]hierarchy.Role{ActionSubmit: {AnyRole}}
	if err := p.Validate(); err != nil {
		t.Errorf("Validate(submit: [*]) = %v, want nil: AnyRole written out is valid", err)
	}
}

// TestValidate_MoneyBounds is rule money.bounds: Validate bounds every amount, rate
// and wage, so that no valid policy can overflow or pay a negative line.
func TestValidate_MoneyBounds(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(*Policy)
		want   string
		reason string
	}{
		{"ScheduleRowHuge", func(p *Policy) { p.Schedule.Rows[0].Amount = math.MaxInt64 }, "schedule.rows[0].amount", "a reward beyond MaxAmount"},
		{"CapHuge", func(p *Policy) { p.Schedule.WorkerCaps[0].Amount = MaxAmount + 1 }, "schedule.worker_caps[0].amount", "a cap beyond MaxAmount"},
		{"FloorHuge", func(p *Policy) { p.Funds.Floor = MaxAmount + 1 }, "funds.floor", "a floor beyond MaxAmount"},
		{"CityWageHuge", func(p *Policy) { p.PayScale.Pay.CityWages[2024] = MaxWage + 1 }, "pay_scale.pay.city_wages.2024", "a monthly wage beyond MaxWage"},
		{"UpliftHuge", func(p *Policy) { p.PayScale.Pay.Uplift = MaxRate + 1 }, "pay_scale.pay.uplift", "a rate beyond MaxRate"},
		{"CoefficientHuge", func(p *Policy) { p.PayScale.Pay.Coefficients[3] = math.MaxInt64 }, "pay_scale.pay.coefficients[3]", "a coefficient beyond MaxRate"},
		{"FloorRateNegative", func(p *Policy) { p.PayScale.Pay.Floor = -1 }, "pay_scale.pay.floor", "a negative floor"},
		{"BonusNegative", func(p *Policy) { p.PayScale.Bonuses.Performance["A"] = -Yuan(1) }, "pay_scale.bonuses.performance.A", "a negative bonus would lower pay"},
		{"FixedTitleNegative", func(p *Policy) { p.PayScale = FixedYuanPayScale(); p.PayScale.Pay.TitleWage[CertSenior] = -Yuan(9000) }, "pay_scale.pay.title_wage.senior-social-worker", "a negative title pay made a negative payslip"},
		{"FixedAnnualNegative", func(p *Policy) { p.PayScale = FixedYuanPayScale(); p.PayScale.Pay.AnnualReward[ResultFail] = -1 }, "pay_scale.pay.annual_reward.fail", "a negative annual reward"},
		{"FixedLevelTop", func(p *Policy) { p.PayScale = FixedYuanPayScale(); p.PayScale.Pay.LevelStep = MaxWage }, "pay_scale.pay.level_base", "the top level's pay beyond MaxWage"},
		{"Grades", func(p *Policy) { p.PayScale.Grades = MaxGrades + 1 }, "pay_scale.grades", "more grades than a scale holds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := QinhuaiPolicy()
			tc.mod(&p)
			if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want it to report %q (%s)", err, tc.want, tc.reason)
			}
		})
	}
}
