// Command adapt is the path a district engineer follows to adapt the shipped rules
// (区情配置) to another district without forking them: Helan county (贺兰县, Ningxia)
// starts from the shipped rural-county profile and, in district/helan.yaml, overrides
// three rules — a handling deadline (处置时限), a report reward (一案一奖) and the
// starting pay grade (薪酬等级) of other staff. The command shows what the file changes
// rule by rule (profile.Diff), runs the district's scenario files (policytest) that
// state what the new rules must decide, and replays the same scenarios under the base
// profile, so the review sees each decision the overrides change.
//
//	go run ./examples/adapt                      # from the repository root
//	go run ./examples/adapt -dir path/to/district -profile county.yaml -base rural-county
//
// It exits 1 when the profile does not load (every problem at file:line:col) or a
// scenario's expectation does not hold (each at the expectation's file:line:col).
package main

import (
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

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "adapt:", err)
		os.Exit(1)
	}
}

// errFailed reports that some expectation did not hold; the failures themselves have
// been printed.
var errFailed = errors.New("some expectations of the district's scenarios do not hold")

// run loads the district's profile, prints its diff against the base, runs the
// scenario files of DIR/scenarios and prints each file's result, then the decisions
// the overrides change.
func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("adapt", flag.ContinueOnError)
	fs.SetOutput(w)
	dir := fs.String("dir", filepath.Join("examples", "adapt", "district"), "the district's folder: its profile and scenarios/*.yaml")
	name := fs.String("profile", "helan.yaml", "the district's profile, a file of -dir")
	base := fs.String("base", "rural-county", "the shipped profile the district's file extends, compared with it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %v", fs.Args())
	}

	old, err := profile.LoadEmbedded(*base)
	if err != nil {
		return err
	}
	file := filepath.Join(*dir, *name)
	p, err := profile.LoadFile(file)
	if err != nil {
		// An ErrorList: every problem of the file at once, each at file:line:col with
		// its source line, which is what the engineer fixes.
		return fmt.Errorf("the district's profile does not load:\n%w", err)
	}
	changes := profile.Diff(old, p)
	fmt.Fprintf(w, "== %s (%s) against %s: %d rule(s) differ\n", p.Name, file, *base, len(changes))
	fmt.Fprint(w, profile.FormatDiff(changes))

	files, err := policytest.Expand(filepath.Join(*dir, "scenarios", "*.yaml"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== the district's scenarios under %s\n", p.Name)
	failed := false
	for _, f := range files {
		parsed, err := policytest.ParseFile(f)
		if err != nil {
			return err
		}
		rep, err := policytest.Check([]string{f})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %s\n", filepath.Base(f), rep.Summary())
		for _, sc := range parsed.Scenarios {
			mark := "ok  "
			if slices.ContainsFunc(rep.Failures, func(x policytest.Failure) bool { return x.Scenario == sc.Name }) {
				mark = "FAIL"
			}
			fmt.Fprintf(w, "  %s %s\n", mark, sc.Name)
		}
		for _, x := range rep.Failures {
			fmt.Fprintf(w, "    %s\n", x)
		}
		failed = failed || !rep.OK()
	}

	// The same histories under the base: what the review is asked to accept. An
	// override that no scenario notices shows up here as a rule without a line.
	ds, err := policytest.Replay(files, old)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== what %s decides differently from %s on these scenarios (%s → %s)\n", p.Name, *base, p.Name, *base)
	for _, d := range ds {
		fmt.Fprintf(w, "%s\n", d)
	}
	fmt.Fprintf(w, "%d difference(s)\n", len(ds))
	if failed {
		return errFailed
	}
	return nil
}
