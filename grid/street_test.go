package grid

import (
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

func qinhuaiTree(tb testing.TB) *hierarchy.Tree {
	tb.Helper()
	f, err := os.Open("testdata/qinhuai-divisions.csv")
	require.NoError(tb, err)
	defer f.Close()
	b, err := hierarchy.LoadDivisionsCSV(f, hierarchy.QinhuaiSchema())
	require.NoError(tb, err)
	tr, err := b.Build()
	require.NoError(tb, err)
	return tr
}

func TestIndex_Street(t *testing.T) {
	tr := qinhuaiTree(t)
	w := testWorld()
	w.Grids = append(w.Grids, Grid{Code: "320199001001001", Community: "320199001001", Kind: Comprehensive, Boundary: rect(20, 20, 21, 21)})
	ix := mustIndex(t, w, nil)
	tests := []struct {
		code   string
		want   hierarchy.UnitID
		err    error
		reason string
	}{
		{"320104002001001", "320104002", nil, "莲子营社区 is under 夫子庙街道"},
		{"320104002002001", "320104002", nil, "东水关社区 too"},
		{"320199001001001", "", gridgov.ErrNotFound, "its community is not in Qinhuai's tree"},
		{"nope", "", gridgov.ErrNotFound, "no such grid"},
	}
	for _, tc := range tests {
		got, err := ix.Street(tr, tc.code)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("Street(%s) = %q, %v, want %q, %v (%s)", tc.code, got, err, tc.want, tc.err, tc.reason)
		}
	}
}
