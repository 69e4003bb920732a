package grid

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
)

func TestGeoJSON_RoundTrip(t *testing.T) {
	w := testWorld()
	data, err := GridsToGeoJSON(w.Grids)
	require.NoError(t, err)
	grids, err := GridsFromGeoJSON(data)
	require.NoError(t, err)
	if diff := cmp.Diff(w.Grids, grids); diff != "" {
		t.Errorf("grids round trip mismatch (-want +got):\n%s", diff)
	}
	data, err = BeatsToGeoJSON(w.Beats)
	require.NoError(t, err)
	beats, err := BeatsFromGeoJSON(data)
	require.NoError(t, err)
	if diff := cmp.Diff(w.Beats, beats); diff != "" {
		t.Errorf("beats round trip mismatch (-want +got):\n%s", diff)
	}
	// A grid with only buildings has a null geometry.
	data, err = GridsToGeoJSON([]Grid{{Code: "G1", Community: commA, Kind: Comprehensive, Buildings: []string{"b1"}}})
	require.NoError(t, err)
	if !strings.Contains(string(data), `"geometry":null`) {
		t.Errorf("building-only grid encoded as %s", data)
	}
	grids, err = GridsFromGeoJSON(data)
	require.NoError(t, err)
	if len(grids) != 1 || grids[0].Boundary != nil || grids[0].Buildings[0] != "b1" {
		t.Errorf("building-only grid decoded as %+v", grids)
	}
}

func TestGeoJSON_Properties(t *testing.T) {
	data := `{"type":"FeatureCollection","features":[
	 {"type":"Feature","id":"320104002001007","geometry":{"type":"Polygon","coordinates":[[[118.79,32.02,12.5],[118.8,32.02,0],[118.8,32.03,0],[118.79,32.02,12.5]]]},
	  "properties":{"community":"320104002001","kind":"exclusive","subkind":"hospital","households":12,"extra":"ignored",
	   "posts":[{"person":"p1","role":"grid-head"}]}}]}`
	grids, err := GridsFromGeoJSON([]byte(data))
	require.NoError(t, err)
	want := []Grid{{Code: "320104002001007", Community: commA, Kind: Exclusive, Subkind: Hospital, Households: 12,
		Posts:    []Post{{Person: "p1", Role: "grid-head"}},
		Boundary: orb.Polygon{{{118.79, 32.02}, {118.8, 32.02}, {118.8, 32.03}, {118.79, 32.02}}}}}
	if diff := cmp.Diff(want, grids); diff != "" {
		t.Errorf("GridsFromGeoJSON mismatch (-want +got):\n%s", diff)
	}
}

func TestGeoJSON_Errors(t *testing.T) {
	poly := `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`
	feat := func(id, geom, props string) string {
		return `{"type":"Feature","id":` + id + `,"geometry":` + geom + `,"properties":` + props + `}`
	}
	fc := func(fs ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
	}
	ok := feat(`"g0"`, poly, `{"community":"c","kind":"comprehensive"}`)
	tests := []struct {
		name   string
		read   func([]byte) error
		doc    string
		want   []string
		reason string
	}{
		{"not JSON", readGrids, `{"type":`, []string{"grid: geojson:"}, "syntax"},
		{"not a collection", readGrids, `{"type":"Feature"}`, []string{`type "Feature", want FeatureCollection`}, "top level"},
		{"feature type", readGrids, fc(ok, `{"type":"Thing","id":"x"}`), []string{`feature 1 (id "x"): type "Thing"`}, "each feature is a Feature"},
		{"point geometry", readGrids, fc(ok, feat(`"g1"`, `{"type":"Point","coordinates":[1,2]}`, `{"community":"c","kind":"comprehensive"}`)),
			[]string{`feature 1 (id "g1"): geometry: type Point, want Polygon or MultiPolygon`}, "areas only"},
		{"short ring", readGrids, fc(feat(`7`, `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`, `{"community":"c","kind":"comprehensive"}`)),
			[]string{`feature 0 (id "7"): geometry: ring 0: has 3 positions, want at least 4`}, "numeric ids are named too"},
		{"short position", readGrids, fc(feat(`"g"`, `{"type":"Polygon","coordinates":[[[0],[1,0],[1,1],[0,0]]]}`, `{"community":"c","kind":"comprehensive"}`)),
			[]string{"ring 0 position 0 has 1 numbers"}, "positions have two or three numbers"},
		{"bad coordinates", readGrids, fc(feat(`"g"`, `{"type":"MultiPolygon","coordinates":[[[0,0]]]}`, `{"community":"c","kind":"comprehensive"}`)),
			[]string{`feature 0 (id "g"): geometry: MultiPolygon coordinates`}, "nesting depth"},
		{"missing properties", readGrids, fc(feat(`null`, poly, `null`)),
			[]string{`feature 0: property "code" is missing`, `property "community" is missing`, `property "kind" is ""`}, "every missing property at once"},
		{"wrong type", readGrids, fc(feat(`"g"`, poly, `{"community":"c","kind":"comprehensive","households":"many"}`)),
			[]string{`feature 0 (id "g"): property "households": want int`}, "the property is named"},
		{"several features", readGrids, fc(ok, feat(`"g1"`, poly, `{"kind":"comprehensive"}`), feat(`"g2"`, poly, `{"community":"c","kind":"big"}`)),
			[]string{`feature 1 (id "g1")`, `feature 2 (id "g2")`}, "every feature's problem at once"},
		{"beat without geometry", readBeats, fc(feat(`"J1"`, `null`, `{}`)), []string{`feature 0 (id "J1"): geometry is null`}, "a beat is an area"},
		{"beat without code", readBeats, fc(feat(`null`, poly, `{}`)), []string{`feature 0: property "code" is missing`}, "beats need codes"},
		{"community without id", readCommunities, fc(feat(`null`, poly, `{"name":"x"}`)), []string{`property "id" is missing`}, "communities need ids"},
		{"community without geometry", readCommunities, fc(feat(`"c"`, `null`, `{}`)), []string{`geometry is null`}, "a community boundary is an area"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read([]byte(tc.doc))
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("error = %v, want ErrInvalid (%s)", err, tc.reason)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q (%s)", err, w, tc.reason)
				}
			}
		})
	}
}

func readGrids(b []byte) error {
	g, err := GridsFromGeoJSON(b)
	if err != nil && g != nil {
		return errors.New("grids returned with an error")
	}
	return err
}

func readBeats(b []byte) error {
	g, err := BeatsFromGeoJSON(b)
	if err != nil && g != nil {
		return errors.New("beats returned with an error")
	}
	return err
}

func readCommunities(b []byte) error {
	g, err := CommunitiesFromGeoJSON(b)
	if err != nil && g != nil {
		return errors.New("communities returned with an error")
	}
	return err
}

func TestGeoJSON_EncodeErrors(t *testing.T) {
	_, err := GridsToGeoJSON([]Grid{{Code: "ok", Boundary: rect(0, 0, 1, 1)}, {Code: "line", Boundary: orb.LineString{pt(0, 0), pt(1, 1)}}})
	if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), `feature 1 (id "line"): geometry is a LineString`) {
		t.Errorf("GridsToGeoJSON(line) error = %v", err)
	}
	_, err = BeatsToGeoJSON([]Beat{{Code: "J1"}})
	if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), `feature 0 (id "J1"): beat has no boundary`) {
		t.Errorf("BeatsToGeoJSON(no boundary) error = %v", err)
	}
}
