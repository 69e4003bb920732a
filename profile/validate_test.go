package profile_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/profile"
)

// TestLoad_ValidatePathsToLines checks, for each wired package, that a finding of the
// package's own Validate is placed at the line of the value it names (or of the
// mapping that lacks it).
func TestLoad_ValidatePathsToLines(t *testing.T) {
	for _, c := range []struct {
		name, src, want, rule, reason string
	}{
		{"Hierarchy", "hierarchy:\n  levels:\n    - {level: district, code_digits: 5}\n",
			"d.yaml:5:38 hierarchy.levels[0].code_digits: must be one of 2, 4, 6, 9, 12, got 5", "", "hierarchy.Schema.Validate"},
		{"Calendar", "calendar:\n  hours:\n    - {start: \"08:30\", end: \"07:00\"}\n",
			"d.yaml:5:29 calendar.hours[0].end: 07:00 is not after start 08:30", "", "calendar.Options.Validate"},
		{"Mediation", "mediation:\n  committee: {min_members: 0}\n",
			"d.yaml:4:28 mediation.committee.min_members: must be >= 1, got 0", "", "mediation.Policy.Validate"},
		{"Grid", "grid:\n  gaps: {min_area_m2: -1}\n",
			"d.yaml:4:23 grid.gaps.min_area_m2: must be >= 0", "", "grid.Policy.Validate"},
		{"EscalationRule", "escalation:\n  escalation: {levels: [grid, grid]}\n",
			"d.yaml:4:31 escalation.escalation.levels[1]: repeats level \"grid\"", "policy.escalation", "the rule name is kept"},
		{"EscalationMissing", "escalation:\n  whistle:\n    types: !replace\n      routine: {report_in: 1wd, resolve: 5wd}\n",
			"d.yaml:5:12 escalation.whistle.types: no rule for type \"special\"", "policy.whistle", "a missing key points at the mapping that lacks it"},
		{"Evaluation", "evaluation:\n  projects_per_year: -1\n",
			"d.yaml:4:22 evaluation.projects_per_year: -1 must be >= 0", "evaluation.policy", "evaluation.Policy.Validate, its rule name kept"},
		{"Rewards", "rewards:\n  pay_scale: {grades: 0}\n",
			"d.yaml:4:23 rewards.pay_scale.grades: 0 must be within 1–100", "", "rewards.Policy.Validate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := profile.Parse("d.yaml", []byte("extends: qinhuai\nname: d\n"+c.src))
			var list profile.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse() error = %v, want an ErrorList", err)
			}
			for _, e := range list {
				if strings.HasPrefix(e.Error(), c.want) {
					if e.Rule != c.rule {
						t.Errorf("rule = %q, want %q", e.Rule, c.rule)
					}
					return
				}
			}
			t.Errorf("Parse() error lacks %q (%s):\n%v", c.want, c.reason, err)
		})
	}
}

// TestLoad_MapKeysRepeatAfterConversion: two spellings of one year are one key twice,
// never a silent overwrite.
func TestLoad_MapKeysRepeatAfterConversion(t *testing.T) {
	_, err := profile.Parse("d.yaml", []byte("extends: qinhuai\nname: d\nrewards:\n  pay_scale:\n    pay:\n"+
		"      city_wages: {2025: ¥11000, 02025: ¥12000}\n"))
	want := `d.yaml:6:34 rewards.pay_scale.pay.city_wages: key "02025" repeats key "2025"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse() error = %v, want one containing %q", err, want)
	}
}

// TestLoad_RequiredKeysFailClosed: a full profile that forgets a guard (here the
// finder-may-not-handle separation rule) is refused, never read as false.
func TestLoad_RequiredKeysFailClosed(t *testing.T) {
	src, err := os.ReadFile("profiles/qinhuai.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cut := strings.Replace(string(src), "        finder_may_not_handle: true\n", "", 1)
	if cut == string(src) {
		t.Fatal("the guard is not in qinhuai.yaml")
	}
	_, err = profile.Parse("d.yaml", []byte(cut))
	want := `escalation.separation.finder_may_not_handle: required key "finder_may_not_handle" is missing`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse(without the guard) error = %v, want %q", err, want)
	}
}

// TestLoad_Taxonomy: a district's minor classes (细类) load with its deadlines, and a
// deadline on a class it did not declare is refused at its line.
func TestLoad_Taxonomy(t *testing.T) {
	src := "extends: qinhuai\nname: d\nescalation:\n  categories:\n" +
		"    - {code: E0101, name: 私搭乱建, english: illegal structure}\n" +
		"  deadlines: !append\n    - {step: handle, category: E0101, limit: 5wd}\n"
	p, err := profile.Parse("d.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse() error:\n%v", err)
	}
	if l, ok := p.Escalation.LimitFor("handle", "E0101", "ordinary"); !ok || l.WorkingDays != 5 {
		t.Errorf("LimitFor(handle, E0101) = %+v, %v; want 5 working days", l, ok)
	}
	_, err = profile.Parse("d.yaml", []byte(strings.Replace(src, "category: E0101", "category: E0199", 1)))
	want := `d.yaml:7:32 escalation.deadlines[10].category: unknown category "E0199"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse(undeclared class) error = %v, want %q", err, want)
	}
}
