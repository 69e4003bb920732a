package grid

import (
	"slices"

	"github.com/paulmach/orb"
)

// relation summarises how the boundaries of two shapes A and B meet. With it, questions
// about interiors are answered exactly, without clipping polygons: shared edges (the
// normal case between neighbouring grids) and touching vertices are recognised for what
// they are, not mistaken for overlaps.
type relation struct {
	cross      bool // the boundaries cross properly somewhere
	aIn, aOut  bool // some open piece of ∂A lies strictly inside / outside B
	bIn, bOut  bool // some open piece of ∂B lies strictly inside / outside A
	same, opp  bool // some shared boundary piece has both interiors on the same / opposite sides
	aOutsideAt orb.Point
}

// interiorsMeet reports whether the interiors of A and B intersect (an overlap of
// positive area). Proof sketch: if they meet and no boundary crosses the other and no
// piece of either boundary runs inside the other shape, the common region is bounded by
// boundary pieces the two shapes share with their interiors on the same side.
func (r relation) interiorsMeet() bool { return r.cross || r.aIn || r.bIn || r.same }

// aExceeds reports whether part of A's interior lies outside B: the same argument applied
// to A and the complement of B.
func (r relation) aExceeds() bool { return r.cross || r.aOut || r.bIn || r.opp }

// relate computes the relation of shapes a and b; buf holds scratch space a caller
// relating many pairs reuses (nil is fine).
func (f *flat) relate(a, b int32, buf *sweepBuf) relation {
	var r relation
	if !f.bound[a].Intersects(f.bound[b]) {
		r.aOut, r.bOut = true, true
		return r
	}
	if buf == nil {
		buf = &sweepBuf{}
	}
	if f.sweep(a, b, &r, true, buf) {
		return r
	}
	f.sweep(b, a, &r, false, buf)
	return r
}

type collinear struct {
	g0, g1 orb.Point
	left   int8
}

// bedge is an edge of the other shape near this one, with its box.
type bedge struct {
	g0, g1                 orb.Point
	minX, minY, maxX, maxY float64
	left                   int8
}

type sweepBuf struct {
	splits []orb.Point
	colls  []collinear
	near   []bedge
}

func segBox(a, b orb.Point) (minX, minY, maxX, maxY float64) {
	minX, maxX = a[0], b[0]
	if minX > maxX {
		minX, maxX = maxX, minX
	}
	minY, maxY = a[1], b[1]
	if minY > maxY {
		minY, maxY = maxY, minY
	}
	return
}

// sweep classifies every open piece of a's boundary against b, setting the a-side flags
// of r (b-side when first is false). It returns true when it found a proper crossing, which
// settles every question relate answers.
func (f *flat) sweep(a, b int32, r *relation, first bool, buf *sweepBuf) bool {
	bb, ab := f.bound[b], f.bound[a]
	in, out := &r.aIn, &r.aOut
	if !first {
		in, out = &r.bIn, &r.bOut
	}
	// Only b's edges meeting a's box can touch a's boundary.
	buf.near = buf.near[:0]
	for rb := f.poly[f.shape[b]]; rb < f.poly[f.shape[b+1]]; rb++ {
		qts := f.ringPts(rb)
		for j := 1; j < len(qts); j++ {
			g0, g1 := qts[j-1], qts[j]
			if g0 == g1 {
				continue
			}
			x0, y0, x1, y1 := segBox(g0, g1)
			if x1 < ab.Min[0] || x0 > ab.Max[0] || y1 < ab.Min[1] || y0 > ab.Max[1] {
				continue
			}
			buf.near = append(buf.near, bedge{g0, g1, x0, y0, x1, y1, f.left[rb]})
		}
	}
	for ra := f.poly[f.shape[a]]; ra < f.poly[f.shape[a+1]]; ra++ {
		la := f.left[ra]
		pts := f.ringPts(ra)
		for i := 1; i < len(pts); i++ {
			e0, e1 := pts[i-1], pts[i]
			if e0 == e1 {
				continue
			}
			ex0, ey0, ex1, ey1 := segBox(e0, e1)
			if ex1 < bb.Min[0] || ex0 > bb.Max[0] || ey1 < bb.Min[1] || ey0 > bb.Max[1] {
				*out = true
				continue
			}
			buf.splits = append(buf.splits[:0], e0, e1)
			buf.colls = buf.colls[:0]
			for k := range buf.near {
				g := &buf.near[k]
				if g.maxX < ex0 || g.minX > ex1 || g.maxY < ey0 || g.minY > ey1 {
					continue
				}
				g0, g1 := g.g0, g.g1
				if properCross(e0, e1, g0, g1) {
					r.cross = true
					return true
				}
				o0, o1 := orient(e0, e1, g0), orient(e0, e1, g1)
				if o0 == 0 && g0[0] >= ex0 && g0[0] <= ex1 && g0[1] >= ey0 && g0[1] <= ey1 {
					buf.splits = append(buf.splits, g0)
				}
				if o1 == 0 && g1[0] >= ex0 && g1[0] <= ex1 && g1[1] >= ey0 && g1[1] <= ey1 {
					buf.splits = append(buf.splits, g1)
				}
				if o0 == 0 && o1 == 0 {
					buf.colls = append(buf.colls, collinear{g0, g1, g.left})
				}
			}
			axis := 0
			if ey1-ey0 > ex1-ex0 {
				axis = 1
			}
			if len(buf.splits) > 2 {
				slices.SortFunc(buf.splits, func(p, q orb.Point) int {
					switch {
					case p[axis] < q[axis]:
						return -1
					case p[axis] > q[axis]:
						return 1
					}
					return 0
				})
			}
			for k := 1; k < len(buf.splits); k++ {
				q0, q1 := buf.splits[k-1], buf.splits[k]
				if q0 == q1 {
					continue
				}
				m := orb.Point{(q0[0] + q1[0]) / 2, (q0[1] + q1[1]) / 2}
				covered := false
				for _, c := range buf.colls {
					lo, hi := c.g0[axis], c.g1[axis]
					if lo > hi {
						lo, hi = hi, lo
					}
					if m[axis] <= lo || m[axis] >= hi {
						continue
					}
					covered = true
					dot := (e1[0]-e0[0])*(c.g1[0]-c.g0[0]) + (e1[1]-e0[1])*(c.g1[1]-c.g0[1])
					if (dot > 0) == (la == c.left) {
						r.same = true
					} else {
						r.opp = true
					}
				}
				if covered {
					continue
				}
				if f.contains(b, m) {
					*in = true
				} else {
					*out = true
					if first && r.aOutsideAt == (orb.Point{}) {
						r.aOutsideAt = m
					}
				}
			}
		}
	}
	return false
}
