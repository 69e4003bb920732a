package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden outputs under testdata")

const history = "../../policytest/testdata/history/qinhuai.jsonl"

// TestReplay runs gridgov replay on the shipped history: the text and JSON outputs
// of a changed deadline rule are golden files, the exit codes the documented ones.
func TestReplay(t *testing.T) {
	slower := "../../policytest/testdata/replay/slower.yaml"
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{\"world\":{}}\n"+"{\"at\":\"2025-09-30T10:00:00+08:00\",\"as\":\"w\",\"reprt\":{}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		golden string // file under testdata the stdout must equal
		stdout []string
		reason string
	}{
		{"Changed", []string{"replay", "--profile", slower, history}, 1, "replay-slower.golden", nil, "a longer handle limit across the holiday, case by case"},
		{"ChangedJSON", []string{"replay", "--format", "json", "--profile", slower, history}, 1, "replay-slower.json.golden", nil, "JSON for CI"},
		{"Same", []string{"replay", "--profile", "qinhuai", history}, 0, "", []string{"0 difference(s)"}, "the recording rules decide the same"},
		{"Malformed", []string{"replay", "--profile", "qinhuai", bad}, 1, "", []string{bad + ":1:1 world.tree", bad + `:2:`, `unknown field "reprt"`}, "every bad line with its position"},
		{"MalformedJSON", []string{"replay", "--format", "json", "--profile", "qinhuai", bad}, 1, "", []string{`"ok": false`, `"line": 2`}, "JSON errors"},
		{"NoProfile", []string{"replay", history}, 2, "", nil, "--profile is required"},
		{"TwoHistories", []string{"replay", "--profile", "qinhuai", history, history}, 2, "", nil, "one history"},
		{"MissingHistory", []string{"replay", "--profile", "qinhuai", filepath.Join(dir, "none.jsonl")}, 2, "", nil, "an unreadable file"},
		{"MissingProfile", []string{"replay", "--profile", filepath.Join(dir, "none.yaml"), history}, 2, "", nil, "an unreadable profile"},
		{"RecordAndReplay", []string{"test", "--replay", "qinhuai", "--record", filepath.Join(dir, "h.jsonl"), "../../policytest/testdata/*.yaml"}, 2, "", nil, "record under the scenarios' own rules"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(c.args, &out, &errb); code != c.code {
				t.Fatalf("exit %d, want %d (%s)\nstdout:\n%s\nstderr:\n%s", code, c.code, c.reason, out.String(), errb.String())
			}
			for _, s := range c.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q (%s):\n%s", s, c.reason, out.String())
				}
			}
			if c.args[1] == "--format" {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Errorf("not JSON: %v", err)
				}
			}
			if c.golden == "" {
				return
			}
			g := filepath.Join("testdata", c.golden)
			if *update {
				if err := os.WriteFile(g, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(g)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), out.String()); d != "" {
				t.Errorf("stdout mismatch with %s (-want +got):\n%s", g, d)
			}
		})
	}
}

// TestRecordThenReplay records the shipped scenarios with gridgov test --record and
// replays the history it wrote: the same rules find nothing.
func TestRecordThenReplay(t *testing.T) {
	h := filepath.Join(t.TempDir(), "h.jsonl")
	var out, errb bytes.Buffer
	if code := run([]string{"test", "--record", h, "../../policytest/testdata/*.yaml"}, &out, &errb); code != 0 {
		t.Fatalf("test --record: exit %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"replay", "--profile", "qinhuai", h}, &out, &errb); code != 0 || !strings.Contains(out.String(), "0 difference(s)") {
		t.Fatalf("replay of the recorded history: exit %d\n%s%s", code, out.String(), errb.String())
	}
}
