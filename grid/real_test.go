package grid_test

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/grid/gridtest"
)

// evenOdd is the brute-force reference: every grid, every ring, the plain even-odd
// crossing count with orb's planar.RingContains (a separate implementation), priority as
// Locate's (exclusive first, then the smaller code).
type evenOdd struct {
	a     grid.Atlas
	polys [][]orb.Polygon
	boxes [][]orb.Bound
}

func newEvenOdd(a grid.Atlas) *evenOdd {
	e := &evenOdd{a: a}
	for _, g := range a.Grids {
		var polys []orb.Polygon
		switch b := g.Boundary.(type) {
		case orb.Polygon:
			polys = []orb.Polygon{b}
		case orb.MultiPolygon:
			polys = b
		}
		var boxes []orb.Bound
		for _, pg := range polys {
			boxes = append(boxes, pg.Bound())
		}
		e.polys = append(e.polys, polys)
		e.boxes = append(e.boxes, boxes)
	}
	return e
}

// locate returns the grid's index in a.Grids, or -1.
func (e *evenOdd) locate(p orb.Point) int {
	best := -1
	for gi, g := range e.a.Grids {
		if best >= 0 && !before(g, e.a.Grids[best]) {
			continue
		}
		for pi, pg := range e.polys[gi] {
			if !e.boxes[gi][pi].Contains(p) {
				continue
			}
			in := false
			for _, r := range pg {
				if planar.RingContains(r, p) {
					in = !in
				}
			}
			if in {
				best = gi
				break
			}
		}
	}
	return best
}

// onBoundary reports whether p is within 1e-12 degrees of some grid's boundary, where
// orb's answer (boundary points are inside) and the tie-break may differ.
func (e *evenOdd) onBoundary(p orb.Point) bool {
	for gi := range e.polys {
		for pi, pg := range e.polys[gi] {
			if !e.boxes[gi][pi].Pad(1e-9).Contains(p) {
				continue
			}
			for _, r := range pg {
				for i := 1; i < len(r); i++ {
					if planar.DistanceFromSegmentSquared(r[i-1], r[i], p) < 1e-24 {
						return true
					}
				}
			}
		}
	}
	return false
}

func before(x, y grid.Grid) bool {
	if (x.Kind == grid.Exclusive) != (y.Kind == grid.Exclusive) {
		return x.Kind == grid.Exclusive
	}
	return x.Code < y.Code
}

func isComplex(g grid.Grid) bool {
	switch b := g.Boundary.(type) {
	case orb.MultiPolygon:
		return true
	case orb.Polygon:
		return len(b) > 1
	}
	return false
}

// TestLocate_RealisticLayer_AgreesWithBruteForce checks random points (seeded) over the
// Nanjing-derived layer — concave grids of thousands of vertices, enclaves, lakes and
// islands — against the brute-force even-odd scan: inside single-ring grids, inside
// multipolygon or holed grids, and outside every grid, each in sufficient number.
func TestLocate_RealisticLayer_AgreesWithBruteForce(t *testing.T) {
	for _, o := range []*gridtest.RealOptions{
		{Regions: 40, Unit: 1.0 / 128, Subdiv: 8, Seed: 1},
		{Regions: 120, Unit: 1.0 / 256, Subdiv: 3, Seed: 2, Enclaves: 30, Lakes: 10, Islands: 15},
	} {
		a := gridtest.Real(o)
		pol := grid.QinhuaiPolicy()
		pol.NearestWithinM = 0
		ix, err := grid.NewIndex(a, &grid.IndexOptions{Policy: &pol})
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]int{}
		for i, g := range a.Grids {
			byCode[g.Code] = i
		}
		ref := newEvenOdd(a)
		var inSimple, inComplex, outside int
		for _, p := range gridtest.Points(gridtest.RealBound(o), 6000, o.Seed) {
			want := ref.locate(p)
			got := ix.Locate(p, grid.GCJ02)
			if want < 0 {
				outside++
				if got.Status != grid.Unassigned && !ref.onBoundary(p) {
					t.Fatalf("seed %d: Locate(%v) = %+v, brute force: in no grid", o.Seed, p, got)
				}
				continue
			}
			if isComplex(a.Grids[want]) {
				inComplex++
			} else {
				inSimple++
			}
			if got.Status != grid.Inside || byCode[got.Grid] != want {
				if !ref.onBoundary(p) {
					t.Fatalf("seed %d: Locate(%v) = %+v, brute force: inside %s", o.Seed, p, got, a.Grids[want].Code)
				}
			}
		}
		t.Logf("seed %d: %d grids; %d points in single-ring grids, %d in multipolygon or holed grids, %d outside", o.Seed, len(a.Grids), inSimple, inComplex, outside)
		if inSimple < 300 || inComplex < 300 || outside < 300 {
			t.Errorf("seed %d: too few points of a kind to be a test: %d simple, %d complex, %d outside", o.Seed, inSimple, inComplex, outside)
		}
	}
}

// TestRealLayer_IsAPartition checks the generator's promise: no two grids overlap, and
// every vertex of every ring belongs to exactly one grid or to none (on the layer's
// outer edge), which is what the tie-break guarantees on a partition.
func TestRealLayer_IsAPartition(t *testing.T) {
	o := &gridtest.RealOptions{Regions: 30, Unit: 1.0 / 96, Subdiv: 3, Seed: 5}
	a := gridtest.Real(o)
	ix, err := grid.NewIndex(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ix.Validate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if ov := r.Of(grid.FindingOverlap); len(ov) > 0 {
		t.Fatalf("overlaps in the generated layer: %v", ov)
	}
	var multi, holed int
	for _, g := range a.Grids {
		switch b := g.Boundary.(type) {
		case orb.MultiPolygon:
			multi++
		case orb.Polygon:
			if len(b) > 1 {
				holed++
			}
		}
	}
	if multi == 0 || holed == 0 {
		t.Errorf("the layer has %d multipolygons and %d holed polygons; want both", multi, holed)
	}
}

// TestLocate_RealisticLayer_Outside checks Locate against the brute force (exact scan,
// then every grid's boundary distance) for points outside every grid: in the layer's
// bounding box, where the far bitmap answers most of them, and around it, under the
// default radius (50 m) and none. It also checks that the bitmap is there and used, so
// that the comparison covers it.
func TestLocate_RealisticLayer_Outside(t *testing.T) {
	o := &gridtest.RealOptions{Regions: 40, Unit: 1.0 / 128, Subdiv: 8, Seed: 3, Lakes: 6}
	a := gridtest.Real(o)
	b := gridtest.RealBound(o)
	wide := b.Pad(0.3) // about 30 km around the box
	for _, r := range []float64{50, 0, 400} {
		pol := grid.QinhuaiPolicy()
		pol.NearestWithinM = r
		ix, err := grid.NewIndex(a, &grid.IndexOptions{Policy: &pol})
		if err != nil {
			t.Fatal(err)
		}
		if ix.ClearCells() == 0 {
			t.Fatalf("radius %g m: no clear cells; the layer leaves a third of its box empty", r)
		}
		var outside, nearest, beyond int
		for _, p := range append(gridtest.Points(b, 4000, 5), gridtest.Points(wide, 2000, 6)...) {
			want := ix.LocateBrute(p)
			if wb := ix.LocateBruteBounded(p); wb != want {
				t.Fatalf("radius %g m: the two brute forces disagree at %v: %+v and %+v", r, p, want, wb)
			}
			if want.Status == grid.Inside {
				continue
			}
			outside++
			if want.Status == grid.Nearest {
				nearest++
			}
			if !b.Contains(p) {
				beyond++
			}
			if got := ix.Locate(p, grid.GCJ02); got != want {
				t.Fatalf("radius %g m: Locate(%v) = %+v, brute force %+v", r, p, got, want)
			}
		}
		t.Logf("radius %g m: %d clear cells; %d points outside every grid, %d of them assigned to the nearest, %d beyond the box", r, ix.ClearCells(), outside, nearest, beyond)
		if outside < 1000 || beyond < 500 || (r > 0 && nearest < 20) {
			t.Errorf("radius %g m: too few points of a kind to be a test: %d outside, %d beyond the box, %d nearest", r, outside, beyond, nearest)
		}
	}
}
