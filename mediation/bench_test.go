package mediation_test

import (
	"context"
	"sync"
	"testing"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

// lifecycle is a typical case's life after opening: eight commands to a written
// agreement in effect.
var lifecycle = []mediation.Command{
	mediation.Accept{},
	mediation.Assign{Person: "m3a", How: mediation.Appointed},
	mediation.HoldSession{Parties: []mediation.PartyID{"p1", "p2"}, Mediators: []hierarchy.PersonID{"m3a"}, Minutes: "双方陈述"},
	written("赔偿"),
	mediation.Sign{Party: "p1"},
	mediation.Sign{Party: "p2"},
	mediation.Sign{Mediator: "m3a"},
	mediation.Seal{},
}

// BenchmarkApply measures the pure decision: one session recorded on a mediating case
// (the input case is never modified, so every iteration does the same work).
func BenchmarkApply(b *testing.B) {
	w := newWorld(b)
	c := w.run(b, mediation.Case{}, upToMediating(day(2025, 9, 1, 9, 0)))
	cmd := lifecycle[2]
	at, env := day(2025, 9, 5, 9, 0), w.env("m3a")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := w.policy.Apply(c, cmd, at, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkService measures commands through the Service on memstore: load, decode,
// decide, encode, compare-and-swap save.
func BenchmarkService(b *testing.B) {
	ctx := context.Background()
	b.Run("Open", func(b *testing.B) {
		f := newServiceFixture(b)
		o := openCmd(rLZY, mediation.DisputeNeighbour)
		o.ID = ""
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.svc.Open(ctx, actor("m3a"), o); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Lifecycle", func(b *testing.B) {
		// Open plus the eight commands to a sealed agreement, per iteration; ns/command
		// is the mean cost of one Do on a case of typical size.
		f := newServiceFixture(b)
		o := openCmd(rLZY, mediation.DisputeNeighbour)
		o.ID = ""
		b.ReportAllocs()
		for b.Loop() {
			c, err := f.svc.Open(ctx, actor("m3a"), o)
			if err != nil {
				b.Fatal(err)
			}
			for _, cmd := range lifecycle {
				if _, _, err := f.svc.Do(ctx, c.ID, actor("m3a"), cmd); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(1+len(lifecycle))), "ns/command")
	})
}

// statsData is 100,000 generated cases over Qinhuai's 168 rooms, built on first use so
// that tests without -bench never pay for it.
var statsData = sync.OnceValues(func() (*mediation.Network, []mediation.Case) {
	net := qinhuaiNetwork(&testing.T{})
	g := newCaseGen(net, 2025)
	cases := make([]mediation.Case, 100_000)
	for i := range cases {
		cases[i] = g.next(i)
	}
	return net, cases
})

// BenchmarkSummarize measures the statistics of a year and of one month over 100,000
// cases: every room, mediator and unit at once.
func BenchmarkSummarize(b *testing.B) {
	net, cases := statsData()
	for _, bc := range []struct {
		name   string
		period mediation.Period
	}{
		{"Year", mediation.Period{From: day(2025, 1, 1, 0, 0), To: day(2026, 1, 1, 0, 0)}},
		{"Month", mediation.Period{From: day(2025, 9, 1, 0, 0), To: day(2025, 10, 1, 0, 0)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var rep mediation.Report
			for b.Loop() {
				rep = mediation.Summarize(net, bc.period, cases, nil)
			}
			b.ReportMetric(float64(rep.Total.Cases), "cases-counted")
		})
	}
}

// BenchmarkService_Report measures Report over 10,000 stored cases: the store's scan
// and the decoding dominate.
func BenchmarkService_Report(b *testing.B) {
	net, cases := statsData()
	db := memstore.New()
	svc, err := mediation.NewService(db, mediation.QinhuaiPolicy(), net, calendar.Default(), nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cases[:10_000] {
		rec, err := mediation.MarshalRecord(c)
		if err != nil {
			b.Fatal(err)
		}
		// The document the service itself would write: the storage form, indexed.
		doc := store.Document{Collection: "mediation.cases", ID: string(c.ID), Data: rec,
			Index: map[string][]string{"room": {string(c.Room)}, "state": {string(c.State)}}}
		if _, err := db.Put(context.Background(), doc, 0); err != nil {
			b.Fatal(err)
		}
	}
	year := mediation.Period{From: day(2025, 1, 1, 0, 0), To: day(2026, 1, 1, 0, 0)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Report(context.Background(), year); err != nil {
			b.Fatal(err)
		}
	}
}
