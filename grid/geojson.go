package grid

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// GeoJSON (RFC 7946) is read and written with encoding/json straight into orb's geometry
// types (an orb.Polygon is [][][2]float64 and encodes as GeoJSON coordinates). The
// paulmach/orb/geojson package would do the same but imports the MongoDB driver for its
// BSON support, which this module does not carry.
//
// Coordinates are taken as they are: GeoJSON says WGS-84, but Chinese GIS exports are
// usually GCJ-02; the caller states the datum in [Atlas.Datum]. Every geometry is checked
// as it is read, by the rules of [GeometryOptions].

type rawCollection struct {
	Type     string            `json:"type"`
	Features []json.RawMessage `json:"features"`
}

type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
}

type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// featureError names the feature a problem belongs to.
func featureError(i int, id string, format string, args ...any) error {
	return fmt.Errorf("grid: geojson: %s: %s: %w", featureName(i, id), fmt.Sprintf(format, args...), gridgov.ErrInvalid)
}

// featureName is how errors name feature i.
func featureName(i int, id string) string {
	name := fmt.Sprintf("feature %d", i)
	if id != "" {
		name += fmt.Sprintf(" (id %q)", id)
	}
	return name
}

// geometryOptions returns the one options value a reader was given, or the zero value.
func geometryOptions(opts []GeometryOptions) GeometryOptions {
	var o GeometryOptions
	if len(opts) > 0 {
		o = opts[len(opts)-1]
	}
	return o
}

// decodeFeatures parses a FeatureCollection and calls each for every feature with its
// index, id (as text), geometry (nil for a null geometry, else checked by opt's rules)
// and raw properties. It returns every problem at once.
func decodeFeatures(data []byte, opt GeometryOptions, each func(i int, id string, g orb.Geometry, props json.RawMessage) error) error {
	var fc rawCollection
	if err := json.Unmarshal(data, &fc); err != nil {
		return fmt.Errorf("grid: geojson: %v: %w", err, gridgov.ErrInvalid)
	}
	if fc.Type != "FeatureCollection" {
		return fmt.Errorf("grid: geojson: type %q, want FeatureCollection: %w", fc.Type, gridgov.ErrInvalid)
	}
	var errs []error
	for i, raw := range fc.Features {
		var f rawFeature
		if err := json.Unmarshal(raw, &f); err != nil {
			errs = append(errs, featureError(i, "", "%v", err))
			continue
		}
		id := ""
		if len(f.ID) > 0 && !bytes.Equal(f.ID, []byte("null")) {
			if s, err := strconv.Unquote(string(f.ID)); err == nil {
				id = s
			} else {
				id = string(f.ID)
			}
		}
		if f.Type != "Feature" {
			errs = append(errs, featureError(i, id, "type %q, want Feature", f.Type))
			continue
		}
		g, err := decodeGeometry(f.Geometry)
		if err != nil {
			errs = append(errs, featureError(i, id, "geometry: %v", err))
			continue
		}
		if g != nil {
			var probs []geomProblem
			if g, probs = checkGeometry(g, opt); len(probs) > 0 {
				errs = append(errs, geometryError("grid: geojson", featureName(i, id)+": geometry", probs))
				continue
			}
		}
		if len(f.Properties) == 0 || bytes.Equal(f.Properties, []byte("null")) {
			f.Properties = []byte("{}")
		}
		if err := each(i, id, g, f.Properties); err != nil {
			errs = append(errs, featureError(i, id, "%v", err))
		}
	}
	return errors.Join(errs...)
}

func decodeGeometry(raw json.RawMessage) (orb.Geometry, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var g rawGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, err
	}
	switch g.Type {
	case "Polygon":
		var c [][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, fmt.Errorf("Polygon coordinates: %v", err)
		}
		return toPolygon(c)
	case "MultiPolygon":
		var c [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, fmt.Errorf("MultiPolygon coordinates: %v", err)
		}
		mp := make(orb.MultiPolygon, 0, len(c))
		for i, pc := range c {
			pg, err := toPolygon(pc)
			if err != nil {
				return nil, fmt.Errorf("polygon %d: %v", i, err)
			}
			mp = append(mp, pg)
		}
		return mp, nil
	case "":
		return nil, fmt.Errorf("type is missing")
	}
	return nil, fmt.Errorf("type %s, want Polygon or MultiPolygon", g.Type)
}

func toPolygon(c [][][]float64) (orb.Polygon, error) {
	if len(c) == 0 {
		return nil, fmt.Errorf("no rings")
	}
	pg := make(orb.Polygon, len(c))
	for ri, rc := range c {
		r := make(orb.Ring, len(rc))
		for pi, pos := range rc {
			if len(pos) < 2 {
				return nil, fmt.Errorf("ring %d position %d has %d numbers, want 2 or 3", ri, pi, len(pos))
			}
			r[pi] = orb.Point{pos[0], pos[1]}
		}
		pg[ri] = r
	}
	return pg, nil
}

// unmarshalProps decodes properties into v, naming the offending property.
func unmarshalProps(props json.RawMessage, v any) error {
	if err := json.Unmarshal(props, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return fmt.Errorf("property %q: want %s, got JSON %s", te.Field, te.Type, te.Value)
		}
		return fmt.Errorf("properties: %v", err)
	}
	return nil
}

// GridsFromGeoJSON reads grids from a GeoJSON FeatureCollection. Each feature's geometry
// (Polygon, MultiPolygon, or null for a grid defined by its buildings) is the grid's
// boundary; its properties are the JSON form of [Grid]: code (defaults to the feature
// id), name, community, kind, subkind, households, buildings (array of building IDs) and
// posts (array of {person, role}). Other properties are ignored.
//
// Each geometry is checked by the rules of [GeometryOptions] (opts: at most one; none
// means the zero value, which repairs nothing). Every problem is reported at once, each
// naming the feature by index and id and wrapping [gridgov.ErrInvalid] (a geometry
// problem is a *gridgov.Error whose Rule names the rule); on error no grids are
// returned. Consistency across grids (unique codes) is checked by [NewIndex].
func GridsFromGeoJSON(data []byte, opts ...GeometryOptions) ([]Grid, error) {
	var out []Grid
	err := decodeFeatures(data, geometryOptions(opts), func(i int, id string, g orb.Geometry, props json.RawMessage) error {
		var gr Grid
		if err := unmarshalProps(props, &gr); err != nil {
			return err
		}
		if gr.Code == "" {
			gr.Code = id
		}
		var miss []error
		if gr.Code == "" {
			miss = append(miss, errors.New(`property "code" is missing`))
		}
		if gr.Community == "" {
			miss = append(miss, errors.New(`property "community" is missing`))
		}
		if gr.Kind != Comprehensive && gr.Kind != Exclusive {
			miss = append(miss, fmt.Errorf(`property "kind" is %q, want %q or %q`, gr.Kind, Comprehensive, Exclusive))
		}
		if len(miss) > 0 {
			return errors.Join(miss...)
		}
		gr.Boundary = g
		out = append(out, gr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// BeatsFromGeoJSON reads police beats from a GeoJSON FeatureCollection: a Polygon or
// MultiPolygon geometry each, properties code (defaults to the feature id), name,
// station and officer. Errors are reported as by [GridsFromGeoJSON].
func BeatsFromGeoJSON(data []byte, opts ...GeometryOptions) ([]Beat, error) {
	var out []Beat
	err := decodeFeatures(data, geometryOptions(opts), func(i int, id string, g orb.Geometry, props json.RawMessage) error {
		var b Beat
		if err := unmarshalProps(props, &b); err != nil {
			return err
		}
		if b.Code == "" {
			b.Code = id
		}
		if b.Code == "" {
			return errors.New(`property "code" is missing`)
		}
		if g == nil {
			return errors.New("geometry is null; a beat needs a boundary")
		}
		b.Boundary = g
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CommunitiesFromGeoJSON reads community boundaries from a GeoJSON FeatureCollection:
// properties id (defaults to the feature id), code and name. Errors are reported as by
// [GridsFromGeoJSON].
func CommunitiesFromGeoJSON(data []byte, opts ...GeometryOptions) ([]Community, error) {
	var out []Community
	err := decodeFeatures(data, geometryOptions(opts), func(i int, id string, g orb.Geometry, props json.RawMessage) error {
		var c Community
		if err := unmarshalProps(props, &c); err != nil {
			return err
		}
		if c.ID == "" {
			c.ID = hierarchy.UnitID(id)
		}
		if c.ID == "" {
			return errors.New(`property "id" is missing`)
		}
		if g == nil {
			return errors.New("geometry is null; a community needs a boundary")
		}
		c.Boundary = g
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type outCollection struct {
	Type     string       `json:"type"`
	Features []outFeature `json:"features"`
}

type outFeature struct {
	Type       string       `json:"type"`
	ID         string       `json:"id,omitempty"`
	Geometry   *outGeometry `json:"geometry"`
	Properties any          `json:"properties"`
}

type outGeometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

func encodeGeometry(g orb.Geometry) (*outGeometry, error) {
	switch g := g.(type) {
	case nil:
		return nil, nil
	case orb.Polygon:
		return &outGeometry{"Polygon", g}, nil
	case orb.MultiPolygon:
		return &outGeometry{"MultiPolygon", g}, nil
	}
	return nil, fmt.Errorf("geometry is a %s, want Polygon or MultiPolygon", g.GeoJSONType())
}

func encodeCollection(n int, feature func(i int) (outFeature, error)) ([]byte, error) {
	fc := outCollection{Type: "FeatureCollection", Features: make([]outFeature, 0, n)}
	var errs []error
	for i := range n {
		f, err := feature(i)
		if err != nil {
			errs = append(errs, featureError(i, f.ID, "%v", err))
			continue
		}
		fc.Features = append(fc.Features, f)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return json.Marshal(fc)
}

// GridsToGeoJSON writes grids as a GeoJSON FeatureCollection in the form
// [GridsFromGeoJSON] reads, the feature id being the grid code. Coordinates are written
// as they are, in the datum of the grids.
func GridsToGeoJSON(grids []Grid) ([]byte, error) {
	return encodeCollection(len(grids), func(i int) (outFeature, error) {
		g := grids[i]
		geom, err := encodeGeometry(g.Boundary)
		return outFeature{Type: "Feature", ID: g.Code, Geometry: geom, Properties: g}, err
	})
}

// BeatsToGeoJSON writes beats as a GeoJSON FeatureCollection in the form
// [BeatsFromGeoJSON] reads.
func BeatsToGeoJSON(beats []Beat) ([]byte, error) {
	return encodeCollection(len(beats), func(i int) (outFeature, error) {
		b := beats[i]
		if b.Boundary == nil {
			return outFeature{ID: b.Code}, errors.New("beat has no boundary")
		}
		geom, err := encodeGeometry(b.Boundary)
		return outFeature{Type: "Feature", ID: b.Code, Geometry: geom, Properties: b}, err
	})
}
