package mediation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/store/memstore"
)

type serviceFixture struct {
	world
	svc   *mediation.Service
	db    *memstore.Store
	clock *gridgov.ManualClock
}

func newServiceFixture(tb testing.TB) serviceFixture {
	tb.Helper()
	w := newWorld(tb)
	db := memstore.New()
	clock := gridgov.NewManualClock(day(2025, 9, 1, 9, 0))
	svc, err := mediation.NewService(db, w.policy, w.net, w.cal, &mediation.ServiceOptions{Clock: clock, IDs: gridgov.NewSeededIDGenerator(1)})
	if err != nil {
		tb.Fatalf("NewService: %v", err)
	}
	return serviceFixture{world: w, svc: svc, db: db, clock: clock}
}

func actor(p hierarchy.PersonID) hierarchy.Actor { return actorOf(p) }

func (f serviceFixture) do(tb testing.TB, id mediation.CaseID, by hierarchy.PersonID, cmd mediation.Command) mediation.Case {
	tb.Helper()
	c, _, err := f.svc.Do(context.Background(), id, actor(by), cmd)
	if err != nil {
		tb.Fatalf("Do(%T): %v", cmd, err)
	}
	return c
}

func (f serviceFixture) version(tb testing.TB, id mediation.CaseID) int64 {
	tb.Helper()
	doc, err := f.db.Get(context.Background(), "mediation.cases", string(id))
	if err != nil {
		tb.Fatalf("backend Get: %v", err)
	}
	return doc.Version
}

func TestService_Lifecycle(t *testing.T) {
	f := newServiceFixture(t)
	ctx := context.Background()
	o := openCmd(rLZY, mediation.DisputeNeighbour)
	o.ID = ""
	c, err := f.svc.Open(ctx, actor("m3a"), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if len(c.ID) != 26 || c.State != mediation.StateApplied {
		t.Fatalf("Open = %s in %s, want a ULID in state applied", c.ID, c.State)
	}
	f.clock.Advance(time.Hour)
	f.do(t, c.ID, "m3a", mediation.Accept{})
	f.do(t, c.ID, "m3a", mediation.Assign{Person: "m3a", How: mediation.Appointed})
	f.clock.Set(day(2025, 9, 3, 14, 0))
	f.do(t, c.ID, "m3a", mediation.HoldSession{Parties: []mediation.PartyID{"p1", "p2"}, Mediators: []hierarchy.PersonID{"m3a"}, Minutes: "x"})
	f.clock.Set(day(2025, 9, 5, 10, 0))
	want, evs, err := f.svc.Do(ctx, c.ID, actor("m3a"), oral("赔偿"))
	if err != nil {
		t.Fatalf("Do(RecordOralAgreement): %v", err)
	}
	if len(evs) != 1 || evs[0].Kind != mediation.EventAgreed || evs[0].Seq != 5 {
		t.Errorf("events = %+v, want one agreed event, seq 5", evs)
	}

	got, err := f.svc.Get(ctx, c.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Get mismatch with Do's result (-want +got):\n%s", diff)
	}
	if got.Parties[0].IDNumber.Reveal() != zhangID || got.Parties[1].Phone.Reveal() != liPhone {
		t.Errorf("stored parties lost their numbers: %v", got.Parties)
	}
	// The store holds the full numbers (it must, to give them back); nothing else does.
	doc, err := f.db.Get(ctx, "mediation.cases", string(c.ID))
	if err != nil {
		t.Fatalf("backend Get: %v", err)
	}
	if !strings.Contains(string(doc.Data), zhangID) {
		t.Errorf("stored document lacks the full resident ID")
	}

	for _, q := range []struct {
		name string
		fn   func() ([]mediation.Case, error)
		want int
	}{
		{"InRoom(LZY)", func() ([]mediation.Case, error) { return f.svc.InRoom(ctx, rLZY) }, 1},
		{"InRoom(DSG)", func() ([]mediation.Case, error) { return f.svc.InRoom(ctx, rDSG) }, 0},
		{"InState(agreed)", func() ([]mediation.Case, error) { return f.svc.InState(ctx, mediation.StateAgreed) }, 1},
		{"InState(accepted)", func() ([]mediation.Case, error) { return f.svc.InState(ctx, mediation.StateAccepted) }, 0},
	} {
		cs, err := q.fn()
		if err != nil || len(cs) != q.want {
			t.Errorf("%s = %d cases, %v; want %d", q.name, len(cs), err, q.want)
		}
	}

	// Visits fall due 7 days (Friday 12 September) and one month (Sunday 5 October →
	// Thursday 9 October) after the agreement.
	due, err := f.svc.DueVisits(ctx, day(2025, 9, 30, 0, 0))
	if err != nil {
		t.Fatalf("DueVisits: %v", err)
	}
	wantDue := []mediation.DueVisit{{Case: c.ID, Room: rLZY, Visit: 0, Due: endOf(2025, 9, 12)}}
	if diff := cmp.Diff(wantDue, due); diff != "" {
		t.Errorf("DueVisits mismatch (-want +got):\n%s", diff)
	}
	f.do(t, c.ID, "m3a", mediation.RecordVisit{Visit: 0, Finding: mediation.Performed})
	due, _ = f.svc.DueVisits(ctx, day(2025, 12, 31, 0, 0))
	if len(due) != 1 || due[0].Visit != 1 || !due[0].Due.Equal(endOf(2025, 10, 9)) {
		t.Errorf("DueVisits after the first visit = %+v, want visit 1 due 9 October", due)
	}

	if _, err := f.svc.RecordActivity(ctx, actor("m3b"), mediation.Activity{Kind: mediation.Training, Room: rLZY, Topic: "民法典", People: 30}); err != nil {
		t.Fatalf("RecordActivity: %v", err)
	}
	rep, err := f.svc.Report(ctx, mediation.Period{From: day(2025, 9, 1, 0, 0), To: day(2025, 10, 1, 0, 0)})
	if err != nil {
		t.Fatalf("Report: %v", err)
	}
	wantLZY := mediation.Stats{Cases: 1, Concluded: 1, Agreed: 1, OnTime: 1, TotalDuration: 4 * dayLen, Trainings: 1}
	if diff := cmp.Diff(wantLZY, rep.Rooms[rLZY]); diff != "" {
		t.Errorf("Report room %s mismatch (-want +got):\n%s", rLZY, diff)
	}
}

func TestService_Errors(t *testing.T) {
	f := newServiceFixture(t)
	ctx := context.Background()
	c, err := f.svc.Open(ctx, actor("m3a"), openCmd(rLZY, mediation.DisputeNeighbour))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	v := f.version(t, c.ID)
	tests := []struct {
		name   string
		reason string
		id     mediation.CaseID
		actor  hierarchy.Actor
		cmd    mediation.Command
		kind   error
		rule   string
	}{
		{name: "ErrNotFound", reason: "no such case", id: "nope", actor: actor("m3a"), cmd: mediation.Accept{}, kind: gridgov.ErrNotFound},
		{name: "ErrOtherRoom", reason: "only the room's mediators act on its cases", id: c.ID, actor: actor("m4a"), cmd: mediation.Accept{}, kind: gridgov.ErrForbidden, rule: "auth.room-mediator"},
		{name: "ErrPost", reason: "an actor naming a post must hold it", id: c.ID, actor: hierarchy.Actor{Person: "m3a", Post: "no-such-post"}, cmd: mediation.Accept{}, kind: gridgov.ErrForbidden, rule: "auth.post"},
		{name: "ErrState", reason: "the state machine refuses", id: c.ID, actor: actor("m3a"), cmd: mediation.Seal{}, kind: gridgov.ErrPrecondition, rule: "state.transition"},
		{name: "ErrOpenThroughDo", reason: "Open has its own method", id: c.ID, actor: actor("m3a"), cmd: openCmd(rLZY, mediation.DisputeNeighbour), kind: gridgov.ErrInvalid},
		{name: "ErrNilCommand", reason: "a nil command", id: c.ID, actor: actor("m3a"), cmd: nil, kind: gridgov.ErrInvalid, rule: "command.required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, evs, err := f.svc.Do(ctx, tt.id, tt.actor, tt.cmd)
			if !errors.Is(err, tt.kind) || gridgov.RuleOf(err) != tt.rule || evs != nil {
				t.Fatalf("Do = %d events, %v; want kind %v rule %q", len(evs), err, tt.kind, tt.rule)
			}
			if got := f.version(t, c.ID); got != v {
				t.Errorf("refused command changed the stored version %d → %d", v, got)
			}
			if got, _ := f.svc.Get(ctx, c.ID); got.State != mediation.StateApplied || len(got.History) != 1 {
				t.Errorf("refused command changed the case: %s, %d events", got.State, len(got.History))
			}
		})
	}
	t.Run("ErrOpenTwice", func(t *testing.T) {
		_, err := f.svc.Open(ctx, actor("m3a"), openCmd(rLZY, mediation.DisputeNeighbour))
		if !errors.Is(err, gridgov.ErrConflict) || gridgov.RuleOf(err) != "case.open-once" {
			t.Errorf("Open of an existing ID = %v, want ErrConflict", err)
		}
		if got := f.version(t, c.ID); got != v {
			t.Errorf("second Open changed the stored version")
		}
	})
	t.Run("ErrOpenRefused", func(t *testing.T) {
		o := openCmd(rLZY, mediation.DisputeNeighbour)
		o.ID = "C2"
		o.Parties = o.Parties[:1]
		if _, err := f.svc.Open(ctx, actor("m3a"), o); gridgov.RuleOf(err) != "parties.too-few" {
			t.Errorf("Open with one party = %v, want parties.too-few", err)
		}
		if _, err := f.svc.Get(ctx, "C2"); !errors.Is(err, gridgov.ErrNotFound) {
			t.Errorf("refused Open stored a case: %v", err)
		}
	})
	t.Run("ErrActivity", func(t *testing.T) {
		_, err := f.svc.RecordActivity(ctx, actor("m3a"), mediation.Activity{Kind: mediation.Consultation, Room: rLZY, Topic: "x", People: 1})
		if gridgov.RuleOf(err) != "activity.legal-officer" {
			t.Errorf("RecordActivity by a people's mediator = %v, want activity.legal-officer", err)
		}
		rep, err := f.svc.Report(ctx, mediation.Period{})
		if err != nil || rep.Total.Consultations != 0 {
			t.Errorf("a refused activity was stored: %+v, %v", rep.Total, err)
		}
	})
	t.Run("ErrNewService", func(t *testing.T) {
		bad := f.policy
		bad.Committee.MinMembers = 0
		if _, err := mediation.NewService(f.db, bad, f.net, f.cal, nil); !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("NewService(bad policy) = %v, want ErrInvalid", err)
		}
		if _, err := mediation.NewService(nil, f.policy, f.net, f.cal, nil); !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("NewService(nil backend) = %v, want ErrInvalid", err)
		}
	})
	t.Run("ErrCancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := f.svc.Do(cctx, c.ID, actor("m3a"), mediation.Accept{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Do with a cancelled context = %v, want context.Canceled", err)
		}
	})
}

// TestService_Concurrent has many mediators record sessions on one case at once: the
// compare-and-swap loop must keep every one of them.
func TestService_Concurrent(t *testing.T) {
	f := newServiceFixture(t)
	ctx := context.Background()
	c, err := f.svc.Open(ctx, actor("m3a"), openCmd(rLZY, mediation.DisputeNeighbour))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	f.do(t, c.ID, "m3a", mediation.Accept{})
	for _, m := range []hierarchy.PersonID{"m3a", "m3c", "m3d"} {
		f.do(t, c.ID, "m3a", mediation.Assign{Person: m, How: mediation.Appointed})
	}
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			by := []hierarchy.PersonID{"m3a", "m3c", "m3d"}[i%3]
			_, _, err := f.svc.Do(ctx, c.ID, actor(by), mediation.HoldSession{
				Parties: []mediation.PartyID{"p1"}, Mediators: []hierarchy.PersonID{by}, Minutes: fmt.Sprintf("minutes %d", i)})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Do: %v", err)
		}
	}
	got, err := f.svc.Get(ctx, c.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	minutes := map[string]bool{}
	for i, s := range got.Sessions {
		if s.No != i+1 {
			t.Errorf("Sessions[%d].No = %d", i, s.No)
		}
		minutes[s.Minutes] = true
	}
	if len(minutes) != n {
		t.Errorf("%d distinct sessions stored, want %d (lost updates)", len(minutes), n)
	}
	for i, e := range got.History {
		if e.Seq != i+1 {
			t.Fatalf("History[%d].Seq = %d: history not append-only", i, e.Seq)
		}
	}
}
