package escalation_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

func TestQinhuaiPolicy_Validate(t *testing.T) {
	p := escalation.QinhuaiPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("QinhuaiPolicy().Validate() = %v, want nil", err)
	}
	fp := policy()
	if err := fp.CheckTree(tree(t)); err != nil {
		t.Fatalf("CheckTree() = %v, want nil", err)
	}
}

func TestPolicy_Validate_Errors(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		mutate func(p *escalation.Policy)
		paths  []string // each must appear in the error
	}{
		{"NoVersion", "every case stores the version it was filed under", func(p *escalation.Policy) { p.Version = "" }, []string{"version: required"}},
		{"BadMinor", "a minor class must extend a major class",
			func(p *escalation.Policy) {
				p.Categories = []escalation.Category{{Code: "X01", Name: "x"}, {Code: "E0501"}}
			},
			[]string{"categories[0].code", "categories[1].name"}},
		{"DuplicateMinor", "codes are unique",
			func(p *escalation.Policy) {
				p.Categories = []escalation.Category{{Code: "E0501", Name: "a"}, {Code: "E0501", Name: "b"}, {Code: "E05", Name: "c"}}
			},
			[]string{"categories[1].code: \"E0501\" repeats", "categories[2].code: \"E05\" is a built-in"}},
		{"LimitTwoFields", "a limit sets exactly one of its fields",
			func(p *escalation.Policy) { p.Deadlines[0].Limit = escalation.Limit{WorkingDays: 1, ClockTime: 1} },
			[]string{"deadlines[0].limit: set exactly one"}},
		{"LimitNegative", "a limit is positive",
			func(p *escalation.Policy) { p.Deadlines[3].Limit = escalation.Limit{WorkingDays: -2} },
			[]string{"deadlines[3].limit.working_days: must be > 0"}},
		{"UnknownStep", "steps are a closed set",
			func(p *escalation.Policy) { p.Deadlines[0].Step = "lunch" },
			[]string{`deadlines[0].step: unknown step "lunch"`, `no default rule for step "file"`}},
		{"DuplicateDeadline", "two rules for the same cases are ambiguous",
			func(p *escalation.Policy) { p.Deadlines = append(p.Deadlines, p.Deadlines[0]) },
			[]string{"deadlines[10]: repeats deadlines[0]"}},
		{"DeadlineCategory", "a rule names a known category",
			func(p *escalation.Policy) { p.Deadlines[4].Category = "E0999" },
			[]string{`deadlines[4].category: unknown category "E0999"`}},
		{"EscalationPoints", "points rise from 100% and climb",
			func(p *escalation.Policy) { p.Escalation.At = []int{90, 150, 150} },
			[]string{"escalation.at[0]: must be >= 100", "escalation.at[2]: must be greater"}},
		{"TooFewPoints", "each level above the first needs a point",
			func(p *escalation.Policy) { p.Escalation.At = []int{100} },
			[]string{"escalation.at: needs 3 points"}},
		{"WarnAt", "a warning comes before the deadline",
			func(p *escalation.Policy) { p.Escalation.WarnAt = 100 },
			[]string{"escalation.warn_at: must be in 0..99"}},
		{"RepeatedLevel", "levels climb, never repeat",
			func(p *escalation.Policy) { p.Escalation.Levels[2] = hierarchy.LevelGrid },
			[]string{`escalation.levels[2]: repeats level "grid"`}},
		{"SystemRole", "only the system warns and escalates",
			func(p *escalation.Policy) {
				p.Roles[escalation.ActionEscalate] = []hierarchy.Role{hierarchy.RoleLeader}
			},
			[]string{"roles[escalate]: \"escalate\" is issued by the system only"}},
		{"UnknownAction", "roles name real actions",
			func(p *escalation.Policy) { p.Roles["fly"] = []hierarchy.Role{hierarchy.RoleLeader} },
			[]string{`roles[fly]: unknown action "fly"`}},
		{"EmptyRoles", "an empty list would forbid everyone silently",
			func(p *escalation.Policy) { p.Roles[escalation.ActionFile] = nil },
			[]string{"roles[file]: empty list"}},
		{"SelfHandling", "self-handling names known categories and complexities",
			func(p *escalation.Policy) {
				p.SelfHandling.Categories = []string{"Z"}
				p.SelfHandling.Complexities = []escalation.Complexity{"tiny"}
			},
			[]string{"self_handling.categories[0]", "self_handling.complexities[0]"}},
		{"WhistleFromTop", "the top level has nobody to blow the whistle to",
			func(p *escalation.Policy) { p.Whistle.From = hierarchy.LevelDistrict },
			[]string{"whistle.from: \"district\" must be an escalation level below the top"}},
		{"WhistleTypes", "every whistle type has limits",
			func(p *escalation.Policy) {
				p.Whistle.Types = map[escalation.WhistleType]escalation.WhistleTypeRule{
					escalation.WhistleRoutine: {ReportIn: escalation.WorkingDaysLimit(1)},
					"party":                   {ReportIn: escalation.WorkingDaysLimit(1), Resolve: escalation.WorkingDaysLimit(1)},
				}
			},
			[]string{"whistle.types[routine].resolve: set exactly one", `no rule for type "special"`, "whistle.types[party]: unknown whistle type"}},
		{"Routing", "the routing table is checked too",
			func(p *escalation.Policy) {
				p.Routing.Level = ""
				p.Routing.Table = append(p.Routing.Table, escalation.Route{Category: "Q"}, escalation.Route{Category: "C", Office: "a/b"})
				p.Routing.PoliceSources = []escalation.Source{"pigeon"}
			},
			[]string{"routing.level: required", "routing.table[7]: sets none", "routing.table[8].office", "routing.table[8]: repeats routing.table[0]",
				`routing.table[7].category: unknown category "Q"`, `routing.police_sources[0]: unknown source "pigeon"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := escalation.QinhuaiPolicy()
			tt.mutate(&p)
			err := p.Validate()
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("Validate() = %v, want an error wrapping ErrInvalid (%s)", err, tt.reason)
			}
			for _, path := range tt.paths {
				if !strings.Contains(err.Error(), path) {
					t.Errorf("Validate() error lacks %q (%s):\n%v", path, tt.reason, err)
				}
			}
		})
	}
}

func TestPolicy_CheckTree(t *testing.T) {
	p := policy()
	p.Routing.Table = append(p.Routing.Table, escalation.Route{Category: "C03", Owner: "dept-ghost", Level: "ward"})
	p.Routing.Assets["x"] = "nowhere"
	err := p.CheckTree(tree(t))
	if !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != "policy.tree" {
		t.Fatalf("CheckTree() = %v, want rule policy.tree", err)
	}
	for _, want := range []string{`routing.table[9].owner: unit "dept-ghost"`, `routing.table[9].level: level "ward"`, `routing.assets[x]: unit "nowhere"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("CheckTree() error lacks %q:\n%v", want, err)
		}
	}
}

// TestPolicy_RoundTrip checks that a policy survives JSON and YAML and that the YAML
// form decodes strictly.
func TestPolicy_RoundTrip(t *testing.T) {
	p := policy()
	p.Categories = loadMinor(t)
	opts := cmpopts.EquateEmpty()

	j, err := json.Marshal(p)
	require.NoError(t, err)
	var fromJSON escalation.Policy
	require.NoError(t, json.Unmarshal(j, &fromJSON))
	if diff := cmp.Diff(p, fromJSON, opts); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}

	y, err := yaml.Marshal(p)
	require.NoError(t, err)
	dec := yaml.NewDecoder(bytes.NewReader(y))
	dec.KnownFields(true)
	var fromYAML escalation.Policy
	require.NoError(t, dec.Decode(&fromYAML))
	if diff := cmp.Diff(p, fromYAML, opts); diff != "" {
		t.Errorf("YAML round trip mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(y), "working_time: 2h0m0s") {
		t.Errorf("YAML writes durations as text; got:\n%s", y)
	}
}

func loadMinor(tb testing.TB) []escalation.Category {
	tb.Helper()
	return loadCategories(tb, "testdata/minor-classes.yaml")
}

func loadCategories(tb testing.TB, path string) []escalation.Category {
	tb.Helper()
	f, err := os.Open(path)
	require.NoError(tb, err)
	defer f.Close()
	cats, err := escalation.ParseCategories(f)
	require.NoError(tb, err)
	return cats
}

func TestParseCategories(t *testing.T) {
	cats := loadMinor(t)
	if len(cats) != 17 {
		t.Errorf("len(ParseCategories(minor-classes.yaml)) = %d, want 17", len(cats))
	}
	p := policy()
	p.Categories = cats
	for _, tt := range []struct {
		code   string
		kind   escalation.CategoryKind
		name   string
		reason string
	}{
		{"C0101", escalation.Component, "上水井盖", "a loaded component minor class"},
		{"E05", escalation.EventKind, "街面秩序", "a built-in event major class"},
		{"G04", escalation.Governance, "治安警情", "police matters are a governance category"},
		{"G0401", escalation.Governance, "可疑人员", "a loaded governance minor class"},
	} {
		c, ok := p.Category(tt.code)
		if !ok || c.Kind() != tt.kind || c.Name != tt.name {
			t.Errorf("Category(%q) = %+v, %v; want kind %s name %s (%s)", tt.code, c, ok, tt.kind, tt.name, tt.reason)
		}
	}
	if _, ok := p.Category("E0999"); ok {
		t.Error(`Category("E0999") found a class nobody loaded`)
	}
	if got := len(escalation.MajorClasses()); got != 16 {
		t.Errorf("len(MajorClasses()) = %d, want 6 + 6 + 4", got)
	}
}

// TestTaxonomy_ExtensionClasses: the extension classes of CJ/T 214-based lists (扩展部件,
// 扩展事件) load as data with the minor classes, and cases under them route, time and
// validate as components and events.
func TestTaxonomy_ExtensionClasses(t *testing.T) {
	ext := loadCategories(t, "testdata/extension-classes.yaml")
	p := policy()
	p.Categories = append(loadMinor(t), ext...)
	p.Deadlines = append(p.Deadlines, escalation.DeadlineRule{Step: escalation.StepHandle, Category: "E07", Limit: escalation.WorkingDaysLimit(2)})
	require.NoError(t, p.Validate())
	for _, tt := range []struct {
		code      string
		kind      escalation.CategoryKind
		name      string
		extension bool
		reason    string
	}{
		{"C07", escalation.Component, "扩展部件", true, "an extension component class"},
		{"C0702", escalation.Component, "电动汽车充电桩", true, "a minor class under it"},
		{"E07", escalation.EventKind, "扩展事件", true, "an extension event class"},
		{"E0701", escalation.EventKind, "共享单车乱停放", true, "a minor class under it"},
		{"E05", escalation.EventKind, "街面秩序", false, "the standard's major class"},
		{"C0101", escalation.Component, "上水井盖", false, "a minor class under the standard's major class"},
		{"G01", escalation.Governance, "矛盾纠纷", false, "this library's governance category"},
	} {
		c, ok := p.Category(tt.code)
		if !ok || c.Kind() != tt.kind || c.Name != tt.name || escalation.IsExtension(tt.code) != tt.extension {
			t.Errorf("Category(%q) = %+v, %v, IsExtension %v; want kind %s name %s extension %v (%s)",
				tt.code, c, ok, escalation.IsExtension(tt.code), tt.kind, tt.name, tt.extension, tt.reason)
		}
	}
	// An extension event is answered by the territory, like every event; its own
	// deadline rule applies by prefix.
	r := report("X1")
	r.Category = "E0701"
	c := run(t, &p, escalation.Case{}, step{act("gw1"), r, t0}, step{act("qhdisp"), escalation.File{}, t0.Add(time.Hour)})
	rd, err := p.Route(c, t0, env(t, system))
	require.NoError(t, err)
	if rd.Unit != qinhongLaw {
		t.Errorf("Route(E0701) = %+v, want the street's law-enforcement bureau", rd)
	}
	if l, _ := p.LimitFor(escalation.StepHandle, "E0701", escalation.Ordinary); l != escalation.WorkingDaysLimit(2) {
		t.Errorf("LimitFor(handle, E0701) = %+v, want the E07 rule's 2 working days", l)
	}
	// Without the extension class, its minor classes do not load.
	if _, err := escalation.ParseCategories(strings.NewReader("- {code: E0701, name: 共享单车乱停放}")); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("ParseCategories(E0701 without E07) = %v, want ErrInvalid", err)
	}
}

func TestParseCategories_Errors(t *testing.T) {
	for _, tt := range []struct {
		name, in, want, reason string
	}{
		{"UnknownKey", "- {code: C0101, name: x, colour: red}", "taxonomy.syntax", "decoding is strict"},
		{"NotAList", "code: C0101", "taxonomy.syntax", "the file is a list"},
		{"BadCode", "- {code: C0701, name: x}", "categories[0].code", "C07 is no major class unless the list defines it as an extension class"},
		{"GovernanceExtension", "- {code: G07, name: x}", "categories[0].code", "the governance categories are this library's; extension classes are components and events"},
		{"ExtensionTooLow", "- {code: E0, name: x}", "categories[0].code", "a code is at least a major class"},
		{"ExtensionShadowsStandard", "- {code: C06, name: 扩展部件}", "built-in major class", "C01–C06 are the standard's: an extension class starts at 07"},
		{"Duplicate", "- {code: C0101, name: x}\n- {code: C0101, name: y}", "categories[1].code", "codes are unique"},
		{"NoName", "- {code: C0101}", "categories[0].name", "a class has a name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cats, err := escalation.ParseCategories(strings.NewReader(tt.in))
			if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseCategories(%q) = %v, %v; want an ErrInvalid naming %s (%s)", tt.in, cats, err, tt.want, tt.reason)
			}
			if cats != nil {
				t.Errorf("ParseCategories(%q) returned %v with an error", tt.in, cats)
			}
		})
	}
}

func TestPolicy_LimitFor(t *testing.T) {
	p := escalation.QinhuaiPolicy()
	for _, tt := range []struct {
		step   escalation.Step
		cat    string
		cx     escalation.Complexity
		want   escalation.Limit
		reason string
	}{
		{escalation.StepHandle, "E0501", escalation.Ordinary, escalation.WorkingDaysLimit(3), "the default handle limit"},
		{escalation.StepHandle, "E0501", escalation.Complex, escalation.WorkingDaysLimit(10), "complex cases get longer"},
		{escalation.StepHandle, "E0401", escalation.Ordinary, escalation.WorkingDaysLimit(1), "the E04 prefix beats the default"},
		{escalation.StepHandle, "E0401", escalation.MajorEmergency, escalation.ClockTimeLimit(4 * time.Hour), "a complexity rule beats a category rule"},
		{escalation.StepHandle, "G04", escalation.Ordinary, escalation.ClockTimeLimit(2 * time.Hour), "police matters run on the clock"},
		{escalation.StepFile, "G04", escalation.MajorEmergency, escalation.WorkingTimeLimit(2 * time.Hour), "other steps keep their default"},
	} {
		got, ok := p.LimitFor(tt.step, tt.cat, tt.cx)
		if !ok || got != tt.want {
			t.Errorf("LimitFor(%s, %s, %s) = %+v, %v; want %+v (%s)", tt.step, tt.cat, tt.cx, got, ok, tt.want, tt.reason)
		}
	}
}

func TestPolicySet(t *testing.T) {
	v1 := escalation.QinhuaiPolicy()
	v2 := escalation.QinhuaiPolicy()
	v2.Version = "qinhuai-2026"
	ps, err := escalation.NewPolicySet(v1)
	require.NoError(t, err)
	ps2, err := ps.With(v2)
	require.NoError(t, err)
	if got := ps.Current().Version; got != v1.Version {
		t.Errorf("With changed the original set: Current() = %s", got)
	}
	if diff := cmp.Diff([]string{"qinhuai-default", "qinhuai-2026"}, ps2.Versions()); diff != "" {
		t.Errorf("Versions() mismatch (-want +got):\n%s", diff)
	}
	if p, err := ps2.For(escalation.Case{PolicyVersion: "qinhuai-default"}); err != nil || p.Version != "qinhuai-default" {
		t.Errorf("For(old case) = %v, %v; want the version it was filed under", p, err)
	}
	if _, err := ps2.For(escalation.Case{ID: "x", PolicyVersion: "gone"}); !errors.Is(err, gridgov.ErrNotFound) {
		t.Errorf("For(unknown version) = %v, want ErrNotFound", err)
	}
	if _, err := ps2.With(v2); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("With(duplicate version) = %v, want ErrInvalid", err)
	}
	bad := escalation.QinhuaiPolicy()
	bad.Version, bad.Escalation.WarnAt = "bad", -1
	if _, err := ps2.With(bad); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("With(invalid policy) = %v, want ErrInvalid", err)
	}
	if _, err := escalation.NewPolicySet(); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("NewPolicySet() = %v, want ErrInvalid", err)
	}
}
