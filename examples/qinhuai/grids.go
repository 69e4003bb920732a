package main

import (
	"context"
	"strings"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
)

// Where things happen, in GCJ-02 (the datum of Chinese web maps and of the atlas).
var (
	// patrolGPS is where 王芳's phone puts her on patrol, in WGS-84 as GPS gives it: the
	// lane west of 夫子庙, GCJ-02 (118.7862, 32.0213).
	patrolGPS = orb.Point{118.780996, 32.023346}
	// scenicSpot is a point inside the 夫子庙 scenic area.
	scenicSpot = orb.Point{118.7885, 32.0205}
	// disputeAddress is the neighbours' address as a resident types it: full-width
	// digits, a Chinese numeral for the building, the city and district in front.
	disputeAddress = "南京市秦淮区平江府路８号三栋二单元301室"
)

// rect is the polygon of a longitude/latitude rectangle.
func rect(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// grids lays out 乌衣巷社区's grids and police beat (scene 2), locates a GPS report
// and an address, and validates the layer. The grid polygons are illustrative; the
// district outline is the real one.
func (s *story) grids() {
	s.section(2, "Grids 网格: 乌衣巷社区 next to 夫子庙, 3 comprehensive and 1 exclusive over the scenic area")
	at := s.cst(2025, 9, 26, 9, 0)
	// The atlas takes each grid's posts from the tree, so that the two never disagree
	// about who serves a grid.
	posts := func(g hierarchy.UnitID) []grid.Post {
		var ps []grid.Post
		for _, p := range s.tree.PostsIn(g, "", at) {
			ps = append(ps, grid.Post{Person: p.Person, Role: p.Role})
		}
		return ps
	}
	atlas := grid.Atlas{
		Datum: grid.GCJ02,
		Communities: []grid.Community{
			{ID: wuyixiang, Name: "乌衣巷社区", Boundary: rect(118.784, 32.017, 118.792, 32.024)},
		},
		Grids: []grid.Grid{
			{Code: string(grid1), Community: wuyixiang, Kind: grid.Comprehensive, Households: 420, Posts: posts(grid1),
				Boundary: rect(118.784, 32.017, 118.788, 32.024), Buildings: []string{"wyx-12"}},
			{Code: string(grid2), Community: wuyixiang, Kind: grid.Comprehensive, Households: 460, Posts: posts(grid2),
				Boundary: rect(118.788, 32.0205, 118.792, 32.024), Buildings: []string{"pjf-8-1", "pjf-8-3"}},
			// Grid 3 has grown past the household band; validation will say so.
			{Code: string(grid3), Community: wuyixiang, Kind: grid.Comprehensive, Households: 540, Posts: posts(grid3),
				Boundary: rect(118.788, 32.017, 118.792, 32.0205)},
			{Code: string(scenicGrid), Community: wuyixiang, Kind: grid.Exclusive, Subkind: grid.Park,
				Boundary: rect(118.7875, 32.0195, 118.7895, 32.0215)},
		},
		Beats: []grid.Beat{{Code: string(beat), Name: "乌衣巷警务区", Station: station, Officer: zhangWei,
			Boundary: rect(118.784, 32.017, 118.792, 32.024)}},
		Buildings: []grid.Building{
			{ID: "wyx-12", Address: "乌衣巷12号"},
			{ID: "pjf-8-1", Address: "平江府路8号1栋"},
			{ID: "pjf-8-3", Address: "平江府路8号3栋"},
		},
	}
	s.ix = must(grid.NewIndex(atlas, nil))
	ix := s.ix

	// The district's real outline answers "is this in Qinhuai at all?".
	outline := must(grid.CommunitiesFromGeoJSON(outlineGeoJSON))
	inDistrict := must(grid.NewIndex(grid.Atlas{Datum: grid.GCJ02, Grids: []grid.Grid{{Code: "320104",
		Community: district, Kind: grid.Comprehensive, Boundary: outline[0].Boundary}}}, nil))

	gcj := grid.WGS84ToGCJ02(patrolGPS)
	a := ix.Locate(patrolGPS, grid.WGS84) // converted to the index's GCJ-02 on the way in
	s.printf("GPS report (WGS-84) %.6f,%.6f = GCJ-02 %.4f,%.4f → grid %s (%s); in Qinhuai's outline: %v\n",
		patrolGPS[0], patrolGPS[1], gcj[0], gcj[1], a.Grid, a.Status,
		inDistrict.Locate(patrolGPS, grid.WGS84).Status == grid.Inside)
	s.printf("a visitor in the scenic area (GCJ-02 %.4f,%.4f) → grid %s: the exclusive grid wins\n",
		scenicSpot[0], scenicSpot[1], ix.Locate(scenicSpot, grid.GCJ02).Grid)

	s.address = must(ix.Address(disputeAddress))
	s.printf("address %s\n  = %s → grid %s (building %s)\n", disputeAddress, s.address.Normalized,
		s.address.Grid, s.address.Building)

	street := must(ix.Street(s.tree, a.Grid))
	g, ok := ix.Grid(a.Grid)
	found(ok, "grid "+a.Grid)
	officer, ok := ix.Officer(patrolGPS, grid.WGS84)
	found(ok, "community police officer at the patrol point")
	var beats []string
	for _, code := range ix.BeatsOf(a.Grid) {
		b, _ := ix.Beat(code)
		beats = append(beats, b.Name)
	}
	s.printf("grid %s → %s → %s; beat %s, community police %s (网格+警格)\n",
		a.Grid, s.unitName(g.Community), s.unitName(street), strings.Join(beats, ", "), s.name(officer))

	r := must(ix.Validate(context.Background()))
	pol := ix.Policy()
	s.printf("validation (households %d–%d a grid; a worker at most %d grids, %d households): %d finding(s)\n",
		pol.Households.Min, pol.Households.Max, pol.Load.MaxGrids, pol.Load.MaxHouseholds, len(r.Findings))
	for _, f := range r.Findings {
		s.printf("  %s: %s\n", f.Kind, f.Msg)
	}
}
