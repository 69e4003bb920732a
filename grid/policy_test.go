package grid

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
)

func TestPolicy_Validate(t *testing.T) {
	if err := QinhuaiPolicy().Validate(); err != nil {
		t.Fatalf("QinhuaiPolicy().Validate() = %v", err)
	}
	tests := []struct {
		name   string
		edit   func(p *Policy)
		want   []string
		reason string
	}{
		{"bad pattern", func(p *Policy) { p.Code.Pattern = "[" }, []string{"code.pattern: error parsing regexp"}, "must compile"},
		{"empty pattern", func(p *Policy) { p.Code.Pattern = "" }, []string{"code.pattern: must not be empty"}, "a format is needed"},
		{"negative prefix", func(p *Policy) { p.Code.CommunityPrefix = -1 }, []string{"code.community_prefix"}, "a length"},
		{"band upside down", func(p *Policy) { p.Households = Band{Min: 500, Max: 300} }, []string{"households.max: must be >= households.min"}, "min <= max"},
		{"negative band", func(p *Policy) { p.Households = Band{Min: -1, Max: -2} }, []string{"households.min", "households.max: must be >= 0"}, "counts"},
		{"no full-time roles", func(p *Policy) { p.FullTimeRoles = nil }, []string{"full_time_roles: must not be empty"}, "someone must count"},
		{"empty role", func(p *Policy) { p.FullTimeRoles = append(p.FullTimeRoles, " ") }, []string{"full_time_roles[1]"}, "named roles"},
		{"negative load", func(p *Policy) { p.Load = WorkerLoad{MaxGrids: -1, MaxHouseholds: -1} }, []string{"load.max_grids", "load.max_households"}, "limits"},
		{"NaN distance", func(p *Policy) { p.NearestWithinM = math.NaN() }, []string{"nearest_within_m"}, "a distance"},
		{"huge distance", func(p *Policy) { p.NearestWithinM = 1e6 }, []string{"nearest_within_m"}, "within a district"},
		{"negative floor", func(p *Policy) { p.Gaps.MinAreaM2 = -1 }, []string{"gaps.min_area_m2"}, "an area"},
		{"empty prefix", func(p *Policy) { p.Address.StripPrefixes = []string{"南京市", ""} }, []string{"address.strip_prefixes[1]"}, "would strip nothing"},
		{"all at once", func(p *Policy) { *p = Policy{} }, []string{"code.pattern", "full_time_roles"}, "every problem reported"},
	}
	for _, tc := range tests {
		p := QinhuaiPolicy()
		tc.edit(&p)
		err := p.Validate()
		if !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("%s: Validate() = %v, want ErrInvalid (%s)", tc.name, err, tc.reason)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not mention %q (%s)", tc.name, err, w, tc.reason)
			}
		}
	}
}

func TestPolicy_Encoding(t *testing.T) {
	p := QinhuaiPolicy()
	j, err := json.Marshal(p)
	require.NoError(t, err)
	var pj Policy
	require.NoError(t, json.Unmarshal(j, &pj))
	if diff := cmp.Diff(p, pj); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
	y, err := yaml.Marshal(p)
	require.NoError(t, err)
	var py Policy
	require.NoError(t, yaml.Unmarshal(y, &py))
	if diff := cmp.Diff(p, py); diff != "" {
		t.Errorf("YAML round trip mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(y), "nearest_within_m: 50") {
		t.Errorf("YAML keys: %s", y)
	}
}

func TestCodeRule_CheckCode(t *testing.T) {
	const comm = "320104002001"
	r15 := QinhuaiPolicy().Code
	r14 := CodeRule{Pattern: `^[0-9]{14}$`, CommunityPrefix: 12}
	r20 := CodeRule{Pattern: `^[0-9]{20}$`, CommunityPrefix: 12}
	free := CodeRule{Pattern: `^QH-[0-9]+$`}
	tests := []struct {
		rule   CodeRule
		code   string
		ok     bool
		reason string
	}{
		{r15, "320104002001001", true, "default: community + 3-digit sequence"},
		{r15, "32010400200101", false, "14 digits under the 15-digit rule"},
		{r15, "320104002002001", false, "another community's prefix"},
		{r15, "32010400200100A", false, "not digits"},
		{r14, "32010400200101", true, "14-digit standard"},
		{r20, "32010400200100000001", true, "20-digit standard"},
		{r20, "32010500200100000001", false, "20 digits, wrong district"},
		{free, "QH-17", true, "local free-form codes, no prefix rule"},
	}
	for _, tc := range tests {
		err := tc.rule.CheckCode(tc.code, comm)
		if (err == nil) != tc.ok {
			t.Errorf("%+v.CheckCode(%q) = %v, want ok %v (%s)", tc.rule, tc.code, err, tc.ok, tc.reason)
		}
		if err != nil && (!errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != "code") {
			t.Errorf("CheckCode(%q) error %v: want ErrInvalid with rule \"code\"", tc.code, err)
		}
	}
	if err := (CodeRule{Pattern: "("}).CheckCode("x", comm); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("CheckCode with a broken pattern = %v", err)
	}
}

func TestBand_Contains(t *testing.T) {
	tests := []struct {
		b    Band
		n    int
		want bool
	}{
		{Band{300, 500}, 300, true}, {Band{300, 500}, 500, true}, {Band{300, 500}, 299, false},
		{Band{300, 500}, 501, false}, {Band{300, 0}, 1 << 30, true}, {Band{300, 0}, 0, false},
	}
	for _, tc := range tests {
		if got := tc.b.Contains(tc.n); got != tc.want {
			t.Errorf("%+v.Contains(%d) = %v, want %v", tc.b, tc.n, got, tc.want)
		}
	}
}
