package gridtest_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/grid/gridtest"
)

func TestLattice(t *testing.T) {
	opts := &gridtest.LatticeOptions{Cols: 7, Rows: 5, Sides: 4, Exclusive: 8, Buildings: 2}
	a := gridtest.Lattice(opts)
	ix, err := grid.NewIndex(a, nil)
	require.NoError(t, err)
	if got, want := ix.Len(), 7*5+8; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	// A clean layer: codes, coverage, containment, households, workers, officers.
	if r, err := ix.Validate(context.Background()); err != nil || !r.OK() {
		t.Errorf("Validate() of the lattice:\n%s", r)
	}
	// Every random point of the extent is in exactly one grid.
	for _, p := range gridtest.Points(gridtest.Bound(opts), 500, 1) {
		if got := ix.Locate(p, grid.GCJ02); got.Status == grid.Unassigned {
			t.Errorf("Locate(%v) unassigned inside the lattice", p)
		}
	}
	m, err := ix.Address(gridtest.Address(8, 1))
	require.NoError(t, err)
	g, _ := ix.Grid(m.Grid)
	if diff := cmp.Diff([]string{g.Code + "-b01", g.Code + "-b02"}, g.Buildings); diff != "" {
		t.Errorf("Address(cell 8) found grid %s (-want +got):\n%s", m.Grid, diff)
	}
	for _, gr := range a.Grids {
		if gr.Kind == grid.Comprehensive && len(gr.Boundary.(orb.Polygon)[0]) != 4*4+1 {
			t.Fatalf("grid %s has %d ring points, want 4 sides × 4 pieces + closing point", gr.Code, len(gr.Boundary.(orb.Polygon)[0]))
		}
	}
}
