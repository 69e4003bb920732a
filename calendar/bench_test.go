package calendar_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gridgov/gridgov/calendar"
)

// The benchmarks span one year of the default calendar: from Thursday 2 January 2025
// 08:30 to Friday 2 January 2026 08:30, 248 working days apart, across every 2025
// holiday. "table" is the calendar, "dayloop" the day-by-day reference of the tests
// (one map lookup per day), "dayloop-isworkday" a tighter loop that asks the
// calendar's own O(1) IsWorkday for each day.
var (
	benchFrom = time.Date(2025, 1, 2, 8, 30, 0, 0, shanghai)
	benchTo   = time.Date(2026, 1, 2, 8, 30, 0, 0, shanghai)
)

const benchDays = 248

// sink keeps results alive so the compiler cannot drop the calls.
var sink struct {
	t time.Time
	d time.Duration
}

func benchmarkTime(b *testing.B, f func() time.Time) {
	b.ReportAllocs()
	for b.Loop() {
		sink.t = f()
	}
}

func benchmarkDuration(b *testing.B, f func() time.Duration) {
	b.ReportAllocs()
	for b.Loop() {
		sink.d = f()
	}
}

func BenchmarkAdd(b *testing.B) {
	c := calendar.Default()
	d := benchDays * c.DailyHours()
	b.Run("table", func(b *testing.B) { benchmarkTime(b, func() time.Time { return c.Add(benchFrom, d) }) })
	b.Run("dayloop", func(b *testing.B) {
		ref := newRef(b, nil)
		benchmarkTime(b, func() time.Time { return ref.add(benchFrom, d) })
	})
}

func BenchmarkAddDays(b *testing.B) {
	c := calendar.Default()
	b.Run("table", func(b *testing.B) { benchmarkTime(b, func() time.Time { return c.AddDays(benchFrom, benchDays) }) })
	b.Run("dayloop", func(b *testing.B) {
		ref := newRef(b, nil)
		benchmarkTime(b, func() time.Time { return ref.addDays(benchFrom, benchDays) })
	})
	b.Run("dayloop-isworkday", func(b *testing.B) {
		benchmarkTime(b, func() time.Time { return loopAddDays(c, benchFrom, benchDays) })
	})
}

func BenchmarkBetween(b *testing.B) {
	c := calendar.Default()
	b.Run("table", func(b *testing.B) {
		benchmarkDuration(b, func() time.Duration { return c.Between(benchFrom, benchTo) })
	})
	b.Run("dayloop", func(b *testing.B) {
		ref := newRef(b, nil)
		benchmarkDuration(b, func() time.Duration { return ref.between(benchFrom, benchTo) })
	})
	b.Run("dayloop-isworkday", func(b *testing.B) {
		benchmarkDuration(b, func() time.Duration { return loopBetween(c, benchFrom, benchTo) })
	})
}

// BenchmarkSpan shows that the cost does not grow with the span: a day, a year and a
// century (mostly outside the embedded years).
func BenchmarkSpan(b *testing.B) {
	c := calendar.Default()
	for _, s := range []struct {
		name  string
		years int
		days  int
	}{{"day", 0, 1}, {"year", 1, 0}, {"century", 100, 0}} {
		to := benchFrom.AddDate(s.years, 0, s.days)
		b.Run("Between/"+s.name, func(b *testing.B) {
			benchmarkDuration(b, func() time.Duration { return c.Between(benchFrom, to) })
		})
		d := c.Between(benchFrom, to)
		b.Run("Add/"+s.name, func(b *testing.B) { benchmarkTime(b, func() time.Time { return c.Add(benchFrom, d) }) })
	}
}

// loopBetween is Between for the default office hours, one day at a time.
func loopBetween(c *calendar.Calendar, a, b time.Time) time.Duration {
	var sum time.Duration
	y, m, d := a.In(c.Location()).Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, c.Location()); day.Before(b); day = day.AddDate(0, 0, 1) {
		if !c.IsWorkday(day) {
			continue
		}
		for _, s := range [][2]time.Duration{{8*time.Hour + 30*time.Minute, 12 * time.Hour}, {13*time.Hour + 30*time.Minute, 17*time.Hour + 30*time.Minute}} {
			lo, hi := day.Add(s[0]), day.Add(s[1])
			if lo.Before(a) {
				lo = a
			}
			if hi.After(b) {
				hi = b
			}
			if hi.After(lo) {
				sum += hi.Sub(lo)
			}
		}
	}
	return sum
}

// loopAddDays is AddDays for n ≥ 1, one day at a time.
func loopAddDays(c *calendar.Calendar, t time.Time, n int) time.Time {
	y, m, d := t.In(c.Location()).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, c.Location())
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			n--
		}
	}
	return day.Add(17*time.Hour + 30*time.Minute)
}

// TestBenchLoops keeps the benchmarks' loop references honest.
func TestBenchLoops(t *testing.T) {
	c := calendar.Default()
	if got, want := loopBetween(c, benchFrom, benchTo), c.Between(benchFrom, benchTo); got != want {
		t.Errorf("loopBetween = %v, Between = %v", got, want)
	}
	if got, want := c.Between(benchFrom, benchTo), benchDays*c.DailyHours(); got != want {
		t.Errorf("Between over the benchmark year = %v, want %d working days (%v)", got, benchDays, want)
	}
	if got, want := loopAddDays(c, benchFrom, benchDays), c.AddDays(benchFrom, benchDays); !got.Equal(want) {
		t.Errorf("loopAddDays = %s, AddDays = %s", fmtT(got), fmtT(want))
	}
}

// BenchmarkProvisionalBetween is the check escalation makes for every running timer:
// spans drawn at random (seeded) from 2013–2028, inside noticed years (no zone
// lookup) and across provisional ones.
func BenchmarkProvisionalBetween(b *testing.B) {
	c := calendar.Default()
	r := rand.New(rand.NewPCG(5, 8))
	const n = 1024
	var spans [n][2]time.Time
	for i := range spans {
		a := randInstant(r)
		spans[i] = [2]time.Time{a, a.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := &spans[i%n]
		sinkBool = c.ProvisionalBetween(s[0], s[1])
		i++
	}
}

var sinkBool bool
