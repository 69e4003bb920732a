package grid

import (
	"math"

	"github.com/paulmach/orb"
)

// This file holds the exact geometric predicates everything else rests on.
//
// The tie-break (归属规则) for a point on a boundary is symbolic perturbation: a point p
// belongs to the polygon whose interior contains p + (-ε, -ε²) for an infinitesimal ε,
// i.e. the point nudged a hair west and then a hair south. Consequences:
//   - a point on an edge belongs to the polygon to its west (left);
//   - a point on an east-west (horizontal) edge belongs to the polygon to its south;
//   - a vertex belongs to the polygon that holds the points just west-south-west of it.
// Because the nudged point lies on no edge, it is in exactly one face of any partition, so
// every point of a partition belongs to exactly one polygon, shared vertices included.
//
// The crossing-number test below implements that rule with half-open conventions (an edge
// counts for lo.y < p.y <= hi.y; a point on or west of the edge crosses it) and with an
// orientation predicate that is exact, so the answer does not depend on the direction in
// which two neighbours store their shared edge, nor on how each subdivides it.

// epsilon is the unit roundoff of float64 (half an ulp of 1).
const epsilon = 1.0 / (1 << 53)

// ccwErrBound is Shewchuk's bound on the error of the floating-point orientation
// determinant relative to its magnitude terms.
var ccwErrBound = (3.0 + 16.0*epsilon) * epsilon

// orient returns a value whose sign is the exact sign of the determinant
// (a-c) x (b-c): positive when a, b, c turn counter-clockwise, i.e. c lies to the left
// of the directed line a→b; zero when the three are exactly collinear.
func orient(a, b, c orb.Point) float64 {
	detLeft := (a[0] - c[0]) * (b[1] - c[1])
	detRight := (a[1] - c[1]) * (b[0] - c[0])
	det := detLeft - detRight
	var detSum float64
	switch {
	case detLeft > 0:
		if detRight <= 0 {
			return det
		}
		detSum = detLeft + detRight
	case detLeft < 0:
		if detRight >= 0 {
			return det
		}
		detSum = -detLeft - detRight
	default:
		return det
	}
	if det >= ccwErrBound*detSum || -det >= ccwErrBound*detSum {
		return det
	}
	return orientExact(a, b, c)
}

// orientExact evaluates the orientation determinant exactly with floating-point
// expansions (error-free sums and FMA products), on the stack, without allocating.
func orientExact(a, b, c orb.Point) float64 {
	axh, axl := twoDiff(a[0], c[0])
	byh, byl := twoDiff(b[1], c[1])
	ayh, ayl := twoDiff(a[1], c[1])
	bxh, bxl := twoDiff(b[0], c[0])
	var terms [16]float64
	n := 0
	add := func(x, y float64, neg bool) {
		h, l := twoProd(x, y)
		if neg {
			h, l = -h, -l
		}
		terms[n], terms[n+1] = h, l
		n += 2
	}
	add(axh, byh, false)
	add(axh, byl, false)
	add(axl, byh, false)
	add(axl, byl, false)
	add(ayh, bxh, true)
	add(ayh, bxl, true)
	add(ayl, bxh, true)
	add(ayl, bxl, true)
	// Grow a non-overlapping expansion one term at a time (Shewchuk's Grow-Expansion with
	// zero elimination); its largest component carries the sign of the exact sum.
	var e [17]float64
	m := 0
	for _, t := range terms[:n] {
		q := t
		k := 0
		for i := range m {
			s, err := twoSum(q, e[i])
			q = s
			if err != 0 {
				e[k] = err
				k++
			}
		}
		if q != 0 {
			e[k] = q
			k++
		}
		m = k
	}
	if m == 0 {
		return 0
	}
	return e[m-1]
}

func twoSum(a, b float64) (s, err float64) {
	s = a + b
	bv := s - a
	av := s - bv
	return s, (a - av) + (b - bv)
}

func twoDiff(a, b float64) (d, err float64) {
	d = a - b
	bv := a - d
	av := d + bv
	return d, (a - av) + (bv - b)
}

func twoProd(a, b float64) (p, err float64) {
	p = a * b
	return p, math.FMA(a, b, -p)
}

// ringCrossings counts the edges of the closed ring pts that a ray from p towards +x
// crosses under the half-open conventions described at the top of this file.
func ringCrossings(pts []orb.Point, p orb.Point) int {
	if len(pts) < 2 {
		return 0
	}
	n := 0
	a := pts[0]
	px, py := p[0], p[1]
	for _, b := range pts[1:] {
		if (a[1] < py) != (b[1] < py) {
			switch {
			case a[0] >= px && b[0] >= px:
				n++
			case a[0] < px && b[0] < px:
			default:
				if crossesOnFence(a, b, p) {
					n++
				}
			}
		}
		a = b
	}
	return n
}

// edgeCrossings counts like ringCrossings over the listed edges of ring pts only (edge e
// runs from pts[e] to pts[e+1]).
func edgeCrossings(pts []orb.Point, edges []uint16, p orb.Point) int {
	n := 0
	px, py := p[0], p[1]
	for _, e := range edges {
		a, b := pts[e], pts[e+1]
		if (a[1] < py) != (b[1] < py) {
			switch {
			case a[0] >= px && b[0] >= px:
				n++
			case a[0] < px && b[0] < px:
			default:
				if crossesOnFence(a, b, p) {
					n++
				}
			}
		}
	}
	return n
}

// crossesOnFence decides an edge whose x-range holds p.x: the ray crosses it when p lies
// on or left of the edge directed upwards. Kept out of line so the loops above stay
// small.
func crossesOnFence(a, b, p orb.Point) bool {
	lo, hi := a, b
	if b[1] < a[1] {
		lo, hi = b, a
	}
	return orient(lo, hi, p) >= 0
}

// polygonContains applies the tie-break rule to one polygon (outer ring then holes): the
// parity of crossings over all its rings.
func polygonContains(rings [][]orb.Point, p orb.Point) bool {
	n := 0
	for _, r := range rings {
		n += ringCrossings(r, p)
	}
	return n&1 == 1
}

// onSegment reports whether p lies exactly on the closed segment a-b.
func onSegment(a, b, p orb.Point) bool {
	if p[0] < math.Min(a[0], b[0]) || p[0] > math.Max(a[0], b[0]) ||
		p[1] < math.Min(a[1], b[1]) || p[1] > math.Max(a[1], b[1]) {
		return false
	}
	return orient(a, b, p) == 0
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// properCross reports whether segments a-b and c-d cross at a single point interior to
// both (not at an endpoint of either and not collinearly).
func properCross(a, b, c, d orb.Point) bool {
	o1 := sign(orient(a, b, c))
	o2 := sign(orient(a, b, d))
	if o1 == 0 || o2 == 0 || o1 == o2 {
		return false
	}
	o3 := sign(orient(c, d, a))
	o4 := sign(orient(c, d, b))
	return o3 != 0 && o4 != 0 && o3 != o4
}
