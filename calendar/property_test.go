package calendar_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gridgov/gridgov/calendar"
)

// testCalendars are the configurations the property and fuzz tests run on.
var testCalendars = []struct {
	name string
	opts *calendar.Options
}{
	{"Default", nil},
	{"OddHours", &calendar.Options{Hours: []calendar.Span{
		{Start: "13:00", End: "17:59:59"}, {Start: "07:45:15", End: "09:00"}, {Start: "10:00", End: "12:00"},
	}}},
	{"AllDay", &calendar.Options{AllDay: true}},
	{"OwnSchedule", &calendar.Options{ExcludeBuiltin: true, Days: []calendar.Entry{
		{Date: "2027-01-01", Kind: calendar.Off, Name: "元旦"},
		{Date: "2027-02-06", Kind: calendar.Work, Name: "春节调休"},
		{Date: "2027-02-08", Kind: calendar.Off, Name: "春节"},
		{Date: "2020-10-01", Kind: calendar.Off, Name: "国庆节"},
	}}},
}

// The random instants span the covered years and a year and a half either side, so
// that every test crosses the edges of the tables.
var (
	randFrom = time.Date(2013, 6, 1, 0, 0, 0, 0, shanghai)
	randTo   = time.Date(2028, 6, 1, 0, 0, 0, 0, shanghai)
)

// randInstant returns a random instant; one time in three it is snapped to a span
// boundary or midnight, where the semantics are decided.
func randInstant(r *rand.Rand) time.Time {
	t := randFrom.Add(time.Duration(r.Int64N(int64(randTo.Sub(randFrom)))))
	if r.IntN(3) == 0 {
		clocks := []time.Duration{0, 7*time.Hour + 45*time.Minute + 15*time.Second, 8*time.Hour + 30*time.Minute,
			9 * time.Hour, 10 * time.Hour, 12 * time.Hour, 13 * time.Hour, 13*time.Hour + 30*time.Minute,
			17*time.Hour + 30*time.Minute, 17*time.Hour + 59*time.Minute + 59*time.Second}
		y, m, d := t.Date()
		t = time.Date(y, m, d, 0, 0, 0, 0, shanghai).Add(clocks[r.IntN(len(clocks))])
		if r.IntN(4) == 0 {
			t = t.Add(time.Duration(r.IntN(3)-1) * time.Nanosecond)
		}
	}
	return t
}

func TestCalendar_Properties(t *testing.T) {
	for _, tc := range testCalendars {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, tc.opts)
			r := rand.New(rand.NewPCG(1, uint64(len(tc.name))))
			daily := c.DailyHours()
			for i := range 3000 {
				a, b, x := randInstant(r), randInstant(r), randInstant(r)
				if sum, whole := c.Between(a, b)+c.Between(b, x), c.Between(a, x); sum != whole {
					t.Fatalf("step %d: Between(a,b)+Between(b,c) = %v, Between(a,c) = %v; a=%s b=%s c=%s", i, sum, whole, fmtT(a), fmtT(b), fmtT(x))
				}
				if ab, ba := c.Between(a, b), c.Between(b, a); ab != -ba {
					t.Fatalf("step %d: Between(a,b) = %v, Between(b,a) = %v; a=%s b=%s", i, ab, ba, fmtT(a), fmtT(b))
				}

				d := time.Duration(r.Int64N(int64(400 * daily)))
				if r.IntN(4) == 0 {
					d = time.Duration(r.Int64N(int64(daily))) // within a day, often crossing a break
				}
				e := c.Add(a, d)
				if got := c.Between(a, e); got != d {
					t.Fatalf("step %d: Between(a, Add(a, %v)) = %v; a=%s Add=%s", i, d, got, fmtT(a), fmtT(e))
				}
				if d > 0 && c.Between(a, e.Add(-time.Nanosecond)) >= d {
					t.Fatalf("step %d: Add(a, %v) = %s is not the earliest instant; a=%s", i, d, fmtT(e), fmtT(a))
				}
				if d > 0 {
					if back := c.Add(e, -d); !back.Equal(c.Next(a)) {
						t.Fatalf("step %d: Add(Add(a, %v), -%v) = %s, want Next(a) = %s; a=%s", i, d, d, fmtT(back), fmtT(c.Next(a)), fmtT(a))
					}
				}
				nb := -time.Duration(r.Int64N(int64(400 * daily)))
				f := c.Add(a, nb)
				if got := c.Between(f, a); got != -nb {
					t.Fatalf("step %d: Between(Add(a, %v), a) = %v; a=%s", i, nb, got, fmtT(a))
				}
				if nb < 0 && c.Between(f.Add(time.Nanosecond), a) >= -nb {
					t.Fatalf("step %d: Add(a, %v) = %s is not the latest instant; a=%s", i, nb, fmtT(f), fmtT(a))
				}

				n := c.Next(a)
				if n.Before(a) || c.Between(a, n) != 0 || !c.IsWorkingTime(n) {
					t.Fatalf("step %d: Next(%s) = %s: want a working instant ≥ t with no working time between", i, fmtT(a), fmtT(n))
				}

				k := 1 + r.IntN(300)
				due := c.AddDays(a, k)
				if !c.IsWorkday(due.Add(-time.Nanosecond)) {
					t.Fatalf("step %d: AddDays(%s, %d) = %s does not end a working day", i, fmtT(a), k, fmtT(due))
				}
				if next := c.AddDays(due.Add(-time.Nanosecond), 1); !next.Equal(c.AddDays(a, k+1)) {
					t.Fatalf("step %d: AddDays(AddDays(a,%d), 1) = %s, AddDays(a,%d) = %s", i, k, fmtT(next), k+1, fmtT(c.AddDays(a, k+1)))
				}
				if w := c.Workdays(a, due.Add(-time.Nanosecond)); c.IsWorkday(a) && w != k || !c.IsWorkday(a) && w != k-1 {
					t.Fatalf("step %d: Workdays(%s, AddDays(a, %d)) = %d", i, fmtT(a), k, w)
				}
			}
		})
	}
}

// TestCalendar_LongSpans checks additivity and round trips across centuries, far
// outside the tables, where only the whole-week arithmetic applies.
func TestCalendar_LongSpans(t *testing.T) {
	c := calendar.Default()
	r := rand.New(rand.NewPCG(7, 7))
	from := time.Date(1700, 1, 1, 0, 0, 0, 0, shanghai)
	span := int64(time.Date(2290, 1, 1, 0, 0, 0, 0, shanghai).Sub(from))
	for i := range 2000 {
		a := from.Add(time.Duration(r.Int64N(span)))
		b := from.Add(time.Duration(r.Int64N(span)))
		m := from.Add(time.Duration(r.Int64N(span)))
		if sum, whole := c.Between(a, m)+c.Between(m, b), c.Between(a, b); sum != whole {
			t.Fatalf("step %d: Between not additive over %s, %s, %s: %v vs %v", i, fmtT(a), fmtT(m), fmtT(b), sum, whole)
		}
		d := c.Between(a, b)
		if d >= 0 {
			if got := c.Add(a, d); c.Between(got, b) != 0 || got.After(b) {
				t.Fatalf("step %d: Add(a, Between(a, b)) = %s, want an instant with no work before b = %s", i, fmtT(got), fmtT(b))
			}
		}
	}
	// Four weeks in 1800 and in 2200: twenty working days, by the weekly rule alone.
	for _, y := range []int{1800, 2200} {
		a := time.Date(y, 3, 3, 0, 0, 0, 0, shanghai)
		if got, want := c.Between(a, a.AddDate(0, 0, 28)), 20*c.DailyHours(); got != want {
			t.Errorf("Between over four weeks of %d = %v, want %v", y, got, want)
		}
	}
}

// FuzzCalendar compares the calendar with the naive day-by-day reference.
func FuzzCalendar(f *testing.F) {
	ns := func(t time.Time) int64 { return t.UnixNano() }
	hour := int64(time.Hour)
	// Friday before National Day 2025, 3 working days and 4 working hours.
	f.Add(ns(at(2025, 9, 26, 15, 0)), ns(at(2025, 10, 9, 9, 0)), 4*hour, int8(3), uint8(0))
	// Noon: the end of a span, adding nothing and a nanosecond.
	f.Add(ns(at(2025, 9, 26, 12, 0)), ns(at(2025, 9, 26, 13, 30)), int64(0), int8(1), uint8(0))
	f.Add(ns(at(2025, 9, 26, 12, 0)), ns(at(2025, 9, 26, 12, 0)), int64(1), int8(1), uint8(1))
	// Counting back across the 2026 Spring Festival.
	f.Add(ns(at(2026, 2, 24, 9, 0)), ns(at(2026, 2, 13, 17, 0)), -3*hour, int8(-2), uint8(0))
	// Across the start and the end of the covered years.
	f.Add(ns(at(2014, 12, 31, 17, 0)), ns(at(2015, 1, 5, 9, 0)), 8*hour, int8(2), uint8(0))
	f.Add(ns(at(2026, 12, 31, 17, 0)), ns(at(2027, 1, 4, 9, 0)), 30*hour, int8(5), uint8(3))
	// 24×7 over the National Day holiday.
	f.Add(ns(at(2025, 9, 30, 23, 59)), ns(at(2025, 10, 8, 0, 0)), 48*hour, int8(3), uint8(2))
	// Odd hours with seconds, from a break.
	f.Add(ns(at(2025, 3, 3, 9, 30)), ns(at(2025, 3, 10, 12, 30)), 5*hour+17, int8(7), uint8(1))

	cals := make([]*calendar.Calendar, len(testCalendars))
	refs := make([]*refCal, len(testCalendars))
	for i, tc := range testCalendars {
		cals[i] = mustNew(f, tc.opts)
		refs[i] = newRef(f, tc.opts)
	}
	span := int64(randTo.Sub(randFrom))
	inRange := func(x int64) time.Time {
		off := x - randFrom.UnixNano()
		off %= span
		if off < 0 {
			off += span
		}
		return randFrom.Add(time.Duration(off))
	}
	f.Fuzz(func(t *testing.T, aNs, bNs, dNs int64, n int8, which uint8) {
		i := int(which) % len(cals)
		c, ref := cals[i], refs[i]
		a, b := inRange(aNs), inRange(bNs)
		if b.Sub(a) > 200*24*time.Hour || a.Sub(b) > 200*24*time.Hour {
			b = a.Add(time.Duration(bNs % int64(200*24*time.Hour)))
		}
		limit := int64(90 * c.DailyHours())
		d := time.Duration(dNs % limit)
		name := testCalendars[i].name

		if got, want := c.Between(a, b), ref.between(a, b); got != want {
			t.Errorf("%s: Between(%s, %s) = %v, reference %v", name, fmtT(a), fmtT(b), got, want)
		}
		if got, want := c.Add(a, d), ref.add(a, d); !got.Equal(want) {
			t.Errorf("%s: Add(%s, %v) = %s, reference %s", name, fmtT(a), d, fmtT(got), fmtT(want))
		}
		if got, want := c.Next(a), ref.next(a); !got.Equal(want) {
			t.Errorf("%s: Next(%s) = %s, reference %s", name, fmtT(a), fmtT(got), fmtT(want))
		}
		k := int(n) % 40
		if got, want := c.AddDays(a, k), ref.addDays(a, k); !got.Equal(want) {
			t.Errorf("%s: AddDays(%s, %d) = %s, reference %s", name, fmtT(a), k, fmtT(got), fmtT(want))
		}
		if got, want := c.IsWorkday(a), ref.isWork(ref.midnight(a)); got != want {
			t.Errorf("%s: IsWorkday(%s) = %v, reference %v", name, fmtT(a), got, want)
		}
		if got, want := c.Workdays(a, b), ref.workdays(a, b); got != want {
			t.Errorf("%s: Workdays(%s, %s) = %d, reference %d", name, fmtT(a), fmtT(b), got, want)
		}
	})
}

// TestCalendar_MatchesReference runs the fuzz comparison on seeded random inputs, so
// that plain `go test` covers far more than the seed corpus.
func TestCalendar_MatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, tc := range testCalendars {
		c, ref := mustNew(t, tc.opts), newRef(t, tc.opts)
		for i := range 300 {
			a := randInstant(r)
			b := a.Add(time.Duration(r.Int64N(int64(120*24*time.Hour))) - 60*24*time.Hour)
			if r.IntN(3) == 0 {
				b = randInstant(r)
				y, m, d := a.Date()
				b = time.Date(y, m, d, b.Hour(), b.Minute(), b.Second(), b.Nanosecond(), shanghai)
			}
			limit := int64(60 * c.DailyHours())
			d := time.Duration(r.Int64N(2*limit) - limit)
			if r.IntN(4) == 0 {
				d = time.Duration(r.Int64N(int64(c.DailyHours())))
			}
			k := r.IntN(50) - 10
			if got, want := c.Between(a, b), ref.between(a, b); got != want {
				t.Fatalf("%s step %d: Between(%s, %s) = %v, reference %v", tc.name, i, fmtT(a), fmtT(b), got, want)
			}
			if got, want := c.Add(a, d), ref.add(a, d); !got.Equal(want) {
				t.Fatalf("%s step %d: Add(%s, %v) = %s, reference %s", tc.name, i, fmtT(a), d, fmtT(got), fmtT(want))
			}
			if got, want := c.Next(a), ref.next(a); !got.Equal(want) {
				t.Fatalf("%s step %d: Next(%s) = %s, reference %s", tc.name, i, fmtT(a), fmtT(got), fmtT(want))
			}
			if got, want := c.AddDays(a, k), ref.addDays(a, k); !got.Equal(want) {
				t.Fatalf("%s step %d: AddDays(%s, %d) = %s, reference %s", tc.name, i, fmtT(a), k, fmtT(got), fmtT(want))
			}
			if got, want := c.Workdays(a, b), ref.workdays(a, b); got != want {
				t.Fatalf("%s step %d: Workdays(%s, %s) = %d, reference %d", tc.name, i, fmtT(a), fmtT(b), got, want)
			}
		}
	}
}
