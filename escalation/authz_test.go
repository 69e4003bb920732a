package escalation_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

// TestAuth_Jurisdiction: a dispatch sends a case, and an assignment a person, only
// within the reach of the dispatching street (its subtree, the case's routes, the
// coordination right over district departments), as summons are.
func TestAuth_Jurisdiction(t *testing.T) {
	p := policy()
	filed, last := caseIn(t, &p, escalation.Filed, false)
	when := last.Add(time.Hour)
	refuse(t, &p, filed, when, []refusal{
		{"OtherStreetsBureau", act("qhdisp"), escalation.Dispatch{To: fuzimiaoLaw}, gridgov.ErrForbidden, escalation.RuleJurisdiction,
			"秦虹's dispatcher may not send its case to 夫子庙's law-enforcement bureau"},
		{"OtherStreetsGridHead", act("qhdisp"), escalation.Dispatch{To: qinhongLaw, Assignee: "gh4"}, gridgov.ErrForbidden, escalation.RuleJurisdiction,
			"nor assign 夫子庙's grid head, even to its own bureau"},
		{"OtherStreetsCommunity", act("qhdisp"), escalation.Dispatch{To: fzmComm}, gridgov.ErrForbidden, escalation.RuleJurisdiction,
			"another street's community is outside its subtree and the case's routes"},
	})
	allowed := []struct {
		name   string
		who    hierarchy.Actor
		cmd    escalation.Dispatch
		reason string
	}{
		{"OwnBureau", act("qhdisp"), escalation.Dispatch{To: qinhongLaw, Assignee: "qhlaw1"}, "the street's own bureau and officer"},
		{"OwnGridHead", act("qhdisp"), escalation.Dispatch{To: zhongpai, Assignee: "gh1"}, "a grid head of the street's own grid"},
		{"DepartmentByGrant", act("qhdisp"), escalation.Dispatch{To: deptUM}, "the street holds the coordination right (统筹协调权) over district departments"},
		{"District", act("ddisp"), escalation.Dispatch{To: fuzimiaoLaw, Assignee: "fzlaw1"}, "the district's platform reaches every street"},
	}
	for _, tt := range allowed {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := p.Apply(filed, tt.cmd, when, env(t, tt.who)); err != nil {
				t.Errorf("Apply(%+v by %s) = %v, want nil (%s)", tt.cmd, tt.who.Person, err, tt.reason)
			}
		})
	}

	// Without the dispatch right, a department is reached only where routing sends the
	// case: a stall (E05) is not the urban-management department's by the table.
	noRight := policy()
	noRight.Routing.DispatchRight = ""
	refuse(t, &noRight, filed, when, []refusal{
		{"DepartmentWithoutRight", act("qhdisp"), escalation.Dispatch{To: deptUM}, gridgov.ErrForbidden, escalation.RuleJurisdiction,
			"no grant, no route: the department is outside the street's reach"},
	})
	routed := report("R1")
	routed.Category = "C02" // the table routes roads and traffic components to the department
	c := run(t, &noRight, escalation.Case{}, step{act("gw1"), routed, t0}, step{act("qhdisp"), escalation.File{}, t0.Add(time.Hour)})
	if _, _, err := noRight.Apply(c, escalation.Dispatch{To: deptUM}, t0.Add(2*time.Hour), env(t, act("qhdisp"))); err != nil {
		t.Errorf("dispatch of a C02 case to its routed owner without the right = %v, want nil", err)
	}

	// Pulling a unit in stays within the dispatcher's reach too.
	handling, last := caseIn(t, &p, escalation.Handling, false)
	refuse(t, &p, handling, last.Add(time.Hour), []refusal{
		{"AssistOtherStreet", act("qhlaw1"), escalation.Assist{Units: []hierarchy.UnitID{fuzimiaoLaw}}, gridgov.ErrForbidden, escalation.RuleJurisdiction,
			"the bureau may not pull in another street's bureau"},
	})
	if _, _, err := p.Apply(handling, escalation.Assist{Units: []hierarchy.UnitID{deptWat}}, last.Add(time.Hour), env(t, act("qhlaw1"))); err != nil {
		t.Errorf("Assist(a district department) = %v, want nil: the street coordinates the departments", err)
	}

	// A case stored before the rule, dispatched by 秦虹 to 夫子庙's bureau and grid head:
	// neither may act on it.
	dispatched, last := caseIn(t, &p, escalation.Dispatched, false)
	stale := dispatched.Clone()
	stale.Owner, stale.Assignee = fuzimiaoLaw, "gh4"
	stale.History[len(stale.History)-1].Unit = fuzimiaoLaw
	stale.History[len(stale.History)-1].Person = "gh4"
	refuse(t, &p, stale, last.Add(time.Hour), []refusal{
		{"StaleAssigneeAccepts", act("gh4"), escalation.Accept{}, gridgov.ErrForbidden, escalation.RuleJurisdiction,
			"the grid head was assigned outside the dispatcher's reach"},
		{"StaleOwnerAccepts", act("fzlaw1"), escalation.Accept{}, gridgov.ErrForbidden, escalation.RuleJurisdiction,
			"the bureau received the case outside the dispatcher's reach"},
	})
	stale.State = escalation.Handling
	refuse(t, &p, stale, last.Add(time.Hour), []refusal{
		{"StaleAssigneeReportsBack", act("gh4"), escalation.ReportBack{}, gridgov.ErrForbidden, escalation.RuleJurisdiction,
			"nor may the grid head report back"},
	})
}

// TestPolicy_RolesFailClosed: a missing or misspelt role rule never widens who may
// act. An action without a rule is refused; a policy without any role rule does not
// validate; "anyone in scope" is said explicitly with any_role.
func TestPolicy_RolesFailClosed(t *testing.T) {
	t.Run("MisspeltRolesKey", func(t *testing.T) {
		y, err := yaml.Marshal(escalation.QinhuaiPolicy())
		require.NoError(t, err)
		bad := strings.Replace(strings.Replace(string(y), "\nroles:", "\nrolse:", 1), "\nany_role:", "\nany_roles:", 1)
		require.NotEqual(t, string(y), bad)
		var p escalation.Policy
		require.NoError(t, yaml.NewDecoder(bytes.NewReader([]byte(bad))).Decode(&p)) // a lenient decoder drops the keys
		err = p.Validate()
		if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), "roles: no role rules") {
			t.Errorf("Validate() of a policy whose roles key is misspelt = %v, want roles: no role rules", err)
		}
	})
	t.Run("MissingAction", func(t *testing.T) {
		p := policy()
		delete(p.Roles, escalation.ActionDispatch)
		require.NoError(t, p.Validate())
		filed, last := caseIn(t, &p, escalation.Filed, false)
		refuse(t, &p, filed, last.Add(time.Hour), []refusal{
			{"NoRuleForDispatch", act("qhdisp"), escalation.Dispatch{}, gridgov.ErrForbidden, escalation.RuleRole,
				"an action nobody listed is nobody's"},
		})
	})
	t.Run("MissingSelfHandle", func(t *testing.T) {
		p := policy()
		delete(p.Roles, escalation.ActionSelfHandle)
		r := report("SH")
		r.SelfHandled = true
		refuse(t, &p, escalation.Case{}, t0, []refusal{
			{"NoRuleForSelfHandling", act("gw1"), r, gridgov.ErrForbidden, escalation.RuleRole, "self-handling without a rule is refused"},
		})
	})
	t.Run("AnyRoleExplicit", func(t *testing.T) {
		p := policy()
		p.AnyRole = slices.DeleteFunc(slices.Clone(p.AnyRole), func(a escalation.Action) bool { return a == escalation.ActionReport })
		refuse(t, &p, escalation.Case{}, t0, []refusal{
			{"ReportNotListed", act("gw1"), report("A1"), gridgov.ErrForbidden, escalation.RuleRole, "reporting is open only because any_role says so"},
		})
	})
	t.Run("DefaultsCoverEveryAction", func(t *testing.T) {
		p := escalation.QinhuaiPolicy()
		for _, a := range escalation.Actions() {
			if a.System() {
				continue
			}
			if _, ok := p.Roles[a]; !ok && !slices.Contains(p.AnyRole, a) {
				t.Errorf("QinhuaiPolicy has no role rule for %q: nobody could issue it", a)
			}
		}
	})
	tests := []struct {
		name   string
		reason string
		mutate func(p *escalation.Policy)
		want   string
	}{
		{"NoRules", "a policy with no role rules would refuse every person", func(p *escalation.Policy) { p.Roles, p.AnyRole = nil, nil }, "roles: no role rules"},
		{"AnyRoleUnknown", "any_role names real actions", func(p *escalation.Policy) { p.AnyRole = append(p.AnyRole, "fly") }, `unknown action "fly"`},
		{"AnyRoleSystem", "only the system escalates", func(p *escalation.Policy) { p.AnyRole = append(p.AnyRole, escalation.ActionEscalate) }, "is issued by the system only"},
		{"AnyRoleAndRoles", "one rule per action", func(p *escalation.Policy) { p.AnyRole = append(p.AnyRole, escalation.ActionFile) }, `"file" also has a role rule`},
		{"AnyRoleRepeated", "no repeats", func(p *escalation.Policy) { p.AnyRole = append(p.AnyRole, p.AnyRole[0]) }, "repeats"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := escalation.QinhuaiPolicy()
			tt.mutate(&p)
			if err := p.Validate(); !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %q (%s)", err, tt.want, tt.reason)
			}
		})
	}
}

// TestAuth_JurisdictionNeverCrossesStreets tries every street dispatcher with every
// unit and person of the fixture as target and assignee: whatever is accepted keeps the
// owner and the assignee's post out of the other street, and every refusal is a rule.
func TestAuth_JurisdictionNeverCrossesStreets(t *testing.T) {
	p := policy()
	filed, last := caseIn(t, &p, escalation.Filed, false)
	tr := tree(t)
	units := []hierarchy.UnitID{district, qinhong, fuzimiao, zhongpai, kangju, fzmComm, grid1, grid2, grid3, grid4,
		deptUM, deptWat, deptRoad, station, beat1, districtCmd, qinhongCmd, qinhongLaw, qinhongUM, qinhongPB, fuzimiaoCmd, fuzimiaoLaw}
	persons := []hierarchy.PersonID{""}
	for _, x := range people {
		persons = append(persons, x.person)
	}
	accepted := 0
	for _, d := range []struct {
		who             hierarchy.PersonID
		forbiddenStreet hierarchy.UnitID
	}{{"qhdisp", fuzimiao}, {"qhdisp2", fuzimiao}, {"fzdisp", qinhong}} {
		who, forbiddenStreet := d.who, d.forbiddenStreet
		for _, u := range units {
			for _, person := range persons {
				got, _, err := p.Apply(filed, escalation.Dispatch{To: u, Assignee: person}, last.Add(time.Hour), env(t, act(who)))
				if err != nil {
					if gridgov.RuleOf(err) == "" {
						t.Fatalf("Dispatch(%s, %s) by %s = %v, want a rule", u, person, who, err)
					}
					continue
				}
				accepted++
				if tr.Contains(forbiddenStreet, got.Owner) {
					t.Errorf("Dispatch(%s, %s) by %s accepted into %s", u, person, who, forbiddenStreet)
				}
				for _, post := range tr.PostsOf(person, last) {
					if tr.Contains(forbiddenStreet, post.Unit) {
						t.Errorf("Dispatch(%s, %s) by %s assigned a person of %s", u, person, who, forbiddenStreet)
					}
				}
			}
		}
	}
	if accepted == 0 {
		t.Fatal("no dispatch was accepted: the test checks nothing")
	}
}
