package rewards

import (
	"os"
	"testing"

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
