package grid

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// flat stores every polygon of an index in a few contiguous arrays, so that a lookup
// touches no pointers and the caller's geometry can change without affecting the index.
//
// Shape s spans polygons shape[s]:shape[s+1]; polygon q spans rings poly[q]:poly[q+1]
// (the first is the outer ring); ring r spans pts[ring[r]:ring[r+1]] and is closed
// (its last point repeats its first).
// quick is what a point lookup needs of a single-ring shape (the common case), in one
// record so that a lookup touches it, one band block and the points it tests.
//
// The band index cuts the shape's bounding box into k horizontal bands and lists, per
// band, the edges whose y-range meets it. Only an edge whose y-range holds p.y can be
// crossed, and band() is monotone in y, so every such edge is listed in p's band: the test
// reads a handful of edges instead of all of them.
type quick struct {
	p0, p1 int32   // the ring is pts[p0:p1]; p0 < 0 for shapes of several rings
	band   int32   // the band block at bandData[band:], or -1 without a band index
	k      int32   // number of bands
	minY   float64 // band(y) = int((y-minY)*inv), clamped to [0, k-1]
	maxY   float64
	inv    float64
}

func (q *quick) bandOf(y float64) int32 {
	b := int32((y - q.minY) * q.inv)
	return min(max(b, 0), q.k-1)
}

type flat struct {
	pts   []orb.Point
	ring  []int32
	poly  []int32
	shape []int32
	bound []orb.Bound
	// quick[s] is shape s's lookup record. A band block is k+1 offsets (relative to the
	// end of the offsets) followed by the bands' edge lists; edge e runs from ring point
	// e to e+1.
	quick    []quick
	bandData []uint16
	// left[r] is +1 when the interior of ring r's polygon lies to the left of its edges as
	// stored (an outer ring stored counter-clockwise, a hole stored clockwise), -1
	// otherwise.
	left []int8
}

func newFlat(shapes, points int) flat {
	return flat{
		pts:   make([]orb.Point, 0, points),
		ring:  []int32{0},
		poly:  []int32{0},
		shape: make([]int32, 1, shapes+1),
		bound: make([]orb.Bound, 0, shapes),
		quick: make([]quick, 0, shapes),
		// About one band entry per edge plus the offsets: most edges meet one band.
		bandData: make([]uint16, 0, points+points/4),
	}
}

// countPoints returns an upper bound of the vertices add will store for g.
func countPoints(g orb.Geometry) int {
	n := 0
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			n += len(r) + 1
		}
	case orb.MultiPolygon:
		for _, p := range g {
			n += countPoints(p)
		}
	}
	return n
}

// add appends g (an orb.Polygon or orb.MultiPolygon in datum from) converted to datum to,
// and returns its shape number. It checks that every ring has at least three distinct
// vertices and finite coordinates; on error nothing is appended.
func (f *flat) add(g orb.Geometry, from, to Datum) (int32, error) {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	case nil:
		return -1, fmt.Errorf("geometry is missing")
	default:
		return -1, fmt.Errorf("geometry is a %s, want Polygon or MultiPolygon", g.GeoJSONType())
	}
	if len(polys) == 0 {
		return -1, fmt.Errorf("geometry is empty")
	}
	for qi, pg := range polys {
		if len(pg) == 0 {
			return -1, fmt.Errorf("polygon %d has no rings", qi)
		}
		for ri, r := range pg {
			distinct := 0
			for vi, p := range r {
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
					return -1, fmt.Errorf("polygon %d ring %d vertex %d is not finite", qi, ri, vi)
				}
				if vi == 0 || p != r[vi-1] {
					distinct++
				}
			}
			if len(r) > 1 && r[0] == r[len(r)-1] {
				distinct--
			}
			if distinct < 3 {
				return -1, fmt.Errorf("polygon %d ring %d has %d distinct vertices, want at least 3", qi, ri, distinct)
			}
		}
	}
	s := int32(len(f.shape) - 1)
	conv := from.norm() != to.norm()
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, pg := range polys {
		for ri, r := range pg {
			start := len(f.pts)
			for _, p := range r {
				if conv {
					p = Convert(p, from, to)
				}
				f.pts = append(f.pts, p)
				b.Min[0] = math.Min(b.Min[0], p[0])
				b.Min[1] = math.Min(b.Min[1], p[1])
				b.Max[0] = math.Max(b.Max[0], p[0])
				b.Max[1] = math.Max(b.Max[1], p[1])
			}
			if f.pts[start] != f.pts[len(f.pts)-1] {
				f.pts = append(f.pts, f.pts[start])
			}
			f.ring = append(f.ring, int32(len(f.pts)))
			ccw := shoelace(f.pts[start:]) > 0
			if ccw == (ri == 0) {
				f.left = append(f.left, 1)
			} else {
				f.left = append(f.left, -1)
			}
		}
		f.poly = append(f.poly, int32(len(f.ring)-1))
	}
	f.shape = append(f.shape, int32(len(f.poly)-1))
	f.bound = append(f.bound, b)
	qr := quick{p0: -1, band: -1}
	if q := f.shape[s]; f.shape[s+1] == q+1 && f.poly[q+1] == f.poly[q]+1 {
		r := f.poly[q]
		qr.p0, qr.p1 = f.ring[r], f.ring[r+1]
		f.indexBands(&qr, b)
	}
	f.quick = append(f.quick, qr)
	return s, nil
}

// ringPts returns ring r's closed vertex list.
func (f *flat) ringPts(r int32) []orb.Point { return f.pts[f.ring[r]:f.ring[r+1]] }

// contains applies the package's tie-break rule (see predicate.go) to shape s.
func (f *flat) contains(s int32, p orb.Point) bool {
	if q := &f.quick[s]; q.p0 >= 0 {
		return f.quickContains(q, p)
	}
	for q := f.shape[s]; q < f.shape[s+1]; q++ {
		n := 0
		for r := f.poly[q]; r < f.poly[q+1]; r++ {
			n += ringCrossings(f.pts[f.ring[r]:f.ring[r+1]], p)
		}
		if n&1 == 1 {
			return true
		}
	}
	return false
}

// containsPlain is contains without the band index: the even-odd count over every ring,
// for the brute-force references.
func (f *flat) containsPlain(s int32, p orb.Point) bool {
	for q := f.shape[s]; q < f.shape[s+1]; q++ {
		n := 0
		for r := f.poly[q]; r < f.poly[q+1]; r++ {
			n += ringCrossings(f.pts[f.ring[r]:f.ring[r+1]], p)
		}
		if n&1 == 1 {
			return true
		}
	}
	return false
}

// quickContains is contains for a single-ring shape.
func (f *flat) quickContains(q *quick, p orb.Point) bool {
	pts := f.pts[q.p0:q.p1]
	if q.band < 0 {
		return ringCrossings(pts, p)&1 == 1
	}
	if p[1] <= q.minY || p[1] > q.maxY {
		return false // no edge has lo.y < p.y <= hi.y
	}
	blk := f.bandData[q.band:]
	j := q.bandOf(p[1])
	edges := blk[q.k+1:]
	return edgeCrossings(pts, edges[blk[j]:blk[j+1]], p)&1 == 1
}

// dist2 is the squared distance (projected metres, scales kx, ky) from p to the boundary
// of shape s; it stops early once below stop.
func (f *flat) dist2(s int32, p orb.Point, kx, ky, stop float64) float64 {
	best := math.Inf(1)
	for r := f.poly[f.shape[s]]; r < f.poly[f.shape[s+1]]; r++ {
		pts := f.ringPts(r)
		for i := 1; i < len(pts); i++ {
			d := segmentDistance2(p, pts[i-1], pts[i], kx, ky)
			if d < 1e-6 && onSegment(pts[i-1], pts[i], p) {
				// Exactly on the boundary: rounding in the projection must not make it
				// look a hair away.
				d = 0
			}
			if d < best {
				best = d
				if best < stop {
					return best
				}
			}
		}
	}
	return best
}

// geometry rebuilds shape s as an orb.Polygon or, with several polygons, an
// orb.MultiPolygon; the result shares nothing with the index.
func (f *flat) geometry(s int32) orb.Geometry {
	var mp orb.MultiPolygon
	for q := f.shape[s]; q < f.shape[s+1]; q++ {
		var pg orb.Polygon
		for r := f.poly[q]; r < f.poly[q+1]; r++ {
			pg = append(pg, orb.Ring(append([]orb.Point(nil), f.ringPts(r)...)))
		}
		mp = append(mp, pg)
	}
	if len(mp) == 1 {
		return mp[0]
	}
	return mp
}

// areaM2 is shape s's area in square metres (local equirectangular projection at the
// centre of its bound).
func (f *flat) areaM2(s int32) float64 {
	lat := (f.bound[s].Min[1] + f.bound[s].Max[1]) / 2
	var a float64
	for q := f.shape[s]; q < f.shape[s+1]; q++ {
		rings := make([][]orb.Point, 0, f.poly[q+1]-f.poly[q])
		for r := f.poly[q]; r < f.poly[q+1]; r++ {
			rings = append(rings, f.ringPts(r))
		}
		a += ringsAreaM2(rings, lat)
	}
	return a
}

// centroid is the area-weighted centroid of shape s (planar, in degrees), or the centre
// of its bound for degenerate shapes.
func (f *flat) centroid(s int32) orb.Point {
	var cx, cy, aw float64
	for q := f.shape[s]; q < f.shape[s+1]; q++ {
		for r := f.poly[q]; r < f.poly[q+1]; r++ {
			pts := f.ringPts(r)
			o := pts[0]
			sgn := 1.0
			if r != f.poly[q] {
				sgn = -1
			}
			var a, x, y float64
			for i := 1; i+1 < len(pts); i++ {
				x1, y1 := pts[i][0]-o[0], pts[i][1]-o[1]
				x2, y2 := pts[i+1][0]-o[0], pts[i+1][1]-o[1]
				c := x1*y2 - x2*y1
				a += c
				x += (x1 + x2) * c
				y += (y1 + y2) * c
			}
			if a == 0 {
				continue
			}
			// Ring centroid = o + (x, y)/(3a); weight by |a|, holes subtract.
			w := sgn * math.Abs(a)
			cx += w * (o[0] + x/(3*a))
			cy += w * (o[1] + y/(3*a))
			aw += w
		}
	}
	if aw == 0 {
		return f.bound[s].Center()
	}
	return orb.Point{cx / aw, cy / aw}
}

// indexBands gives q, a single ring with bound b, a band index when it has 16 edges or
// more.
func (f *flat) indexBands(q *quick, b orb.Bound) {
	n := int(q.p1-q.p0) - 1 // edges
	h := b.Max[1] - b.Min[1]
	if n < 16 || !(h > 0) {
		return
	}
	k := int32(min(max(n/8, 2), 64))
	t := quick{minY: b.Min[1], maxY: b.Max[1], inv: float64(k) / h, k: k}
	if math.IsInf(t.inv, 0) {
		return
	}
	pts := f.pts[q.p0:q.p1]
	counts := make([]int, k+1)
	total := 0
	for e := range n {
		a, c := pts[e][1], pts[e+1][1]
		if a == c {
			continue // horizontal edges are never crossed
		}
		for j := t.bandOf(min(a, c)); j <= t.bandOf(max(a, c)); j++ {
			counts[j+1]++
			total++
		}
	}
	if total > math.MaxUint16 || n > math.MaxUint16 {
		return
	}
	for j := range k {
		counts[j+1] += counts[j]
	}
	start := len(f.bandData)
	for _, c := range counts {
		f.bandData = append(f.bandData, uint16(c))
	}
	f.bandData = slices.Grow(f.bandData, total)[:len(f.bandData)+total]
	edges := f.bandData[start+int(k)+1:]
	pos := counts[:k]
	for e := range n {
		a, c := pts[e][1], pts[e+1][1]
		if a == c {
			continue
		}
		for j := t.bandOf(min(a, c)); j <= t.bandOf(max(a, c)); j++ {
			edges[pos[j]] = uint16(e)
			pos[j]++
		}
	}
	q.band, q.k, q.minY, q.maxY, q.inv = int32(start), k, t.minY, t.maxY, t.inv
}
