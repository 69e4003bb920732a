package grid

import (
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// This file computes areas of boolean combinations of shapes (A ∩ B, community minus
// its grids, grid minus community) exactly up to floating-point rounding, by a
// trapezoidal sweep instead of a lattice: the cost grows with the number of vertices, not
// with the area.
//
// Every edge is projected to local metres (see metric.go) and the plane is cut into
// vertical slabs at every vertex longitude. No vertex lies strictly inside a slab, so
// the edges spanning a slab are ordered by height, unless two of them cross inside it;
// such a slab is cut again at each crossing. Between two consecutive edges of a slab lies
// a trapezoid whose coverage is known by parity: walking up the slab, each edge toggles
// the polygon it belongs to (the even–odd rule the point test uses). A trapezoid's area
// is exact for its corners; shared edges, stored the same way by both neighbours, give
// trapezoids of height exactly zero, so a shared border is never an overlap, and a
// T-junction (a vertex on a neighbour's edge) gives a sliver of the order of the
// rounding of its coordinates (far below a square millimetre), which AreaToleranceM2
// absorbs.

// AreaToleranceM2 is the area, in square metres, below which an overlap, a gap or a
// part of a grid outside its community is taken for the rounding of a shared border and
// not reported: one square decimetre. Coordinates in degrees carry about 16 significant
// digits, so the sliver two neighbours' roundings leave along a border of 10 km is of
// the order of 10⁻⁴ m²; any real overlap or gap is many orders of magnitude larger.
const AreaToleranceM2 = 0.01

// oedge is an edge in local metres with x0 < x1, the local shape and part (polygon of a
// multipolygon) it bounds, and its heights at the current slab's west end, east end and
// middle.
type oedge struct {
	x0, y0, x1, y1 float64
	shape, part    int32
	ya, yb, ym     float64
}

// yAt is the edge's height at x, exact at its end points so that edges stored alike by
// two shapes give the same heights.
func (e *oedge) yAt(x float64) float64 {
	switch x {
	case e.x0:
		return e.y0
	case e.x1:
		return e.y1
	}
	return e.y0 + (e.y1-e.y0)*((x-e.x0)/(e.x1-e.x0))
}

// overlay is one sweep's input and scratch: the edges of a few shapes, projected
// around an origin.
type overlay struct {
	ox, oy, kx, ky float64
	xlo, xhi       float64 // the sweep covers [xlo, xhi] (local metres)
	edges          []oedge
	partShape      []int32
	nShapes        int32

	// Sweep state: parity of each part, number of odd parts of each shape, shapes
	// currently covered.
	odd   []bool
	cover []int32
	on    []int32

	// Scratch kept across sweeps by reset.
	xs, cuts    []float64
	active, byB []int32
	t           trap
}

// reset empties ov for a new sweep around origin, keeping its scratch space.
func (ov *overlay) reset(origin orb.Point, lat float64) {
	kx, ky := localScale(lat)
	ov.ox, ov.oy, ov.kx, ov.ky = origin[0], origin[1], kx, ky
	ov.xlo, ov.xhi = math.Inf(-1), math.Inf(1)
	ov.edges, ov.partShape, ov.nShapes = ov.edges[:0], ov.partShape[:0], 0
	ov.on = ov.on[:0]
}

func (ov *overlay) local(p orb.Point) (float64, float64) {
	return (p[0] - ov.ox) * ov.kx, (p[1] - ov.oy) * ov.ky
}

// point turns a local position back into the index's datum.
func (ov *overlay) point(x, y float64) orb.Point {
	return orb.Point{ov.ox + x/ov.kx, ov.oy + y/ov.ky}
}

// clipX limits the sweep to longitudes [lo, hi]; areas outside them are not computed.
func (ov *overlay) clipX(lo, hi float64) {
	ov.xlo, _ = ov.local(orb.Point{lo, 0})
	ov.xhi, _ = ov.local(orb.Point{hi, 0})
}

// add appends the edges of shape s of f as local shape number ov.nShapes and returns it.
func (ov *overlay) add(f *flat, s int32) int32 {
	local := ov.nShapes
	ov.nShapes++
	for q := f.shape[s]; q < f.shape[s+1]; q++ {
		part := int32(len(ov.partShape))
		ov.partShape = append(ov.partShape, local)
		for r := f.poly[q]; r < f.poly[q+1]; r++ {
			pts := f.ringPts(r)
			for i := 1; i < len(pts); i++ {
				x0, y0 := ov.local(pts[i-1])
				x1, y1 := ov.local(pts[i])
				if x0 == x1 {
					continue // spans no slab
				}
				if x0 > x1 {
					x0, y0, x1, y1 = x1, y1, x0, y0
				}
				if x1 <= ov.xlo || x0 >= ov.xhi {
					continue
				}
				ov.edges = append(ov.edges, oedge{x0: x0, y0: y0, x1: x1, y1: y1, shape: local, part: part})
			}
		}
	}
	return local
}

// trap is one trapezoid of a slab handed to a sweep's visitor: its area (m²), its
// centre, and its extent in height at the slab's west (la..lb) and east (ra..rb) ends,
// all local.
type trap struct {
	area           float64
	cx, cy         float64
	la, lb, ra, rb float64
}

// sweep visits every trapezoid of positive height with the shapes covering it (ov.on,
// ov.cover). slabEnd is called after each slab (at least once per visited slab), for
// visitors that connect trapezoids across slabs. It returns ctx.Err() if ctx is
// cancelled, checked every few hundred slabs.
func (ov *overlay) sweep(ctx context.Context, visit func(t *trap), slabEnd func()) error {
	if len(ov.edges) == 0 {
		return nil
	}
	xs := ov.xs[:0]
	for i := range ov.edges {
		e := &ov.edges[i]
		xs = append(xs, e.x0, e.x1)
	}
	if !math.IsInf(ov.xlo, 0) {
		xs = append(xs, ov.xlo, ov.xhi)
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	lo, hi := 0, len(xs)
	for lo < hi && xs[lo] < ov.xlo {
		lo++
	}
	for hi > lo && xs[hi-1] > ov.xhi {
		hi--
	}
	ov.xs = xs
	xs = xs[lo:hi]
	slices.SortFunc(ov.edges, func(a, b oedge) int {
		switch {
		case a.x0 < b.x0:
			return -1
		case a.x0 > b.x0:
			return 1
		}
		return 0
	})
	ov.odd = slices.Grow(ov.odd[:0], len(ov.partShape))[:len(ov.partShape)]
	clear(ov.odd)
	ov.cover = slices.Grow(ov.cover[:0], int(ov.nShapes))[:ov.nShapes]
	clear(ov.cover)
	ov.on = ov.on[:0]
	active, byB, cuts := ov.active[:0], ov.byB[:0], ov.cuts[:0]
	defer func() { ov.active, ov.byB, ov.cuts = active, byB, cuts }()
	next := 0
	for k := 0; k+1 < len(xs); k++ {
		if k&255 == 255 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		xa, xb := xs[k], xs[k+1]
		kept := active[:0]
		for _, i := range active {
			if ov.edges[i].x1 > xa {
				kept = append(kept, i)
			}
		}
		active = kept
		for next < len(ov.edges) && ov.edges[next].x0 <= xa {
			if ov.edges[next].x1 > xa {
				active = append(active, int32(next))
			}
			next++
		}
		if len(active) == 0 {
			if slabEnd != nil {
				slabEnd()
			}
			continue
		}
		// Crossings inside the slab: pairs whose order at the west end differs from
		// their order at the east end.
		for _, i := range active {
			e := &ov.edges[i]
			e.ya, e.yb = e.yAt(xa), e.yAt(xb)
		}
		ov.sortBy(active, false)
		byB = append(byB[:0], active...)
		cuts = cuts[:0]
		for j := 1; j < len(byB); j++ {
			for m := j; m > 0; m-- {
				u, w := &ov.edges[byB[m-1]], &ov.edges[byB[m]]
				if u.yb <= w.yb {
					break
				}
				// u above w at xb but not at xa: they cross inside.
				du, dw := u.yb-u.ya, w.yb-w.ya
				if den := du - dw; den > 0 {
					t := (w.ya - u.ya) / den
					if x := xa + t*(xb-xa); x > xa && x < xb {
						cuts = append(cuts, x)
					}
				}
				byB[m-1], byB[m] = byB[m], byB[m-1]
			}
		}
		if len(cuts) > 1 {
			slices.Sort(cuts)
			cuts = slices.Compact(cuts)
		}
		x0 := xa
		for c := 0; c <= len(cuts); c++ {
			x1 := xb
			if c < len(cuts) {
				x1 = cuts[c]
			}
			ov.slab(active, x0, x1, visit)
			if slabEnd != nil {
				slabEnd()
			}
			x0 = x1
		}
	}
	return nil
}

// slab visits the trapezoids of [xa, xb], in which no two active edges cross.
func (ov *overlay) slab(active []int32, xa, xb float64, visit func(t *trap)) {
	xm := (xa + xb) / 2
	for _, i := range active {
		e := &ov.edges[i]
		e.ya, e.yb, e.ym = e.yAt(xa), e.yAt(xb), e.yAt(xm)
	}
	ov.sortBy(active, true)
	w := xb - xa
	for j, i := range active {
		e := &ov.edges[i]
		ov.toggle(e.part)
		if j+1 == len(active) {
			break
		}
		u := &ov.edges[active[j+1]]
		ha, hb := u.ya-e.ya, u.yb-e.yb
		if ha <= 0 && hb <= 0 {
			continue
		}
		ov.t = trap{area: w * (ha + hb) / 2, cx: xm, cy: (e.ym + u.ym) / 2, la: e.ya, lb: u.ya, ra: e.yb, rb: u.yb}
		visit(&ov.t)
	}
}

// sortBy sorts edge numbers by height at the slab's middle (mid) or west end, then at
// its east end; insertion sort, since the order changes little from one slab to the
// next.
func (ov *overlay) sortBy(idx []int32, mid bool) {
	key := func(e *oedge) float64 {
		if mid {
			return e.ym
		}
		return e.ya
	}
	for j := 1; j < len(idx); j++ {
		v := idx[j]
		ev := &ov.edges[v]
		kv := key(ev)
		m := j
		for m > 0 {
			eu := &ov.edges[idx[m-1]]
			if ku := key(eu); !(kv < ku || (kv == ku && ev.yb < eu.yb)) {
				break
			}
			idx[m] = idx[m-1]
			m--
		}
		idx[m] = v
	}
}

func (ov *overlay) toggle(part int32) {
	s := ov.partShape[part]
	ov.odd[part] = !ov.odd[part]
	if ov.odd[part] {
		ov.cover[s]++
		if ov.cover[s] == 1 {
			ov.on = append(ov.on, s)
		}
		return
	}
	ov.cover[s]--
	if ov.cover[s] == 0 {
		if k := slices.Index(ov.on, s); k >= 0 {
			ov.on = slices.Delete(ov.on, k, k+1)
		}
	}
}

// region accumulates the trapezoids a sweep labels into connected components: two
// trapezoids are connected when they are stacked next to each other in a slab or share a
// piece of positive length of the line between two consecutive slabs.
type region struct {
	parent []int32
	area   []float64 // per trapezoid, summed into the root at the end
	centre []orb.Point
	prev   []rtrap // the previous slab's labelled trapezoids
	cur    []rtrap
	last   int32 // the trapezoid visited just before, if labelled, else -1
}

type rtrap struct {
	id             int32
	la, lb, ra, rb float64
}

func newRegion() *region { return &region{last: -1} }

// add records labelled trapezoid t; p is its centre in the index's datum.
func (rg *region) add(t *trap, p orb.Point) {
	id := int32(len(rg.parent))
	rg.parent = append(rg.parent, id)
	rg.area = append(rg.area, t.area)
	rg.centre = append(rg.centre, p)
	if rg.last >= 0 {
		rg.union(rg.last, id)
	}
	rg.cur = append(rg.cur, rtrap{id: id, la: t.la, lb: t.lb, ra: t.ra, rb: t.rb})
	rg.last = id
}

// skip records that the trapezoid just visited is not labelled.
func (rg *region) skip() { rg.last = -1 }

// endSlab connects this slab's trapezoids with the previous slab's across their common
// line.
func (rg *region) endSlab() {
	i, j := 0, 0
	for i < len(rg.prev) && j < len(rg.cur) {
		p, c := &rg.prev[i], &rg.cur[j]
		if min(p.rb, c.lb)-max(p.ra, c.la) > 0 {
			rg.union(p.id, c.id)
		}
		if p.rb < c.rb {
			i++
		} else {
			j++
		}
	}
	rg.prev, rg.cur = rg.cur, rg.prev[:0]
	rg.last = -1
}

func (rg *region) find(x int32) int32 {
	for rg.parent[x] != x {
		rg.parent[x] = rg.parent[rg.parent[x]]
		x = rg.parent[x]
	}
	return x
}

func (rg *region) union(a, b int32) {
	a, b = rg.find(a), rg.find(b)
	if a != b {
		rg.parent[b] = a
	}
}

// piece is one connected component of a region: its area and a point inside it (the
// centre of its largest trapezoid).
type piece struct {
	areaM2 float64
	at     orb.Point
}

// pieces returns the components, in the order of their first trapezoid.
func (rg *region) pieces() []piece {
	idx := map[int32]int{}
	var out []piece
	var best []float64
	for i := range rg.parent {
		r := rg.find(int32(i))
		k, ok := idx[r]
		if !ok {
			k = len(out)
			idx[r] = k
			out = append(out, piece{})
			best = append(best, -1)
		}
		out[k].areaM2 += rg.area[i]
		if rg.area[i] > best[k] {
			best[k] = rg.area[i]
			out[k].at = rg.centre[i]
		}
	}
	return out
}

// intersectionArea returns the area in m² of the intersection of shapes a and b and a
// point of its largest trapezoid (meaningful when the area is positive). ov is scratch
// space a caller relating many pairs reuses (nil is fine).
func (f *flat) intersectionArea(ctx context.Context, a, b int32, ov *overlay) (float64, orb.Point, error) {
	ba, bb := f.bound[a], f.bound[b]
	lo := orb.Point{math.Max(ba.Min[0], bb.Min[0]), math.Max(ba.Min[1], bb.Min[1])}
	hi := orb.Point{math.Min(ba.Max[0], bb.Max[0]), math.Min(ba.Max[1], bb.Max[1])}
	if lo[0] >= hi[0] || lo[1] >= hi[1] {
		return 0, orb.Point{}, nil
	}
	if ov == nil {
		ov = &overlay{}
	}
	ov.reset(lo, (lo[1]+hi[1])/2)
	ov.clipX(lo[0], hi[0])
	ov.add(f, a)
	ov.add(f, b)
	var area, best float64
	var at orb.Point
	err := ov.sweep(ctx, func(t *trap) {
		if ov.cover[0] > 0 && ov.cover[1] > 0 {
			area += t.area
			if t.area > best {
				best, at = t.area, ov.point(t.cx, t.cy)
			}
		}
	}, nil)
	return area, at, err
}
