package policytest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/profile"
)

// ExportOptions are the options of [ExportCase]; nil means the defaults.
type ExportOptions struct {
	// Dir is the directory the history will be read from, which the world's Tree is
	// relative to. Default: the current directory.
	Dir string
}

// ExportCase writes one case of a running system's store ([escalation.Service.Get]
// returns it whole) to a history as a run of its own: a world line (world gives the
// register, units and posts the embedding system's tree was built from; its scenario
// defaults to "case " and the ID) and one command line per command of its history,
// each with the decision recording made.
//
// Each event becomes the command that made it: a report (with the routing it decided
// directly), file, dispatch (routed again on replay when the table chose its unit,
// [escalation.Event].Routed), accept, return, report-back, verify and rework, close,
// void, whistle, the summons of one command together, report-in; the scheduler's
// warnings and escalations at one instant become one run_due. A case with an event
// no scenario command makes (park, resume, supervise, assist, complain, reclassify,
// conclude-whistle, rebase, a follow-up) is refused, naming the event: replaying it
// without that command would report differences that are none.
//
// The decisions are not copied from the stored case but decided again by recording —
// the profile whose escalation version the case was filed under — from the same
// commands, and checked against the stored history: a command refused on the way, or
// a state, level or owner after it other than the stored one, is an error naming
// the event. So an exported history records what its profile decides, and a replay
// under a changed profile compares like with like.
func ExportCase(hw *HistoryWriter, world HistoryWorld, c escalation.Case, recording *profile.Profile, opts *ExportOptions) error {
	var o ExportOptions
	if opts != nil {
		o = *opts
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("policytest: export case %s: %s: %w", c.ID, fmt.Sprintf(format, args...), gridgov.ErrInvalid)
	}
	switch {
	case recording == nil:
		return fail("no recording profile")
	case !c.Complete():
		return fail("the case is partial (a head with the events of one command): read it whole with Service.Get")
	case len(c.History) == 0:
		return fail("the case has no history")
	case c.PolicyVersion != recording.Escalation.Version:
		return fail("filed under policy %q, not under the recording profile's %q", c.PolicyVersion, recording.Escalation.Version)
	case world.Tree == "":
		return fail("the world names no division register (tree)")
	}
	steps, wants, err := caseSteps(c)
	if err != nil {
		return err
	}
	dir, err := filepath.Abs(cmpOr(o.Dir, "."))
	if err != nil {
		return fmt.Errorf("policytest: export case %s: %w", c.ID, err)
	}
	tree := resolve(dir, world.Tree)
	reg, err := os.ReadFile(tree)
	if err != nil {
		return fmt.Errorf("policytest: export case %s: world.tree: %w", c.ID, err)
	}
	sum := sha256.Sum256(reg)
	world.TreeSHA256 = hex.EncodeToString(sum[:])
	world.Scenario = cmpOr(world.Scenario, "case "+string(c.ID))
	world.Fingerprint, world.Policy = recording.Fingerprint(), recording.Escalation.Version
	if world.Profile == "" {
		world.Profile = recording.Name
	}
	f := &File{Path: "case " + string(c.ID), Given: Given{Tree: tree, Units: world.Units, Posts: world.Posts}}
	w, err := newWorld(f, map[string]*loadedProfile{}, recording)
	if err != nil {
		return err
	}
	sc := &Scenario{Name: world.Scenario, When: steps}
	var outs []Outcome
	if err := w.run(sc, &Report{Passes: map[string]int{}}, newCoverage(), &outs); err != nil {
		return err
	}
	for i, oc := range outs {
		want := wants[i]
		got := oc.Values
		if got["refused_by"] != "(accepted)" && got["refused_by"] != "" {
			return fail("event %d (%s at %s) is refused by %s when decided again under %s", want.seq, want.action, formatTime(steps[i].At), got["refused_by"], recording.Name)
		}
		for _, k := range []string{"state", "level", "owner"} {
			if v, ok := got[k]; ok && v != want.values[k] {
				return fail("after event %d (%s) the stored case has %s %q, decided again under %s %q: the history does not come from this profile",
					want.seq, want.action, k, want.values[k], recording.Name, v)
			}
		}
	}
	var buf bytes.Buffer
	out := NewHistoryWriter(&buf)
	out.World(world)
	for i, oc := range outs {
		st := steps[i]
		if oc.Action != "report" {
			st.Case = string(c.ID)
		}
		if err := out.Command(HistoryCommand{Step: st, Person: oc.person, Decision: oc.Values, Policy: c.PolicyVersion, Profile: world.Fingerprint}); err != nil {
			return err
		}
	}
	if out.err != nil {
		return out.err
	}
	if hw.err != nil {
		return hw.err
	}
	if _, err := hw.w.Write(buf.Bytes()); err != nil {
		hw.err = fmt.Errorf("policytest: history: %w", err)
	}
	return hw.err
}

// stored is what the stored history says a command came to.
type stored struct {
	seq    int
	action escalation.Action
	values map[string]string // state, level, owner after the command
}

// caseSteps turns a case's events into the commands that made them.
func caseSteps(c escalation.Case) ([]Step, []stored, error) {
	var steps []Step
	var wants []stored
	state, level, owner := escalation.State(""), hierarchy.Level(""), hierarchy.UnitID("")
	h := c.History
	for i := 0; i < len(h); {
		e := h[i]
		st := Step{At: e.At, As: string(e.Actor.Post)}
		bad := func(why string) ([]Step, []stored, error) {
			return nil, nil, fmt.Errorf("policytest: export case %s: event %d (%s at %s): %s: %w", c.ID, e.Seq, e.Action, formatTime(e.At), why, gridgov.ErrInvalid)
		}
		system := e.Actor == (hierarchy.Actor{})
		// The events one command made: this one and those after it at the same instant
		// by the same actor or by the system (direct routing, the escalation a whistle
		// raises). A scheduler run at the very instant of a command merges into it; the
		// check of the level after it then refuses the export rather than hide it.
		j := i + 1
		for j < len(h) && h[j].At.Equal(e.At) && (h[j].Actor == e.Actor || h[j].Actor == hierarchy.Actor{}) {
			j++
		}
		group := h[i:j]
		if system {
			for _, g := range group {
				switch g.Action {
				case escalation.ActionWarn, escalation.ActionEscalate, escalation.ActionEscalateWhistle:
				default:
					e = g
					return bad("a system event no scheduler run makes")
				}
			}
			t := true
			st.RunDue, st.As = &t, ""
		} else {
			switch e.Action {
			case escalation.ActionReport:
				if e.Link != "" || c.FollowUpOf != "" {
					return bad("a follow-up case: complaints have no command in a history")
				}
				rs := &ReportSpec{ID: string(c.ID), Source: string(c.Source), Category: e.Category, Complexity: string(e.Complexity),
					Unit: string(e.Unit), Summary: c.Summary, Asset: c.Location.Asset, Road: c.Location.Road}
				if len(group) > 1 && group[1].Action == escalation.ActionSelfHandle {
					rs.SelfHandled = true
				}
				st.Report = rs
			case escalation.ActionFile:
				st.File = &CaseFile{Category: e.Category, Complexity: string(e.Complexity)}
			case escalation.ActionDispatch:
				if e.Routed {
					st.Dispatch = &DispatchSpc{}
				} else {
					st.Dispatch = &DispatchSpc{To: string(e.Unit), Assignee: string(e.Person)}
				}
			case escalation.ActionAccept:
				st.Accept = &NoteSpec{Note: e.Reason}
			case escalation.ActionReturn:
				st.Return = &ReasonSpec{Reason: e.Reason}
			case escalation.ActionReportBack:
				st.ReportBack = &NoteSpec{Note: e.Reason}
			case escalation.ActionVerify:
				st.Verify = &VerifySpec{Passed: true, Reason: e.Reason}
			case escalation.ActionRework:
				st.Verify = &VerifySpec{Passed: false, Reason: e.Reason}
			case escalation.ActionClose:
				st.Close = &NoteSpec{Note: e.Reason}
			case escalation.ActionVoid:
				st.Void = &ReasonSpec{Reason: e.Reason}
			case escalation.ActionWhistle:
				if e.Whistle < 1 || e.Whistle > len(c.Whistles) {
					return bad("a whistle the case does not hold")
				}
				st.Whistle = &WhistleSpec{Type: string(c.Whistles[e.Whistle-1].Type), Reason: e.Reason}
			case escalation.ActionSummon:
				s := &SummonSpec{}
				for _, g := range group {
					if g.Action != escalation.ActionSummon {
						continue
					}
					if g.Unit != "" {
						s.Units = append(s.Units, string(g.Unit))
					}
					if g.Person != "" {
						s.Leaders = append(s.Leaders, string(g.Person))
					}
				}
				st.Summon = s
			case escalation.ActionReportIn:
				st.ReportIn = &NoteSpec{Note: e.Reason}
			default:
				return bad("no command of a history makes this event")
			}
		}
		for _, g := range group {
			if g.To != "" {
				state = g.To
			}
			switch g.Action {
			case escalation.ActionReport, escalation.ActionEscalate:
				if g.Level != "" {
					level = g.Level
				}
			case escalation.ActionDispatch:
				owner = g.Unit
			case escalation.ActionReturn:
				owner = ""
			case escalation.ActionRebase, escalation.ActionComplain, escalation.ActionPark, escalation.ActionResume,
				escalation.ActionSupervise, escalation.ActionAssist, escalation.ActionReclassify, escalation.ActionConcludeWhistle:
				e = g
				return bad("no command of a history makes this event")
			}
		}
		steps = append(steps, st)
		wants = append(wants, stored{seq: e.Seq, action: e.Action, values: map[string]string{"state": string(state), "level": string(level), "owner": string(owner)}})
		i = j
	}
	return steps, wants, nil
}
