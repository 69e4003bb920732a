package grid

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gridgov/gridgov"
)

func TestIndex_Locate(t *testing.T) {
	ix := mustIndex(t, testWorld(), nil)
	const (
		a001 = "320104002001001"
		a002 = "320104002001002"
		a003 = "320104002001003"
		a004 = "320104002001004"
		e101 = "320104002001101"
		b001 = "320104002002001"
	)
	tests := []struct {
		name   string
		p      orb.Point
		want   Assignment
		reason string
	}{
		{"interior", pt(1, 1), Assignment{Grid: a001, Status: Inside}, "plainly inside A001"},
		{"shared north-south edge", pt(2, 1), Assignment{Grid: a001, Status: Inside}, "on x=2 between A001 and A002: the western grid"},
		{"shared east-west edge", pt(1, 2), Assignment{Grid: a001, Status: Inside}, "on y=2 between A001 and A003: the southern grid"},
		{"shared east-west edge, T-junction side", pt(3, 2), Assignment{Grid: a002, Status: Inside}, "A003 stores y=2 as one edge, A002 as its own: still the southern grid"},
		{"vertex shared by three grids", pt(2, 2), Assignment{Grid: a001, Status: Inside}, "the point nudged west-south-west is in A001"},
		{"vertex of two grids on the layer's edge", pt(4, 2), Assignment{Grid: a002, Status: Inside}, "A002's and A003's corner: nudged south-west lands in A002"},
		{"exclusive over comprehensive", pt(3, 1), Assignment{Grid: e101, Status: Inside}, "the school wins over A002 beneath it"},
		{"exclusive west edge", pt(2.5, 1), Assignment{Grid: a002, Status: Inside}, "nudged west leaves the school"},
		{"exclusive east edge", pt(3.5, 1), Assignment{Grid: e101, Status: Inside}, "nudged west stays in the school"},
		{"exclusive vertex", pt(3.5, 1.5), Assignment{Grid: e101, Status: Inside}, "the school's north-east corner"},
		{"inside a hole", pt(1.5, 2.5), Assignment{Grid: a004, Status: Inside}, "A004 fills A003's hole; A003 does not hold it"},
		{"hole's east edge", pt(2, 2.5), Assignment{Grid: a004, Status: Inside}, "nudged west is inside the hole"},
		{"hole's west edge", pt(1, 2.5), Assignment{Grid: a003, Status: Inside}, "nudged west is outside the hole, in A003"},
		{"around the hole", pt(3, 2.5), Assignment{Grid: a003, Status: Inside}, "A003 proper"},
		{"multipolygon, first part", pt(5.5, 0.5), Assignment{Grid: b001, Status: Inside}, "B001's southern part"},
		{"multipolygon, second part", pt(5.5, 2.5), Assignment{Grid: b001, Status: Inside}, "B001's northern part"},
		{"outer west edge", pt(0, 1), Assignment{Grid: a001, Status: Inside}, "the tie-break gives the layer's west edge to no grid; it is on A001's edge"},
		{"outer south-west corner", pt(0, 0), Assignment{Grid: a001, Status: Inside}, "a corner of the layer"},
		{"near, between multipolygon parts", pt(5.5, 1.2), Assignment{Grid: b001, Status: Nearest, DistanceM: 0.2 * unit * mPerDeg}, "0.2 units (22 m) south of B001's northern part... nearer the southern part"},
		{"too far", pt(5.5, 1.5), Assignment{}, "0.5 units (56 m) from B001, beyond the 50 m policy"},
		{"far away", pt(100, 100), Assignment{}, "nowhere near"},
		{"NaN", orb.Point{math.NaN(), 32}, Assignment{}, "not a point"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ix.Locate(tc.p, GCJ02)
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-6 })); diff != "" {
				t.Errorf("Locate(%v) mismatch (-want +got):\n%s\n(%s)", tc.p, diff, tc.reason)
			}
		})
	}
}

func TestIndex_Locate_OrbClaimsBoth(t *testing.T) {
	// Why the tie-break exists: orb counts a boundary point inside both neighbours.
	w := testWorld()
	p := pt(2, 1)
	if !planar.PolygonContains(w.Grids[0].Boundary.(orb.Polygon), p) || !planar.PolygonContains(w.Grids[1].Boundary.(orb.Polygon), p) {
		t.Fatalf("orb no longer claims the shared edge point for both grids; revisit the package doc")
	}
	ix := mustIndex(t, w, nil)
	n := 0
	for _, g := range w.Grids[:2] {
		sh := ix.grids[ix.byCode[g.Code]].shape
		if ix.geo.contains(sh, p) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d grids claim the shared edge point, want 1", n)
	}
}

func TestIndex_Locate_Datums(t *testing.T) {
	w := testWorld() // GCJ-02
	gcj := pt(1, 1)
	wgs := GCJ02ToWGS84(gcj)
	bd := GCJ02ToBD09(gcj)
	for _, idxDatum := range []Datum{GCJ02, WGS84, BD09} {
		ix := mustIndex(t, w, &IndexOptions{Datum: idxDatum})
		if ix.Datum() != idxDatum {
			t.Errorf("Datum() = %q, want %q", ix.Datum(), idxDatum)
		}
		for d, p := range map[Datum]orb.Point{GCJ02: gcj, WGS84: wgs, BD09: bd} {
			if got := ix.Locate(p, d); got.Grid != "320104002001001" || got.Status != Inside {
				t.Errorf("index in %s: Locate(%v, %s) = %+v, want A001 inside", idxDatum, p, d, got)
			}
		}
	}
	// The raw GCJ-02 point read as WGS-84 lands some 500 m away: the datum matters.
	ix := mustIndex(t, w, nil)
	if got := ix.Locate(gcj, WGS84); got.Grid == "320104002001001" {
		t.Errorf("Locate(gcj point as WGS-84) = %+v; the datum was ignored", got)
	}
}

// TestIndex_Locate_DatumSpellings checks that Locate's shortcut for a point already in
// the index's datum answers as the conversion would for every way of naming a datum.
func TestIndex_Locate_DatumSpellings(t *testing.T) {
	w := testWorld()
	w.Datum = "" // WGS-84
	for _, idxDatum := range []Datum{"", WGS84, GCJ02} {
		ix := mustIndex(t, w, &IndexOptions{Datum: idxDatum})
		for _, d := range []Datum{"", WGS84, GCJ02, BD09, "utm50n"} {
			for _, p := range []orb.Point{pt(1, 1), pt(3, 1), pt(2, 1), pt(5.5, 2.5), pt(5.5, 1.2)} {
				q := Convert(p, d, ix.Datum())
				if got, want := ix.Locate(p, d), ix.LocateBrute(q); got != want {
					t.Errorf("index in %q: Locate(%v, %q) = %+v, want %+v (brute force after Convert)", idxDatum, p, d, got, want)
				}
			}
		}
	}
}

// TestIndex_Locate_CodesOfSeveralLengths checks the answers when the codes do not share
// one length, so that Locate cannot slice them out of one string by grid number.
func TestIndex_Locate_CodesOfSeveralLengths(t *testing.T) {
	for _, tc := range []struct {
		name   string
		codes  []string
		reason string
	}{
		{"one length", nil, "the standard 15-digit codes of testWorld"},
		{"several lengths", []string{"A1", "320104002001002", "A003", "320104002001004x", "E", "320104002002001"}, "free-form local codes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := testWorld()
			for i, c := range tc.codes {
				w.Grids[i].Code = c
			}
			ix := mustIndex(t, w, nil)
			if uniform := tc.codes == nil; (ix.codeLen > 0) != uniform {
				t.Fatalf("codeLen = %d, want one length: %v (%s)", ix.codeLen, uniform, tc.reason)
			}
			n := 0
			for x := -0.25; x <= 6.25; x += 0.125 {
				for y := -0.25; y <= 3.25; y += 0.125 {
					p := pt(x, y)
					got, want := ix.Locate(p, GCJ02), ix.LocateBrute(p)
					if got != want {
						t.Errorf("Locate(%v) = %+v, want %+v (%s)", p, got, want, tc.reason)
					}
					if got.Grid != "" {
						n++
					}
				}
			}
			if n == 0 {
				t.Fatal("no point was located")
			}
		})
	}
}

func TestIndex_Lookups(t *testing.T) {
	ix := mustIndex(t, testWorld(), nil)
	tests := []struct {
		name   string
		call   func() (string, error)
		want   string
		err    error
		reason string
	}{
		{"building listed", func() (string, error) { return ix.Building("b2") }, "320104002001002", nil, "A002 lists b2"},
		{"building by location", func() (string, error) { return ix.Building("b5") }, "320104002001002", nil, "no grid lists b5; its location is in A002"},
		{"building unknown", func() (string, error) { return ix.Building("nope") }, "", gridgov.ErrNotFound, "not registered"},
		{"household", func() (string, error) { return ix.Household("hh1") }, "320104002001001", nil, "hh1 lives in b1, in A001"},
		{"household via located building", func() (string, error) { return ix.Household("hh5") }, "320104002001002", nil, "b5 was placed by location"},
		{"household unknown", func() (string, error) { return ix.Household("hh9") }, "", gridgov.ErrNotFound, "not registered"},
	}
	for _, tc := range tests {
		got, err := tc.call()
		if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
			t.Errorf("%s: error = %v, want %v (%s)", tc.name, err, tc.err, tc.reason)
		}
		if got != tc.want {
			t.Errorf("%s = %q, want %q (%s)", tc.name, got, tc.want, tc.reason)
		}
	}
	if h, _ := ix.Households("320104002001001"); h != 400 {
		t.Errorf("Households(A001) = %d, want the declared 400", h)
	}
	if h, _ := ix.Households("320104002001101"); h != 0 {
		t.Errorf("Households(E101) = %d, want 0 (no buildings)", h)
	}
	if _, ok := ix.Households("nope"); ok {
		t.Errorf("Households(nope) ok")
	}
}

func TestIndex_Households_Derived(t *testing.T) {
	w := testWorld()
	w.Grids[1].Households = 0 // A002: derive from b2 (130) and the located b5 (40)
	ix := mustIndex(t, w, nil)
	if h, _ := ix.Households("320104002001002"); h != 170 {
		t.Errorf("Households(A002) = %d, want 130+40", h)
	}
}

func TestIndex_Grid_IsACopy(t *testing.T) {
	w := testWorld()
	ix := mustIndex(t, w, nil)
	// Changing the caller's geometry after the build changes nothing.
	w.Grids[0].Boundary.(orb.Polygon)[0][2] = pt(50, 50)
	w.Grids[0].Posts[0].Person = "changed"
	if got := ix.Locate(pt(1.9, 1.9), GCJ02); got.Grid != "320104002001001" {
		t.Errorf("Locate after the caller changed its polygon = %+v", got)
	}
	g, ok := ix.Grid("320104002001001")
	if !ok {
		t.Fatal("Grid(A001) not found")
	}
	if diff := cmp.Diff(testWorld().Grids[0].Boundary, g.Boundary); diff != "" {
		t.Errorf("Grid(A001).Boundary mismatch (-want +got):\n%s", diff)
	}
	if g.Posts[0].Person != "w1" {
		t.Errorf("Grid(A001).Posts[0] = %v", g.Posts[0])
	}
	g.Posts[0].Person = "x"
	g2, _ := ix.Grid("320104002001001")
	if g2.Posts[0].Person != "w1" {
		t.Errorf("changing a returned grid changed the index")
	}
	if got := ix.Codes(); len(got) != 6 || got[0] != "320104002001001" {
		t.Errorf("Codes() = %v", got)
	}
}

func TestIndex_Beats(t *testing.T) {
	ix := mustIndex(t, testWorld(), nil)
	tests := []struct {
		p       orb.Point
		beat    string
		officer string
		reason  string
	}{
		{pt(1, 1), "J01", "police-1", "inside J01"},
		{pt(2, 1), "J01", "police-1", "on the J01/J02 edge: the western beat"},
		{pt(3, 2.5), "J02", "police-2", "inside J02"},
		{pt(5.5, 0.5), "J03", "police-3", "inside J03"},
		{pt(9, 9), "", "", "outside every beat"},
	}
	for _, tc := range tests {
		b, ok := ix.LocateBeat(tc.p, GCJ02)
		if b.Code != tc.beat || ok != (tc.beat != "") {
			t.Errorf("LocateBeat(%v) = %q, %v, want %q (%s)", tc.p, b.Code, ok, tc.beat, tc.reason)
		}
		o, ok := ix.Officer(tc.p, GCJ02)
		if string(o) != tc.officer || ok != (tc.officer != "") {
			t.Errorf("Officer(%v) = %q, %v, want %q (%s)", tc.p, o, ok, tc.officer, tc.reason)
		}
	}
	overlay := map[string][]string{}
	for _, c := range ix.Codes() {
		overlay[c] = ix.BeatsOf(c)
	}
	want := map[string][]string{
		"320104002001001": {"J01"},
		"320104002001002": {"J02"},
		"320104002001003": {"J01", "J02"}, // spans both
		"320104002001004": {"J01"},        // touches J02 along x=2 only
		"320104002001101": {"J02"},
		"320104002002001": {"J03"},
	}
	if diff := cmp.Diff(want, overlay); diff != "" {
		t.Errorf("BeatsOf mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"320104002001001", "320104002001003", "320104002001004"}, ix.GridsOf("J01")); diff != "" {
		t.Errorf("GridsOf(J01) mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"police-1", "police-2"}, toStrings(ix.OfficersOf("320104002001003"))); diff != "" {
		t.Errorf("OfficersOf(A003) mismatch (-want +got):\n%s", diff)
	}
	if b, ok := ix.Beat("J02"); !ok || b.Officer != "police-2" || b.Boundary == nil {
		t.Errorf("Beat(J02) = %+v, %v", b, ok)
	}
	if _, ok := ix.Beat("J99"); ok || ix.BeatsOf("nope") != nil || ix.GridsOf("J99") != nil {
		t.Errorf("unknown codes answered")
	}
}

func toStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func TestNewIndex_Errors(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(a *Atlas)
		opts   *IndexOptions
		want   []string // substrings of the error, each must appear
		reason string
	}{
		{"duplicate code", func(a *Atlas) { a.Grids[1].Code = a.Grids[0].Code }, nil,
			[]string{`grids[1] (code "320104002001001"): duplicate code`}, "codes identify grids"},
		{"empty code", func(a *Atlas) { a.Grids[2].Code = "" }, nil, []string{`grids[2] (code ""): code is empty`}, "codes identify grids"},
		{"no community", func(a *Atlas) { a.Grids[0].Community = "" }, nil, []string{"community is empty"}, "a grid belongs to exactly one community"},
		{"bad kind", func(a *Atlas) { a.Grids[0].Kind = "mixed" }, nil, []string{`kind "mixed"`}, "two kinds only"},
		{"negative households", func(a *Atlas) { a.Grids[0].Households = -1 }, nil, []string{"households -1"}, "counts are not negative"},
		{"nothing to locate", func(a *Atlas) { a.Grids[3].Boundary = nil }, nil, []string{"neither a boundary nor buildings"}, "a grid needs a boundary or buildings"},
		{"degenerate ring", func(a *Atlas) { a.Grids[0].Boundary = orb.Polygon{{pt(0, 0), pt(1, 0), pt(1, 0), pt(0, 0)}} }, nil,
			[]string{"ring 0: has 2 distinct vertices"}, "a ring needs three distinct vertices"},
		{"line boundary", func(a *Atlas) { a.Grids[0].Boundary = orb.LineString{pt(0, 0), pt(1, 1)} }, nil,
			[]string{"geometry is a LineString"}, "polygons only"},
		{"NaN vertex", func(a *Atlas) { a.Grids[0].Boundary.(orb.Polygon)[0][1] = orb.Point{math.NaN(), 1} }, nil,
			[]string{"ring 0: position 1 (NaN, 1) is not finite"}, "coordinates are finite"},
		{"unknown building", func(a *Atlas) { a.Grids[0].Buildings = append(a.Grids[0].Buildings, "b9") }, nil,
			[]string{`buildings[2] "b9": no such building`}, "listed buildings exist"},
		{"building in two grids", func(a *Atlas) { a.Grids[1].Buildings = append(a.Grids[1].Buildings, "b1") }, nil,
			[]string{`"b1": already in grid "320104002001001"`}, "a building is in one grid"},
		{"duplicate building", func(a *Atlas) { a.Buildings[1].ID = "b1" }, nil, []string{`buildings[1] (id "b1"): duplicate id`}, "IDs are unique"},
		{"household of unknown building", func(a *Atlas) { a.Households[0].Building = "b9" }, nil, []string{`households[0] (id "hh1"): building "b9"`}, "households live in known buildings"},
		{"duplicate beat", func(a *Atlas) { a.Beats[1].Code = "J01" }, nil, []string{`beats[1] (code "J01"): duplicate code`}, "beat codes are unique"},
		{"beat without boundary", func(a *Atlas) { a.Beats[0].Boundary = nil }, nil, []string{`beats[0] (code "J01"): boundary: geometry is missing`}, "a beat is an area"},
		{"duplicate community", func(a *Atlas) { a.Communities[1].ID = commA }, nil, []string{"communities[1]", "duplicate id"}, "community IDs are unique"},
		{"bad datum", func(a *Atlas) { a.Datum = "wgs-84" }, nil, []string{`datum "wgs-84"`}, "three datums"},
		{"bad options datum", nil, &IndexOptions{Datum: "mars"}, []string{`options datum "mars"`}, "three datums"},
		{"bad policy", nil, &IndexOptions{Policy: &Policy{}}, []string{"code.pattern: must not be empty", "full_time_roles"}, "the policy is validated"},
		{"several at once", func(a *Atlas) { a.Grids[0].Kind = "x"; a.Grids[5].Code = "" }, nil,
			[]string{`grids[0]`, `grids[5]`}, "every problem is reported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := testWorld()
			if tc.edit != nil {
				tc.edit(&a)
			}
			before := cloneAtlasForCompare(a)
			ix, err := NewIndex(a, tc.opts)
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("NewIndex error = %v, want ErrInvalid (%s)", err, tc.reason)
			}
			if ix != nil {
				t.Errorf("NewIndex returned an index with an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q (%s)", err, w, tc.reason)
				}
			}
			if diff := cmp.Diff(before, cloneAtlasForCompare(a), cmpopts.EquateNaNs(), rawPoints); diff != "" {
				t.Errorf("NewIndex changed its input (-before +after):\n%s", diff)
			}
		})
	}
}

// cloneAtlasForCompare deep-copies the parts of an atlas NewIndex could touch.
func cloneAtlasForCompare(a Atlas) Atlas {
	b := a
	b.Grids = append([]Grid(nil), a.Grids...)
	for i := range b.Grids {
		if b.Grids[i].Boundary != nil {
			b.Grids[i].Boundary = orb.Clone(b.Grids[i].Boundary)
		}
		b.Grids[i].Buildings = append([]string(nil), b.Grids[i].Buildings...)
	}
	b.Buildings = append([]Building(nil), a.Buildings...)
	b.Households = append([]Household(nil), a.Households...)
	return b
}

// rawPoints compares orb polygons as plain numbers: orb's Equal methods say NaN != NaN.
var rawPoints = cmp.Transformer("raw", func(pg orb.Polygon) [][][2]float64 {
	out := make([][][2]float64, len(pg))
	for i, r := range pg {
		for _, p := range r {
			out[i] = append(out[i], p)
		}
	}
	return out
})

func TestIndex_Locate_WithoutBuckets(t *testing.T) {
	// 2,500 small grids and 30 grids over the whole area: bounding boxes overlap
	// everywhere. The cell index lists only boundaries, so it copes; the R-tree path
	// (the fallback for layers the cells do not suit) must answer alike.
	a := Atlas{Datum: GCJ02}
	for i := range 30 {
		a.Grids = append(a.Grids, Grid{Code: fmt.Sprintf("C%02d", i), Community: commA, Kind: Comprehensive, Boundary: rect(0, 0, 50, 50)})
	}
	for j := range 50 {
		for i := range 50 {
			a.Grids = append(a.Grids, Grid{Code: fmt.Sprintf("E%02d%02d", i, j), Community: commA, Kind: Exclusive,
				Boundary: rect(float64(i), float64(j), float64(i)+0.2, float64(j)+0.2)})
		}
	}
	ix := mustIndex(t, a, nil)
	if !ix.cellsOK {
		t.Fatalf("no cell index for heavily overlapping boxes")
	}
	tests := []struct {
		p      orb.Point
		want   string
		reason string
	}{
		{pt(1.1, 2.1), "E0102", "exclusive first"},
		{pt(49.1, 49.1), "E4949", "exclusive first"},
		{pt(8.5, 8.5), "C00", "overlapping comprehensive grids: the smallest code"},
	}
	for _, tc := range tests {
		if got := ix.Locate(tc.p, GCJ02); got.Grid != tc.want || got.Status != Inside {
			t.Errorf("Locate(%v) = %+v, want %s (%s)", tc.p, got, tc.want, tc.reason)
		}
		if it := ix.locateTree(tc.p); it < 0 || ix.grids[ix.treeGrid[it]].g.Code != tc.want {
			t.Errorf("locateTree(%v) = %d, want %s (%s)", tc.p, it, tc.want, tc.reason)
		}
	}
}

func TestIndex_ConcurrentUse(t *testing.T) {
	// Every method reads the immutable index only; run them together under -race.
	ix := mustIndex(t, testWorld(), nil)
	want := mustValidate(t, ix)
	done := make(chan error)
	for g := range 4 {
		go func() {
			var err error
			for i := range 200 {
				p := pt(float64(i%40)/10, float64(g)/2)
				_ = ix.Locate(p, WGS84)
				_, _ = ix.LocateBeat(p, GCJ02)
				_, _ = ix.Address("龙蟠中路218号1栋")
				_ = ix.Reassign("w2")
				if i%50 == 0 {
					if got, verr := ix.Validate(context.Background()); verr != nil {
						err = verr
					} else if diff := cmp.Diff(want, got); diff != "" {
						err = fmt.Errorf("Validate() changed under concurrent use:\n%s", diff)
					}
				}
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
