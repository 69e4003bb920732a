package gridbeat_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/escalation/gridbeat"
	"github.com/gridgov/gridgov/grid"
)

// A beat overlays two grids; a GPS reading inside it, and a report naming only the
// grid, both go to its officer; a point outside every beat is left to the routing
// table.
func ExampleResolver() {
	sq := func(x0, x1 float64) orb.Polygon {
		return orb.Polygon{{{x0, 32.02}, {x1, 32.02}, {x1, 32.03}, {x0, 32.03}, {x0, 32.02}}}
	}
	ix, err := grid.NewIndex(grid.Atlas{
		Datum: grid.GCJ02,
		Grids: []grid.Grid{
			{Code: "320104002005001", Community: "320104002005", Kind: grid.Comprehensive, Boundary: sq(118.784, 118.788)},
			{Code: "320104002005002", Community: "320104002005", Kind: grid.Comprehensive, Boundary: sq(118.788, 118.792)},
		},
		Beats: []grid.Beat{{Code: "320104/public-security/fuzimiao/wuyixiang", Name: "乌衣巷警务区",
			Officer: "zhang-wei", Boundary: sq(118.784, 118.792)}},
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	beats := gridbeat.Resolver(ix) // escalation.ServiceOptions{Beats: beats}
	gps := grid.GCJ02ToWGS84(orb.Point{118.786, 32.025})
	for _, loc := range []escalation.Location{
		{Unit: "320104002005001", Point: escalation.Point{Lon: gps[0], Lat: gps[1]}, Datum: "wgs84"},
		{Unit: "320104002005002"},
		{Unit: "320104002005001", Point: escalation.Point{Lon: 118.80, Lat: 32.025}, Datum: "gcj02"},
	} {
		officer, beat, ok := beats.BeatOfficer(loc)
		fmt.Println(officer, beat, ok)
	}
	// Output:
	// zhang-wei 320104/public-security/fuzimiao/wuyixiang true
	// zhang-wei 320104/public-security/fuzimiao/wuyixiang true
	//   false
}
