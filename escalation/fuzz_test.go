package escalation_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

// fuzzCommands is the vocabulary of the fuzz test: byte b picks fuzzCommands[b%len].
var fuzzCommands = []escalation.Command{
	report("F"),                                           // 0
	escalation.File{},                                     // 1
	escalation.Void{Reason: "invalid"},                    // 2
	escalation.SelfHandle{},                               // 3
	escalation.Dispatch{},                                 // 4
	escalation.Dispatch{To: deptUM},                       // 5
	escalation.Accept{},                                   // 6
	escalation.Return{Reason: "not ours"},                 // 7
	escalation.Assist{Units: []hierarchy.UnitID{deptWat}}, // 8
	escalation.ReportBack{},                               // 9
	escalation.Verify{Passed: true},                       // 10
	escalation.Verify{Reason: "not fixed"},                // 11
	escalation.Close{},                                    // 12
	escalation.Park{Reason: "waiting"},                    // 13
	escalation.Resume{},                                   // 14
	escalation.Supervise{Reason: "check"},                 // 15
	escalation.Reclassify{Complexity: escalation.Complex, Reason: "harder"},  // 16
	escalation.Reclassify{Complexity: escalation.Ordinary, Reason: "easier"}, // 17
	escalation.BlowWhistle{Type: escalation.WhistleRoutine, Reason: "help"},  // 18
	escalation.BlowWhistle{Type: escalation.WhistleEmergency, Reason: "now"}, // 19
	escalation.Summon{Units: []hierarchy.UnitID{deptUM}},                     // 20
	escalation.ReportIn{}, // 21
	escalation.ConcludeWhistle{Resolved: true, Outcome: "solved"}, // 22
	escalation.ConcludeWhistle{Outcome: "stuck"},                  // 23
	escalation.Complain{FollowUp: "F-2", Reason: "back again"},    // 24
	escalation.Escalate{To: hierarchy.LevelCommunity},             // 25
	nil, // 26: run the scheduler: apply everything DueFor lists
}

// fuzzActors: byte b picks fuzzActors[b%len]; the zero actor is the system.
var fuzzActors = []hierarchy.Actor{
	act("gw1"), act("gw2"), act("qhdisp"), act("qhdisp2"), act("qhlaw1"), act("um1"), act("zpdir"),
	act("qhhead"), act("ddir"), act("ddisp"), act("fzdisp"), act("wat1"), act("lead1"), system,
}

// FuzzApply drives a case with random commands by random actors at random times and
// checks, after every command, the invariants of the closed loop: every recorded
// transition is in the state table; the history only grows and keeps its prefix; the
// input is never modified; the level never goes down; closed and voided cases stay
// what they are; a refused command is a *gridgov.Error naming its rule.
//
// Each input byte triple is (command, actor, minutes to wait / 4).
func FuzzApply(f *testing.F) {
	// The whole closed loop by the right people: report, file, dispatch, accept,
	// report back, verify, close.
	f.Add([]byte{0, 0, 1, 1, 2, 2, 4, 2, 3, 6, 4, 3, 9, 4, 3, 10, 1, 3, 12, 2, 3})
	// A wrong dispatch returned, a failed verification and a rework.
	f.Add([]byte{0, 0, 1, 1, 2, 2, 5, 2, 3, 7, 5, 3, 4, 2, 3, 6, 4, 3, 9, 4, 3, 11, 1, 3, 9, 4, 3, 10, 1, 3, 12, 3, 3})
	// Parked and resumed, with the scheduler running long after the deadline.
	f.Add([]byte{0, 0, 1, 1, 2, 2, 4, 2, 3, 6, 4, 3, 13, 2, 200, 26, 13, 250, 14, 2, 3, 26, 13, 255, 26, 13, 255})
	// A whistle, a summons, a report-in, an unresolved conclusion going up.
	f.Add([]byte{0, 0, 1, 1, 2, 2, 4, 2, 3, 18, 6, 3, 20, 7, 3, 21, 5, 3, 23, 7, 3, 22, 8, 3})
	// Self-handling by the finder, then a complaint on the closed case.
	f.Add([]byte{0, 0, 1, 3, 0, 2, 24, 2, 3, 14, 2, 3})
	// Commands in the wrong state and by the wrong people.
	f.Add([]byte{12, 2, 1, 0, 5, 1, 10, 0, 1, 1, 0, 1, 6, 0, 1, 25, 2, 1, 25, 13, 1})
	// Found by fuzzing: a step passed its warning point, the case was parked before the
	// scheduler ran, and DueFor listed a warning the parked state refused.
	f.Add([]byte("\x30\x30\xc3\x30\x30\x30\x30\x30\x0f\x30\x30\x20\x30\x30\x43\x30\x30\x87\x30\x30\x30\x30\x30\x78\x30\x30\x30\xbd\x30\xc5\x37\x30\x58\x30\x30\xfc\x30\x30\xdf\x30\x30\x78\x30\x30\x61\x20\x30\xb4\x30\x30\xa7\x30\x30\xe2\x30\x30\x9e\x30\x30\x78\x30\x30\x41\x30\x30\x61\x43\x30\xe1\x35\x30\x30"))
	cal := calendar.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := policy()
		e := env(t, system)
		e.Calendar = cal
		var c escalation.Case
		now := t0
		for i := 0; i+2 < len(data) && i < 3*64; i += 3 {
			now = now.Add(time.Duration(data[i+2]) * 4 * time.Minute)
			cmd := fuzzCommands[int(data[i])%len(fuzzCommands)]
			if cmd == nil {
				for _, d := range p.DueFor(c, now, escalation.Env{Calendar: cal}) {
					c = check(t, &p, c, d.Command, system, now, e, true)
				}
				continue
			}
			c = check(t, &p, c, cmd, fuzzActors[int(data[i+1])%len(fuzzActors)], now, e, false)
		}
	})
}

// check applies cmd and verifies the invariants; it returns the case to continue with.
func check(t *testing.T, p *escalation.Policy, c escalation.Case, cmd escalation.Command, who hierarchy.Actor, now time.Time, e escalation.Env, mustPass bool) escalation.Case {
	t.Helper()
	before := c.Clone()
	e.Actor = who
	got, events, err := p.Apply(c, cmd, now, e)
	if diff := cmp.Diff(before, c, caseOpts); diff != "" {
		t.Fatalf("Apply(%T) modified its input (-before +after):\n%s", cmd, diff)
	}
	if err != nil {
		var ge *gridgov.Error
		if !errors.As(err, &ge) || ge.Rule == "" {
			t.Fatalf("Apply(%T) = %v, want a *gridgov.Error naming a rule", cmd, err)
		}
		if mustPass {
			t.Fatalf("Apply(%T) listed by DueFor = %v", cmd, err)
		}
		return c
	}
	if c.State.Final() && got.State != c.State {
		t.Fatalf("a %s case became %s by %T", c.State, got.State, cmd)
	}
	if len(got.History) != len(c.History)+len(events) || len(events) == 0 {
		t.Fatalf("history grew from %d to %d with %d events", len(c.History), len(got.History), len(events))
	}
	if diff := cmp.Diff(c.History, got.History[:len(c.History)], cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("history prefix changed (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(events, got.History[len(c.History):]); diff != "" {
		t.Fatalf("returned events are not the history's tail (-events +tail):\n%s", diff)
	}
	state := c.State
	for i, ev := range events {
		if ev.Seq != len(c.History)+i+1 || ev.From != state {
			t.Fatalf("event %+v: want seq %d from %q", ev, len(c.History)+i+1, state)
		}
		to, ok := escalation.Next(ev.From, ev.Action)
		if !ok {
			t.Fatalf("event %+v: %s is not allowed in %q by the state table", ev, ev.Action, ev.From)
		}
		if to != escalation.BeforeParking && to != ev.To {
			t.Fatalf("event %+v: the table says %q", ev, to)
		}
		state = ev.To
	}
	if state != got.State {
		t.Fatalf("events end in %q, case is %q", state, got.State)
	}
	levels := p.Escalation.Levels
	if c.State != "" && slices.Index(levels, got.Level) < slices.Index(levels, c.Level) {
		t.Fatalf("level went down from %s to %s", c.Level, got.Level)
	}
	// The cached NextCheck is exactly when DueFor first lists something.
	if next := got.NextCheck; !next.IsZero() {
		if len(p.DueFor(got, next, e)) == 0 || len(p.DueFor(got, next.Add(-time.Nanosecond), e)) != 0 {
			t.Fatalf("NextCheck %s does not mark when DueFor first lists something", next)
		}
	} else if ds := p.DueFor(got, now.AddDate(10, 0, 0), e); len(ds) != 0 {
		t.Fatalf("NextCheck is zero but DueFor lists %+v ten years on", ds)
	}
	if tl := p.Timeline(got, e); got.State != "" && levels[tl.Level] != got.Level {
		t.Fatalf("Timeline level %s, case level %s", levels[tl.Level], got.Level)
	}
	return got
}
