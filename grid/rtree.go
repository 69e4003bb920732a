package grid

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// rtree is a static packed R-tree (after Flatbush): items are sorted once along a Hilbert
// curve through their box centres and packed bottom-up into nodes of rtreeFanout. It is
// built once, never modified, and searched without allocating.
type rtree struct {
	nodes []rnode // leaf entries first (one per item, in Hilbert order), then each level; root last
}

// rnode is a box with either an item (n == 0: leaf entry) or the range of its children
// nodes[child : child+n].
type rnode struct {
	minX, minY, maxX, maxY float64
	child                  int32
	n                      int32
}

const rtreeFanout = 16

// rtreeMaxStack bounds the search stack: at most fanout-1 pending siblings per level plus
// one, and 2^31 items make at most 8 levels of fanout 16.
const rtreeMaxStack = (rtreeFanout-1)*8 + 2

func newRTree(boxes []orb.Bound) rtree {
	n := len(boxes)
	if n == 0 {
		return rtree{}
	}
	ext := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, b := range boxes {
		ext = ext.Union(b)
	}
	w, h := ext.Max[0]-ext.Min[0], ext.Max[1]-ext.Min[1]
	type keyed struct {
		h    uint64
		item int32
	}
	ks := make([]keyed, n)
	const hmax = 1<<16 - 1
	for i, b := range boxes {
		var x, y uint32
		if w > 0 {
			x = uint32(hmax * ((b.Min[0]+b.Max[0])/2 - ext.Min[0]) / w)
		}
		if h > 0 {
			y = uint32(hmax * ((b.Min[1]+b.Max[1])/2 - ext.Min[1]) / h)
		}
		ks[i] = keyed{hilbert(x, y), int32(i)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.h != b.h {
			if a.h < b.h {
				return -1
			}
			return 1
		}
		return int(a.item - b.item)
	})
	total := n
	for m := n; m > 1; {
		m = (m + rtreeFanout - 1) / rtreeFanout
		total += m
	}
	nodes := make([]rnode, 0, total)
	for _, k := range ks {
		b := boxes[k.item]
		nodes = append(nodes, rnode{b.Min[0], b.Min[1], b.Max[0], b.Max[1], k.item, 0})
	}
	lo, hi := 0, n
	for hi-lo > 1 {
		for s := lo; s < hi; s += rtreeFanout {
			e := min(s+rtreeFanout, hi)
			p := rnode{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1), int32(s), int32(e - s)}
			for _, c := range nodes[s:e] {
				p.minX = math.Min(p.minX, c.minX)
				p.minY = math.Min(p.minY, c.minY)
				p.maxX = math.Max(p.maxX, c.maxX)
				p.maxY = math.Max(p.maxY, c.maxY)
			}
			nodes = append(nodes, p)
		}
		lo, hi = hi, len(nodes)
	}
	return rtree{nodes: nodes}
}

// rcursor walks the items whose box intersects a query box. Keep it on the caller's stack.
type rcursor struct {
	minX, minY, maxX, maxY float64
	stack                  [rtreeMaxStack]int32
	sp                     int
}

func (t *rtree) cursor(c *rcursor, q orb.Bound) {
	c.minX, c.minY, c.maxX, c.maxY = q.Min[0], q.Min[1], q.Max[0], q.Max[1]
	c.sp = 0
	if len(t.nodes) > 0 && c.hits(&t.nodes[len(t.nodes)-1]) {
		c.stack[0] = int32(len(t.nodes) - 1)
		c.sp = 1
	}
}

func (c *rcursor) hits(nd *rnode) bool {
	return nd.minX <= c.maxX && nd.maxX >= c.minX && nd.minY <= c.maxY && nd.maxY >= c.minY
}

// next returns the next item whose box intersects the query, or -1 when there are no
// more. Every node on the stack already intersects the query.
func (t *rtree) next(c *rcursor) int32 {
	for c.sp > 0 {
		c.sp--
		nd := &t.nodes[c.stack[c.sp]]
		if nd.n == 0 {
			return nd.child
		}
		for i := nd.child + nd.n - 1; i >= nd.child; i-- {
			if c.hits(&t.nodes[i]) {
				c.stack[c.sp] = i
				c.sp++
			}
		}
	}
	return -1
}

// hilbert maps (x, y) in [0, 2^16) to its distance along a Hilbert curve of order 16.
func hilbert(x, y uint32) uint64 {
	const n = 1 << 16
	var d uint64
	for s := uint32(n / 2); s > 0; s /= 2 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x = n - 1 - x
				y = n - 1 - y
			}
			x, y = y, x
		}
	}
	return d
}
