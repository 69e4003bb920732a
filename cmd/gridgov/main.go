// Command gridgov checks and compares district profiles (see package
// [github.com/gridgov/gridgov/profile]).
//
// Usage:
//
//	gridgov check [--format text|json] PROFILE...
//	gridgov diff  [--format text|json] OLD NEW
//
// check loads each profile with every file it extends and prints every problem at once,
// each as "file:line:col path: message" followed by the source line. diff prints the
// rules two profiles set differently, each side with the file and line that set it. A
// PROFILE is a file (district.yaml, district.json) or the name of a shipped profile
// (qinhuai, rural-county, national).
//
// Exit codes:
//
//	0  every profile is valid (check) or the profiles hold the same rules (diff)
//	1  findings: a profile has problems (check) or the rules differ (diff); with diff,
//	   a profile that does not load is also reported with exit code 1
//	2  usage error, or a file that cannot be read
//
// --format json writes one JSON document to standard output for CI: for check
// {"profiles":[{"file":…,"ok":…,"errors":[{"file","line","col","path","msg","rule"}]}]},
// for diff {"changes":[{"path","old","old_file","old_line","new","new_file","new_line"}]}.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

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
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "gridgov: unknown command %q\n%s", cmd, usage)
	return exitUsage
}

// load reads a profile file, or a shipped profile by name. A file that cannot be read
// is a usage error (exit 2), not a finding.
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
		p, err, readable := load(arg)
		if !readable {
			fmt.Fprintf(stderr, "gridgov: %v\n", err)
			return exitUsage
		}
		if err != nil {
			fmt.Fprintf(stderr, "%v\ngridgov: %s does not load; run gridgov check\n", err, arg)
			return exitFindings
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
