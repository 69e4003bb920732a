package escalation_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/escalation"
)

// sameArray reports whether two non-empty histories start at the same element.
func sameArray(a, b []escalation.Event) bool { return &a[0] == &b[0] }

// TestApply_SameInputTwice applies two different commands to one case that has room
// behind its history: the first writes in place, the second must copy, and neither
// result, nor the input, sees the other's events. The input shares a's array and
// room, so it stands for every shorter copy of a result.
func TestApply_SameInputTwice(t *testing.T) {
	p := policy()
	c, last := caseIn(t, &p, escalation.Handled, false)
	n := len(c.History)
	before := c.Clone()
	when := last.Add(time.Hour)

	a, _, err := p.Apply(c, escalation.Verify{Passed: true}, when, env(t, act("gw2")))
	require.NoError(t, err)
	b, _, err := p.Apply(c, escalation.Verify{Reason: "stall is back"}, when, env(t, act("gw2")))
	require.NoError(t, err)
	if !sameArray(a.History, c.History) {
		t.Fatalf("the first Apply on the newest case copied its history: the in-place path is not exercised")
	}
	if sameArray(b.History, c.History) {
		t.Errorf("the second Apply on the same input wrote into the input's array")
	}
	if got := []escalation.Action{a.History[n].Action, b.History[n].Action}; !cmp.Equal(got, []escalation.Action{escalation.ActionVerify, escalation.ActionRework}) {
		t.Errorf("event %d of the two results = %v, want [verify rework]", n+1, got)
	}
	if diff := cmp.Diff(before, c, caseOpts); diff != "" {
		t.Errorf("Apply modified its input (-before +after):\n%s", diff)
	}

	aBefore, bBefore := a.Clone(), b.Clone()

	// Each result continues on its own.
	a2, _, err := p.Apply(a, escalation.Close{}, when.Add(time.Hour), env(t, act("qhdisp")))
	require.NoError(t, err)
	b2, _, err := p.Apply(b, escalation.ReportBack{Note: "cleared again"}, when.Add(time.Hour), env(t, act("qhlaw1")))
	require.NoError(t, err)
	if !sameArray(a2.History, a.History) || !sameArray(b2.History, b.History) {
		t.Errorf("Apply on the newest case of each line copied: a %v, b %v", sameArray(a2.History, a.History), sameArray(b2.History, b.History))
	}
	if a2.State != escalation.Closed || b2.State != escalation.Handled {
		t.Errorf("states = %s and %s, want closed and handled", a2.State, b2.State)
	}
	if diff := cmp.Diff(aBefore, a, caseOpts); diff != "" {
		t.Errorf("later Applies changed a (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(bBefore, b, caseOpts); diff != "" {
		t.Errorf("later Applies changed b (-before +after):\n%s", diff)
	}
}

// TestApply_RefusalFreesRoom checks that a refused command gives the room it claimed
// back: the next command on the same case still writes in place.
func TestApply_RefusalFreesRoom(t *testing.T) {
	p := policy()
	c, last := caseIn(t, &p, escalation.Handled, false)
	before := c.Clone()
	when := last.Add(time.Hour)
	if _, _, err := p.Apply(c, escalation.Verify{Passed: true}, when, env(t, act("qhlaw1"))); err == nil {
		t.Fatal("the handler verified the case")
	}
	if diff := cmp.Diff(before, c, caseOpts); diff != "" {
		t.Errorf("a refused command changed the input (-before +after):\n%s", diff)
	}
	got, _, err := p.Apply(c, escalation.Verify{Passed: true}, when, env(t, act("gw2")))
	require.NoError(t, err)
	if !sameArray(got.History, c.History) {
		t.Errorf("after a refusal the room behind the case is still claimed: Apply copied")
	}
}

// TestApply_DecodedCase applies commands to a case read back from JSON: it carries no
// room, so the first Apply copies, gives the same case as on the original, and the
// next one writes in place again.
func TestApply_DecodedCase(t *testing.T) {
	p := policy()
	c, last := caseIn(t, &p, escalation.Handled, false)
	doc, err := json.Marshal(c)
	require.NoError(t, err)
	var d escalation.Case
	require.NoError(t, json.Unmarshal(doc, &d))
	if diff := cmp.Diff(c, d, caseOpts); diff != "" {
		t.Fatalf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
	when := last.Add(time.Hour)
	want, _, err := p.Apply(c, escalation.Verify{Passed: true}, when, env(t, act("gw2")))
	require.NoError(t, err)
	got, _, err := p.Apply(d, escalation.Verify{Passed: true}, when, env(t, act("gw2")))
	require.NoError(t, err)
	if diff := cmp.Diff(want, got, caseOpts); diff != "" {
		t.Errorf("Apply(decoded) mismatch (-want +got):\n%s", diff)
	}
	if sameArray(got.History, d.History) {
		t.Errorf("Apply wrote into the decoded case's array")
	}
	closed, _, err := p.Apply(got, escalation.Close{}, when.Add(time.Hour), env(t, act("qhdisp")))
	require.NoError(t, err)
	if !sameArray(closed.History, got.History) || closed.State != escalation.Closed {
		t.Errorf("the case after the first Apply does not grow in place (state %s)", closed.State)
	}
}

// TestApply_Concurrent applies 32 different commands to one case from 32 goroutines,
// and a second command to each result: every result keeps its own events, exactly one
// first decision wrote in place, and the input is unchanged. Run it with -race.
func TestApply_Concurrent(t *testing.T) {
	const n = 32
	p := policy()
	c, last := caseIn(t, &p, escalation.Handled, false)
	before := c.Clone()
	verifier, handler := env(t, act("gw2")), env(t, act("qhlaw1"))
	when := last.Add(time.Hour)
	reason := func(i int) string { return fmt.Sprintf("rework %d", i) }
	note := func(i int) string { return fmt.Sprintf("report back %d", i) }
	type result struct {
		first, second escalation.Case
		err           error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[i]
			if r.first, _, r.err = p.Apply(c, escalation.Verify{Reason: reason(i)}, when, verifier); r.err != nil {
				return
			}
			r.second, _, r.err = p.Apply(r.first, escalation.ReportBack{Note: note(i)}, when.Add(time.Hour), handler)
		}()
	}
	wg.Wait()
	k := len(c.History)
	inPlace := 0
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("goroutine %d: %v", i, r.err)
		}
		if got := r.first.History[k].Reason; got != reason(i) || len(r.first.History) != k+1 {
			t.Errorf("goroutine %d: first result has event %q and %d events, want %q and %d", i, got, len(r.first.History), reason(i), k+1)
		}
		if got := []string{r.second.History[k].Reason, r.second.History[k+1].Reason}; !cmp.Equal(got, []string{reason(i), note(i)}) {
			t.Errorf("goroutine %d: second result ends with %q, want %q", i, got, []string{reason(i), note(i)})
		}
		if sameArray(r.first.History, c.History) {
			inPlace++
		}
	}
	if inPlace != 1 {
		t.Errorf("%d of %d first decisions wrote behind the shared input, want exactly 1", inPlace, n)
	}
	if diff := cmp.Diff(before, c, caseOpts); diff != "" {
		t.Errorf("concurrent Applies modified the input (-before +after):\n%s", diff)
	}
}
