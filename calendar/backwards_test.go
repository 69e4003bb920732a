package calendar_test

import (
	"math"
	"testing"
	"time"

	"github.com/gridgov/gridgov/calendar"
)

// checkNeverBackwards asserts the saturation rule for one instant and one count:
// AddDays(t, n) is after t for n ≥ 1 and not after it for n ≤ -1, Add(t, d) is not
// before t for d ≥ 0 nor after it for d < 0 (Add(t, 0) is Next(t)), Next(t) is not before t, and neither
// count moves the result the other way when it grows.
func checkNeverBackwards(t *testing.T, name string, c *calendar.Calendar, at time.Time, n int, d time.Duration) {
	t.Helper()
	got := c.AddDays(at, n)
	switch {
	case n >= 1 && !got.After(at):
		t.Errorf("%s: AddDays(%s, %d) = %s, not after t: arithmetic went backwards", name, fmtT(at), n, fmtT(got))
	case n <= -1 && got.After(at): // the end of the day before a midnight is t itself
		t.Errorf("%s: AddDays(%s, %d) = %s, after t", name, fmtT(at), n, fmtT(got))
	}
	if n < math.MaxInt {
		if next := c.AddDays(at, n+1); next.Before(got) {
			t.Errorf("%s: AddDays(%s, %d) = %s is before AddDays(…, %d) = %s", name, fmtT(at), n+1, fmtT(next), n, fmtT(got))
		}
	}
	sum := c.Add(at, d)
	switch {
	case d >= 0 && sum.Before(at):
		t.Errorf("%s: Add(%s, %v) = %s, before t: arithmetic went backwards", name, fmtT(at), d, fmtT(sum))
	case d < 0 && sum.After(at): // Add(t, 0) is Next(t)
		t.Errorf("%s: Add(%s, %v) = %s, after t", name, fmtT(at), d, fmtT(sum))
	}
	if d < math.MaxInt64 {
		if more := c.Add(at, d+1); more.Before(sum) {
			t.Errorf("%s: Add(%s, %v) = %s is before Add(…, %v) = %s", name, fmtT(at), d+1, fmtT(more), d, fmtT(sum))
		}
	}
	if next := c.Next(at); next.Before(at) {
		t.Errorf("%s: Next(%s) = %s, before t", name, fmtT(at), fmtT(next))
	}
}

// TestCalendar_ArithmeticNeverGoesBackwards is the rule that calendar arithmetic
// saturates instead of wrapping: an absurd count ends at the horizon, never years
// before t.
func TestCalendar_ArithmeticNeverGoesBackwards(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		d      time.Duration
		reason string
	}{
		{"MaxInt", math.MaxInt, math.MaxInt64, "the largest counts: wrapped to a date centuries before t"},
		{"MinInt", math.MinInt, math.MinInt64, "the smallest counts"},
		{"Billion", 1_000_000_000, 1_000_000 * time.Hour, "a limit of a billion working days"},
		{"NearMax", math.MaxInt - 5, math.MaxInt64 - 5, "just below the largest"},
		{"One", 1, 1, "an ordinary count"},
		{"MinusOne", -1, -1, "an ordinary backward count"},
	}
	instants := []time.Time{at(2025, 9, 26, 15, 0), at(2027, 1, 1, 12, 0), at(1, 1, 1, 0, 0), at(9999, 12, 31, 23, 59)}
	for _, tc := range testCalendars {
		c := mustNew(t, tc.opts)
		for _, tt := range tests {
			for _, x := range instants {
				checkNeverBackwards(t, tc.name+"/"+tt.name+" ("+tt.reason+")", c, x, tt.n, tt.d)
			}
		}
	}
	// Saturated results lie at the horizon, far after (before) every real instant.
	c := calendar.Default()
	if got := c.AddDays(at(2025, 1, 1, 0, 0), math.MaxInt); got.Year() < 1_000_000_000 {
		t.Errorf("AddDays(2025-01-01, MaxInt) = year %d, want the horizon (beyond year 10^9)", got.Year())
	}
}

// FuzzCalendarNeverGoesBackwards is the fuzz form of the rule: any instant up to
// about ten million years from now, any count.
func FuzzCalendarNeverGoesBackwards(f *testing.F) {
	f.Add(at(2025, 9, 26, 15, 0).Unix(), int64(0), int64(math.MaxInt64), int64(math.MaxInt64), uint8(0))
	f.Add(at(2026, 12, 31, 17, 0).Unix(), int64(500), int64(1), int64(1), uint8(0))
	f.Add(int64(-62135596800), int64(0), int64(math.MinInt64), int64(math.MinInt64), uint8(1))
	f.Add(int64(1)<<50, int64(999_999_999), int64(math.MaxInt64-1), int64(-1), uint8(2))
	cals := make([]*calendar.Calendar, len(testCalendars))
	for i, tc := range testCalendars {
		cals[i] = mustNew(f, tc.opts)
	}
	f.Fuzz(func(t *testing.T, sec, nsec, n, d int64, which uint8) {
		const limit = int64(1) << 48 // seconds, about 8.9 million years
		sec %= limit
		i := int(which) % len(cals)
		checkNeverBackwards(t, testCalendars[i].name, cals[i], time.Unix(sec, nsec%1e9), int(n), time.Duration(d))
	})
}
