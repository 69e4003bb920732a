package policytest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/policytest"
)

// A grid layer the grid package refuses stops the run with an error naming the file
// and the feature; a point with no layer to locate it in, a datum that is none, a
// report with both a unit and a point are errors too, never a silent pass.
func TestCheck_GridsRefused(t *testing.T) {
	dir := t.TempDir()
	reg, err := os.ReadFile("testdata/qinhuai-divisions.csv")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, src string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("r.csv", string(reg))
	// An open ring: the first position is not the last.
	write("open.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"320104002005001","properties":{"community":"320104002005","kind":"comprehensive"},"geometry":{"type":"Polygon","coordinates":[[[118.78,32.01],[118.80,32.01],[118.80,32.03],[118.78,32.03]]]}}]}`)
	const steps = "scenarios:\n  - name: s\n    when:\n      - at: 2025-09-22T09:00+08:00\n        as: wang\n        report: %s\n        then: {state: reported}\n"
	posts := "  posts:\n    - {person: wang, unit: \"320104002005\", role: grid-worker}\n"
	for _, c := range []struct {
		name, given, report, want, reason string
	}{
		{"OpenRing", "given:\n  tree: r.csv\n  grids: open.geojson\n" + posts, "{id: C, source: grid-patrol, category: E05, point: {lon: 118.79, lat: 32.02}}",
			"given.grids", "the grid package's geometry rules refuse an open ring"},
		{"NoLayer", "given:\n  tree: r.csv\n" + posts, "{id: C, source: grid-patrol, category: E05, point: {lon: 118.79, lat: 32.02}}",
			"gives no grids to locate it in", "a point needs a layer"},
		{"BadDatum", "given:\n  tree: r.csv\n  grids: " + filepath.Join(mustAbs(t, "testdata"), "qinhuai-grids.geojson") + "\n  grids_datum: utm\n" + posts,
			"{id: C, source: grid-patrol, category: E05, point: {lon: 118.79, lat: 32.02}}", `datum "utm"`, "a datum the grid package does not know"},
		{"UnitAndPoint", "given:\n  tree: r.csv\n" + posts, "{id: C, source: grid-patrol, category: E05, unit: \"320104002005\", point: {lon: 118.79, lat: 32.02}}",
			"a unit or a point to locate, not both", "two locations that may disagree"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := write(c.name+".yaml", c.given+strings.Replace(steps, "%s", c.report, 1))
			_, err := policytest.Check([]string{f})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Check = %v, want an error containing %q (%s)", err, c.want, c.reason)
			}
		})
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
