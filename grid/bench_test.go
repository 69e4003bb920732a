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
	// 2^20 points: the lookups' working set is far larger than the caches, so the figure
	// is the cold one a server sees when reports arrive from all over the city.
	return gridtest.Lattice(bigOpts), gridtest.Points(gridtest.Bound(bigOpts), 1<<20, 7)
})

var bigIndex = sync.OnceValue(func() *grid.Index {
	a, _ := big()
	ix, err := grid.NewIndex(a, nil)
	if err != nil {
		panic(err)
	}
	if !ix.UsesCells() {
		panic("the city-sized layer should use the cell index")
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

// realSet is the Nanjing-derived layer (gridtest.Real defaults: about 550 concave grids,
// 1.1 million vertices, enclaves, lakes, islands) with random points sorted by what holds
// them: a single-ring grid, a multipolygon or holed grid, or no grid.
type realSet struct {
	atlas           grid.Atlas
	ix, ix0         *grid.Index // default policy (nearest within 50 m); nearest within 0 m
	inside, complex []orb.Point // in some grid; in a multipolygon or holed grid
	outside         []orb.Point // in the layer's bounding box but in no grid
	beyond          []orb.Point // outside the bounding box, within 0.5° of it
}

var real = sync.OnceValue(func() *realSet {
	a := gridtest.Real(nil)
	s := &realSet{atlas: a}
	var err error
	if s.ix, err = grid.NewIndex(a, nil); err != nil {
		panic(err)
	}
	pol := grid.QinhuaiPolicy()
	pol.NearestWithinM = 0
	if s.ix0, err = grid.NewIndex(a, &grid.IndexOptions{Policy: &pol}); err != nil {
		panic(err)
	}
	complexGrid := map[string]bool{}
	for _, g := range a.Grids {
		if mp, ok := g.Boundary.(orb.MultiPolygon); ok || len(g.Boundary.(orb.Polygon)) > 1 {
			_ = mp
			complexGrid[g.Code] = true
		}
	}
	// ScanBounded gives ScanAll's answer (FuzzLocate checks both), 100 times
	// faster on these rings.
	for _, p := range gridtest.Points(gridtest.RealBound(nil), 1<<18, 9) {
		switch c := s.ix.ScanBounded(p); {
		case c == "":
			s.outside = append(s.outside, p)
		case complexGrid[c]:
			s.complex = append(s.complex, p)
			s.inside = append(s.inside, p)
		default:
			s.inside = append(s.inside, p)
		}
	}
	box := gridtest.RealBound(nil)
	for _, p := range gridtest.Points(box.Pad(0.5), 1<<18, 10) {
		if !box.Contains(p) {
			s.beyond = append(s.beyond, p)
		}
	}
	pow2 := func(p []orb.Point) []orb.Point {
		n := 1
		for n*2 <= len(p) {
			n *= 2
		}
		return p[:n]
	}
	s.inside, s.complex, s.outside, s.beyond = pow2(s.inside), pow2(s.complex), pow2(s.outside), pow2(s.beyond)
	return s
})

func BenchmarkLocateReal(b *testing.B) {
	type set struct {
		name string
		pts  func(*realSet) []orb.Point
	}
	for _, st := range []set{
		{"inside", func(s *realSet) []orb.Point { return s.inside }},
		{"multipolygon-or-holed", func(s *realSet) []orb.Point { return s.complex }},
		{"outside", func(s *realSet) []orb.Point { return s.outside }},
		{"beyond-bbox", func(s *realSet) []orb.Point { return s.beyond }},
	} {
		miss := st.name == "outside" || st.name == "beyond-bbox"
		b.Run(st.name+"/index", func(b *testing.B) {
			s := real()
			benchmarkLocate(b, st.pts(s), func(p orb.Point) string { return s.ix.Locate(p, grid.GCJ02).Grid }, miss)
		})
		if miss {
			b.Run(st.name+"/index-nearest0", func(b *testing.B) {
				s := real()
				benchmarkLocate(b, st.pts(s), func(p orb.Point) string { return s.ix0.Locate(p, grid.GCJ02).Grid }, true)
			})
		}
		b.Run(st.name+"/index-hot", func(b *testing.B) {
			// The same 8 points over and over: everything in cache. Beside the random
			// figure only, to show what is memory latency.
			s := real()
			benchmarkLocate(b, st.pts(s)[:8], func(p orb.Point) string { return s.ix.Locate(p, grid.GCJ02).Grid }, miss)
		})
		b.Run(st.name+"/scan-bbox", func(b *testing.B) {
			s := real()
			benchmarkLocate(b, st.pts(s), s.ix.ScanBounded, miss)
		})
		if miss {
			// The brute force of the default policy: the bounding-box scan, then on a
			// miss every boundary whose box is within 50 m.
			b.Run(st.name+"/scan-bbox-nearest", func(b *testing.B) {
				s := real()
				benchmarkLocate(b, st.pts(s), func(p orb.Point) string { return s.ix.LocateBruteBounded(p).Grid }, true)
			})
		}
	}
}

func BenchmarkNewIndex(b *testing.B) {
	b.Run("real/nanjing", func(b *testing.B) {
		a := real().atlas
		b.ReportAllocs()
		var ix *grid.Index
		for b.Loop() {
			var err error
			if ix, err = grid.NewIndex(a, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(ix.CellBytes()), "cell-index-bytes")
	})
	b.Run("grids=100000/vertices=64", func(b *testing.B) {
		a, _ := big()
		b.ReportAllocs()
		var ix *grid.Index
		for b.Loop() {
			var err error
			if ix, err = grid.NewIndex(a, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(ix.CellBytes()), "cell-index-bytes")
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

// benchmarkLocate cycles through the points (random, seeded, from the whole set; len a
// power of two) so that every lookup lands somewhere else. With misses set, most points
// are expected to be in no grid.
func benchmarkLocate(b *testing.B, pts []orb.Point, locate func(orb.Point) string, misses ...bool) {
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
	if found == 0 && (len(misses) == 0 || !misses[0]) {
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
