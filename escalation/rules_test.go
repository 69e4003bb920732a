package escalation_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

func TestPolicy_Route(t *testing.T) {
	p := policy()
	p.Routing.Table = append(p.Routing.Table, escalation.Route{Category: "E05", Within: fuzimiao, Level: hierarchy.LevelCommunity})
	tests := []struct {
		name   string
		c      escalation.Case
		beats  escalation.BeatResolver
		want   escalation.RouteDecision
		reason string
	}{
		{"ComponentOwner", kase("C01", escalation.SourcePatrol, grid1, ""),
			beats, escalation.RouteDecision{Unit: deptWat, Rule: escalation.RuleRouteOwner}, "components go to their owner first"},
		{"ComponentTerritory", kase("C03", escalation.SourcePatrol, grid1, ""),
			beats, escalation.RouteDecision{Unit: qinhongUM, Rule: escalation.RuleRouteTerritory}, "without an owner, the street's urban-management department"},
		{"Asset", withLoc(kase("C03", escalation.SourcePatrol, grid1, ""), escalation.Location{Unit: grid1, Asset: "lamp-0042"}),
			beats, escalation.RouteDecision{Unit: deptRoad, Rule: escalation.RuleRouteAsset}, "the asset layer overrides the table for components"},
		{"Road", withLoc(kase("C02", escalation.SourcePatrol, grid1, ""), escalation.Location{Unit: grid1, Road: "中山南路"}),
			beats, escalation.RouteDecision{Unit: deptRoad, Rule: escalation.RuleRouteRoad}, "a road owned by a department inside the street's territory"},
		{"EventTerritory", kase("E05", escalation.SourcePatrol, grid1, ""),
			beats, escalation.RouteDecision{Unit: qinhongLaw, Rule: escalation.RuleRouteTerritory}, "events go to the territory first: the street's law-enforcement bureau"},
		{"EventOnOwnedRoad", withLoc(kase("E05", escalation.SourcePatrol, grid1, ""), escalation.Location{Unit: grid1, Road: "中山南路"}),
			beats, escalation.RouteDecision{Unit: qinhongLaw, Rule: escalation.RuleRouteTerritory}, "an event on a department's road is still the territory's"},
		{"EventWithin", kase("E05", escalation.SourcePatrol, grid4, ""),
			beats, escalation.RouteDecision{Unit: fzmComm, Rule: escalation.RuleRouteTerritory}, "a row scoped to 夫子庙 sends its stalls to the community"},
		{"Emergency", kase("E04", escalation.SourceVideo, grid1, ""),
			beats, escalation.RouteDecision{Unit: qinhongCmd, Rule: escalation.RuleRouteTerritory}, "ordinary emergencies go to the street's command centre"},
		{"MajorEmergency", kase("E04", escalation.SourceVideo, grid1, escalation.MajorEmergency),
			beats, escalation.RouteDecision{Unit: districtCmd, Rule: escalation.RuleRouteEmergency, Direct: true}, "a major emergency goes straight to the district"},
		{"Dispute", kase("G01", escalation.SourcePatrol, grid1, ""),
			beats, escalation.RouteDecision{Unit: zhongpai, Rule: escalation.RuleRouteTerritory}, "disputes go to the community"},
		{"PoliceFromPatrol", kase("G04", escalation.SourcePatrol, grid1, ""),
			beats, escalation.RouteDecision{Unit: beat1, Person: "cop1", Rule: escalation.RuleRoutePoliceBeat, Direct: true}, "police matters found on patrol go to the beat's officer at once"},
		{"PoliceOfficerPost", kase("G04", escalation.SourcePatrol, grid1, ""),
			escalation.BeatFunc(func(escalation.Location) (hierarchy.PersonID, hierarchy.UnitID, bool) { return "cop1", "", true }),
			escalation.RouteDecision{Unit: beat1, Person: "cop1", Rule: escalation.RuleRoutePoliceBeat, Direct: true}, "a resolver naming only the officer: the unit of their post"},
		{"PoliceNoBeat", kase("G04", escalation.SourcePatrol, grid2, ""),
			beats, escalation.RouteDecision{Unit: qinhongPB, Rule: escalation.RuleRouteTerritory}, "outside every beat the table decides"},
		{"PoliceNoResolver", kase("G04", escalation.SourcePatrol, grid1, ""),
			nil, escalation.RouteDecision{Unit: qinhongPB, Rule: escalation.RuleRouteTerritory}, "without a resolver the table decides"},
		{"PoliceFromHotline", kase("G04", escalation.SourceHotline, grid1, ""),
			beats, escalation.RouteDecision{Unit: qinhongPB, Rule: escalation.RuleRouteTerritory}, "only patrol finds go to the officer directly"},
		{"PoliceTransfer", kase("E05", escalation.SourcePolice, grid1, ""),
			beats, escalation.RouteDecision{Unit: zhongpai, Rule: escalation.RuleRoutePoliceTransfer, Direct: true}, "non-police items from the police go to the community owning the grid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(t, system)
			e.Beats = tt.beats
			got, err := p.Route(tt.c, t0, e)
			if err != nil {
				t.Fatalf("Route() = %v (%s)", err, tt.reason)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Route() mismatch (-want +got) (%s):\n%s", tt.reason, diff)
			}
		})
	}

	t.Run("ErrNoRoute", func(t *testing.T) {
		q := policy()
		q.Routing.Table = nil
		q.Routing.Level = hierarchy.LevelBuilding
		_, err := q.Route(kase("C01", escalation.SourcePatrol, grid1, ""), t0, env(t, system))
		if !errors.Is(err, gridgov.ErrNotFound) || gridgov.RuleOf(err) != "routing.no-route" {
			t.Errorf("Route() = %v, want ErrNotFound by routing.no-route", err)
		}
	})
}

func kase(cat string, src escalation.Source, u hierarchy.UnitID, cx escalation.Complexity) escalation.Case {
	if cx == "" {
		cx = escalation.Ordinary
	}
	return escalation.Case{ID: "R", Category: cat, Source: src, Complexity: cx, Location: escalation.Location{Unit: u}}
}

func withLoc(c escalation.Case, l escalation.Location) escalation.Case { c.Location = l; return c }

// TestApply_DirectRoutes checks that direct routes are filed and dispatched by the
// system on report, and that the finder's own report stays with the platform otherwise.
func TestApply_DirectRoutes(t *testing.T) {
	p := policy()
	for _, tt := range []struct {
		name   string
		who    string
		r      escalation.Report
		state  escalation.State
		owner  hierarchy.UnitID
		person hierarchy.PersonID
		level  hierarchy.Level
		reason string
	}{
		{"Police", "gw1", escalation.Report{ID: "D1", Source: escalation.SourcePatrol, Category: "G04", Location: escalation.Location{Unit: grid1}},
			escalation.Dispatched, beat1, "cop1", hierarchy.LevelGrid, "秦淮e员: the officer gets it at once"},
		{"Transfer", "psstaff", escalation.Report{ID: "D2", Source: escalation.SourcePolice, Category: "G03", Location: escalation.Location{Unit: grid1}},
			escalation.Dispatched, zhongpai, "", hierarchy.LevelGrid, "a 110 call about a livelihood matter goes to the community"},
		{"Major", "ddisp", escalation.Report{ID: "D3", Source: escalation.SourceVideo, Category: "E04", Complexity: escalation.MajorEmergency, Location: escalation.Location{Unit: grid1}},
			escalation.Dispatched, districtCmd, "", hierarchy.LevelDistrict, "a major emergency starts at the district"},
		{"Ordinary", "gw1", report("D4"), escalation.Reported, "", "", hierarchy.LevelGrid, "the platform files ordinary cases"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, events, err := p.Apply(escalation.Case{}, tt.r, t0, env(t, act(hierarchy.PersonID(tt.who))))
			if err != nil {
				t.Fatalf("Apply(Report) = %v", err)
			}
			if c.State != tt.state || c.Owner != tt.owner || c.Assignee != tt.person || c.Level != tt.level {
				t.Errorf("case = %s owner %s assignee %s level %s; want %s %s %s %s (%s)",
					c.State, c.Owner, c.Assignee, c.Level, tt.state, tt.owner, tt.person, tt.level, tt.reason)
			}
			if tt.state == escalation.Dispatched {
				if len(events) != 3 || events[1].Actor != system || events[2].Action != escalation.ActionDispatch || events[2].Actor != system {
					t.Errorf("events = %+v, want report by the finder then file and dispatch by the system", events)
				}
				if c.FirstReceiver != tt.owner {
					t.Errorf("FirstReceiver = %s, want %s", c.FirstReceiver, tt.owner)
				}
			}
		})
	}
	// The officer accepts the police matter: the assignee may act though the case's
	// owner is the beat.
	c, _, err := p.Apply(escalation.Case{}, escalation.Report{ID: "D5", Source: escalation.SourcePatrol, Category: "G04",
		Location: escalation.Location{Unit: grid1}}, t0, env(t, act("gw1")))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.Apply(c, escalation.Accept{}, t0.Add(time.Minute), env(t, act("cop1"))); err != nil {
		t.Errorf("officer Accept = %v, want nil", err)
	}
}

// refusal is one command that must be refused, with why.
type refusal struct {
	name   string
	who    hierarchy.Actor
	cmd    escalation.Command
	kind   error
	rule   string
	reason string
}

// refuse applies each refusal to c and checks the error and that c is unchanged.
func refuse(t *testing.T, p *escalation.Policy, c escalation.Case, when time.Time, rs []refusal) {
	t.Helper()
	for _, r := range rs {
		t.Run(r.name, func(t *testing.T) {
			before := c.Clone()
			got, events, err := p.Apply(c, r.cmd, when, env(t, r.who))
			if !errors.Is(err, r.kind) || gridgov.RuleOf(err) != r.rule {
				t.Fatalf("Apply(%T by %s) = %v, want %v by rule %s (%s)", r.cmd, r.who.Person, err, r.kind, r.rule, r.reason)
			}
			if got.ID != "" || events != nil {
				t.Errorf("a refused command returned a case or events: %+v %+v", got, events)
			}
			if diff := cmp.Diff(before, c, caseOpts); diff != "" {
				t.Errorf("a refused command changed the input (-before +after):\n%s", diff)
			}
		})
	}
}

func TestApply_Authorization(t *testing.T) {
	p := policy()
	reported, last := caseIn(t, &p, escalation.Reported, false)
	when := last.Add(time.Hour)
	refuse(t, &p, reported, when, []refusal{
		{"NoActor", system, escalation.File{}, gridgov.ErrForbidden, escalation.RuleActorRequired, "a person's command needs a person"},
		{"WrongPost", hierarchy.Actor{Person: "gw1", Post: "p-qhdisp"}, escalation.File{}, gridgov.ErrForbidden, escalation.RulePost, "the post is someone else's"},
		{"UnknownPost", hierarchy.Actor{Person: "gw1", Post: "p-nobody"}, escalation.File{}, gridgov.ErrForbidden, escalation.RulePost, "no such post"},
		{"Role", act("gw1"), escalation.File{}, gridgov.ErrForbidden, escalation.RuleRole, "grid workers find, the platform files"},
		{"OtherStreet", act("fzdisp"), escalation.File{}, gridgov.ErrForbidden, escalation.RuleScope, "夫子庙's dispatcher has no say in 秦虹"},
		{"Department", act("umdisp"), escalation.File{}, gridgov.ErrForbidden, escalation.RuleScope, "a department acts only on what is dispatched to it"},
		{"SystemOnly", act("qhdisp"), escalation.Escalate{To: hierarchy.LevelCommunity}, gridgov.ErrForbidden, escalation.RuleSystemOnly, "people do not escalate by hand; the clock does"},
	})
	t.Run("DistrictFiles", func(t *testing.T) {
		if _, _, err := p.Apply(reported, escalation.File{}, when, env(t, act("ddisp"))); err != nil {
			t.Errorf("district dispatcher File = %v, want nil: the district's subtree holds every case", err)
		}
	})
	dispatched, last := caseIn(t, &p, escalation.Dispatched, false)
	refuse(t, &p, dispatched, last.Add(time.Hour), []refusal{
		{"NotOwner", act("um1"), escalation.Accept{}, gridgov.ErrForbidden, escalation.RuleOwner, "the case went to the street's bureau, not the department"},
		{"OwnerOfOtherStreet", act("fzdisp"), escalation.Return{Reason: "x"}, gridgov.ErrForbidden, escalation.RuleOwner, "another street cannot return it"},
	})
	report := escalation.Report{ID: "X", Source: escalation.SourcePatrol, Category: "E05", Location: escalation.Location{Unit: grid4}}
	refuse(t, &p, escalation.Case{}, t0, []refusal{
		{"ReportOutsideGrid", act("gw1"), report, gridgov.ErrForbidden, escalation.RuleScope, "a grid worker reports in their own grid"},
	})
}

func TestApply_Separation(t *testing.T) {
	p := policy()
	// gw1 reports; the case is dispatched to gw1's own grid, so gw1 is in the owner unit.
	base := run(t, &p, escalation.Case{},
		step{act("gw1"), report("S1"), t0},
		step{act("qhdisp"), escalation.File{}, t0.Add(time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{To: grid1}, t0.Add(2 * time.Minute)},
	)
	refuse(t, &p, base, t0.Add(time.Hour), []refusal{
		{"FinderMayNotHandle", act("gw1"), escalation.Accept{}, gridgov.ErrForbidden, "roles.finder-may-not-handle", "巡办分离: who finds does not handle"},
	})
	handled := run(t, &p, base,
		step{act("gw2"), escalation.Accept{}, t0.Add(time.Hour)},
		step{act("gw2"), escalation.ReportBack{}, t0.Add(2 * time.Hour)},
	)
	refuse(t, &p, handled, t0.Add(3*time.Hour), []refusal{
		{"HandlerMayNotVerify", act("gw2"), escalation.Verify{Passed: true}, gridgov.ErrForbidden, "roles.handler-may-not-verify", "who handled does not check their own work"},
		{"ReporterMayNotVerify", act("gw1"), escalation.Verify{Passed: true}, gridgov.ErrForbidden, "roles.reporter-may-not-verify", "the same actor cannot report and verify"},
		{"ReworkNeedsReason", act("gh1"), escalation.Verify{}, gridgov.ErrInvalid, "verify.reason", "a failed verification says why"},
	})
	// A platform dispatcher who handled a case may not close it either.
	own := run(t, &p, escalation.Case{},
		step{act("gw1"), report("S2"), t0},
		step{act("qhdisp"), escalation.File{}, t0.Add(time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{To: qinhongCmd}, t0.Add(2 * time.Minute)},
		step{act("qhdisp2"), escalation.Accept{}, t0.Add(3 * time.Minute)},
		step{act("qhdisp2"), escalation.ReportBack{}, t0.Add(4 * time.Minute)},
		step{act("qhinsp"), escalation.Verify{Passed: true}, t0.Add(5 * time.Minute)},
	)
	refuse(t, &p, own, t0.Add(time.Hour), []refusal{
		{"HandlerMayNotClose", act("qhdisp2"), escalation.Close{}, gridgov.ErrForbidden, "roles.handler-may-not-close", "the supervisor closes, not the handler"},
	})
	if _, _, err := p.Apply(own, escalation.Close{}, t0.Add(time.Hour), env(t, act("qhdisp"))); err != nil {
		t.Errorf("another dispatcher's Close = %v, want nil", err)
	}
	// With the separation rules off, the finder may handle.
	q := policy()
	q.Separation = escalation.Separation{}
	if _, _, err := q.Apply(base, escalation.Accept{}, t0.Add(time.Hour), env(t, act("gw1"))); err != nil {
		t.Errorf("Accept by the finder with separation off = %v, want nil", err)
	}
}

func TestApply_SelfHandling(t *testing.T) {
	p := policy()
	sh := report("SH")
	sh.SelfHandled = true
	c, events, err := p.Apply(escalation.Case{}, sh, t0, env(t, act("gw1")))
	if err != nil {
		t.Fatalf("self-handled report = %v", err)
	}
	if c.State != escalation.Closed || len(events) != 2 || events[1].Action != escalation.ActionSelfHandle {
		t.Errorf("self-handled report: state %s events %+v; want closed by report then self-handle", c.State, events)
	}
	reported, _ := caseIn(t, &p, escalation.Reported, false)
	complexReport := report("SH2")
	complexReport.Complexity = escalation.Complex
	complexCase := run(t, &p, escalation.Case{}, step{act("gw1"), complexReport, t0})
	hazard := report("SH3")
	hazard.Category = "G02"
	hazardCase := run(t, &p, escalation.Case{}, step{act("gw1"), hazard, t0})
	off := policy()
	off.SelfHandling.Allowed = false
	for _, r := range []struct {
		name   string
		p      *escalation.Policy
		c      escalation.Case
		who    string
		rule   string
		reason string
	}{
		{"OtherWorker", &p, reported, "gw2", "self-handling.finder-only", "only the finder closes what they solved"},
		{"Complex", &p, complexCase, "gw1", "self-handling.complexity", "complex cases go through the platform"},
		{"Category", &p, hazardCase, "gw1", "self-handling.category", "safety hazards are not self-handled in Qinhuai"},
		{"PolicyOff", &off, reported, "gw1", "self-handling.not-allowed", "a district may forbid self-handling"},
		{"Role", &p, reported, "qhdisp", escalation.RuleRole, "only grid workers self-handle"},
	} {
		t.Run(r.name, func(t *testing.T) {
			_, _, err := r.p.Apply(r.c, escalation.SelfHandle{}, t0.Add(time.Hour), env(t, act(hierarchy.PersonID(r.who))))
			if !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != r.rule {
				t.Errorf("SelfHandle = %v, want rule %s (%s)", err, r.rule, r.reason)
			}
		})
	}
}

func TestApply_FirstReceiver(t *testing.T) {
	p := policy()
	complexReport := report("FR")
	complexReport.Complexity = escalation.Complex
	c := run(t, &p, escalation.Case{},
		step{act("gw1"), complexReport, t0},
		step{act("qhdisp"), escalation.File{}, t0.Add(time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{To: deptUM}, t0.Add(2 * time.Minute)},
	)
	refuse(t, &p, c, t0.Add(time.Hour), []refusal{
		{"NoReturn", act("um1"), escalation.Return{Reason: "belongs to the water department"}, gridgov.ErrForbidden, "first-receiver.no-return", "首接责任: the first receiver of a complex case owns it"},
	})
	// It pulls the water department in instead.
	c = run(t, &p, c,
		step{act("um1"), escalation.Accept{}, t0.Add(time.Hour)},
		step{act("um1"), escalation.Assist{Units: []hierarchy.UnitID{deptWat}, Reason: "the pipe is theirs"}, t0.Add(2 * time.Hour)},
	)
	if diff := cmp.Diff([]hierarchy.UnitID{deptWat}, c.Assisting); diff != "" {
		t.Errorf("Assisting mismatch (-want +got):\n%s", diff)
	}
	refuse(t, &p, c, t0.Add(3*time.Hour), []refusal{
		{"AssistTwice", act("um1"), escalation.Assist{Units: []hierarchy.UnitID{deptWat}}, gridgov.ErrPrecondition, "assist.duplicate", "a unit is pulled in once"},
		{"AssistUnknown", act("um1"), escalation.Assist{Units: []hierarchy.UnitID{"dept-ghost"}}, gridgov.ErrNotFound, "assist.unit", "pull in units that exist"},
		{"AssistNobody", act("um1"), escalation.Assist{}, gridgov.ErrInvalid, "assist.units", "name a unit"},
		{"AssistantMayNotReportBack", act("wat1"), escalation.ReportBack{}, gridgov.ErrForbidden, escalation.RuleOwner, "the owner reports back, not the assistant"},
	})
	// An ordinary case may be returned by its first receiver.
	o := run(t, &p, escalation.Case{},
		step{act("gw1"), report("FR2"), t0},
		step{act("qhdisp"), escalation.File{}, t0.Add(time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{To: deptUM}, t0.Add(2 * time.Minute)},
		step{act("um1"), escalation.Return{Reason: "street matter"}, t0.Add(3 * time.Minute)},
	)
	if o.State != escalation.Filed || o.Owner != "" || o.FirstReceiver != deptUM {
		t.Errorf("after return: state %s owner %q first receiver %s; want filed, no owner, first receiver kept", o.State, o.Owner, o.FirstReceiver)
	}
	// After a return the next owner of a complex case is not the first receiver: it may return.
	c2 := run(t, &p, escalation.Case{},
		step{act("gw1"), complexReport, t0},
		step{act("qhdisp"), escalation.File{}, t0.Add(time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{To: qinhongLaw}, t0.Add(2 * time.Minute)},
		step{act("qhdisp"), escalation.Reclassify{Complexity: escalation.Ordinary, Reason: "simpler than thought"}, t0.Add(3 * time.Minute)},
		step{act("qhlaw1"), escalation.Return{Reason: "not ours"}, t0.Add(4 * time.Minute)},
		step{act("qhdisp"), escalation.Reclassify{Complexity: escalation.Complex, Reason: "two departments after all"}, t0.Add(5 * time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{To: deptUM}, t0.Add(6 * time.Minute)},
	)
	if _, _, err := p.Apply(c2, escalation.Return{Reason: "x"}, t0.Add(time.Hour), env(t, act("um1"))); err != nil {
		t.Errorf("Return by a later receiver = %v, want nil", err)
	}
}

func TestApply_Invalid(t *testing.T) {
	p := policy()
	bad := func(mut func(r *escalation.Report)) escalation.Report { r := report("B"); mut(&r); return r }
	refuse(t, &p, escalation.Case{}, t0, []refusal{
		{"NoID", act("gw1"), bad(func(r *escalation.Report) { r.ID = "" }), gridgov.ErrInvalid, "report.id", "cases have IDs"},
		{"Source", act("gw1"), bad(func(r *escalation.Report) { r.Source = "rumour" }), gridgov.ErrInvalid, "report.source", "sources are a closed set"},
		{"Category", act("gw1"), bad(func(r *escalation.Report) { r.Category = "E0999" }), gridgov.ErrInvalid, "report.category", "categories come from the taxonomy"},
		{"Complexity", act("gw1"), bad(func(r *escalation.Report) { r.Complexity = "easy" }), gridgov.ErrInvalid, "report.complexity", "complexities are a closed set"},
		{"Location", act("ddisp"), bad(func(r *escalation.Report) { r.Location.Unit = deptUM }), gridgov.ErrInvalid, "report.location", "a case lies in a territorial unit"},
		{"NotReported", act("qhdisp"), escalation.File{}, gridgov.ErrPrecondition, "state.transition", "a case must be reported first"},
		{"Nil", act("gw1"), nil, gridgov.ErrInvalid, "command.required", "a command is required"},
	})
	filed, last := caseIn(t, &p, escalation.Filed, false)
	refuse(t, &p, filed, last.Add(time.Hour), []refusal{
		{"VoidReason", act("qhdisp"), escalation.Void{}, gridgov.ErrInvalid, "void.reason", "voiding says why"},
		{"ParkReason", act("qhdisp"), escalation.Park{}, gridgov.ErrInvalid, "park.reason", "parking says why"},
		{"SuperviseReason", act("qhinsp"), escalation.Supervise{}, gridgov.ErrInvalid, "supervise.reason", "supervision says why"},
		{"DispatchUnknown", act("qhdisp"), escalation.Dispatch{To: "dept-ghost"}, gridgov.ErrNotFound, "dispatch.unit", "dispatch to a unit that exists"},
		{"DispatchAssignee", act("qhdisp"), escalation.Dispatch{To: deptUM, Assignee: "ghost"}, gridgov.ErrNotFound, "dispatch.assignee", "assign a person who exists"},
		{"Reclassify", act("qhdisp"), escalation.Reclassify{Reason: "x"}, gridgov.ErrInvalid, "reclassify.nothing", "a reclassification changes something"},
		{"ReclassifyReason", act("qhdisp"), escalation.Reclassify{Complexity: escalation.Complex}, gridgov.ErrInvalid, "reclassify.reason", "a reclassification says why"},
		{"FileAgain", act("qhdisp"), escalation.File{}, gridgov.ErrPrecondition, "state.transition", "a case is filed once"},
	})
	// The dispatch step has one working hour: at ten minutes nothing is due.
	refuse(t, &p, filed, last.Add(10*time.Minute), []refusal{
		{"WarnNotDue", system, escalation.Warn{Step: escalation.StepDispatch}, gridgov.ErrPrecondition, "warn.not-due", "the scheduler cannot warn early"},
		{"EscalateNotDue", system, escalation.Escalate{To: hierarchy.LevelCommunity}, gridgov.ErrPrecondition, "escalate.not-due", "the scheduler cannot escalate early"},
		{"EscalateTwoLevels", system, escalation.Escalate{To: hierarchy.LevelStreet}, gridgov.ErrInvalid, "escalate.one-level", "one level at a time"},
	})
	refuse(t, &p, filed, last.Add(-time.Hour), []refusal{
		{"TimeOrder", act("qhdisp"), escalation.Dispatch{}, gridgov.ErrInvalid, "time.order", "history runs forward"},
	})
	t.Run("EnvRequired", func(t *testing.T) {
		_, _, err := p.Apply(filed, escalation.Dispatch{}, last, escalation.Env{Actor: act("qhdisp")})
		if !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != "env.required" {
			t.Errorf("Apply without tree and calendar = %v, want env.required", err)
		}
	})
}

// TestApply_FollowUpAndRebase: a closed case stays closed, a complaint links a
// follow-up; a policy change reaches an open case only through an explicit rebase.
func TestApply_FollowUpAndRebase(t *testing.T) {
	p := policy()
	closed, last := caseIn(t, &p, escalation.Closed, false)
	got, _, err := p.Apply(closed, escalation.Complain{FollowUp: "C-2", Reason: "the stall is back"}, last.Add(time.Hour), env(t, act("qhdisp")))
	if err != nil {
		t.Fatal(err)
	}
	if got.State != escalation.Closed || len(got.FollowUps) != 1 || got.FollowUps[0] != "C-2" {
		t.Errorf("after a complaint: state %s follow-ups %v; want closed with C-2", got.State, got.FollowUps)
	}
	refuse(t, &p, closed, last.Add(time.Hour), []refusal{
		{"NoFollowUp", act("qhdisp"), escalation.Complain{Reason: "x"}, gridgov.ErrInvalid, "complain.follow-up", "a complaint names its follow-up"},
		{"NoReason", act("qhdisp"), escalation.Complain{FollowUp: "C-2"}, gridgov.ErrInvalid, "complain.reason", "a complaint says what is wrong"},
		{"UnknownCommand", act("qhdisp"), strangeCommand{}, gridgov.ErrInvalid, "command.unknown", "the command set is closed"},
		{"Reopen", act("qhdisp"), escalation.Park{Reason: "reopen"}, gridgov.ErrPrecondition, "state.transition", "closed cases stay closed"},
	})

	v2 := policy()
	v2.Version = "qinhuai-2026"
	v2.Deadlines[3].Limit = escalation.WorkingDaysLimit(2) // handle ordinary cases in 2 working days
	open, last := caseIn(t, &p, escalation.Handling, false)
	refuse(t, &v2, open, last.Add(time.Hour), []refusal{
		{"OldCaseNewPolicy", act("qhlaw1"), escalation.ReportBack{}, gridgov.ErrPrecondition, "policy.version", "a case keeps the policy it was filed under"},
		{"RebaseWrongPolicy", act("qhdisp"), escalation.Rebase{Version: "qinhuai-2027"}, gridgov.ErrInvalid, "rebase.version", "a rebase is applied with its target policy"},
	})
	refuse(t, &p, open, last.Add(time.Hour), []refusal{
		{"RebaseSame", act("qhdisp"), escalation.Rebase{Version: p.Version}, gridgov.ErrPrecondition, "rebase.same", "nothing to move"},
	})
	moved, _, err := v2.Apply(open, escalation.Rebase{Version: v2.Version, Reason: "new limits"}, last.Add(time.Hour), env(t, act("qhdisp")))
	if err != nil {
		t.Fatal(err)
	}
	if moved.PolicyVersion != v2.Version {
		t.Errorf("PolicyVersion = %s, want %s", moved.PolicyVersion, v2.Version)
	}
	// The same facts, re-evaluated: the handle deadline comes a working day earlier.
	if !moved.Deadline.Before(open.Deadline) {
		t.Errorf("rebased deadline %s is not earlier than %s", moved.Deadline, open.Deadline)
	}
}

// TestApply_NoAliasing applies two different commands to one case whose slices have
// spare capacity: neither result may see the other's events, whistles or helpers.
func TestApply_NoAliasing(t *testing.T) {
	p := policy()
	c := whistled(t, &p)
	grow := func(c escalation.Case) escalation.Case {
		c.History = append(make([]escalation.Event, 0, len(c.History)+8), c.History...)
		c.Whistles = append(make([]escalation.Whistle, 0, len(c.Whistles)+4), c.Whistles...)
		c.Handlers = append(make([]hierarchy.PersonID, 0, 8), c.Handlers...)
		return c
	}
	c = grow(c)
	when := at(2025, 11, 3, 11, 0)
	a, _, err := p.Apply(c, escalation.Summon{Units: []hierarchy.UnitID{deptUM}}, when, env(t, act("qhhead")))
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := p.Apply(c, escalation.Summon{Units: []hierarchy.UnitID{deptWat}}, when, env(t, act("qhhead")))
	if err != nil {
		t.Fatal(err)
	}
	if a.History[len(c.History)].Unit != deptUM || b.History[len(c.History)].Unit != deptWat {
		t.Errorf("histories alias: a's event %+v, b's event %+v", a.History[len(c.History)], b.History[len(c.History)])
	}
	if a.Whistles[0].Summons[0].Unit != deptUM || b.Whistles[0].Summons[0].Unit != deptWat || len(c.Whistles[0].Summons) != 0 {
		t.Errorf("whistles alias: a %+v, b %+v, input %+v", a.Whistles[0].Summons, b.Whistles[0].Summons, c.Whistles[0].Summons)
	}
	ra, _, err := p.Apply(a, escalation.ReportBack{}, when.Add(time.Hour), env(t, act("zpsec")))
	if err != nil {
		t.Fatal(err)
	}
	rb, _, err := p.Apply(b, escalation.ReportBack{}, when.Add(time.Hour), env(t, act("zpdir")))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ra.Handlers, "zpsec") || slices.Contains(rb.Handlers, "zpsec") {
		t.Errorf("handlers alias: %v and %v", ra.Handlers, rb.Handlers)
	}
}

// strangeCommand is a Command from outside the package, naming an action the table
// allows on closed cases.
type strangeCommand struct{}

func (strangeCommand) Action() escalation.Action { return escalation.ActionComplain }
