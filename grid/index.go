package grid

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Index is an immutable, compiled [Atlas]: it answers which grid holds a point, an
// address, a building or a household, which police beat and officer hold a point, and
// which beats overlay a grid; it validates the grid layer and proposes reassignments.
//
// Build it with [NewIndex]. An Index is never modified after NewIndex returns and is safe
// for concurrent use by any number of goroutines.
type Index struct {
	datum   Datum
	datumID uint8 // datum.id(), so that Locate recognizes its own datum without a call
	policy  Policy
	code    compiledCode
	geo     flat

	grids []gridRec
	codes []string // grid → code, apart from the records so that Locate reads little
	// When every code has the same length codeLen (the code standards are fixed-length),
	// codeText is the codes back to back in grid order and grid gi's code is a slice of it
	// computed from gi alone: the answer costs no read beyond the cell index.
	codeText string
	codeLen  int
	byCode   map[string]int32
	rank     []int32 // grid → position in priority order (exclusive first, then code)
	gridTree rtree
	// The items of gridTree are the grids with a boundary in priority order, so a
	// smaller item wins; treeGrid and treeShape map an item to its grid and shape.
	treeGrid  []int32
	treeShape []int32
	treeQuick []quick // copies of the shapes' lookup records, next to each other
	// cells answer point lookups when the layer allows it (see newCells).
	cells   cells
	cellsOK bool

	beats      []beatRec
	beatByCode map[string]int32
	beatTree   rtree // items are beat numbers (every beat has a boundary)
	gridBeats  [][]int32
	beatGrids  [][]int32

	comms    []commRec
	commByID map[hierarchy.UnitID]int32

	buildings    []Building
	buildingByID map[string]int32
	buildingGrid []int32 // building → grid, -1 when none
	households   map[string]Household

	addrs addressBook
}

type gridRec struct {
	g          Grid  // Boundary nil; slices owned by the index
	shape      int32 // -1 without a boundary
	households int   // declared, or derived from the buildings
}

type beatRec struct {
	b     Beat // Boundary nil
	shape int32
}

type commRec struct {
	c     Community // Boundary nil
	shape int32     // -1 when the boundary is unknown
}

// IndexOptions configures [NewIndex]. A nil *IndexOptions means every default.
type IndexOptions struct {
	// Datum is the datum the index works in: the atlas's geometry is converted to it once
	// at build time, and lookups convert their point to it. Default: the atlas's datum.
	Datum Datum
	// Policy is the district's grid rules. Default: [QinhuaiPolicy].
	Policy *Policy
	// Geometry says how boundaries are checked (see [GeometryOptions]).
	Geometry GeometryOptions
}

// NewIndex validates a and compiles it into an [Index]. It reports every problem of the
// atlas at once (errors.Join), each naming the record (`grids[3] (code "…")`) and
// wrapping [gridgov.ErrInvalid]; the atlas itself is never modified.
//
// What it checks: every boundary first, by the rules of [GeometryOptions] (RFC 7946 ring
// closure and length, coordinate ranges, no crossing edges, holes inside their shell;
// each error a *gridgov.Error naming the record and the rule), and when they all hold:
// grid and beat codes present and unique; each grid has a community, a known kind, a
// boundary or at least one building; beats have boundaries; building and
// household IDs are unique; a building is listed by at most one grid and every listed or
// referenced building exists. Geometry consistency between grids (overlaps, gaps) is not
// an error here: [Index.Validate] reports it.
func NewIndex(a Atlas, opts *IndexOptions) (*Index, error) {
	var o IndexOptions
	if opts != nil {
		o = *opts
	}
	if o.Datum == "" {
		o.Datum = a.Datum
	}
	pol := QinhuaiPolicy()
	if o.Policy != nil {
		pol = *o.Policy
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("grid: atlas: "+format+": %w", append(args, gridgov.ErrInvalid)...))
	}
	if !a.Datum.valid() {
		bad("datum %q: want wgs84, gcj02 or bd09", a.Datum)
	}
	if !o.Datum.valid() {
		bad("options datum %q: want wgs84, gcj02 or bd09", o.Datum)
	}
	if err := pol.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := validateAtlasGeometry(a, o.Geometry); err != nil { // geometry.go
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	cc, _ := pol.Code.compile() // Validate compiled it already

	ix := &Index{
		datum:        o.Datum.norm(),
		datumID:      o.Datum.norm().id(),
		policy:       clonePolicy(pol),
		code:         cc,
		byCode:       make(map[string]int32, len(a.Grids)),
		beatByCode:   make(map[string]int32, len(a.Beats)),
		commByID:     make(map[hierarchy.UnitID]int32, len(a.Communities)),
		buildingByID: make(map[string]int32, len(a.Buildings)),
		households:   make(map[string]Household, len(a.Households)),
		grids:        make([]gridRec, 0, len(a.Grids)),
		treeGrid:     make([]int32, 0, len(a.Grids)),
		treeShape:    make([]int32, 0, len(a.Grids)),
		treeQuick:    make([]quick, 0, len(a.Grids)),
	}
	points := 0
	for _, g := range a.Grids {
		points += countPoints(g.Boundary)
	}
	for _, b := range a.Beats {
		points += countPoints(b.Boundary)
	}
	for _, c := range a.Communities {
		points += countPoints(c.Boundary)
	}
	ix.geo = newFlat(len(a.Grids)+len(a.Beats)+len(a.Communities), points)
	from, to := a.Datum, ix.datum

	// Communities.
	for i, c := range a.Communities {
		name := func() string { return fmt.Sprintf("communities[%d] (id %q)", i, c.ID) }
		if c.ID == "" {
			bad("%s: id is empty", name())
			continue
		}
		if _, dup := ix.commByID[c.ID]; dup {
			bad("%s: duplicate id", name())
			continue
		}
		rec := commRec{c: c, shape: -1}
		rec.c.Boundary = nil
		if c.Boundary != nil {
			s, err := ix.geo.add(c.Boundary, from, to)
			if err != nil {
				bad("%s: boundary: %v", name(), err)
			}
			rec.shape = s
		}
		ix.commByID[c.ID] = int32(len(ix.comms))
		ix.comms = append(ix.comms, rec)
	}

	// Buildings (before grids, which list them).
	for i, b := range a.Buildings {
		name := func() string { return fmt.Sprintf("buildings[%d] (id %q)", i, b.ID) }
		if b.ID == "" {
			bad("%s: id is empty", name())
			continue
		}
		if _, dup := ix.buildingByID[b.ID]; dup {
			bad("%s: duplicate id", name())
			continue
		}
		if b.Location != (orb.Point{}) {
			b.Location = Convert(b.Location, from, to)
		}
		ix.buildingByID[b.ID] = int32(len(ix.buildings))
		ix.buildings = append(ix.buildings, b)
	}
	ix.buildingGrid = make([]int32, len(ix.buildings))
	for i := range ix.buildingGrid {
		ix.buildingGrid[i] = -1
	}

	// Grids.
	for i, g := range a.Grids {
		name := func() string { return fmt.Sprintf("grids[%d] (code %q)", i, g.Code) }
		ok := true
		if g.Code == "" {
			bad("%s: code is empty", name())
			ok = false
		} else if _, dup := ix.byCode[g.Code]; dup {
			bad("%s: duplicate code", name())
			ok = false
		}
		if g.Community == "" {
			bad("%s: community is empty", name())
			ok = false
		}
		if g.Kind != Comprehensive && g.Kind != Exclusive {
			bad("%s: kind %q: want %q or %q", name(), g.Kind, Comprehensive, Exclusive)
			ok = false
		}
		if g.Households < 0 {
			bad("%s: households %d: must be >= 0", name(), g.Households)
			ok = false
		}
		if g.Boundary == nil && len(g.Buildings) == 0 {
			bad("%s: neither a boundary nor buildings", name())
			ok = false
		}
		gi := int32(len(ix.grids))
		for j, bid := range g.Buildings {
			bi, found := ix.buildingByID[bid]
			switch {
			case !found:
				bad("%s: buildings[%d] %q: no such building", name(), j, bid)
				ok = false
			case ix.buildingGrid[bi] >= 0:
				bad("%s: buildings[%d] %q: already in grid %q", name(), j, bid, ix.grids[ix.buildingGrid[bi]].g.Code)
				ok = false
			default:
				ix.buildingGrid[bi] = gi
			}
		}
		shape := int32(-1)
		if g.Boundary != nil {
			s, err := ix.geo.add(g.Boundary, from, to)
			if err != nil {
				bad("%s: boundary: %v", name(), err)
				ok = false
			}
			shape = s
		}
		if !ok {
			// Keep indices consistent for the remaining checks; the index is discarded.
			for _, bid := range g.Buildings {
				if bi, found := ix.buildingByID[bid]; found && ix.buildingGrid[bi] == gi {
					ix.buildingGrid[bi] = -1
				}
			}
			continue
		}
		rec := gridRec{g: g, shape: shape}
		rec.g.Boundary = nil
		rec.g.Buildings = slices.Clone(g.Buildings)
		rec.g.Posts = slices.Clone(g.Posts)
		ix.byCode[g.Code] = gi
		ix.grids = append(ix.grids, rec)
	}

	// Beats.
	var beatBoxes []orb.Bound
	for i, b := range a.Beats {
		name := func() string { return fmt.Sprintf("beats[%d] (code %q)", i, b.Code) }
		if b.Code == "" {
			bad("%s: code is empty", name())
			continue
		}
		if _, dup := ix.beatByCode[b.Code]; dup {
			bad("%s: duplicate code", name())
			continue
		}
		s, err := ix.geo.add(b.Boundary, from, to)
		if err != nil {
			bad("%s: boundary: %v", name(), err)
			continue
		}
		rec := beatRec{b: b, shape: s}
		rec.b.Boundary = nil
		ix.beatByCode[b.Code] = int32(len(ix.beats))
		ix.beats = append(ix.beats, rec)
		beatBoxes = append(beatBoxes, ix.geo.bound[s])
	}

	// Households.
	for i, h := range a.Households {
		name := func() string { return fmt.Sprintf("households[%d] (id %q)", i, h.ID) }
		if h.ID == "" {
			bad("%s: id is empty", name())
			continue
		}
		if _, dup := ix.households[h.ID]; dup {
			bad("%s: duplicate id", name())
			continue
		}
		if _, ok := ix.buildingByID[h.Building]; !ok {
			bad("%s: building %q: no such building", name(), h.Building)
			continue
		}
		ix.households[h.ID] = h
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	// Priority: exclusive grids before comprehensive ones, then by code.
	order := make([]int32, len(ix.grids))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		gx, gy := &ix.grids[x].g, &ix.grids[y].g
		if (gx.Kind == Exclusive) != (gy.Kind == Exclusive) {
			if gx.Kind == Exclusive {
				return -1
			}
			return 1
		}
		return cmp.Compare(gx.Code, gy.Code)
	})
	ix.rank = make([]int32, len(ix.grids))
	boxes := make([]orb.Bound, 0, len(ix.grids))
	for pos, gi := range order {
		ix.rank[gi] = int32(pos)
		if sh := ix.grids[gi].shape; sh >= 0 {
			boxes = append(boxes, ix.geo.bound[sh])
			ix.treeGrid = append(ix.treeGrid, gi)
			ix.treeShape = append(ix.treeShape, sh)
			ix.treeQuick = append(ix.treeQuick, ix.geo.quick[sh])
		}
	}
	ix.gridTree = newRTree(boxes)
	ix.cells, ix.cellsOK = newCells(&ix.geo, ix.treeShape, ix.treeGrid, ix.policy.NearestWithinM)
	ix.codes = make([]string, len(ix.grids))
	for gi := range ix.grids {
		ix.codes[gi] = ix.grids[gi].g.Code
	}
	ix.codeText, ix.codeLen = codeTable(ix.codes)
	ix.beatTree = newRTree(beatBoxes)

	// Buildings no grid lists are placed by their location.
	for bi, b := range ix.buildings {
		if ix.buildingGrid[bi] < 0 && b.Location != (orb.Point{}) {
			if gi := ix.locate(b.Location); gi >= 0 {
				ix.buildingGrid[bi] = gi
			}
		}
	}
	for bi, gi := range ix.buildingGrid {
		if gi >= 0 && ix.grids[gi].g.Households == 0 {
			ix.grids[gi].households += ix.buildings[bi].Households
		}
	}
	for gi := range ix.grids {
		if h := ix.grids[gi].g.Households; h > 0 {
			ix.grids[gi].households = h
		}
	}
	ix.addrs = newAddressBook(ix.policy.Address, ix.buildings)
	ix.overlay()
	return ix, nil
}

func clonePolicy(p Policy) Policy {
	p.FullTimeRoles = slices.Clone(p.FullTimeRoles)
	p.Address.StripPrefixes = slices.Clone(p.Address.StripPrefixes)
	return p
}

// Datum is the datum the index works in.
func (ix *Index) Datum() Datum { return ix.datum }

// Policy returns a copy of the policy the index applies.
func (ix *Index) Policy() Policy { return clonePolicy(ix.policy) }

// Len is the number of grids.
func (ix *Index) Len() int { return len(ix.grids) }

// Codes returns every grid code, sorted.
func (ix *Index) Codes() []string {
	out := make([]string, len(ix.grids))
	for i, r := range ix.grids {
		out[i] = r.g.Code
	}
	slices.Sort(out)
	return out
}

// Grid returns the grid with the given code, its boundary in the index's datum. The
// result is a copy: changing it does not change the index.
func (ix *Index) Grid(code string) (Grid, bool) {
	gi, ok := ix.byCode[code]
	if !ok {
		return Grid{}, false
	}
	return ix.gridValue(gi), true
}

func (ix *Index) gridValue(gi int32) Grid {
	r := ix.grids[gi]
	g := r.g
	g.Buildings = slices.Clone(g.Buildings)
	g.Posts = slices.Clone(g.Posts)
	if r.shape >= 0 {
		g.Boundary = ix.geo.geometry(r.shape)
	}
	return g
}

// Households returns the grid's household count: the declared count, or the sum of its
// buildings' counts when none was declared.
func (ix *Index) Households(code string) (int, bool) {
	gi, ok := ix.byCode[code]
	if !ok {
		return 0, false
	}
	return ix.grids[gi].households, true
}

// Status says how a point was assigned to a grid.
type Status uint8

// The outcomes of [Index.Locate]. The zero Status is Unassigned.
const (
	// Unassigned: the point is in no grid and farther than Policy.NearestWithinM from
	// every grid.
	Unassigned Status = iota
	// Inside: the point is inside the grid, or on its boundary and given to it by the
	// tie-break rule, or on the outer edge of the grid layer (which the tie-break gives to
	// no grid) and on this grid's boundary.
	Inside
	// Nearest: the point is in no grid; the grid is the nearest one within
	// Policy.NearestWithinM.
	Nearest
)

// String returns "unassigned", "inside" or "nearest".
func (s Status) String() string {
	switch s {
	case Unassigned:
		return "unassigned"
	case Inside:
		return "inside"
	case Nearest:
		return "nearest"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Assignment is the answer of [Index.Locate].
type Assignment struct {
	Grid      string  // the grid's code; empty when Unassigned
	Status    Status  // how the grid was chosen
	DistanceM float64 // metres from the point to the grid's boundary when Nearest; else 0
}

// Locate says which grid holds p, given in datum d (converted to the index's datum
// first). The rules, in order:
//
//   - Exclusive before comprehensive: a point inside an exclusive grid (专属网格) belongs
//     to it, not to the comprehensive grid beneath. Overlapping grids of the same kind
//     (which [Index.Validate] reports) are decided by the smaller code.
//   - Boundaries: a point on a boundary belongs to the polygon that holds the point nudged
//     infinitesimally west, then south. So a point on a shared north-south edge goes to the
//     western grid, on a shared east-west edge to the southern grid, and a vertex shared by
//     several grids to exactly one of them. Where grids tile an area, every point belongs
//     to exactly one grid. The predicates are exact, so this holds however each grid
//     stores or subdivides the shared edge.
//   - Outside every grid: a point on the outer edge of the grid layer is Inside the grid
//     whose edge it is; a point farther out is assigned to the nearest grid whose
//     boundary lies within Policy.NearestWithinM metres (ties: exclusive first, then
//     smaller code), else Unassigned.
//
// Locate does not allocate. A point with a NaN or infinite coordinate is Unassigned.
func (ix *Index) Locate(p orb.Point, d Datum) Assignment {
	// The common case, a point in the index's datum inside the cell index's extent, takes
	// no call: the fewer instructions a lookup takes around its cache misses, the more of
	// the next lookups' misses the processor overlaps with them.
	if d.id() != ix.datumID || ix.datumID == 0 {
		p = Convert(p, d, ix.datum)
	}
	if !(p[0]-p[0] == 0 && p[1]-p[1] == 0) { // NaN or infinite
		return Assignment{}
	}
	if ix.cellsOK {
		// Points far from the layer, and points in its clear cells, have their answer
		// without touching the cell heads (see cells.far).
		c := &ix.cells
		if c.beyond(p) || (c.far != nil && c.clear(p)) {
			return Assignment{}
		}
		// cells.locate, written out: the compiler does not inline it.
		if c.inExtent(p) {
			i, j := c.col(p[0]), c.row(p[1])
			gi := int32(-1)
			if h := c.head[int(j)*int(c.nx)+int(i)]; h>>31 != 0 {
				gi = fullOf(h)
			} else {
				gi = c.locateBlock(ix.geo.pts, p, i, j, h)
			}
			if gi >= 0 {
				return Assignment{Grid: ix.gridCode(gi), Status: Inside}
			}
		}
	} else if gi := ix.locate(p); gi >= 0 {
		return Assignment{Grid: ix.gridCode(gi), Status: Inside}
	}
	return ix.locateNearest(p)
}

// locateNearest is Locate for a point p (index datum) that no grid holds.
func (ix *Index) locateNearest(p orb.Point) Assignment {
	gi, dist := ix.nearest(p, ix.policy.NearestWithinM)
	switch {
	case gi < 0:
		return Assignment{}
	case dist == 0:
		// On the outer edge of the grid layer: the tie-break gives it to no grid, but it
		// lies on this grid's boundary.
		return Assignment{Grid: ix.grids[gi].g.Code, Status: Inside}
	}
	return Assignment{Grid: ix.grids[gi].g.Code, Status: Nearest, DistanceM: dist}
}

// gridCode returns grid gi's code.
func (ix *Index) gridCode(gi int32) string {
	if n := ix.codeLen; n > 0 {
		return ix.codeText[int(gi)*n : int(gi+1)*n]
	}
	return ix.codes[gi]
}

// codeTable returns the codes back to back and their common length, or "", 0 when their
// lengths differ.
func codeTable(codes []string) (string, int) {
	if len(codes) == 0 {
		return "", 0
	}
	n := len(codes[0])
	var b strings.Builder
	b.Grow(n * len(codes))
	for _, c := range codes {
		if len(c) != n {
			return "", 0
		}
		b.WriteString(c)
	}
	return b.String(), n
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

// locate returns the grid containing p (index datum) by the priority rule, or -1.
func (ix *Index) locate(p orb.Point) int32 {
	if ix.cellsOK {
		return ix.cells.locate(ix.geo.pts, p)
	}
	best := ix.locateTree(p)
	if best < 0 {
		return -1
	}
	return ix.treeGrid[best]
}

// locateTree returns the best item containing p, or -1, through the R-tree.
func (ix *Index) locateTree(p orb.Point) int32 {
	best := int32(-1)
	var c rcursor
	ix.gridTree.cursor(&c, orb.Bound{Min: p, Max: p})
	for it := ix.gridTree.next(&c); it >= 0; it = ix.gridTree.next(&c) {
		if best >= 0 && it > best {
			continue
		}
		var in bool
		if q := &ix.treeQuick[it]; q.p0 >= 0 {
			in = ix.geo.quickContains(q, p)
		} else {
			in = ix.geo.contains(ix.treeShape[it], p)
		}
		if in {
			best = it
		}
	}
	return best
}

// nearest returns the grid whose boundary is nearest to p within r metres, and the
// distance, or -1.
func (ix *Index) nearest(p orb.Point, r float64) (int32, float64) {
	if ix.cellsOK {
		gi, d2 := ix.cells.nearest(ix.geo.pts, ix.rank, p, r)
		if gi < 0 {
			return -1, 0
		}
		return gi, math.Sqrt(d2)
	}
	kx, ky := localScale(p[1])
	q := orb.Bound{Min: orb.Point{p[0] - r/kx, p[1] - r/ky}, Max: orb.Point{p[0] + r/kx, p[1] + r/ky}}
	best, bestD2 := int32(-1), r*r
	var c rcursor
	ix.gridTree.cursor(&c, q)
	for it := ix.gridTree.next(&c); it >= 0; it = ix.gridTree.next(&c) {
		d2 := ix.geo.dist2(ix.treeShape[it], p, kx, ky, -1)
		if d2 < bestD2 || (d2 == bestD2 && (best < 0 || it < best)) {
			best, bestD2 = it, d2
		}
	}
	if best < 0 {
		return -1, 0
	}
	return ix.treeGrid[best], math.Sqrt(bestD2)
}

// scan is the brute-force reference for locate: every grid's plain even-odd test over
// all its rings, no index, same rules.
func (ix *Index) scan(p orb.Point) int32 {
	best := int32(-1)
	for gi := range ix.grids {
		r := &ix.grids[gi]
		if r.shape < 0 {
			continue
		}
		if best >= 0 && ix.rank[gi] > ix.rank[best] {
			continue
		}
		if ix.geo.containsPlain(r.shape, p) {
			best = int32(gi)
		}
	}
	return best
}

// scanBounded is the brute-force scan a caller without a spatial index would write:
// every grid's bounding box, then the plain even-odd test over all its rings.
func (ix *Index) scanBounded(p orb.Point) int32 {
	best := int32(-1)
	for gi := range ix.grids {
		r := &ix.grids[gi]
		if r.shape < 0 {
			continue
		}
		b := &ix.geo.bound[r.shape]
		if p[0] < b.Min[0] || p[0] > b.Max[0] || p[1] < b.Min[1] || p[1] > b.Max[1] {
			continue
		}
		if best >= 0 && ix.rank[gi] > ix.rank[best] {
			continue
		}
		if ix.geo.containsPlain(r.shape, p) {
			best = int32(gi)
		}
	}
	return best
}

// Building says which grid a building belongs to: the grid listing it or, for a building
// no grid lists, the grid holding its location. Errors wrap [gridgov.ErrNotFound].
func (ix *Index) Building(id string) (string, error) {
	bi, ok := ix.buildingByID[id]
	if !ok {
		return "", fmt.Errorf("grid: building %q: %w", id, gridgov.ErrNotFound)
	}
	gi := ix.buildingGrid[bi]
	if gi < 0 {
		return "", fmt.Errorf("grid: building %q is in no grid: %w", id, gridgov.ErrNotFound)
	}
	return ix.grids[gi].g.Code, nil
}

// Household says which grid a household belongs to, through its building. Errors wrap
// [gridgov.ErrNotFound].
func (ix *Index) Household(id string) (string, error) {
	h, ok := ix.households[id]
	if !ok {
		return "", fmt.Errorf("grid: household %q: %w", id, gridgov.ErrNotFound)
	}
	code, err := ix.Building(h.Building)
	if err != nil {
		return "", fmt.Errorf("grid: household %q: %w", id, err)
	}
	return code, nil
}

// Street returns the street (街道) above grid code's community in tree t: grid →
// community → street. Errors wrap [gridgov.ErrNotFound].
func (ix *Index) Street(t *hierarchy.Tree, code string) (hierarchy.UnitID, error) {
	gi, ok := ix.byCode[code]
	if !ok {
		return "", fmt.Errorf("grid: street of grid %q: %w", code, gridgov.ErrNotFound)
	}
	return StreetOf(t, ix.grids[gi].g)
}

// StreetOf returns the street above g's community in tree t. Errors wrap
// [gridgov.ErrNotFound].
func StreetOf(t *hierarchy.Tree, g Grid) (hierarchy.UnitID, error) {
	if _, ok := t.Unit(g.Community); !ok {
		return "", fmt.Errorf("grid: grid %q: community %q is not in the tree: %w", g.Code, g.Community, gridgov.ErrNotFound)
	}
	s, ok := t.AncestorAt(g.Community, hierarchy.LevelStreet)
	if !ok {
		return "", fmt.Errorf("grid: grid %q: community %q has no street above it: %w", g.Code, g.Community, gridgov.ErrNotFound)
	}
	return s, nil
}
