package rewards

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/hierarchy"
)

var _ StreetResolver = (*hierarchy.Tree)(nil)

// TestSummarize_StreetsOfQinhuai groups claims by street through the real division
// register: communities roll up to the street above them.
func TestSummarize_StreetsOfQinhuai(t *testing.T) {
	f, err := os.Open("testdata/qinhuai-divisions.csv")
	require.NoError(t, err)
	defer f.Close()
	b, err := hierarchy.LoadDivisionsCSV(f, hierarchy.QinhuaiSchema())
	require.NoError(t, err)
	tree, err := b.Build()
	require.NoError(t, err)

	claim := func(unit string, paid Fen) Claim {
		return Claim{ClaimInput: ClaimInput{Unit: hierarchy.UnitID(unit), ReportedAt: t0}, State: StatePaid, Paid: paid}
	}
	claims := []Claim{
		claim("320104001001", 2000), // a community of 秦虹街道
		claim("320104001002", 1000),
		claim("320104002001", 500), // a community of 夫子庙街道
		claim("320104002", 300),    // reported at the street itself
	}
	st, err := Summarize(claims, nil, StatsQuery{By: []Dimension{ByStreet}, Streets: tree})
	require.NoError(t, err)
	want := []StatsRow{
		{Key: []string{"320104001"}, Reports: 2, Rewarded: 2, Paid: 3000, Net: 3000},
		{Key: []string{"320104002"}, Reports: 2, Rewarded: 2, Paid: 800, Net: 800},
	}
	if diff := cmp.Diff(want, st.Rows); diff != "" {
		t.Errorf("Summarize(by street) mismatch (-want +got):\n%s", diff)
	}
}

// The actors of the tests: grid head "head" presents claims for the workers of
// grid-1, community police officer "officer" of the police station decides and pays,
// the station's director "chief" opens and tops up funds.
var (
	head    = hierarchy.Actor{Person: "head", Post: "head@grid-1"}
	officer = hierarchy.Actor{Person: "officer", Post: "officer@station"}
	chief   = hierarchy.Actor{Person: "chief", Post: "chief@station"}
	// outsider is the officer of another station, whose beat is Z.
	outsider = hierarchy.Actor{Person: "outsider", Post: "outsider@station-2"}
	// leaver was an officer of the station until t0.
	leaver = hierarchy.Actor{Person: "leaver", Post: "leaver@station"}
)

// workerActor is the actor of worker w's grid post.
func workerActor(w string) hierarchy.Actor {
	return hierarchy.Actor{Person: hierarchy.PersonID(w), Post: hierarchy.PostID(w + "@grid-1")}
}

var defaultTree = sync.OnceValue(func() *hierarchy.Tree {
	var workers []string
	for i := range 200 {
		workers = append(workers, fmt.Sprint("w", i), fmt.Sprint("d", i))
	}
	return buildTree([]string{"A", "B", "C", "D", "district-overflow"}, workers)
})

// testTree is a district with one street, one community and grid "grid-1" where
// workers w0 … w199 and d0 … d199 hold grid-worker posts; police station "station" has the
// responsibility areas A, B, C, D and district-overflow, station-2 has Z.
func testTree() *hierarchy.Tree { return defaultTree() }

func buildTree(areas, workers []string) *hierarchy.Tree {
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	b.AddUnit(hierarchy.Unit{ID: "320104", Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict})
	b.AddUnit(hierarchy.Unit{ID: "320104001", Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "320104001001", Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: "320104001"})
	b.AddUnit(hierarchy.Unit{ID: "grid-1", Name: "第一网格", Level: hierarchy.LevelGrid, Parent: "320104001001"})
	b.AddUnit(hierarchy.Unit{ID: "station", Name: "派出所", Kind: hierarchy.KindPoliceStation, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "station-2", Name: "另一派出所", Kind: hierarchy.KindPoliceStation, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "Z", Name: "Z", Kind: hierarchy.KindPoliceBeat, Parent: "station-2"})
	for _, a := range areas {
		b.AddUnit(hierarchy.Unit{ID: hierarchy.UnitID(a), Name: a, Kind: hierarchy.KindPoliceBeat, Parent: "station"})
	}
	post := func(a hierarchy.Actor, unit hierarchy.UnitID, role hierarchy.Role, end time.Time) {
		b.AddPerson(hierarchy.Person{ID: a.Person, Name: string(a.Person)})
		b.AddPost(hierarchy.Post{ID: a.Post, Person: a.Person, Unit: unit, Role: role, End: end})
	}
	post(head, "grid-1", hierarchy.RoleGridHead, time.Time{})
	post(officer, "station", hierarchy.RoleCommunityPolice, time.Time{})
	post(chief, "station", hierarchy.RoleDirector, time.Time{})
	post(outsider, "station-2", hierarchy.RoleCommunityPolice, time.Time{})
	post(leaver, "station", hierarchy.RoleCommunityPolice, t0)
	for _, w := range workers {
		post(workerActor(w), "grid-1", hierarchy.RoleGridWorker, time.Time{})
	}
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	return t
}
