package grid_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/grid/gridtest"
)

// The large data sets are built once, lazily, inside the benchmarks, so that `go test`
// without -bench stays fast.

// bigOpts is a city-sized layer: 100,000 comprehensive grids of 64 vertices in 1,000
// communities, about 880 km².
var bigOpts = &gridtest.LatticeOptions{Cols: 400, Rows: 250, Sides: 16, CommunityCols: 10, CommunityRows: 10, NoBeats: true}

var big = sync.OnceValues(func() (grid.Atlas, []orb.Point) {
	return gridtest.Lattice(bigOpts), gridtest.Points(gridtest.Bound(bigOpts), 1<<12, 7)
})

var bigIndex = sync.OnceValue(func() *grid.Index {
	a, _ := big()
	ix, err := grid.NewIndex(a, nil)
	if err != nil {
		panic(err)
	}
	if !ix.UsesBuckets() {
		panic("the city-sized layer should use buckets")
	}
	return ix
})

// qinhuaiOpts is Qinhuai-sized: 1,026 comprehensive + 308 exclusive grids (1,334), 108
// communities of about nine grids, 171 police beats, 5 buildings per comprehensive grid.
var qinhuaiOpts = &gridtest.LatticeOptions{Exclusive: 308, Buildings: 5}

var qinhuai = sync.OnceValues(func() (grid.Atlas, *grid.Index) {
	a := gridtest.Lattice(qinhuaiOpts)
	ix, err := grid.NewIndex(a, nil)
	if err != nil {
		panic(err)
	}
	return a, ix
})

func BenchmarkNewIndex(b *testing.B) {
	b.Run("grids=100000/vertices=64", func(b *testing.B) {
		a, _ := big()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := grid.NewIndex(a, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("grids=1334/qinhuai", func(b *testing.B) {
		a, _ := qinhuai()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := grid.NewIndex(a, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchmarkLocate cycles through the points so that every lookup lands somewhere else.
func benchmarkLocate(b *testing.B, pts []orb.Point, locate func(orb.Point) string) {
	b.ReportAllocs()
	i, found := 0, 0
	c0, ok := processCPU()
	for b.Loop() {
		if locate(pts[i&(len(pts)-1)]) != "" {
			found++
		}
		i++
	}
	if c1, ok1 := processCPU(); ok && ok1 && b.N > 0 {
		b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
	}
	if found == 0 {
		b.Fatal("no point was located")
	}
}

func BenchmarkLocate(b *testing.B) {
	b.Run("grids=100000/index", func(b *testing.B) {
		ix := bigIndex()
		_, pts := big()
		benchmarkLocate(b, pts, func(p orb.Point) string { return ix.Locate(p, grid.GCJ02).Grid })
	})
	b.Run("grids=100000/index-rtree", func(b *testing.B) {
		ix := bigIndex()
		_, pts := big()
		benchmarkLocate(b, pts, ix.LocateTree)
	})
	b.Run("grids=100000/scan-bbox", func(b *testing.B) {
		ix := bigIndex()
		_, pts := big()
		benchmarkLocate(b, pts, ix.ScanBounded)
	})
	b.Run("grids=100000/scan-exact", func(b *testing.B) {
		ix := bigIndex()
		_, pts := big()
		benchmarkLocate(b, pts, ix.ScanAll)
	})
	b.Run("grids=100000/index-wgs84-input", func(b *testing.B) {
		ix := bigIndex()
		_, pts := big()
		wgs := make([]orb.Point, len(pts))
		for i, p := range pts {
			wgs[i] = grid.GCJ02ToWGS84(p)
		}
		benchmarkLocate(b, wgs, func(p orb.Point) string { return ix.Locate(p, grid.WGS84).Grid })
	})
	b.Run("grids=1334/beat", func(b *testing.B) {
		_, ix := qinhuai()
		pts := gridtest.Points(gridtest.Bound(qinhuaiOpts), 1<<12, 8)
		benchmarkLocate(b, pts, func(p orb.Point) string { bt, _ := ix.LocateBeat(p, grid.GCJ02); return bt.Code })
	})
}

func BenchmarkAddress(b *testing.B) {
	_, ix := qinhuai()
	// Registered addresses as people type them: prefixes, full-width digits, 幢 for 栋,
	// unit and room.
	var qs []string
	for cell := range 1024 {
		a := gridtest.Address(cell, cell%5)
		a = strings.NewReplacer("1", "１", "3", "３", "栋", "幢").Replace(a)
		qs = append(qs, fmt.Sprintf("江苏省南京市秦淮区%s%d单元%d室", a, 1+cell%3, 101+cell%600))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := ix.Address(qs[i&1023]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkValidate(b *testing.B) {
	b.Run("grids=1334/qinhuai", func(b *testing.B) {
		_, ix := qinhuai()
		b.ReportAllocs()
		for b.Loop() {
			if r, err := ix.Validate(context.Background()); err != nil || !r.OK() {
				b.Fatalf("the synthetic district has findings:\n%s", r)
			}
		}
	})
}
