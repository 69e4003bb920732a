package grid_test

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/grid"
)

func metres(a, b orb.Point) float64 {
	kx := 6371008.8 * math.Pi / 180 * math.Cos((a[1]+b[1])/2*math.Pi/180)
	ky := 6371008.8 * math.Pi / 180
	return math.Hypot((a[0]-b[0])*kx, (a[1]-b[1])*ky)
}

func TestConvert_KnownValues(t *testing.T) {
	// Values published with the widely used coordtransform library (wandergis) for
	// Tiananmen, (116.404, 39.915): the forward formulas must match them to 1e-9°.
	tian := orb.Point{116.404, 39.915}
	tests := []struct {
		name   string
		got    orb.Point
		want   orb.Point
		reason string
	}{
		{"WGS84ToGCJ02", grid.WGS84ToGCJ02(tian), orb.Point{116.41024449916938, 39.91640428150164}, "published forward GCJ-02"},
		{"GCJ02ToBD09", grid.GCJ02ToBD09(tian), orb.Point{116.41036949371029, 39.92133699351021}, "published forward BD-09"},
	}
	for _, tc := range tests {
		if math.Abs(tc.got[0]-tc.want[0]) > 1e-9 || math.Abs(tc.got[1]-tc.want[1]) > 1e-9 {
			t.Errorf("%s(%v) = %v, want %v (%s)", tc.name, tian, tc.got, tc.want, tc.reason)
		}
	}
}

func TestConvert_RoundTrips(t *testing.T) {
	// A lattice over China, Nanjing in particular; every round trip within 1 m (in fact
	// far closer).
	var pts []orb.Point
	for lon := 74.0; lon <= 134; lon += 2.5 {
		for lat := 18.0; lat <= 53; lat += 2.5 {
			pts = append(pts, orb.Point{lon, lat})
		}
	}
	pts = append(pts, orb.Point{118.7969, 32.0603}, orb.Point{118.7946, 32.0391}, orb.Point{118.80, 32.02})
	worst := map[string]float64{}
	for _, p := range pts {
		trips := map[string]orb.Point{
			"wgs→gcj→wgs": grid.GCJ02ToWGS84(grid.WGS84ToGCJ02(p)),
			"gcj→wgs→gcj": grid.WGS84ToGCJ02(grid.GCJ02ToWGS84(p)),
			"gcj→bd→gcj":  grid.BD09ToGCJ02(grid.GCJ02ToBD09(p)),
			"wgs→bd→wgs":  grid.Convert(grid.Convert(p, grid.WGS84, grid.BD09), grid.BD09, grid.WGS84),
			"bd→wgs→bd":   grid.Convert(grid.Convert(p, grid.BD09, grid.WGS84), grid.WGS84, grid.BD09),
		}
		for name, q := range trips {
			d := metres(p, q)
			worst[name] = math.Max(worst[name], d)
			if d > 1 {
				t.Errorf("%s of %v is off by %.3f m, want <= 1 m", name, p, d)
			}
		}
		if g := grid.WGS84ToGCJ02(p); metres(p, g) < 1 {
			t.Errorf("WGS84ToGCJ02(%v) moved %.3f m; inside China the offset is tens to hundreds of metres", p, metres(p, g))
		}
	}
	for name, d := range worst {
		if d > 0.01 {
			t.Errorf("%s: worst round trip %.4f m, want < 0.01 m", name, d)
		}
	}
}

func TestConvert_OutsideChina(t *testing.T) {
	tests := []struct {
		p      orb.Point
		reason string
	}{
		{orb.Point{-0.1276, 51.5072}, "London"},
		{orb.Point{139.6917, 35.6895}, "Tokyo, east of the GCJ-02 rectangle"},
		{orb.Point{151.2093, -33.8688}, "Sydney"},
	}
	for _, tc := range tests {
		if got := grid.WGS84ToGCJ02(tc.p); got != tc.p {
			t.Errorf("WGS84ToGCJ02(%v) = %v, want unchanged (%s)", tc.p, got, tc.reason)
		}
		if got := grid.GCJ02ToWGS84(tc.p); got != tc.p {
			t.Errorf("GCJ02ToWGS84(%v) = %v, want unchanged (%s)", tc.p, got, tc.reason)
		}
		if grid.InChina(tc.p) {
			t.Errorf("InChina(%v) = true (%s)", tc.p, tc.reason)
		}
	}
	if !grid.InChina(orb.Point{118.79, 32.04}) {
		t.Errorf("InChina(Nanjing) = false")
	}
}

func TestConvertGeometry_KeepsSharedVertices(t *testing.T) {
	a := orb.Polygon{{{118.79, 32.02}, {118.80, 32.02}, {118.80, 32.03}, {118.79, 32.02}}}
	b := orb.Polygon{{{118.80, 32.02}, {118.81, 32.02}, {118.80, 32.03}, {118.80, 32.02}}}
	ca := grid.ConvertGeometry(a, grid.GCJ02, grid.WGS84).(orb.Polygon)
	cb := grid.ConvertGeometry(b, grid.GCJ02, grid.WGS84).(orb.Polygon)
	if ca[0][1] != cb[0][0] || ca[0][2] != cb[0][2] {
		t.Errorf("shared vertices differ after conversion: %v %v vs %v %v", ca[0][1], ca[0][2], cb[0][0], cb[0][2])
	}
	if a[0][1] != (orb.Point{118.80, 32.02}) {
		t.Errorf("ConvertGeometry modified its input: %v", a[0][1])
	}
}

func TestDatum_UnmarshalText(t *testing.T) {
	var d grid.Datum
	for _, s := range []string{"wgs84", "gcj02", "bd09", ""} {
		if err := d.UnmarshalText([]byte(s)); err != nil || string(d) != s {
			t.Errorf("UnmarshalText(%q) = %v, %q", s, err, d)
		}
	}
	d = grid.GCJ02
	if err := d.UnmarshalText([]byte("WGS-84")); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("UnmarshalText(WGS-84) error = %v, want ErrInvalid", err)
	}
	if d != grid.GCJ02 {
		t.Errorf("a failed UnmarshalText changed the datum to %q", d)
	}
}
