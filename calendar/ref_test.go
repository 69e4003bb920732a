package calendar_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridgov/gridgov/calendar"
)

// refCal is the naive reference: it walks day by day over plain time.Time values,
// with its own reading of the options and the schedule, and shares no code with the
// package's tables.
type refCal struct {
	loc    *time.Location
	allDay bool
	spans  [][2]time.Duration
	days   map[string]calendar.Kind
}

func newRef(tb testing.TB, opts *calendar.Options) *refCal {
	tb.Helper()
	r := &refCal{days: map[string]calendar.Kind{}}
	o := calendar.Options{}
	if opts != nil {
		o = *opts
	}
	name := o.Location
	if name == "" {
		name = "Asia/Shanghai"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("reference: %v", err)
	}
	r.loc = loc
	r.allDay = o.AllDay
	hours := o.Hours
	if len(hours) == 0 {
		hours = calendar.DefaultHours()
	}
	if o.AllDay {
		r.spans = [][2]time.Duration{{0, 24 * time.Hour}}
	} else {
		for _, h := range hours {
			r.spans = append(r.spans, [2]time.Duration{refClock(tb, h.Start), refClock(tb, h.End)})
		}
		for i := range r.spans { // insertion sort: the options may list spans in any order
			for j := i; j > 0 && r.spans[j][0] < r.spans[j-1][0]; j-- {
				r.spans[j], r.spans[j-1] = r.spans[j-1], r.spans[j]
			}
		}
		if !o.ExcludeBuiltin {
			for _, e := range calendar.Builtin() {
				r.days[e.Date] = e.Kind
			}
		}
		for _, e := range o.Days {
			r.days[e.Date] = e.Kind
		}
		if !o.ExcludeBuiltin {
			// Years without a notice get their statutory holidays. A date from 20
			// December on belongs to the next year's notice (its New Year holiday).
			noticed := map[int]bool{}
			for date := range r.days {
				d, err := time.Parse(time.DateOnly, date)
				if err != nil {
					tb.Fatalf("reference: %v", err)
				}
				y := d.Year()
				if d.Month() == time.December && d.Day() >= 20 {
					y++
				}
				noticed[y] = true
			}
			for y := 2025; y <= calendar.ProvisionalThrough; y++ {
				if noticed[y] {
					continue
				}
				days, err := calendar.StatutoryHolidays(y)
				if err != nil {
					tb.Fatalf("reference: %v", err)
				}
				for _, e := range days {
					r.days[e.Date] = e.Kind
				}
			}
		}
	}
	return r
}

func refClock(tb testing.TB, s string) time.Duration {
	tb.Helper()
	var d time.Duration
	units := []time.Duration{time.Hour, time.Minute, time.Second}
	for i, p := range strings.Split(s, ":") {
		n, err := strconv.Atoi(p)
		if err != nil {
			tb.Fatalf("reference: clock %q: %v", s, err)
		}
		d += time.Duration(n) * units[i]
	}
	return d
}

// midnight returns the start of t's date in the reference's location.
func (r *refCal) midnight(t time.Time) time.Time {
	y, m, d := t.In(r.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, r.loc)
}

func (r *refCal) isWork(day time.Time) bool {
	if r.allDay {
		return true
	}
	switch r.days[day.Format(time.DateOnly)] {
	case calendar.Off:
		return false
	case calendar.Work:
		return true
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// spansOf returns the office-hour intervals of day (a midnight), none on a day off.
func (r *refCal) spansOf(day time.Time) [][2]time.Time {
	if !r.isWork(day) {
		return nil
	}
	var out [][2]time.Time
	for _, s := range r.spans {
		out = append(out, [2]time.Time{day.Add(s[0]), day.Add(s[1])})
	}
	return out
}

func (r *refCal) between(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -r.between(b, a)
	}
	var sum time.Duration
	for day := r.midnight(a); day.Before(b); day = day.AddDate(0, 0, 1) {
		for _, s := range r.spansOf(day) {
			lo, hi := s[0], s[1]
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

func (r *refCal) next(t time.Time) time.Time {
	for day := r.midnight(t); ; day = day.AddDate(0, 0, 1) {
		for _, s := range r.spansOf(day) {
			if t.Before(s[1]) {
				if t.After(s[0]) {
					return t
				}
				return s[0]
			}
		}
	}
}

func (r *refCal) add(t time.Time, d time.Duration) time.Time {
	switch {
	case d == 0:
		return r.next(t)
	case d > 0:
		left := d
		for day := r.midnight(t); ; day = day.AddDate(0, 0, 1) {
			for _, s := range r.spansOf(day) {
				lo := s[0]
				if lo.Before(t) {
					lo = t
				}
				if !s[1].After(lo) {
					continue
				}
				if n := s[1].Sub(lo); left <= n {
					return lo.Add(left)
				} else {
					left -= n
				}
			}
		}
	default:
		left := -d
		for day := r.midnight(t); ; day = day.AddDate(0, 0, -1) {
			spans := r.spansOf(day)
			for i := len(spans) - 1; i >= 0; i-- {
				s := spans[i]
				hi := s[1]
				if hi.After(t) {
					hi = t
				}
				if !hi.After(s[0]) {
					continue
				}
				if n := hi.Sub(s[0]); left <= n {
					return hi.Add(-left)
				} else {
					left -= n
				}
			}
		}
	}
}

func (r *refCal) addDays(t time.Time, n int) time.Time {
	day := r.midnight(t)
	if n >= 1 {
		for n > 0 {
			day = day.AddDate(0, 0, 1)
			if r.isWork(day) {
				n--
			}
		}
	} else {
		for !r.isWork(day) {
			day = day.AddDate(0, 0, -1)
		}
		for ; n < 0; n++ {
			day = day.AddDate(0, 0, -1)
			for !r.isWork(day) {
				day = day.AddDate(0, 0, -1)
			}
		}
	}
	return day.Add(r.spans[len(r.spans)-1][1])
}

func (r *refCal) workdays(a, b time.Time) int {
	if b.Before(a) {
		return -r.workdays(b, a)
	}
	n := 0
	end := r.midnight(b)
	for day := r.midnight(a); day.Before(end); day = day.AddDate(0, 0, 1) {
		if r.isWork(day) {
			n++
		}
	}
	return n
}
