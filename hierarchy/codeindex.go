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
// that leaves a cache of about 4 MB costs 140–240 ns, one within the 512 KB L2 cache
// 7–12 ns. The index keeps what an existence check reads within the L2 cache: a trie of
// the codes' segments, one word per node down to the townships giving its children's
// segments as at most three runs of consecutive values (the register numbers them so:
// townships 001–, 100–, 200–; villages 001–, 200–), so that each step down is a few
// integer operations on one word — 334 KB for the register, against 2.3 MB for a hash
// table of the townships with their village segments. A village then resolves to its
// preorder number as its township's first village plus its rank, read from one more array.
//
// Built by [newCodeIndex], it is used only when the tree's structure agrees with the
// codes (see there); any other ID goes through the map.
//
// The trie nodes of one depth are numbered in code order, so the children of a node
// are one contiguous run of the next depth and need no pointers: the run's bounds are
// two neighbouring entries of kids, and the child of rank r is kids[d][x]+r.
type codeIndex struct {
	top [100]int32  // province segment → node of depth 0; the depth's dummy node when absent
	seg [5][]uint16 // seg[d][x]: the last segment of node x of depth d
	// kids[d][x] ≤ i < kids[d][x+1] are node x's children: nodes of depth d+1 for d < 3,
	// village segments seg[4] for d = 3.
	kids [4][]uint32
	// runs[d][x] is node x's children's segments as at most three runs of consecutive
	// values (see packRuns), so that a child is found by arithmetic on one word, or
	// runsSearch when they do not fit and seg is searched.
	runs  [4][]uint64
	dummy [4]int32   // per depth: the node with no children that a failed step leads to
	unit  [4][]cunit // depth 0–3: the unit whose code the node is, if any
	head  [4][]int32 // depth 0–3: the chain entry of the units above the node's children
	vill  []villages // per depth-3 node: how its villages are numbered
	chain []chainEntry
}

// villages tells how the villages of a depth-3 node (a township, or the step under which
// a zone's virtual community sits) resolve to preorder numbers.
type villages struct {
	// base is the preorder number of its first village when its villages are leaves
	// numbered consecutively in code order and share one level and kind (the register's
	// shape): the village of rank r is then base+r, without a lookup. -1 otherwise, and
	// its villages resolve through the ID map.
	base        int32
	level, kind uint8 // of its villages, when base ≥ 0
}

// cunit is the unit of a trie node of depth 0–3, with what [Tree.HasRight] asks of a
// holder, so that it need not read the unit's node.
type cunit struct {
	pre, end    int32 // preorder number (-1 when the node is only a step, 东莞's county 00) and subtree end
	level, kind uint16
	idLen       uint8 // length of the unit's ID: its stem's, or 12
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
)

// segWidths are the digits of each segment of a division code.
var segWidths = [5]int{2, 2, 2, 3, 3}

// stemEnds are the lengths of the code's stems: 2, 4, 6, 9, 12.
var stemEnds = [5]int{2, 4, 6, 9, 12}

// parseCode splits a code-shaped ID into its segments and returns the depth of its stem
// (0 province … 4 village). ok is false for anything that is not 2, 4, 6, 9 or 12
// digits.
func parseCode(id string) (segs [5]uint16, depth int, ok bool) {
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
		return segs, 0, false
	}
	pos := 0
	for k := 0; k <= d; k++ {
		v := 0
		for range segWidths[k] {
			c := id[pos] - '0'
			if c > 9 {
				return segs, 0, false
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
	return segs, d, true
}

// parse12 is parseCode for the 12-digit form, the register's and the common one. It
// checks and converts the digits in two words (eight, then four) and finds the stem's
// depth without a loop: the lookups it serves cost a few tens of nanoseconds, and under
// random access the fewer instructions a lookup takes, the more of the following ones
// the processor overlaps with its wait for the key's bytes.
func parse12(id string) (segs [5]uint16, depth int, ok bool) {
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
		return segs, 0, false
	}
	// Each 16-bit lane becomes the two-digit number of its two bytes (first digit low).
	p := (x&0x00FF00FF00FF00FF)*10 + (x>>8)&0x00FF00FF00FF00FF
	segs[0] = uint16(p)
	segs[1] = uint16(p >> 16)
	segs[2] = uint16(p >> 32)
	segs[3] = uint16(p>>48)*10 + uint16(y&0xFF)
	segs[4] = uint16(y>>8&0xFF)*100 + uint16(y>>16&0xFF)*10 + uint16(y>>24)
	// The stem ends at the last segment that is not zero (a province's, at least).
	nz := 1 | uint(b2u(segs[1] != 0))<<1 | uint(b2u(segs[2] != 0))<<2 | uint(b2u(segs[3] != 0))<<3 | uint(b2u(segs[4] != 0))<<4
	return segs, bits.Len(nz) - 1, true
}

// searchRun returns the position of seg in the sorted run seg[lo:hi], or -1.
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

// runsSearch marks a runs word whose node's children are more than three runs: they are
// searched in seg instead.
const runsSearch = 1 << 63

// packRuns packs the sorted, distinct segments of a node's children as at most three
// runs of consecutive values, run i's first value at bits 20i and its length at bits
// 20i+10 (segments are below 1,000, so ten bits hold either); unused runs are empty.
// The register numbers children in a few such runs (townships 001–, 100–, 200–;
// villages 001–, 200–), so one word replaces a search. It returns runsSearch for more.
func packRuns(segs []uint16) uint64 {
	var w uint64
	k := 0
	for i := 0; i < len(segs); {
		j := i + 1
		for j < len(segs) && segs[j] == segs[j-1]+1 {
			j++
		}
		if k == 3 || segs[i] > 1023 || j-i > 1023 {
			return runsSearch
		}
		w |= (uint64(segs[i]) | uint64(j-i)<<10) << (20 * k)
		k++
		i = j
	}
	return w
}

// runRank returns the rank of segment s among the children packed in w, and a mask that
// is -1 when s is one of them and 0 when not (then the rank is 0). It takes no branch:
// under random access the words come from all over the index, and a mispredicted branch
// on them would stop the processor from working ahead on the next lookups.
func runRank(w uint64, s uint16) (rank, mask int32) {
	v := int32(s)
	s0, n0 := int32(w&0x3FF), int32(w>>10&0x3FF)
	s1, n1 := int32(w>>20&0x3FF), int32(w>>30&0x3FF)
	s2, n2 := int32(w>>40&0x3FF), int32(w>>50&0x3FF)
	d0, d1, d2 := v-s0, v-s1, v-s2
	// The sign bit of ^d & (d-n) is set exactly when 0 ≤ d < n.
	m0 := (^d0 & (d0 - n0)) >> 31
	m1 := (^d1 & (d1 - n1)) >> 31
	m2 := (^d2 & (d2 - n2)) >> 31
	return d0&m0 | (n0+d1)&m1 | (n0+n1+d2)&m2, m0 | m1 | m2
}

// child returns the child of node x of depth d whose segment is s, or the dummy node of
// depth d+1.
func (ix *codeIndex) child(d int, x int32, s uint16) int32 {
	w := ix.runs[d][x]
	if w&runsSearch != 0 {
		lo, hi := ix.kids[d][x], ix.kids[d][x+1]
		i := searchRun(ix.seg[d+1][lo:hi], s)
		if i < 0 {
			return ix.dummy[d+1]
		}
		return int32(lo) + int32(i)
	}
	r, m := runRank(w, s)
	return (int32(ix.kids[d][x])+r)&m | ix.dummy[d+1]&^m
}

// walk follows segs down the trie to depth d ≤ 3 and returns the node there. ok is false
// when no code of the tree has that prefix; the node may still be only a step (see
// cunit.pre). A step that fails leads to the dummy node, whose children are none, so the
// walk needs no test until its end.
func (ix *codeIndex) walk(segs *[5]uint16, d int) (x int32, ok bool) {
	x = ix.top[segs[0]]
	for k := 1; k <= d; k++ {
		x = ix.child(k-1, x, segs[k])
	}
	return x, x != ix.dummy[d]
}

// unitAt returns the unit of the code segs of stem depth d < 4 whose ID has length n.
func (ix *codeIndex) unitAt(segs *[5]uint16, d, n int) (*cunit, bool) {
	x, ok := ix.walk(segs, d)
	if !ok {
		return nil, false
	}
	u := &ix.unit[d][x]
	return u, u.pre >= 0 && int(u.idLen) == n
}

// village finds the village of segs (stem depth 4): its depth-3 node and its rank among
// that node's villages.
func (ix *codeIndex) village(segs *[5]uint16) (x, rank int32, ok bool) {
	x, _ = ix.walk(segs, 3) // the dummy has no villages
	w := ix.runs[3][x]
	if w&runsSearch != 0 {
		lo, hi := ix.kids[3][x], ix.kids[3][x+1]
		i := searchRun(ix.seg[4][lo:hi], segs[4])
		return x, int32(i), i >= 0
	}
	r, m := runRank(w, segs[4])
	return x, r, m != 0
}

// findLK returns the unit whose ID is id, with its subtree end, level and kind. handled
// is false when id is not code-shaped, or is a village of a township the index does not
// number, and the caller must ask the ID map.
func (ix *codeIndex) findLK(id string) (u unitLK, found, handled bool) {
	segs, d, ok := parseCode(id)
	if !ok {
		return u, false, false
	}
	if d < 4 {
		c, ok := ix.unitAt(&segs, d, len(id))
		if !ok {
			return u, false, true
		}
		return unitLK{x: c.pre, end: c.end, level: c.level, kind: c.kind}, true, true
	}
	t, r, ok := ix.village(&segs)
	if !ok {
		return u, false, true
	}
	v := ix.vill[t]
	if v.base < 0 {
		return u, false, false
	}
	x := v.base + r
	return unitLK{x: x, end: x + 1, level: uint16(v.level), kind: uint16(v.kind)}, true, true
}

// find is findLK for the preorder number alone.
func (ix *codeIndex) find(id string) (x int32, found, handled bool) {
	u, found, handled := ix.findLK(id)
	return u.x, found, handled
}

// exists reports whether a unit has ID id, given its parse.
func (ix *codeIndex) exists(segs *[5]uint16, d, n int) bool {
	if d < 4 {
		_, ok := ix.unitAt(segs, d, n)
		return ok
	}
	_, _, ok := ix.village(segs) // only 12-digit IDs have stem depth 4
	return ok
}

// packSegs packs a code's segments into one integer, the province highest, so that two
// codes share their first k+1 segments exactly when they agree under prefixMask[k].
func packSegs(s *[5]uint16) uint64 {
	return uint64(s[0])<<34 | uint64(s[1])<<27 | uint64(s[2])<<20 | uint64(s[3])<<10 | uint64(s[4])
}

const allSegs = 1<<41 - 1

var prefixMask = [5]uint64{allSegs &^ (1<<34 - 1), allSegs &^ (1<<27 - 1), allSegs &^ (1<<20 - 1), allSegs &^ (1<<10 - 1), allSegs}

// b2u is 1 for true and 0 for false, without a branch.
func b2u(b bool) uint8 { return *(*uint8)(unsafe.Pointer(&b)) }

// isAncestor answers IsAncestor (strict) or Contains (not strict) for two code-shaped
// IDs from their digits: in a tree that follows its codes, a code unit is above another
// exactly when both exist and its stem is a proper prefix of the other's. Both units'
// existence is checked whatever the digits say and the results are combined without a
// branch: whether a pair is related is as good as random to the processor, and guessing
// it wrong would discard the work it has started on the lookups that follow. handled is
// false when either ID is not code-shaped.
func (ix *codeIndex) isAncestor(a, b string, strict bool) (above, handled bool) {
	sa, da, ok := parseCode(a)
	if !ok {
		return false, false
	}
	sb, db, ok := parseCode(b)
	if !ok {
		return false, false
	}
	if !strict && a == b {
		return ix.exists(&sb, db, len(b)), true
	}
	prefix := b2u((packSegs(&sa)^packSegs(&sb))&prefixMask[da] == 0) & b2u(da < db)
	both := b2u(ix.exists(&sa, da, len(a))) & b2u(ix.exists(&sb, db, len(b)))
	return prefix&both != 0, true
}

// appendAncestors appends the units above the code unit id to dst, nearest first.
// handled is false when id is not code-shaped or its chain is not held (then the
// caller walks the tree); dst unchanged with handled true means no such unit.
func (ix *codeIndex) appendAncestors(dst []UnitID, id string) (out []UnitID, handled bool) {
	segs, d, ok := parseCode(id)
	if !ok {
		return dst, false
	}
	var h int32 = -1
	switch d {
	case 4:
		t, _, ok := ix.village(&segs)
		if !ok {
			return dst, true
		}
		h = ix.head[3][t]
	case 0:
		return dst, false // above the provinces, the tree
	default:
		if _, ok := ix.unitAt(&segs, d, len(id)); !ok {
			return dst, true
		}
		x, _ := ix.walk(&segs, d-1)
		h = ix.head[d-1][x]
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
		code uint64 // the 12-digit form
		pre  int32
	}
	keys := make([]key, 0, n)
	for x := range t.units {
		segs, _, ok := parseCode(string(t.units[x].ID))
		if !ok {
			continue
		}
		var v uint64
		for k := range 5 {
			for range segWidths[k] {
				v *= 10
			}
			v += uint64(segs[k])
		}
		keys = append(keys, key{v, int32(x)})
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
	ix := &codeIndex{}
	for i := range ix.top {
		ix.top[i] = -1
	}
	var parents [4][]int32 // parent node of each trie node, for the chains
	var cur [5]int32       // the trie path of the previous key
	var curSeg [5]uint16
	curLen := 0 // levels of that path
	for i, kk := range keys {
		if i > 0 && keys[i-1].code == kk.code {
			return nil // two IDs with one stem ("320104" and "320104000000")
		}
		id := string(t.units[kk.pre].ID)
		segs, d, _ := parseCode(id)
		// The shared prefix with the previous key keeps its nodes; the rest are new.
		// Keys sorted by their 12-digit form list every code of one prefix together.
		same := 0
		for same < curLen && same <= d && curSeg[same] == segs[same] {
			same++
		}
		for k := same; k <= d; k++ {
			x := int32(len(ix.seg[k]))
			ix.seg[k] = append(ix.seg[k], segs[k])
			switch k {
			case 0:
				ix.top[segs[0]] = x
				parents[0] = append(parents[0], -1)
			case 4:
				tw := &ix.vill[cur[3]]
				r := int32(x) - int32(ix.kids[3][cur[3]])
				nd := t.nodes[kk.pre]
				switch {
				case nd.end != kk.pre+1: // not a leaf
					tw.base = -1
				case r == 0:
					tw.base, tw.level, tw.kind = kk.pre, uint8(nd.level), uint8(nd.kind)
					if nd.level > 255 || nd.kind > 255 {
						tw.base = -1
					}
				case tw.base >= 0 && (kk.pre != tw.base+r || nd.level != uint16(tw.level) || nd.kind != uint16(tw.kind)):
					tw.base = -1
				}
			default:
				parents[k] = append(parents[k], cur[k-1])
			}
			if k < 4 {
				ix.kids[k] = append(ix.kids[k], uint32(len(ix.seg[k+1])))
				ix.unit[k] = append(ix.unit[k], cunit{pre: -1})
			}
			if k == 3 {
				ix.vill = append(ix.vill, villages{base: -1})
			}
			cur[k], curSeg[k] = x, segs[k]
		}
		curLen = d + 1
		if d < 4 {
			nd := t.nodes[kk.pre]
			ix.unit[d][cur[d]] = cunit{pre: kk.pre, end: nd.end, level: nd.level, kind: nd.kind, idLen: uint8(len(id))}
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
	// Each depth ends with a dummy node without children, which a failed step of a walk
	// leads to (see walk); its parent in the chains is the first node above, whose head
	// it never uses.
	for k := range 4 {
		ix.dummy[k] = int32(len(ix.seg[k]))
		ix.seg[k] = append(ix.seg[k], 0)
		ix.unit[k] = append(ix.unit[k], cunit{pre: -1})
		if k > 0 {
			parents[k] = append(parents[k], 0)
		} else {
			parents[0] = append(parents[0], -1)
		}
		// The dummy's children are the empty range at the end of the next depth (its
		// dummy, for the depths above 3), and the range's end closes the last node's.
		ix.kids[k] = append(ix.kids[k], uint32(len(ix.seg[k+1])), uint32(len(ix.seg[k+1])))
	}
	for i := range ix.top {
		if ix.top[i] < 0 {
			ix.top[i] = ix.dummy[0]
		}
	}
	ix.vill = append(ix.vill, villages{base: -1})
	for k := range 4 {
		ix.runs[k] = make([]uint64, len(ix.seg[k]))
		for x := range ix.runs[k] {
			ix.runs[k][x] = packRuns(ix.seg[k+1][ix.kids[k][x]:ix.kids[k][x+1]])
		}
	}
	ix.chains(t, &parents)
	return ix
}

// chains fills the ancestor chains and the heads of the nodes of depth 0–3: a node's head is the entry of the nearest unit at or above it on its path, whose chain
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
		heads[d] = make([]int32, len(ix.seg[d]))
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
// tree, and how much of it a village's existence reads (the runs words of every depth and
// the first-child numbers above the townships), for the benchmarks' report.
func (ix *codeIndex) bytes() (all, village int) {
	all = int(unsafe.Sizeof(*ix))
	village = int(unsafe.Sizeof(ix.top))
	for d := range 5 {
		all += 2 * len(ix.seg[d])
	}
	for d := range 4 {
		all += 4*len(ix.kids[d]) + 4*len(ix.head[d]) + 8*len(ix.runs[d])
		all += int(unsafe.Sizeof(cunit{})) * len(ix.unit[d])
		village += 8 * len(ix.runs[d])
		if d < 3 {
			village += 4 * len(ix.kids[d])
		}
	}
	all += int(unsafe.Sizeof(villages{}))*len(ix.vill) + int(unsafe.Sizeof(chainEntry{}))*len(ix.chain)
	return all, village
}
