package grid

import (
	"math"

	"github.com/paulmach/orb"
)

// buckets is a uniform grid of buckets over the items' bounding boxes, for point
// lookups. A lookup computes its bucket directly and reads one short, contiguous list
// whose entries carry everything the exact test needs (the item's box and its quick
// record), so that a lookup from a cold cache touches the bucket offsets, the list, the
// item's band block and its points, and nothing else. Box queries use the R-tree.
type buckets struct {
	minX, minY float64
	invW, invH float64 // bucket(x) = int((x-minX)*invW), clamped
	nx, ny     int32
	off        []int32 // bucket b lists ent[off[b]:off[b+1]]
	ent        []bucketEntry
}

// bucketEntry is one item in one bucket; 64 bytes, one cache line.
type bucketEntry struct {
	minX, minY, maxX, maxY float64
	item                   int32
	q                      quickLite
}

// quickLite is quick without the y-range, which the entry's box already holds.
type quickLite struct {
	p0, p1, band, k int32
	inv             float64
}

// maxBucketEntries bounds memory: when boxes overlap so much that the lists would hold
// more than this many entries per item, the index keeps to the R-tree.
const maxBucketEntries = 16

func newBuckets(boxes []orb.Bound, qs []quick) (buckets, bool) {
	n := len(boxes)
	if n == 0 {
		return buckets{}, false
	}
	ext := boxes[0]
	var sw, sh float64
	for _, b := range boxes {
		ext = ext.Union(b)
		sw += b.Max[0] - b.Min[0]
		sh += b.Max[1] - b.Min[1]
	}
	W, H := ext.Max[0]-ext.Min[0], ext.Max[1]-ext.Min[1]
	if !(W > 0) || !(H > 0) {
		return buckets{}, false
	}
	// Buckets the size of an average box: a box covers about four, a bucket meets about
	// four boxes, most of which its point fails the box test of.
	nx := int32(min(max(W/(sw/float64(n)), 1), 1<<14))
	ny := int32(min(max(H/(sh/float64(n)), 1), 1<<14))
	for int64(nx)*int64(ny) > 4*int64(n)+16 {
		nx, ny = max(nx/2, 1), max(ny/2, 1)
	}
	bk := buckets{minX: ext.Min[0], minY: ext.Min[1], invW: float64(nx) / W, invH: float64(ny) / H, nx: nx, ny: ny}
	if math.IsInf(bk.invW, 0) || math.IsInf(bk.invH, 0) {
		return buckets{}, false
	}
	counts := make([]int32, int(nx)*int(ny)+1)
	total := 0
	for _, b := range boxes {
		x0, y0, x1, y1 := bk.cell(b.Min[0], b.Min[1], b.Max[0], b.Max[1])
		total += int(x1-x0+1) * int(y1-y0+1)
		if total > maxBucketEntries*n {
			return buckets{}, false
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				counts[y*nx+x+1]++
			}
		}
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	bk.off = counts
	bk.ent = make([]bucketEntry, total)
	pos := append([]int32(nil), counts[:len(counts)-1]...)
	for it, b := range boxes {
		q := qs[it]
		e := bucketEntry{b.Min[0], b.Min[1], b.Max[0], b.Max[1], int32(it), quickLite{q.p0, q.p1, q.band, q.k, q.inv}}
		x0, y0, x1, y1 := bk.cell(b.Min[0], b.Min[1], b.Max[0], b.Max[1])
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				bk.ent[pos[y*nx+x]] = e
				pos[y*nx+x]++
			}
		}
	}
	return bk, true
}

// cell returns the bucket range of a box; monotone in each coordinate, so a point in the
// box falls in a bucket of the range.
func (bk *buckets) cell(x0, y0, x1, y1 float64) (int32, int32, int32, int32) {
	return bk.col(x0), bk.row(y0), bk.col(x1), bk.row(y1)
}

func (bk *buckets) col(x float64) int32 {
	return min(max(int32((x-bk.minX)*bk.invW), 0), bk.nx-1)
}

func (bk *buckets) row(y float64) int32 {
	return min(max(int32((y-bk.minY)*bk.invH), 0), bk.ny-1)
}

// list returns the entries of p's bucket.
func (bk *buckets) list(p orb.Point) []bucketEntry {
	b := bk.row(p[1])*bk.nx + bk.col(p[0])
	return bk.ent[bk.off[b]:bk.off[b+1]]
}
