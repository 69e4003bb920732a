package grid

import "github.com/paulmach/orb"

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
