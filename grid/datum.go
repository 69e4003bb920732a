package grid

import (
	"encoding"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
)

// Datum names the coordinate system (坐标系) a longitude/latitude pair is expressed in.
// Chinese web maps publish obfuscated coordinates: Amap and Tencent use GCJ-02 (国测局坐标,
// "Mars coordinates"), Baidu adds its own BD-09 (百度坐标) on top, while GPS receivers give
// WGS-84. The same street corner differs by a few hundred metres between them, so every
// geometry and point in this package travels with its datum.
//
// The zero Datum is treated as [WGS84].
type Datum string

// The datums this package converts between.
const (
	WGS84 Datum = "wgs84" // GPS, and GeoJSON by RFC 7946
	GCJ02 Datum = "gcj02" // Amap, Tencent and most Chinese government GIS
	BD09  Datum = "bd09"  // Baidu Maps
)

var _ encoding.TextUnmarshaler = (*Datum)(nil)

// UnmarshalText accepts "wgs84", "gcj02" and "bd09" (and the empty string, meaning WGS-84).
func (d *Datum) UnmarshalText(b []byte) error {
	v := Datum(b)
	if !v.valid() {
		return fmt.Errorf("grid: datum %q: want wgs84, gcj02 or bd09: %w", b, gridgov.ErrInvalid)
	}
	*d = v
	return nil
}

func (d Datum) valid() bool { return d == "" || d == WGS84 || d == GCJ02 || d == BD09 }

// id numbers the datums (the empty one is WGS-84), 0 for any other value; it compares
// with constants only, so it inlines.
func (d Datum) id() uint8 {
	switch d {
	case WGS84, "":
		return 1
	case GCJ02:
		return 2
	case BD09:
		return 3
	}
	return 0
}

func (d Datum) norm() Datum {
	if d == "" {
		return WGS84
	}
	return d
}

// Krasovsky 1940 ellipsoid as used by the published GCJ-02 formulas.
const (
	gcjA  = 6378245.0
	gcjEE = 0.00669342162296594323
	bdXPi = math.Pi * 3000.0 / 180.0
)

// InChina reports whether p (longitude, latitude) lies in the rectangle the public GCJ-02
// formulas treat as China. Outside it GCJ-02 is identical to WGS-84. The rectangle is
// coarse (it includes parts of neighbouring countries) because that is what the map
// providers themselves use; matching them matters more than matching the border.
func InChina(p orb.Point) bool {
	lon, lat := p[0], p[1]
	return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271
}

func gcjTransformLat(x, y float64) float64 {
	r := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	r += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	return r
}

func gcjTransformLon(x, y float64) float64 {
	r := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	r += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	return r
}

// gcjOffset is the GCJ-02 shift (degrees) applied to a WGS-84 point.
func gcjOffset(lon, lat float64) (dLon, dLat float64) {
	dLat = gcjTransformLat(lon-105.0, lat-35.0)
	dLon = gcjTransformLon(lon-105.0, lat-35.0)
	radLat := lat / 180.0 * math.Pi
	magic := math.Sin(radLat)
	magic = 1 - gcjEE*magic*magic
	sqrtMagic := math.Sqrt(magic)
	dLat = (dLat * 180.0) / ((gcjA * (1 - gcjEE)) / (magic * sqrtMagic) * math.Pi)
	dLon = (dLon * 180.0) / (gcjA / sqrtMagic * math.Cos(radLat) * math.Pi)
	return dLon, dLat
}

// WGS84ToGCJ02 applies the public GCJ-02 formulas. Points outside [InChina] are returned
// unchanged.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if !InChina(p) {
		return p
	}
	dLon, dLat := gcjOffset(p[0], p[1])
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

// GCJ02ToWGS84 inverts [WGS84ToGCJ02] by fixed-point iteration: the offset varies slowly
// (well under 1e-5 per degree), so each step gains about five decimal digits and a few
// steps bring the forward transform of the result back to p within 1e-9 degrees (about
// 0.1 mm), far inside the 1 m the round trip must keep. The common one-step inverse found
// on the web is off by up to a few metres.
func GCJ02ToWGS84(p orb.Point) orb.Point {
	if !InChina(p) {
		return p
	}
	w := p
	for range 8 {
		g := WGS84ToGCJ02(w)
		ex, ey := g[0]-p[0], g[1]-p[1]
		w = orb.Point{w[0] - ex, w[1] - ey}
		if math.Abs(ex) < 1e-10 && math.Abs(ey) < 1e-10 {
			break
		}
	}
	return w
}

// GCJ02ToBD09 applies Baidu's published BD-09 transform to a GCJ-02 point. Baidu applies
// it everywhere, including outside China.
func GCJ02ToBD09(p orb.Point) orb.Point {
	x, y := p[0], p[1]
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*bdXPi)
	return orb.Point{z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006}
}

// BD09ToGCJ02 inverts [GCJ02ToBD09]: the published closed-form inverse first, then a few
// fixed-point corrections so that the round trip is exact to about 1e-9 degrees.
func BD09ToGCJ02(p orb.Point) orb.Point {
	x, y := p[0]-0.0065, p[1]-0.006
	z := math.Sqrt(x*x+y*y) - 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) - 0.000003*math.Cos(x*bdXPi)
	g := orb.Point{z * math.Cos(theta), z * math.Sin(theta)}
	for range 4 {
		b := GCJ02ToBD09(g)
		ex, ey := b[0]-p[0], b[1]-p[1]
		if math.Abs(ex) < 1e-10 && math.Abs(ey) < 1e-10 {
			break
		}
		g = orb.Point{g[0] - ex, g[1] - ey}
	}
	return g
}

// Convert expresses p, given in datum from, in datum to. Conversions through BD-09 pass
// through GCJ-02. Unknown datums return p unchanged; [Datum.UnmarshalText] and the
// constructors of this package reject them before they get here.
func Convert(p orb.Point, from, to Datum) orb.Point {
	from, to = from.norm(), to.norm()
	if from == to {
		return p
	}
	// To GCJ-02 first.
	switch from {
	case WGS84:
		p = WGS84ToGCJ02(p)
	case BD09:
		p = BD09ToGCJ02(p)
	}
	switch to {
	case WGS84:
		return GCJ02ToWGS84(p)
	case BD09:
		return GCJ02ToBD09(p)
	}
	return p
}

// ConvertGeometry returns a copy of g with every vertex converted by [Convert]; g is not
// modified. Conversion is a pure function of each vertex, so two polygons sharing a vertex
// still share it exactly afterwards and the tie-break of [Index.Locate] keeps holding.
// Points, line strings, rings, polygons and their multi forms are converted vertex by
// vertex; a Bound comes back as a Polygon (a converted rectangle is no longer a
// rectangle); other types come back cloned and unconverted.
func ConvertGeometry(g orb.Geometry, from, to Datum) orb.Geometry {
	if g == nil {
		return nil
	}
	conv := func(ps []orb.Point) []orb.Point {
		out := make([]orb.Point, len(ps))
		for i, p := range ps {
			out[i] = Convert(p, from, to)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Point:
		return Convert(g, from, to)
	case orb.MultiPoint:
		return orb.MultiPoint(conv(g))
	case orb.LineString:
		return orb.LineString(conv(g))
	case orb.Ring:
		return orb.Ring(conv(g))
	case orb.Polygon:
		out := make(orb.Polygon, len(g))
		for i, r := range g {
			out[i] = orb.Ring(conv(r))
		}
		return out
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, pg := range g {
			out[i] = ConvertGeometry(pg, from, to).(orb.Polygon)
		}
		return out
	case orb.Bound:
		return ConvertGeometry(g.ToPolygon(), from, to)
	default:
		return orb.Clone(g)
	}
}
