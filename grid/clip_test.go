package grid

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// m2 is the area in square metres of w×h units at latitude baseLat + midY units, on the
// projection Validate uses.
func m2(w, h, midY float64) float64 {
	kx, ky := localScale(baseLat + midY*unit)
	return w * unit * kx * h * unit * ky
}

func near(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Abs(want) }

func TestIndex_Validate_OverlapHasItsArea(t *testing.T) {
	a := testWorld()
	a.Grids[1].Boundary = rect(1.5, 0, 4, 2) // over A001 by [1.5,2]×[0,2]
	ov := mustValidate(t, mustIndex(t, a, nil)).Of(FindingOverlap)
	require.Len(t, ov, 1)
	if want := m2(0.5, 2, 1); !near(ov[0].AreaM2, want) {
		t.Errorf("overlap area = %.6f m², want %.6f m²", ov[0].AreaM2, want)
	}
	if at := ov[0].At; at[0] <= pt(1.5, 0)[0] || at[0] >= pt(2, 0)[0] || at[1] <= pt(0, 0)[1] || at[1] >= pt(0, 2)[1] {
		t.Errorf("overlap point %v is not inside [1.5,2]×[0,2]", at)
	}
}

// TestIndex_Validate_SharedBorderIsNotOverlap: random layers whose cells share edges
// vertex for vertex, meet in T-junctions, fill each other's holes and carry a
// multipolygon, with the tiled outline as the community: no overlap, no gap, nothing
// outside. (The relation test reported no overlap here either; the real-data test
// below is where it failed.)
func TestIndex_Validate_SharedBorderIsNotOverlap(t *testing.T) {
	for seed := range uint64(12) {
		for _, mode := range []uint8{0, 1, 2, 4, 5, 6} {
			a, outline, _ := randomLayer(seed, uint8(6+seed%19), mode)
			a.Communities = []Community{{ID: commA, Boundary: outline}}
			// The exclusive rectangles ignore the jitter, so they may stick out.
			a.Grids = slices.DeleteFunc(a.Grids, func(g Grid) bool { return g.Kind == Exclusive })
			r := mustValidate(t, mustIndex(t, a, &IndexOptions{Policy: lenientPolicy()}))
			for _, k := range []FindingKind{FindingOverlap, FindingGap, FindingOutsideCommunity} {
				if fs := r.Of(k); len(fs) != 0 {
					t.Fatalf("seed %d mode %d: %s findings on a tiling: %+v", seed, mode, k, fs)
				}
			}
		}
	}
}

// lenientPolicy accepts any code, household count and staffing, so that only geometry
// is reported.
func lenientPolicy() *Policy {
	p := QinhuaiPolicy()
	p.Code = CodeRule{Pattern: `.`}
	p.Households = Band{}
	p.Gaps.MinAreaM2 = 0
	return &p
}

func TestIndex_Validate_GapHasItsArea(t *testing.T) {
	a := testWorld()
	a.Grids[1].Boundary = rect(2, 0, 3.8, 2) // leaves [3.8,4]×[0,2]
	gaps := mustValidate(t, mustIndex(t, a, nil)).Of(FindingGap)
	require.Len(t, gaps, 1)
	if want := m2(0.2, 2, 1.5); !near(gaps[0].AreaM2, want) {
		t.Errorf("gap area = %.6f m², want %.6f m² exactly", gaps[0].AreaM2, want)
	}
}

func TestIndex_Validate_EachGapIsOneFinding(t *testing.T) {
	a := testWorld()
	a.Grids[0].Boundary = orb.Polygon{{pt(0, 0), pt(2, 0), pt(2, 2), pt(0.5, 2), pt(0.5, 1.5), pt(0, 1.5), pt(0, 0)}} // notch [0,0.5]×[1.5,2]
	a.Grids[1].Boundary = rect(2, 0, 3.8, 2)                                                                          // strip [3.8,4]×[0,2]
	gaps := mustValidate(t, mustIndex(t, a, nil)).Of(FindingGap)
	require.Len(t, gaps, 2, "two separate gaps")
	want := []struct {
		area           float64
		x0, y0, x1, y1 float64
	}{{m2(0.5, 0.5, 1.5), 0, 1.5, 0.5, 2}, {m2(0.2, 2, 1.5), 3.8, 0, 4, 2}}
	for _, g := range gaps {
		found := false
		for _, w := range want {
			lo, hi := pt(w.x0, w.y0), pt(w.x1, w.y1)
			if g.At[0] > lo[0] && g.At[0] < hi[0] && g.At[1] > lo[1] && g.At[1] < hi[1] {
				found = true
				if !near(g.AreaM2, w.area) {
					t.Errorf("gap at %v: area %.6f m², want %.6f m²", g.At, g.AreaM2, w.area)
				}
			}
		}
		if !found {
			t.Errorf("gap finding %+v has its point in neither gap", g)
		}
	}
}

func TestIndex_Validate_OutsideHasItsArea(t *testing.T) {
	a := testWorld()
	a.Grids[1].Boundary = rect(2, 0, 4.2, 2)
	out := mustValidate(t, mustIndex(t, a, nil)).Of(FindingOutsideCommunity)
	require.Len(t, out, 1)
	if want := m2(0.2, 2, 1.5); !near(out[0].AreaM2, want) {
		t.Errorf("area outside = %.6f m², want %.6f m²", out[0].AreaM2, want)
	}
}

// TestIndex_Validate_HugeCommunity: the cost of the gap check follows the vertices, not
// the area: a community spanning the globe is checked like a small one, and its gap
// has an area (the lattice refused it as "too fine").
func TestIndex_Validate_HugeCommunity(t *testing.T) {
	a := Atlas{
		Communities: []Community{{ID: commA, Boundary: orb.Polygon{{{-179, -89}, {179, -89}, {179, 89}, {-179, 89}, {-179, -89}}}}},
		Grids: []Grid{{Code: "G1", Community: commA, Kind: Comprehensive,
			Boundary: orb.Polygon{{{-179, -89}, {0, -89}, {0, 89}, {-179, 89}, {-179, -89}}}}},
	}
	r := mustValidate(t, mustIndex(t, a, &IndexOptions{Policy: lenientPolicy()}))
	gaps := r.Of(FindingGap)
	require.Len(t, gaps, 1, "%s", r)
	if !(gaps[0].AreaM2 > 1e13) || gaps[0].At[0] <= 0 {
		t.Errorf("gap %+v: want the eastern half, some 10¹³ m² on the package's projection", gaps[0])
	}
}

// countdown is a context that reports itself cancelled after n calls of Err.
type countdown struct {
	context.Context
	n int
}

func (c *countdown) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

func TestIndex_Validate_Cancel(t *testing.T) {
	ix := mustIndex(t, testWorld(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Validate(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Validate(cancelled) = %v, want context.Canceled", err)
	}
	// Cancelled in the middle: the next check returns, with no report.
	for n := range 8 {
		r, err := ix.Validate(&countdown{Context: context.Background(), n: n})
		if err == nil {
			continue
		}
		if !errors.Is(err, context.Canceled) || len(r.Findings) != 0 {
			t.Errorf("Validate cancelled after %d checks = %v, %v", n, r, err)
		}
	}
	// A long sweep checks the context as it goes.
	a := Atlas{Communities: []Community{{ID: commA, Boundary: orb.Polygon{circle(0, 0, 5, 20000)}}}}
	ix = mustIndex(t, a, &IndexOptions{Policy: lenientPolicy()})
	ctr := &countdown{Context: context.Background(), n: 1 << 30}
	_, err := ix.Validate(ctr)
	require.NoError(t, err)
	calls := 1<<30 - ctr.n
	if calls < 20000/512 {
		t.Errorf("Validate checked the context %d times over 20,000 slabs", calls)
	}
}

// TestIndex_Validate_OverlapSameWithOrWithoutCommunity: overlaps inside a community
// with a boundary are measured by the community's sweep, others pair by pair; both give
// the same findings.
func TestIndex_Validate_OverlapSameWithOrWithoutCommunity(t *testing.T) {
	for seed := range uint64(6) {
		a, outline, _ := randomLayer(seed, uint8(12+seed), 5)
		// Push every third comprehensive cell a little north-east over its neighbours.
		for i := range a.Grids {
			if i%3 == 0 && a.Grids[i].Kind == Comprehensive {
				moved := orb.Clone(a.Grids[i].Boundary)
				for _, pg := range polygonsOf(moved) {
					for _, r := range pg {
						for k := range r {
							r[k][0] += 0.3 / 1024
							r[k][1] += 0.2 / 1024
						}
					}
				}
				a.Grids[i].Boundary = moved
			}
		}
		alone := mustValidate(t, mustIndex(t, a, &IndexOptions{Policy: lenientPolicy()})).Of(FindingOverlap)
		a.Communities = []Community{{ID: commA, Boundary: outline}}
		swept := mustValidate(t, mustIndex(t, a, &IndexOptions{Policy: lenientPolicy()})).Of(FindingOverlap)
		if len(alone) == 0 || len(alone) != len(swept) {
			t.Fatalf("seed %d: %d overlaps pair by pair, %d by the community's sweep", seed, len(alone), len(swept))
		}
		for i := range alone {
			if !slices.Equal(alone[i].Grids, swept[i].Grids) || math.Abs(alone[i].AreaM2-swept[i].AreaM2) > 1e-6*alone[i].AreaM2 {
				t.Errorf("seed %d: pair by pair %v %.6f m², swept %v %.6f m²", seed, alone[i].Grids, alone[i].AreaM2, swept[i].Grids, swept[i].AreaM2)
			}
		}
	}
}

// BenchmarkValidate_CommunitySize: a square community of side km kilometres, tiled by
// four grids but for a 1% strip: the cost does not grow with the area.
func BenchmarkValidate_CommunitySize(b *testing.B) {
	for _, km := range []float64{1, 10, 67} {
		a := sizedCommunity(km)
		ix := mustIndex(b, a, &IndexOptions{Policy: lenientPolicy()})
		b.Run(fmt.Sprintf("side=%gkm", km), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := ix.Validate(context.Background())
				if err != nil || len(r.Of(FindingGap)) != 1 {
					b.Fatalf("%v %v", r, err)
				}
			}
		})
	}
}

func sizedCommunity(km float64) Atlas {
	kx, ky := localScale(baseLat)
	w, h := km*1000/kx, km*1000/ky
	sq := func(x0, y0, x1, y1 float64) orb.Polygon {
		return orb.Polygon{{{baseLon + x0*w, baseLat + y0*h}, {baseLon + x1*w, baseLat + y0*h}, {baseLon + x1*w, baseLat + y1*h}, {baseLon + x0*w, baseLat + y1*h}, {baseLon + x0*w, baseLat + y0*h}}}
	}
	a := Atlas{Communities: []Community{{ID: commA, Boundary: sq(0, 0, 1, 1)}}}
	for i, c := range [][4]float64{{0, 0, 0.5, 0.5}, {0.5, 0, 0.99, 0.5}, {0, 0.5, 0.5, 1}, {0.5, 0.5, 0.99, 1}} {
		a.Grids = append(a.Grids, Grid{Code: fmt.Sprintf("G%d", i), Community: commA, Kind: Comprehensive, Boundary: sq(c[0], c[1], c[2], c[3])})
	}
	return a
}
