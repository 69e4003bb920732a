package hierarchy

import (
	"math/bits"
	"slices"
	"unsafe"
)

// codeIndex resolves the unit IDs that are statistical division codes (统计用区划代码,
// 2 province + 2 city + 2 county + 3 township + 3 village digits, in full 12-digit form
// or without their trailing zero groups) from their digits, without probing the tree's
// ID map. A national register holds some 650,000 units: a probe into a map that large
// takes two or three dependent cache misses (control word, slot, the stored key's
// bytes) in a working set of tens of megabytes, and on the machines measured a miss
// that leaves the L2 cache costs 130–240 ns, a hit in it 6–12 ns. The index keeps what
// an existence check reads within the L2 cache (about 480 KB for the register):
//
//   - the province, city and county segments, two digits each, index three tables
//     directly, each a row of 128 entries per node of the depth above, so that the
//     first three steps are a shift, an OR and a load each;
//   - a county's townships and a township's villages are given as at most three runs
//     of consecutive segments packed in one word (the register numbers them so:
//     townships 001–, 100–, 200–; villages 001–, 200–), so that the last two steps are
//     a few integer operations on one word each, and a village resolves to its preorder
//     number as its township's first village plus its rank, read from the same 16 bytes
//     as the runs.
//
// Each node also holds the lengths of the unit IDs on its path from the province, so
// that [Tree.IsAncestor] of two codes checks the upper one's existence from the lower
// one's walk: in a tree that follows its codes, a is above b exactly when b exists, a's
// stem is a proper prefix of b's and the unit of that prefix has a's ID.
//
// Built by [newCodeIndex], it is used only when the tree's structure agrees with the
// codes (see there); any other ID goes through the map.
//
// The trie nodes of one depth are numbered in code order, so the children of a node
// are one contiguous run of the next depth and need no pointers. Each depth ends with a
// dummy node that has no children and no unit, which a failed step leads to, so that a
// walk needs no test until its end.
type codeIndex struct {
	prov   [128]uint16 // province segment → node of depth 0
	city   []uint16    // city[p<<7|s]: the child of depth-0 node p with segment s
	county []uint16    // county[c<<7|s]: the child of depth-1 node c with segment s
	cn     []cnode     // depth-2 nodes (counties): their children
	tn     []tnode     // depth-3 nodes (townships): their villages
	// vlevel and vkind are the level and kind of every village the index numbers (see
	// tnode).
	vlevel, vkind uint16
	// search holds the children's segments of the nodes whose children are more than
	// three runs (see runsSearch).
	search []uint16
	dummy  [4]int32
	unit   [4][]cunit // depth 0–3: the unit whose code the node is, if any
	head   [4][]int32 // depth 0–3: the chain entry of the units above the node's children
	chain  []chainEntry
}

// cnode is a depth-2 node: its children, the depth-3 nodes from first on, by segment
// (see runs), the ID lengths of its path (see cunit.lens), so that a village's walk
// reads nothing of its township but the township's tnode, and the preorder number its
// townships' villages are numbered from (see tnode).
type cnode struct {
	runs
	first uint32
	lens  uint16
	vbase int32
}

// tnode is a depth-3 node (a township, or the step under which a zone's virtual
// community sits) in one word, so that the 37,000 of a register take 300 KB: its
// villages' segments as at most two runs, lanes 0 and 1 of the word holding the runs'
// starts and lanes 2 and 3 one past their ends (see runRank2; the register numbers
// villages 001– and 200–); the length class of the node's own unit ID (bits 44–45, see
// tnLen); and the offset from its county's vbase of the preorder number of its first
// village (bits 46–62). The offset is held when its villages are leaves numbered
// consecutively in code order, of level vlevel and kind vkind (the register's shape):
// the village of rank r is then vbase plus the offset plus r, without a lookup. It is
// noBase otherwise, and its villages resolve through the ID map. A node whose villages
// are more than two runs has runsSearch set, and its villages' segments are searched in
// search[t&(1<<22-1):][:t>>22&seg10].
type tnode uint64

const (
	tnLenShift  = 44
	tnBaseShift = 46
	noBase      = 1<<17 - 1
)

// tnLen[c] is the ID length of class c: none, the 9-digit stem, the 12-digit form. A
// township has no other.
var tnLen = [4]uint32{0, 9, 12, 0}

// cunit is the unit of a trie node of depth 0–3, with what [Tree.HasRight] asks of a
// holder, so that it need not read the unit's node.
type cunit struct {
	pre, end    int32 // preorder number (-1 when the node is only a step, 东莞's county 00) and subtree end
	level, kind uint16
	idLen       uint8 // length of the unit's ID: its stem's, or 12
	// lens holds, in its 4-bit group k, the ID length of the unit of the node's
	// ancestor of depth k, the node itself included; 0 where a node is only a step.
	lens uint16
}

// chainEntry is one unit of an ancestor chain: Ancestors of a code unit copies the IDs
// from its parent's entry to the root. Chains share their upper entries, which stay in
// cache.
type chainEntry struct {
	id   UnitID
	next int32 // the entry above, -1 at the root
	n    int32 // entries from this one to the root, this one included
}

const (
	// maxIndexed bounds the trees the code index serves, so that preorder numbers and
	// offsets fit their fields with room to spare. Larger trees use the ID map alone.
	maxIndexed = 1 << 30
	// maxTableNodes bounds the nodes of depths 1 and 2, which the tables name in 16
	// bits; a register has some 340 cities and 2,900 counties. A tree with more uses the
	// ID map alone.
	maxTableNodes = 1<<16 - 1
)

// segWidths are the digits of each segment of a division code.
var segWidths = [5]int{2, 2, 2, 3, 3}

// stemEnds are the lengths of the code's stems: 2, 4, 6, 9, 12.
var stemEnds = [5]int{2, 4, 6, 9, 12}

// A code's segments are packed into one integer, the province highest, so that two
// codes share their first k+1 segments exactly when they agree under prefixMask[k]:
// the province at bit 34, the city at 27, the county at 20 (seven bits each), the
// township at 10 and the village at 0 (ten bits each).
const (
	allSegs = 1<<41 - 1
	seg7    = 1<<7 - 1
	seg10   = 1<<10 - 1
)

var prefixMask = [5]uint64{allSegs &^ (1<<34 - 1), allSegs &^ (1<<27 - 1), allSegs &^ (1<<20 - 1), allSegs &^ (1<<10 - 1), allSegs}

// pack packs a code's segments.
func pack(s *[5]uint16) uint64 {
	return uint64(s[0])<<34 | uint64(s[1])<<27 | uint64(s[2])<<20 | uint64(s[3])<<10 | uint64(s[4])
}

// unpack returns the segments of a packed code.
func unpack(p uint64) [5]uint16 {
	return [5]uint16{uint16(p >> 34), uint16(p >> 27 & seg7), uint16(p >> 20 & seg7), uint16(p >> 10 & seg10), uint16(p & seg10)}
}

// parseCode packs the segments of a code-shaped ID and returns the depth of its stem (0
// province … 4 village). ok is false for anything that is not 2, 4, 6, 9 or 12 digits.
func parseCode(id string) (p uint64, depth int, ok bool) {
	if len(id) == 12 {
		return parse12(id)
	}
	d := -1
	for k, e := range stemEnds {
		if len(id) == e {
			d = k
		}
	}
	if d < 0 {
		return 0, 0, false
	}
	var segs [5]uint16
	pos := 0
	for k := 0; k <= d; k++ {
		v := 0
		for range segWidths[k] {
			c := id[pos] - '0'
			if c > 9 {
				return 0, 0, false
			}
			v = v*10 + int(c)
			pos++
		}
		segs[k] = uint16(v)
	}
	// The stem drops trailing zero groups, so "320104000" is the county 320104.
	for d > 0 && segs[d] == 0 {
		d--
	}
	return pack(&segs), d, true
}

// parse12 is parseCode for the 12-digit form, the register's and the common one. It
// checks and converts the digits in two words (eight, then four) and finds the stem's
// depth without a loop: the lookups it serves cost a few tens of nanoseconds, and under
// random access the fewer instructions a lookup takes, the more of the following ones
// the processor overlaps with its wait for the key's bytes.
func parse12(id string) (p uint64, depth int, ok bool) {
	_ = id[11]
	w := uint64(id[0]) | uint64(id[1])<<8 | uint64(id[2])<<16 | uint64(id[3])<<24 |
		uint64(id[4])<<32 | uint64(id[5])<<40 | uint64(id[6])<<48 | uint64(id[7])<<56
	v := uint64(id[8]) | uint64(id[9])<<8 | uint64(id[10])<<16 | uint64(id[11])<<24
	x := w - 0x3030303030303030
	y := v - 0x30303030
	// A byte below '0' borrows and a byte above '9' reaches 16 once 6 is added: either
	// leaves a high nibble set in its own byte (a borrow out of y's four bytes sets all
	// of its upper ones).
	if (x|(x+0x0606060606060606)|y|(y+0x06060606))&0xF0F0F0F0F0F0F0F0 != 0 {
		return 0, 0, false
	}
	// Each 16-bit lane becomes the two-digit number of its two bytes (first digit low).
	q := (x&0x00FF00FF00FF00FF)*10 + (x>>8)&0x00FF00FF00FF00FF
	s3 := q>>48&0xFFFF*10 + y&0xFF
	s4 := (y>>8&0xFF)*100 + (y>>16&0xFF)*10 + y>>24
	p = (q&0xFFFF)<<34 | (q>>16&0xFFFF)<<27 | (q>>32&0xFFFF)<<20 | s3<<10 | s4
	// The stem ends at the last segment that is not zero (a province's, at least): the
	// one holding the lowest set bit of p.
	return p, int(stemDepth[bits.TrailingZeros64(p|1<<34)]), true
}

// stemDepth[i] is the depth of the segment whose bits hold bit i of a packed code.
var stemDepth = [35]uint8{
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, // village: bits 0–9
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, // township: bits 10–19
	2, 2, 2, 2, 2, 2, 2, // county: bits 20–26
	1, 1, 1, 1, 1, 1, 1, // city: bits 27–33
	0, // province
}

// searchRun returns the position of seg in the sorted run, or -1.
func searchRun(run []uint16, seg uint16) int {
	if len(run) <= 32 {
		for i, s := range run {
			if s >= seg {
				if s == seg {
					return i
				}
				return -1
			}
		}
		return -1
	}
	i, ok := slices.BinarySearch(run, seg)
	if !ok {
		return -1
	}
	return i
}

// runs is the set of a node's children's segments as at most three runs of consecutive
// values: lane i of lo (bits 11i to 11i+9) holds run i's first value and lane i of hi
// one past its last; unused runs are 0 in both. The register numbers children in a few
// such runs (townships 001–, 100–, 200–; villages 001–, 200–), so that two words
// replace a search, and a child's rank takes a dozen integer operations on them (see
// runRank). The lanes' guard bits (10, 21 and 32) are zero; the bits above 32 carry
// other data of the node. A node whose children are more than three runs has runsSearch
// set in lo, and its children's segments are searched instead in search[lo&(1<<32-1):]
// [:hi&seg10].
type runs struct{ lo, hi uint64 }

const (
	runsSearch = 1 << 63
	laneOnes   = 1 | 1<<11 | 1<<22     // a value in every lane
	laneGuards = 1<<10 | 1<<21 | 1<<32 // the bit above every lane
	laneCums   = 1<<11 | 1<<22         // a lane's value added to every lane above
)

// packRuns returns the runs of the sorted, distinct segments (below 1,000) of a node's
// children; ok is false when they are more than max runs (at most three).
func packRuns(segs []uint16, max int) (rs runs, ok bool) {
	k := 0
	for i := 0; i < len(segs); {
		j := i + 1
		for j < len(segs) && segs[j] == segs[j-1]+1 {
			j++
		}
		if k == max {
			return runs{}, false
		}
		rs.lo |= uint64(segs[i]) << (11 * k)
		rs.hi |= uint64(segs[j-1]+1) << (11 * k)
		k++
		i = j
	}
	return rs, true
}

// runRank returns the rank of segment s among the children in rs, and a value that is
// not zero exactly when s is one of them (then the rank is 0). It compares s with all
// three runs at once, one in each lane: lane i of s·laneOnes, its guard bit set, minus
// lane i of lo keeps the guard bit exactly when s is at or after run i's start, minus
// lane i of hi exactly when s is past its end. Adding to the first difference the
// lengths of the runs below (hi−lo, carried up by laneCums) gives in s's run 1024 plus
// its rank; no lane ever borrows from or carries into a lane s can be in. It takes no
// branch: under random access the words come from all over the index, and a
// mispredicted branch on them would stop the processor from working ahead on the next
// lookups.
func runRank(rs runs, s uint64) (rank, in uint64) {
	v := s*laneOnes | laneGuards
	d := v - rs.lo
	in = d &^ (v - rs.hi) & laneGuards
	r := (d + (rs.hi-rs.lo)*laneCums) & (in - in>>10)
	return (r | r>>11 | r>>22) & seg10, in
}

// runRank2 is runRank for the two runs of a tnode: lanes 2 and 3 of the word, shifted
// down to lanes 0 and 1, are the ends; above lane 1, whatever the word holds only
// reaches bits that are not looked at.
func runRank2(t tnode, s uint64) (rank, in uint64) {
	w := uint64(t)
	v := s*(1|1<<11) | (1<<10 | 1<<21)
	d := v - w
	in = d &^ (v - w>>22) & (1<<10 | 1<<21)
	r := (d + (w>>22-w)<<11) & (in - in>>10)
	return (r | r>>11) & seg10, in
}

// searchRank is runRank for children marked runsSearch, whose count is n and whose
// segments start at search[at].
func (ix *codeIndex) searchRank(at, n int, s uint64) (rank, in uint64) {
	i := searchRun(ix.search[at:at+n], uint16(s))
	if i < 0 {
		return 0, 0
	}
	return uint64(i), 1
}

// locate walks to the code packed in p, of stem depth d, in an ID of length n. x is its
// node of depth min(d, 3) — for a village, its township's — and lens that node's ID
// lengths (see cunit.lens); in reports whether a unit has that ID. For a village, pre
// is its preorder number, or -1 when its township's villages are not numbered (see
// tnode). For a township or a village, county is the node of depth 2 the walk passed
// through, so that a caller asking about the county too need not walk again.
//
// It is the one walk every lookup by code takes, written out in one function so that it
// makes no call on the common path.
func (ix *codeIndex) locate(p uint64, d, n int) (x, pre, county int32, lens uint32, in bool) {
	x = int32(ix.prov[p>>34&seg7])
	if d == 0 {
		lens = uint32(ix.unit[0][x].lens)
		return x, 0, 0, lens, int(lens&15) == n
	}
	x = int32(ix.city[int(x)<<7|int(p>>27&seg7)])
	if d == 1 {
		lens = uint32(ix.unit[1][x].lens)
		return x, 0, 0, lens, int(lens>>4&15) == n
	}
	x = int32(ix.county[int(x)<<7|int(p>>20&seg7)])
	if d == 2 {
		lens = uint32(ix.unit[2][x].lens)
		return x, 0, 0, lens, int(lens>>8&15) == n
	}
	county = x
	c := &ix.cn[x]
	var rank, found uint64
	if c.lo&runsSearch == 0 {
		rank, found = runRank(c.runs, p>>10&seg10)
	} else {
		rank, found = ix.searchRank(int(c.lo&(1<<32-1)), int(c.hi&seg10), p>>10&seg10)
	}
	m := -int32(b2u(found != 0))
	x = (int32(c.first)+int32(rank))&m | ix.dummy[3]&^m
	if d == 3 {
		lens = uint32(ix.unit[3][x].lens)
		return x, 0, county, lens, int(lens>>12&15) == n
	}
	t := ix.tn[x]
	if t&runsSearch == 0 {
		rank, found = runRank2(t, p&seg10)
	} else {
		rank, found = ix.searchRank(int(t&(1<<22-1)), int(t>>22&seg10), p&seg10)
	}
	// noBase is all ones: pre is -1 for it.
	off := int32(t >> tnBaseShift & noBase)
	m = -int32(b2u(off != noBase))
	pre = (c.vbase+off+int32(rank))&m | ^m
	return x, pre, county, uint32(c.lens) | tnLen[t>>tnLenShift&3]<<12, found != 0
}

// findLK returns the unit whose ID is id, with its subtree end, level and kind. handled
// is false when id is not code-shaped, or is a village of a township the index does not
// number, and the caller must ask the ID map.
func (ix *codeIndex) findLK(id string) (u unitLK, found, handled bool) {
	var p uint64
	var d int
	var ok bool
	if len(id) == 12 { // parseCode's own test, saving a call on the common path
		p, d, ok = parse12(id)
	} else {
		p, d, ok = parseCode(id)
	}
	if !ok {
		return u, false, false
	}
	return ix.lkAt(p, d, len(id))
}

// lkAt is findLK of the code packed in p, of stem depth d, in an ID of length n.
func (ix *codeIndex) lkAt(p uint64, d, n int) (u unitLK, found, handled bool) {
	x, pre, _, _, in := ix.locate(p, d, n)
	if !in {
		return u, false, true
	}
	if d < 4 {
		c := &ix.unit[d][x]
		return unitLK{x: c.pre, end: c.end, level: c.level, kind: c.kind}, true, true
	}
	if pre < 0 {
		return u, false, false
	}
	return unitLK{x: pre, end: pre + 1, level: ix.vlevel, kind: ix.vkind}, true, true
}

// find is findLK for the preorder number alone.
func (ix *codeIndex) find(id string) (x int32, found, handled bool) {
	u, found, handled := ix.findLK(id)
	return u.x, found, handled
}

// b2u is 1 for true and 0 for false, without a branch.
func b2u(b bool) uint8 { return *(*uint8)(unsafe.Pointer(&b)) }

// isAncestor answers IsAncestor (strict) or Contains (not strict) for two code-shaped
// IDs from their digits: in a tree that follows its codes, a code unit is above another
// exactly when both exist and its stem is a proper prefix of the other's. One walk, b's,
// answers both existences, the path's ID lengths telling whether the prefix's unit has
// a's ID; the results are combined without a branch: whether a pair is related is as
// good as random to the processor, and guessing it wrong would discard the work it has
// started on the lookups that follow. handled is false when either ID is not
// code-shaped.
func (ix *codeIndex) isAncestor(a, b string, strict bool) (above, handled bool) {
	var pa, pb uint64
	var da, db int
	var ok bool
	// parseCode's own test, saving a call on the common path.
	if len(b) == 12 {
		pb, db, ok = parse12(b)
	} else {
		pb, db, ok = parseCode(b)
	}
	if !ok {
		return false, false
	}
	if len(a) == 12 {
		pa, da, ok = parse12(a)
	} else {
		pa, da, ok = parseCode(a)
	}
	if !ok {
		return false, false
	}
	_, _, _, lens, in := ix.locate(pb, db, len(b))
	if !strict && a == b {
		return in, true
	}
	// da < db ≤ 4 when the prefix holds, so group da of lens is one of the path's.
	prefix := b2u((pa^pb)&prefixMask[da] == 0) & b2u(da < db)
	aIn := b2u(int(lens>>(4*(da&3))&15) == len(a))
	return prefix&aIn&b2u(in) != 0, true
}

// containsLK resolves units a and b when a contains b (or is b), for a right whose
// grants reach only the units within their holders ([rightGrants.unitsWithin]): found
// is false when either is absent or a is neither b nor above it. That a is not above b
// shows in the digits, before any lookup, since in a tree that follows its codes a
// unit's ancestors are the units whose stems prefix its own; then nothing is read of
// the index, and each key is parsed once. handled is false when either ID is not
// code-shaped or is a village the index does not number.
func (ix *codeIndex) containsLK(a, b string) (x, y unitLK, found, handled bool) {
	var pa, pb uint64
	var da, db int
	var ok bool
	// parseCode's own test, saving a call on the common path.
	if len(a) == 12 {
		pa, da, ok = parse12(a)
	} else {
		pa, da, ok = parseCode(a)
	}
	if !ok {
		return x, y, false, false
	}
	if len(b) == 12 {
		pb, db, ok = parse12(b)
	} else {
		pb, db, ok = parseCode(b)
	}
	if !ok {
		return x, y, false, false
	}
	if da > db || (pa^pb)&prefixMask[da] != 0 {
		return x, y, false, true
	}
	if da < 2 || da == db {
		if y, found, handled = ix.lkAt(pb, db, len(b)); !found || !handled {
			return x, y, found, handled
		}
		// a's walk is the first steps of b's, whose words are now in cache.
		x, found, handled = ix.lkAt(pa, da, len(a))
		return x, y, found, handled
	}
	// A county or a township above a township or a village, the common question (a
	// street over one of its communities, a county over a village): b's walk passes
	// through a's node, and its path's ID lengths tell whether a's unit has a's ID, so
	// a needs no walk of its own.
	xb, pre, county, lens, in := ix.locate(pb, db, len(b))
	if !in {
		return x, y, false, true
	}
	if db < 4 {
		c := &ix.unit[db][xb]
		y = unitLK{x: c.pre, end: c.end, level: c.level, kind: c.kind}
	} else if pre < 0 {
		return x, y, false, false
	} else {
		y = unitLK{x: pre, end: pre + 1, level: ix.vlevel, kind: ix.vkind}
	}
	if int(lens>>(4*da)&15) != len(a) {
		return x, y, false, true
	}
	xa := county
	if da == 3 { // then b is a village, and xb its township
		xa = xb
	}
	c := &ix.unit[da][xa]
	return unitLK{x: c.pre, end: c.end, level: c.level, kind: c.kind}, y, true, true
}

// appendAncestors appends the units above the code unit id to dst, nearest first.
// handled is false when id is not code-shaped or its chain is not held (then the
// caller walks the tree); dst unchanged with handled true means no such unit.
func (ix *codeIndex) appendAncestors(dst []UnitID, id string) (out []UnitID, handled bool) {
	p, d, ok := parseCode(id)
	if !ok || d == 0 { // above the provinces, the tree
		return dst, false
	}
	x, _, county, _, in := ix.locate(p, d, len(id))
	if !in {
		return dst, true
	}
	var h int32
	switch d {
	case 4:
		h = ix.head[3][x]
	case 3:
		h = ix.head[2][county]
	default:
		up, _, _, _, _ := ix.locate(p, d-1, 0)
		h = ix.head[d-1][up]
	}
	if h < 0 {
		return dst, false
	}
	out = slices.Grow(dst, int(ix.chain[h].n))
	for ; h >= 0; h = ix.chain[h].next {
		out = append(out, ix.chain[h].id)
	}
	return out, true
}

// newCodeIndex indexes the code-shaped unit IDs of t, or returns nil when the tree's
// structure does not follow its codes. It follows them when every unit whose ID is
// code-shaped has as its parent the unit whose code is the longest proper prefix of its
// own among the code-shaped IDs of the tree, or, when there is none, a unit whose ID is
// not code-shaped (or no parent: the root); and no two IDs have the same stem. Then a
// code unit's ancestors are exactly the code units whose stems prefix its own, and then
// the ancestors of the topmost of them. It takes one sort of the codes.
func newCodeIndex(t *Tree) *codeIndex {
	n := len(t.units)
	if n > maxIndexed {
		return nil
	}
	type key struct {
		code uint64 // packed: sorting it sorts the codes
		pre  int32
		d    int32
	}
	keys := make([]key, 0, n)
	for x := range t.units {
		p, d, ok := parseCode(string(t.units[x].ID))
		if !ok {
			continue
		}
		keys = append(keys, key{p, int32(x), int32(d)})
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b key) int {
		switch {
		case a.code < b.code:
			return -1
		case a.code > b.code:
			return 1
		}
		return 0
	})
	// The trie, depth by depth in code order: each node's segment, the first of its
	// children (kids[d][x] ≤ i < kids[d][x+1], nodes of depth d+1 for d < 3, village
	// segments seg[4] for d = 3), its parent and its unit.
	var (
		seg     [5][]uint16
		kids    [4][]uint32
		parents [4][]int32
		vill    []villages // per depth-3 node: how its villages are numbered
	)
	ix := &codeIndex{}
	var top [100]int32
	for i := range top {
		top[i] = -1
	}
	var cur [5]int32 // the trie path of the previous key
	var curSeg [5]uint16
	curLen := 0 // levels of that path
	for i, kk := range keys {
		if i > 0 && keys[i-1].code == kk.code {
			return nil // two IDs with one stem ("320104" and "320104000000")
		}
		segs, d := unpack(kk.code), int(kk.d)
		// The shared prefix with the previous key keeps its nodes; the rest are new.
		// Keys sorted by their packed form list every code of one prefix together.
		same := 0
		for same < curLen && same <= d && curSeg[same] == segs[same] {
			same++
		}
		for k := same; k <= d; k++ {
			x := int32(len(seg[k]))
			seg[k] = append(seg[k], segs[k])
			switch k {
			case 0:
				top[segs[0]] = x
				parents[0] = append(parents[0], -1)
			case 4:
				tw := &vill[cur[3]]
				r := x - int32(kids[3][cur[3]])
				nd := t.nodes[kk.pre]
				switch {
				case nd.end != kk.pre+1: // not a leaf
					tw.base = -1
				case r == 0:
					tw.base, tw.level, tw.kind = kk.pre, nd.level, nd.kind
				case tw.base >= 0 && (kk.pre != tw.base+r || nd.level != tw.level || nd.kind != tw.kind):
					tw.base = -1
				}
			default:
				parents[k] = append(parents[k], cur[k-1])
			}
			if k < 4 {
				kids[k] = append(kids[k], uint32(len(seg[k+1])))
				ix.unit[k] = append(ix.unit[k], cunit{pre: -1})
			}
			if k == 3 {
				vill = append(vill, villages{base: -1})
			}
			cur[k], curSeg[k] = x, segs[k]
		}
		curLen = d + 1
		if d < 4 {
			nd := t.nodes[kk.pre]
			ix.unit[d][cur[d]] = cunit{pre: kk.pre, end: nd.end, level: nd.level, kind: nd.kind, idLen: uint8(len(t.units[kk.pre].ID))}
		}
		// The parent must be the nearest code unit on the path, or a non-code unit
		// when there is none.
		want := int32(-1)
		for k := d - 1; k >= 0; k-- {
			if p := ix.unit[k][cur[k]].pre; p >= 0 {
				want = p
				break
			}
		}
		parent := t.nodes[kk.pre].parent
		if want >= 0 && parent != want {
			return nil
		}
		if want < 0 && parent >= 0 {
			if _, _, ok := parseCode(string(t.units[parent].ID)); ok {
				return nil
			}
		}
	}
	if len(seg[1])+1 > maxTableNodes || len(seg[2])+1 > maxTableNodes {
		return nil
	}
	// Each depth ends with its dummy node (see codeIndex); its parent in the chains is
	// the first node above, whose head it never uses.
	for k := range 4 {
		ix.dummy[k] = int32(len(seg[k]))
		seg[k] = append(seg[k], 0)
		ix.unit[k] = append(ix.unit[k], cunit{pre: -1})
		if k > 0 {
			parents[k] = append(parents[k], 0)
		} else {
			parents[0] = append(parents[0], -1)
		}
		// The dummy's children are the empty range at the end of the next depth (its
		// dummy, for the depths above 3), and the range's end closes the last node's.
		kids[k] = append(kids[k], uint32(len(seg[k+1])), uint32(len(seg[k+1])))
	}
	vill = append(vill, villages{base: -1})
	for i := range ix.prov {
		ix.prov[i] = uint16(ix.dummy[0])
		if i < len(top) && top[i] >= 0 {
			ix.prov[i] = uint16(top[i])
		}
	}
	ix.city = childTable(seg[1], kids[0], ix.dummy[1])
	ix.county = childTable(seg[2], kids[1], ix.dummy[2])
	// The ID lengths on each node's path; a dummy's are none.
	var lens [4][]uint16
	for d := range 4 {
		lens[d] = make([]uint16, len(seg[d]))
		for x := range lens[d] {
			if int32(x) == ix.dummy[d] {
				continue
			}
			var up uint16
			if d > 0 {
				up = lens[d-1][parents[d][x]]
			}
			u := &ix.unit[d][x]
			if u.pre >= 0 {
				up |= uint16(u.idLen) << (4 * d)
			}
			lens[d][x] = up
			u.lens = up
		}
	}
	// The first numbered township's villages set the level and kind of all.
	numbered := false
	for x := range vill {
		v := &vill[x]
		if v.base >= 0 && !numbered {
			ix.vlevel, ix.vkind, numbered = v.level, v.kind, true
		}
		if v.level != ix.vlevel || v.kind != ix.vkind {
			v.base = -1
		}
	}
	ix.cn = make([]cnode, len(seg[2]))
	for x := range ix.cn {
		lo, hi := kids[2][x], kids[2][x+1]
		c := cnode{runs: ix.packChildren(seg[3][lo:hi], 3), first: lo, lens: lens[2][x], vbase: -1}
		for _, v := range vill[lo:hi] {
			if v.base >= 0 && (c.vbase < 0 || v.base < c.vbase) {
				c.vbase = v.base
			}
		}
		ix.cn[x] = c
	}
	ix.tn = make([]tnode, len(seg[3]))
	for k := range ix.cn {
		c := &ix.cn[k]
		for x := c.first; x < kids[2][k+1]; x++ {
			var class uint64
			if u := ix.unit[3][x]; u.pre >= 0 {
				class = 1
				if u.idLen == 12 {
					class = 2
				}
			}
			off := uint64(noBase)
			if b := vill[x].base; b >= 0 && b-c.vbase < noBase {
				off = uint64(b - c.vbase)
			}
			segs := seg[4][kids[3][x]:kids[3][x+1]]
			var w uint64
			if rs, ok := packRuns(segs, 2); ok {
				w = rs.lo | rs.hi<<22
			} else {
				w = runsSearch | uint64(len(ix.search)) | uint64(len(segs))<<22
				ix.search = append(ix.search, segs...)
			}
			ix.tn[x] = tnode(w | class<<tnLenShift | off<<tnBaseShift)
		}
	}
	ix.tn[ix.dummy[3]] = tnode(uint64(noBase) << tnBaseShift)
	if len(ix.search) >= 1<<22 {
		return nil // more irregular villages than the words can point at
	}
	ix.chains(t, &parents)
	return ix
}

// villages tells, while the index is built, how the villages of a depth-3 node are
// numbered (see tnode).
type villages struct {
	base        int32
	level, kind uint16
}

// childTable returns the table of the children of the nodes of one depth: entry x<<7|s
// is the child of node x with segment s, or dummy. kids gives each node's children as
// a range of segs, the segments of the next depth.
func childTable(segs []uint16, kids []uint32, dummy int32) []uint16 {
	nodes := len(kids) - 1
	tab := make([]uint16, nodes<<7)
	for i := range tab {
		tab[i] = uint16(dummy)
	}
	for x := range nodes {
		for c := kids[x]; c < kids[x+1]; c++ {
			tab[x<<7|int(segs[c])] = uint16(c)
		}
	}
	return tab
}

// packChildren returns the runs of a node whose children have the segments segs:
// packRuns's, or for more than max runs runs marked runsSearch pointing at a copy of
// segs in ix.search.
func (ix *codeIndex) packChildren(segs []uint16, max int) runs {
	if rs, ok := packRuns(segs, max); ok {
		return rs
	}
	rs := runs{lo: runsSearch | uint64(len(ix.search)), hi: uint64(len(segs))}
	ix.search = append(ix.search, segs...)
	return rs
}

// chains fills the ancestor chains and the heads of the nodes of depth 0–3: a node's
// head is the entry of the nearest unit at or above it on its path, whose chain
// continues with that unit's ancestors in the tree. A node with no unit at or above it
// has none (-1): the code units below it may hang from different non-code units.
func (ix *codeIndex) chains(t *Tree, parents *[4][]int32) {
	// The units above the topmost code units (the country root), one entry each,
	// shared by all the chains that reach them.
	above := map[int32]int32{}
	var entryOf func(x int32) int32 // the chain entry of a non-code unit x
	entryOf = func(x int32) int32 {
		if x < 0 {
			return -1
		}
		if e, ok := above[x]; ok {
			return e
		}
		next := entryOf(t.nodes[x].parent)
		e := ix.push(t.units[x].ID, next)
		above[x] = e
		return e
	}
	var heads [4][]int32
	for d := range 4 {
		heads[d] = make([]int32, len(ix.unit[d]))
		for x := range heads[d] {
			up := int32(-1)
			if d > 0 {
				up = heads[d-1][parents[d][x]]
			}
			if u := ix.unit[d][x]; u.pre >= 0 {
				if up < 0 {
					up = entryOf(t.nodes[u.pre].parent)
				}
				up = ix.push(t.units[u.pre].ID, up)
			}
			heads[d][x] = up
		}
	}
	ix.head = heads
}

func (ix *codeIndex) push(id UnitID, next int32) int32 {
	n := int32(1)
	if next >= 0 {
		n += ix.chain[next].n
	}
	ix.chain = append(ix.chain, chainEntry{id: id, next: next, n: n})
	return int32(len(ix.chain) - 1)
}

// bytes returns the memory the index holds beyond the ID strings it shares with the
// tree, and how much of it a village's existence reads (the tables and the county and
// township nodes), for the benchmarks' report.
func (ix *codeIndex) bytes() (all, village int) {
	village = int(unsafe.Sizeof(ix.prov)) + 2*len(ix.city) + 2*len(ix.county) +
		int(unsafe.Sizeof(cnode{}))*len(ix.cn) + 8*len(ix.tn) + 2*len(ix.search)
	all = int(unsafe.Sizeof(*ix)) - int(unsafe.Sizeof(ix.prov)) + village
	for d := range 4 {
		all += 4*len(ix.head[d]) + int(unsafe.Sizeof(cunit{}))*len(ix.unit[d])
	}
	all += int(unsafe.Sizeof(chainEntry{})) * len(ix.chain)
	return all, village
}
