package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestCivil checks the day-number arithmetic against the time package, including
// dates before 1970 and far ahead.
func TestCivil(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	for range 20000 {
		n := r.Int64N(2_000_000) - 1_000_000
		want := time.Unix(n*secondsPerDay, 0).UTC()
		y, m, d := civilDate(n)
		if y != want.Year() || m != want.Month() || d != want.Day() {
			t.Fatalf("civilDate(%d) = %d-%d-%d, want %s", n, y, m, d, want.Format(time.DateOnly))
		}
		if got := civilDay(y, m, d); got != n {
			t.Fatalf("civilDay(%d-%d-%d) = %d, want %d", y, m, d, got, n)
		}
		if got := weekdayOf(n); got != want.Weekday() {
			t.Fatalf("weekdayOf(%d) = %v, want %v", n, got, want.Weekday())
		}
	}
}

// TestSplitAt checks split and at against Date, Clock and time.Date in zones with and
// without daylight saving, including the hours a transition skips or repeats.
func TestSplitAt(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 19))
	for _, name := range []string{"Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Logf("skipping %s: %v", name, err)
			continue
		}
		c := &Calendar{loc: loc}
		for range 20000 {
			u := time.Unix(r.Int64N(4_000_000_000)-1_000_000_000, r.Int64N(1e9)).In(loc)
			n, off := c.split(u)
			y, m, d := u.Date()
			hh, mm, ss := u.Clock()
			wantOff := time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second + time.Duration(u.Nanosecond())
			if n != civilDay(y, m, d) || off != wantOff {
				t.Fatalf("%s: split(%v) = %d, %v; want %d, %v", name, u, n, off, civilDay(y, m, d), wantOff)
			}
			// Any wall-clock offset of the day, including ones inside a transition.
			off = time.Duration(r.Int64N(int64(24 * time.Hour)))
			got := c.at(n, off)
			want := time.Date(y, m, d, 0, 0, 0, int(off), loc)
			if !got.Equal(want) {
				t.Fatalf("%s: at(%d-%02d-%02d, %v) = %v, time.Date gives %v", name, y, m, d, off, got, want)
			}
		}
	}
}
