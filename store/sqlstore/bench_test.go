package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
	"github.com/gridgov/gridgov/store/sqlstore/internal/pgtest"
	"github.com/gridgov/gridgov/store/sqlstore/postgres"
	"github.com/gridgov/gridgov/store/sqlstore/sqlite"
)

type backend interface {
	store.Appender
	store.RangeScanner
}

// namedBackend opens one backend for one benchmark.
type namedBackend struct {
	name string
	open func(b *testing.B) backend
}

// backends returns every backend this run can reach, in a fixed order: memstore;
// SQLite in WAL mode on a file under b.TempDir with synchronous FULL and NORMAL; and,
// when GRIDGOV_POSTGRES_URL names a server, PostgreSQL with synchronous_commit on and
// off (a per-session setting, checked after connecting), each benchmark in a fresh
// schema.
func backends(b *testing.B) []namedBackend {
	sqliteWith := func(sync string) func(b *testing.B) backend {
		return func(b *testing.B) backend {
			db, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), &sqlite.Options{Synchronous: sync})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		}
	}
	out := []namedBackend{
		{"memstore", func(*testing.B) backend { return memstore.New() }},
		{"sqlite", sqliteWith("FULL")},
		{"sqlite-normal", sqliteWith("NORMAL")},
	}
	if os.Getenv("GRIDGOV_POSTGRES_URL") == "" {
		b.Log("PostgreSQL not measured: set GRIDGOV_POSTGRES_URL (run .ci/postgres.sh to start a throwaway server)")
		return out
	}
	for _, sync := range []string{"on", "off"} {
		out = append(out, namedBackend{"postgres-sync-" + sync, func(b *testing.B) backend {
			u := pgtest.FreshURL(b, "synchronous_commit", sync)
			db, err := postgres.Open(b.Context(), u, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			var got string
			if err := db.SQL().QueryRow("SHOW synchronous_commit").Scan(&got); err != nil || got != sync {
				b.Fatalf("SHOW synchronous_commit = %q, %v; want %q", got, err, sync)
			}
			return db
		}})
	}
	return out
}

const preloaded = 10_000

func doc(id string, i int) store.Document {
	return store.Document{Collection: "cases", ID: id,
		Data:  []byte(fmt.Sprintf(`{"state":"open","n":%d,"unit":"320104001001"}`, i)),
		Index: map[string][]string{"unit": {"320104001001", "320104001"}, "due": {fmt.Sprintf("2026-12-%02dT09:00:00Z|%06d", 1+i%28, i)}}}
}

// preload creates n aggregates of one event each, from four goroutines so that a
// backend with group commit (PostgreSQL) builds them in a quarter of the time, and
// returns their versions.
// casUpdates updates a random one of the preloaded documents per iteration, at the
// version it last wrote, so every write is a successful compare-and-swap.
func casUpdates(b *testing.B, db backend, vers []int64) {
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		i := rng.IntN(len(vers))
		v, err := db.Put(b.Context(), doc(fmt.Sprintf("c%06d", i), i), vers[i])
		if err != nil {
			b.Fatal(err)
		}
		vers[i] = v
	}
}

func preload(b *testing.B, db backend, n int) []int64 {
	ctx := context.Background()
	vers := make([]int64, n)
	const writers = 4
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := w; i < n; i += writers {
				v, _, err := db.Append(ctx, doc(fmt.Sprintf("c%06d", i), i), 0, [][]byte{[]byte(`{"kind":"report"}`)})
				if err != nil {
					errs[w] = err
					return
				}
				vers[i] = v
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		b.Fatal(err)
	}
	return vers
}

// BenchmarkBackend measures one write or read per op on each backend in the same run:
// creating a document, a compare-and-swap update and an append of one event to an
// aggregate drawn at random (seeded) from 10,000, reading a random head, and the
// scheduler's range scan. The four cases after Create share one database of 10,000
// preloaded aggregates per backend, in this order, each keeping the versions the
// previous one left.
func BenchmarkBackend(b *testing.B) {
	for _, be := range backends(b) {
		b.Run(be.name, func(b *testing.B) {
			b.Run("Create", func(b *testing.B) {
				db := be.open(b)
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if _, err := db.Put(b.Context(), doc(fmt.Sprintf("n%08d", i), i), 0); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			db := be.open(b)
			vers := preload(b, db, preloaded)
			b.Run("CASUpdate", func(b *testing.B) { casUpdates(b, db, vers) })
			b.Run("Append", func(b *testing.B) {
				rng := rand.New(rand.NewPCG(3, 4))
				ev := [][]byte{[]byte(`{"kind":"dispatch","to":"320104001/law-enforcement"}`)}
				b.ReportAllocs()
				for b.Loop() {
					i := rng.IntN(preloaded)
					v, _, err := db.Append(b.Context(), doc(fmt.Sprintf("c%06d", i), i), vers[i], ev)
					if err != nil {
						b.Fatal(err)
					}
					vers[i] = v
				}
			})
			b.Run("GetRandom", func(b *testing.B) {
				rng := rand.New(rand.NewPCG(5, 6))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := db.Get(b.Context(), "cases", fmt.Sprintf("c%06d", rng.IntN(preloaded))); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("ScanRangeDue", func(b *testing.B) {
				// The scheduler's read: the cases due in one hour out of 10,000 open.
				b.ReportAllocs()
				for b.Loop() {
					n := 0
					for _, err := range db.ScanRange(b.Context(), store.RangeQuery{Collection: "cases", Field: "due", From: "2026-12-05T09", To: "2026-12-05T10"}) {
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
					if n == 0 {
						b.Fatal("nothing due")
					}
				}
			})
		})
	}
}
