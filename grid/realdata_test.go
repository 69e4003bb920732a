package grid

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/hierarchy"
)

// lishui is the one Nanjing district whose boundary is invalid: a ring of its
// quantised outline crosses itself (see TestGeometry_RealData_SelfIntersection).
const lishui = "320117"

// nanjingData returns Nanjing's districts as a FeatureCollection, without the features
// whose ids are in drop.
func nanjingData(tb testing.TB, drop ...string) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/nanjing-districts.geojson")
	require.NoError(tb, err)
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	require.NoError(tb, json.Unmarshal(data, &fc))
	kept := fc.Features[:0]
	for _, f := range fc.Features {
		var id struct{ ID string }
		require.NoError(tb, json.Unmarshal(f, &id))
		if !slices.Contains(drop, id.ID) {
			kept = append(kept, f)
		}
	}
	fc.Features = kept
	out, err := json.Marshal(fc)
	require.NoError(tb, err)
	return out
}

// nanjingAtlas reads Nanjing's districts but Lishui (GCJ-02, shared internal borders)
// as comprehensive grids of one pseudo-community without a boundary.
func nanjingAtlas(tb testing.TB) Atlas {
	tb.Helper()
	cs, err := CommunitiesFromGeoJSON(nanjingData(tb, lishui))
	require.NoError(tb, err)
	a := Atlas{Datum: GCJ02}
	for _, c := range cs {
		a.Grids = append(a.Grids, Grid{Code: string(c.ID), Name: c.Name, Community: "3201", Kind: Comprehensive,
			Boundary: c.Boundary, Households: 400, Posts: []Post{{Person: hierarchy.PersonID("w" + c.ID), Role: hierarchy.RoleGridWorker}}})
	}
	return a
}

func nanjingPolicy() *Policy {
	pol := QinhuaiPolicy()
	pol.Code = CodeRule{Pattern: `^[0-9]{6}$`}
	return &pol
}

func mustValidate(tb testing.TB, ix *Index) Report {
	tb.Helper()
	r, err := ix.Validate(context.Background())
	require.NoError(tb, err)
	return r
}

// TestIndex_Validate_Nanjing_SharedBordersAreNotOverlaps: Nanjing's districts share
// their borders (quantised to 1/1024°, with spikes and self-touching vertices along
// them); none of the pairs is an overlap. The relation test reported 7 of them.
func TestIndex_Validate_Nanjing_SharedBordersAreNotOverlaps(t *testing.T) {
	ix := mustIndex(t, nanjingAtlas(t), &IndexOptions{Policy: nanjingPolicy()})
	if fs := mustValidate(t, ix).Of(FindingOverlap); len(fs) != 0 {
		t.Errorf("adjacent districts reported as overlapping:\n%s", Report{Findings: fs})
	}
}

// TestIndex_Validate_Nanjing_ShiftedDistrictOverlaps: Qinhuai moved 0.003° (about 280
// m) east overlaps its eastern neighbours; each overlap is reported with its area, which
// a lattice count of points in both districts (25 m spacing) confirms, and no pair the
// lattice sees overlapping is missed.
func TestIndex_Validate_Nanjing_ShiftedDistrictOverlaps(t *testing.T) {
	const qinhuai, shift = "320104", 0.003
	a := nanjingAtlas(t)
	for i, g := range a.Grids {
		if g.Code == qinhuai {
			moved := orb.Clone(g.Boundary)
			for _, pg := range polygonsOf(moved) {
				for _, r := range pg {
					for k := range r {
						r[k][0] += shift
					}
				}
			}
			a.Grids[i].Boundary = moved
		}
	}
	ix := mustIndex(t, a, &IndexOptions{Policy: nanjingPolicy()})
	got := map[string]Finding{}
	for _, f := range mustValidate(t, ix).Of(FindingOverlap) {
		if !slices.Contains(f.Grids, qinhuai) {
			t.Errorf("overlap without the shifted district: %+v", f)
			continue
		}
		other := f.Grids[0]
		if other == qinhuai {
			other = f.Grids[1]
		}
		got[other] = f
	}
	if len(got) == 0 {
		t.Fatal("the shifted district overlaps nothing")
	}
	q := ix.grids[ix.byCode[qinhuai]].shape
	const step = 25.0 // metres
	for gi := range ix.grids {
		g := &ix.grids[gi]
		if g.g.Code == qinhuai {
			continue
		}
		bq, bg := ix.geo.bound[q], ix.geo.bound[g.shape]
		b := orb.Bound{Min: orb.Point{max(bq.Min[0], bg.Min[0]), max(bq.Min[1], bg.Min[1])},
			Max: orb.Point{min(bq.Max[0], bg.Max[0]), min(bq.Max[1], bg.Max[1])}}
		est := 0.0
		if b.Max[0] > b.Min[0] && b.Max[1] > b.Min[1] {
			kx, ky := localScale((b.Min[1] + b.Max[1]) / 2)
			for y := b.Min[1] + step/ky/2; y < b.Max[1]; y += step / ky {
				for x := b.Min[0] + step/kx/2; x < b.Max[0]; x += step / kx {
					p := orb.Point{x, y}
					if ix.geo.contains(q, p) && ix.geo.contains(g.shape, p) {
						est += step * step
					}
				}
			}
		}
		f, reported := got[g.g.Code]
		slack := 40 * step * step
		switch {
		case reported && math.Abs(f.AreaM2-est) > 0.05*f.AreaM2+slack:
			t.Errorf("%s: overlap %.0f m², lattice estimate %.0f m²", g.g.Code, f.AreaM2, est)
		case reported && !(ix.geo.contains(q, f.At) && ix.geo.contains(g.shape, f.At)):
			t.Errorf("%s: overlap point %v is not in both districts", g.g.Code, f.At)
		case !reported && est > slack:
			t.Errorf("%s: no overlap reported, lattice estimate %.0f m²", g.g.Code, est)
		}
		if reported {
			t.Logf("%s %s: %.0f m² (lattice %.0f m²)", g.g.Code, g.g.Name, f.AreaM2, est)
		}
	}
}

// BenchmarkValidate_Nanjing is Validate over Nanjing's ten valid districts (10,000
// vertices, 2,000–6,500 per ring for the large ones, shared borders).
func BenchmarkValidate_Nanjing(b *testing.B) {
	ix := mustIndex(b, nanjingAtlas(b), &IndexOptions{Policy: nanjingPolicy()})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.Validate(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewIndex_Nanjing is building the index of the ten districts, boundary checks
// included.
func BenchmarkNewIndex_Nanjing(b *testing.B) {
	a := nanjingAtlas(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewIndex(a, &IndexOptions{Policy: nanjingPolicy()}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate_QinhuaiGaps is Validate of Qinhuai's real outline as one community
// with the 24×24 lattice cells wholly inside it as grids: the gap check along a
// boundary of 290 vertices, a 37 km² community.
func BenchmarkValidate_QinhuaiGaps(b *testing.B) {
	q := qinhuaiBoundary(b)
	a := Atlas{Datum: GCJ02, Communities: []Community{{ID: "320104", Boundary: q}}}
	for i, c := range qinhuaiCells(b, q, 24) {
		code := string(rune('A'+i/26)) + string(rune('A'+i%26))
		a.Grids = append(a.Grids, Grid{Code: code, Community: "320104", Kind: Comprehensive, Boundary: c})
	}
	ix := mustIndex(b, a, &IndexOptions{Policy: lenientPolicy()})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.Validate(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
