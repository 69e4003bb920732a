// Command gridgov checks and compares district profiles (see package
// [github.com/gridgov/gridgov/profile]).
//
// Usage:
//
//	gridgov check [--format text|json] PROFILE...
//	gridgov diff  [--format text|json] OLD NEW
//	gridgov test  [--format text|json] [--coverage] [--min-coverage PCT] [--replay PROFILE | --record HISTORY] SCENARIOS...
//	gridgov replay [--format text|json] --profile PROFILE HISTORY
//
// check loads each profile with every file it extends and prints every problem at once,
// each as "file:line:col path: message" followed by the source line. diff prints the
// rules two profiles set differently, each side with the file and line that set it. A
// PROFILE is a file (district.yaml, district.json) or the name of a shipped profile
// (qinhuai, rural-county, national).
//
// test runs policy scenario files (see package
// [github.com/gridgov/gridgov/policytest]) outside go test: SCENARIOS are files or
// glob patterns (quoted, "scenarios/*.yaml"), a pattern matching nothing being a usage
// error. Each failed expectation prints as "file:line:col scenario "…" step N
// (action by post): kind expected=… got=…", then a summary of passes per kind;
// --coverage adds which role rules, deadline rows and refusal rules the scenarios
// exercised, and --min-coverage PCT fails the run when less than PCT percent of the
// role rules and deadline rows were used. --replay PROFILE runs the scenarios again
// under another profile and prints, instead, each step's deadline, level, state,
// refusal, escalations, amount or grade that profile decides differently, as
// "file:line scenario "…" step N (action): kind old → new" (exit 1 when anything
// differs; JSON {"differences":[{"file","line","scenario","step","action","kind","old","new"}]}).
// --record HISTORY writes, besides, the history of every scenario's commands and the
// decisions its profile made (history.jsonl, see [policytest.HistoryCommand]), with
// paths relative to the history's directory.
//
// replay reruns a recorded history (from gridgov test --record, or exported from a
// running system's store) under the changed profile --profile and prints, case by
// case, each deadline, escalation count, level, state, owner, refusal, amount or grade
// it decides differently from the history's record, as "case C1 (run "…"):" followed
// by "history.jsonl:12 dispatch: deadline old → new" lines and a count. A history that
// is malformed (a bad line, an unknown field, text that is not UTF-8, a time going
// back) prints every problem with its line and replays nothing. JSON
// {"ok":…,"differences":[{"file","line","scenario","step","action","case","kind","old","new"}],
// "errors":[{"file","line","col","path","msg"}]}.
//
// Exit codes:
//
//	0  every profile is valid (check), the profiles hold the same rules (diff),
//	   every expectation held and coverage reached --min-coverage (test), or the
//	   changed profile decides every command of the history as recorded (replay)
//	1  findings: a profile has problems (check) or the rules differ (diff); with diff,
//	   a profile that does not load is also reported with exit code 1; with test, a
//	   failed expectation, a scenario file with problems (each with its position), or
//	   coverage below --min-coverage; with replay, any difference, a malformed
//	   history or one that cannot be replayed (a register changed since recording)
//	2  usage error, or a file that cannot be read (or, with --record, written)
//
// --format json writes one JSON document to standard output for CI: for check
// {"profiles":[{"file":…,"ok":…,"errors":[{"file","line","col","path","msg","rule"}]}]},
// for diff {"changes":[{"path","old","old_file","old_line","new","new_file","new_line"}]},
// for test {"ok":…,"report":{"files","scenarios","steps","passes":{kind:n},"failures":[{"file",
// "line","col","scenario","step","action","as","kind","expected","got","detail"}],"coverage":{…}},
// "errors":[{"file","line","col","path","msg"}]}.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage:
  gridgov check [--format text|json] PROFILE...
  gridgov diff  [--format text|json] OLD NEW
  gridgov test  [--format text|json] [--coverage] [--min-coverage PCT] [--replay PROFILE | --record HISTORY] SCENARIOS...
  gridgov replay [--format text|json] --profile PROFILE HISTORY
`

// run is the command with its arguments and outputs, so that tests run it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet("gridgov "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or json")
	var coverage *bool
	var minCoverage *float64
	var replay, record, changed *string
	if cmd == "replay" {
		changed = fs.String("profile", "", "the changed profile to replay the history under (a file or a shipped profile)")
	}
	if cmd == "test" {
		record = fs.String("record", "", "write the history of the scenarios' commands and decisions to this file (history.jsonl)")
		coverage = fs.Bool("coverage", false, "print which rules the scenarios exercised")
		minCoverage = fs.Float64("min-coverage", 0, "fail when fewer than this percent of role rules and deadline rows were used")
		replay = fs.String("replay", "", "a changed profile to replay the scenarios under")
	}
	if err := fs.Parse(rest); err != nil {
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "gridgov: --format must be text or json, got %q\n", *format)
		return exitUsage
	}
	switch cmd {
	case "check":
		if fs.NArg() == 0 {
			fmt.Fprint(stderr, usage)
			return exitUsage
		}
		return check(fs.Args(), *format == "json", stdout, stderr)
	case "diff":
		if fs.NArg() != 2 {
			fmt.Fprint(stderr, usage)
			return exitUsage
		}
		return diff(fs.Arg(0), fs.Arg(1), *format == "json", stdout, stderr)
	case "test":
		if fs.NArg() == 0 {
			fmt.Fprint(stderr, usage)
			return exitUsage
		}
		if *minCoverage < 0 || *minCoverage > 100 {
			fmt.Fprintf(stderr, "gridgov: --min-coverage must be within 0–100, got %v\n", *minCoverage)
			return exitUsage
		}
		if *replay != "" && *record != "" {
			fmt.Fprintln(stderr, "gridgov: --replay and --record do not go together: record under the scenarios' own profiles, then gridgov replay")
			return exitUsage
		}
		if *replay != "" {
			return replayCmd(*replay, fs.Args(), *format == "json", stdout, stderr)
		}
		return test(fs.Args(), *format == "json", *coverage, *minCoverage, *record, stdout, stderr)
	case "replay":
		if fs.NArg() != 1 || *changed == "" {
			fmt.Fprint(stderr, usage)
			return exitUsage
		}
		return replayHistory(*changed, fs.Arg(0), *format == "json", stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "gridgov: unknown command %q\n%s", cmd, usage)
	return exitUsage
}

// load reads a profile file, or a shipped profile by name. A file that cannot be read
// is a usage error (exit 2), not a finding.
// loadProfile loads the profile a command works on, or says why not on stderr and
// returns nil with the exit code: usage for a file that cannot be read, findings for
// one that does not load.
func loadProfile(arg string, stderr io.Writer) (*profile.Profile, int) {
	p, err, readable := load(arg)
	if !readable {
		fmt.Fprintf(stderr, "gridgov: %v\n", err)
		return nil, exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\ngridgov: %s does not load; run gridgov check\n", err, arg)
		return nil, exitFindings
	}
	return p, exitOK
}

func load(arg string) (*profile.Profile, error, bool) {
	if slices.Contains(profile.Embedded(), arg) {
		if _, err := os.Stat(arg); err != nil {
			p, err := profile.LoadEmbedded(arg)
			return p, err, true
		}
	}
	if _, err := os.Stat(arg); err != nil {
		return nil, err, false
	}
	p, err := profile.LoadFile(arg)
	return p, err, true
}

type checkResult struct {
	File   string           `json:"file"`
	OK     bool             `json:"ok"`
	Errors []*profile.Error `json:"errors,omitempty"`
}

func check(files []string, asJSON bool, stdout, stderr io.Writer) int {
	code := exitOK
	var results []checkResult
	for _, f := range files {
		_, err, readable := load(f)
		if !readable {
			fmt.Fprintf(stderr, "gridgov: %v\n", err)
			return exitUsage
		}
		r := checkResult{File: f, OK: err == nil}
		if err != nil {
			code = exitFindings
			var list profile.ErrorList
			if !errors.As(err, &list) {
				fmt.Fprintf(stderr, "gridgov: %s: %v\n", f, err)
				return exitUsage
			}
			r.Errors = list
		}
		results = append(results, r)
	}
	if asJSON {
		writeJSON(stdout, map[string]any{"profiles": results})
		return code
	}
	for _, r := range results {
		if r.OK {
			fmt.Fprintf(stdout, "%s: ok\n", r.File)
			continue
		}
		fmt.Fprintln(stdout, profile.ErrorList(r.Errors).Error())
		fmt.Fprintf(stdout, "%s: %d problem(s)\n", r.File, len(r.Errors))
	}
	return code
}

func diff(oldArg, newArg string, asJSON bool, stdout, stderr io.Writer) int {
	var ps [2]*profile.Profile
	for i, arg := range []string{oldArg, newArg} {
		p, code := loadProfile(arg, stderr)
		if p == nil {
			return code
		}
		ps[i] = p
	}
	changes := profile.Diff(ps[0], ps[1])
	if asJSON {
		if changes == nil {
			changes = []profile.Change{}
		}
		writeJSON(stdout, map[string]any{"changes": changes})
	} else {
		fmt.Fprint(stdout, profile.FormatDiff(changes))
		fmt.Fprintf(stdout, "%d rule(s) differ\n", len(changes))
	}
	if len(changes) > 0 {
		return exitFindings
	}
	return exitOK
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the values are plain structs: encoding cannot fail
}

type testResult struct {
	OK     bool               `json:"ok"`
	Report *policytest.Report `json:"report,omitempty"`
	Errors []*profile.Error   `json:"errors,omitempty"`
	// CoverageBelow is set when coverage fell short of --min-coverage.
	CoverageBelow bool `json:"coverage_below,omitempty"`
}

func test(patterns []string, asJSON, coverage bool, minCoverage float64, record string, stdout, stderr io.Writer) int {
	files, err := policytest.Expand(patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "gridgov: %v\n", err)
		return exitUsage
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			fmt.Fprintf(stderr, "gridgov: %v\n", err)
			return exitUsage
		}
	}
	var r policytest.Report
	var history bytes.Buffer
	if record != "" {
		r, err = policytest.Record(&history, files, &policytest.RecordOptions{Dir: filepath.Dir(record)})
	} else {
		r, err = policytest.Check(files)
	}
	if err == nil && record != "" {
		// The history records what was decided, expectations held or not: it is
		// written whenever the scenarios ran.
		if werr := os.WriteFile(record, history.Bytes(), 0o644); werr != nil {
			fmt.Fprintf(stderr, "gridgov: %v\n", werr)
			return exitUsage
		}
	}
	var res testResult
	if err != nil {
		var list profile.ErrorList
		if !errors.As(err, &list) {
			// A profile or register that does not load, a tree the given posts do not
			// build: findings about the scenario files, not usage.
			res.Errors = []*profile.Error{{Msg: err.Error()}}
		} else {
			res.Errors = list
		}
	} else {
		res.Report = &r
		res.CoverageBelow = r.Coverage.Percent < minCoverage
		res.OK = r.OK() && !res.CoverageBelow
	}
	if asJSON {
		writeJSON(stdout, res)
	} else {
		switch {
		case res.Errors != nil && err != nil && errors.As(err, new(profile.ErrorList)):
			fmt.Fprintln(stdout, err)
		case res.Errors != nil:
			fmt.Fprintf(stdout, "gridgov: %v\n", err)
		default:
			for _, f := range r.Failures {
				fmt.Fprintln(stdout, f.String())
			}
			if coverage || minCoverage > 0 {
				fmt.Fprint(stdout, r.Coverage.String())
			}
			if res.CoverageBelow {
				fmt.Fprintf(stdout, "coverage %.1f%% is below --min-coverage %.1f%%\n", r.Coverage.Percent, minCoverage)
			}
			fmt.Fprintln(stdout, r.Summary())
		}
	}
	if !res.OK {
		return exitFindings
	}
	return exitOK
}

func replayCmd(changed string, patterns []string, asJSON bool, stdout, stderr io.Writer) int {
	p, code := loadProfile(changed, stderr)
	if p == nil {
		return code
	}
	files, err := policytest.Expand(patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "gridgov: %v\n", err)
		return exitUsage
	}
	ds, err := policytest.Replay(files, p)
	if err != nil {
		fmt.Fprintf(stderr, "gridgov: %v\n", err)
		return exitFindings
	}
	if asJSON {
		if ds == nil {
			ds = []policytest.Difference{}
		}
		writeJSON(stdout, map[string]any{"differences": ds})
	} else {
		fmt.Fprint(stdout, policytest.FormatDifferences(ds))
	}
	if len(ds) > 0 {
		return exitFindings
	}
	return exitOK
}

func replayHistory(changed, history string, asJSON bool, stdout, stderr io.Writer) int {
	p, code := loadProfile(changed, stderr)
	if p == nil {
		return code
	}
	f, err := os.Open(history)
	if err != nil {
		fmt.Fprintf(stderr, "gridgov: %v\n", err)
		return exitUsage
	}
	defer f.Close()
	ds, err := policytest.ReplayHistory(f, p, &policytest.HistoryOptions{Name: history, Dir: filepath.Dir(history)})
	if err != nil {
		if asJSON {
			var list profile.ErrorList
			if !errors.As(err, &list) {
				list = profile.ErrorList{{Msg: err.Error()}}
			}
			writeJSON(stdout, map[string]any{"ok": false, "errors": list})
		} else {
			fmt.Fprintln(stdout, err)
		}
		return exitFindings
	}
	if asJSON {
		if ds == nil {
			ds = []policytest.Difference{}
		}
		writeJSON(stdout, map[string]any{"ok": len(ds) == 0, "differences": ds})
	} else {
		fmt.Fprint(stdout, policytest.FormatHistoryDifferences(ds))
	}
	if len(ds) > 0 {
		return exitFindings
	}
	return exitOK
}
