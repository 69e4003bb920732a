package gridtest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/grid/gridtest"
)

// TestReal checks what the benchmarks rely on: the default layer is large (rings of
// thousands of vertices, a million vertices in all) with multipolygons and holes, and
// the generator is deterministic.
func TestReal(t *testing.T) {
	a := gridtest.Real(nil)
	var verts, maxRing, multi, holed int
	for _, g := range a.Grids {
		var polys []orb.Polygon
		switch b := g.Boundary.(type) {
		case orb.Polygon:
			polys = []orb.Polygon{b}
		case orb.MultiPolygon:
			polys = b
			multi++
		}
		h := false
		for _, p := range polys {
			h = h || len(p) > 1
			for _, r := range p {
				verts += len(r)
				maxRing = max(maxRing, len(r))
			}
		}
		if h {
			holed++
		}
	}
	if len(a.Grids) < 400 || verts < 1_000_000 || maxRing < 2000 || multi < 20 || holed < 50 {
		t.Errorf("default layer: %d grids, %d vertices, largest ring %d, %d multipolygons, %d holed; want ≥ 400, 1,000,000, 2,000, 20, 50",
			len(a.Grids), verts, maxRing, multi, holed)
	}
	if _, err := grid.NewIndex(a, nil); err != nil {
		t.Fatalf("NewIndex of the default layer: %v", err)
	}
	o := &gridtest.RealOptions{Regions: 20, Unit: 1.0 / 64, Subdiv: 2, Seed: 9}
	x, y := gridtest.Real(o), gridtest.Real(o)
	if diff := cmp.Diff(x, y, cmp.Comparer(func(a, b orb.Geometry) bool { return orb.Equal(a, b) })); diff != "" {
		t.Errorf("Real is not deterministic (-first +second):\n%s", diff)
	}
}
