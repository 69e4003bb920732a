package bench

// Point → grid lookups side by side:
//   - gridgov:  grid.Index (cell index over every edge + exact half-open test);
//   - tidwall:  tidwall/rtree over the grids' boxes + orb planar.PolygonContains;
//   - s2:       golang/geo s2.ShapeIndex + ContainsPointQuery (semi-open vertex model).
//
// All three answer with the same priority (exclusive grids first, then the smaller code)
// so that the work compared is the same; the libraries differ on boundary points, which
// TestGridLibraries_Boundary shows.

import (
	"sync"
	"testing"

	"github.com/golang/geo/s2"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"

	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/grid/gridtest"
)

// gridLayer is one data set indexed three ways.
type gridLayer struct {
	atlas grid.Atlas
	pts   []orb.Point
	rank  map[string]int // priority: exclusive first, then code (as grid.Index)
}

func newGridLayer(opts *gridtest.LatticeOptions) *gridLayer {
	return newLayer(gridtest.Lattice(opts), gridtest.Points(gridtest.Bound(opts), 1<<20, 7))
}

func newLayer(a grid.Atlas, pts []orb.Point) *gridLayer {
	l := &gridLayer{atlas: a, pts: pts, rank: map[string]int{}}
	ix, err := grid.NewIndex(a, nil)
	if err != nil {
		panic(err)
	}
	// The index's own order: exclusive first, then code.
	codes := ix.Codes()
	n := 0
	for _, excl := range []bool{true, false} {
		for _, c := range codes {
			g, _ := ix.Grid(c)
			if (g.Kind == grid.Exclusive) == excl {
				l.rank[c] = n
				n++
			}
		}
	}
	return l
}

// gridCity: 100,000 comprehensive grids of 64 vertices. gridQinhuai: 1,026 comprehensive
// + 308 exclusive grids.
var (
	gridCity    = sync.OnceValue(func() *gridLayer { return newGridLayer(gridCityOpts) })
	gridQinhuai = sync.OnceValue(func() *gridLayer { return newGridLayer(gridQinhuaiOpts) })

	gridCityOpts    = &gridtest.LatticeOptions{Cols: 400, Rows: 250, Sides: 16, CommunityCols: 10, CommunityRows: 10, NoBeats: true}
	gridQinhuaiOpts = &gridtest.LatticeOptions{Exclusive: 308, NoBeats: true}
)

type gridTidwall struct {
	tr    rtree.RTreeG[int32]
	polys []orb.Polygon // one per part of a multipolygon
	grid  []int32       // polygon → grid
	rank  []int
	codes []string
}

func buildGridTidwall(l *gridLayer) *gridTidwall {
	t := &gridTidwall{}
	for i, g := range l.atlas.Grids {
		for _, pg := range polygons(g.Boundary) {
			b := pg.Bound()
			t.tr.Insert(b.Min, b.Max, int32(len(t.polys)))
			t.polys = append(t.polys, pg)
			t.grid = append(t.grid, int32(i))
		}
		t.rank = append(t.rank, l.rank[g.Code])
		t.codes = append(t.codes, g.Code)
	}
	return t
}

func polygons(g orb.Geometry) []orb.Polygon {
	if mp, ok := g.(orb.MultiPolygon); ok {
		return mp
	}
	return []orb.Polygon{g.(orb.Polygon)}
}

func (t *gridTidwall) locate(p orb.Point) string {
	best := int32(-1)
	t.tr.Search(p, p, func(_, _ [2]float64, k int32) bool {
		i := t.grid[k]
		if (best < 0 || t.rank[i] < t.rank[best]) && planar.PolygonContains(t.polys[k], p) {
			best = i
		}
		return true
	})
	if best < 0 {
		return ""
	}
	return t.codes[best]
}

type gridS2 struct {
	index *s2.ShapeIndex
	q     *s2.ContainsPointQuery
	id    map[s2.Shape]int32
	rank  []int
	codes []string
}

func buildGridS2(l *gridLayer) *gridS2 {
	t := &gridS2{index: s2.NewShapeIndex(), id: map[s2.Shape]int32{}}
	for i, g := range l.atlas.Grids {
		// Every ring of every part as one s2 polygon, oriented as stored (outer rings
		// counter-clockwise, holes clockwise), so holes and islands come out right.
		var loops []*s2.Loop
		for _, pg := range polygons(g.Boundary) {
			for _, ring := range pg {
				pts := make([]s2.Point, 0, len(ring)-1)
				for _, v := range ring[:len(ring)-1] { // s2 loops are implicitly closed
					pts = append(pts, s2.PointFromLatLng(s2.LatLngFromDegrees(v[1], v[0])))
				}
				loops = append(loops, s2.LoopFromPoints(pts))
			}
		}
		poly := s2.PolygonFromOrientedLoops(loops)
		t.index.Add(poly)
		t.id[poly] = int32(i)
		t.rank = append(t.rank, l.rank[g.Code])
		t.codes = append(t.codes, g.Code)
	}
	t.index.Build()
	t.q = s2.NewContainsPointQuery(t.index, s2.VertexModelSemiOpen)
	return t
}

func (t *gridS2) locate(p orb.Point) string {
	best := int32(-1)
	for _, sh := range t.q.ContainingShapes(s2.PointFromLatLng(s2.LatLngFromDegrees(p[1], p[0]))) {
		if i := t.id[sh]; best < 0 || t.rank[i] < t.rank[best] {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return t.codes[best]
}

// gridReal: gridtest.Real, the Nanjing-derived layer (about 550 concave grids of
// thousands of vertices, enclaves, lakes, islands); random points over its extent, about
// 45% of them in no grid.
var (
	gridReal = sync.OnceValue(func() *gridLayer {
		return newLayer(gridtest.Real(nil), gridtest.Points(gridtest.RealBound(nil), 1<<18, 9))
	})
	gridRealIndexes = sync.OnceValues(func() (*grid.Index, *gridTidwall) {
		l := gridReal()
		ix, err := grid.NewIndex(l.atlas, nil)
		if err != nil {
			panic(err)
		}
		return ix, buildGridTidwall(l)
	})
	gridRealS2 = sync.OnceValue(func() *gridS2 { return buildGridS2(gridReal()) })
)

var (
	gridCityIndexes = sync.OnceValues(func() (*grid.Index, *gridTidwall) {
		l := gridCity()
		ix, err := grid.NewIndex(l.atlas, nil)
		if err != nil {
			panic(err)
		}
		return ix, buildGridTidwall(l)
	})
	gridCityS2 = sync.OnceValue(func() *gridS2 { return buildGridS2(gridCity()) })
)

func benchmarkGridLocate(b *testing.B, pts []orb.Point, locate func(orb.Point) string) {
	b.ReportAllocs()
	i, found := 0, 0
	for b.Loop() {
		if locate(pts[i&(len(pts)-1)]) != "" {
			found++
		}
		i++
	}
	if found == 0 {
		b.Fatal("no point was located")
	}
}

func BenchmarkGridLocate(b *testing.B) {
	b.Run("grids=100000/gridgov", func(b *testing.B) {
		ix, _ := gridCityIndexes()
		benchmarkGridLocate(b, gridCity().pts, func(p orb.Point) string { return ix.Locate(p, grid.GCJ02).Grid })
	})
	b.Run("grids=100000/tidwall-rtree+orb", func(b *testing.B) {
		_, tw := gridCityIndexes()
		benchmarkGridLocate(b, gridCity().pts, tw.locate)
	})
	b.Run("grids=100000/s2-shapeindex", func(b *testing.B) {
		s := gridCityS2()
		benchmarkGridLocate(b, gridCity().pts, s.locate)
	})
	b.Run("real/gridgov", func(b *testing.B) {
		ix, _ := gridRealIndexes()
		benchmarkGridLocate(b, gridReal().pts, func(p orb.Point) string { return ix.Locate(p, grid.GCJ02).Grid })
	})
	b.Run("real/tidwall-rtree+orb", func(b *testing.B) {
		_, tw := gridRealIndexes()
		benchmarkGridLocate(b, gridReal().pts, tw.locate)
	})
	b.Run("real/s2-shapeindex", func(b *testing.B) {
		s := gridRealS2()
		benchmarkGridLocate(b, gridReal().pts, s.locate)
	})
	b.Run("grids=1334/gridgov", func(b *testing.B) {
		l := gridQinhuai()
		ix, err := grid.NewIndex(l.atlas, nil)
		if err != nil {
			b.Fatal(err)
		}
		benchmarkGridLocate(b, l.pts, func(p orb.Point) string { return ix.Locate(p, grid.GCJ02).Grid })
	})
	b.Run("grids=1334/tidwall-rtree+orb", func(b *testing.B) {
		l := gridQinhuai()
		benchmarkGridLocate(b, l.pts, buildGridTidwall(l).locate)
	})
	b.Run("grids=1334/s2-shapeindex", func(b *testing.B) {
		l := gridQinhuai()
		benchmarkGridLocate(b, l.pts, buildGridS2(l).locate)
	})
}

func BenchmarkGridBuild(b *testing.B) {
	b.Run("real/gridgov", func(b *testing.B) {
		l := gridReal()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := grid.NewIndex(l.atlas, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("real/tidwall-rtree", func(b *testing.B) {
		l := gridReal()
		b.ReportAllocs()
		for b.Loop() {
			buildGridTidwall(l)
		}
	})
	b.Run("real/s2-shapeindex", func(b *testing.B) {
		l := gridReal()
		b.ReportAllocs()
		for b.Loop() {
			buildGridS2(l)
		}
	})
	b.Run("grids=100000/gridgov", func(b *testing.B) {
		l := gridCity()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := grid.NewIndex(l.atlas, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("grids=100000/tidwall-rtree", func(b *testing.B) {
		l := gridCity()
		b.ReportAllocs()
		for b.Loop() {
			buildGridTidwall(l)
		}
	})
	b.Run("grids=100000/s2-shapeindex", func(b *testing.B) {
		l := gridCity()
		b.ReportAllocs()
		for b.Loop() {
			buildGridS2(l)
		}
	})
}

// TestGridLibraries_Agree checks that the three answer alike away from boundaries, so the
// benchmarks compare like with like.
func TestGridLibraries_Agree(t *testing.T) {
	l := gridQinhuai()
	ix, err := grid.NewIndex(l.atlas, nil)
	if err != nil {
		t.Fatal(err)
	}
	tw, s := buildGridTidwall(l), buildGridS2(l)
	for _, p := range l.pts[:1000] {
		a := ix.Locate(p, grid.GCJ02)
		if a.Status != grid.Inside {
			a.Grid = "" // outside the jittered outer edge: gridgov falls back to the nearest grid
		}
		g, o, q := a.Grid, tw.locate(p), s.locate(p)
		if g != o || g != q {
			t.Errorf("point %v: gridgov %q, tidwall+orb %q, s2 %q", p, g, o, q)
		}
	}
}

// TestGridLibraries_AgreeReal checks the same on a small Nanjing-derived layer with
// holes, enclaves and multipolygons.
func TestGridLibraries_AgreeReal(t *testing.T) {
	o := &gridtest.RealOptions{Regions: 60, Unit: 1.0 / 160, Subdiv: 4, Seed: 4}
	l := newLayer(gridtest.Real(o), gridtest.Points(gridtest.RealBound(o), 2000, 4))
	pol := grid.QinhuaiPolicy()
	pol.NearestWithinM = 0
	ix, err := grid.NewIndex(l.atlas, &grid.IndexOptions{Policy: &pol})
	if err != nil {
		t.Fatal(err)
	}
	tw, s := buildGridTidwall(l), buildGridS2(l)
	for _, p := range l.pts {
		g, o, q := ix.Locate(p, grid.GCJ02).Grid, tw.locate(p), s.locate(p)
		if g != o || g != q {
			t.Errorf("point %v: gridgov %q, tidwall+orb %q, s2 %q", p, g, o, q)
		}
	}
}

// TestGridLibraries_Boundary shows what differs: a point on the edge two grids share.
// orb claims it for both, s2 and gridgov for exactly one.
func TestGridLibraries_Boundary(t *testing.T) {
	l := gridQinhuai()
	a, b := l.atlas.Grids[0].Boundary.(orb.Polygon), l.atlas.Grids[1].Boundary.(orb.Polygon)
	// The two first grids are west–east neighbours; take a vertex of the shared edge.
	var shared orb.Point
	for _, v := range a[0] {
		for _, w := range b[0] {
			if v == w {
				shared = v
			}
		}
	}
	if shared == (orb.Point{}) {
		t.Fatal("no shared vertex found")
	}
	n := 0
	for _, pg := range []orb.Polygon{a, b} {
		if planar.PolygonContains(pg, shared) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("orb claims the shared vertex for %d grids; the comparison assumes 2", n)
	}
	ix, err := grid.NewIndex(grid.Atlas{Datum: grid.GCJ02, Grids: l.atlas.Grids[:2]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.Locate(shared, grid.GCJ02); got.Status != grid.Inside {
		t.Errorf("gridgov: %+v", got)
	}
	s := buildGridS2(&gridLayer{atlas: grid.Atlas{Grids: l.atlas.Grids[:2]}, rank: map[string]int{}})
	sp := s2.PointFromLatLng(s2.LatLngFromDegrees(shared[1], shared[0]))
	if got := len(s.q.ContainingShapes(sp)); got != 1 {
		t.Errorf("s2 (semi-open) claims the shared vertex for %d grids, want 1", got)
	}
}
