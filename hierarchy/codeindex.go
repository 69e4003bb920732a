package hierarchy

import (
	"slices"
)

// codeIndex resolves the unit IDs that are statistical division codes (统计用区划代码,
// 2 province + 2 city + 2 county + 3 township + 3 village digits, in full 12-digit form
// or without their trailing zero groups) without probing the tree's ID map. A national
// register holds some 665,000 units; a hash probe into a map that large misses the
// cache on almost every random lookup, while the code's own digits lead through five
// small sorted blocks, the upper ones of which stay in cache. Built by [newCodeIndex],
// it is used only when the tree's structure agrees with the codes (see there); any
// other ID goes through the map.
type codeIndex struct {
	// ents[d] holds, for each trie node of depth d−1 (the virtual root for d = 0), its
	// children of depth d as one contiguous run sorted by segment: seg<<payloadBits |
	// payload, where the payload is a trie node number for d < 4 and the unit's
	// preorder number for d = 4 (villages have no trie node).
	ents [5][]uint32
	// A trie node of depth 0–3 is a prefix of some unit's code, which is itself a unit
	// or only a step on the way (the county segment 00 of the townships of a city
	// without counties, such as 东莞 441900). Its children are kids[node]; what only a
	// lookup of the node itself needs is in nodes[node], apart, so that the walk down
	// to a village touches 8 bytes per level.
	kids  []span
	nodes []cnode
	root  span
}

// span locates a node's children: ents[depth+1][first : first+n].
type span struct{ first, n uint32 }

type cnode struct {
	pre   int32 // preorder number of the unit with this prefix as its code, or -1
	idLen uint8 // length of that unit's ID: the stem's, or 12
	id    UnitID
}

const (
	payloadBits = 22
	payloadMask = 1<<payloadBits - 1
	// maxIndexed bounds the trees the code index serves: preorder numbers must fit the
	// payload. Larger trees use the ID map alone.
	maxIndexed = payloadMask
)

// segWidths are the digits of each segment of a division code.
var segWidths = [5]int{2, 2, 2, 3, 3}

// stemEnds are the lengths of the code's stems: 2, 4, 6, 9, 12.
var stemEnds = [5]int{2, 4, 6, 9, 12}

// parseCode splits a code-shaped ID into its segments and returns the depth of its stem
// (0 province … 4 village). ok is false for anything that is not 2, 4, 6, 9 or 12
// digits.
func parseCode(id string) (segs [5]uint16, depth int, ok bool) {
	n := len(id)
	d := -1
	for k, e := range stemEnds {
		if n == e {
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
	// The stem drops trailing zero groups, so "320104000000" is the county 320104.
	for d > 0 && segs[d] == 0 {
		d--
	}
	return segs, d, true
}

// find returns the preorder number of the unit whose ID is id. handled is false when id
// is not code-shaped, and the caller must ask the ID map.
func (ix *codeIndex) find(id string) (x int32, found, handled bool) {
	segs, d, ok := parseCode(id)
	if !ok {
		return 0, false, false
	}
	x, found = ix.findSegs(&segs, d, len(id))
	return x, found, true
}

// mayBeAbove reports false when the digits alone show that unit a is not above unit b:
// in a tree that follows its codes, the ancestors of a code unit are exactly the units
// with code-shaped IDs whose stems are proper prefixes of its own (and the units above
// the topmost of them, whose IDs are not code-shaped), so a code-shaped a that is not
// such a prefix of a code-shaped b is not above it, whether or not either exists. Most
// pairs of a large register are settled so, without a lookup. It reports true when the
// digits do not decide.
func (ix *codeIndex) mayBeAbove(a, b string) bool {
	sa, da, ok := parseCode(a)
	if !ok {
		return true
	}
	sb, db, ok := parseCode(b)
	if !ok {
		return true
	}
	if da >= db {
		return false
	}
	for k := 0; k <= da; k++ {
		if sa[k] != sb[k] {
			return false
		}
	}
	return true
}

// findSegs is find on a parsed ID of length n.
func (ix *codeIndex) findSegs(segs *[5]uint16, d, n int) (int32, bool) {
	sp := ix.root
	for k := 0; ; k++ {
		e, ok := search(ix.ents[k][sp.first:sp.first+sp.n], segs[k])
		if !ok {
			return 0, false
		}
		x := e & payloadMask
		if k == 4 {
			return int32(x), true
		}
		if k == d {
			nd := &ix.nodes[x]
			if nd.pre < 0 || int(nd.idLen) != n {
				return 0, false
			}
			return nd.pre, true
		}
		sp = ix.kids[x]
	}
}

// search finds seg in a sorted run of entries.
func search(run []uint32, seg uint16) (uint32, bool) {
	key := uint32(seg)
	if len(run) <= 16 {
		for _, e := range run {
			if s := e >> payloadBits; s >= key {
				return e, s == key
			}
		}
		return 0, false
	}
	lo, hi := 0, len(run)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if run[m]>>payloadBits < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(run) && run[lo]>>payloadBits == key {
		return run[lo], true
	}
	return 0, false
}

// ancestors returns the code units above the code unit id, nearest first, in
// buf[:n], and the topmost of them (or id itself when it has none) so the caller can
// add the units above the codes. found is false when no unit has ID id; handled is
// false when id is not code-shaped and the caller must ask the ID map.
func (ix *codeIndex) ancestors(id string, buf *[4]UnitID) (n int, top int32, found, handled bool) {
	segs, d, ok := parseCode(id)
	if !ok {
		return 0, 0, false, false
	}
	var path [4]*cnode
	var nd *cnode
	sp := ix.root
	self := int32(-1)
	for k := 0; k <= d; k++ {
		e, ok := search(ix.ents[k][sp.first:sp.first+sp.n], segs[k])
		if !ok {
			return 0, 0, false, true
		}
		x := e & payloadMask
		if k == 4 {
			self = int32(x)
			break
		}
		nd, sp = &ix.nodes[x], ix.kids[x]
		path[k] = nd
	}
	if d < 4 {
		if nd.pre < 0 || int(nd.idLen) != len(id) {
			return 0, 0, false, true
		}
		self = nd.pre
	}
	top = self
	for k := d - 1; k >= 0; k-- {
		if p := path[k]; p.pre >= 0 {
			buf[n] = p.id
			n++
			top = p.pre
		}
	}
	return n, top, true, true
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
	var cur [4]int32 // the trie path of the previous key: node numbers, -1 none
	var curSeg [5]int32
	for k := range cur {
		cur[k] = -1
	}
	for k := range curSeg {
		curSeg[k] = -1
	}
	kidsOf := func(k int) *span {
		if k < 0 {
			return &ix.root
		}
		return &ix.kids[cur[k]]
	}
	for i, kk := range keys {
		if i > 0 && keys[i-1].code == kk.code {
			return nil // two IDs with one stem ("320104" and "320104000000")
		}
		id := string(t.units[kk.pre].ID)
		segs, d, _ := parseCode(id)
		// The shared prefix with the previous key keeps its nodes; the rest are new.
		same := 0
		for same <= d && same < 5 && curSeg[same] == int32(segs[same]) && (same == 4 || cur[same] >= 0) {
			same++
		}
		for k := same; k <= d; k++ {
			parent := kidsOf(k - 1)
			if parent.n == 0 {
				parent.first = uint32(len(ix.ents[k]))
			}
			parent.n++
			if k == 4 {
				ix.ents[4] = append(ix.ents[4], uint32(segs[4])<<payloadBits|uint32(kk.pre))
				curSeg[4] = int32(segs[4])
				continue
			}
			ix.nodes = append(ix.nodes, cnode{pre: -1})
			ix.kids = append(ix.kids, span{})
			nn := uint32(len(ix.nodes) - 1)
			ix.ents[k] = append(ix.ents[k], uint32(segs[k])<<payloadBits|nn)
			cur[k], curSeg[k] = int32(nn), int32(segs[k])
			for j := k + 1; j < 4; j++ {
				cur[j], curSeg[j] = -1, -1
			}
			curSeg[4] = -1
		}
		if d < 4 {
			nd := &ix.nodes[cur[d]]
			nd.pre, nd.idLen, nd.id = kk.pre, uint8(len(id)), UnitID(id)
		}
		// The parent must be the nearest code unit on the path, or a non-code unit
		// when there is none.
		want := int32(-1)
		for k := d - 1; k >= 0; k-- {
			if p := ix.nodes[cur[k]].pre; p >= 0 {
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
	return ix
}
