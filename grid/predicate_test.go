package grid

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// orientRat is the reference: the orientation determinant in exact rational arithmetic.
func orientRat(a, b, c orb.Point) int {
	r := func(f float64) *big.Rat { return new(big.Rat).SetFloat64(f) }
	sub := func(x, y float64) *big.Rat { return new(big.Rat).Sub(r(x), r(y)) }
	l := new(big.Rat).Mul(sub(a[0], c[0]), sub(b[1], c[1]))
	rr := new(big.Rat).Mul(sub(a[1], c[1]), sub(b[0], c[0]))
	return l.Sub(l, rr).Sign()
}

func TestOrient_Exact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	next := func(f float64, k int) float64 {
		for range k {
			f = math.Nextafter(f, math.Inf(1))
		}
		return f
	}
	for i := range 5000 {
		a := orb.Point{118 + rng.Float64(), 32 + rng.Float64()}
		b := orb.Point{118 + rng.Float64(), 32 + rng.Float64()}
		// c on the line a-b up to rounding, then nudged by a few ulps: the hard cases.
		tt := rng.Float64()
		c := orb.Point{a[0] + tt*(b[0]-a[0]), a[1] + tt*(b[1]-a[1])}
		c = orb.Point{next(c[0], rng.IntN(3)), next(c[1], rng.IntN(3))}
		if i%4 == 0 {
			c = orb.Point{118 + rng.Float64(), 32 + rng.Float64()}
		}
		if got, want := sign(orient(a, b, c)), orientRat(a, b, c); got != want {
			t.Fatalf("orient(%v, %v, %v) sign = %d, want %d", a, b, c, got, want)
		}
	}
}

func TestRingCrossings_TieBreak(t *testing.T) {
	// The unit square; a point on its boundary is inside exactly when the point nudged
	// west then south is inside.
	sq := []orb.Point{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	cw := []orb.Point{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}
	tests := []struct {
		p      orb.Point
		want   bool
		reason string
	}{
		{orb.Point{0.5, 0.5}, true, "interior"},
		{orb.Point{2, 0.5}, false, "exterior"},
		{orb.Point{1, 0.5}, true, "east edge: nudged west lands inside"},
		{orb.Point{0, 0.5}, false, "west edge: nudged west lands outside"},
		{orb.Point{0.5, 1}, true, "north edge: nudged south lands inside"},
		{orb.Point{0.5, 0}, false, "south edge: nudged south lands outside"},
		{orb.Point{1, 1}, true, "north-east corner"},
		{orb.Point{0, 1}, false, "north-west corner"},
		{orb.Point{1, 0}, false, "south-east corner"},
		{orb.Point{0, 0}, false, "south-west corner"},
	}
	for _, tc := range tests {
		for _, ring := range [][]orb.Point{sq, cw} {
			if got := ringCrossings(ring, tc.p)&1 == 1; got != tc.want {
				t.Errorf("ringCrossings(%v, %v) odd = %v, want %v (%s)", ring, tc.p, got, tc.want, tc.reason)
			}
		}
	}
	// Slanted edges: the two triangles share the diagonal from (2,0) to (0,2).
	lower := []orb.Point{{0, 0}, {2, 0}, {0, 2}, {0, 0}}
	upper := []orb.Point{{2, 0}, {2, 2}, {0, 2}, {2, 0}}
	slanted := []struct {
		ring   []orb.Point
		p      orb.Point
		want   bool
		reason string
	}{
		{lower, orb.Point{1, 1}, true, "on the diagonal: nudged west lands in the lower-left triangle"},
		{upper, orb.Point{1, 1}, false, "on the diagonal: not in the upper-right triangle"},
		{lower, orb.Point{0, 2}, false, "top vertex: nudged west is outside both"},
		{upper, orb.Point{0, 2}, false, "top vertex: nudged west is outside both"},
		{lower, orb.Point{2, 0}, false, "bottom-right vertex: nudged south is outside both"},
		{upper, orb.Point{2, 0}, false, "bottom-right vertex: nudged south is outside both"},
		{upper, orb.Point{2, 1}, true, "east edge of the upper triangle"},
	}
	for _, tc := range slanted {
		if got := ringCrossings(tc.ring, tc.p)&1 == 1; got != tc.want {
			t.Errorf("ringCrossings(%v, %v) odd = %v, want %v (%s)", tc.ring, tc.p, got, tc.want, tc.reason)
		}
	}
}

func TestProperCross(t *testing.T) {
	tests := []struct {
		a, b, c, d orb.Point
		want       bool
		reason     string
	}{
		{orb.Point{0, 0}, orb.Point{2, 2}, orb.Point{0, 2}, orb.Point{2, 0}, true, "an X"},
		{orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{1, 0}, orb.Point{1, 1}, false, "T: an endpoint on the other segment"},
		{orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{1, 0}, orb.Point{3, 0}, false, "collinear overlap"},
		{orb.Point{0, 0}, orb.Point{1, 1}, orb.Point{1, 1}, orb.Point{2, 0}, false, "shared endpoint"},
		{orb.Point{0, 0}, orb.Point{1, 0}, orb.Point{2, -1}, orb.Point{2, 1}, false, "disjoint"},
	}
	for _, tc := range tests {
		if got := properCross(tc.a, tc.b, tc.c, tc.d); got != tc.want {
			t.Errorf("properCross(%v, %v, %v, %v) = %v, want %v (%s)", tc.a, tc.b, tc.c, tc.d, got, tc.want, tc.reason)
		}
	}
}

func TestRTree_MatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var boxes []orb.Bound
	for range 5000 {
		x, y := rng.Float64()*100, rng.Float64()*100
		boxes = append(boxes, orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64()*3, y + rng.Float64()*3}})
	}
	tr := newRTree(boxes)
	for range 2000 {
		x, y := rng.Float64()*100, rng.Float64()*100
		q := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64(), y + rng.Float64()}}
		want := map[int32]bool{}
		for i, b := range boxes {
			if b.Intersects(q) {
				want[int32(i)] = true
			}
		}
		var c rcursor
		got := map[int32]bool{}
		tr.cursor(&c, q)
		for it := tr.next(&c); it >= 0; it = tr.next(&c) {
			if got[it] {
				t.Fatalf("item %d returned twice", it)
			}
			got[it] = true
		}
		if len(got) != len(want) {
			t.Fatalf("query %v: %d items, want %d", q, len(got), len(want))
		}
		for it := range want {
			if !got[it] {
				t.Fatalf("query %v: item %d missing", q, it)
			}
		}
	}
}
