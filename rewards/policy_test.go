package rewards

import (
	"bytes"
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
		"pay_scale.years_per_grade: 0 must be >= 1",
		"schedule.rows[3].amount: 0 fen must be > 0",
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
