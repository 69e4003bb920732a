package grid

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/hierarchy"
)

// nanjingAtlas reads Nanjing's 11 districts (GCJ-02, shared internal borders) as
// comprehensive grids of one pseudo-community without a boundary.
func nanjingAtlas(tb testing.TB) Atlas {
	tb.Helper()
	data, err := os.ReadFile("testdata/nanjing-districts.geojson")
	require.NoError(tb, err)
	cs, err := CommunitiesFromGeoJSON(data)
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
