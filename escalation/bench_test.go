package escalation_test

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

// benchmarkApply measures one decision: authorization against the tree, the state
// table and guards, the new history, and the deadline fold that refreshes Deadline and
// NextCheck. "chain" applies the command to the newest case of its line, as a caller
// does who keeps the result: the events go into the room behind its history (each
// iteration frees that room again, as if the case had just been returned). "copy"
// applies it to a case that already has a successor, as a second Apply on the same
// input or one on a case decoded from the store does: the history is copied into a
// fresh array, which is what every Apply did before cases carried their room.
func benchmarkApply(b *testing.B, s escalation.State, cmd escalation.Command, who hierarchy.Actor) {
	p := policy()
	c, last := caseIn(b, &p, s, false)
	e := env(b, who)
	at := last.Add(time.Hour)
	b.Run("chain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			escalation.FreeRoom(c)
			if _, _, err := p.Apply(c, cmd, at, e); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("copy", func(b *testing.B) {
		if _, _, err := p.Apply(c, cmd, at, e); err != nil { // c now has a successor
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := p.Apply(c, cmd, at, e); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkApply(b *testing.B) {
	b.Run("dispatch-routed", func(b *testing.B) { benchmarkApply(b, escalation.Filed, escalation.Dispatch{}, act("qhdisp")) })
	b.Run("dispatch-department", func(b *testing.B) {
		benchmarkApply(b, escalation.Filed, escalation.Dispatch{To: deptUM, Assignee: "um1"}, act("qhdisp"))
	})
	b.Run("accept", func(b *testing.B) { benchmarkApply(b, escalation.Dispatched, escalation.Accept{}, act("qhlaw1")) })
	b.Run("report-back", func(b *testing.B) { benchmarkApply(b, escalation.Handling, escalation.ReportBack{}, act("qhlaw1")) })
	b.Run("verify", func(b *testing.B) { benchmarkApply(b, escalation.Handled, escalation.Verify{Passed: true}, act("gw2")) })
	b.Run("refused-role", func(b *testing.B) {
		p := policy()
		c, last := caseIn(b, &p, escalation.Filed, false)
		e := env(b, act("gw1"))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := p.Apply(c, escalation.Dispatch{}, last, e); err == nil {
				b.Fatal("not refused")
			}
		}
	})
}

// BenchmarkLoop drives the whole closed loop, seven decisions, through Apply.
func BenchmarkLoop(b *testing.B) {
	p := policy()
	steps := loop("B", t0)
	envs := make([]escalation.Env, len(steps))
	for i, s := range steps {
		envs[i] = env(b, s.who)
	}
	b.ReportAllocs()
	for b.Loop() {
		var c escalation.Case
		for i, s := range steps {
			var err error
			if c, _, err = p.Apply(c, s.cmd, s.at, envs[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDueFor(b *testing.B) {
	p := policy()
	c, last := caseIn(b, &p, escalation.Handling, false)
	cal := calendar.Default()
	now := last.AddDate(0, 0, 10)
	b.ReportAllocs()
	for b.Loop() {
		if len(p.DueFor(c, now, escalation.Env{Calendar: cal})) == 0 {
			b.Fatal("nothing due")
		}
	}
}

// BenchmarkService measures the service on memstore: each iteration reports a new
// case and drives it through the closed loop, seven commands, each a load, a decision
// and a compare-and-swap save with JSON both ways. "parallel" runs GOMAXPROCS
// goroutines, each on its own cases.
func BenchmarkService(b *testing.B) {
	steps := loop("", t0)
	run := func(b *testing.B, s *escalation.Service) {
		ctx := context.Background()
		c, _, err := s.Report(ctx, steps[0].who, steps[0].cmd.(escalation.Report))
		if err != nil {
			b.Fatal(err)
		}
		for _, st := range steps[1:] {
			if _, _, err := s.Do(ctx, c.ID, st.who, st.cmd); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("serial-loop", func(b *testing.B) {
		s, _ := newService(b, t0, 0)
		b.ReportAllocs()
		for b.Loop() {
			run(b, s)
		}
	})
	b.Run("parallel-loop", func(b *testing.B) {
		s, _ := newService(b, t0, 0)
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				run(b, s)
			}
		})
	})
}

// metricTemplates are 10,000 cases in many shapes, built once: closed on time or late,
// returned, reworked, parked, escalated, whistled, voided, self-handled, still open,
// spread over 2025 and four grids.
// templateCount is the number of distinct histories behind the million cases: 10,000
// of them take about 25 MB, more than a cache holds, so the fold reads from memory.
const templateCount = 10000

var (
	templatesOnce sync.Once
	templates     []escalation.Case
)

func metricTemplates(tb testing.TB) []escalation.Case {
	templatesOnce.Do(func() {
		p := policy()
		rng := rand.New(rand.NewPCG(1, 2))
		cal := calendar.Default()
		grids := []struct {
			grid       hierarchy.UnitID
			finder     string
			dispatcher string
			handler    string
			verifier   string
		}{
			{grid1, "gw1", "qhdisp", "qhlaw1", "gw2"},
			{grid2, "gw1", "qhdisp", "qhlaw1", "qhinsp"}, // gw1's post is in grid 1: reports by the district below
			{grid3, "gw1", "qhdisp", "qhlaw1", "qhinsp"},
			{grid4, "gw3", "fzdisp", "fzlaw1", "fzdisp"},
		}
		cats := []string{"E05", "E01", "E02", "G01", "G03", "C01", "C03"}
		for i := range templateCount {
			g := grids[i%len(grids)]
			finder := g.finder
			if g.grid == grid2 || g.grid == grid3 {
				finder = "ddisp"
			}
			start := at(2025, 1, 2, 9, 0).Add(time.Duration(rng.IntN(360*24)) * time.Hour)
			start = cal.Next(start)
			step := func(n int) time.Time { return cal.Add(start, time.Duration(n)*20*time.Minute) }
			cat := cats[rng.IntN(len(cats))]
			src := escalation.SourcePatrol
			if finder == "ddisp" {
				src = escalation.SourceVideo
			}
			r := escalation.Report{ID: escalation.CaseID(fmt.Sprintf("T%05d", i)), Source: src, Category: cat,
				Location: escalation.Location{Unit: g.grid}}
			e := func(who string) escalation.Env { return env(tb, act(hierarchy.PersonID(who))) }
			apply := func(c escalation.Case, who string, cmd escalation.Command, at time.Time) escalation.Case {
				var ev escalation.Env
				if who == "" {
					ev = env(tb, system)
				} else {
					ev = e(who)
				}
				n, _, err := p.Apply(c, cmd, at, ev)
				if err != nil {
					return c
				}
				return n
			}
			c := apply(escalation.Case{}, finder, r, start)
			shape := rng.IntN(10)
			switch shape {
			case 0:
				c = apply(c, g.dispatcher, escalation.Void{Reason: "duplicate"}, step(1))
				templates = append(templates, c)
				continue
			}
			c = apply(c, g.dispatcher, escalation.File{}, step(1))
			if shape == 1 {
				c = apply(c, g.dispatcher, escalation.Dispatch{To: deptUM}, step(2))
				c = apply(c, "um1", escalation.Return{Reason: "not ours"}, step(3))
			}
			c = apply(c, g.dispatcher, escalation.Dispatch{To: ownerOf(g.handler)}, step(4))
			c = apply(c, g.handler, escalation.Accept{}, step(5))
			if shape == 2 {
				c = apply(c, g.dispatcher, escalation.Park{Reason: "waiting"}, step(6))
				c = apply(c, g.dispatcher, escalation.Resume{}, step(30))
			}
			if shape == 9 {
				for _, d := range p.DueFor(c, step(200), escalation.Env{Calendar: cal}) {
					c = apply(c, "", d.Command, step(200))
				}
				templates = append(templates, c) // still open, escalated
				continue
			}
			back := step(31 + rng.IntN(120))
			c = apply(c, g.handler, escalation.ReportBack{}, back)
			if shape == 3 {
				c = apply(c, g.verifier, escalation.Verify{Reason: "not fixed"}, back.Add(time.Hour))
				back = back.Add(26 * time.Hour)
				c = apply(c, g.handler, escalation.ReportBack{}, back)
			}
			c = apply(c, g.verifier, escalation.Verify{Passed: true}, back.Add(27*time.Hour))
			c = apply(c, g.dispatcher, escalation.Close{}, back.Add(28*time.Hour))
			templates = append(templates, c)
		}
	})
	return templates
}

func ownerOf(handler string) hierarchy.UnitID {
	if handler == "fzlaw1" {
		return "320104002/law-enforcement"
	}
	return qinhongLaw
}

// casesN yields n cases, cycling through the templates; each yielded case is a copy
// whose history is shared with its template (metrics only read it).
func casesN(ts []escalation.Case, n int) iter.Seq[escalation.Case] {
	return func(yield func(escalation.Case) bool) {
		for i := range n {
			if !yield(ts[i%len(ts)]) {
				return
			}
		}
	}
}

// BenchmarkCompute measures metrics over 1,000,000 cases for the year 2025 with a
// weekly trend, in total and per unit rolled up the tree.
func BenchmarkCompute(b *testing.B) {
	ps, err := escalation.NewPolicySet(policy())
	if err != nil {
		b.Fatal(err)
	}
	cal := calendar.Default()
	year := escalation.Period{From: at(2025, 1, 1, 0, 0), To: at(2026, 1, 1, 0, 0)}
	for _, bc := range []struct {
		name string
		tree *hierarchy.Tree
	}{{"total", nil}, {"per-unit", tree(b)}} {
		b.Run("1M/"+bc.name, func(b *testing.B) {
			ts := metricTemplates(b)
			opts := escalation.MetricsOptions{Period: year, Window: 7 * 24 * time.Hour, Tree: bc.tree}
			b.ReportAllocs()
			for b.Loop() {
				r := escalation.Compute(casesN(ts, 1_000_000), ps, cal, opts)
				if r.Total.Reported == 0 {
					b.Fatal("nothing counted")
				}
			}
		})
	}
}

// BenchmarkApplyParts splits BenchmarkApply/verify into its parts: the authorization
// against the tree, the deadline fold that refreshes Deadline and NextCheck, and the
// copy of the history into a fresh array (the decision's one allocation).
func BenchmarkApplyParts(b *testing.B) {
	p := policy()
	c, last := caseIn(b, &p, escalation.Handled, false)
	cal := calendar.Default()
	b.Run("authorize", func(b *testing.B) {
		e := env(b, act("gw2"))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Authorize(c, escalation.Verify{Passed: true}, last, e); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("deadlines", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = p.Refresh(c, escalation.Env{Calendar: cal})
		}
	})
	b.Run("history-copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h := make([]escalation.Event, len(c.History), len(c.History)+4)
			copy(h, c.History)
		}
	})
}

// BenchmarkServiceHistory measures one command through the service on memstore on a
// case whose history already holds 10, 100 or 1,000 events (a dispatched case under
// repeated supervision): the cost of a command should not grow with the history. Each
// iteration supervises a case drawn at random (seeded) from a pool of max(4, 2000/n)
// such cases; run it with -benchtime=200x so that no case grows by more than 5%.
func BenchmarkServiceHistory(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			ctx := context.Background()
			s, clock := newService(b, t0, 0)
			who := act("qhinsp")
			ids := make([]escalation.CaseID, max(4, 2000/n))
			for i := range ids {
				id := escalation.CaseID(fmt.Sprintf("H-%d", i))
				ids[i] = id
				serve(b, s, clock, id, loop(id, t0)[:4]...)
				clock.Set(t0.Add(5 * time.Hour))
				for range n - 4 {
					if _, _, err := s.Do(ctx, id, who, escalation.Supervise{Reason: "巡查"}); err != nil {
						b.Fatal(err)
					}
				}
			}
			rng := rand.New(rand.NewPCG(3, 4))
			b.ReportAllocs()
			for b.Loop() {
				id := ids[rng.IntN(len(ids))]
				if _, _, err := s.Do(ctx, id, who, escalation.Supervise{Reason: "巡查"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
