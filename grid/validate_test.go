package grid

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/hierarchy"
)

// brief is the part of a finding the tests pin down exactly.
type brief struct {
	Kind   FindingKind
	Grids  []string
	Person hierarchy.PersonID
	Beats  []string
}

func briefs(r Report) []brief {
	var out []brief
	for _, f := range r.Findings {
		out = append(out, brief{f.Kind, f.Grids, f.Person, f.Beats})
	}
	return out
}

func TestIndex_Validate(t *testing.T) {
	const (
		a001 = "320104002001001"
		a002 = "320104002001002"
		a003 = "320104002001003"
		e101 = "320104002001101"
		b001 = "320104002002001"
	)
	tests := []struct {
		name   string
		edit   func(a *Atlas)
		want   []brief
		reason string
	}{
		{"clean", func(a *Atlas) {}, nil, "the hand-drawn world satisfies every rule"},
		{"code format", func(a *Atlas) { a.Grids[0].Code = "3201040020010011" },
			[]brief{{Kind: FindingCode, Grids: []string{"3201040020010011"}}}, "16 digits"},
		{"code of another community", func(a *Atlas) { a.Grids[0].Code = "320104002002009" },
			[]brief{{Kind: FindingCode, Grids: []string{"320104002002009"}}}, "prefix is community B's"},
		{"overlap", func(a *Atlas) { a.Grids[1].Boundary = rect(1.5, 0, 4, 2) },
			[]brief{{Kind: FindingOverlap, Grids: []string{a001, a002}}}, "A002 pushed west over A001"},
		{"gap", func(a *Atlas) { a.Grids[1].Boundary = rect(2, 0, 3.8, 2) },
			[]brief{{Kind: FindingGap}}, "A002 pulled back from the community's east edge"},
		{"outside community", func(a *Atlas) { a.Grids[1].Boundary = rect(2, 0, 4.2, 2) },
			[]brief{{Kind: FindingOutsideCommunity, Grids: []string{a002}}}, "A002 pushed east past the community"},
		{"entirely outside", func(a *Atlas) {
			a.Grids = append(a.Grids, Grid{Code: "320104002001006", Community: commA, Kind: Comprehensive,
				Boundary: rect(10, 10, 11, 11), Households: 400, Posts: []Post{{Person: "w6", Role: hierarchy.RoleGridWorker}}})
		}, []brief{
			{Kind: FindingOutsideCommunity, Grids: []string{"320104002001006"}},
			{Kind: FindingNoOfficer, Grids: []string{"320104002001006"}},
		}, "a grid far away: outside its community and outside every beat"},
		{"households below", func(a *Atlas) { a.Grids[0].Households = 250 },
			[]brief{{Kind: FindingHouseholds, Grids: []string{a001}}}, "250 < 300"},
		{"households above", func(a *Atlas) { a.Grids[0].Households = 501 },
			[]brief{{Kind: FindingHouseholds, Grids: []string{a001}}}, "501 > 500"},
		{"households of an exclusive grid", func(a *Atlas) { a.Grids[4].Households = 5000 }, nil, "the band applies to comprehensive grids"},
		{"no full-time worker", func(a *Atlas) { a.Grids[1].Posts = []Post{{Person: "p9", Role: hierarchy.RoleGridWorkerPartTime}} },
			[]brief{{Kind: FindingNoFullTimeWorker, Grids: []string{a002}}}, "part-time only"},
		{"worker over load", func(a *Atlas) {
			for i := range 3 {
				a.Grids[i].Posts = append(a.Grids[i].Posts, Post{Person: "w1", Role: hierarchy.RoleGridWorker})
			}
		}, []brief{{Kind: FindingWorkerLoad, Grids: []string{a001, a002, a003}, Person: "w1"}}, "3 grids > 2 and 1,170 households > 1,000"},
		{"vacant beat", func(a *Atlas) { a.Beats[2].Officer = "" },
			[]brief{{Kind: FindingNoOfficer, Grids: []string{b001}, Beats: []string{"J03"}}}, "B001's only beat is vacant"},
		{"no beat", func(a *Atlas) {
			a.Beats = a.Beats[:1:1]
			a.Beats = append(a.Beats, Beat{Code: "J03", Officer: "p", Boundary: rect(4.5, -0.5, 6.5, 3.5)})
		},
			[]brief{{Kind: FindingNoOfficer, Grids: []string{a002}}, {Kind: FindingNoOfficer, Grids: []string{e101}}},
			"J02 removed: A002 and the school lie in no beat; A003 keeps J01's officer"},
		{"no beats at all", func(a *Atlas) { a.Beats = nil }, nil, "without a beat layer the officer rule is not checked"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := testWorld()
			tc.edit(&a)
			r := mustValidate(t, mustIndex(t, a, nil))
			if diff := cmp.Diff(tc.want, briefs(r)); diff != "" {
				t.Errorf("Validate() mismatch (-want +got):\n%s(%s)\n%s", diff, tc.reason, r)
			}
			if r.OK() != (len(tc.want) == 0) {
				t.Errorf("OK() = %v with %d findings", r.OK(), len(r.Findings))
			}
			for _, f := range r.Findings {
				if f.Msg == "" {
					t.Errorf("finding %+v has no message", f)
				}
			}
		})
	}
}

func TestIndex_Validate_GapArea(t *testing.T) {
	a := testWorld()
	a.Grids[1].Boundary = rect(2, 0, 3.8, 2) // leaves [3.8,4]×[0,2]
	r := mustValidate(t, mustIndex(t, a, nil))
	gaps := r.Of(FindingGap)
	if len(gaps) != 1 {
		t.Fatalf("gaps = %v, want one", gaps)
	}
	kx, ky := localScale(baseLat + 0.001)
	want := 0.2 * unit * kx * 2 * unit * ky // ≈ 18.9 m × 222 m
	if got := gaps[0].AreaM2; math.Abs(got-want) > 0.15*want {
		t.Errorf("gap area = %.0f m², want about %.0f m²", got, want)
	}
	if at := gaps[0].At; at[0] < pt(3.8, 0)[0] || at[0] > pt(4, 0)[0] || gaps[0].Community != commA {
		t.Errorf("gap at %v in %s, want inside the strip x∈[3.8,4] of community A", at, gaps[0].Community)
	}
	// A high floor hides it: the floor is policy.
	pol := QinhuaiPolicy()
	pol.Gaps.MinAreaM2 = 10000
	if got := mustValidate(t, mustIndex(t, a, &IndexOptions{Policy: &pol})).Of(FindingGap); len(got) != 0 {
		t.Errorf("gaps under a 10,000 m² floor = %v, want none", got)
	}
}

func TestIndex_Validate_Qinhuai(t *testing.T) {
	// The real district outline (GCJ-02) as a "community", cut into synthetic grids.
	q := qinhuaiBoundary(t)
	a := Atlas{Datum: GCJ02, Communities: []Community{{ID: "320104", Boundary: q}}}
	cells := qinhuaiCells(t, q, 24)
	for i, c := range cells {
		a.Grids = append(a.Grids, Grid{Code: string(rune('A'+i/26)) + string(rune('A'+i%26)), Community: "320104", Kind: Comprehensive,
			Boundary: c, Households: 400, Posts: []Post{{Person: hierarchy.PersonID("w" + string(rune('A'+i/26)) + string(rune('A'+i%26))), Role: hierarchy.RoleGridWorker}}})
	}
	pol := QinhuaiPolicy()
	pol.Code = CodeRule{Pattern: `^[A-Z]{2}$`}
	pol.Gaps.MinAreaM2 = 0
	ix := mustIndex(t, a, &IndexOptions{Policy: &pol})
	r := mustValidate(t, ix)
	// Whole lattice cells inside the district leave the ragged border uncovered: gaps,
	// and no cell crosses the border, so nothing lies outside.
	if len(r.Of(FindingGap)) == 0 {
		t.Errorf("no gap found along the district's border")
	}
	if got := r.Of(FindingOutsideCommunity); len(got) != 0 {
		t.Errorf("cells kept inside the district reported outside: %v", got)
	}
	if got := r.Of(FindingOverlap); len(got) != 0 {
		t.Errorf("lattice cells reported overlapping: %v", got)
	}
	var gapArea, cellArea float64
	for _, f := range r.Of(FindingGap) {
		gapArea += f.AreaM2
	}
	// Shoelace areas on the community's projection (the one its gaps are measured on).
	cb := ix.geo.bound[ix.comms[0].shape]
	lat := (cb.Min[1] + cb.Max[1]) / 2
	area := func(g orb.Geometry) float64 {
		var s float64
		for _, pg := range polygonsOf(g) {
			rings := make([][]orb.Point, len(pg))
			for i, r := range pg {
				rings[i] = r
			}
			s += ringsAreaM2(rings, lat)
		}
		return s
	}
	for _, c := range cells {
		cellArea += area(c)
	}
	total := area(q)
	// Covered + gaps = the district, to rounding: gaps are computed exactly, and every
	// gap is reported with MinAreaM2 = 0.
	if math.Abs(cellArea+gapArea-total) > 1e-9*total {
		t.Errorf("cells %.6f km² + gaps %.6f km² vs district %.6f km²", cellArea/1e6, gapArea/1e6, total/1e6)
	}
}
