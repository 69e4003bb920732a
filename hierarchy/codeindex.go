package hierarchy

import (
	"slices"
	"unsafe"
)

// codeIndex resolves the unit IDs that are statistical division codes (统计用区划代码,
// 2 province + 2 city + 2 county + 3 township + 3 village digits, in full 12-digit form
// or without their trailing zero groups) from their digits, without probing the tree's
// ID map. A national register holds some 650,000 units: a probe into a map that large
// takes two or three dependent cache misses (control word, slot, the stored key's
// bytes) in a working set of tens of megabytes, and on the machines measured a miss
// that leaves a cache of about 8 MB costs 160–220 ns, one within 2 MB 20–25 ns. The
// index keeps what a lookup reads within about 2.3 MB for the register:
//
//   - a trie of the codes' segments down to the townships (depth 0 province … 3
//     township), whose upper levels are a few kilobytes that stay in cache;
//   - the villages (depth 4, nine tenths of the register) through a hash table of their
//     townships' 9-digit codes: one slot (16 bytes) gives the run of the township's
//     village segments and the preorder number of its first village, so a village
//     resolves with two reads outside the cache-resident part, the slot and the run.
//
// Built by [newCodeIndex], it is used only when the tree's structure agrees with the
// codes (see there); any other ID goes through the map.
//
// The trie nodes of one depth are numbered in code order, so the children of a node
// are one contiguous run of the next depth and need no pointers: the run's bounds are
// two neighbouring entries of kids.
type codeIndex struct {
	top   [100]int32  // province segment → node of depth 0, or -1
	seg   [5][]uint16 // seg[d][x]: the last segment of node x of depth d; seg[4] in runs per township
	kids  [3][]uint32 // depth 0–2: node x's children are kids[d][x] ≤ i < kids[d][x+1]
	unit  [4][]cunit  // depth 0–3: the unit whose code the node is, if any
	head  [3][]int32  // depth 0–2: the chain entry of the units above the node's children
	towns []town      // hash table of the depth-3 nodes by 9-digit code, a power of two long
	thead []int32     // parallel to towns: the chain entry of the units above its villages
	tbits uint        // log2 len(towns)
	chain []chainEntry
}

// town is a slot of the township hash table: a trie node of depth 3 (a township, or
// the step under which a zone's virtual community sits) with what a lookup of one of
// its villages needs.
type town struct {
	code  uint32 // the 9-digit code plus one; 0 marks an empty slot
	first uint32 // its villages' segments are seg[4][first : first+n], sorted
	// base is the preorder number of its first village when its villages are leaves
	// numbered consecutively in code order and share one level and kind (the register's
	// shape): the village of rank r is then base+r, without a lookup. -1 otherwise, and
	// its villages resolve through the ID map.
	base        int32
	n           uint16
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
// checks and converts the first eight digits eight at a time in one word: the lookups
// it serves cost a few tens of nanoseconds, and a digit loop would be a good part of it.
func parse12(id string) (segs [5]uint16, depth int, ok bool) {
	_ = id[11]
	w := uint64(id[0]) | uint64(id[1])<<8 | uint64(id[2])<<16 | uint64(id[3])<<24 |
		uint64(id[4])<<32 | uint64(id[5])<<40 | uint64(id[6])<<48 | uint64(id[7])<<56
	x := w - 0x3030303030303030
	// A byte below '0' borrows and a byte above '9' reaches 16 once 6 is added: either
	// leaves a high nibble set in its own byte.
	if (x|(x+0x0606060606060606))&0xF0F0F0F0F0F0F0F0 != 0 {
		return segs, 0, false
	}
	c8, c9, c10, c11 := id[8]-'0', id[9]-'0', id[10]-'0', id[11]-'0'
	if c8 > 9 || c9 > 9 || c10 > 9 || c11 > 9 {
		return segs, 0, false
	}
	// Each 16-bit lane becomes the two-digit number of its two bytes (first digit low).
	p := (x&0x00FF00FF00FF00FF)*10 + (x>>8)&0x00FF00FF00FF00FF
	segs[0] = uint16(p)
	segs[1] = uint16(p >> 16)
	segs[2] = uint16(p >> 32)
	segs[3] = uint16(p>>48)*10 + uint16(c8)
	segs[4] = uint16(c9)*100 + uint16(c10)*10 + uint16(c11)
	depth = 4
	for depth > 0 && segs[depth] == 0 {
		depth--
	}
	return segs, depth, true
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

// walk follows segs down the trie to depth d ≤ 3 and returns the node there. ok is false
// when no code of the tree has that prefix; the node may still be only a step (see
// cunit.pre).
func (ix *codeIndex) walk(segs *[5]uint16, d int) (x int32, ok bool) {
	x = ix.top[segs[0]]
	if x < 0 {
		return 0, false
	}
	for k := 1; k <= d; k++ {
		lo, hi := ix.kids[k-1][x], ix.kids[k-1][x+1]
		i := searchRun(ix.seg[k][lo:hi], segs[k])
		if i < 0 {
			return 0, false
		}
		x = int32(lo) + int32(i)
	}
	return x, true
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

// town9 is the hash table key of a township: its 9-digit code plus one.
func town9(segs *[5]uint16) uint32 {
	return uint32(segs[0])*10_000_000 + uint32(segs[1])*100_000 + uint32(segs[2])*1_000 + uint32(segs[3]) + 1
}

// slot returns the hash table slot of township key k, or -1.
func (ix *codeIndex) slot(k uint32) int {
	mask := len(ix.towns) - 1
	h := int((uint64(k) * 0x9E3779B97F4A7C15) >> (64 - ix.tbits))
	for {
		switch c := ix.towns[h].code; c {
		case k:
			return h
		case 0:
			return -1
		}
		h = (h + 1) & mask
	}
}

// village finds the village of segs (stem depth 4): its township's slot and its rank
// among the township's villages.
func (ix *codeIndex) village(segs *[5]uint16) (h int, rank int32, ok bool) {
	h = ix.slot(town9(segs))
	if h < 0 {
		return 0, 0, false
	}
	tw := &ix.towns[h]
	i := searchRun(ix.seg[4][tw.first:tw.first+uint32(tw.n)], segs[4])
	return h, int32(i), i >= 0
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
	h, r, ok := ix.village(&segs)
	if !ok {
		return u, false, true
	}
	tw := &ix.towns[h]
	if tw.base < 0 {
		return u, false, false
	}
	x := tw.base + r
	return unitLK{x: x, end: x + 1, level: uint16(tw.level), kind: uint16(tw.kind)}, true, true
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

// isAncestor answers IsAncestor (strict) or Contains (not strict) for two code-shaped
// IDs from their digits: in a tree that follows its codes, a code unit is above another
// exactly when both exist and its stem is a proper prefix of the other's, so most
// pairs of a register are settled by comparing digits, and the others by looking up
// two units without reading their nodes. handled is false when either ID is not
// code-shaped.
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
	if da >= db {
		return false, true
	}
	for k := 0; k <= da; k++ {
		if sa[k] != sb[k] {
			return false, true
		}
	}
	return ix.exists(&sa, da, len(a)) && ix.exists(&sb, db, len(b)), true
}

// ancestors returns the units above the code unit id, nearest first, as a fresh slice.
// handled is false when id is not code-shaped or its chain is not held (then the
// caller walks the tree); a nil slice with handled true means no such unit.
func (ix *codeIndex) ancestors(id string) (out []UnitID, handled bool) {
	segs, d, ok := parseCode(id)
	if !ok {
		return nil, false
	}
	var h int32 = -1
	switch d {
	case 4:
		t, _, ok := ix.village(&segs)
		if !ok {
			return nil, true
		}
		h = ix.thead[t]
	case 0:
		return nil, false // above the provinces, the tree
	default:
		if _, ok := ix.unitAt(&segs, d, len(id)); !ok {
			return nil, true
		}
		x, _ := ix.walk(&segs, d-1)
		h = ix.head[d-1][x]
	}
	if h < 0 {
		return nil, false
	}
	out = make([]UnitID, 0, ix.chain[h].n)
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
	var towns []town       // the depth-3 nodes in code order, before hashing
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
				tw := &towns[cur[3]]
				r := int32(tw.n)
				tw.n++
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
			switch {
			case k < 3:
				ix.kids[k] = append(ix.kids[k], uint32(len(ix.seg[k+1])))
				ix.unit[k] = append(ix.unit[k], cunit{pre: -1})
			case k == 3:
				towns = append(towns, town{code: town9(&segs), first: uint32(len(ix.seg[4])), base: -1})
				ix.unit[3] = append(ix.unit[3], cunit{pre: -1})
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
	for k := range 3 {
		ix.kids[k] = append(ix.kids[k], uint32(len(ix.seg[k+1])))
	}
	heads := ix.chains(t, &parents)
	// The hash table: at most three quarters full. Emptier tables cost cache: at 37,000
	// townships, 65,536 slots are 1 MB, and a probe that goes on mostly stays in the
	// slot's cache line.
	ix.tbits = 4
	for 1<<ix.tbits < len(towns)+len(towns)/3 {
		ix.tbits++
	}
	ix.towns = make([]town, 1<<ix.tbits)
	ix.thead = make([]int32, 1<<ix.tbits)
	mask := len(ix.towns) - 1
	for x, tw := range towns {
		h := int((uint64(tw.code) * 0x9E3779B97F4A7C15) >> (64 - ix.tbits))
		for ix.towns[h].code != 0 {
			h = (h + 1) & mask
		}
		ix.towns[h], ix.thead[h] = tw, heads[x]
	}
	return ix
}

// chains fills the ancestor chains and returns the heads of the depth-3 nodes: a
// node's head is the entry of the nearest unit at or above it on its path, whose chain
// continues with that unit's ancestors in the tree. A node with no unit at or above it
// has none (-1): the code units below it may hang from different non-code units.
func (ix *codeIndex) chains(t *Tree, parents *[4][]int32) []int32 {
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
	for d := range 3 {
		ix.head[d] = heads[d]
	}
	return heads[3]
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
// tree, and how much of it a village lookup reads (the township table and the village
// segments), for the benchmarks' report.
func (ix *codeIndex) bytes() (all, village int) {
	all = int(unsafe.Sizeof(*ix))
	for d := range 5 {
		all += 2 * len(ix.seg[d])
	}
	for d := range 3 {
		all += 4*len(ix.kids[d]) + 4*len(ix.head[d])
	}
	for d := range 4 {
		all += int(unsafe.Sizeof(cunit{})) * len(ix.unit[d])
	}
	village = int(unsafe.Sizeof(town{}))*len(ix.towns) + 2*len(ix.seg[4])
	all += village - 2*len(ix.seg[4]) + 4*len(ix.thead) + int(unsafe.Sizeof(chainEntry{}))*len(ix.chain)
	return all, village
}
