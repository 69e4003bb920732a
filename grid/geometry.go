package grid

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
)

// GeometryOptions says how boundaries are checked when they are read ([GridsFromGeoJSON]
// and its siblings) or indexed ([NewIndex], through IndexOptions.Geometry). The zero
// value refuses every invalid ring and repairs nothing.
type GeometryOptions struct {
	// CloseRings repairs a ring whose last position differs from its first by repeating
	// the first position at its end. RFC 7946 requires closed rings; without this option
	// an unclosed ring is refused (rule geometry.ring-closed).
	CloseRings bool
	// Strict also refuses rings that touch themselves without crossing: a vertex lying
	// on another part of the same ring, an edge doubling back along the previous one (a
	// zero-width spike), two rings of a polygon sharing an edge (rule
	// geometry.self-touch). Such rings are invalid in OGC simple features but common in
	// quantised data (Nanjing's district boundaries, snapped to 1/1024°, have hundreds);
	// they change neither the interior nor the area, so they are accepted by default.
	Strict bool
}

// The rules a boundary must satisfy. Each refusal is a *gridgov.Error wrapping
// gridgov.ErrInvalid whose Rule is one of these.
const (
	RuleFinite          = "geometry.finite"             // no NaN or infinite coordinate
	RuleRange           = "geometry.range"              // longitude in [-180, 180], latitude in [-90, 90]
	RuleRingClosed      = "geometry.ring-closed"        // first position == last position (RFC 7946 §3.1.6)
	RuleRingPositions   = "geometry.ring-positions"     // at least 4 positions (RFC 7946 §3.1.6)
	RuleRingDegenerate  = "geometry.ring-degenerate"    // at least 3 distinct vertices
	RuleSelfIntersect   = "geometry.self-intersection"  // no two edges of a ring cross
	RuleSelfTouch       = "geometry.self-touch"         // with Strict: a ring meets itself only where consecutive edges share a vertex, rings of a polygon only at single points
	RuleRingsCross      = "geometry.rings-cross"        // no edges of two rings of one polygon cross
	RuleHoleOutside     = "geometry.hole-outside-shell" // every hole lies inside its polygon's outer ring
	RuleHoleInHole      = "geometry.hole-inside-hole"   // no hole lies inside another hole
	RuleGeometryType    = "geometry.type"               // a Polygon or a MultiPolygon
	RuleGeometryMissing = "geometry.empty"              // at least one polygon, each with an outer ring
)

// geomProblem is one violated rule; where locates it inside the geometry ("polygon 0
// ring 1 position 7").
type geomProblem struct {
	rule, msg string
}

// checkGeometry checks g (orb.Polygon or orb.MultiPolygon, geographic coordinates) and
// returns the geometry to use — g itself, or a repaired copy when opt asks for repairs
// and one was needed — and every problem found (at most one per ring, one per polygon
// for how its rings meet).
//
// Coordinates are geographic (every [Datum] is): longitude −180..180, latitude −90..90.
// The package has no projected datum, so projected coordinates (metres) are refused by
// the range rule rather than misread as degrees.
func checkGeometry(g orb.Geometry, opt GeometryOptions) (orb.Geometry, []geomProblem) {
	var polys []orb.Polygon
	multi := false
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys, multi = g, true
	case nil:
		return g, []geomProblem{{RuleGeometryMissing, "geometry is missing"}}
	default:
		return g, []geomProblem{{RuleGeometryType, fmt.Sprintf("geometry is a %s, want Polygon or MultiPolygon", g.GeoJSONType())}}
	}
	if len(polys) == 0 {
		return g, []geomProblem{{RuleGeometryMissing, "geometry has no polygon"}}
	}
	var probs []geomProblem
	repaired := false
	out := make([]orb.Polygon, len(polys))
	for qi, pg := range polys {
		where := ""
		if multi {
			where = fmt.Sprintf("polygon %d ", qi)
		}
		if len(pg) == 0 {
			probs = append(probs, geomProblem{RuleGeometryMissing, where + "has no rings"})
			continue
		}
		ok, cloned := true, false
		out[qi] = pg
		for ri, r := range pg {
			fixed, p := checkRing(r, opt)
			if p != nil {
				p.msg = fmt.Sprintf("%sring %d: %s", where, ri, p.msg)
				probs = append(probs, *p)
				ok = false
				continue
			}
			if len(fixed) != len(r) {
				if !cloned {
					out[qi], cloned = slices.Clone(pg), true
				}
				out[qi][ri] = fixed
				repaired = true
			}
		}
		if !ok {
			continue
		}
		if p := checkPolygon(out[qi], opt.Strict); p != nil {
			p.msg = where + p.msg
			probs = append(probs, *p)
		}
	}
	if !repaired {
		return g, probs
	}
	if multi {
		return orb.MultiPolygon(out), probs
	}
	return out[0], probs
}

// checkRing checks one ring's positions and returns it, closed by a copy when opt asks
// for it and it was open.
func checkRing(r orb.Ring, opt GeometryOptions) (orb.Ring, *geomProblem) {
	for i, p := range r {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return r, &geomProblem{RuleFinite, fmt.Sprintf("position %d (%v, %v) is not finite", i, p[0], p[1])}
		}
		if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
			return r, &geomProblem{RuleRange, fmt.Sprintf("position %d (%g, %g) is outside longitude −180..180, latitude −90..90", i, p[0], p[1])}
		}
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		if !opt.CloseRings {
			return r, &geomProblem{RuleRingClosed, fmt.Sprintf("is not closed: first position (%g, %g) differs from last (%g, %g)",
				r[0][0], r[0][1], r[len(r)-1][0], r[len(r)-1][1])}
		}
		r = append(slices.Clip(slices.Clone(r)), r[0])
	}
	if len(r) < 4 {
		return r, &geomProblem{RuleRingPositions, fmt.Sprintf("has %d positions, want at least 4", len(r))}
	}
	distinct := 0
	for i := 1; i < len(r); i++ {
		if r[i] != r[i-1] {
			distinct++
		}
	}
	if distinct < 3 {
		return r, &geomProblem{RuleRingDegenerate, fmt.Sprintf("has %d distinct vertices, want at least 3", distinct)}
	}
	return r, nil
}

// sseg is one edge of a polygon for the simplicity sweep: a→b, the ring it belongs to,
// its number among the ring's edges (consecutive duplicates dropped), the ring's edge
// count and the position of a in the ring as given.
type sseg struct {
	a, b       orb.Point
	minX, maxX float64
	minY, maxY float64
	ring, k, n int32
	pos        int32
}

// sweepKey is an edge's west end and its number, what checkPolygon sorts.
type sweepKey struct {
	x float64
	i int32
}

// checkPolygon checks how the rings of a polygon meet: no two edges cross (of one ring
// or of two), holes inside the outer ring and outside each other; when strict, each ring
// is simple (its edges meet only where consecutive edges share a vertex and never fold
// back) and rings meet one another at most at single points.
//
// The edges are swept in order of their west end, each tested exactly (orientation
// predicates) against the edges still open across its x-range: O(n log n + n·k) for n
// edges of which at most k cross a north–south line, a few dozen for real boundaries
// of thousands of edges.
func checkPolygon(pg orb.Polygon, strict bool) *geomProblem {
	n := 0
	for _, r := range pg {
		n += max(len(r)-1, 0)
	}
	segs := make([]sseg, 0, n)
	for ri, r := range pg {
		start := len(segs)
		for i := 1; i < len(r); i++ {
			a, b := r[i-1], r[i]
			if a == b {
				continue
			}
			s := sseg{a: a, b: b, ring: int32(ri), k: int32(len(segs) - start), pos: int32(i - 1)}
			s.minX, s.maxX = math.Min(a[0], b[0]), math.Max(a[0], b[0])
			s.minY, s.maxY = math.Min(a[1], b[1]), math.Max(a[1], b[1])
			segs = append(segs, s)
		}
		for j := start; j < len(segs); j++ {
			segs[j].n = int32(len(segs) - start)
		}
	}
	// Sort small keys rather than the edges themselves, which are six times larger: at
	// 100,000 grids the sort was a fifth of NewIndex. Ties keep the rings' order.
	keys := make([]sweepKey, len(segs))
	for i := range segs {
		keys[i] = sweepKey{segs[i].minX, int32(i)}
	}
	slices.SortFunc(keys, func(s, t sweepKey) int {
		if c := cmp.Compare(s.x, t.x); c != 0 {
			return c
		}
		return cmp.Compare(s.i, t.i)
	})
	sorted := make([]sseg, len(segs))
	for i, k := range keys {
		sorted[i] = segs[k.i]
	}
	segs = sorted
	var active []int32
	for i := range segs {
		s := &segs[i]
		kept := active[:0]
		for _, j := range active {
			if segs[j].maxX >= s.minX {
				kept = append(kept, j)
			}
		}
		active = kept
		for _, j := range active {
			t := &segs[j]
			if t.maxY < s.minY || t.minY > s.maxY {
				continue
			}
			if p := meet(s, t, strict); p != nil {
				return p
			}
		}
		active = append(active, int32(i))
	}
	return checkHoles(pg)
}

// meet decides whether edges s and t, whose boxes overlap, meet where the rules forbid.
func meet(s, t *sseg, strict bool) *geomProblem {
	at := func(p orb.Point) string { return fmt.Sprintf("(%g, %g)", p[0], p[1]) }
	if s.ring == t.ring {
		var first, second *sseg
		switch n := s.n; {
		case (t.k+1)%n == s.k:
			first, second = t, s
		case (s.k+1)%n == t.k:
			first, second = s, t
		}
		if first != nil {
			// Consecutive edges share first.b == second.a and meet nowhere else unless
			// the second folds back along the first.
			a, b, c := first.a, first.b, second.b
			if strict && orient(a, b, c) == 0 && (b[0]-a[0])*(c[0]-b[0])+(b[1]-a[1])*(c[1]-b[1]) < 0 {
				return &geomProblem{RuleSelfTouch, fmt.Sprintf("ring %d: folds back on itself at position %d %s", s.ring, second.pos, at(b))}
			}
			return nil
		}
		lo, hi := min(s.pos, t.pos), max(s.pos, t.pos)
		if properCross(s.a, s.b, t.a, t.b) {
			return &geomProblem{RuleSelfIntersect, fmt.Sprintf("ring %d: edges at positions %d and %d cross at %s", s.ring, lo, hi, at(crossPoint(s.a, s.b, t.a, t.b)))}
		}
		if x, ok := segmentsMeet(s.a, s.b, t.a, t.b); ok && strict {
			return &geomProblem{RuleSelfTouch, fmt.Sprintf("ring %d: edges at positions %d and %d touch at %s", s.ring, lo, hi, at(x))}
		}
		return nil
	}
	lo, hi := min(s.ring, t.ring), max(s.ring, t.ring)
	if properCross(s.a, s.b, t.a, t.b) {
		return &geomProblem{RuleRingsCross, fmt.Sprintf("rings %d and %d cross at %s", lo, hi, at(crossPoint(s.a, s.b, t.a, t.b)))}
	}
	if x, bad := ringsMeet(s.a, s.b, t.a, t.b); bad && strict {
		return &geomProblem{RuleSelfTouch, fmt.Sprintf("rings %d and %d share an edge at %s", lo, hi, at(x))}
	}
	return nil
}

// segmentsMeet reports whether closed segments a-b and c-d have a point in common, and
// one such point (approximate when it is a crossing).
func segmentsMeet(a, b, c, d orb.Point) (orb.Point, bool) {
	o1, o2 := sign(orient(a, b, c)), sign(orient(a, b, d))
	o3, o4 := sign(orient(c, d, a)), sign(orient(c, d, b))
	if o1*o2 < 0 && o3*o4 < 0 {
		return crossPoint(a, b, c, d), true
	}
	switch {
	case o1 == 0 && onSegment(a, b, c):
		return c, true
	case o2 == 0 && onSegment(a, b, d):
		return d, true
	case o3 == 0 && onSegment(c, d, a):
		return a, true
	case o4 == 0 && onSegment(c, d, b):
		return b, true
	}
	return orb.Point{}, false
}

// ringsMeet reports whether segments of two different rings cross properly or overlap
// along a piece of positive length; touching at a single point is allowed (OGC simple
// features: rings of a polygon may touch at points).
func ringsMeet(a, b, c, d orb.Point) (orb.Point, bool) {
	if properCross(a, b, c, d) {
		return crossPoint(a, b, c, d), true
	}
	if orient(a, b, c) != 0 || orient(a, b, d) != 0 {
		return orb.Point{}, false
	}
	// Collinear: do the 1-D extents overlap in more than a point?
	axis := 0
	if math.Abs(b[1]-a[1]) > math.Abs(b[0]-a[0]) {
		axis = 1
	}
	lo1, hi1 := math.Min(a[axis], b[axis]), math.Max(a[axis], b[axis])
	lo2, hi2 := math.Min(c[axis], d[axis]), math.Max(c[axis], d[axis])
	if math.Min(hi1, hi2) > math.Max(lo1, lo2) {
		p := a
		if a[axis] < lo2 || a[axis] > hi2 {
			p = c
		}
		return p, true
	}
	return orb.Point{}, false
}

// crossPoint is the (rounded) intersection of the lines a-b and c-d, for messages.
func crossPoint(a, b, c, d orb.Point) orb.Point {
	d1x, d1y := b[0]-a[0], b[1]-a[1]
	d2x, d2y := d[0]-c[0], d[1]-c[1]
	den := d1x*d2y - d1y*d2x
	if den == 0 {
		return a
	}
	t := ((c[0]-a[0])*d2y - (c[1]-a[1])*d2x) / den
	return orb.Point{a[0] + t*d1x, a[1] + t*d1y}
}

// checkHoles checks, for rings that do not cross, that each hole lies inside the outer
// ring and outside every other hole. A ring that crosses no other lies wholly on one side
// of each, so one vertex (or edge midpoint) not on the other ring decides.
func checkHoles(pg orb.Polygon) *geomProblem {
	if len(pg) < 2 {
		return nil
	}
	bounds := make([]orb.Bound, len(pg))
	for i, r := range pg {
		bounds[i] = r.Bound()
	}
	inside := func(outer, r int) bool {
		b := bounds[outer]
		return b.Contains(bounds[r].Min) && b.Contains(bounds[r].Max) && ringSide(pg[outer], pg[r]) > 0
	}
	for hi := 1; hi < len(pg); hi++ {
		if !inside(0, hi) {
			return &geomProblem{RuleHoleOutside, fmt.Sprintf("ring %d (a hole) lies outside the outer ring", hi)}
		}
		for hj := 1; hj < len(pg); hj++ {
			if hj != hi && inside(hj, hi) {
				return &geomProblem{RuleHoleInHole, fmt.Sprintf("ring %d (a hole) lies inside ring %d (another hole)", hi, hj)}
			}
		}
	}
	return nil
}

// ringSide says on which side of ring outer the ring r lies, given that they do not
// cross: +1 inside, -1 outside, 0 when r lies on outer entirely.
func ringSide(outer, r orb.Ring) int {
	for _, p := range r {
		if s := pointInRing(outer, p); s != 0 {
			return s
		}
	}
	for i := 1; i < len(r); i++ {
		if s := pointInRing(outer, orb.Point{(r[i-1][0] + r[i][0]) / 2, (r[i-1][1] + r[i][1]) / 2}); s != 0 {
			return s
		}
	}
	return 0
}

// pointInRing is +1 when p is strictly inside ring r, -1 strictly outside, 0 on it.
func pointInRing(r orb.Ring, p orb.Point) int {
	for i := 1; i < len(r); i++ {
		if onSegment(r[i-1], r[i], p) {
			return 0
		}
	}
	if ringCrossings(r, p)&1 == 1 {
		return 1
	}
	return -1
}

// geometryError turns the problems of one record's geometry into errors naming the
// record (e.g. `grids[3] (code "…"): boundary`).
func geometryError(op, name string, probs []geomProblem) error {
	errs := make([]error, len(probs))
	for i, p := range probs {
		errs[i] = &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: p.rule, Msg: name + ": " + p.msg}
	}
	return errors.Join(errs...)
}

// validateAtlasGeometry checks every boundary of a (see [checkGeometry]) and returns all
// problems at once, each naming its record, or nil.
func validateAtlasGeometry(a Atlas, opt GeometryOptions) error {
	var errs []error
	check := func(name string, g orb.Geometry) {
		if g == nil {
			return
		}
		if _, probs := checkGeometry(g, opt); len(probs) > 0 {
			errs = append(errs, geometryError("grid.NewIndex", "atlas: "+name+": boundary", probs))
		}
	}
	for i, c := range a.Communities {
		check(fmt.Sprintf("communities[%d] (id %q)", i, c.ID), c.Boundary)
	}
	for i, g := range a.Grids {
		check(fmt.Sprintf("grids[%d] (code %q)", i, g.Code), g.Boundary)
	}
	for i, b := range a.Beats {
		check(fmt.Sprintf("beats[%d] (code %q)", i, b.Code), b.Boundary)
	}
	return errors.Join(errs...)
}
