package grid

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestQEdge_MatchesExact checks the quantized filter against the exact edge test: on
// random edges, and on edges through the probe's own coordinates (where the filter must
// give up), every decided answer is the exact one, and random edges are decided almost
// always.
func TestQEdge_MatchesExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	c := cells{minX: 118.75, minY: 32.0, cellW: 0.0003, cellH: 0.00025}
	c.invW, c.invH = 1/c.cellW, 1/c.cellH
	c.qinvX, c.qinvY = c.invW*qCell, c.invH*qCell
	x0, y0 := c.minX+7*c.cellW, c.minY+5*c.cellH
	R := x0 + c.cellW*(1+1.0/(1<<16))
	decided, total, random := 0, 0, 0
	for k := range 200000 {
		p := orb.Point{x0 + rng.Float64()*c.cellW, y0 + rng.Float64()*c.cellH}
		pick := func() orb.Point {
			q := orb.Point{x0 + (rng.Float64()*4-1.5)*c.cellW, y0 + (rng.Float64()*4-1.5)*c.cellH}
			switch k % 4 {
			case 1: // on the probe's lines, or a hair off them
				d := []float64{0, 1e-13, -1e-13, 1e-9}[rng.IntN(4)]
				switch rng.IntN(3) {
				case 0:
					q[0] = p[0] + d
				case 1:
					q[1] = p[1] + d
				default:
					q[0] = R + d
				}
			case 2: // through p, or nearly
				if rng.IntN(2) == 0 {
					q = p
				}
			}
			return q
		}
		a, z := pick(), pick()
		if k%4 == 3 { // the edge's line through p: collinear within rounding
			z = orb.Point{2*p[0] - a[0], 2*p[1] - a[1]}
		}
		blob := c.appendRun(nil, []orb.Point{a, z}, 0, x0, y0)
		if blob[1]>>16 != 0 {
			continue
		}
		q := [3]float64{c.qx(p[0], x0), c.qy(p[1], y0), c.qx(R, x0)}
		qa, qz := blob[2], blob[3]
		n, ok := qEdge(float64(int16(uint16(qa))), float64(int16(uint16(qa>>16))), float64(int16(uint16(qz))), float64(int16(uint16(qz>>16))), &q)
		want := legEdge(a, z, p, R)
		total++
		if k%4 == 0 {
			random++
		}
		if !ok {
			continue
		}
		if k%4 == 0 {
			decided++
		}
		if n != want {
			t.Fatalf("edge %v-%v, p %v, R %v: quantized %d, exact %d", a, z, p, R, n, want)
		}
	}
	if total < 150000 || float64(decided) < 0.99*float64(random) {
		t.Fatalf("%d edges tested, %d of %d random ones decided", total, decided, random)
	}
	// A vertex beyond the int16 range makes the run exact.
	blob := c.appendRun(nil, []orb.Point{{x0, y0}, {x0 + 9*c.cellW, y0}}, 5, x0, y0)
	if len(blob) != 2 || blob[0] != 5 || blob[1] != 1|1<<16 {
		t.Fatalf("far run: %v, want exact with no vertices", blob)
	}
	if math.Round(c.qx(x0+c.cellW, x0)) != qCell {
		t.Fatalf("a cell is %v quanta wide, want %d", c.qx(x0+c.cellW, x0), qCell)
	}
}
