package escalation_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

// newService returns a service over a fresh memstore with the fixture's policy, a
// manual clock at start and seeded IDs.
func newService(tb testing.TB, start time.Time, retries int) (*escalation.Service, *gridgov.ManualClock) {
	tb.Helper()
	ps, err := escalation.NewPolicySet(policy())
	require.NoError(tb, err)
	clock := gridgov.NewManualClock(start)
	s, err := escalation.NewService(memstore.New(), ps, tree(tb), calendar.Default(), &escalation.ServiceOptions{
		Clock: clock, IDs: gridgov.NewSeededIDGenerator(7), Beats: beats, MaxRetries: retries,
	})
	require.NoError(tb, err)
	return s, clock
}

func TestService_Loop(t *testing.T) {
	ctx := t.Context()
	s, clock := newService(t, t0, 0)
	r := report("")
	c, events, err := s.Report(ctx, act("gw1"), r)
	require.NoError(t, err)
	if c.ID == "" || len(events) != 1 || c.PolicyVersion != policy().Version {
		t.Fatalf("Report() = %+v, %v; want a new ID, one event, the current policy", c, events)
	}
	id := c.ID
	for _, st := range loop(id, t0)[1:] {
		clock.Set(st.at)
		if _, _, err := s.Do(ctx, id, st.who, st.cmd); err != nil {
			t.Fatalf("Do(%T by %s) = %v", st.cmd, st.who.Person, err)
		}
	}
	got, err := s.Get(ctx, id)
	require.NoError(t, err)
	if got.State != escalation.Closed || len(got.History) != 7 {
		t.Errorf("Get() = state %s with %d events, want closed with 7", got.State, len(got.History))
	}

	// A second, open case in another street.
	clock.Set(t0.Add(8 * time.Hour))
	other, _, err := s.Report(ctx, act("gw3"), escalation.Report{Source: escalation.SourcePatrol, Category: "E05", Location: escalation.Location{Unit: grid4}})
	require.NoError(t, err)
	for _, tt := range []struct {
		q      escalation.Query
		want   []escalation.CaseID
		reason string
	}{
		{escalation.Query{Unit: qinhong}, []escalation.CaseID{id}, "the street's subtree holds the first case"},
		{escalation.Query{Unit: district}, sortedIDs(id, other.ID), "the district's holds both"},
		{escalation.Query{Owner: qinhongLaw}, []escalation.CaseID{id}, "the bureau owned the first case"},
		{escalation.Query{State: escalation.Reported}, []escalation.CaseID{other.ID}, "only the second is waiting to be filed"},
		{escalation.Query{OpenOnly: true}, []escalation.CaseID{other.ID}, "the first is closed"},
		{escalation.Query{Unit: qinhong, OpenOnly: true}, nil, "nothing open in 秦虹"},
	} {
		cs, err := s.List(ctx, tt.q)
		require.NoError(t, err)
		var ids []escalation.CaseID
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		if diff := cmp.Diff(tt.want, ids); diff != "" {
			t.Errorf("List(%+v) mismatch (-want +got) (%s):\n%s", tt.q, tt.reason, diff)
		}
	}
}

func sortedIDs(ids ...escalation.CaseID) []escalation.CaseID { slices.Sort(ids); return ids }

func TestService_Errors(t *testing.T) {
	ctx := t.Context()
	s, _ := newService(t, t0, 0)
	c, _, err := s.Report(ctx, act("gw1"), report("S-1"))
	require.NoError(t, err)

	if _, _, err := s.Report(ctx, act("gw1"), report("S-1")); !errors.Is(err, gridgov.ErrConflict) {
		t.Errorf("Report(existing ID) = %v, want ErrConflict", err)
	}
	if _, _, err := s.Do(ctx, "missing", act("qhdisp"), escalation.File{}); !errors.Is(err, gridgov.ErrNotFound) {
		t.Errorf("Do(missing) = %v, want ErrNotFound", err)
	}
	if _, _, err := s.Do(ctx, c.ID, act("gw1"), report("S-1")); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Do(Report) = %v, want ErrInvalid", err)
	}
	if _, _, err := s.Do(ctx, c.ID, act("gw1"), escalation.File{}); !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != escalation.RuleRole {
		t.Errorf("Do(File by a grid worker) = %v, want auth.role", err)
	}
	after, err := s.Get(ctx, c.ID)
	require.NoError(t, err)
	if diff := cmp.Diff(c, after, caseOpts); diff != "" {
		t.Errorf("refused commands changed the stored case (-before +after):\n%s", diff)
	}
	if _, err := s.Reevaluate(ctx, c.ID, act("qhdisp"), "qinhuai-2099", "x"); !errors.Is(err, gridgov.ErrNotFound) {
		t.Errorf("Reevaluate(unknown version) = %v, want ErrNotFound", err)
	}
	if _, err := s.Complain(ctx, c.ID, act("qhdisp"), escalation.Report{}, "x"); !errors.Is(err, gridgov.ErrPrecondition) {
		t.Errorf("Complain(open case) = %v, want ErrPrecondition", err)
	}
	if all, _ := s.List(ctx, escalation.Query{}); len(all) != 1 {
		t.Errorf("after the refused complaint the store holds %d cases, want 1", len(all))
	}

	ps, _ := escalation.NewPolicySet(policy())
	if _, err := escalation.NewService(nil, ps, tree(t), calendar.Default(), nil); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("NewService(nil backend) = %v, want ErrInvalid", err)
	}
	bad := policy()
	bad.Routing.EmergencyCentre = "nowhere"
	bps, _ := escalation.NewPolicySet(bad)
	if _, err := escalation.NewService(memstore.New(), bps, tree(t), calendar.Default(), nil); !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != "policy.tree" {
		t.Errorf("NewService(policy naming a unit not in the tree) = %v, want policy.tree", err)
	}
	if err := s.Publish(bad); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Publish(policy naming a unit not in the tree) = %v, want ErrInvalid", err)
	}
}

// TestService_DueAndPolicies runs the scheduler through the service, publishes a new
// policy and moves an old case to it explicitly, and handles a complaint.
func TestService_DueAndPolicies(t *testing.T) {
	ctx := t.Context()
	mon := at(2025, 11, 3, 9, 0)
	s, clock := newService(t, mon, 0)
	c, _, err := s.Report(ctx, act("gw1"), report("L-1"))
	require.NoError(t, err)
	for _, st := range []step{
		{act("qhdisp"), escalation.File{}, mon.Add(10 * time.Minute)},
		{act("qhdisp"), escalation.Dispatch{}, mon.Add(20 * time.Minute)},
		{act("qhlaw1"), escalation.Accept{}, mon.Add(30 * time.Minute)},
	} {
		clock.Set(st.at)
		_, _, err := s.Do(ctx, c.ID, st.who, st.cmd)
		require.NoError(t, err)
	}
	// Thursday 17:30 is the deadline: on Thursday afternoon the case warns, by Friday
	// noon it has risen one level.
	fri := at(2025, 11, 7, 12, 0)
	for _, tt := range []struct {
		now  time.Time
		want []escalation.DueKind
	}{
		{at(2025, 11, 6, 15, 0), []escalation.DueKind{escalation.DueWarn}},
		{fri, []escalation.DueKind{escalation.DueEscalate}},
	} {
		done, err := s.RunDue(ctx, tt.now)
		require.NoError(t, err)
		var kinds []escalation.DueKind
		for _, d := range done {
			kinds = append(kinds, d.Kind)
		}
		if diff := cmp.Diff(tt.want, kinds); diff != "" {
			t.Errorf("RunDue(%s) mismatch (-want +got):\n%s", tt.now, diff)
		}
	}
	again, err := s.RunDue(ctx, fri)
	require.NoError(t, err)
	if len(again) != 0 {
		t.Errorf("RunDue twice at the same time applied %+v, want nothing", again)
	}
	got, _ := s.Get(ctx, c.ID)
	if got.Level != hierarchy.LevelCommunity {
		t.Errorf("Level = %s, want community", got.Level)
	}

	// A new policy applies to new cases; the old case keeps its own until re-evaluated.
	v2 := policy()
	v2.Version = "qinhuai-2026"
	require.NoError(t, s.Publish(v2))
	clock.Set(fri)
	n, _, err := s.Report(ctx, act("gw1"), report("L-2"))
	require.NoError(t, err)
	if n.PolicyVersion != v2.Version {
		t.Errorf("new case filed under %s, want %s", n.PolicyVersion, v2.Version)
	}
	old, _ := s.Get(ctx, c.ID)
	if old.PolicyVersion != policy().Version {
		t.Errorf("old case moved to %s without a re-evaluation", old.PolicyVersion)
	}
	moved, err := s.Reevaluate(ctx, c.ID, act("qhdisp"), v2.Version, "the district adopted the 2026 rules")
	require.NoError(t, err)
	if moved.PolicyVersion != v2.Version {
		t.Errorf("Reevaluate: PolicyVersion = %s, want %s", moved.PolicyVersion, v2.Version)
	}

	// Close the first case, then a resident complains: a linked follow-up opens.
	for _, st := range []step{
		{act("qhlaw1"), escalation.ReportBack{}, fri.Add(time.Hour)},
		{act("gw2"), escalation.Verify{Passed: true}, fri.Add(2 * time.Hour)},
		{act("qhdisp"), escalation.Close{}, fri.Add(3 * time.Hour)},
	} {
		clock.Set(st.at)
		_, _, err := s.Do(ctx, c.ID, st.who, st.cmd)
		require.NoError(t, err)
	}
	clock.Set(fri.AddDate(0, 0, 3))
	f, err := s.Complain(ctx, c.ID, act("qhdisp"), escalation.Report{Source: escalation.SourceHotline, Summary: "the stall is back"}, "resident called 12345")
	require.NoError(t, err)
	closed, _ := s.Get(ctx, c.ID)
	if f.FollowUpOf != c.ID || f.Category != "E05" || closed.State != escalation.Closed || !slices.Equal(closed.FollowUps, []escalation.CaseID{f.ID}) {
		t.Errorf("Complain: follow-up %+v, original %s follow-ups %v; want a linked E05 follow-up and the original closed", f, closed.State, closed.FollowUps)
	}

	// The service's metrics are Compute over its cases.
	all, err := s.List(ctx, escalation.Query{})
	require.NoError(t, err)
	opts := escalation.MetricsOptions{Period: escalation.Period{From: mon, To: mon.AddDate(0, 1, 0)}, Tree: s.Tree()}
	want := escalation.Compute(slices.Values(all), s.Policies(), calendar.Default(), opts)
	got2, err := s.Metrics(ctx, opts)
	require.NoError(t, err)
	if diff := cmp.Diff(want, got2); diff != "" {
		t.Errorf("Service.Metrics mismatch (-want +got):\n%s", diff)
	}
	if got2.Total.Reported != 3 || got2.Total.Closed != 1 || got2.Total.Escalations != 1 {
		t.Errorf("Metrics().Total = %+v, want 3 reported, 1 closed, 1 escalation", got2.Total)
	}
}

// TestService_Concurrent has 32 goroutines act on the same four cases at once through
// the service: every supervision each issued is in the history exactly once, and the
// sequence numbers have no gap.
func TestService_Concurrent(t *testing.T) {
	ctx := context.Background()
	s, clock := newService(t, t0, 10000)
	const cases, workers, each = 4, 32, 8
	for i := range cases {
		id := escalation.CaseID(fmt.Sprintf("K-%d", i))
		serve(t, s, clock, id, loop(id, t0)[:4]...)
	}
	clock.Set(t0.Add(5 * time.Hour))
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := escalation.CaseID(fmt.Sprintf("K-%d", w%cases))
			who := act("qhinsp")
			if w%2 == 1 {
				who = act("lead1")
			}
			for k := range each {
				if _, _, err := s.Do(ctx, id, who, escalation.Supervise{Reason: fmt.Sprintf("w%d-%d", w, k)}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Do(Supervise) = %v", err)
	}
	for i := range cases {
		c, err := s.Get(ctx, escalation.CaseID(fmt.Sprintf("K-%d", i)))
		require.NoError(t, err)
		seen := map[string]int{}
		for j, e := range c.History {
			if e.Seq != j+1 {
				t.Fatalf("case %s: event %d has seq %d", c.ID, j, e.Seq)
			}
			if e.Action == escalation.ActionSupervise {
				seen[e.Reason]++
			}
		}
		want := map[string]int{}
		for w := i; w < workers; w += cases {
			for k := range each {
				want[fmt.Sprintf("w%d-%d", w, k)] = 1
			}
		}
		if diff := cmp.Diff(want, seen); diff != "" {
			t.Errorf("case %s: supervisions mismatch (-want +got):\n%s", c.ID, diff)
		}
	}
}

// TestService_HeadIsPartial: a command returns the stored head with only its own
// events, numbered from the start of the case; Head reads no history; Get reads it all.
func TestService_HeadIsPartial(t *testing.T) {
	ctx := t.Context()
	s, clock := newService(t, t0, 0)
	steps := loop("P-1", t0)
	c, _, err := s.Report(ctx, steps[0].who, steps[0].cmd.(escalation.Report))
	require.NoError(t, err)
	if !c.Complete() || len(c.History) != 1 {
		t.Fatalf("Report() = complete %v with %d events, want the whole new case", c.Complete(), len(c.History))
	}
	for _, st := range steps[1:4] {
		clock.Set(st.at)
		c, _, err = s.Do(ctx, "P-1", st.who, st.cmd)
		require.NoError(t, err)
	}
	if c.Complete() || len(c.History) != 1 || c.History[0].Seq != 4 || c.History[0].Action != escalation.ActionAccept {
		t.Fatalf("Do(Accept) = complete %v, history %+v; want partial with event 4, the accept", c.Complete(), c.History)
	}
	head, err := s.Head(ctx, "P-1")
	require.NoError(t, err)
	whole, err := s.Get(ctx, "P-1")
	require.NoError(t, err)
	if head.Complete() || len(head.History) != 0 || head.State != escalation.Handling || head.Deadline != whole.Deadline {
		t.Errorf("Head() = complete %v, %d events, %s, deadline %s; want partial, none, handling, %s",
			head.Complete(), len(head.History), head.State, head.Deadline, whole.Deadline)
	}
	if !whole.Complete() || len(whole.History) != 4 {
		t.Errorf("Get() = complete %v with %d events, want 4", whole.Complete(), len(whole.History))
	}
	if _, err := s.Head(ctx, "nope"); !errors.Is(err, gridgov.ErrNotFound) {
		t.Errorf("Head(missing) = %v, want ErrNotFound", err)
	}
	// A partial case decides like the whole one: the same command, the same outcome.
	e := escalation.Env{Tree: s.Tree(), Calendar: calendar.Default(), Beats: beats, Actor: steps[4].who}
	p := policy()
	fromHead, _, err := p.Apply(head, steps[4].cmd, steps[4].at, e)
	require.NoError(t, err)
	fromWhole, _, err := p.Apply(whole, steps[4].cmd, steps[4].at, e)
	require.NoError(t, err)
	if fromHead.State != fromWhole.State || fromHead.Deadline != fromWhole.Deadline || fromHead.NextCheck != fromWhole.NextCheck {
		t.Errorf("Apply on the head = %s %s %s, on the whole case %s %s %s", fromHead.State, fromHead.Deadline, fromHead.NextCheck,
			fromWhole.State, fromWhole.Deadline, fromWhole.NextCheck)
	}
	if _, _, err := p.Apply(head, escalation.Report{}, steps[4].at, e); err == nil {
		t.Error("Apply(Report) on a stored case succeeded")
	}
	v2 := policy()
	v2.Version = "qinhuai-2026"
	e.Actor = act("qhdisp")
	var ge *gridgov.Error
	if _, _, err := v2.Apply(head, escalation.Rebase{Version: v2.Version, Reason: "new limits"}, steps[4].at, e); !errors.As(err, &ge) || ge.Rule != "case.history" {
		t.Errorf("Apply(Rebase) on a partial case = %v, want a refusal naming case.history", err)
	}
	if _, _, err := v2.Apply(whole, escalation.Rebase{Version: v2.Version, Reason: "new limits"}, steps[4].at, e); err != nil {
		t.Errorf("Apply(Rebase) on the whole case = %v", err)
	}
}

// TestService_ReportExists: a report naming a stored case writes nothing and says so.
func TestService_ReportExists(t *testing.T) {
	ctx := t.Context()
	s, _ := newService(t, t0, 0)
	_, _, err := s.Report(ctx, act("gw1"), report("E-1"))
	require.NoError(t, err)
	_, _, err = s.Report(ctx, act("gw1"), report("E-1"))
	var ge *gridgov.Error
	if !errors.As(err, &ge) || ge.Rule != "case.exists" || !errors.Is(err, gridgov.ErrConflict) {
		t.Fatalf("Report(existing) = %v, want a conflict naming case.exists", err)
	}
	c, err := s.Get(ctx, "E-1")
	require.NoError(t, err)
	if len(c.History) != 1 {
		t.Errorf("after the refused report the case has %d events, want 1", len(c.History))
	}
}

// TestService_WholeCaseDocument: a case stored whole (the one-document form of earlier
// versions) is refused rather than decided on as a case without a history, and Import
// stores it as a head and a log that decide as before.
func TestService_WholeCaseDocument(t *testing.T) {
	ctx := t.Context()
	p := policy()
	var c escalation.Case
	for _, st := range loop("W-1", t0)[:4] {
		var err error
		c, _, err = p.Apply(c, st.cmd, st.at, env(t, st.who))
		require.NoError(t, err)
	}
	b := memstore.New()
	_, err := store.NewCollection[escalation.Case](b, "escalation.cases", nil).Put(ctx, "W-1", c, 0)
	require.NoError(t, err)
	ps, err := escalation.NewPolicySet(policy())
	require.NoError(t, err)
	clock := gridgov.NewManualClock(t0.Add(4 * time.Hour))
	old, err := escalation.NewService(b, ps, tree(t), calendar.Default(), &escalation.ServiceOptions{Clock: clock, Beats: beats})
	require.NoError(t, err)
	var ge *gridgov.Error
	if _, _, err := old.Do(ctx, "W-1", act("qhlaw1"), escalation.ReportBack{}); !errors.As(err, &ge) || ge.Rule != "case.head" {
		t.Fatalf("Do on a whole-case document = %v, want a refusal naming case.head", err)
	}
	if _, err := old.Get(ctx, "W-1"); !errors.As(err, &ge) || ge.Rule != "case.head" {
		t.Fatalf("Get of a whole-case document = %v, want a refusal naming case.head", err)
	}

	s, err := escalation.NewService(b, ps, tree(t), calendar.Default(), &escalation.ServiceOptions{Clock: clock, Beats: beats, Collection: "cases.v2"})
	require.NoError(t, err)
	require.NoError(t, s.Import(ctx, c))
	got, err := s.Get(ctx, "W-1")
	require.NoError(t, err)
	if diff := cmp.Diff(c, got, caseOpts); diff != "" {
		t.Errorf("imported case (-whole +stored):\n%s", diff)
	}
	if err := s.Import(ctx, c); !errors.Is(err, gridgov.ErrConflict) {
		t.Errorf("Import of a stored case = %v, want ErrConflict", err)
	}
	bad := c.Clone()
	bad.ID, bad.History[2].Seq = "W-2", 7
	if err := s.Import(ctx, bad); !errors.As(err, &ge) || ge.Rule != "import.history" {
		t.Errorf("Import of a misnumbered history = %v, want a refusal naming import.history", err)
	}
	want, _, err := p.Apply(c, escalation.ReportBack{}, clock.Now(), env(t, act("qhlaw1")))
	require.NoError(t, err)
	next, _, err := s.Do(ctx, "W-1", act("qhlaw1"), escalation.ReportBack{})
	require.NoError(t, err)
	if next.State != want.State || next.Deadline != want.Deadline || next.NextCheck != want.NextCheck {
		t.Errorf("after import, ReportBack = %s %s %s; in memory %s %s %s", next.State, next.Deadline, next.NextCheck, want.State, want.Deadline, want.NextCheck)
	}
}
