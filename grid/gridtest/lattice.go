// Package gridtest builds synthetic grid layers for tests, benchmarks and demonstrations
// of package grid: a district-sized lattice of comprehensive grids (综合网格) with wobbly
// many-vertex boundaries that neighbours share exactly, grouped into communities, overlaid
// by police beats (警格), with exclusive grids (专属网格), buildings and workers.
package gridtest

import (
	"fmt"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
)

// LatticeOptions shapes [Lattice]. A nil *LatticeOptions means every default.
type LatticeOptions struct {
	// Cols and Rows of comprehensive grids; default 38×27 (1,026 grids, Qinhuai's count).
	Cols, Rows int
	// Sides is the number of pieces each cell side is cut into, so a grid has 4×Sides
	// vertices; default 16 (64 vertices).
	Sides int
	// Origin is the south-west corner; default (118.76, 31.98), Qinhuai, in GCJ-02.
	Origin orb.Point
	// Cell is the cell size in degrees; default 0.0022 (about 210 m × 245 m).
	Cell float64
	// Jitter moves every vertex by up to this fraction of a side piece; default 0.2.
	// Neighbours share the moved vertices exactly.
	Jitter float64
	// Seed drives the jitter.
	Seed uint64
	// CommunityCols and CommunityRows group cells into communities; default 3×3.
	CommunityCols, CommunityRows int
	// BeatCols and BeatRows group cells into police beats; default 3×2.
	BeatCols, BeatRows int
	// NoBeats leaves the beat layer out.
	NoBeats bool
	// Exclusive is the number of exclusive grids (schools), spread evenly over the cells,
	// each a square in the middle of its cell; default 0.
	Exclusive int
	// Buildings per comprehensive grid, each with an address "<road>路<n>号<k>栋";
	// default 0.
	Buildings int
}

// Lattice returns a synthetic atlas in GCJ-02: Cols×Rows comprehensive grids, each
// served by one full-time worker with 400 households, grouped into communities whose
// boundaries are the outlines of their cells, and police beats likewise. Grid codes
// follow Qinhuai's default rule (community code + 3-digit sequence).
func Lattice(opts *LatticeOptions) grid.Atlas {
	o := withDefaults(opts)
	l := lattice{o: o, step: o.Cell / float64(o.Sides)}
	a := grid.Atlas{Datum: grid.GCJ02}

	ccols := (o.Cols + o.CommunityCols - 1) / o.CommunityCols
	crows := (o.Rows + o.CommunityRows - 1) / o.CommunityRows
	commID := func(ci, cj int) hierarchy.UnitID {
		k := cj*ccols + ci
		return hierarchy.UnitID(fmt.Sprintf("320104%03d%03d", 1+k/100, 1+k%100))
	}
	for cj := range crows {
		for ci := range ccols {
			i0, j0 := ci*o.CommunityCols, cj*o.CommunityRows
			i1, j1 := min(i0+o.CommunityCols, o.Cols), min(j0+o.CommunityRows, o.Rows)
			a.Communities = append(a.Communities, grid.Community{ID: commID(ci, cj), Boundary: orb.Polygon{l.block(i0, j0, i1, j1)}})
		}
	}
	if !o.NoBeats {
		bcols := (o.Cols + o.BeatCols - 1) / o.BeatCols
		brows := (o.Rows + o.BeatRows - 1) / o.BeatRows
		for bj := range brows {
			for bi := range bcols {
				i0, j0 := bi*o.BeatCols, bj*o.BeatRows
				i1, j1 := min(i0+o.BeatCols, o.Cols), min(j0+o.BeatRows, o.Rows)
				k := bj*bcols + bi
				a.Beats = append(a.Beats, grid.Beat{Code: fmt.Sprintf("JW%04d", k+1), Station: "320104-PS",
					Officer: hierarchy.PersonID(fmt.Sprintf("police-%04d", k+1)), Boundary: orb.Polygon{l.block(i0, j0, i1, j1)}})
			}
		}
	}
	seq := map[hierarchy.UnitID]int{}
	cell := 0
	for j := range o.Rows {
		for i := range o.Cols {
			comm := commID(i/o.CommunityCols, j/o.CommunityRows)
			seq[comm]++
			code := fmt.Sprintf("%s%03d", comm, seq[comm])
			g := grid.Grid{Code: code, Community: comm, Kind: grid.Comprehensive, Boundary: orb.Polygon{l.block(i, j, i+1, j+1)},
				Households: 400, Posts: []grid.Post{{Person: hierarchy.PersonID("w" + code), Role: hierarchy.RoleGridWorker}}}
			for k := range o.Buildings {
				id := fmt.Sprintf("%s-b%02d", code, k+1)
				g.Buildings = append(g.Buildings, id)
				a.Buildings = append(a.Buildings, grid.Building{ID: id, Households: 400 / o.Buildings,
					Address: Address(cell, k)})
			}
			a.Grids = append(a.Grids, g)
			n := o.Cols * o.Rows
			cell++
			if (cell*o.Exclusive)/n > ((cell-1)*o.Exclusive)/n {
				seq[comm]++
				c := l.at(i*o.Sides+o.Sides/2, j*o.Sides+o.Sides/2)
				h := o.Cell * 0.15
				a.Grids = append(a.Grids, grid.Grid{Code: fmt.Sprintf("%s%03d", comm, seq[comm]), Community: comm,
					Kind: grid.Exclusive, Subkind: grid.School,
					Boundary: orb.Polygon{{{c[0] - h, c[1] - h}, {c[0] + h, c[1] - h}, {c[0] + h, c[1] + h}, {c[0] - h, c[1] + h}, {c[0] - h, c[1] - h}}}})
			}
		}
	}
	return a
}

// Address is the registered address of building k (from 0) of comprehensive grid
// number cell (from 0, row by row), e.g. "秦淮路12弄5号3栋": unique across the lattice.
func Address(cell, k int) string {
	return fmt.Sprintf("秦淮路%d弄%d号%d栋", cell/10, 1+2*(cell%10), k+1)
}

// Bound returns the extent of the cells of a lattice built with opts (before jitter).
func Bound(opts *LatticeOptions) orb.Bound {
	o := withDefaults(opts)
	return orb.Bound{Min: o.Origin, Max: orb.Point{o.Origin[0] + float64(o.Cols)*o.Cell, o.Origin[1] + float64(o.Rows)*o.Cell}}
}

func withDefaults(opts *LatticeOptions) LatticeOptions {
	o := LatticeOptions{}
	if opts != nil {
		o = *opts
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Cols, 38)
	def(&o.Rows, 27)
	def(&o.Sides, 16)
	def(&o.CommunityCols, 3)
	def(&o.CommunityRows, 3)
	def(&o.BeatCols, 3)
	def(&o.BeatRows, 2)
	if o.Origin == (orb.Point{}) {
		o.Origin = orb.Point{118.76, 31.98}
	}
	if o.Cell <= 0 {
		o.Cell = 0.0022
	}
	if o.Jitter == 0 {
		o.Jitter = 0.2
	}
	return o
}

// Points returns n random points over b, reproducibly from seed.
func Points(b orb.Bound, n int, seed uint64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	out := make([]orb.Point, n)
	for i := range out {
		out[i] = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
	}
	return out
}

type lattice struct {
	o    LatticeOptions
	step float64
}

// at is fine-lattice point (I, J), jittered by a hash of (I, J, seed): every polygon
// that uses the point gets the same float64 values.
func (l lattice) at(i, j int) orb.Point {
	x := float64(i)
	y := float64(j)
	if l.o.Jitter > 0 {
		h := splitmix(uint64(i)*0x100000001b3 ^ uint64(j)*0x9e3779b97f4a7c15 ^ l.o.Seed)
		jx := float64(h>>11)/float64(1<<53)*2 - 1
		jy := float64(splitmix(h)>>11)/float64(1<<53)*2 - 1
		x += jx * l.o.Jitter
		y += jy * l.o.Jitter
	}
	return orb.Point{l.o.Origin[0] + x*l.step, l.o.Origin[1] + y*l.step}
}

// block is the closed, counter-clockwise outline of cells [i0,i1)×[j0,j1) through the
// fine lattice.
func (l lattice) block(i0, j0, i1, j1 int) orb.Ring {
	s := l.o.Sides
	var r orb.Ring
	for i := i0 * s; i < i1*s; i++ {
		r = append(r, l.at(i, j0*s))
	}
	for j := j0 * s; j < j1*s; j++ {
		r = append(r, l.at(i1*s, j))
	}
	for i := i1 * s; i > i0*s; i-- {
		r = append(r, l.at(i, j1*s))
	}
	for j := j1 * s; j > j0*s; j-- {
		r = append(r, l.at(i0*s, j))
	}
	return append(r, r[0])
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
