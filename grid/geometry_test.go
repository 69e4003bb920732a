package grid

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
)

// circle is a ring of n vertices on a circle around (cx, cy), radius r, in units: n
// edges, no three vertices collinear, like a long real boundary a north–south line
// crosses a few times.
func circle(cx, cy, r float64, n int) orb.Ring {
	var ring orb.Ring
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		ring = append(ring, pt(cx+r*math.Cos(a), cy+r*math.Sin(a)))
	}
	return append(ring, ring[0])
}

// geometryCases are the boundary rules, each with a boundary breaking it (or, with an
// empty rule, a boundary that must be accepted).
func geometryCases() []struct {
	name   string
	g      orb.Geometry
	opt    GeometryOptions
	rule   string
	want   string
	reason string
} {
	bigCrossing := circle(2, 1, 0.9, 3000)
	// Swap two vertices far apart along the ring: their edges now cross others.
	bigCrossing[700], bigCrossing[1900] = bigCrossing[1900], bigCrossing[700]
	return []struct {
		name   string
		g      orb.Geometry
		opt    GeometryOptions
		rule   string
		want   string
		reason string
	}{
		{"closed ring", rect(0, 0, 2, 2), GeometryOptions{}, "", "", "the ordinary case"},
		{"unclosed ring", orb.Polygon{{pt(0, 0), pt(2, 0), pt(2, 2), pt(0, 2)}}, GeometryOptions{}, RuleRingClosed,
			"ring 0: is not closed: first position", "RFC 7946: the first and last positions are equivalent"},
		{"unclosed ring repaired on request", orb.Polygon{{pt(0, 0), pt(2, 0), pt(2, 2), pt(0, 2)}}, GeometryOptions{CloseRings: true}, "", "",
			"CloseRings repeats the first position"},
		{"three positions", orb.Polygon{{pt(0, 0), pt(2, 0), pt(0, 0)}}, GeometryOptions{}, RuleRingPositions,
			"ring 0: has 3 positions, want at least 4", "RFC 7946: a linear ring has four or more positions"},
		{"three positions closed on request", orb.Polygon{{pt(0, 0), pt(2, 0), pt(2, 2)}}, GeometryOptions{CloseRings: true}, "", "",
			"a closed triangle has four positions"},
		{"latitude 1000", orb.Polygon{{pt(0, 0), pt(2, 0), {118.8, 1000}, pt(0, 0)}}, GeometryOptions{}, RuleRange,
			"position 2 (118.8, 1000) is outside longitude −180..180, latitude −90..90", "geographic coordinates"},
		{"longitude 1e300", orb.Polygon{{pt(0, 0), {1e300, 32.02}, pt(2, 2), pt(0, 0)}}, GeometryOptions{}, RuleRange,
			"position 1 (1e+300, 32.02)", "huge finite coordinates are refused, not overflowed later"},
		{"longitude -1e300", orb.Polygon{{pt(0, 0), {-1e300, -1e300}, pt(2, 2), pt(0, 0)}}, GeometryOptions{}, RuleRange,
			"position 1 (-1e+300, -1e+300)", "both signs"},
		{"projected metres", orb.Polygon{{{500000, 3540000}, {500100, 3540000}, {500100, 3540100}, {500000, 3540000}}}, GeometryOptions{}, RuleRange,
			"position 0 (500000, 3.54e+06)", "no projected datum: metres are not read as degrees"},
		{"NaN", orb.Polygon{{pt(0, 0), {math.NaN(), 32}, pt(2, 2), pt(0, 0)}}, GeometryOptions{}, RuleFinite,
			"position 1 (NaN, 32) is not finite", "NaN"},
		{"infinity", orb.Polygon{{pt(0, 0), pt(2, 0), {118.8, math.Inf(-1)}, pt(0, 0)}}, GeometryOptions{}, RuleFinite,
			"position 2 (118.8, -Inf) is not finite", "Inf"},
		{"two distinct vertices", orb.Polygon{{pt(0, 0), pt(2, 0), pt(2, 0), pt(0, 0)}}, GeometryOptions{}, RuleRingDegenerate,
			"has 2 distinct vertices", "a ring encloses an area"},
		{"bow tie", orb.Polygon{{pt(0, 0), pt(2, 2), pt(2, 0), pt(0, 2), pt(0, 0)}}, GeometryOptions{}, RuleSelfIntersect,
			"ring 0: edges at positions 0 and 2 cross at", "a figure eight has no consistent interior"},
		{"crossing in a 3,000-edge ring", orb.Polygon{bigCrossing}, GeometryOptions{}, RuleSelfIntersect,
			"ring 0: edges at positions", "found by the sweep, not by comparing all pairs"},
		{"3,000-edge ring", orb.Polygon{circle(2, 1, 0.9, 3000)}, GeometryOptions{}, "", "", "a long simple ring passes"},
		{"touching itself at a vertex", orb.Polygon{{pt(0, 0), pt(4, 0), pt(2, 2), pt(3, 3), pt(1, 3), pt(2, 2), pt(0, 0)}},
			GeometryOptions{}, "", "", "two lobes meeting at a point: quantised data has them, the interior is clear"},
		{"touching itself at a vertex, strict", orb.Polygon{{pt(0, 0), pt(4, 0), pt(2, 2), pt(3, 3), pt(1, 3), pt(2, 2), pt(0, 0)}},
			GeometryOptions{Strict: true}, RuleSelfTouch, "touch at", "OGC simple rings when asked"},
		{"spike", orb.Polygon{{pt(0, 0), pt(2, 0), pt(3, 0), pt(2, 0), pt(2, 2), pt(0, 2), pt(0, 0)}}, GeometryOptions{}, "", "",
			"a zero-width spike changes neither interior nor area"},
		{"spike, strict", orb.Polygon{{pt(0, 0), pt(2, 0), pt(3, 0), pt(2, 0), pt(2, 2), pt(0, 2), pt(0, 0)}}, GeometryOptions{Strict: true},
			RuleSelfTouch, "ring 0: edges at positions 0 and 2 touch at", "refused when asked"},
		{"hole inside", orb.Polygon{rect(0, 0, 4, 4)[0], rect(1, 1, 2, 2)[0]}, GeometryOptions{}, "", "", "an ordinary hole"},
		{"hole outside its shell", orb.Polygon{rect(0, 0, 2, 2)[0], rect(3, 3, 4, 4)[0]}, GeometryOptions{}, RuleHoleOutside,
			"ring 1 (a hole) lies outside the outer ring", "a hole cuts the shell"},
		{"hole around its shell", orb.Polygon{rect(1, 1, 2, 2)[0], rect(0, 0, 4, 4)[0]}, GeometryOptions{}, RuleHoleOutside,
			"ring 1 (a hole) lies outside the outer ring", "rings given in the wrong order"},
		{"hole crossing its shell", orb.Polygon{rect(0, 0, 2, 2)[0], rect(1, 1, 3, 3)[0]}, GeometryOptions{}, RuleRingsCross,
			"rings 0 and 1 cross at", "a hole partly outside"},
		{"hole inside a hole", orb.Polygon{rect(0, 0, 4, 4)[0], rect(1, 1, 3, 3)[0], rect(1.5, 1.5, 2, 2)[0]}, GeometryOptions{}, RuleHoleInHole,
			"ring 2 (a hole) lies inside ring 1 (another hole)", "nested holes"},
		{"hole touching its shell at a vertex", orb.Polygon{rect(0, 0, 4, 4)[0], {pt(0, 2), pt(1, 3), pt(1, 1), pt(0, 2)}}, GeometryOptions{}, "", "",
			"OGC allows a hole to touch its shell at a point"},
		{"bad part of a multipolygon", orb.MultiPolygon{rect(0, 0, 1, 1), {{pt(2, 0), pt(3, 1), pt(3, 0), pt(2, 1), pt(2, 0)}}}, GeometryOptions{},
			RuleSelfIntersect, "polygon 1 ring 0: edges at positions 0 and 2 cross", "the part is named"},
		{"line string", orb.LineString{pt(0, 0), pt(1, 1)}, GeometryOptions{}, RuleGeometryType, "geometry is a LineString", "areas only"},
		{"empty multipolygon", orb.MultiPolygon{}, GeometryOptions{}, RuleGeometryMissing, "geometry has no polygon", "an area is needed"},
	}
}

// TestGeometry_Rules checks every boundary rule through NewIndex: the refusal is a
// *gridgov.Error with the rule, wrapping ErrInvalid, naming the grid and the problem.
func TestGeometry_Rules(t *testing.T) {
	for _, tc := range geometryCases() {
		t.Run(tc.name, func(t *testing.T) {
			a := testWorld()
			a.Grids[0].Boundary = tc.g
			ix, err := NewIndex(a, &IndexOptions{Geometry: tc.opt})
			if tc.rule == "" {
				require.NoError(t, err, tc.reason)
				g, _ := ix.Grid(a.Grids[0].Code)
				for _, pg := range polygonsOf(g.Boundary) {
					for _, r := range pg {
						if r[0] != r[len(r)-1] {
							t.Errorf("indexed ring %v is not closed", r)
						}
					}
				}
				return
			}
			require.Error(t, err, tc.reason)
			var ge *gridgov.Error
			if !errors.As(err, &ge) || ge.Rule != tc.rule || !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("NewIndex error %v: want a *gridgov.Error with rule %s wrapping ErrInvalid (%s)", err, tc.rule, tc.reason)
			}
			for _, want := range []string{`grids[0] (code "320104002001001"): boundary`, tc.want} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("NewIndex error %q does not contain %q (%s)", err, want, tc.reason)
				}
			}
		})
	}
}

// TestGeoJSON_GeometryRules checks the same rules when a FeatureCollection is read: each
// refusal names the feature, its id and the rule.
func TestGeoJSON_GeometryRules(t *testing.T) {
	for _, tc := range geometryCases() {
		if _, isPoly := tc.g.(orb.Polygon); !isPoly || strings.Contains(tc.name, "NaN") || strings.Contains(tc.name, "infinity") {
			continue // JSON has no NaN or Inf; other types are refused by the decoder
		}
		t.Run(tc.name, func(t *testing.T) {
			geom, err := json.Marshal(map[string]any{"type": "Polygon", "coordinates": tc.g})
			require.NoError(t, err)
			data := fmt.Sprintf(`{"type":"FeatureCollection","features":[
				{"type":"Feature","id":"ok","geometry":{"type":"Polygon","coordinates":[[[118.79,32.02],[118.8,32.02],[118.8,32.03],[118.79,32.02]]]},"properties":{"community":"c","kind":"comprehensive"}},
				{"type":"Feature","id":"g7","geometry":%s,"properties":{"community":"c","kind":"comprehensive"}}]}`, geom)
			for _, read := range []struct {
				name string
				read func([]byte, ...GeometryOptions) error
			}{
				{"grids", func(b []byte, o ...GeometryOptions) error { _, err := GridsFromGeoJSON(b, o...); return err }},
				{"beats", func(b []byte, o ...GeometryOptions) error { _, err := BeatsFromGeoJSON(b, o...); return err }},
				{"communities", func(b []byte, o ...GeometryOptions) error { _, err := CommunitiesFromGeoJSON(b, o...); return err }},
			} {
				err := read.read([]byte(data), tc.opt)
				if tc.rule == "" {
					require.NoError(t, err, "%s: %s", read.name, tc.reason)
					continue
				}
				var ge *gridgov.Error
				if !errors.As(err, &ge) || ge.Rule != tc.rule || !errors.Is(err, gridgov.ErrInvalid) {
					t.Fatalf("%s: error %v: want rule %s wrapping ErrInvalid (%s)", read.name, err, tc.rule, tc.reason)
				}
				for _, want := range []string{`feature 1 (id "g7"): geometry: `, tc.want} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("%s: error %q does not contain %q (%s)", read.name, err, want, tc.reason)
					}
				}
			}
		})
	}
}

func TestGeoJSON_CloseRingsRepairs(t *testing.T) {
	data := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"g",
		"geometry":{"type":"Polygon","coordinates":[[[118.79,32.02],[118.8,32.02],[118.8,32.03]]]},"properties":{"community":"c","kind":"comprehensive"}}]}`)
	if _, err := GridsFromGeoJSON(data); gridgov.RuleOf(err) != RuleRingClosed {
		t.Fatalf("open ring read without repair: %v, want rule %s", err, RuleRingClosed)
	}
	grids, err := GridsFromGeoJSON(data, GeometryOptions{CloseRings: true})
	require.NoError(t, err)
	want := orb.Ring{{118.79, 32.02}, {118.8, 32.02}, {118.8, 32.03}, {118.79, 32.02}}
	if got := grids[0].Boundary.(orb.Polygon)[0]; !got.Equal(want) {
		t.Errorf("repaired ring = %v, want %v", got, want)
	}
}

// TestGeometry_AtlasReportsEveryBoundary: every invalid boundary of an atlas is reported
// at once, communities and beats included.
func TestGeometry_AtlasReportsEveryBoundary(t *testing.T) {
	a := testWorld()
	a.Communities[1].Boundary = orb.Polygon{{pt(5, 0), pt(6, 0), pt(6, 1), pt(5, 1)}}
	a.Grids[2].Boundary = orb.Polygon{{pt(0, 0), pt(2, 2), pt(2, 0), pt(0, 2), pt(0, 0)}}
	a.Beats[1].Boundary = orb.Polygon{{pt(2, 0), {200, 0}, pt(4, 3), pt(2, 0)}}
	_, err := NewIndex(a, nil)
	require.Error(t, err)
	for _, want := range []string{
		`communities[1] (id "320104002002"): boundary: ring 0: is not closed`,
		`grids[2] (code "320104002001003"): boundary: ring 0: edges at positions 0 and 2 cross`,
		`beats[1] (code "J02"): boundary: ring 0: position 1 (200, 0) is outside`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("NewIndex error does not report %q:\n%v", want, err)
		}
	}
}

// BenchmarkCheckGeometry shows that the simplicity sweep grows as n log n for a ring a
// north–south line crosses twice.
func BenchmarkCheckGeometry(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		r := circle(2, 1, 0.9, n)
		b.Run(fmt.Sprintf("edges=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, probs := checkGeometry(orb.Polygon{r}, GeometryOptions{Strict: true}); len(probs) != 0 {
					b.Fatal(probs)
				}
			}
		})
	}
}

// TestGeometry_RealData_SelfIntersection: of Nanjing's districts (quantised to 1/1024°,
// with hundreds of self-touching vertices and zero-width spikes, all accepted), Lishui's
// outline really crosses itself; reading the file says so, naming the feature.
func TestGeometry_RealData_SelfIntersection(t *testing.T) {
	_, err := CommunitiesFromGeoJSON(nanjingData(t))
	require.Error(t, err)
	if gridgov.RuleOf(err) != RuleSelfIntersect {
		t.Errorf("rule = %q, want %s", gridgov.RuleOf(err), RuleSelfIntersect)
	}
	want := `feature 9 (id "320117"): geometry: polygon 2 ring 0: edges at positions 1568 and 1572 cross at (119.02`
	if !strings.Contains(err.Error(), want) || strings.Count(err.Error(), "feature ") != 1 {
		t.Errorf("error %q: want exactly one problem, %q", err, want)
	}
	cs, err := CommunitiesFromGeoJSON(nanjingData(t, lishui))
	require.NoError(t, err)
	require.Len(t, cs, 10)
	if _, err := CommunitiesFromGeoJSON(nanjingData(t, lishui), GeometryOptions{Strict: true}); gridgov.RuleOf(err) != RuleSelfTouch {
		t.Errorf("strict reading of the quantised districts: %v, want rule %s", err, RuleSelfTouch)
	}
}
