package gridgov_test

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
)

func TestError(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	err := fmt.Errorf("service: %w", &gridgov.Error{
		Op: "escalation.Verify", Kind: gridgov.ErrForbidden, Rule: "roles.handler-may-not-verify",
		Msg: "p1 handled case C1", Err: cause,
	})
	for _, target := range []error{gridgov.ErrForbidden, cause} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(err, %v) = false, want true", target)
		}
	}
	if errors.Is(err, gridgov.ErrConflict) {
		t.Error("errors.Is(err, ErrConflict) = true, want false")
	}
	want := "service: escalation.Verify: forbidden by rule roles.handler-may-not-verify: p1 handled case C1: unexpected EOF"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if got := gridgov.RuleOf(err); got != "roles.handler-may-not-verify" {
		t.Errorf("RuleOf = %q", got)
	}
	if got := gridgov.RuleOf(cause); got != "" {
		t.Errorf("RuleOf(plain error) = %q, want empty", got)
	}
	if got := (&gridgov.Error{}).Error(); got != "error" {
		t.Errorf("zero Error() = %q, want %q", got, "error")
	}
}

func TestManualClock(t *testing.T) {
	t0 := time.Date(2025, 9, 26, 9, 0, 0, 0, time.UTC)
	c := gridgov.NewManualClock(t0)
	if got := c.Advance(90 * time.Minute); !got.Equal(t0.Add(90 * time.Minute)) {
		t.Errorf("Advance(90m) = %v", got)
	}
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Errorf("Now after Set = %v, want %v", c.Now(), t0)
	}
	var _ gridgov.Clock = gridgov.SystemClock{}
}

func TestIDGenerator(t *testing.T) {
	t0 := time.Date(2025, 9, 26, 9, 0, 0, 0, time.UTC)
	a, b := gridgov.NewSeededIDGenerator(7), gridgov.NewSeededIDGenerator(7)
	var ids []string
	for i := range 1000 {
		at := t0.Add(time.Duration(i/10) * time.Millisecond) // ten IDs in each millisecond
		x, err := a.NewString(at)
		if err != nil {
			t.Fatal(err)
		}
		y, err := b.NewString(at)
		if err != nil {
			t.Fatal(err)
		}
		if x != y {
			t.Fatalf("ID %d: same seed gave %s and %s", i, x, y)
		}
		ids = append(ids, x)
	}
	if !sort.StringsAreSorted(ids) {
		t.Error("IDs are not increasing within and across milliseconds")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("duplicate ID %s", id)
		}
		seen[id] = true
	}
	other, err := gridgov.NewSeededIDGenerator(8).NewString(t0)
	if err != nil {
		t.Fatal(err)
	}
	if other == ids[0] {
		t.Error("different seeds gave the same first ID")
	}
	if _, err := a.New(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("New(1969) = %v, want ErrInvalid", err)
	}
	if _, err := gridgov.NewIDGenerator(nil).New(t0); err != nil {
		t.Errorf("crypto-backed generator: %v", err)
	}
}

func ExampleIDGenerator() {
	ids := gridgov.NewSeededIDGenerator(1)
	at := time.Date(2025, 9, 26, 9, 0, 0, 0, time.UTC)
	first, _ := ids.NewString(at)
	second, _ := ids.NewString(at)
	fmt.Println(len(first), first < second, first[:10] == second[:10])
	// Output: 26 true true
}

func BenchmarkIDGenerator_New(b *testing.B) {
	g := gridgov.NewSeededIDGenerator(1)
	at := time.Date(2025, 9, 26, 9, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.New(at); err != nil {
			b.Fatal(err)
		}
	}
}
