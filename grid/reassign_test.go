package grid

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gridgov/gridgov/hierarchy"
)

func TestIndex_Reassign(t *testing.T) {
	const (
		a001 = "320104002001001"
		a002 = "320104002001002"
		a003 = "320104002001003"
		a004 = "320104002001004"
		b001 = "320104002002001"
	)
	kx, ky := localScale(baseLat + 0.0015)
	// Centroids: A001 (1,1), A002 (3,1), A003 (2.088…, 2.5) once its hole is taken out,
	// A004 (1.5, 2.5). Distances in metres on the local projection.
	a003x := (4*2 - 0.6*1.5) / 3.4
	d := func(x0, y0, x1, y1 float64) float64 { return math.Hypot((x1-x0)*unit*kx, (y1-y0)*unit*ky) }
	tests := []struct {
		name    string
		edit    func(a *Atlas, p *Policy)
		leaving hierarchy.PersonID
		want    Reassignment
		reason  string
	}{
		{"nearest with room", nil, "w2", Reassignment{Leaving: "w2", Uncovered: []string{a002},
			Proposals: []Cover{{Grid: a002, Person: "w1", DistanceM: d(3, 1, 1, 1)}}, Unresolved: []string{}},
			"w3 already serves two grids (the limit); w5 is in another community"},
		{"grid head is not a worker", nil, "w1", Reassignment{Leaving: "w1", Uncovered: []string{a001},
			Proposals: []Cover{{Grid: a001, Person: "w2", DistanceM: d(1, 1, 3, 1)}}, Unresolved: []string{}},
			"A001 keeps its grid head h1, but no full-time worker"},
		{"two grids in code order", nil, "w3", Reassignment{Leaving: "w3", Uncovered: []string{a003, a004},
			Proposals: []Cover{
				{Grid: a003, Person: "w2", DistanceM: d(a003x, 2.5, 3, 1)},
				{Grid: a004, Person: "w1", DistanceM: d(1.5, 2.5, 1, 1)},
			}, Unresolved: []string{}},
			"A003 goes to the nearer w2, who is then full, so A004 goes to w1"},
		{"nobody in the community", nil, "w5", Reassignment{Leaving: "w5", Uncovered: []string{b001},
			Proposals: []Cover{}, Unresolved: []string{b001}}, "w5 is community B's only worker"},
		{"household cap", func(a *Atlas, p *Policy) { p.Load.MaxHouseholds = 700 }, "w2",
			Reassignment{Leaving: "w2", Uncovered: []string{a002}, Proposals: []Cover{}, Unresolved: []string{a002}},
			"w1 would reach 820 households"},
		{"no grid limit", func(a *Atlas, p *Policy) { p.Load = WorkerLoad{} }, "w2",
			Reassignment{Leaving: "w2", Uncovered: []string{a002}, Proposals: []Cover{{Grid: a002, Person: "w3", DistanceM: d(a003x, 2.5, 3, 1)}}, Unresolved: []string{}},
			"w3 may now take a third grid, and A003's centroid is a hair nearer A002 (187.6 m) than A001's (188.6 m)"},
		{"still covered", func(a *Atlas, p *Policy) {
			a.Grids[1].Posts = append(a.Grids[1].Posts, Post{Person: "w9", Role: hierarchy.RoleGridWorker})
		}, "w2", Reassignment{Leaving: "w2", Uncovered: []string{}, Proposals: []Cover{}, Unresolved: []string{}}, "A002 has a second worker"},
		{"unknown person", nil, "nobody", Reassignment{Leaving: "nobody", Uncovered: []string{}, Proposals: []Cover{}, Unresolved: []string{}}, "serves nothing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, p := testWorld(), QinhuaiPolicy()
			if tc.edit != nil {
				tc.edit(&a, &p)
			}
			got := mustIndex(t, a, &IndexOptions{Policy: &p}).Reassign(tc.leaving)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateApprox(0, 0.5)); diff != "" {
				t.Errorf("Reassign(%s) mismatch (-want +got):\n%s(%s)", tc.leaving, diff, tc.reason)
			}
		})
	}
}
