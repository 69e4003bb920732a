package gridbeat_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/escalation/gridbeat"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
)

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// index lays five grids side by side (GCJ-02, 0.01° wide) under five beats: beat-1
// covers grid 1; beat-2 grid 2 and the west half of grid 3, whose east half lies in
// the vacant beat-3; grid 4 is split between beat-4 and beat-5; grid 5 has no beat.
func index(tb testing.TB) *grid.Index {
	tb.Helper()
	// Edges are written out, not computed, so that neighbours share them exactly.
	g := func(code string, x0, x1 float64) grid.Grid {
		return grid.Grid{Code: code, Community: "320104002001", Kind: grid.Comprehensive, Boundary: square(x0, 32.02, x1, 32.03)}
	}
	b := func(code string, officer hierarchy.PersonID, x0, x1 float64) grid.Beat {
		return grid.Beat{Code: code, Station: "ps", Officer: officer, Boundary: square(x0, 32.02, x1, 32.03)}
	}
	ix, err := grid.NewIndex(grid.Atlas{
		Datum: grid.GCJ02,
		Grids: []grid.Grid{g("G1", 118.79, 118.80), g("G2", 118.80, 118.81), g("G3", 118.81, 118.82), g("G4", 118.82, 118.83), g("G5", 118.83, 118.84)},
		Beats: []grid.Beat{
			b("ps/beat-1", "cop1", 118.79, 118.80),
			b("ps/beat-2", "cop2", 118.80, 118.815),
			b("ps/beat-3", "", 118.815, 118.82),
			b("ps/beat-4", "cop4", 118.82, 118.825),
			b("ps/beat-5", "cop5", 118.825, 118.83),
		},
	}, nil)
	require.NoError(tb, err)
	return ix
}

func pt(p orb.Point) escalation.Point { return escalation.Point{Lon: p[0], Lat: p[1]} }

func TestResolver(t *testing.T) {
	ix := index(t)
	// A point of beat-2 just east of beat-1: read as GCJ-02 without conversion, its
	// WGS-84 or BD-09 coordinates would fall hundreds of metres into another beat.
	inBeat2 := orb.Point{118.801, 32.025}
	inBeat1 := orb.Point{118.7985, 32.025} // its BD-09 coordinates lie outside every beat
	type result struct {
		Officer hierarchy.PersonID
		Beat    hierarchy.UnitID
		OK      bool
	}
	found := func(o hierarchy.PersonID, b hierarchy.UnitID) result { return result{o, b, true} }
	tests := []struct {
		name   string
		loc    escalation.Location
		want   result
		reason string
	}{
		{"PointInsideBeat", escalation.Location{Unit: "G1", Point: pt(orb.Point{118.795, 32.025}), Datum: "gcj02"},
			found("cop1", "ps/beat-1"), "the beat holding the point answers"},
		{"PointWGS84", escalation.Location{Point: pt(grid.GCJ02ToWGS84(inBeat2)), Datum: "wgs84"},
			found("cop2", "ps/beat-2"), "a GPS reading is converted to the index's datum first"},
		{"PointDefaultDatum", escalation.Location{Point: pt(grid.GCJ02ToWGS84(inBeat2))},
			found("cop2", "ps/beat-2"), "an empty datum means WGS-84"},
		{"PointBD09", escalation.Location{Point: pt(grid.GCJ02ToBD09(inBeat1)), Datum: "bd09"},
			found("cop1", "ps/beat-1"), "a Baidu reading is converted too"},
		{"PointUnknownDatum", escalation.Location{Unit: "G2", Point: pt(inBeat2), Datum: "WGS-84"},
			result{}, "an unknown datum would misplace the point: nothing is found, not even by grid"},
		{"PointOutsideEveryBeat", escalation.Location{Unit: "G1", Point: pt(orb.Point{118.9, 32.1}), Datum: "gcj02"},
			result{}, "no nearest-beat fallback, and the point wins over the grid"},
		{"PointInVacantBeat", escalation.Location{Unit: "G3", Point: pt(orb.Point{118.818, 32.025}), Datum: "gcj02"},
			result{}, "a vacant beat has no officer, and another beat's officer does not cover the point"},
		{"GridOneBeat", escalation.Location{Unit: "G1"}, found("cop1", "ps/beat-1"), "without a point the grid's beat answers"},
		{"GridStaffedAndVacant", escalation.Location{Unit: "G3"}, found("cop2", "ps/beat-2"),
			"the vacant beat over part of the grid does not make it ambiguous"},
		{"GridSplit", escalation.Location{Unit: "G4"}, result{}, "two staffed beats split the grid: no single officer"},
		{"GridWithoutBeat", escalation.Location{Unit: "G5"}, result{}, "no beat overlays the grid"},
		{"UnknownGrid", escalation.Location{Unit: "320104"}, result{}, "a unit that is no grid of the index"},
		{"Empty", escalation.Location{}, result{}, "neither point nor unit"},
	}
	r := gridbeat.Resolver(ix)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got result
			got.Officer, got.Beat, got.OK = r.BeatOfficer(tt.loc)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("BeatOfficer(%+v) mismatch (-want +got) (%s):\n%s", tt.loc, tt.reason, diff)
			}
		})
	}
}

func TestResolver_NilIndex(t *testing.T) {
	o, b, ok := gridbeat.Resolver(nil).BeatOfficer(escalation.Location{Unit: "G1", Point: escalation.Point{Lon: 118.795, Lat: 32.025}})
	if ok || o != "" || b != "" {
		t.Errorf("BeatOfficer on a nil index = %q, %q, %v; want nothing found", o, b, ok)
	}
}

// The resolver needs nothing but the index, so it may serve any number of goroutines.
func TestResolver_Concurrent(t *testing.T) {
	r := gridbeat.Resolver(index(t))
	loc := escalation.Location{Point: escalation.Point{Lon: 118.795, Lat: 32.025}, Datum: "gcj02"}
	done := make(chan hierarchy.PersonID, 8)
	for range 8 {
		go func() {
			o, _, _ := r.BeatOfficer(loc)
			done <- o
		}()
	}
	for range 8 {
		if o := <-done; o != "cop1" {
			t.Errorf("concurrent BeatOfficer = %q, want cop1", o)
		}
	}
}
