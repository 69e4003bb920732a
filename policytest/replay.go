package policytest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov/profile"
)

// Outcome is what one step came to: each observable that applies to its action
// (state, level, owner, deadline, refused_by for a case; escalations for run_due;
// amount and grade for a payslip), in the canonical notation of expectations.
// Outcome and Difference are plain values, safe for concurrent reads.
type Outcome struct {
	File     string            `json:"file"`
	Line     int               `json:"line"`
	Scenario string            `json:"scenario"`
	Step     int               `json:"step"`
	Action   string            `json:"action"`
	Values   map[string]string `json:"values"`

	// What a history records beside the values (see [Record]).
	step     *Step
	at       time.Time
	person   string
	caseID   string
	world    *world
	scenario *Scenario
}

// Difference is one observable of one step that a changed profile decides
// differently.
type Difference struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Scenario string `json:"scenario"`
	Step     int    `json:"step"`
	Action   string `json:"action"`
	// Case is the case the step acted on, when it acted on one (replay of a history).
	Case string `json:"case,omitempty"`
	Kind string `json:"kind"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

func (d Difference) String() string {
	return fmt.Sprintf("%s:%d scenario %q step %d (%s): %s %s → %s", d.File, d.Line, d.Scenario, d.Step, d.Action, d.Kind, d.Old, d.New)
}

// Replay runs the scenario files twice, once under the profiles they name and once
// under changed, and returns, step by step, every deadline, escalation, level, state,
// refusal, amount and grade the change would decide differently: how a district
// previews a rule change on the histories its scenarios record. Expectations are not
// checked (a changed rule is expected to break some); the same files, clock and IDs
// make both runs comparable.
func Replay(files []string, changed *profile.Profile) ([]Difference, error) {
	if changed == nil {
		return nil, fmt.Errorf("policytest: replay: no changed profile")
	}
	var before, after []Outcome
	if _, _, err := check(files, nil, &before); err != nil {
		return nil, err
	}
	if _, _, err := check(files, changed, &after); err != nil {
		return nil, fmt.Errorf("policytest: replay under %s: %w", changed.Name, err)
	}
	// A run stops at the first step it cannot take at all (a bad tree under the new
	// profile): the runs then have different lengths, which check already reported as
	// an error, so here they align step by step.
	// A changed deadline stays changed while the step runs: it is reported at the
	// step that first shows it, not again at every later step showing the same pair.
	var out []Difference
	last := map[string]Difference{}
	for i := range min(len(before), len(after)) {
		b, a := before[i], after[i]
		kinds := make([]string, 0, len(b.Values))
		for k := range b.Values {
			kinds = append(kinds, k)
		}
		slices.SortFunc(kinds, func(x, y string) int { return slices.Index(expectKinds, x) - slices.Index(expectKinds, y) })
		for _, k := range kinds {
			key := b.File + "\x00" + b.Scenario + "\x00" + k
			if b.Values[k] == a.Values[k] {
				delete(last, key)
				continue
			}
			d := Difference{File: b.File, Line: b.Line, Scenario: b.Scenario, Step: b.Step, Action: b.Action, Kind: k, Old: b.Values[k], New: a.Values[k]}
			if prev, ok := last[key]; ok && prev.Old == d.Old && prev.New == d.New {
				continue
			}
			last[key] = d
			out = append(out, d)
		}
	}
	return out, nil
}

// FormatDifferences prints differences one a line, and a count.
func FormatDifferences(ds []Difference) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%d difference(s)\n", len(ds))
	return b.String()
}
