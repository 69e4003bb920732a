package bench

// The closed loop of an event case (report → file → dispatch → accept → report back →
// verify → close) driven four ways:
//   - table:     escalation.Next, gridgov's state table alone (no actor, no history);
//   - apply:     escalation.Policy.Apply, the whole decision: authorization against the
//                organisation tree, role-separation guards, routing on dispatch, a new
//                history, and the deadline fold that refreshes the case's deadlines;
//   - stateless: qmuntal/stateless, the same seven states and triggers, state kept
//                outside the machine (its external-storage mode), no guards;
//   - fsm:       looplab/fsm, the same events on one FSM reset to the start each loop.
// The two libraries do only what "table" does; "apply" does much more.

import (
	"context"
	"testing"
	"time"

	"github.com/looplab/fsm"
	"github.com/qmuntal/stateless"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

// loopActions are the seven steps of the loop.
var loopActions = []escalation.Action{
	escalation.ActionReport, escalation.ActionFile, escalation.ActionDispatch, escalation.ActionAccept,
	escalation.ActionReportBack, escalation.ActionVerify, escalation.ActionClose,
}

func BenchmarkEscalationLoop(b *testing.B) {
	b.Run("table", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := escalation.State("")
			for _, a := range loopActions {
				next, ok := escalation.Next(s, a)
				if !ok {
					b.Fatalf("%s not allowed in %q", a, s)
				}
				s = next
			}
			if s != escalation.Closed {
				b.Fatal(s)
			}
		}
	})

	b.Run("apply", func(b *testing.B) {
		p, env, steps := applyLoop(b)
		b.ReportAllocs()
		for b.Loop() {
			var c escalation.Case
			for _, s := range steps {
				env.Actor = s.who
				var err error
				if c, _, err = p.Apply(c, s.cmd, s.at, env); err != nil {
					b.Fatal(err)
				}
			}
			if c.State != escalation.Closed {
				b.Fatal(c.State)
			}
		}
	})

	b.Run("stateless", func(b *testing.B) {
		var state stateless.State = string(escalation.State("new"))
		sm := stateless.NewStateMachineWithExternalStorage(
			func(context.Context) (stateless.State, error) { return state, nil },
			func(_ context.Context, s stateless.State) error { state = s; return nil },
			stateless.FiringImmediate)
		from := "new"
		for _, a := range loopActions {
			to, _ := escalation.Next(escalation.State(stateOrEmpty(from)), a)
			sm.Configure(from).Permit(string(a), string(to))
			from = string(to)
		}
		b.ReportAllocs()
		for b.Loop() {
			state = "new"
			for _, a := range loopActions {
				if err := sm.Fire(string(a)); err != nil {
					b.Fatal(err)
				}
			}
			if state != string(escalation.Closed) {
				b.Fatal(state)
			}
		}
	})

	b.Run("fsm", func(b *testing.B) {
		var events fsm.Events
		from := "new"
		for _, a := range loopActions {
			to, _ := escalation.Next(escalation.State(stateOrEmpty(from)), a)
			events = append(events, fsm.EventDesc{Name: string(a), Src: []string{from}, Dst: string(to)})
			from = string(to)
		}
		m := fsm.NewFSM("new", events, nil)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			m.SetState("new")
			for _, a := range loopActions {
				if err := m.Event(ctx, string(a)); err != nil {
					b.Fatal(err)
				}
			}
			if m.Current() != string(escalation.Closed) {
				b.Fatal(m.Current())
			}
		}
	})
}

// stateOrEmpty maps the libraries' name of the start state to gridgov's empty state.
func stateOrEmpty(s string) string {
	if s == "new" {
		return ""
	}
	return s
}

type loopStep struct {
	who hierarchy.Actor
	cmd escalation.Command
	at  time.Time
}

// applyLoop builds a district with one street, community and grid, and the loop's
// commands by the right people an hour apart.
func applyLoop(tb testing.TB) (*escalation.Policy, escalation.Env, []loopStep) {
	tb.Helper()
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	b.AddUnit(hierarchy.Unit{ID: "320104", Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict})
	b.AddUnit(hierarchy.Unit{ID: "320104001", Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "320104001001", Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: "320104001"})
	b.AddUnit(hierarchy.Unit{ID: "G01", Name: "第一网格", Level: hierarchy.LevelGrid, Parent: "320104001001"})
	b.AddOffices()
	for _, p := range []struct {
		id   hierarchy.PersonID
		unit hierarchy.UnitID
		role hierarchy.Role
	}{
		{"wang", "G01", hierarchy.RoleGridWorker},
		{"li", "G01", hierarchy.RoleGridWorker},
		{"zhao", "320104001/command", hierarchy.RoleDispatcher},
		{"chen", "320104001/law-enforcement", hierarchy.RoleEnforcementOfficer},
	} {
		b.AddPerson(hierarchy.Person{ID: p.id, Name: string(p.id)})
		b.AddPost(hierarchy.Post{ID: hierarchy.PostID(p.id), Person: p.id, Unit: p.unit, Role: p.role})
	}
	tree, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	p := escalation.QinhuaiPolicy()
	who := func(id hierarchy.PersonID) hierarchy.Actor {
		return hierarchy.Actor{Person: id, Post: hierarchy.PostID(id)}
	}
	t0 := time.Date(2025, 9, 22, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	steps := []loopStep{
		{who("wang"), escalation.Report{ID: "B1", Source: escalation.SourcePatrol, Category: "E05", Location: escalation.Location{Unit: "G01"}}, h(0)},
		{who("zhao"), escalation.File{}, h(1)},
		{who("zhao"), escalation.Dispatch{}, h(2)},
		{who("chen"), escalation.Accept{}, h(3)},
		{who("chen"), escalation.ReportBack{}, h(4)},
		{who("li"), escalation.Verify{Passed: true}, h(5)},
		{who("zhao"), escalation.Close{}, h(6)},
	}
	return &p, escalation.Env{Tree: tree, Calendar: calendar.Default()}, steps
}
