package escalation_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

// whistled returns a complex case handled by 中牌楼社区 for which its director blew a
// routine whistle to 秦虹街道 on Monday 3 November 2025 at 10:00.
func whistled(t *testing.T, p *escalation.Policy) escalation.Case {
	t.Helper()
	r := report("W1")
	r.Complexity = escalation.Complex
	r.Category = "G01"
	mon := at(2025, 11, 3, 9, 0)
	return run(t, p, escalation.Case{},
		step{act("gw1"), r, mon},
		step{act("qhdisp"), escalation.File{}, mon.Add(10 * time.Minute)},
		step{act("qhdisp"), escalation.Dispatch{To: zhongpai}, mon.Add(20 * time.Minute)},
		step{act("zpdir"), escalation.Accept{}, mon.Add(30 * time.Minute)},
		step{act("zpdir"), escalation.BlowWhistle{Type: escalation.WhistleRoutine, Reason: "the drains of three departments meet here"}, mon.Add(time.Hour)},
	)
}

func TestWhistle(t *testing.T) {
	p := policy()
	cal := calendar.Default()
	c := whistled(t, &p)
	mon10 := at(2025, 11, 3, 10, 0)

	w, ok := c.OpenWhistle()
	if !ok || w.By != zhongpai || w.To != qinhong || w.ToLevel != hierarchy.LevelStreet || w.Type != escalation.WhistleRoutine {
		t.Fatalf("OpenWhistle() = %+v, %v; want a routine whistle from 中牌楼 to 秦虹", w, ok)
	}
	if c.Level != hierarchy.LevelStreet {
		t.Errorf("Level = %s, want street: the case rises with the whistle", c.Level)
	}
	if got := actionsOf(c.History[len(c.History)-3:]); !cmp.Equal(got, []escalation.Action{escalation.ActionWhistle, escalation.ActionEscalate, escalation.ActionEscalate}) {
		t.Errorf("whistle events = %v, want whistle then one escalation per level (community, street)", got)
	}

	refuse(t, &p, c, mon10.Add(time.Minute), []refusal{
		{"OneOpen", act("zpsec"), escalation.BlowWhistle{Type: escalation.WhistleSpecial, Reason: "again"}, gridgov.ErrPrecondition, "whistle.one-open", "one whistle at a time"},
		{"OtherCommunity", act("kjdir"), escalation.Summon{Units: []hierarchy.UnitID{deptUM}}, gridgov.ErrForbidden, escalation.RuleScope, "the street the whistle was blown to summons"},
		{"OtherStreet", act("fzdisp"), escalation.Summon{Units: []hierarchy.UnitID{deptUM}}, gridgov.ErrForbidden, escalation.RuleScope, "夫子庙 was not whistled"},
		{"NoRight", act("qhhead"), escalation.Summon{Units: []hierarchy.UnitID{"320104002/law-enforcement"}}, gridgov.ErrForbidden, "whistle.summon-right", "秦虹 has no power over 夫子庙's bureau"},
		{"NotItsLeader", act("qhhead"), escalation.Summon{Leaders: []hierarchy.PersonID{"lead2"}}, gridgov.ErrForbidden, "whistle.summon-leader", "lead2 is assigned to 夫子庙 (包块)"},
		{"UnknownUnit", act("qhhead"), escalation.Summon{Units: []hierarchy.UnitID{"dept-ghost"}}, gridgov.ErrNotFound, "whistle.unit", "summon units that exist"},
		{"NotSummoned", act("um1"), escalation.ReportIn{}, gridgov.ErrForbidden, "whistle.not-summoned", "nobody summoned the department yet"},
	})

	c = run(t, &p, c, step{act("qhhead"), escalation.Summon{Units: []hierarchy.UnitID{deptUM, deptWat}}, mon10.Add(5 * time.Minute)})
	w, _ = c.OpenWhistle()
	want := []escalation.Summons{
		{Unit: deptUM, At: mon10.Add(5 * time.Minute)},
		{Unit: deptWat, At: mon10.Add(5 * time.Minute)},
		{Leader: "lead1", At: mon10.Add(5 * time.Minute)},
	}
	if diff := cmp.Diff(want, w.Summons); diff != "" {
		t.Errorf("Summons mismatch (-want +got): a complex case summons the leader assigned to the street:\n%s", diff)
	}
	refuse(t, &p, c, mon10.Add(10*time.Minute), []refusal{
		{"Twice", act("qhhead"), escalation.Summon{Units: []hierarchy.UnitID{deptUM}}, gridgov.ErrPrecondition, "whistle.already-summoned", "a unit is summoned once per whistle"},
		{"Empty", act("qhhead"), escalation.Summon{}, gridgov.ErrInvalid, "whistle.summon-empty", "the leader is summoned already"},
		{"RoadsNotSummoned", act("road1"), escalation.ReportIn{}, gridgov.ErrForbidden, "whistle.not-summoned", "only the summoned report in"},
	})
	c = run(t, &p, c,
		step{act("um1"), escalation.ReportIn{Note: "on site"}, mon10.Add(2 * time.Hour)},
		step{act("lead1"), escalation.ReportIn{}, mon10.Add(3 * time.Hour)},
		step{act("wat1"), escalation.ReportIn{}, at(2025, 11, 5, 9, 0)}, // after one working day
	)
	refuse(t, &p, c, at(2025, 11, 5, 10, 0), []refusal{
		{"AlreadyReported", act("um2"), escalation.ReportIn{}, gridgov.ErrPrecondition, "whistle.already-reported", "the department reported in already"},
	})
	w, _ = c.OpenWhistle()
	var onTime []bool
	for _, s := range w.Summons {
		onTime = append(onTime, p.ReportedOnTime(w, s, cal))
	}
	if diff := cmp.Diff([]bool{true, false, true}, onTime); diff != "" {
		t.Errorf("ReportedOnTime mismatch (-want +got): the water department came after its working day:\n%s", diff)
	}

	// Unresolved, the whistle goes to the district; the district resolves it.
	c = run(t, &p, c, step{act("qhhead"), escalation.ConcludeWhistle{Outcome: "the pipe owner is in dispute"}, at(2025, 11, 5, 11, 0)})
	if len(c.Whistles) != 2 || !c.Whistles[0].Escalated || c.Whistles[0].Resolved {
		t.Fatalf("Whistles = %+v, want the first concluded unresolved and escalated", c.Whistles)
	}
	w2 := c.Whistles[1]
	if w2.By != qinhong || w2.To != district || w2.Parent != 1 || w2.ToLevel != hierarchy.LevelDistrict || c.Level != hierarchy.LevelDistrict {
		t.Errorf("second whistle = %+v, level %s; want 秦虹 → district, parent 1, case at district", w2, c.Level)
	}
	refuse(t, &p, c, at(2025, 11, 5, 12, 0), []refusal{
		{"StreetNoLonger", act("qhhead"), escalation.ConcludeWhistle{Resolved: true, Outcome: "x"}, gridgov.ErrForbidden, escalation.RuleScope, "the district holds the whistle now"},
		{"Outcome", act("ddir"), escalation.ConcludeWhistle{Resolved: true}, gridgov.ErrInvalid, "whistle.outcome", "a conclusion records its outcome"},
	})
	c = run(t, &p, c, step{act("ddir"), escalation.ConcludeWhistle{Resolved: true, Outcome: "the district assigned the pipe to the water department"}, at(2025, 11, 6, 9, 0)})
	if _, open := c.OpenWhistle(); open || !c.Whistles[1].Resolved {
		t.Errorf("Whistles = %+v, want the district's resolved and none open", c.Whistles)
	}
}

func TestWhistle_Refusals(t *testing.T) {
	p := policy()
	handling, last := caseIn(t, &p, escalation.Handling, false)
	refuse(t, &p, handling, last.Add(time.Hour), []refusal{
		{"NotCommunity", act("qhhead"), escalation.BlowWhistle{Type: escalation.WhistleRoutine, Reason: "x"}, gridgov.ErrForbidden, escalation.RuleScope, "a community blows the whistle, not the street"},
		{"OtherCommunity", act("kjdir"), escalation.BlowWhistle{Type: escalation.WhistleRoutine, Reason: "x"}, gridgov.ErrForbidden, escalation.RuleScope, "康居里 does not hold the case"},
		{"Role", act("gw2"), escalation.BlowWhistle{Type: escalation.WhistleRoutine, Reason: "x"}, gridgov.ErrForbidden, escalation.RuleRole, "grid workers do not whistle"},
		{"Type", act("zpdir"), escalation.BlowWhistle{Type: "trumpet", Reason: "x"}, gridgov.ErrInvalid, "whistle.type", "whistle types are policy"},
		{"Reason", act("zpdir"), escalation.BlowWhistle{Type: escalation.WhistleRoutine}, gridgov.ErrInvalid, "whistle.reason", "a whistle says why"},
		{"NoneOpen", act("qhhead"), escalation.Summon{Units: []hierarchy.UnitID{deptUM}}, gridgov.ErrPrecondition, "whistle.none-open", "summons need a whistle"},
		{"ReportInNoneOpen", act("um1"), escalation.ReportIn{}, gridgov.ErrPrecondition, "whistle.none-open", "report-ins need a whistle"},
		{"EscalateWhistleNone", system, escalation.EscalateWhistle{Whistle: 1}, gridgov.ErrPrecondition, "whistle.not-due", "no whistle to send up"},
	})
}

// TestWhistle_Overdue: a whistle unresolved past its time limit is listed by DueFor,
// goes up to the district once, and the district's whistle, at the top, never goes
// further.
func TestWhistle_Overdue(t *testing.T) {
	p := policy()
	cal := calendar.Default()
	c := whistled(t, &p)
	w, _ := c.OpenWhistle()
	due, _ := p.WhistleDue(w, cal)
	if want := at(2025, 11, 10, 17, 30); !due.Equal(want) {
		t.Errorf("WhistleDue = %s, want %s (five working days)", due, want)
	}
	refuse(t, &p, c, due.Add(-time.Minute), []refusal{
		{"Early", system, escalation.EscalateWhistle{Whistle: 1}, gridgov.ErrPrecondition, "whistle.not-due", "within its time limit"},
	})
	var listed []escalation.Due
	for _, d := range p.DueFor(c, due, escalation.Env{Calendar: cal}) {
		if d.Kind == escalation.DueEscalateWhistle {
			listed = append(listed, d)
		}
	}
	if len(listed) != 1 || listed[0].Whistle != 1 || !listed[0].At.Equal(due) {
		t.Fatalf("DueFor listed %+v, want whistle 1 at %s", listed, due)
	}
	c = run(t, &p, c, step{system, listed[0].Command, due})
	if len(c.Whistles) != 2 || c.Whistles[0].Outcome != "time limit passed" || c.Whistles[1].To != district {
		t.Fatalf("Whistles = %+v, want the first sent up to the district", c.Whistles)
	}
	for _, d := range p.DueFor(c, due.AddDate(0, 3, 0), escalation.Env{Calendar: cal}) {
		if d.Kind == escalation.DueEscalateWhistle {
			t.Errorf("DueFor listed %+v for the district's whistle, which has nowhere to go", d)
		}
	}
}

func actionsOf(es []escalation.Event) []escalation.Action {
	var out []escalation.Action
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}
