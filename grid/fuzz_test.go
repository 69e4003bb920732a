package grid

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// randomLayer builds a random grid layer that tiles a rectangle-ish area exactly:
//   - an nx×ny lattice of cells, each side subdivided into s pieces on a fine lattice the
//     two neighbours share (so shared edges are identical vertex for vertex);
//   - jitter > 0 moves every fine-lattice point (the same way for both neighbours);
//     jitter == 0 keeps them axis-aligned, and then some cells skip their subdivision
//     points, so a neighbour's single edge meets this cell's subdivided edge in
//     T-junctions;
//   - some cells get a hole filled by a grid of its own, one pair of cells is merged into
//     a multipolygon grid, and a few exclusive rectangles are laid on top.
//
// It returns the atlas, the outline of the tiled area (for the partition check) and the
// points worth probing: every fine-lattice point (all shared vertices) and edge
// midpoints.
func randomLayer(seed uint64, size, mode uint8) (Atlas, orb.Polygon, []orb.Point) {
	rng := rand.New(rand.NewPCG(seed, uint64(size)<<8|uint64(mode)))
	nx, ny := 1+int(size%5), 1+int(size/5%5)
	s := [3]int{1, 3, 16}[mode%3] // 16 pieces: 64-edge rings with a band index
	jitter := 0.0
	if mode&4 != 0 {
		jitter = 0.25
	}
	const step = 1.0 / 1024 // fine-lattice step in degrees (dyadic: sums stay exact)
	fx, fy := nx*s+1, ny*s+1
	fine := make([]orb.Point, fx*fy)
	for j := range fy {
		for i := range fx {
			x, y := float64(i), float64(j)
			if jitter > 0 {
				x += (rng.Float64()*2 - 1) * jitter
				y += (rng.Float64()*2 - 1) * jitter
			}
			fine[j*fx+i] = orb.Point{118.75 + x*step, 32.0 + y*step}
		}
	}
	at := func(i, j int) orb.Point { return fine[j*fx+i] }
	// skip[c] drops a cell's subdivision points (axis-aligned mode only): T-junctions.
	cellRing := func(ci, cj int, skip bool) orb.Ring {
		var r orb.Ring
		i0, j0 := ci*s, cj*s
		add := func(i, j, k int) {
			if skip && k != 0 {
				return
			}
			r = append(r, at(i, j))
		}
		for k := range s {
			add(i0+k, j0, k)
		}
		for k := range s {
			add(i0+s, j0+k, k)
		}
		for k := range s {
			add(i0+s-k, j0+s, k)
		}
		for k := range s {
			add(i0, j0+s-k, k)
		}
		return append(r, r[0])
	}
	a := Atlas{Datum: GCJ02}
	comm := commA
	merged := map[[2]int]bool{}
	if nx*ny >= 4 {
		merged[[2]int{0, 0}] = true
		merged[[2]int{nx - 1, ny - 1}] = true
	}
	var mp orb.MultiPolygon
	n := 0
	for cj := range ny {
		for ci := range nx {
			skip := jitter == 0 && rng.IntN(3) == 0
			pg := orb.Polygon{cellRing(ci, cj, skip)}
			if rng.IntN(4) == 0 {
				// A hole around the cell's unjittered centre, clear of its jittered sides.
				c := orb.Point{118.75 + (float64(ci*s)+float64(s)/2)*step, 32.0 + (float64(cj*s)+float64(s)/2)*step}
				h := step * float64(s) * 0.1
				hole := orb.Ring{{c[0] - h, c[1] - h}, {c[0] - h, c[1] + h}, {c[0] + h, c[1] + h}, {c[0] + h, c[1] - h}, {c[0] - h, c[1] - h}}
				pg = append(pg, hole)
				rev := orb.Ring{hole[0], hole[3], hole[2], hole[1], hole[0]}
				n++
				a.Grids = append(a.Grids, Grid{Code: fmt.Sprintf("C%03d", n), Community: comm, Kind: Comprehensive, Boundary: orb.Polygon{rev}})
			}
			if merged[[2]int{ci, cj}] {
				mp = append(mp, pg)
				continue
			}
			n++
			a.Grids = append(a.Grids, Grid{Code: fmt.Sprintf("C%03d", n), Community: comm, Kind: Comprehensive, Boundary: pg})
		}
	}
	if len(mp) > 0 {
		a.Grids = append(a.Grids, Grid{Code: "C000", Community: comm, Kind: Comprehensive, Boundary: mp})
	}
	for k := range rng.IntN(4) {
		x0, y0 := rng.IntN(fx-1), rng.IntN(fy-1)
		x1, y1 := x0+1+rng.IntN(fx-1-x0), y0+1+rng.IntN(fy-1-y0)
		p0, p1 := orb.Point{118.75 + float64(x0)*step, 32.0 + float64(y0)*step}, orb.Point{118.75 + float64(x1)*step, 32.0 + float64(y1)*step}
		a.Grids = append(a.Grids, Grid{Code: fmt.Sprintf("E%02d", k), Community: comm, Kind: Exclusive,
			Boundary: orb.Polygon{{p0, {p1[0], p0[1]}, p1, {p0[0], p1[1]}, p0}}})
	}
	// The outline of the whole tiled area.
	var outline orb.Ring
	for i := 0; i < fx-1; i++ {
		outline = append(outline, at(i, 0))
	}
	for j := 0; j < fy-1; j++ {
		outline = append(outline, at(fx-1, j))
	}
	for i := fx - 1; i > 0; i-- {
		outline = append(outline, at(i, fy-1))
	}
	for j := fy - 1; j > 0; j-- {
		outline = append(outline, at(0, j))
	}
	outline = append(outline, outline[0])

	var probes []orb.Point
	probes = append(probes, fine...)
	for j := range fy {
		for i := range fx {
			if i+1 < fx {
				probes = append(probes, orb.Point{(at(i, j)[0] + at(i+1, j)[0]) / 2, (at(i, j)[1] + at(i+1, j)[1]) / 2})
			}
			if j+1 < fy {
				probes = append(probes, orb.Point{(at(i, j)[0] + at(i, j+1)[0]) / 2, (at(i, j)[1] + at(i, j+1)[1]) / 2})
			}
		}
	}
	for _, g := range a.Grids {
		for _, pg := range polygonsOf(g.Boundary) {
			for _, r := range pg {
				probes = append(probes, r...)
			}
		}
	}
	for range 200 {
		probes = append(probes, orb.Point{118.75 + (rng.Float64()*1.2-0.1)*float64(fx)*step, 32.0 + (rng.Float64()*1.2-0.1)*float64(fy)*step})
	}
	return a, orb.Polygon{outline}, probes
}

func polygonsOf(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// checkLayer asserts that the index answers as the brute-force scans, and that the
// comprehensive grids partition the outline: every probe is in exactly one comprehensive
// grid if the outline holds it (same tie-break), else in none.
func checkLayer(t *testing.T, seed uint64, size, mode uint8) {
	a, outline, probes := randomLayer(seed, size, mode)
	ix, err := NewIndex(a, &IndexOptions{})
	if err != nil {
		t.Fatalf("NewIndex: %v", err)
	}
	var of flat = newFlat(1, 0)
	os, err := of.add(outline, GCJ02, GCJ02)
	if err != nil {
		t.Fatalf("outline: %v", err)
	}
	for _, p := range probes {
		// The R-tree path is the fallback when the layer does not suit the cell index.
		viaTree := int32(-1)
		if it := ix.locateTree(p); it >= 0 {
			viaTree = ix.treeGrid[it]
		}
		got, want, wantBox := ix.locate(p), ix.scan(p), ix.scanBounded(p)
		if got != want || got != wantBox || got != viaTree {
			t.Fatalf("seed %d size %d mode %d: locate(%v) = %d, R-tree %d, scan = %d, scanBounded = %d", seed, size, mode, p, got, viaTree, want, wantBox)
		}
		n := 0
		for gi := range ix.grids {
			sh := ix.grids[gi].shape
			in := ix.geo.contains(sh, p)
			if !ix.geo.bound[sh].Contains(p) {
				if in {
					t.Fatalf("grid %s contains %v outside its bounding box", ix.grids[gi].g.Code, p)
				}
				continue
			}
			if ref := containsRef(&ix.geo, sh, p); in != ref {
				t.Fatalf("seed %d size %d mode %d: grid %s contains(%v) = %v, the perturbation reference says %v",
					seed, size, mode, ix.grids[gi].g.Code, p, in, ref)
			}
			if in && ix.grids[gi].g.Kind == Comprehensive {
				n++
			}
		}
		wantN := 0
		if of.contains(os, p) {
			wantN = 1
		}
		if n != wantN {
			t.Fatalf("seed %d size %d mode %d: %v is in %d comprehensive grids, want %d", seed, size, mode, p, n, wantN)
		}
	}
}

func FuzzLocate(f *testing.F) {
	// mode: mode%3 chooses 1, 3 or 16 pieces per cell side, bit 2 turns on jitter.
	// size: nx = 1 + size%5, ny = 1 + size/5%5.
	f.Add(uint64(1), uint8(12), uint8(0))  // 3×3 axis-aligned, unsubdivided: shared edges and four-way vertices on exact coordinates
	f.Add(uint64(2), uint8(24), uint8(1))  // 5×5 axis-aligned, 3 pieces per side with T-junctions where a cell skips them
	f.Add(uint64(3), uint8(12), uint8(2))  // 3×3 axis-aligned, 16 pieces per side: 64-edge rings (band index), many collinear vertices
	f.Add(uint64(4), uint8(12), uint8(4))  // 3×3 jittered: shared slanted edges, vertices where 3–4 cells meet off-axis
	f.Add(uint64(5), uint8(12), uint8(6))  // 3×3 jittered, 16 pieces per side: 64-vertex rings with a band index
	f.Add(uint64(6), uint8(0), uint8(0))   // a single cell: outer edges only, nearest-free
	f.Add(uint64(7), uint8(4), uint8(5))   // 5×1 strip, jittered: long shared east-west run
	f.Add(uint64(8), uint8(20), uint8(0))  // 1×5 column: shared north-south boundaries only
	f.Add(uint64(99), uint8(18), uint8(1)) // 4×4 with holes and the merged multipolygon corner cells
	f.Fuzz(func(t *testing.T, seed uint64, size, mode uint8) {
		checkLayer(t, seed, size, mode)
	})
}

func TestIndex_Nearest_MatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, seed := range []uint64{1, 2, 3} {
		a, _, _ := randomLayer(seed, 12, 5)
		pol := QinhuaiPolicy()
		pol.NearestWithinM = 150
		ix := mustIndex(t, a, &IndexOptions{Policy: &pol})
		for range 500 {
			p := orb.Point{118.75 + (rng.Float64()*2-0.5)*3*(2.0/1024), 32.0 + (rng.Float64()*2-0.5)*3*(2.0/1024)}
			got := ix.Locate(p, GCJ02)
			if got.Status == Inside {
				continue
			}
			// Brute force: every grid's boundary distance.
			kx, ky := localScale(p[1])
			best, bestD2 := int32(-1), pol.NearestWithinM*pol.NearestWithinM
			for gi := range ix.grids {
				d2 := ix.geo.dist2(ix.grids[gi].shape, p, kx, ky, -1)
				if d2 < bestD2 || (d2 == bestD2 && best >= 0 && ix.rank[gi] < ix.rank[best]) {
					best, bestD2 = int32(gi), d2
				}
			}
			want := Assignment{}
			if best >= 0 {
				want = Assignment{Grid: ix.grids[best].g.Code, Status: Nearest, DistanceM: math.Sqrt(bestD2)}
			}
			if got != want {
				t.Fatalf("Locate(%v) = %+v, brute force %+v", p, got, want)
			}
		}
	}
}

// containsRef is the tie-break rule by its definition: the point moved to
// p' = p + (-ε, -ε²), ε = 2^-200, and the plain crossing test for p', which lies on no
// edge and at the height of no vertex. Comparisons of float64 coordinates with p' reduce
// exactly to comparisons with p (a.y > p'.y ⇔ a.y >= p.y; a.x > p'.x ⇔ a.x >= p.x); only
// the orientation of p' against an edge whose x-range holds p.x needs rational
// arithmetic.
func containsRef(f *flat, s int32, p orb.Point) bool {
	eps := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 200))
	rat := func(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }
	px := new(big.Rat).Sub(rat(p[0]), eps)
	py := new(big.Rat).Sub(rat(p[1]), new(big.Rat).Mul(eps, eps))
	for q := f.shape[s]; q < f.shape[s+1]; q++ {
		n := 0
		for r := f.poly[q]; r < f.poly[q+1]; r++ {
			pts := f.ringPts(r)
			for i := 1; i < len(pts); i++ {
				a, b := pts[i-1], pts[i]
				if (a[1] >= p[1]) == (b[1] >= p[1]) {
					continue // both above p' or both below: not crossed
				}
				if a[0] >= p[0] && b[0] >= p[0] {
					n++ // wholly right of p'
					continue
				}
				if a[0] < p[0] && b[0] < p[0] {
					continue // wholly left of p'
				}
				lo, hi := a, b
				if b[1] < a[1] {
					lo, hi = b, a
				}
				// p' strictly left of the upward edge lo→hi: the ray towards +x crosses it.
				dx := new(big.Rat).Sub(rat(hi[0]), rat(lo[0]))
				dy := new(big.Rat).Sub(rat(hi[1]), rat(lo[1]))
				ex := new(big.Rat).Sub(px, rat(lo[0]))
				ey := new(big.Rat).Sub(py, rat(lo[1]))
				det := new(big.Rat).Sub(new(big.Rat).Mul(dx, ey), new(big.Rat).Mul(dy, ex))
				if det.Sign() > 0 {
					n++
				}
			}
		}
		if n&1 == 1 {
			return true
		}
	}
	return false
}
