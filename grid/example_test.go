package grid_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
)

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// Two comprehensive grids share the edge x = 118.80; a school's exclusive grid sits over
// the eastern one. Points on the shared edge go west; the school wins over the grid
// beneath it; a GPS (WGS-84) reading is converted before the lookup.
func ExampleIndex_Locate() {
	ix, err := grid.NewIndex(grid.Atlas{
		Datum: grid.GCJ02,
		Grids: []grid.Grid{
			{Code: "320104002001001", Community: "320104002001", Kind: grid.Comprehensive, Boundary: square(118.79, 32.02, 118.80, 32.03)},
			{Code: "320104002001002", Community: "320104002001", Kind: grid.Comprehensive, Boundary: square(118.80, 32.02, 118.81, 32.03)},
			{Code: "320104002001101", Community: "320104002001", Kind: grid.Exclusive, Subkind: grid.School, Boundary: square(118.803, 32.023, 118.806, 32.026)},
		},
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	show := func(name string, p orb.Point, d grid.Datum) {
		a := ix.Locate(p, d)
		fmt.Printf("%-14s %s %s\n", name, a.Grid, a.Status)
	}
	show("west", orb.Point{118.795, 32.025}, grid.GCJ02)
	show("shared edge", orb.Point{118.80, 32.025}, grid.GCJ02)
	show("shared corner", orb.Point{118.80, 32.03}, grid.GCJ02)
	show("school", orb.Point{118.804, 32.024}, grid.GCJ02)
	show("GPS reading", grid.GCJ02ToWGS84(orb.Point{118.795, 32.025}), grid.WGS84)
	a := ix.Locate(orb.Point{118.8104, 32.025}, grid.GCJ02)
	fmt.Printf("%-14s %s %s %.0f m\n", "just outside", a.Grid, a.Status, a.DistanceM)
	fmt.Printf("%-14s %q %s\n", "far away", ix.Locate(orb.Point{118.9, 32.1}, grid.GCJ02).Grid, ix.Locate(orb.Point{118.9, 32.1}, grid.GCJ02).Status)
	// Output:
	// west           320104002001001 inside
	// shared edge    320104002001001 inside
	// shared corner  320104002001001 inside
	// school         320104002001101 inside
	// GPS reading    320104002001001 inside
	// just outside   320104002001002 nearest 38 m
	// far away       "" unassigned
}

// Qinhuai district's outline (GCJ-02) cut into synthetic grids: the lattice cells of its
// bounding box whose centre lies in the district. Validation then reports the ragged
// border: cells reaching outside the district and district area no cell covers.
func Example_qinhuai() {
	data, err := os.ReadFile("testdata/qinhuai-320104.geojson")
	if err != nil {
		fmt.Println(err)
		return
	}
	district, err := grid.CommunitiesFromGeoJSON(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A one-grid index answers "is this point in the district?".
	outline, _ := grid.NewIndex(grid.Atlas{Datum: grid.GCJ02, Grids: []grid.Grid{
		{Code: "320104", Community: "320104", Kind: grid.Comprehensive, Boundary: district[0].Boundary}}}, nil)
	b := district[0].Boundary.Bound()
	const n = 10
	// Corners come from one function of the lattice index, so neighbours share them
	// exactly (x0+dx would differ from the next cell's x0 in the last bit: an overlap).
	x := func(i int) float64 { return b.Min[0] + float64(i)*(b.Max[0]-b.Min[0])/n }
	y := func(j int) float64 { return b.Min[1] + float64(j)*(b.Max[1]-b.Min[1])/n }
	atlas := grid.Atlas{Datum: grid.GCJ02, Communities: district}
	for j := range n {
		for i := range n {
			centre := orb.Point{(x(i) + x(i+1)) / 2, (y(j) + y(j+1)) / 2}
			if outline.Locate(centre, grid.GCJ02).Status != grid.Inside {
				continue
			}
			code := fmt.Sprintf("320104%03d", len(atlas.Grids)+1)
			atlas.Grids = append(atlas.Grids, grid.Grid{Code: code, Community: "320104", Kind: grid.Comprehensive,
				Boundary: square(x(i), y(j), x(i+1), y(j+1)), Households: 400,
				Posts: []grid.Post{{Person: hierarchy.PersonID("w" + code), Role: hierarchy.RoleGridWorker}}})
		}
	}
	pol := grid.QinhuaiPolicy()
	pol.Code = grid.CodeRule{Pattern: `^320104[0-9]{3}$`, CommunityPrefix: 6}
	ix, err := grid.NewIndex(atlas, &grid.IndexOptions{Policy: &pol})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("grids:", ix.Len())
	fuzimiao := orb.Point{118.78853, 32.02064} // 夫子庙, GCJ-02
	fmt.Println("夫子庙:", ix.Locate(fuzimiao, grid.GCJ02).Grid)
	fmt.Println("南京南站:", ix.Locate(orb.Point{118.7976, 31.9687}, grid.GCJ02).Status)
	r, err := ix.Validate(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("outside the district:", len(r.Of(grid.FindingOutsideCommunity)) > 0)
	fmt.Println("gaps along the border:", len(r.Of(grid.FindingGap)) > 0)
	fmt.Println("overlaps:", len(r.Of(grid.FindingOverlap)))
	// Output:
	// grids: 61
	// 夫子庙: 320104036
	// 南京南站: unassigned
	// outside the district: true
	// gaps along the border: true
	// overlaps: 0
}

func ExampleAddressRules_Normalize() {
	r := grid.QinhuaiPolicy().Address
	for _, s := range []string{
		"江苏省南京市秦淮区龙蟠中路２１８号三幢二单元３０１室",
		"龙蟠中路 218 號 3-2-301",
		"龙蟠中路218号3号楼",
		"三山街8号",
	} {
		fmt.Println(r.Normalize(s))
	}
	// Output:
	// 龙蟠中路218号3栋2单元301室
	// 龙蟠中路218号3栋2单元301室
	// 龙蟠中路218号3栋
	// 三山街8号
}

func ExampleIndex_Address() {
	ix, _ := grid.NewIndex(grid.Atlas{
		Grids: []grid.Grid{
			{Code: "320104002001001", Community: "320104002001", Kind: grid.Comprehensive, Buildings: []string{"b1"}},
			{Code: "320104002001002", Community: "320104002001", Kind: grid.Comprehensive, Buildings: []string{"b2"}},
		},
		Buildings: []grid.Building{
			{ID: "b1", Address: "龙蟠中路218号1栋"},
			{ID: "b2", Address: "龙蟠中路218号2幢"},
		},
	}, nil)
	m, err := ix.Address("南京市秦淮区龙蟠中路２１８号二栋一单元502室")
	fmt.Println(m.Grid, m.Building, err)
	_, err = ix.Address("龙蟠中路218号")
	fmt.Println(errors.Is(err, gridgov.ErrInvalid))
	_, err = ix.Address("龙蟠中路300号")
	fmt.Println(errors.Is(err, gridgov.ErrNotFound))
	// Output:
	// 320104002001002 b2 <nil>
	// true
	// true
}

func ExampleIndex_Validate() {
	worker := func(id hierarchy.PersonID) []grid.Post {
		return []grid.Post{{Person: id, Role: hierarchy.RoleGridWorker}}
	}
	ix, _ := grid.NewIndex(grid.Atlas{
		Datum:       grid.GCJ02,
		Communities: []grid.Community{{ID: "320104002001", Boundary: square(118.79, 32.02, 118.81, 32.03)}},
		Grids: []grid.Grid{
			{Code: "320104002001001", Community: "320104002001", Kind: grid.Comprehensive,
				Boundary: square(118.79, 32.02, 118.801, 32.03), Households: 420, Posts: worker("w1")},
			{Code: "320104002001002", Community: "320104002001", Kind: grid.Comprehensive,
				Boundary: square(118.80, 32.02, 118.81, 32.03), Households: 650},
		},
		Beats: []grid.Beat{{Code: "J01", Officer: "police-1", Boundary: square(118.79, 32.02, 118.81, 32.03)}},
	}, nil)
	r, err := ix.Validate(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r)
	// Output:
	// overlap [320104002001001 320104002001002]: comprehensive grids 320104002001001 and 320104002001002 overlap by 104827 m² near (118.800500, 32.025000)
	// households [320104002001002]: grid 320104002001002 has 650 households, policy band 300–500
	// no-full-time-worker [320104002001002]: comprehensive grid 320104002001002 has no full-time grid worker
}

func ExampleIndex_Reassign() {
	worker := func(id hierarchy.PersonID) []grid.Post {
		return []grid.Post{{Person: id, Role: hierarchy.RoleGridWorker}}
	}
	ix, _ := grid.NewIndex(grid.Atlas{
		Datum: grid.GCJ02,
		Grids: []grid.Grid{
			{Code: "320104002001001", Community: "320104002001", Kind: grid.Comprehensive, Boundary: square(118.79, 32.02, 118.80, 32.03), Households: 400, Posts: worker("w1")},
			{Code: "320104002001002", Community: "320104002001", Kind: grid.Comprehensive, Boundary: square(118.80, 32.02, 118.81, 32.03), Households: 400, Posts: worker("w2")},
			{Code: "320104002001003", Community: "320104002001", Kind: grid.Comprehensive, Boundary: square(118.83, 32.02, 118.84, 32.03), Households: 400, Posts: worker("w3")},
		},
	}, nil)
	r := ix.Reassign("w2")
	fmt.Println("uncovered:", r.Uncovered)
	for _, c := range r.Proposals {
		fmt.Printf("%s → %s (%.0f m)\n", c.Grid, c.Person, c.DistanceM)
	}
	// Output:
	// uncovered: [320104002001002]
	// 320104002001002 → w1 (943 m)
}

func ExampleGridsFromGeoJSON() {
	doc := `{"type":"FeatureCollection","features":[
	  {"type":"Feature","id":"320104002001001","properties":{"community":"320104002001","kind":"comprehensive","households":420},
	   "geometry":{"type":"Polygon","coordinates":[[[118.79,32.02],[118.80,32.02],[118.80,32.03],[118.79,32.03],[118.79,32.02]]]}},
	  {"type":"Feature","id":"bad","properties":{"kind":"comprehensive"},
	   "geometry":{"type":"Point","coordinates":[118.79,32.02]}}]}`
	_, err := grid.GridsFromGeoJSON([]byte(doc))
	fmt.Println(err)
	// Output:
	// grid: geojson: feature 1 (id "bad"): geometry: type Point, want Polygon or MultiPolygon: gridgov: invalid
}
