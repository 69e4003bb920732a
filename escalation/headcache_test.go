package escalation_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

const casesColl = "escalation.cases"

func serviceOn(t *testing.T, b store.Backend, clock gridgov.Clock, cache int) *escalation.Service {
	t.Helper()
	ps, err := escalation.NewPolicySet(policy())
	require.NoError(t, err)
	s, err := escalation.NewService(b, ps, tree(t), calendar.Default(), &escalation.ServiceOptions{
		Clock: clock, Beats: beats, HeadCache: cache})
	require.NoError(t, err)
	return s
}

// drive runs steps [from, to) of the closed loop of case id through s.
func drive(t *testing.T, s *escalation.Service, clock *gridgov.ManualClock, id escalation.CaseID, from, to int) {
	t.Helper()
	for i, st := range loop(id, t0)[from:to] {
		clock.Set(st.at)
		var err error
		if from+i == 0 {
			_, _, err = s.Report(t.Context(), st.who, st.cmd.(escalation.Report))
		} else {
			_, _, err = s.Do(t.Context(), id, st.who, st.cmd)
		}
		require.NoError(t, err, "step %d", from+i)
	}
}

// TestHeadCache_RecreatedAtSameVersion is the case a cache keyed by version alone would
// get wrong: the case is deleted behind the service's back and created again, with
// other content, until it reaches the version the service cached. The next command
// must decide on the stored case, not on the cached one.
func TestHeadCache_RecreatedAtSameVersion(t *testing.T) {
	ctx := t.Context()
	b := memstore.New()
	clock := gridgov.NewManualClock(t0)
	s := serviceOn(t, b, clock, 0)
	drive(t, s, clock, "R-1", 0, 2) // reported, filed: version 2 cached as filed
	require.NoError(t, b.Delete(ctx, casesColl, "R-1", 2))

	other := serviceOn(t, b, clock, 0)
	r := report("R-1")
	r.Summary = "井盖缺失"
	clock.Set(t0)
	_, _, err := other.Report(ctx, act("gw1"), r) // version 1, reported
	require.NoError(t, err)
	doc, err := b.Get(ctx, casesColl, "R-1")
	require.NoError(t, err)
	_, err = b.Put(ctx, doc, 1) // version 2, still reported, other bytes than the cached head
	require.NoError(t, err)

	// On the cached head (filed) File would be refused; on the stored one it is allowed.
	clock.Set(t0.Add(time.Hour))
	got, _, err := s.Do(ctx, "R-1", act("qhdisp"), escalation.File{})
	require.NoError(t, err, "File on the re-created case")
	if got.Summary != "井盖缺失" || got.State != escalation.Filed {
		t.Fatalf("decided on %q in state %s, want the re-created case filed", got.Summary, got.State)
	}
}

// TestHeadCache_OtherWriter: a case moved on by another service (another process on the
// same database) is read afresh: the first service's stale entry only costs a miss.
func TestHeadCache_OtherWriter(t *testing.T) {
	b := memstore.New()
	clock := gridgov.NewManualClock(t0)
	s1, s2 := serviceOn(t, b, clock, 0), serviceOn(t, b, clock, 0)
	drive(t, s1, clock, "O-1", 0, 3) // s1 caches the dispatched case
	drive(t, s2, clock, "O-1", 3, 5) // s2 accepts and reports back
	drive(t, s1, clock, "O-1", 5, 7) // s1 verifies and closes: needs s2's handled state
	got, err := s1.Get(t.Context(), "O-1")
	require.NoError(t, err)
	if got.State != escalation.Closed || len(got.History) != 7 {
		t.Fatalf("case is %s with %d events, want closed with 7", got.State, len(got.History))
	}
}

// TestHeadCache_SameDecisions runs the same commands with and without the cache, on
// cases a caller tampers with between commands (which Case asks callers not to do): the
// stored cases must be identical, byte for byte.
func TestHeadCache_SameDecisions(t *testing.T) {
	ctx := t.Context()
	run := func(cache int) (*memstore.Store, []escalation.Case) {
		b := memstore.New()
		clock := gridgov.NewManualClock(t0)
		s := serviceOn(t, b, clock, cache)
		var out []escalation.Case
		for _, id := range []escalation.CaseID{"S-1", "S-2"} {
			for i, st := range loop(id, t0) {
				clock.Set(st.at)
				var c escalation.Case
				var err error
				if i == 0 {
					c, _, err = s.Report(ctx, st.who, st.cmd.(escalation.Report))
				} else {
					c, _, err = s.Do(ctx, id, st.who, st.cmd)
				}
				require.NoError(t, err)
				for j := range c.Handlers {
					c.Handlers[j] = "tampered"
				}
				c.Location.Unit = "tampered"
			}
			got, err := s.Get(ctx, id)
			require.NoError(t, err)
			out = append(out, got)
		}
		return b, out
	}
	bc, with := run(0)
	bn, without := run(-1)
	if diff := cmp.Diff(without, with, caseOpts); diff != "" {
		t.Fatalf("cases with the cache differ (-without +with):\n%s", diff)
	}
	for _, id := range []string{"S-1", "S-2"} {
		a, err := bc.Get(ctx, casesColl, id)
		require.NoError(t, err)
		n, err := bn.Get(ctx, casesColl, id)
		require.NoError(t, err)
		if string(a.Data) != string(n.Data) {
			t.Fatalf("stored head of %s differs:\nwith    %s\nwithout %s", id, a.Data, n.Data)
		}
		if with[0].Handlers[0] == "tampered" {
			t.Fatal("a caller's change reached the stored case")
		}
	}
}

// TestHeadCache_StoredByEarlierVersion continues a case whose head and events were
// written by the previous version of the service (encoding/json throughout; the file
// re-indents them for reading) and checks it ends as the same case driven from scratch.
func TestHeadCache_StoredByEarlierVersion(t *testing.T) {
	ctx := t.Context()
	raw, err := os.ReadFile("testdata/head-v1.json")
	require.NoError(t, err)
	var doc struct {
		Head   json.RawMessage   `json:"head"`
		Events []json.RawMessage `json:"events"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	evs := make([][]byte, len(doc.Events))
	for i, e := range doc.Events {
		evs[i] = e
	}
	b := memstore.New()
	_, _, err = b.Append(ctx, store.Document{Collection: casesColl, ID: "OLD-1", Data: doc.Head,
		Index: map[string][]string{escalation.IndexOpen: {"1"}}}, 0, evs)
	require.NoError(t, err)
	clock := gridgov.NewManualClock(t0)
	s := serviceOn(t, b, clock, 0)
	drive(t, s, clock, "OLD-1", 4, 7)

	fb := memstore.New()
	fresh := serviceOn(t, fb, clock, 0)
	drive(t, fresh, clock, "OLD-1", 0, 7)
	got, err := s.Get(ctx, "OLD-1")
	require.NoError(t, err)
	want, err := fresh.Get(ctx, "OLD-1")
	require.NoError(t, err)
	// The old document predates Event.Routed, so its events lack the mark a fresh
	// dispatch carries; every event written after it must match exactly.
	old := cmpopts.IgnoreFields(escalation.Event{}, "Routed")
	if diff := cmp.Diff(want, got, caseOpts, old); diff != "" {
		t.Fatalf("case continued from an old document (-fresh +continued):\n%s", diff)
	}
	if diff := cmp.Diff(want.History[len(doc.Events):], got.History[len(doc.Events):]); diff != "" {
		t.Fatalf("events written after the old document differ (-fresh +continued):\n%s", diff)
	}
	if got.State != escalation.Closed {
		t.Fatalf("state %s, want closed", got.State)
	}
}
