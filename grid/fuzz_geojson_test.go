package grid

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
)

// leafErrors flattens errors.Join trees (a *gridgov.Error is a leaf).
func leafErrors(err error) []error {
	if _, ok := err.(*gridgov.Error); ok {
		return []error{err}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// checkAreas fails on a finding whose area or point is not finite.
func checkAreas(t *testing.T, r Report) {
	t.Helper()
	for _, f := range r.Findings {
		if math.IsNaN(f.AreaM2) || math.IsInf(f.AreaM2, 0) || f.AreaM2 < 0 || !finite(f.At) {
			t.Fatalf("finding with a bad area or point: %+v", f)
		}
	}
}

// FuzzGeoJSON: reading any bytes as grids, beats or communities never panics; every
// error about a feature names it; whatever is read indexes and validates without panic.
func FuzzGeoJSON(f *testing.F) {
	poly := func(coords string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","id":"g1","geometry":{"type":"Polygon","coordinates":` + coords +
			`},"properties":{"community":"c","kind":"comprehensive"}}]}`
	}
	f.Add([]byte(poly(`[[[118.79,32.02],[118.8,32.02],[118.8,32.03],[118.79,32.02]]]`)))                                         // valid triangle
	f.Add([]byte(poly(`[[[118.79,32.02],[118.8,32.02],[118.8,32.03],[118.79,32.03]]]`)))                                         // unclosed ring
	f.Add([]byte(poly(`[[[0,0],[2,2],[2,0],[0,2],[0,0]]]`)))                                                                     // bow tie
	f.Add([]byte(poly(`[[[118.79,32.02],[118.8,1000],[118.8,32.03],[118.79,32.02]]]`)))                                          // latitude 1000
	f.Add([]byte(poly(`[[[1e300,-1e300],[118.8,32.02],[118.8,32.03],[1e300,-1e300]]]`)))                                         // huge finite
	f.Add([]byte(poly(`[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,3],[3,3],[3,1],[1,1]],[[1.5,1.5],[1.5,2],[2,2],[1.5,1.5]]]`))) // hole in hole
	f.Add([]byte(poly(`[[[0,0],[1,0],[0,0]]]`)))                                                                                 // short ring
	f.Add([]byte(poly(`[[[0],[1,0],[1,1],[0,0]]]`)))                                                                             // short position
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0.5,0],[1.5,0],[1.5,1],[0.5,0]]]]},"properties":{"community":"c","kind":"comprehensive","code":"a"}},` +
		`{"type":"Feature","id":"b","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]},"properties":{"community":"c","kind":"comprehensive"}}]}`)) // overlapping parts and grids
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":null},{"type":"Point"}]}`))
	f.Add([]byte(`{"type":"Feature"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fc rawCollection
		collection := json.Unmarshal(data, &fc) == nil && fc.Type == "FeatureCollection"
		check := func(what string, err error) {
			if err == nil {
				return
			}
			for _, e := range leafErrors(err) {
				if !collection {
					if !strings.HasPrefix(e.Error(), "grid: geojson: ") {
						t.Fatalf("%s: error %q does not say where it comes from", what, e)
					}
					continue
				}
				if !strings.Contains(e.Error(), "feature ") {
					t.Fatalf("%s: error %q names no feature", what, e)
				}
			}
		}
		grids, err := GridsFromGeoJSON(data)
		check("grids", err)
		_, err = BeatsFromGeoJSON(data, GeometryOptions{Strict: true})
		check("beats", err)
		comms, err := CommunitiesFromGeoJSON(data, GeometryOptions{CloseRings: true})
		check("communities", err)
		if len(grids) == 0 {
			return
		}
		a := Atlas{Grids: grids}
		for i := range a.Grids {
			a.Grids[i].Community = "c"
		}
		for _, c := range comms {
			if c.ID != "" && len(a.Communities) == 0 {
				a.Communities = append(a.Communities, Community{ID: "c", Boundary: c.Boundary})
			}
		}
		ix, err := NewIndex(a, &IndexOptions{Policy: lenientPolicy()})
		if err != nil {
			return
		}
		r, err := ix.Validate(context.Background())
		if err != nil {
			t.Fatalf("Validate: %v", err)
		}
		checkAreas(t, r)
	})
}

// FuzzGeometry: any float64 coordinates (NaN, Inf, huge, subnormal), in any ring shape,
// as a grid and as its community: NewIndex refuses or accepts without panic, a
// refusal names the grid or community and a rule, and Validate of what is accepted
// never panics.
func FuzzGeometry(f *testing.F) {
	enc := func(rings ...[]orb.Point) []byte {
		var b []byte
		for _, r := range rings {
			b = append(b, byte(len(r)))
			for _, p := range r {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
			}
		}
		return b
	}
	f.Add(enc(rect(0, 0, 2, 2)[0]), uint8(0))
	f.Add(enc(rect(0, 0, 4, 4)[0], rect(1, 1, 2, 2)[0]), uint8(1))
	f.Add(enc([]orb.Point{pt(0, 0), pt(2, 2), pt(2, 0), pt(0, 2), pt(0, 0)}), uint8(2))
	f.Add(enc([]orb.Point{{-180, -90}, {180, -90}, {180, 90}, {-180, -90}}), uint8(3))
	f.Add(enc([]orb.Point{{0, 0}, {1e-300, 0}, {1e-300, 1e-300}, {0, 0}}), uint8(0))
	f.Add(enc([]orb.Point{{math.NaN(), 0}, {1, 0}, {1, 1}, {math.NaN(), 0}}), uint8(1))
	f.Add(enc([]orb.Point{{1e300, 0}, {1, 0}, {1, 1}, {1e300, 0}}), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		var pg orb.Polygon
		for len(data) > 0 && len(pg) < 8 {
			n := int(data[0])
			data = data[1:]
			var r orb.Ring
			for ; n > 0 && len(data) >= 16; n-- {
				r = append(r, orb.Point{math.Float64frombits(binary.LittleEndian.Uint64(data)), math.Float64frombits(binary.LittleEndian.Uint64(data[8:]))})
				data = data[16:]
			}
			pg = append(pg, r)
		}
		opt := GeometryOptions{CloseRings: flags&1 != 0, Strict: flags&2 != 0}
		a := Atlas{
			Communities: []Community{{ID: "c", Boundary: pg}},
			Grids:       []Grid{{Code: "g", Community: "c", Kind: Comprehensive, Boundary: pg}},
		}
		if flags&4 != 0 {
			// A second grid overlapping the first, for the pairwise sweep.
			a.Grids = append(a.Grids, Grid{Code: "h", Community: "c", Kind: Comprehensive, Boundary: rect(0, 0, 1, 1)})
		}
		ix, err := NewIndex(a, &IndexOptions{Policy: lenientPolicy(), Geometry: opt})
		if err != nil {
			for _, e := range leafErrors(err) {
				if !strings.Contains(e.Error(), `grids[`) && !strings.Contains(e.Error(), `communities[`) {
					t.Fatalf("error %q names no record", e)
				}
				if !errors.Is(e, gridgov.ErrInvalid) {
					t.Fatalf("error %q is not ErrInvalid", e)
				}
			}
			return
		}
		r, err := ix.Validate(context.Background())
		if err != nil {
			t.Fatalf("Validate: %v", err)
		}
		checkAreas(t, r)
		if flags&4 == 0 && len(r.Of(FindingGap))+len(r.Of(FindingOutsideCommunity))+len(r.Of(FindingOverlap)) != 0 {
			t.Fatalf("a grid identical to its community has findings:\n%s", r)
		}
	})
}
