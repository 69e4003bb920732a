package grid

import (
	"math"

	"github.com/paulmach/orb"
)

// Distances and areas in metres use a local equirectangular projection: around a reference
// latitude φ0, x = R·cos φ0·λ and y = R·φ with R the mean Earth radius (IUGG, 6,371,008.8
// m). Across a grid, a community or a district (a few kilometres) its error is far below
// the accuracy of the data; it is not meant for distances of hundreds of kilometres.
const earthRadiusM = 6371008.8

// mPerDeg is the length of one degree of latitude in metres.
const mPerDeg = earthRadiusM * math.Pi / 180

// localScale returns metres per degree of longitude and of latitude at latitude lat.
func localScale(lat float64) (kx, ky float64) {
	return mPerDeg * math.Cos(lat*math.Pi/180), mPerDeg
}

// distanceM is the distance in metres between a and b (degrees), projected at their mean
// latitude.
func distanceM(a, b orb.Point) float64 {
	kx, ky := localScale((a[1] + b[1]) / 2)
	return math.Hypot((a[0]-b[0])*kx, (a[1]-b[1])*ky)
}

// segmentDistance2 is the squared distance in projected units from p to segment a-b, all
// already scaled by kx, ky relative to p.
func segmentDistance2(p, a, b orb.Point, kx, ky float64) float64 {
	ax, ay := (a[0]-p[0])*kx, (a[1]-p[1])*ky
	bx, by := (b[0]-p[0])*kx, (b[1]-p[1])*ky
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = -(ax*dx + ay*dy) / l2
		t = math.Max(0, math.Min(1, t))
	}
	x, y := ax+t*dx, ay+t*dy
	return x*x + y*y
}

// ringsAreaM2 is the area in square metres of a polygon (outer ring then holes) projected
// at latitude lat: the absolute shoelace area of the outer ring minus that of the holes.
func ringsAreaM2(rings [][]orb.Point, lat float64) float64 {
	kx, ky := localScale(lat)
	var a float64
	for i, r := range rings {
		s := math.Abs(shoelace(r)) * kx * ky
		if i == 0 {
			a += s
		} else {
			a -= s
		}
	}
	return a
}

// shoelace is the signed area (degrees²) of a closed ring, positive when
// counter-clockwise. Coordinates are taken relative to the first vertex to keep precision.
func shoelace(r []orb.Point) float64 {
	if len(r) < 3 {
		return 0
	}
	o := r[0]
	var s float64
	for i := 1; i+1 < len(r); i++ {
		s += (r[i][0]-o[0])*(r[i+1][1]-o[1]) - (r[i+1][0]-o[0])*(r[i][1]-o[1])
	}
	return s / 2
}
