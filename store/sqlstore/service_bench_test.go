package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
)

// The escalation service over each backend, on the real division register of Qinhuai
// with one grid of 乌衣巷社区 (Wuyixiang community, 夫子庙街道) and the people of the
// closed loop (闭环处置).

var (
	treeOnce sync.Once
	theTree  *hierarchy.Tree
	treeErr  error
)

func qinhuaiTree(tb testing.TB) *hierarchy.Tree {
	tb.Helper()
	treeOnce.Do(func() {
		f, err := os.Open(filepath.Join("..", "..", "testdata", "qinhuai-divisions.csv"))
		if err != nil {
			treeErr = err
			return
		}
		defer f.Close()
		b, err := hierarchy.LoadDivisionsCSV(f, hierarchy.QinhuaiSchema())
		if err != nil {
			treeErr = err
			return
		}
		b.AddOffices() // each street's command sub-centre and law-enforcement team
		b.AddUnit(hierarchy.Unit{ID: wuyiGrid, Name: "乌衣巷第一网格", Level: hierarchy.LevelGrid, Parent: "320104002005"})
		for _, p := range []struct {
			id   hierarchy.PersonID
			unit hierarchy.UnitID
			role hierarchy.Role
		}{
			{"wang", wuyiGrid, hierarchy.RoleGridWorker}, // finds
			{"li", wuyiGrid, hierarchy.RoleGridHead},     // verifies
			{"zhao", "320104002/command", hierarchy.RoleDispatcher},
			{"chen", "320104002/law-enforcement", hierarchy.RoleEnforcementOfficer},
		} {
			b.AddPerson(hierarchy.Person{ID: p.id, Name: string(p.id)})
			b.AddPost(hierarchy.Post{ID: hierarchy.PostID(p.id), Person: p.id, Unit: p.unit, Role: p.role})
		}
		theTree, treeErr = b.Build()
	})
	if treeErr != nil {
		tb.Fatalf("qinhuai tree: %v", treeErr)
	}
	return theTree
}

const wuyiGrid = hierarchy.UnitID("320104002005001")

func actor(p hierarchy.PersonID) hierarchy.Actor {
	return hierarchy.Actor{Person: p, Post: hierarchy.PostID(p)}
}

// benchStart is Tuesday 23 September 2025, 10:00 in Nanjing: every command of a
// benchmark is made at this instant, so that no deadline passes while it runs.
var benchStart = time.Date(2025, 9, 23, 10, 0, 0, 0, calendar.Default().Location())

func newService(b *testing.B, db store.Backend) *escalation.Service {
	b.Helper()
	ps, err := escalation.NewPolicySet(escalation.QinhuaiPolicy())
	if err != nil {
		b.Fatal(err)
	}
	s, err := escalation.NewService(db, ps, qinhuaiTree(b), calendar.Default(), &escalation.ServiceOptions{
		Clock: gridgov.NewManualClock(benchStart), IDs: gridgov.NewSeededIDGenerator(1)})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// loopSteps are the six commands after the report: the street's platform files and
// dispatches (routed by the policy's table to its law-enforcement team), the officer
// accepts and reports back, the grid head verifies, the platform closes.
var loopSteps = []struct {
	who hierarchy.PersonID
	cmd escalation.Command
}{
	{"zhao", escalation.File{}},
	{"zhao", escalation.Dispatch{}},
	{"chen", escalation.Accept{}},
	{"chen", escalation.ReportBack{Note: "stall moved to the market"}},
	{"li", escalation.Verify{Passed: true}},
	{"zhao", escalation.Close{}},
}

// commandsPerLoop counts the report and the six steps after it.
var commandsPerLoop = 1 + len(loopSteps)

func report() escalation.Report {
	return escalation.Report{Source: escalation.SourcePatrol, Category: "E05",
		Summary: "a stall blocks the lane", Location: escalation.Location{Unit: wuyiGrid}}
}

// closedLoop reports a case and drives it through the closed loop; it returns the
// case's ID.
func closedLoop(ctx context.Context, s *escalation.Service) (escalation.CaseID, error) {
	c, _, err := s.Report(ctx, actor("wang"), report())
	if err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	for _, st := range loopSteps {
		if _, _, err := s.Do(ctx, c.ID, actor(st.who), st.cmd); err != nil {
			return "", fmt.Errorf("%s on %s: %w", st.cmd.Action(), c.ID, err)
		}
	}
	return c.ID, nil
}

// checkClosed reads every case back and fails unless each of ids is closed with
// exactly the seven events of its loop: a lost or doubled write under concurrency
// would show here.
func checkClosed(b *testing.B, s *escalation.Service, ids []escalation.CaseID) {
	b.Helper()
	ctx := context.Background()
	seen := make(map[escalation.CaseID]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			b.Fatalf("case %s was reported twice", id)
		}
		seen[id] = true
		c, err := s.Get(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if c.State != escalation.Closed || len(c.History) != commandsPerLoop {
			b.Fatalf("case %s: state %s with %d events, want closed with %d", id, c.State, len(c.History), commandsPerLoop)
		}
	}
}

// retrier is what the SQL backends report of their write transactions run again
// after a serialization failure or a busy database.
type retrier interface{ Retries() int64 }

// reportRetries adds the write transactions run again per closed loop.
func reportRetries(b *testing.B, db backend, loops int) {
	if r, ok := db.(retrier); ok && loops > 0 {
		b.ReportMetric(float64(r.Retries())/float64(loops), "retries/op")
	}
}

// reportPerCommand adds the time per command and the commands per second to a
// benchmark whose op is one closed loop.
// runClosedLoops runs one closed loop per iteration and returns the cases it closed.
func runClosedLoops(b *testing.B, s *escalation.Service) []escalation.CaseID {
	ctx := context.Background()
	var ids []escalation.CaseID
	b.ReportAllocs()
	for b.Loop() {
		id, err := closedLoop(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func reportPerCommand(b *testing.B, loops int) {
	if loops == 0 {
		return
	}
	per := float64(b.Elapsed().Nanoseconds()) / float64(loops*commandsPerLoop)
	b.ReportMetric(per/1e3, "µs/cmd")
	b.ReportMetric(1e9/per, "cmd/s")
}

// BenchmarkClosedLoop runs the closed loop of a case, seven commands (report → file →
// dispatch → accept → report back → verify → close), through escalation.Service on
// every backend of the run, each command a read of the case's head and one
// compare-and-swap append of its new head and events. "serial" is one goroutine;
// "parallel" is two goroutines on this two-core machine (b.RunParallel, at least two
// whatever GOMAXPROCS), each driving its own cases through one shared Service. After
// each run every case is read back and must be closed with exactly seven events.
func BenchmarkClosedLoop(b *testing.B) {
	for _, be := range backends(b) {
		b.Run(be.name+"/serial", func(b *testing.B) {
			db := be.open(b)
			s := newService(b, db)
			ids := runClosedLoops(b, s)
			reportPerCommand(b, len(ids))
			reportRetries(b, db, len(ids))
			checkClosed(b, s, ids)
		})
		b.Run(be.name+"/parallel", func(b *testing.B) {
			db := be.open(b)
			s := newService(b, db)
			ctx := context.Background()
			var mu sync.Mutex
			var ids []escalation.CaseID
			var failed atomic.Pointer[error]
			b.SetParallelism(max(1, (2+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0)))
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var mine []escalation.CaseID
				for pb.Next() {
					id, err := closedLoop(ctx, s)
					if err != nil {
						failed.Store(&err)
						break
					}
					mine = append(mine, id)
				}
				mu.Lock()
				ids = append(ids, mine...)
				mu.Unlock()
			})
			b.StopTimer()
			if err := failed.Load(); err != nil {
				b.Fatal(*err)
			}
			reportPerCommand(b, len(ids))
			reportRetries(b, db, len(ids))
			checkClosed(b, s, ids)
		})
	}
}

// BenchmarkServiceHistory measures one command through the service on a case whose
// history already holds 10, 100 or 1,000 events (a case in handling under repeated
// supervision, 督查), on every backend of the run: with heads and event logs the cost
// should not grow with the history. Each iteration supervises a case drawn at random
// (seeded) from a pool of max(4, 2000/n) such cases; run it with -benchtime=200x so
// that no case grows by more than 5%. PostgreSQL runs with synchronous_commit off
// only: the pools take 6,000 commits to build, and a flushed commit costs the same
// whatever the history.
func BenchmarkServiceHistory(b *testing.B) {
	for _, be := range backends(b) {
		if be.name == "sqlite-normal" || be.name == "postgres-sync-on" {
			continue
		}
		for _, n := range []int{10, 100, 1000} {
			b.Run(fmt.Sprintf("%s/events=%d", be.name, n), func(b *testing.B) {
				ctx := context.Background()
				s := newService(b, be.open(b))
				supervise := escalation.Supervise{Reason: "巡查"}
				ids := make([]escalation.CaseID, max(4, 2000/n))
				for i := range ids {
					c, _, err := s.Report(ctx, actor("wang"), report())
					if err != nil {
						b.Fatal(err)
					}
					ids[i] = c.ID
					for _, st := range loopSteps[:3] { // filed, dispatched, accepted
						if _, _, err := s.Do(ctx, c.ID, actor(st.who), st.cmd); err != nil {
							b.Fatal(err)
						}
					}
					for range n - 4 {
						if _, _, err := s.Do(ctx, c.ID, actor("zhao"), supervise); err != nil {
							b.Fatal(err)
						}
					}
				}
				rng := rand.New(rand.NewPCG(3, 4))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if _, _, err := s.Do(ctx, ids[rng.IntN(len(ids))], actor("zhao"), supervise); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				c, err := s.Get(ctx, ids[0])
				if err != nil {
					b.Fatal(err)
				}
				if len(c.History) < n {
					b.Fatalf("case %s holds %d events, want at least %d", c.ID, len(c.History), n)
				}
			})
		}
	}
}
