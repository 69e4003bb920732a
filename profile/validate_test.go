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

// Shares and ladder points are read in their one notation, and a value in the other
// notation is refused at its position: raw millionths in a credit, a bare number on
// a ratio normaliser, a share on a count of events, a bare ladder point.
func TestParse_ShareNotation(t *testing.T) {
	ok, err := profile.Parse("shares.yaml", []byte(`extends: qinhuai
name: shares
evaluation:
  scales:
    satisfaction:
      - {key: satisfied, name: 满意, credit: 1}
      - {key: basic, name: 基本满意, credit: 0.85}
      - {key: dissatisfied, name: 不满意, credit: 0%}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := ok.Evaluation.Scales["satisfaction"][1].Credit; got != 850000 {
		t.Errorf("credit 0.85 = %d millionths, want 850000", got)
	}
	for _, c := range []struct {
		name, src, want, reason string
	}{
		{"RawMillionths", "evaluation:\n  scales:\n    satisfaction:\n      - {key: satisfied, name: 满意, credit: 900000}\n",
			`x.yaml:6:44 evaluation.scales.satisfaction[0].credit: share "900000": write a percentage`, "raw millionths would be 900000 times the whole"},
		{"TooPrecise", "evaluation:\n  scales:\n    satisfaction:\n      - {key: satisfied, name: 满意, credit: 90.00001%}\n",
			`x.yaml:6:44 evaluation.scales.satisfaction[0].credit: share "90.00001%": more than 4 decimal places`, "no more precision than a millionth"},
		{"BarePoint", "escalation:\n  escalation:\n    warn_at: 80\n",
			`x.yaml:5:14 escalation.escalation.warn_at: point "80": write a percentage`, "one notation for ladder points"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := profile.Parse("x.yaml", []byte("extends: qinhuai\nname: x\n"+c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Parse = %v\nwant an error containing %q (%s)", err, c.want, c.reason)
			}
		})
	}
}

// A normaliser's values follow its indicator's input: a share on a ratio, a whole
// number on a count of events; the other notation is refused at its line.
func TestParse_NormaliserNotation(t *testing.T) {
	src, err := os.ReadFile("profiles/qinhuai.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, old, new, want, reason string
	}{
		{"BareOnRatio", "floor: 60%", "floor: 600000", "the input of evaluation.scorecards.community.indicators[0] is a ratio: write a share", "600000 would be read as millionths"},
		{"ShareOnEvents", "deduct: \"5.00\"\n                    cap: \"30.00\"", "deduct: \"5.00\"\n                    step: 10%\n                    cap: \"30.00\"", "counts events: write a whole number, not the share 10%", "a count of events is no share"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(string(src), c.old) {
				t.Fatalf("qinhuai.yaml lacks %q", c.old)
			}
			changed := strings.Replace(string(src), c.old, c.new, 1)
			_, err := profile.Parse("q.yaml", []byte(changed))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Parse = %v\nwant an error containing %q (%s)", err, c.want, c.reason)
			}
			var list profile.ErrorList
			if errors.As(err, &list) && list[0].Line == 0 {
				t.Errorf("the problem has no position: %+v", list[0])
			}
		})
	}
}
