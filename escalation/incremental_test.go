package escalation_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

// FuzzIncrementalFold is the property that deadlines stay a pure function of the
// history: a service on memstore decides every command on the stored head, folding only
// the command's events from the head's fold state, and after every command its
// Deadline, NextCheck, running timers and due list must equal those recomputed from
// scratch over the whole history read back, and those of the same commands applied by
// [escalation.Policy.Apply] to the whole case in memory. Byte triples are (command,
// actor, minutes / 4) over the FuzzApply vocabulary; a command byte of 27 rebases the
// case onto a second policy version (the fallback that re-reads the history).
func FuzzIncrementalFold(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 2, 3, 6, 4, 3, 9, 4, 3, 10, 1, 3, 12, 2, 3})
	f.Add([]byte{1, 2, 3, 5, 2, 3, 7, 5, 3, 4, 2, 3, 6, 4, 3, 9, 4, 3, 11, 1, 3, 9, 4, 3, 10, 1, 3, 12, 3, 3})
	f.Add([]byte{1, 2, 2, 4, 2, 3, 6, 4, 3, 13, 2, 200, 26, 13, 250, 14, 2, 3, 26, 13, 255, 26, 13, 255, 15, 12, 9})
	f.Add([]byte{1, 2, 2, 4, 2, 3, 18, 6, 3, 20, 7, 3, 21, 5, 3, 23, 7, 3, 22, 8, 3, 26, 0, 255})
	f.Add([]byte{1, 2, 2, 4, 2, 3, 27, 2, 3, 6, 4, 200, 26, 0, 255, 13, 2, 10, 27, 2, 3, 14, 2, 90, 26, 0, 255})
	f.Add([]byte{1, 2, 2, 16, 2, 3, 4, 2, 3, 17, 2, 3, 6, 4, 3, 25, 13, 3, 26, 0, 255, 26, 0, 255, 9, 4, 3, 11, 1, 3, 26, 0, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, b := range []struct {
			name    string
			backend store.Backend
		}{
			{"appender", memstore.New()},
			{"appender-copying", appenderOnly{memstore.New()}},
			{"one-document", backendOnly{memstore.New()}},
		} {
			t.Run(b.name, func(t *testing.T) { incrementalFold(t, b.backend, data) })
		}
	})
}

// backendOnly hides every optional interface of a backend: store.Log then keeps a
// case's head and events in one document.
type backendOnly struct{ store.Backend }

// appenderOnly hides memstore's store.Handoff: store.Log then hands copies to a
// backend that copies again, as a SQL backend does.
type appenderOnly struct{ store.Appender }

func incrementalFold(t *testing.T, b store.Backend, data []byte) {
	ctx := context.Background()
	ps, err := escalation.NewPolicySet(policy())
	if err != nil {
		t.Fatal(err)
	}
	clock := gridgov.NewManualClock(t0)
	s, err := escalation.NewService(b, ps, tree(t), calendar.Default(), &escalation.ServiceOptions{
		Clock: clock, IDs: gridgov.NewSeededIDGenerator(7), Beats: beats,
	})
	if err != nil {
		t.Fatal(err)
	}
	p := policy()
	v2 := policy()
	v2.Version = "qinhuai-2026"
	v2.Deadlines[3].Limit = escalation.WorkingDaysLimit(2)
	model := &p
	e := env(t, system)
	full, _, err := p.Apply(escalation.Case{}, report("P"), t0, env(t, act("gw1")))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Report(ctx, act("gw1"), report("P")); err != nil {
		t.Fatal(err)
	}
	now := t0
	apply := func(cmd escalation.Command, who int) {
		t.Helper()
		actor := fuzzActors[who%len(fuzzActors)]
		pol := model
		if _, ok := cmd.(escalation.Rebase); ok {
			pol = &v2
		}
		e.Actor = actor
		want, _, werr := pol.Apply(full, cmd, now, e)
		_, _, gerr := s.Do(ctx, "P", actor, cmd)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%T by %s: in memory %v, through the service %v", cmd, actor.Person, werr, gerr)
		}
		if werr == nil {
			full, model = want, pol
		}
	}
	for i := 0; i+2 < len(data) && i < 3*48; i += 3 {
		now = now.Add(time.Duration(data[i+2]) * 4 * time.Minute)
		clock.Set(now)
		switch b := int(data[i]) % (len(fuzzCommands) + 1); {
		case b == len(fuzzCommands):
			_ = s.Publish(v2) // refused, harmlessly, once v2 is registered
			apply(escalation.Rebase{Version: v2.Version, Reason: "new limits"}, 2)
		case fuzzCommands[b] == nil:
			for _, d := range model.DueFor(full, now, e) {
				apply(d.Command, len(fuzzActors)-1)
			}
		case b == 0:
			continue // one report per case
		default:
			apply(fuzzCommands[b], int(data[i+1]))
		}
		compareIncremental(t, s, model, full, now, e)
	}
}

func compareIncremental(t *testing.T, s *escalation.Service, p *escalation.Policy, full escalation.Case, now time.Time, e escalation.Env) {
	t.Helper()
	ctx := context.Background()
	head, err := s.Head(ctx, "P")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Get(ctx, "P")
	if err != nil {
		t.Fatal(err)
	}
	if head.Complete() || !stored.Complete() || len(stored.History) != len(full.History) {
		t.Fatalf("head complete %v, stored complete %v with %d events, want partial, complete, %d", head.Complete(), stored.Complete(), len(stored.History), len(full.History))
	}
	if diff := cmp.Diff(full.History, stored.History, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("stored history (-memory +stored):\n%s", diff)
	}
	scratch := p.Refresh(stored, e)
	type derived struct {
		State                                escalation.State
		Deadline, NextCheck                  time.Time
		DeadlineProvisional, DeadlineRefused bool
	}
	of := func(c escalation.Case) derived {
		return derived{c.State, c.Deadline, c.NextCheck, c.DeadlineProvisional, c.DeadlineRefused}
	}
	if diff := cmp.Diff(of(scratch), of(head)); diff != "" {
		t.Fatalf("incremental deadlines differ from a fold from scratch (-scratch +head):\n%s", diff)
	}
	if diff := cmp.Diff(of(full), of(head)); diff != "" {
		t.Fatalf("incremental deadlines differ from Apply on the whole case (-memory +head):\n%s", diff)
	}
	timers := cmpopts.IgnoreUnexported(escalation.Timer{}, escalation.Timeline{})
	if diff := cmp.Diff(p.Timeline(stored, e).Running(), p.Timeline(head, e).Running(), timers, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("running timers (-scratch +head):\n%s", diff)
	}
	if a, b := p.Timeline(stored, e).Level, p.Timeline(head, e).Level; a != b {
		t.Fatalf("timeline level %d from scratch, %d from the head", a, b)
	}
	for _, later := range []time.Duration{0, time.Hour, 72 * time.Hour, 30 * 24 * time.Hour} {
		at := now.Add(later)
		if diff := cmp.Diff(p.DueFor(stored, at, e), p.DueFor(head, at, e), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("due at +%s (-scratch +head):\n%s", later, diff)
		}
	}
}
