package grid

import (
	"os"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/hierarchy"
)

// A hand-drawn world near Qinhuai. One unit is 0.001° (about 94 m east–west, 111 m
// north–south). Shared vertices are computed by the same expression, so neighbours
// share them exactly.
const (
	baseLon = 118.79
	baseLat = 32.02
	unit    = 0.001
)

func pt(x, y float64) orb.Point { return orb.Point{baseLon + x*unit, baseLat + y*unit} }

func rect(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{pt(x0, y0), pt(x1, y0), pt(x1, y1), pt(x0, y1), pt(x0, y0)}}
}

const (
	commA = hierarchy.UnitID("320104002001")
	commB = hierarchy.UnitID("320104002002")
)

// testWorld draws:
//
//	y=3 +-------------------------------+      B001 (community B) is a multipolygon:
//	    |  A003        +-----+          |      [5,6]×[0,1] and [5,6]×[2,3]
//	    |              |A004 | (hole)   |
//	y=2 +--------------+-----+----------+      A003's bottom edge is one edge from x=0 to
//	    |  A001          |  A002        |      x=4; A001 and A002 split it at x=2.
//	    |                |  +-----+     |      A004 fills A003's hole [1,2]×[2.2,2.8].
//	    |                |  |E101 |     |      E101 is an exclusive grid (a school) over
//	    |                |  +-----+     |      A002: [2.5,3.5]×[0.5,1.5].
//	y=0 +----------------+--------------+
//	    x=0             x=2            x=4
func testWorld() Atlas {
	workers := func(ids ...string) []Post {
		var ps []Post
		for _, id := range ids {
			ps = append(ps, Post{Person: hierarchy.PersonID(id), Role: hierarchy.RoleGridWorker})
		}
		return ps
	}
	a003 := orb.Polygon{
		{pt(0, 2), pt(4, 2), pt(4, 3), pt(0, 3), pt(0, 2)},
		{pt(1, 2.2), pt(1, 2.8), pt(2, 2.8), pt(2, 2.2), pt(1, 2.2)}, // hole, clockwise
	}
	return Atlas{
		Datum: GCJ02,
		Communities: []Community{
			{ID: commA, Name: "莲子营社区", Boundary: rect(0, 0, 4, 3)},
			{ID: commB, Name: "东水关社区", Boundary: orb.MultiPolygon{rect(5, 0, 6, 1), rect(5, 2, 6, 3)}},
		},
		Grids: []Grid{
			{Code: "320104002001001", Community: commA, Kind: Comprehensive, Boundary: rect(0, 0, 2, 2),
				Buildings: []string{"b1", "b4"}, Households: 400, Posts: append(workers("w1"), Post{Person: "h1", Role: hierarchy.RoleGridHead})},
			{Code: "320104002001002", Community: commA, Kind: Comprehensive, Boundary: rect(2, 0, 4, 2),
				Buildings: []string{"b2"}, Households: 420, Posts: workers("w2")},
			{Code: "320104002001003", Community: commA, Kind: Comprehensive, Boundary: a003,
				Buildings: []string{"b3"}, Households: 350, Posts: workers("w3")},
			{Code: "320104002001004", Community: commA, Kind: Comprehensive, Boundary: rect(1, 2.2, 2, 2.8),
				Households: 300, Posts: workers("w3")},
			{Code: "320104002001101", Community: commA, Kind: Exclusive, Subkind: School, Boundary: rect(2.5, 0.5, 3.5, 1.5),
				Households: 0, Posts: []Post{{Person: "s1", Role: hierarchy.RoleGridWorkerPartTime}}},
			{Code: "320104002002001", Community: commB, Kind: Comprehensive,
				Boundary: orb.MultiPolygon{rect(5, 0, 6, 1), rect(5, 2, 6, 3)}, Households: 380, Posts: workers("w5")},
		},
		Beats: []Beat{
			{Code: "J01", Officer: "police-1", Boundary: rect(0, 0, 2, 3)},
			{Code: "J02", Officer: "police-2", Boundary: rect(2, 0, 4, 3)},
			{Code: "J03", Officer: "police-3", Boundary: rect(4.5, -0.5, 6.5, 3.5)},
		},
		Buildings: []Building{
			{ID: "b1", Address: "龙蟠中路218号1栋", Households: 120},
			{ID: "b2", Address: "龙蟠中路218号2栋", Households: 130},
			{ID: "b3", Address: "龙蟠中路220号", Households: 90},
			{ID: "b4", Address: "中华路1号3幢", Households: 60},
			{ID: "b5", Address: "中华路5号", Location: pt(3, 0.2), Households: 40}, // listed by no grid: placed by location
		},
		Households: []Household{
			{ID: "hh1", Building: "b1", Room: "2单元301室"},
			{ID: "hh5", Building: "b5"},
		},
	}
}

func mustIndex(tb testing.TB, a Atlas, opts *IndexOptions) *Index {
	tb.Helper()
	ix, err := NewIndex(a, opts)
	require.NoError(tb, err)
	return ix
}

// qinhuaiBoundary reads Qinhuai district's outline (GCJ-02) from testdata.
func qinhuaiBoundary(tb testing.TB) orb.Geometry {
	tb.Helper()
	data, err := os.ReadFile("testdata/qinhuai-320104.geojson")
	require.NoError(tb, err)
	cs, err := CommunitiesFromGeoJSON(data)
	require.NoError(tb, err)
	require.Len(tb, cs, 1)
	return cs[0].Boundary
}

// qinhuaiCells cuts the district's bounding box into n×n cells and keeps those lying
// wholly inside the district.
func qinhuaiCells(tb testing.TB, q orb.Geometry, n int) []orb.Polygon {
	tb.Helper()
	f := newFlat(n*n+1, 0)
	qs, err := f.add(q, GCJ02, GCJ02)
	require.NoError(tb, err)
	b := f.bound[qs]
	dx, dy := (b.Max[0]-b.Min[0])/float64(n), (b.Max[1]-b.Min[1])/float64(n)
	x := func(i int) float64 { return b.Min[0] + float64(i)*dx }
	y := func(j int) float64 { return b.Min[1] + float64(j)*dy }
	var out []orb.Polygon
	for j := range n {
		for i := range n {
			c := orb.Polygon{{{x(i), y(j)}, {x(i + 1), y(j)}, {x(i + 1), y(j + 1)}, {x(i), y(j + 1)}, {x(i), y(j)}}}
			cs, err := f.add(c, GCJ02, GCJ02)
			require.NoError(tb, err)
			if !f.relate(cs, qs, nil).aExceeds() {
				out = append(out, c)
			}
		}
	}
	return out
}
