package escalation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gridgov/gridgov/escalation"
)

// BenchmarkServiceRead reads cases drawn at random from 10,000, each reported,
// dispatched and worked on (four events): "head" decodes the stored head, "get" the
// head and the history; "list" lists all of them with their histories, and reports
// the time per case. The head cache holds fewer heads than there are cases, as in a
// year's store, so most reads decode.
func BenchmarkServiceRead(b *testing.B) {
	ctx := context.Background()
	s, clock := newService(b, t0, 0)
	ids := make([]escalation.CaseID, 10_000)
	for i := range ids {
		id := escalation.CaseID(fmt.Sprintf("R-%05d", i))
		ids[i] = id
		serve(b, s, clock, id, loop(id, t0)[:4]...)
	}
	for _, bc := range []struct {
		name string
		read func(context.Context, escalation.CaseID) (escalation.Case, error)
	}{{"head", s.Head}, {"get", s.Get}} {
		b.Run(bc.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 6))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.read(ctx, ids[rng.IntN(len(ids))]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cs, err := s.List(ctx, escalation.Query{})
			if err != nil {
				b.Fatal(err)
			}
			if len(cs) != len(ids) || len(cs[0].History) != 4 {
				b.Fatalf("listed %d cases, the first with %d events; want %d with 4", len(cs), len(cs[0].History), len(ids))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ids)), "ns/case")
	})
}
