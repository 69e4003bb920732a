package calendar

import (
	"math"
	"sync"
	"time"
)

// Calendar answers working-time questions for one location, set of office hours and
// holiday schedule. It is immutable and safe for concurrent use. The zero value is
// not usable; use [Default] or [New].
//
// Every method takes constant time however far apart its instants are: working days
// are counted with a prefix-sum table over the years the schedule covers and with
// whole-week arithmetic outside them.
type Calendar struct {
	loc    *time.Location
	allDay bool
	spans  []span          // sorted, disjoint office hours of a working day
	before []time.Duration // working time in the spans before spans[i]
	daily  time.Duration   // working time of one working day
	dayEnd time.Duration   // end of the last span

	// The weekly rule (Saturday and Sunday off, or every day for AllDay), as seen
	// from day 0 (a Thursday): cycleWork[r] is whether day 0+r is a working day,
	// cyclePrefix[r] counts the working days among days 0..r-1 and cycleNth[j] is
	// the position of the j-th working day in the cycle.
	perWeek     int64
	cycleWork   [7]bool
	cyclePrefix [8]int64
	cycleNth    [7]int64

	// The table covers days [t0, t1): whole years from the first to the last year
	// of the schedule. work[i] says whether day t0+i is a working day; prefix[i]
	// counts the working days in [t0, t0+i); ords[j] is the offset from t0 of the
	// j-th working day in the table. base0 is the number of working days before t0
	// (counted from day 0, negative before it) and delta the shift the table adds
	// to the weekly count after t1.
	t0, t1 int64
	work   []bool
	prefix []int32
	ords   []int32
	base0  int64
	delta  int64

	entries map[int64]Entry
	opts    Options

	// noticed[y-minYear] says whether year y has a notice in the schedule;
	// noticedSum[i] counts the noticed years before minYear+i (for span checks).
	noticed    []bool
	noticedSum []int16
	strict     bool

	// safe are intervals of Unix seconds [lo, hi) inside which every day is in a
	// noticed year (a day's margin for any UTC offset): ProvisionalBetween answers
	// from them without a time zone lookup.
	safe [][2]int64

	// ordLo and ordHi are the ordinals of the first and last working days inside
	// the horizon: saturated counts stop there.
	ordLo, ordHi int64
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New(nil)
	if err != nil {
		panic("calendar: default calendar: " + err.Error())
	}
	return c
})

// Default returns Qinhuai's calendar: Asia/Shanghai, the embedded State Council
// schedule for 2015–2026 and office hours 08:30–12:00 and 13:30–17:30. It is built
// once and shared; it is immutable.
func Default() *Calendar { return defaultCalendar() }

// New returns a calendar configured by opts (nil means [DefaultOptions]). It reports
// every problem in opts at once, wrapping [gridgov.ErrInvalid]; see [Options.Validate].
func New(opts *Options) (*Calendar, error) {
	cc, err := opts.compile()
	if err != nil {
		return nil, err
	}
	c := &Calendar{loc: cc.loc, allDay: cc.allDay, spans: cc.spans}
	if opts != nil {
		c.opts = *opts
		c.opts.Hours = append([]Span(nil), opts.Hours...)
		c.opts.Days = append([]Entry(nil), opts.Days...)
	}

	c.before = make([]time.Duration, len(c.spans))
	for i, s := range c.spans {
		c.before[i] = c.daily
		c.daily += s.end - s.start
	}
	c.dayEnd = c.spans[len(c.spans)-1].end

	for r := range int64(7) {
		c.cycleWork[r] = cc.allDay || isWeekday(weekdayOf(r))
		c.cyclePrefix[r+1] = c.cyclePrefix[r]
		if c.cycleWork[r] {
			c.cycleNth[c.perWeek] = r
			c.perWeek++
			c.cyclePrefix[r+1]++
		}
	}

	c.strict = cc.strict
	c.noticed = make([]bool, maxYear-minYear+1)
	c.noticedSum = make([]int16, maxYear-minYear+2)
	for _, d := range cc.days {
		if y := noticeYear(d.day); y <= maxYear {
			c.noticed[y-minYear] = true
		}
	}
	for i, ok := range c.noticed {
		c.noticedSum[i+1] = c.noticedSum[i]
		if ok {
			c.noticedSum[i+1]++
		}
	}
	for y := minYear; y <= maxYear; y++ {
		if !c.noticed[y-minYear] || c.allDay {
			continue
		}
		last := y
		for last < maxYear && c.noticed[last+1-minYear] {
			last++
		}
		// From 20 December on, a day depends on the next year's notice too.
		lo, hi := civilDay(y, time.January, 1)+1, civilDay(last, time.December, 20)-1
		if last == maxYear {
			hi = civilDay(last+1, time.January, 1) - 1
		}
		c.safe = append(c.safe, [2]int64{lo * secondsPerDay, hi * secondsPerDay})
		y = last
	}
	days := cc.days
	if cc.provisional {
		days = c.withProvisional(days)
	}

	c.entries = make(map[int64]Entry, len(days))
	if len(days) > 0 {
		first, _, _ := civilDate(days[0].day)
		last, _, _ := civilDate(days[len(days)-1].day)
		c.t0 = civilDay(first, time.January, 1)
		c.t1 = civilDay(last+1, time.January, 1)
		n := c.t1 - c.t0
		c.work = make([]bool, n)
		for i := range n {
			c.work[i] = c.weekRule(c.t0 + i)
		}
		for _, d := range days {
			c.work[d.day-c.t0] = d.entry.Kind == Work
			c.entries[d.day] = d.entry
		}
		c.prefix = make([]int32, n+1)
		c.ords = make([]int32, 0, n*5/7+7) // about five working days a week
		for i := range n {
			c.prefix[i+1] = c.prefix[i]
			if c.work[i] {
				c.ords = append(c.ords, int32(i))
				c.prefix[i+1]++
			}
		}
	}
	c.base0 = c.weekCum(c.t0)
	c.delta = c.base0 + int64(len(c.ords)) - c.weekCum(c.t1)
	c.ordLo, c.ordHi = c.cum(-horizonDays), c.cum(horizonDays)-1
	return c, nil
}

func isWeekday(wd time.Weekday) bool { return wd != time.Saturday && wd != time.Sunday }

// weekRule is the weekly rule alone: whether day n is a working day ignoring holidays.
func (c *Calendar) weekRule(n int64) bool { return c.cycleWork[floorMod(n, 7)] }

// weekCum counts the working days in [0, n) by the weekly rule (negated for n < 0).
func (c *Calendar) weekCum(n int64) int64 {
	return floorDiv(n, 7)*c.perWeek + c.cyclePrefix[floorMod(n, 7)]
}

// isWork reports whether day n is a working day.
func (c *Calendar) isWork(n int64) bool {
	if n >= c.t0 && n < c.t1 {
		return c.work[n-c.t0]
	}
	return c.weekRule(n)
}

// cum counts the working days in [0, n) (negated for n < 0): the ordinal of the
// first working day on or after n.
func (c *Calendar) cum(n int64) int64 {
	switch {
	case n <= c.t0:
		return c.weekCum(n)
	case n < c.t1:
		return c.base0 + int64(c.prefix[n-c.t0])
	default:
		return c.weekCum(n) + c.delta
	}
}

// workday returns the working day with ordinal k: the day n with cum(n) == k that is
// a working day.
func (c *Calendar) workday(k int64) int64 {
	if k >= c.base0 {
		if j := k - c.base0; j < int64(len(c.ords)) {
			return c.t0 + int64(c.ords[j])
		}
		k -= c.delta
	}
	return floorDiv(k, c.perWeek)*7 + c.cycleNth[floorMod(k, c.perWeek)]
}

// split returns t's civil day number and wall-clock offset from midnight in c's location.
func (c *Calendar) split(t time.Time) (int64, time.Duration) {
	// One zone lookup instead of Date and Clock, which each redo the calendar maths.
	_, offset := t.In(c.loc).Zone()
	sec := t.Unix() + int64(offset)
	day := floorDiv(sec, secondsPerDay)
	return day, time.Duration(sec-day*secondsPerDay)*time.Second + time.Duration(t.Nanosecond())
}

const secondsPerDay = 24 * 60 * 60

// horizonDays bounds the day numbers the arithmetic produces: ±10^14 days from
// 1970 (about 2.7×10^11 years), so that day counts, ordinals and seconds never
// overflow int64. A count that would pass it saturates there.
const horizonDays = 100_000_000_000_000

// clampDay bounds a day number to the horizon.
func clampDay(n int64) int64 { return min(max(n, -horizonDays), horizonDays) }

// beyond reports whether day n lies outside the horizon (less two weeks, so that a
// working day always lies between n and the horizon): the calendar does no
// arithmetic there and returns the instant it was given.
func beyond(n int64) bool { return n < -horizonDays+14 || n > horizonDays-14 }

// clampOrd bounds a working-day ordinal to the working days inside the horizon.
// It reports whether k was moved: -1 down to the first, +1 up to the last, 0 kept.
func (c *Calendar) clampOrd(k int64) (int64, int) {
	if k < c.ordLo {
		return c.ordLo, -1
	}
	if k > c.ordHi {
		return c.ordHi, 1
	}
	return k, 0
}

// satAdd returns a + b, saturated at the int64 range.
func satAdd(a, b int64) int64 {
	s := a + b
	switch {
	case b > 0 && s < a:
		return math.MaxInt64
	case b < 0 && s > a:
		return math.MinInt64
	}
	return s
}

// at returns the instant at wall-clock offset off of day n, resolved as time.Date
// resolves a wall-clock time (the same offset lookups), without its calendar maths.
func (c *Calendar) at(n int64, off time.Duration) time.Time {
	local := n*secondsPerDay + int64(off/time.Second)
	_, guess := time.Unix(local, 0).In(c.loc).Zone()
	_, offset := time.Unix(local-int64(guess), 0).In(c.loc).Zone()
	return time.Unix(local-int64(offset), int64(off%time.Second)).In(c.loc)
}

// within returns the working time of a working day before wall-clock offset off.
func (c *Calendar) within(off time.Duration) time.Duration {
	for i, s := range c.spans {
		if off <= s.start {
			return c.before[i]
		}
		if off < s.end {
			return c.before[i] + off - s.start
		}
	}
	return c.daily
}

// pos returns the working position of an instant: the ordinal k of its day's working
// day count and the working time w already done on day k. Positions are ordered;
// Between is their difference.
func (c *Calendar) pos(t time.Time) (k int64, w time.Duration) {
	n, off := c.split(t)
	return c.posOf(clampDay(n), off)
}

// posOf is pos of the instant at wall-clock offset off of day n.
func (c *Calendar) posOf(n int64, off time.Duration) (k int64, w time.Duration) {
	k = c.cum(n)
	if c.isWork(n) {
		w = c.within(off)
	}
	return k, w
}

// offsetAt returns the wall-clock offset at which w of a day's working time is done.
// Where w falls on a break, early picks the end of the span before the break and
// !early the start of the span after it.
func (c *Calendar) offsetAt(w time.Duration, early bool) time.Duration {
	for i, s := range c.spans {
		end := c.before[i] + s.end - s.start
		if w < end || (early && w == end) {
			return s.start + w - c.before[i]
		}
	}
	return c.dayEnd
}

// IsWorkday reports whether t's civil date, in the calendar's location, is a working
// day: a weekday that no schedule gives off, or a weekend day worked in lieu. Every day
// is a working day of an AllDay calendar.
func (c *Calendar) IsWorkday(t time.Time) bool {
	n, _ := c.split(t)
	return c.isWork(n)
}

// IsWorkingTime reports whether t falls inside office hours on a working day.
func (c *Calendar) IsWorkingTime(t time.Time) bool {
	n, off := c.split(t)
	if !c.isWork(n) {
		return false
	}
	for _, s := range c.spans {
		if off >= s.start && off < s.end {
			return true
		}
	}
	return false
}

// Next returns the first working instant at or after t: t itself inside office hours
// of a working day, otherwise the start of the next span of office hours. Spans are
// half-open, so Next at 12:00 (the end of the morning) is 13:30. The result is in the
// calendar's location.
func (c *Calendar) Next(t time.Time) time.Time {
	n, off := c.split(t)
	if beyond(n) {
		return t.In(c.loc)
	}
	if c.isWork(n) {
		for _, s := range c.spans {
			if off < s.start {
				return c.at(n, s.start)
			}
			if off < s.end {
				return t.In(c.loc)
			}
		}
	}
	k, _ := c.clampOrd(c.cum(n + 1))
	return c.at(c.workday(k), c.spans[0].start)
}

// Add returns the instant at which d of working time has passed since t, measured as
// [Calendar.Between] measures it, so that Between(t, Add(t, d)) == d for every d ≥ 0:
//
//   - d > 0: the earliest such instant. Work that ends exactly at a break ends at the
//     break: Add(Fri 08:30, 7h30m) is Fri 17:30 with the default hours, not Mon 08:30,
//     and Add(10:00, 2h) is 12:00, not 13:30.
//   - d == 0: Next(t), the working instant at which work started at t can begin.
//   - d < 0: working time counted backwards; the latest instant e with
//     Between(e, t) == -d, so a count that stops on a break lands on the start of the
//     span after it (Add(14:30, -1h) is 13:30).
//
// The result is in the calendar's location, exact to the nanosecond.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d == 0 {
		return c.Next(t)
	}
	n, off := c.split(t)
	if beyond(n) {
		return t.In(c.loc)
	}
	k, w := c.posOf(n, off)
	k += int64(d / c.daily)
	w += d % c.daily
	if d > 0 { // normalise w into (0, daily]
		if w > c.daily {
			w -= c.daily
			k++
		}
		if w <= 0 {
			w += c.daily
			k--
		}
		k, moved := c.clampOrd(k)
		if moved != 0 {
			w = c.daily
		}
		return c.at(c.workday(k), c.offsetAt(w, true))
	}
	// normalise w into [0, daily)
	if w >= c.daily {
		w -= c.daily
		k++
	}
	if w < 0 {
		w += c.daily
		k--
	}
	k, moved := c.clampOrd(k)
	if moved != 0 {
		w = 0
	}
	return c.at(c.workday(k), c.offsetAt(w, false))
}

// AddDays returns the end of office hours (17:30 by default; midnight ending the day
// for AllDay) of the n-th working day after t's civil date. The time of day of t
// does not matter, and t's own date never counts for n ≥ 1: a case filed on Friday
// 2025-09-26 with three working days is due on Tuesday 2025-09-30 at 17:30, the
// working days being Sunday 28 (worked in lieu), Monday 29 and Tuesday 30.
//
// For n ≤ 0 the count runs backwards with the same step: AddDays(t, 0) is the end of
// the last working day on or before t's date, and AddDays(t, n+1) is always the
// working day after AddDays(t, n).
//
// A count that would leave the horizon (about 2.7×10^11 years either side of 1970)
// saturates at the last (or first) working day inside it, so that AddDays never
// goes backwards for n ≥ 1 nor forwards for n ≤ -1, whatever n; an instant already
// beyond the horizon is returned unchanged. Add and Next saturate the same way.
func (c *Calendar) AddDays(t time.Time, n int) time.Time {
	day, _ := c.split(t)
	if beyond(day) {
		return t.In(c.loc)
	}
	k, _ := c.clampOrd(satAdd(c.cum(day+1)-1, int64(n)))
	return c.at(c.workday(k), c.dayEnd)
}

// Between returns the working time in [a, b): office hours on working days. It is
// negative when b is before a, and additive: Between(a, b) + Between(b, c) ==
// Between(a, c). A result beyond the range of time.Duration (about 292 years)
// saturates.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	ka, wa := c.pos(a)
	kb, wb := c.pos(b)
	dk, dw := kb-ka, wb-wa
	limit := int64(math.MaxInt64/c.daily) - 1
	switch {
	case dk > limit:
		return math.MaxInt64
	case dk < -limit:
		return math.MinInt64
	}
	return time.Duration(dk)*c.daily + dw
}

// Workdays returns the number of working days in the date range [a's date, b's date),
// negative when b's date is before a's.
func (c *Calendar) Workdays(a, b time.Time) int {
	na, _ := c.split(a)
	nb, _ := c.split(b)
	return int(c.cum(clampDay(nb)) - c.cum(clampDay(na)))
}

// Lookup returns the schedule entry for t's civil date, if the schedule names it.
func (c *Calendar) Lookup(t time.Time) (Entry, bool) {
	n, _ := c.split(t)
	e, ok := c.entries[n]
	return e, ok
}

// Covers reports whether t's date lies in a year whose notice the schedule holds.
// In other years the calendar is provisional (see [Calendar.Provisional]): it counts
// the statutory holidays, or the plain weekly rule, until a district loads the
// year's notice through [Options.Days].
func (c *Calendar) Covers(t time.Time) bool {
	n, _ := c.split(t)
	y, _, _ := civilDate(clampDay(n))
	return y >= minYear && y <= maxYear && c.noticed[y-minYear]
}

// Coverage returns the first date of the first year and the last date of the last
// year with a notice (midnight in the calendar's location); years between them may
// lack one (see [Calendar.Covers]). ok is false when the schedule holds no notice.
func (c *Calendar) Coverage() (first, last time.Time, ok bool) {
	lo, hi := -1, -1
	for i, n := range c.noticed {
		if n {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	if lo < 0 {
		return time.Time{}, time.Time{}, false
	}
	return c.at(civilDay(minYear+lo, time.January, 1), 0), c.at(civilDay(minYear+hi, time.December, 31), 0), true
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// DailyHours returns the working time of one working day (7h30m by default).
func (c *Calendar) DailyHours() time.Duration { return c.daily }

// Options returns a copy of the options the calendar was built from (zero for Default).
func (c *Calendar) Options() Options {
	o := c.opts
	o.Hours = append([]Span(nil), o.Hours...)
	o.Days = append([]Entry(nil), o.Days...)
	return o
}
