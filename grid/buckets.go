package grid

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// cells is the point-lookup index of the grid layer: a uniform grid of cells over the
// layer's extent, in which every edge of every ring of every grid (outer rings, holes,
// every part of a multipolygon) is listed under each cell it meets. What a lookup needs
// of a cell is precomputed at build time:
//
//   - full: the best-ranked grid that covers the whole cell (no edge of it meets the
//     cell), or -1;
//   - one entry per polygon, in priority order and only for grids ranked before full,
//     that has edges in the cell: the runs of consecutive edges it has there (indices
//     into flat.pts, so the points are read in place) and a parity bit that settles the
//     rest of the polygon.
//
// Why the parity bit suffices: the crossing test of the tie-break rule (predicate.go)
// shoots a ray from p' = p + (-ε, -ε²) towards +x. Replace the ray by the path that runs
// from p' east to q' = (R-ε, p.y-ε²), R a fixed x just east of the cell's column, then
// south to b' = (R-ε, Yb-ε²), Yb a fixed y just south of the cell's row. The number of
// boundary crossings along that path and the crossing count of b' have the same parity as
// the crossing count of p' (both are "is p' inside"), and the path lies within the cell
// widened by a margin, so only edges listed in the cell can cross it. A lookup therefore
// counts, over the cell's edges of the polygon, the crossings of the ray from p' minus
// those of the ray from q' (the horizontal leg) plus the edges crossing x = R-ε above b'
// and below q' (the vertical leg); the parity at b' and the vertical leg's crossings
// below b' are folded into the entry's bit at build time. All comparisons are exact
// (orient), with the same symbolic perturbation as the plain test, so the answer is
// bit-for-bit the plain test's answer. The parity at every (R, Yb) of every polygon comes
// from one sweep per cell row, and also classifies the cells no edge meets.
//
// A point inside a cell that one grid covers costs one read of the cell head; a point
// near boundaries reads the head, a few entries and the few edges there, side by side in
// memory. Box queries (overlay, validation) use the R-tree.
type cells struct {
	minX, minY, maxX, maxY float64
	cellW, cellH           float64
	invW, invH             float64 // col(x) = int((x-minX)*invW), clamped
	nx, ny                 int32
	slackX, slackY         float64 // the margin around each cell (see newCells)
	qinvX, qinvY           float64 // quanta per degree: a cell is qCell quanta wide and high
	rx                     []float64
	// head has one word a cell: with the top bit set, the cell has no block and the
	// other 31 bits are the best grid covering it whole, sign-extended (-1: none);
	// otherwise it is the offset of the cell's block in blob (layout below). Four bytes
	// a cell keep the array that every lookup reads at random half the size of an
	// offset-and-grid pair.
	head []uint32
	// blob holds every cell's block, back to back. One block is one read near
	// boundaries, where the entries, runs and vertices used to be four dependent reads in
	// four arrays.
	blob []uint32
	// far has bit k set when cell k is clear: no grid covers it, no edge meets it, and no
	// edge lies within the index's nearest radius of any point of it, so [Index.Locate]
	// answers Unassigned for every point there after one read of this bitmap (an eighth
	// of a byte per cell, small enough to stay in cache where the cell heads do not). Nil
	// when fewer than one cell in 64 is clear, as in a layer that tiles its extent.
	far []uint64
	// reachX and reachY bound, in degrees and margins included, how far from the extent
	// a point can be and still have an edge within reachR metres: a farther point is
	// answered before any trigonometry. midX, midY, reachW, reachH are the same box as
	// centre and half sizes, which [Index.Locate] tests with two comparisons.
	reachX, reachY, reachR float64
	midX, midY             float64
	reachW, reachH         float64
}

// beyond reports whether p lies beyond the reach box: no grid holds it and no edge lies
// within reachR of it. A NaN coordinate is not beyond.
func (c *cells) beyond(p orb.Point) bool {
	return math.Abs(p[0]-c.midX) > c.reachW || math.Abs(p[1]-c.midY) > c.reachH
}

// headFull is the head of a cell without a block whose best covering grid is full.
func headFull(full int32) uint32 { return 1<<31 | uint32(full)&(1<<31-1) }

// fullOf decodes a head with the top bit set.
func fullOf(h uint32) int32 { return int32(h<<1) >> 1 }

// The layout of a cell's block in cells.blob, a sequence of 32-bit words: the best grid
// covering the cell whole (-1: none) and the number of entries; then for each entry
// (polygon) in priority order
//
//	grid number; number of runs | parity bit << 16
//
// then for each of its runs (n consecutive edges of a ring, pts[start:start+n+1])
//
//	start; n | exact << 16
//
// followed, unless exact is set, by the run's n+1 vertices quantized: x and y as int16
// (low and high half of a word) in quanta of the cell (qCell quanta a cell side) from
// the cell's south-west corner, rounded to nearest. A run with a vertex beyond the int16
// range is exact: its vertices are read from pts.
//
// The quantized vertices are a filter, never the answer: a lookup settles an edge from
// them only when the comparisons and orientations it needs are decided with the rounding
// (half a quantum a coordinate) accounted for, and otherwise runs the exact test on the
// float64 vertices in pts (see qEdge). So answers are those of the exact test, while
// most lookups near a boundary read the cell head and one block of a few cache lines.

// qCell is the number of quanta per cell side: with int16 coordinates a run may reach
// eight cells beyond its cell, and the filter is undecided only within about 1/8192 of a
// cell of the point's lines.
const qCell = 4096

// qx and qy map a coordinate to quanta from the cell corner x0 or y0; build and lookup
// use these same functions, which are monotone in the coordinate.
func (c *cells) qx(x, x0 float64) float64 { return float64(x-x0) * c.qinvX }
func (c *cells) qy(y, y0 float64) float64 { return float64(y-y0) * c.qinvY }

// Sizes: cells are cellEdges mean edges wide and high, and a cell head costs 4 bytes, so
// the grid gets at most cellsPerEdge cells per edge (and at least a few hundred); a layer
// whose edges would fill more than maxCellRuns run records per edge and cell (very long
// edges over a fine grid) keeps to the R-tree.
//
// Why three edges rather than four: a point in a cell without a block costs one read of
// its head, which the processor overlaps with the next lookups, while a point in a block
// cell reads the head, then the block, then computes; finer cells leave fewer points in
// block cells. At 100,000 grids, cells three edges wide leave 22% of random points in
// block cells instead of 28% for 35% more memory (heads 19 → 33 MB, blocks 106 → 135
// MB); two edges wide (15%) measured faster again, for 115% more.
const (
	cellEdges    = 3
	cellsPerEdge = 2
	maxCells     = 1 << 25
	maxCellRuns  = 64
)

// col and row are monotone in their coordinate, so a point of a box falls in a cell of
// the box's range.
func (c *cells) col(x float64) int32 { return min(max(int32((x-c.minX)*c.invW), 0), c.nx-1) }
func (c *cells) row(y float64) int32 { return min(max(int32((y-c.minY)*c.invH), 0), c.ny-1) }

// x0 and y0 are the nominal west and south edges of column i and row j.
func (c *cells) x0(i int32) float64 { return c.minX + float64(i)*c.cellW }
func (c *cells) y0(j int32) float64 { return c.minY + float64(j)*c.cellH }

// yb is row j's reference y, Yb, just south of the row.
func (c *cells) yb(j int32) float64 { return c.y0(j) - c.slackY }

// tmpRun is a run during the build, with the cell and polygon it belongs to.
type tmpRun struct {
	cell  uint32
	poly  uint32 // polygon number in item order (see newCells)
	start uint32
	n     uint16
	par   uint16
}

// newCells builds the index over items (in priority order; shapes[it] is item it's
// shape in f). It reports false when the layer does not suit a uniform grid.
//
// The cells store grid numbers (grids[it]) rather than items, so that a lookup needs no
// further table; the order of a cell's entries keeps the priority.
func newCells(f *flat, shapes, grids []int32, nearR float64) (cells, bool) {
	var c cells
	if len(shapes) == 0 {
		return c, false
	}
	// Extent and mean edge extent.
	ext := f.bound[shapes[0]]
	var edges int
	var sx, sy float64
	for _, s := range shapes {
		ext = ext.Union(f.bound[s])
		for r := f.poly[f.shape[s]]; r < f.poly[f.shape[s+1]]; r++ {
			pts := f.ringPts(r)
			for i := 1; i < len(pts); i++ {
				sx += math.Abs(pts[i][0] - pts[i-1][0])
				sy += math.Abs(pts[i][1] - pts[i-1][1])
			}
			edges += len(pts) - 1
		}
	}
	W, H := ext.Max[0]-ext.Min[0], ext.Max[1]-ext.Min[1]
	if !(W > 0) || !(H > 0) || math.IsInf(W, 0) || math.IsInf(H, 0) || edges == 0 {
		return c, false
	}
	// Cells a few mean edges wide and high: a boundary crosses a cell in a run of a few
	// edges.
	cw, ch := cellEdges*sx/float64(edges), cellEdges*sy/float64(edges)
	if !(cw > 0) {
		cw = W
	}
	if !(ch > 0) {
		ch = H
	}
	nx := math.Max(math.Min(W/cw, 1<<15), 1)
	ny := math.Max(math.Min(H/ch, 1<<15), 1)
	limit := math.Min(math.Max(cellsPerEdge*float64(edges), 256), maxCells)
	if nx*ny > limit {
		k := math.Sqrt(nx * ny / limit)
		nx, ny = math.Max(nx/k, 1), math.Max(ny/k, 1)
	}
	c.nx, c.ny = int32(nx), int32(ny)
	c.minX, c.minY, c.maxX, c.maxY = ext.Min[0], ext.Min[1], ext.Max[0], ext.Max[1]
	c.cellW, c.cellH = W/float64(c.nx), H/float64(c.ny)
	c.invW, c.invH = float64(c.nx)/W, float64(c.ny)/H
	// The margin must dwarf the rounding of col/row and of the clipping below (a few
	// ulps of the coordinates) and stay far below a cell.
	c.slackX, c.slackY = c.cellW/(1<<16), c.cellH/(1<<16)
	mag := math.Max(math.Max(math.Abs(c.minX), math.Abs(c.maxX)), math.Max(math.Abs(c.minY), math.Abs(c.maxY)))
	if c.slackX < mag*0x1p-40 || c.slackY < mag*0x1p-40 || math.IsInf(c.invW, 0) || math.IsInf(c.invH, 0) {
		return cells{}, false
	}
	c.qinvX, c.qinvY = c.invW*qCell, c.invH*qCell
	c.rx = make([]float64, c.nx)
	for i := range c.nx {
		c.rx[i] = c.x0(i+1) + c.slackX
	}
	ncell := int(c.nx) * int(c.ny)
	if len(grids) >= 1<<30 {
		return cells{}, false
	}
	c.head = make([]uint32, ncell)
	var b cellBuild
	b.full = make([]int32, ncell) // items during the build
	for i := range b.full {
		b.full[i] = -1
	}

	// About one run per edge and cell crossed; a good guess saves regrowing the largest
	// array of the build.
	runs := make([]tmpRun, 0, edges+edges/2)
	var polyItem []int32
	for it, s := range shapes {
		for q := f.shape[s]; q < f.shape[s+1]; q++ {
			pn := uint32(len(polyItem))
			polyItem = append(polyItem, int32(it))
			var ok bool
			runs, ok = b.polygon(&c, f, q, pn, int32(it), runs)
			if !ok || len(runs) > maxCellRuns*(edges+ncell) {
				return cells{}, false
			}
		}
	}

	// Stable counting sort of the runs by cell: within a cell they stay in polygon
	// order, which is priority order.
	counts := make([]uint32, ncell+1)
	for i := range runs {
		counts[runs[i].cell+1]++
	}
	for i := 1; i <= ncell; i++ {
		counts[i] += counts[i-1]
	}
	sorted := make([]uint32, len(runs)) // run numbers by cell
	pos := slices.Clone(counts[:ncell])
	for k, r := range runs {
		sorted[pos[r.cell]] = uint32(k)
		pos[r.cell]++
	}
	pos = nil
	// The blocks: two words a block, an entry and a run (entries <= runs), one a vertex.
	size := 0
	for i := range runs {
		size += 4 + int(runs[i].n) + 1
	}
	for k := range ncell {
		if counts[k+1] > counts[k] {
			size += 2 // the block's head
		}
	}
	c.blob = make([]uint32, 0, size)
	for k := range ncell {
		full := b.full[k]
		rs := sorted[counts[k]:counts[k+1]]
		if len(rs) == 0 {
			if full >= 0 {
				full = grids[full]
			}
			c.head[k] = headFull(full)
			continue
		}
		at := len(c.blob)
		c.head[k] = uint32(at)
		fullGrid := int32(-1)
		if full >= 0 {
			fullGrid = grids[full]
		}
		c.blob = append(c.blob, uint32(fullGrid), 0)
		x0, y0 := c.x0(int32(k%int(c.nx))), c.y0(int32(k/int(c.nx)))
		for i := 0; i < len(rs); {
			poly := runs[rs[i]].poly
			it := polyItem[poly]
			j := i
			var par uint16
			for j < len(rs) && runs[rs[j]].poly == poly {
				par ^= runs[rs[j]].par
				j++
			}
			if full < 0 || it < full {
				if j-i > math.MaxUint16 {
					return cells{}, false
				}
				c.blob[at+1]++
				c.blob = append(c.blob, uint32(grids[it]), uint32(j-i)|uint32(par&1)<<16)
				for _, ri := range rs[i:j] {
					r := &runs[ri]
					c.blob = c.appendRun(c.blob, f.pts[r.start:r.start+uint32(r.n)+1], r.start, x0, y0)
				}
			}
			i = j
		}
		if c.blob[at+1] == 0 {
			// Every polygon here ranks after the covering grid: no block, as for a cell
			// no edge meets.
			c.blob = c.blob[:at]
			c.head[k] = headFull(fullGrid)
		}
		if len(c.blob) >= 1<<31 {
			return cells{}, false
		}
	}
	b.full = nil
	c.blob = slices.Clip(c.blob)
	c.far = c.clearCells(nearR)
	c.reachR = nearR
	c.reachY = nearR/mPerDeg*(1+1e-9) + c.slackY
	c.reachX = math.Inf(1)
	if lat := math.Max(math.Abs(c.minY-c.reachY), math.Abs(c.maxY+c.reachY)); lat < 90 {
		if kx, _ := localScale(lat); kx > 0 {
			c.reachX = nearR/kx*(1+1e-9) + c.slackX
		}
	}
	// Rounding of the centre and half sizes is far below the slack in the reach.
	c.midX, c.midY = c.minX+(c.maxX-c.minX)/2, c.minY+(c.maxY-c.minY)/2
	c.reachW, c.reachH = (c.maxX-c.minX)/2+c.reachX, (c.maxY-c.minY)/2+c.reachY
	return c, true
}

// appendRun appends the run of edges pts (pts[0] is the vertex at start in flat.pts) to
// a block of the cell with corner (x0, y0): quantized, or exact when a vertex is out of
// the int16 range.
func (c *cells) appendRun(blob []uint32, pts []orb.Point, start uint32, x0, y0 float64) []uint32 {
	n := uint32(len(pts) - 1)
	at := len(blob)
	blob = append(blob, start, n)
	for _, p := range pts {
		qx, qy := math.Round(c.qx(p[0], x0)), math.Round(c.qy(p[1], y0))
		if !(qx >= -math.MaxInt16 && qx <= math.MaxInt16 && qy >= -math.MaxInt16 && qy <= math.MaxInt16) {
			blob = blob[:at+2]
			blob[at+1] |= 1 << 16
			return blob
		}
		blob = append(blob, uint32(uint16(int16(qx)))|uint32(uint16(int16(qy)))<<16)
	}
	return blob
}

// clearCells returns the far bitmap for nearest radius r (metres), or nil when few cells
// are clear. A cell is clear when it has no entry and no full grid (so locate answers -1
// for its points) and no edge lies within r of it (so nearest finds nothing). For the
// second: a point q of an edge within r of a point of the cell lies within h = r
// converted to degrees at the row's worst latitude (with a relative allowance for
// rounding) of the cell's box, and the edge is listed in every cell within the margin
// 2s (s the slack) of q. So some cell meeting the box widened by h - s lists it: the
// cell of q itself when q is in that box, else the cell of the box's nearest side, at
// most s + rounding from q. If none of those cells has an entry, the cell is clear.
func (c *cells) clearCells(r float64) []uint64 {
	nx, ny := int(c.nx), int(c.ny)
	ncell := nx * ny
	// sum is the 2-D prefix count of cells with entries: sum[(j)*(nx+1)+i] counts the
	// cells of columns < i and rows < j.
	sum := make([]int32, (nx+1)*(ny+1))
	candidates := 0
	for j := range ny {
		var run int32
		for i := range nx {
			k := j*nx + i
			if c.head[k]>>31 == 0 {
				run++
			} else if fullOf(c.head[k]) < 0 {
				candidates++
			}
			sum[(j+1)*(nx+1)+i+1] = sum[j*(nx+1)+i+1] + run
		}
	}
	if candidates < ncell/64 || candidates == 0 {
		return nil
	}
	far := make([]uint64, (ncell+63)/64)
	count := 0
	for j := range int32(ny) {
		// The widest r in degrees of longitude over the row, margins included.
		lat := math.Max(math.Abs(c.y0(j)-c.slackY), math.Abs(c.y0(j+1)+c.slackY))
		kx, ky := localScale(lat)
		if !(kx > 0) || lat >= 90 {
			continue
		}
		hx, hy := r/kx*(1+1e-9)-c.slackX, r/ky*(1+1e-9)-c.slackY
		j0, j1 := int(c.row(c.y0(j)-hy)), int(c.row(c.y0(j+1)+hy))
		for i := range int32(nx) {
			k := int(j)*nx + int(i)
			if c.head[k] != headFull(-1) {
				continue
			}
			i0, i1 := int(c.col(c.x0(i)-hx)), int(c.col(c.x0(i+1)+hx))
			n := sum[(j1+1)*(nx+1)+i1+1] - sum[j0*(nx+1)+i1+1] - sum[(j1+1)*(nx+1)+i0] + sum[j0*(nx+1)+i0]
			if n == 0 {
				far[k>>6] |= 1 << (k & 63)
				count++
			}
		}
	}
	if count < ncell/64 || count == 0 {
		return nil
	}
	return far
}

// clear reports whether p, inside the extent or not, lies in a clear cell (see far).
func (c *cells) clear(p orb.Point) bool {
	if !(p[0] >= c.minX && p[0] <= c.maxX && p[1] >= c.minY && p[1] <= c.maxY) {
		return false
	}
	k := int(c.row(p[1]))*int(c.nx) + int(c.col(p[0]))
	return c.far[k>>6]&(1<<(k&63)) != 0
}

// cellBuild holds one polygon's scratch arrays over its cell range.
type cellBuild struct {
	i0, j0, w, h int32
	full         []int32 // per cell: the best item covering it whole, -1 when none
	diff         []uint8 // per local cell: toggles of the row sweep, then the parity at (R, Yb)
	open         []int32 // per local cell: index in runs of the polygon's last run there, or -1
}

// polygon lists polygon q's edges in the cells they meet, appending runs, and records
// the cells it covers wholly.
func (b *cellBuild) polygon(c *cells, f *flat, q int32, pn uint32, item int32, runs []tmpRun) ([]tmpRun, bool) {
	r0, r1 := f.poly[q], f.poly[q+1]
	bb := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, p := range f.pts[f.ring[r0]:f.ring[r1]] {
		bb = bb.Extend(p)
	}
	mx, my := 2*c.slackX, 2*c.slackY
	b.i0, b.j0 = c.col(bb.Min[0]-mx), c.row(bb.Min[1]-my)
	b.w, b.h = c.col(bb.Max[0]+mx)-b.i0+1, c.row(bb.Max[1]+my)-b.j0+1
	n := int(b.w) * int(b.h)
	if n > 1<<28 {
		return runs, false
	}
	b.diff = slices.Grow(b.diff[:0], n)[:n]
	clear(b.diff)
	b.open = slices.Grow(b.open[:0], n)[:n]
	for i := range b.open {
		b.open[i] = -1
	}
	first := len(runs)

	// The row sweep: for each row's reference line y = Yb, which columns' reference
	// points (R, Yb) an edge's crossing-test ray meets; those form a prefix of the
	// columns, so the edge toggles its last column and the parity is a suffix sum.
	for r := r0; r < r1; r++ {
		pts := f.ringPts(r)
		for e := 1; e < len(pts); e++ {
			a, z := pts[e-1], pts[e]
			ylo, yhi := math.Min(a[1], z[1]), math.Max(a[1], z[1])
			if ylo == yhi {
				continue
			}
			// Rows whose Yb satisfies ylo < Yb <= yhi.
			j := c.row(ylo)
			for j > b.j0 && c.yb(j-1) > ylo {
				j--
			}
			for j < b.j0+b.h && c.yb(j) <= ylo {
				j++
			}
			for ; j < b.j0+b.h && c.yb(j) <= yhi; j++ {
				y := c.yb(j)
				// Estimate the column, then settle it with the exact test.
				xc := a[0] + (y-a[1])/(z[1]-a[1])*(z[0]-a[0])
				i := min(max(c.col(xc), b.i0), b.i0+b.w-1)
				for i >= b.i0 && !crossesRay(a, z, c.rx[i], y) {
					i--
				}
				for i+1 < b.i0+b.w && crossesRay(a, z, c.rx[i+1], y) {
					i++
				}
				if i >= b.i0 {
					b.diff[int(j-b.j0)*int(b.w)+int(i-b.i0)] ^= 1
				}
			}
		}
	}
	for j := range b.h {
		row := b.diff[int(j)*int(b.w) : int(j+1)*int(b.w)]
		for i := len(row) - 2; i >= 0; i-- {
			row[i] ^= row[i+1]
		}
	}

	// Edges into cells, as runs of consecutive edges.
	for r := r0; r < r1; r++ {
		base := f.ring[r]
		pts := f.ringPts(r)
		for e := 1; e < len(pts); e++ {
			a, z := pts[e-1], pts[e]
			start := base + int32(e-1)
			xlo, xhi := math.Min(a[0], z[0])-mx, math.Max(a[0], z[0])+mx
			for i := c.col(xlo); i <= c.col(xhi); i++ {
				// The edge's y-range over the column's x-slab, widened.
				s0, s1 := math.Max(xlo, c.x0(i)-mx), math.Min(xhi, c.x0(i+1)+mx)
				ylo, yhi := math.Min(a[1], z[1]), math.Max(a[1], z[1])
				if a[0] != z[0] {
					t0 := math.Min(math.Max((s0-a[0])/(z[0]-a[0]), 0), 1)
					t1 := math.Min(math.Max((s1-a[0])/(z[0]-a[0]), 0), 1)
					y0, y1 := a[1]+t0*(z[1]-a[1]), a[1]+t1*(z[1]-a[1])
					ylo, yhi = math.Max(math.Min(y0, y1), ylo), math.Min(math.Max(y0, y1), yhi)
				}
				for j := c.row(ylo - my); j <= c.row(yhi+my); j++ {
					li := int(j-b.j0)*int(b.w) + int(i-b.i0)
					if o := b.open[li]; o >= 0 && runs[o].start+uint32(runs[o].n) == uint32(start) && runs[o].n < math.MaxUint16 {
						runs[o].n++
					} else {
						b.open[li] = int32(len(runs))
						runs = append(runs, tmpRun{cell: uint32(j)*uint32(c.nx) + uint32(i), poly: pn, start: uint32(start), n: 1})
					}
					if aboveRef(a, z, c.rx[i], c.yb(j)) {
						runs[b.open[li]].par ^= 1
					}
				}
			}
		}
	}
	// The parity at (R, Yb) goes into the cell's first run; the cells without edges are
	// wholly inside or wholly outside.
	seen := b.open // reuse: mark cells with runs
	for i := range seen {
		seen[i] = -1
	}
	for k := first; k < len(runs); k++ {
		cell := runs[k].cell
		j, i := int32(cell/uint32(c.nx)), int32(cell%uint32(c.nx))
		li := int(j-b.j0)*int(b.w) + int(i-b.i0)
		if seen[li] < 0 {
			seen[li] = int32(k)
			runs[k].par ^= uint16(b.diff[li])
		}
	}
	for j := range b.h {
		for i := range b.w {
			li := int(j)*int(b.w) + int(i)
			if seen[li] < 0 && b.diff[li] == 1 {
				if h := &b.full[int(b.j0+j)*int(c.nx)+int(b.i0+i)]; *h < 0 {
					*h = item
				}
			}
		}
	}
	return runs, true
}

// crossesRay reports whether the crossing-test ray from (x, y) (perturbed as in
// predicate.go) crosses edge a-z, whose y-range holds y in the half-open sense.
func crossesRay(a, z orb.Point, x, y float64) bool {
	switch {
	case a[0] >= x && z[0] >= x:
		return true
	case a[0] < x && z[0] < x:
		return false
	}
	return crossesOnFence(a, z, orb.Point{x, y})
}

// aboveRef reports whether the point (x-ε, y-ε²) lies above edge a-z, for an edge that
// spans x = x-ε, i.e. (a.x < x) != (z.x < x); false for the others. With l, r the
// edge's west and east ends, it is above when orient(l, r, (x, y)) > 0, or when that is
// zero and the perturbation (-ε, -ε²) moves it to the left of l→r: the perturbed
// determinant is ε(r.y-l.y) - ε²(r.x-l.x), so that is when r.y > l.y.
func aboveRef(a, z orb.Point, x, y float64) bool {
	if (a[0] < x) == (z[0] < x) {
		return false
	}
	l, r := a, z
	if z[0] < a[0] {
		l, r = z, a
	}
	switch {
	case y > l[1] && y > r[1]:
		return true
	case y < l[1] && y < r[1]:
		return false
	}
	o := orient(l, r, orb.Point{x, y})
	return o > 0 || (o == 0 && r[1] > l[1])
}

// inExtent reports whether p lies in the cells' extent (a NaN coordinate does not).
func (c *cells) inExtent(p orb.Point) bool {
	return p[0] >= c.minX && p[0] <= c.maxX && p[1] >= c.minY && p[1] <= c.maxY
}

// locate returns the grid containing p by the priority rule, or -1.
func (c *cells) locate(pts []orb.Point, p orb.Point) int32 {
	if !c.inExtent(p) {
		return -1
	}
	i, j := c.col(p[0]), c.row(p[1])
	h := c.head[int(j)*int(c.nx)+int(i)]
	if h>>31 != 0 {
		return fullOf(h)
	}
	return c.locateBlock(pts, p, i, j, h)
}

// locateBlock is locate for p in cell (i, j), whose head h holds its block's offset.
func (c *cells) locateBlock(pts []orb.Point, p orb.Point, i, j int32, h uint32) int32 {
	R := c.rx[i]
	x0, y0 := c.x0(i), c.y0(j)
	q := [3]float64{c.qx(p[0], x0), c.qy(p[1], y0), c.qx(R, x0)}
	blk := c.blob[h:]
	full, ne := int32(blk[0]), blk[1]
	blk = blk[2:]
	for range ne {
		item, nr := int32(blk[0]), blk[1]&0xffff
		par := blk[1] >> 16
		blk = blk[2:]
		for range nr {
			start, n := blk[0], blk[1]&0xffff
			exact := blk[1]>>16 != 0
			blk = blk[2:]
			if exact {
				par ^= legCrossings(pts[start:start+n+1], p, R)
				continue
			}
			par ^= legCrossingsQ(blk[:n+1], pts[start:start+n+1], p, R, &q)
			blk = blk[n+1:]
		}
		if par&1 == 1 {
			return item
		}
	}
	return full
}

// legCrossings counts (mod 2 is what matters) the crossings of the path p' → q' → down
// (see cells) with the edges of the run pts: the horizontal leg as the difference of the
// rays from p and from q = (R, p.y), the vertical leg as the edges spanning x = R-ε with
// q' above them.
func legCrossings(pts []orb.Point, p orb.Point, R float64) uint32 {
	var n uint32
	for e := 1; e < len(pts); e++ {
		n += legEdge(pts[e-1], pts[e], p, R)
	}
	return n
}

// legEdge is legCrossings for the one edge a-z.
func legEdge(a, z, p orb.Point, R float64) uint32 {
	px, py := p[0], p[1]
	var n uint32
	if (a[1] < py) != (z[1] < py) && (a[0] >= px || z[0] >= px) && (a[0] < R || z[0] < R) {
		hp := (a[0] >= px && z[0] >= px) || crossesOnFence(a, z, p)
		hq := !(a[0] < R && z[0] < R) && crossesOnFence(a, z, orb.Point{R, py})
		if hp != hq {
			n++
		}
	}
	if (a[0] < R) != (z[0] < R) && aboveRef(a, z, R, py) {
		n++
	}
	return n
}

// legCrossingsQ is legCrossings over a run's quantized vertices qv (see the block
// layout), with the exact vertices pts for the edges the quantized ones cannot decide;
// q holds p.x, p.y and R in quanta of the cell.
func legCrossingsQ(qv []uint32, pts []orb.Point, p orb.Point, R float64, q *[3]float64) uint32 {
	var n uint32
	w := qv[0]
	ax, ay := float64(int16(uint16(w))), float64(int16(uint16(w>>16)))
	for e := 1; e < len(qv); e++ {
		w = qv[e]
		zx, zy := float64(int16(uint16(w))), float64(int16(uint16(w>>16)))
		if m, ok := qEdge(ax, ay, zx, zy, q); ok {
			n += m
		} else {
			n += legEdge(pts[e-1], pts[e], p, R)
		}
		ax, ay = zx, zy
	}
	return n
}

// qlt decides, from a stored quantum s = round(fl(T(u))) and a probe v = fl(T(w)) (T the
// cell's qx or qy), whether u < w. fl(T(u)) lies within half a quantum of s and fl∘T is
// monotone, so v > s+1/2 proves u < w and v < s-1/2 proves u > w; otherwise ok is false.
func qlt(s, v float64) (lt, ok bool) {
	if v > s+0.5 {
		return true, true
	}
	if v < s-0.5 {
		return false, true
	}
	return false, false
}

// qDiff bounds the error of a difference of a quantized coordinate and a probe in
// quanta: half a quantum of rounding, plus the roundings of T and of the subtraction
// (relative 2^-52 of at most 2^16 quanta) with a wide allowance.
const qDiff = 0.5 + 1.0/(1<<20)

// qOrient returns the sign of orient(l, r, w) for quantized l, r and probe w, or ok false
// when the rounding of l and r could change it. T scales both axes by positive factors,
// so it keeps the sign of the determinant; each of its four differences is off by at
// most qDiff, so the product terms by at most qDiff(|u|+|v|+|s|+|t|) + 2·qDiff², and the
// floating-point evaluation by far less than the last term's allowance.
func qOrient(lx, ly, rx, ry, wx, wy float64) (pos, ok bool) {
	u, v := lx-wx, ry-wy
	s, t := ly-wy, rx-wx
	det := u*v - s*t
	bound := qDiff*(math.Abs(u)+math.Abs(v)+math.Abs(s)+math.Abs(t)) + 2*qDiff*qDiff +
		0x1p-40*(math.Abs(u*v)+math.Abs(s*t))
	if det > bound {
		return true, true
	}
	if det < -bound {
		return false, true
	}
	return false, false
}

// qEdge is legEdge for the quantized edge a-z, with p.x, p.y and R in quanta in q; ok is
// false when the quanta cannot decide it. Every test mirrors legEdge's; a decided
// comparison is the exact one (qlt), and a decided orientation has the exact sign, which
// is never zero, so the perturbation's tie rules never apply here.
func qEdge(ax, ay, zx, zy float64, q *[3]float64) (uint32, bool) {
	px, py, R := q[0], q[1], q[2]
	aly, ok1 := qlt(ay, py)
	zly, ok2 := qlt(zy, py)
	axr, ok3 := qlt(ax, R)
	zxr, ok4 := qlt(zx, R)
	if !(ok1 && ok2 && ok3 && ok4) {
		return 0, false
	}
	var n uint32
	// lo is the lower end of an edge that spans p.y: the one below it.
	lx, ly, hx, hy := ax, ay, zx, zy
	if zly {
		lx, ly, hx, hy = zx, zy, ax, ay
	}
	if aly != zly && (axr || zxr) {
		axp, ok5 := qlt(ax, px)
		zxp, ok6 := qlt(zx, px)
		if !(ok5 && ok6) {
			return 0, false
		}
		if !(axp && zxp) {
			hp := true
			if axp || zxp {
				pos, ok := qOrient(lx, ly, hx, hy, px, py)
				if !ok {
					return 0, false
				}
				hp = pos
			}
			hq := false
			if !(axr && zxr) {
				pos, ok := qOrient(lx, ly, hx, hy, R, py)
				if !ok {
					return 0, false
				}
				hq = pos
			}
			if hp != hq {
				n++
			}
		}
	}
	if axr != zxr {
		// aboveRef: l is the western end; a decided false of qlt is a strict inequality,
		// so "neither end below p.y" means both lie above it.
		switch {
		case aly && zly:
			n++
		case !aly && !zly:
		default:
			wx, wy, ex, ey := ax, ay, zx, zy
			if zxr {
				wx, wy, ex, ey = zx, zy, ax, ay
			}
			pos, ok := qOrient(wx, wy, ex, ey, R, py)
			if !ok {
				return 0, false
			}
			if pos {
				n++
			}
		}
	}
	return n, true
}

// nearest returns the grid whose boundary is nearest to p within r metres (ties: the
// better rank), and the squared distance, or -1: it visits the cells around p in growing square rings and
// stops when no unvisited cell can hold anything nearer. The entries a cell drops behind
// its full item cannot be nearer than that item's boundary (p is outside it), so the
// answer is the brute force's.
func (c *cells) nearest(pts []orb.Point, rank []int32, p orb.Point, r float64) (int32, float64) {
	if r == c.reachR && (p[1] < c.minY-c.reachY || p[1] > c.maxY+c.reachY || p[0] < c.minX-c.reachX || p[0] > c.maxX+c.reachX) {
		return -1, 0
	}
	kx, ky := localScale(p[1])
	hx, hy := r/kx, r/ky
	if p[0]+hx < c.minX-c.slackX || p[0]-hx > c.maxX+c.slackX || p[1]+hy < c.minY-c.slackY || p[1]-hy > c.maxY+c.slackY {
		return -1, 0
	}
	ci0, ci1 := c.col(p[0]-hx-c.slackX), c.col(p[0]+hx+c.slackX)
	cj0, cj1 := c.row(p[1]-hy-c.slackY), c.row(p[1]+hy+c.slackY)
	pc, pr := c.col(p[0]), c.row(p[1])
	best, bestD2 := int32(-1), r*r
	visit := func(i, j int32) {
		k := int(j)*int(c.nx) + int(i)
		h := c.head[k]
		if h>>31 != 0 {
			return
		}
		blk := c.blob[h:]
		ne := blk[1]
		blk = blk[2:]
		for range ne {
			item, nr := int32(blk[0]), blk[1]&0xffff
			blk = blk[2:]
			for range nr {
				start, n := blk[0], blk[1]&0xffff
				if blk[1]>>16 == 0 {
					blk = blk[n+3:]
				} else {
					blk = blk[2:]
				}
				seg := pts[start : start+n+1]
				for s := 1; s < len(seg); s++ {
					d := segmentDistance2(p, seg[s-1], seg[s], kx, ky)
					if d < 1e-6 && onSegment(seg[s-1], seg[s], p) {
						d = 0
					}
					if d < bestD2 || (d == bestD2 && (best < 0 || rank[item] < rank[best])) {
						best, bestD2 = item, d
					}
				}
			}
		}
	}
	for k := int32(0); ; k++ {
		if pc-k < ci0 && pc+k > ci1 && pr-k < cj0 && pr+k > cj1 {
			break
		}
		if k > 0 && best >= 0 {
			// Every unvisited cell lies outside the square of rings 0..k-1.
			lb := math.Min(
				math.Min((p[0]-c.x0(pc-k+1))*kx, (c.x0(pc+k)-p[0])*kx),
				math.Min((p[1]-c.y0(pr-k+1))*ky, (c.y0(pr+k)-p[1])*ky))
			lb -= 2 * math.Max(c.slackX*kx, c.slackY*ky)
			if lb > 0 && lb*lb > bestD2 {
				break
			}
		}
		for j := max(pr-k, cj0); j <= min(pr+k, cj1); j++ {
			if j == pr-k || j == pr+k {
				for i := max(pc-k, ci0); i <= min(pc+k, ci1); i++ {
					visit(i, j)
				}
				continue
			}
			if i := pc - k; i >= ci0 {
				visit(i, j)
			}
			if i := pc + k; i <= ci1 && k > 0 {
				visit(i, j)
			}
		}
	}
	return best, bestD2
}

// bytes is the index's size in memory.
func (c *cells) bytes() int {
	return 8*len(c.rx) + 4*cap(c.head) + 4*cap(c.blob) + 8*cap(c.far)
}
