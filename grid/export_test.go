package grid

import (
	"math"
	"math/bits"

	"github.com/paulmach/orb"
)

// ScanAll is the brute-force reference for benchmarks in package grid_test: every grid's
// exact test, no bounding boxes, same rules as Locate (p in the index's datum).
func (ix *Index) ScanAll(p orb.Point) string {
	if gi := ix.scan(p); gi >= 0 {
		return ix.grids[gi].g.Code
	}
	return ""
}

// ScanBounded is the brute-force scan with a bounding-box test first.
func (ix *Index) ScanBounded(p orb.Point) string {
	if gi := ix.scanBounded(p); gi >= 0 {
		return ix.grids[gi].g.Code
	}
	return ""
}

// LocateTree is Locate's inside-a-grid search through the R-tree instead of the cell index.
func (ix *Index) LocateTree(p orb.Point) string {
	if it := ix.locateTree(p); it >= 0 {
		return ix.grids[ix.treeGrid[it]].g.Code
	}
	return ""
}

// UsesCells reports whether point lookups go through the cell index.
func (ix *Index) UsesCells() bool { return ix.cellsOK }

// CellBytes is the cell index's size in bytes.
func (ix *Index) CellBytes() int { return ix.cells.bytes() }

// ClearCells is the number of cells in the far bitmap (0 when there is none).
func (ix *Index) ClearCells() int {
	n := 0
	for _, w := range ix.cells.far {
		n += bits.OnesCount64(w)
	}
	return n
}

// LocateBrute is Locate by brute force (p in the index's datum): the exact scan of every
// grid, then on a miss every grid's boundary distance, with Locate's rules.
func (ix *Index) LocateBrute(p orb.Point) Assignment {
	if gi := ix.scan(p); gi >= 0 {
		return Assignment{Grid: ix.grids[gi].g.Code, Status: Inside}
	}
	r := ix.policy.NearestWithinM
	kx, ky := localScale(p[1])
	best, bestD2 := int32(-1), r*r
	for gi := range ix.grids {
		if ix.grids[gi].shape < 0 {
			continue
		}
		d2 := ix.geo.dist2(ix.grids[gi].shape, p, kx, ky, -1)
		if d2 < bestD2 || (d2 == bestD2 && (best < 0 || ix.rank[gi] < ix.rank[best])) {
			best, bestD2 = int32(gi), d2
		}
	}
	switch {
	case best < 0:
		return Assignment{}
	case bestD2 == 0:
		return Assignment{Grid: ix.grids[best].g.Code, Status: Inside}
	}
	return Assignment{Grid: ix.grids[best].g.Code, Status: Nearest, DistanceM: math.Sqrt(bestD2)}
}

// LocateBruteBounded is LocateBrute with bounding boxes first: the scan a caller without
// an index writes for Locate's rules (p in the index's datum).
func (ix *Index) LocateBruteBounded(p orb.Point) Assignment {
	if gi := ix.scanBounded(p); gi >= 0 {
		return Assignment{Grid: ix.grids[gi].g.Code, Status: Inside}
	}
	r := ix.policy.NearestWithinM
	kx, ky := localScale(p[1])
	hx, hy := r/kx, r/ky
	best, bestD2 := int32(-1), r*r
	for gi := range ix.grids {
		sh := ix.grids[gi].shape
		if sh < 0 {
			continue
		}
		b := &ix.geo.bound[sh]
		if p[0] < b.Min[0]-hx || p[0] > b.Max[0]+hx || p[1] < b.Min[1]-hy || p[1] > b.Max[1]+hy {
			continue
		}
		d2 := ix.geo.dist2(sh, p, kx, ky, -1)
		if d2 < bestD2 || (d2 == bestD2 && (best < 0 || ix.rank[gi] < ix.rank[best])) {
			best, bestD2 = int32(gi), d2
		}
	}
	switch {
	case best < 0:
		return Assignment{}
	case bestD2 == 0:
		return Assignment{Grid: ix.grids[best].g.Code, Status: Inside}
	}
	return Assignment{Grid: ix.grids[best].g.Code, Status: Nearest, DistanceM: math.Sqrt(bestD2)}
}
