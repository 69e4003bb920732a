package escalation_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

const same = escalation.State("=") // in the table below: the state does not change

// rules is the state table written out by hand, one row per action: the states it is
// allowed in, the state it leads to, why it is allowed there and why nowhere else.
var rules = []struct {
	action  escalation.Action
	from    []escalation.State
	to      escalation.State
	legal   string
	illegal string
}{
	{escalation.ActionReport, []escalation.State{""}, escalation.Reported,
		"a report creates the case", "a case is reported once; a later complaint opens a follow-up"},
	{escalation.ActionFile, []escalation.State{escalation.Reported}, escalation.Filed,
		"the platform files what was reported", "only a reported case waits to be filed"},
	{escalation.ActionVoid, []escalation.State{escalation.Reported, escalation.Filed}, escalation.Voided,
		"an invalid report is voided before anyone works on it", "once dispatched a case is handled, not voided; final cases stay final"},
	{escalation.ActionSelfHandle, []escalation.State{escalation.Reported}, escalation.Closed,
		"the finder closes what they solved on the spot, before the platform takes it", "once filed the platform owns the case"},
	{escalation.ActionDispatch, []escalation.State{escalation.Filed}, escalation.Dispatched,
		"filed cases (and returned ones) are dispatched", "a case is dispatched from the platform's queue only; re-dispatch goes through a return"},
	{escalation.ActionAccept, []escalation.State{escalation.Dispatched}, escalation.Handling,
		"the owner accepts a dispatched case", "only a dispatched case waits for acceptance"},
	{escalation.ActionReturn, []escalation.State{escalation.Dispatched, escalation.Handling}, escalation.Filed,
		"a wrong dispatch goes back to the platform, before or after acceptance", "only the owner of a case in its hands returns it"},
	{escalation.ActionAssist, []escalation.State{escalation.Handling}, same,
		"the owner pulls others in while handling", "pulling in needs an owner at work"},
	{escalation.ActionReportBack, []escalation.State{escalation.Handling}, escalation.Handled,
		"the owner reports back what it handled", "only a case being handled can be reported back"},
	{escalation.ActionVerify, []escalation.State{escalation.Handled}, escalation.Verified,
		"a reported-back case is verified", "only a reported-back case is verified"},
	{escalation.ActionRework, []escalation.State{escalation.Handled}, escalation.Handling,
		"a failed verification sends the case back to the owner", "only a reported-back case is verified"},
	{escalation.ActionClose, []escalation.State{escalation.Verified}, escalation.Closed,
		"a verified case is closed", "a case is closed only after verification"},
	{escalation.ActionPark, []escalation.State{escalation.Filed, escalation.Dispatched, escalation.Handling}, escalation.Parked,
		"a case stuck for objective reasons is parked while waiting or being handled", "a report is filed or voided first; reported-back and verified cases are nearly done; parked cases are parked"},
	{escalation.ActionResume, []escalation.State{escalation.Parked}, escalation.BeforeParking,
		"a parked case goes back to where it was", "only a parked case resumes"},
	{escalation.ActionSupervise, []escalation.State{escalation.Reported, escalation.Filed, escalation.Dispatched, escalation.Handling,
		escalation.Handled, escalation.Verified, escalation.Parked}, same,
		"any open case may be put under supervision", "final cases have nothing left to supervise"},
	{escalation.ActionReclassify, []escalation.State{escalation.Reported, escalation.Filed, escalation.Dispatched, escalation.Handling, escalation.Parked}, same,
		"the classification may be corrected until the work is reported back", "a reported-back case is judged by what it was handled as"},
	{escalation.ActionWarn, []escalation.State{escalation.Reported, escalation.Filed, escalation.Dispatched, escalation.Handling,
		escalation.Handled, escalation.Verified}, same,
		"a running step warns before its deadline", "a parked case's clock stands still; final cases have no clock"},
	{escalation.ActionEscalate, []escalation.State{escalation.Reported, escalation.Filed, escalation.Dispatched, escalation.Handling,
		escalation.Handled, escalation.Verified, escalation.Parked}, same,
		"a late open case rises (a parked one, if it was late before parking)", "final cases never rise"},
	{escalation.ActionWhistle, []escalation.State{escalation.Filed, escalation.Dispatched, escalation.Handling, escalation.Parked}, same,
		"a community whistles for a case on the platform or being worked on", "a report is filed first; a reported-back case needs no help; final cases are done"},
	{escalation.ActionSummon, []escalation.State{escalation.Filed, escalation.Dispatched, escalation.Handling, escalation.Handled,
		escalation.Verified, escalation.Parked}, same,
		"an open whistle summons units whatever the case's step", "no whistle before filing; final cases end their whistles"},
	{escalation.ActionReportIn, []escalation.State{escalation.Filed, escalation.Dispatched, escalation.Handling, escalation.Handled,
		escalation.Verified, escalation.Parked}, same,
		"summoned units report in while the whistle is open", "no whistle before filing; final cases end their whistles"},
	{escalation.ActionConcludeWhistle, []escalation.State{escalation.Filed, escalation.Dispatched, escalation.Handling, escalation.Handled,
		escalation.Verified, escalation.Parked}, same,
		"the street concludes its whistle", "no whistle before filing; final cases end their whistles"},
	{escalation.ActionEscalateWhistle, []escalation.State{escalation.Filed, escalation.Dispatched, escalation.Handling, escalation.Handled,
		escalation.Verified, escalation.Parked}, same,
		"an overdue whistle goes up", "no whistle before filing; final cases end their whistles"},
	{escalation.ActionComplain, []escalation.State{escalation.Closed}, escalation.Closed,
		"a complaint about a closed case opens a follow-up; the case stays closed", "an open case is still being worked on; a voided one was never valid"},
	{escalation.ActionRebase, []escalation.State{escalation.Reported, escalation.Filed, escalation.Dispatched, escalation.Handling,
		escalation.Handled, escalation.Verified, escalation.Parked}, same,
		"an open case may be moved to a newer policy, explicitly", "a final case keeps the rules it was decided under"},
}

// TestTransitions checks the state table against the rules written out above, pair by
// pair: every (state, action) is either allowed, leading to the right state, or not.
func TestTransitions(t *testing.T) {
	var want []escalation.Transition
	for _, s := range escalation.States() {
		for _, r := range rules {
			if !slices.Contains(r.from, s) {
				continue
			}
			to := r.to
			if to == same {
				to = s
			}
			want = append(want, escalation.Transition{From: s, Action: r.action, To: to})
		}
	}
	slices.SortStableFunc(want, func(a, b escalation.Transition) int {
		return slices.Index(escalation.States(), a.From) - slices.Index(escalation.States(), b.From)
	})
	if diff := cmp.Diff(want, escalation.Transitions()); diff != "" {
		t.Errorf("Transitions() mismatch (-want +got):\n%s", diff)
	}
	if len(rules) != len(escalation.Actions()) {
		t.Errorf("the rules cover %d actions, the package has %d", len(rules), len(escalation.Actions()))
	}
	for _, r := range rules {
		for _, s := range escalation.States() {
			got, ok := escalation.Next(s, r.action)
			legal := slices.Contains(r.from, s)
			reason := r.illegal
			if legal {
				reason = r.legal
			}
			if ok != legal {
				t.Errorf("Next(%q, %s) allowed = %v, want %v: %s", s, r.action, ok, legal, reason)
			}
			if legal && r.to != same && got != r.to {
				t.Errorf("Next(%q, %s) = %q, want %q: %s", s, r.action, got, r.to, reason)
			}
		}
	}
}

// caseIn drives a case to state s (with an open whistle summoning the urban-management
// department when whistle is set) and returns it with the time of its last event.
func caseIn(tb testing.TB, p *escalation.Policy, s escalation.State, whistle bool) (escalation.Case, time.Time) {
	tb.Helper()
	all := loop("C-"+escalation.CaseID(s), t0)
	var steps []step
	switch s {
	case "":
		return escalation.Case{}, t0
	case escalation.Reported:
		steps = all[:1]
	case escalation.Filed:
		steps = all[:2]
	case escalation.Dispatched:
		steps = all[:3]
	case escalation.Handling:
		steps = all[:4]
	case escalation.Handled:
		steps = all[:5]
	case escalation.Verified:
		steps = all[:6]
	case escalation.Closed:
		steps = all
	case escalation.Voided:
		steps = append(all[:1:1], step{act("qhdisp"), escalation.Void{Reason: "duplicate"}, all[1].at})
	case escalation.Parked:
		steps = append(all[:4:4], step{act("qhdisp"), escalation.Park{Reason: "waiting for the owner to be found"}, all[4].at})
	}
	if _, voided := steps[len(steps)-1].cmd.(escalation.Void); whistle && len(steps) >= 2 && !voided {
		// Whistle right after filing, a summons straight after; shift the rest by 2 minutes.
		w := []step{
			{act("zpdir"), escalation.BlowWhistle{Type: escalation.WhistleRoutine, Reason: "needs the department"}, steps[1].at.Add(time.Minute)},
			{act("qhhead"), escalation.Summon{Units: []hierarchy.UnitID{deptUM}}, steps[1].at.Add(2 * time.Minute)},
		}
		steps = append(append(steps[:2:2], w...), steps[2:]...)
	}
	c := run(tb, p, escalation.Case{}, steps...)
	last, _ := c.Last()
	return c, last.At
}

// command returns a representative command for action a on case c, its actor and time,
// and the policy to apply it with.
func command(tb testing.TB, p, p2 *escalation.Policy, c escalation.Case, last time.Time, a escalation.Action) (escalation.Command, step, *escalation.Policy) {
	tb.Helper()
	next := last.Add(time.Hour)
	later := last.AddDate(0, 2, 0)
	by := func(who string, cmd escalation.Command, at time.Time) (escalation.Command, step, *escalation.Policy) {
		return cmd, step{act(hierarchy.PersonID(who)), cmd, at}, p
	}
	switch a {
	case escalation.ActionReport:
		return by("gw1", report("C-new"), next)
	case escalation.ActionFile:
		return by("qhdisp", escalation.File{}, next)
	case escalation.ActionVoid:
		return by("qhdisp", escalation.Void{Reason: "not a real problem"}, next)
	case escalation.ActionSelfHandle:
		return by("gw1", escalation.SelfHandle{Note: "moved the stall on"}, next)
	case escalation.ActionDispatch:
		return by("qhdisp", escalation.Dispatch{}, next)
	case escalation.ActionAccept:
		return by("qhlaw1", escalation.Accept{}, next)
	case escalation.ActionReturn:
		return by("qhlaw1", escalation.Return{Reason: "not ours"}, next)
	case escalation.ActionAssist:
		return by("qhlaw1", escalation.Assist{Units: []hierarchy.UnitID{deptWat}}, next)
	case escalation.ActionReportBack:
		return by("qhlaw1", escalation.ReportBack{}, next)
	case escalation.ActionVerify:
		return by("gw2", escalation.Verify{Passed: true}, next)
	case escalation.ActionRework:
		return by("gw2", escalation.Verify{Reason: "still there"}, next)
	case escalation.ActionClose:
		return by("qhdisp", escalation.Close{}, next)
	case escalation.ActionPark:
		return by("qhdisp", escalation.Park{Reason: "owner unknown"}, next)
	case escalation.ActionResume:
		return by("qhdisp", escalation.Resume{}, next)
	case escalation.ActionSupervise:
		return by("qhinsp", escalation.Supervise{Reason: "spot check"}, next)
	case escalation.ActionReclassify:
		return by("qhdisp", escalation.Reclassify{Complexity: escalation.Complex, Reason: "two departments involved"}, next)
	case escalation.ActionWarn:
		cmd := escalation.Warn{Step: escalation.StepFile}
		at := next
		for _, tm := range p.Timeline(c, env(tb, system)).Running() {
			cmd = escalation.Warn{Step: tm.Step, Cycle: tm.Cycle}
			if !tm.Deadline.IsZero() {
				at = tm.Deadline.Add(-time.Minute)
			}
			break
		}
		return cmd, step{system, cmd, at}, p
	case escalation.ActionEscalate:
		cmd := escalation.Escalate{To: nextLevel(p, c)}
		return cmd, step{system, cmd, later}, p
	case escalation.ActionWhistle:
		return by("zpdir", escalation.BlowWhistle{Type: escalation.WhistleRoutine, Reason: "needs help"}, next)
	case escalation.ActionSummon:
		return by("qhhead", escalation.Summon{Units: []hierarchy.UnitID{deptWat}}, next)
	case escalation.ActionReportIn:
		return by("um1", escalation.ReportIn{}, next)
	case escalation.ActionConcludeWhistle:
		return by("qhhead", escalation.ConcludeWhistle{Resolved: true, Outcome: "solved together"}, next)
	case escalation.ActionEscalateWhistle:
		cmd := escalation.EscalateWhistle{Whistle: 1}
		return cmd, step{system, cmd, later}, p
	case escalation.ActionComplain:
		return by("qhdisp", escalation.Complain{FollowUp: "C-follow", Reason: "the stall is back"}, next)
	case escalation.ActionRebase:
		cmd := escalation.Rebase{Version: p2.Version, Reason: "new limits"}
		return cmd, step{act("qhdisp"), cmd, next}, p2
	}
	tb.Fatalf("no representative command for %s", a)
	return nil, step{}, nil
}

func nextLevel(p *escalation.Policy, c escalation.Case) hierarchy.Level {
	i := slices.Index(p.Escalation.Levels, c.Level)
	if i+1 < len(p.Escalation.Levels) {
		return p.Escalation.Levels[i+1]
	}
	return p.Escalation.Levels[0]
}

// guarded are the legal (state, action) pairs where the representative command is
// refused by a guard after the table let it through, with the rule and why.
var guarded = map[string]struct{ rule, reason string }{
	"parked/escalate": {"escalate.not-due", "a parked case's clock stood still since before its deadline"},
}

// TestApply_Transitions applies a representative command for every (state, action)
// pair: allowed pairs move the case as the table says (or hit the guard listed in
// guarded), every other pair is refused by rule state.transition and changes nothing.
func TestApply_Transitions(t *testing.T) {
	p := policy()
	p2 := policy()
	p2.Version = "qinhuai-2026"
	for _, r := range rules {
		for _, s := range escalation.States() {
			legal := slices.Contains(r.from, s)
			name := fmt.Sprintf("%s/%s", s, r.action)
			if s == "" {
				name = "new/" + string(r.action)
			}
			t.Run(name, func(t *testing.T) {
				whistle := r.action == escalation.ActionSummon || r.action == escalation.ActionReportIn ||
					r.action == escalation.ActionConcludeWhistle || r.action == escalation.ActionEscalateWhistle
				c, last := caseIn(t, &p, s, whistle)
				before := c.Clone()
				cmd, st, pol := command(t, &p, &p2, c, last, r.action)
				got, events, err := pol.Apply(c, cmd, st.at, env(t, st.who))
				if diff := cmp.Diff(before, c, caseOpts); diff != "" {
					t.Fatalf("Apply modified its input (-before +after):\n%s", diff)
				}
				if !legal {
					if !errors.Is(err, gridgov.ErrPrecondition) || gridgov.RuleOf(err) != "state.transition" {
						t.Fatalf("Apply(%s in %q) = %v, want rule state.transition: %s", r.action, s, err, r.illegal)
					}
					return
				}
				if g, ok := guarded[name]; ok {
					if gridgov.RuleOf(err) != g.rule {
						t.Fatalf("Apply(%s in %q) = %v, want the guard %s: %s", r.action, s, err, g.rule, g.reason)
					}
					return
				}
				if err != nil {
					t.Fatalf("Apply(%s in %q) = %v, want it allowed: %s", r.action, s, err, r.legal)
				}
				want := r.to
				switch want {
				case same:
					want = s
				case escalation.BeforeParking:
					want = c.ParkedFrom
				}
				if got.State != want {
					t.Errorf("Apply(%s in %q) left the case %q, want %q: %s", r.action, s, got.State, want, r.legal)
				}
				if len(events) == 0 || events[0].Action != r.action || events[0].From != s {
					t.Errorf("Apply(%s in %q) events = %+v, want the first to record %s from %q", r.action, s, events, r.action, s)
				}
				if len(got.History) != len(c.History)+len(events) {
					t.Errorf("history grew by %d, want %d", len(got.History)-len(c.History), len(events))
				}
			})
		}
	}
}
