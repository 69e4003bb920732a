package calendar_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/calendar"
)

func TestCalendar_AddDays(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name   string
		from   time.Time
		n      int
		want   time.Time
		reason string
	}{
		{"NationalDay2025", at(2025, 9, 26, 15, 0), 3, at(2025, 9, 30, 17, 30),
			"filed Friday 26 Sep: Sunday 28 is worked in lieu, then Monday 29 and Tuesday 30"},
		{"TimeOfDayIgnored", at(2025, 9, 26, 23, 59), 3, at(2025, 9, 30, 17, 30),
			"the count starts after t's date whatever the hour"},
		{"AcrossHoliday", at(2025, 9, 26, 9, 0), 4, at(2025, 10, 9, 17, 30),
			"1–8 October are off, the 4th working day is Thursday 9 October"},
		{"WorkedSaturday", at(2025, 9, 26, 9, 0), 6, at(2025, 10, 11, 17, 30),
			"Saturday 11 October is worked in lieu"},
		{"FromHoliday", at(2025, 10, 3, 10, 0), 1, at(2025, 10, 9, 17, 30),
			"a date off does not count; the next working day is 9 October"},
		{"FromWeekendBeforeWorkedSunday", at(2025, 9, 27, 10, 0), 1, at(2025, 9, 28, 17, 30),
			"Saturday 27 is off, Sunday 28 is the next working day"},
		{"ZeroOnWorkday", at(2025, 9, 26, 9, 0), 0, at(2025, 9, 26, 17, 30),
			"n = 0 is the end of t's own working day"},
		{"ZeroOnHoliday", at(2025, 10, 3, 9, 0), 0, at(2025, 9, 30, 17, 30),
			"n = 0 on a day off is the end of the last working day before it"},
		{"Negative", at(2025, 10, 9, 9, 0), -1, at(2025, 9, 30, 17, 30),
			"one working day before Thursday 9 October is Tuesday 30 September"},
		{"SpringFestival2026", at(2026, 2, 13, 16, 0), 1, at(2026, 2, 14, 17, 30),
			"Saturday 14 February 2026 is worked in lieu"},
		{"SpringFestival2026After", at(2026, 2, 14, 16, 0), 1, at(2026, 2, 24, 17, 30),
			"15–23 February 2026 are off"},
		{"NewYear2026", at(2025, 12, 31, 16, 0), 1, at(2026, 1, 4, 17, 30),
			"1–3 January 2026 off, Sunday 4 January worked"},
		{"OutsideCoverage", at(2030, 1, 4, 10, 0), 1, at(2030, 1, 7, 17, 30),
			"2030 has no notice: provisional, and no statutory day falls on 4–7 January, so Friday to Monday"},
		{"IntoCoverage", at(2014, 12, 31, 10, 0), 1, at(2015, 1, 4, 17, 30),
			"from the weekly rule into 2015: 1–3 January off, Sunday 4 worked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddDays(tt.from, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddDays(%s, %d) = %s, want %s (%s)", fmtT(tt.from), tt.n, fmtT(got), fmtT(tt.want), tt.reason)
			}
		})
	}
}

func TestCalendar_Add(t *testing.T) {
	c := calendar.Default()
	ns := time.Nanosecond
	tests := []struct {
		name   string
		from   time.Time
		d      time.Duration
		want   time.Time
		reason string
	}{
		{"InsideSpan", at(2025, 9, 26, 9, 0), time.Hour, at(2025, 9, 26, 10, 0), "plain addition inside the morning"},
		{"EndsAtBreak", at(2025, 9, 26, 11, 0), time.Hour, at(2025, 9, 26, 12, 0),
			"work that ends on the lunch break ends at 12:00, not 13:30"},
		{"CrossesBreak", at(2025, 9, 26, 11, 0), time.Hour + ns, at(2025, 9, 26, 13, 30).Add(ns),
			"one nanosecond past noon is the first nanosecond of the afternoon"},
		{"ZeroAtBreak", at(2025, 9, 26, 12, 0), 0, at(2025, 9, 26, 13, 30),
			"d = 0 is Next(t); spans are half-open so 12:00 is not working time"},
		{"ZeroInside", at(2025, 9, 26, 11, 0), 0, at(2025, 9, 26, 11, 0), "d = 0 inside office hours is t"},
		{"WholeDay", at(2025, 9, 26, 8, 30), 7*time.Hour + 30*time.Minute, at(2025, 9, 26, 17, 30),
			"a full day's work ends at 17:30 the same day"},
		{"AfterHoursWorkedSunday", at(2025, 9, 26, 17, 30), ns, at(2025, 9, 28, 8, 30).Add(ns),
			"after Friday's close the next working instant is Sunday 28 (worked in lieu)"},
		{"FromWeekend", at(2025, 9, 27, 10, 0), time.Hour, at(2025, 9, 28, 9, 30), "Saturday is off"},
		{"OverHoliday", at(2025, 9, 30, 17, 0), time.Hour, at(2025, 10, 9, 9, 0),
			"half an hour on 30 September, half an hour on 9 October"},
		{"Backwards", at(2025, 9, 30, 14, 30), -time.Hour, at(2025, 9, 30, 13, 30),
			"counting back lands on the start of the afternoon, not noon"},
		{"BackwardsOverHoliday", at(2025, 10, 9, 8, 30), -ns, at(2025, 9, 30, 17, 30).Add(-ns),
			"the working instant before 9 October is the last nanosecond of 30 September"},
		{"BackwardsToSpanStart", at(2025, 10, 9, 9, 0), -30 * time.Minute, at(2025, 10, 9, 8, 30),
			"the latest instant half an hour of work before 09:00"},
		{"SubSecond", at(2025, 9, 26, 8, 30).Add(ns), 3*time.Hour + 30*time.Minute, at(2025, 9, 26, 13, 30).Add(ns),
			"full nanosecond precision"},
		{"Week", at(2025, 9, 22, 8, 30), 5 * (7*time.Hour + 30*time.Minute), at(2025, 9, 26, 17, 30),
			"five days of work from Monday morning end on Friday evening"},
		{"OutsideCoverage", at(2030, 1, 4, 17, 0), time.Hour, at(2030, 1, 7, 9, 0),
			"2030: provisional, no statutory day on 4–7 January, Friday to Monday"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Add(tt.from, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("Add(%s, %v) = %s, want %s (%s)", fmtT(tt.from), tt.d, fmtT(got), fmtT(tt.want), tt.reason)
			}
			if got.Location() != c.Location() {
				t.Errorf("Add(%s, %v) location = %v, want the calendar's %v", fmtT(tt.from), tt.d, got.Location(), c.Location())
			}
		})
	}
}

func TestCalendar_Add_OtherLocation(t *testing.T) {
	c := calendar.Default()
	// 01:00 UTC on Friday 26 September 2025 is 09:00 in Shanghai.
	from := time.Date(2025, 9, 26, 1, 0, 0, 0, time.UTC)
	got := c.Add(from, time.Hour)
	want := at(2025, 9, 26, 10, 0)
	if !got.Equal(want) {
		t.Errorf("Add(%v, 1h) = %s, want %s: instants are read in the calendar's location", from, fmtT(got), fmtT(want))
	}
	if !c.IsWorkday(time.Date(2025, 9, 27, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("IsWorkday(2025-09-27 17:00 UTC) = false, want true: it is Sunday 28 (worked) in Shanghai")
	}
}

func TestCalendar_Between(t *testing.T) {
	c := calendar.Default()
	h := time.Hour
	tests := []struct {
		name   string
		a, b   time.Time
		want   time.Duration
		reason string
	}{
		{"Morning", at(2025, 9, 26, 8, 30), at(2025, 9, 26, 12, 0), 3*h + 30*time.Minute, "the morning span"},
		{"LunchIsFree", at(2025, 9, 26, 12, 0), at(2025, 9, 26, 13, 30), 0, "the break is not working time"},
		{"Empty", at(2025, 9, 26, 9, 0), at(2025, 9, 26, 9, 0), 0, "[a, a) is empty"},
		{"Reversed", at(2025, 9, 26, 10, 0), at(2025, 9, 26, 9, 0), -h, "negative when b < a"},
		{"NationalDayDeadline", at(2025, 9, 26, 15, 0), at(2025, 9, 30, 17, 30), 25 * h,
			"2h30 on Friday, 7h30 on each of Sunday 28, Monday 29 and Tuesday 30"},
		{"HolidayWeek", at(2025, 10, 1, 0, 0), at(2025, 10, 9, 0, 0), 0, "1–8 October are all off"},
		{"Year2025", at(2025, 1, 1, 0, 0), at(2026, 1, 1, 0, 0), 248 * (7*h + 30*time.Minute),
			"2025 had 248 working days: 261 weekdays − 18 weekdays off + 5 weekend days worked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Between(tt.a, tt.b); got != tt.want {
				t.Errorf("Between(%s, %s) = %v, want %v (%s)", fmtT(tt.a), fmtT(tt.b), got, tt.want, tt.reason)
			}
		})
	}
}

func TestCalendar_Next(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name   string
		from   time.Time
		want   time.Time
		reason string
	}{
		{"Inside", at(2025, 9, 26, 9, 15), at(2025, 9, 26, 9, 15), "working instants are their own next"},
		{"SpanStart", at(2025, 9, 26, 8, 30), at(2025, 9, 26, 8, 30), "spans include their start"},
		{"SpanEnd", at(2025, 9, 26, 12, 0), at(2025, 9, 26, 13, 30), "spans exclude their end"},
		{"Early", at(2025, 9, 26, 6, 0), at(2025, 9, 26, 8, 30), "before opening"},
		{"Evening", at(2025, 9, 26, 17, 30), at(2025, 9, 28, 8, 30), "after closing, the worked Sunday"},
		{"Holiday", at(2025, 10, 1, 10, 0), at(2025, 10, 9, 8, 30), "over the National Day holiday"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Next(tt.from); !got.Equal(tt.want) {
				t.Errorf("Next(%s) = %s, want %s (%s)", fmtT(tt.from), fmtT(got), fmtT(tt.want), tt.reason)
			}
		})
	}
}

func TestCalendar_IsWorkday(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		date   time.Time
		want   bool
		reason string
	}{
		{at(2025, 1, 26, 12, 0), true, "Sunday worked before the 2025 Spring Festival"},
		{at(2025, 1, 28, 12, 0), false, "Spring Festival Eve 2025, first day off"},
		{at(2025, 2, 4, 12, 0), false, "last day of the 2025 Spring Festival"},
		{at(2025, 2, 5, 12, 0), true, "back to work"},
		{at(2025, 2, 8, 12, 0), true, "Saturday worked after the 2025 Spring Festival"},
		{at(2025, 9, 28, 12, 0), true, "Sunday worked before National Day 2025"},
		{at(2025, 10, 8, 12, 0), false, "last day of National Day + Mid-Autumn 2025"},
		{at(2025, 10, 11, 12, 0), true, "Saturday worked after National Day 2025"},
		{at(2025, 10, 12, 12, 0), false, "an ordinary Sunday"},
		{at(2026, 1, 2, 12, 0), false, "New Year 2026, a Friday off"},
		{at(2026, 1, 4, 12, 0), true, "Sunday 4 January 2026 worked"},
		{at(2026, 2, 14, 12, 0), true, "Saturday worked before the 2026 Spring Festival"},
		{at(2026, 2, 23, 12, 0), false, "last day of the 2026 Spring Festival, a Monday"},
		{at(2026, 2, 28, 12, 0), true, "Saturday worked after the 2026 Spring Festival"},
		{at(2026, 4, 6, 12, 0), false, "Qingming 2026, a Monday"},
		{at(2026, 5, 5, 12, 0), false, "Labour Day 2026, a Tuesday"},
		{at(2026, 5, 9, 12, 0), true, "Saturday worked after Labour Day 2026"},
		{at(2026, 6, 19, 12, 0), false, "Dragon Boat 2026, a Friday"},
		{at(2026, 9, 20, 12, 0), true, "Sunday worked before National Day 2026"},
		{at(2026, 10, 7, 12, 0), false, "National Day 2026, a Wednesday"},
		{at(2026, 10, 10, 12, 0), true, "Saturday worked after National Day 2026"},
		{at(2020, 1, 31, 12, 0), false, "the 2020 Spring Festival extension"},
		{at(2020, 2, 1, 12, 0), false, "Saturday 1 February 2020: to be worked, then given off by the extension"},
		{at(2015, 9, 4, 12, 0), false, "the 2015 anniversary holiday"},
		{at(2015, 9, 6, 12, 0), true, "Sunday worked after the 2015 anniversary holiday"},
		{at(2027, 10, 1, 12, 0), false, "no 2027 notice: a provisional statutory day (国庆节), though a Friday"},
		{at(2027, 10, 4, 12, 0), true, "no 2027 notice: the provisional calendar guesses no bridge day after 国庆节 1–3 October"},
		{at(2014, 10, 1, 12, 0), true, "not covered: a Wednesday by the weekly rule"},
	}
	for _, tt := range tests {
		t.Run(tt.date.Format(time.DateOnly), func(t *testing.T) {
			if got := c.IsWorkday(tt.date); got != tt.want {
				t.Errorf("IsWorkday(%s) = %v, want %v (%s)", fmtT(tt.date), got, tt.want, tt.reason)
			}
		})
	}
}

func TestCalendar_IsWorkingTime(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		at     time.Time
		want   bool
		reason string
	}{
		{at(2025, 9, 26, 8, 30), true, "opening instant"},
		{at(2025, 9, 26, 12, 0), false, "noon ends the morning"},
		{at(2025, 9, 26, 17, 29), true, "last minute"},
		{at(2025, 9, 27, 10, 0), false, "Saturday off"},
		{at(2025, 9, 28, 10, 0), true, "Sunday worked in lieu"},
	}
	for _, tt := range tests {
		if got := c.IsWorkingTime(tt.at); got != tt.want {
			t.Errorf("IsWorkingTime(%s) = %v, want %v (%s)", fmtT(tt.at), got, tt.want, tt.reason)
		}
	}
}

func TestCalendar_Workdays(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		a, b   time.Time
		want   int
		reason string
	}{
		{at(2025, 9, 26, 15, 0), at(2025, 9, 30, 9, 0), 3, "26, 28 and 29 September; 30th is excluded"},
		{at(2025, 10, 1, 0, 0), at(2025, 10, 9, 0, 0), 0, "the holiday"},
		{at(2025, 9, 30, 0, 0), at(2025, 9, 26, 0, 0), -3, "reversed"},
		{at(2025, 1, 1, 0, 0), at(2026, 1, 1, 0, 0), 248, "working days of 2025"},
	}
	for _, tt := range tests {
		if got := c.Workdays(tt.a, tt.b); got != tt.want {
			t.Errorf("Workdays(%s, %s) = %d, want %d (%s)", fmtT(tt.a), fmtT(tt.b), got, tt.want, tt.reason)
		}
	}
}

func TestCalendar_Lookup(t *testing.T) {
	c := calendar.Default()
	got, ok := c.Lookup(at(2025, 9, 28, 10, 0))
	want := calendar.Entry{Date: "2025-09-28", Kind: calendar.Work, Name: "国庆节、中秋节调休"}
	if !ok {
		t.Fatalf("Lookup(2025-09-28) found nothing, want %+v", want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lookup(2025-09-28) mismatch (-want +got):\n%s", diff)
	}
	if e, ok := c.Lookup(at(2025, 9, 27, 10, 0)); ok {
		t.Errorf("Lookup(2025-09-27) = %+v, want nothing: an ordinary Saturday is not in a notice", e)
	}
}

func TestCalendar_Coverage(t *testing.T) {
	c := calendar.Default()
	first, last, ok := c.Coverage()
	if !ok || !first.Equal(at(2015, 1, 1, 0, 0)) || !last.Equal(at(2026, 12, 31, 0, 0)) {
		t.Errorf("Coverage() = %s, %s, %v; want 2015-01-01, 2026-12-31, true", fmtT(first), fmtT(last), ok)
	}
	for _, tt := range []struct {
		t    time.Time
		want bool
	}{
		{at(2014, 12, 31, 23, 59), false},
		{at(2015, 1, 1, 0, 0), true},
		{at(2026, 12, 31, 23, 59), true},
		{at(2027, 1, 1, 0, 0), false},
	} {
		if got := c.Covers(tt.t); got != tt.want {
			t.Errorf("Covers(%s) = %v, want %v", fmtT(tt.t), got, tt.want)
		}
	}
	bare := mustNew(t, &calendar.Options{ExcludeBuiltin: true})
	if _, _, ok := bare.Coverage(); ok {
		t.Errorf("Coverage() of a calendar without schedule: ok = true, want false")
	}
}

func TestCalendar_AllDay(t *testing.T) {
	c := mustNew(t, &calendar.Options{AllDay: true})
	tests := []struct {
		name   string
		got    any
		want   any
		reason string
	}{
		{"IsWorkdayHoliday", c.IsWorkday(at(2025, 10, 1, 3, 0)), true, "24×7 works on National Day"},
		{"IsWorkdaySaturday", c.IsWorkday(at(2025, 9, 27, 3, 0)), true, "24×7 works on Saturday"},
		{"WorkingAt3am", c.IsWorkingTime(at(2025, 10, 1, 3, 0)), true, "every instant is working time"},
		{"Next", c.Next(at(2025, 10, 1, 3, 0)), at(2025, 10, 1, 3, 0), "Next is the identity"},
		{"Add", c.Add(at(2025, 9, 30, 20, 0), 48*time.Hour), at(2025, 10, 2, 20, 0), "wall-clock addition"},
		{"AddBack", c.Add(at(2025, 9, 30, 20, 0), -48*time.Hour), at(2025, 9, 28, 20, 0), "wall-clock subtraction"},
		{"AddDays", c.AddDays(at(2025, 9, 26, 15, 0), 3), at(2025, 9, 30, 0, 0),
			"the end of Monday 29 (24:00) is midnight starting Tuesday 30"},
		{"Between", c.Between(at(2025, 10, 1, 0, 0), at(2025, 10, 8, 0, 0)), 7 * 24 * time.Hour, "a week of holidays is a week of work"},
		{"Daily", c.DailyHours(), 24 * time.Hour, "the whole day"},
		{"Saturates", c.Between(at(1800, 1, 1, 0, 0), at(2200, 1, 1, 0, 0)), time.Duration(1<<63 - 1),
			"400 years of 24×7 exceed time.Duration"},
	}
	opt := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got, opt); diff != "" {
			t.Errorf("%s mismatch (-want +got): %s\n%s", tt.name, tt.reason, diff)
		}
	}
}

func TestCalendar_CustomHours(t *testing.T) {
	// Summer hours with a late afternoon, given out of order, with seconds.
	opts := &calendar.Options{Hours: []calendar.Span{
		{Start: "14:30", End: "18:00:30"},
		{Start: "08:00", End: "12:00"},
	}}
	c := mustNew(t, opts)
	if got, want := c.DailyHours(), 7*time.Hour+30*time.Second+30*time.Minute; got != want {
		t.Errorf("DailyHours() = %v, want %v", got, want)
	}
	if got, want := c.AddDays(at(2025, 9, 26, 9, 0), 3), at(2025, 9, 30, 18, 0).Add(30*time.Second); !got.Equal(want) {
		t.Errorf("AddDays(Fri 26 Sep, 3) = %s, want %s: the day ends with the last span", fmtT(got), fmtT(want))
	}
	if got, want := c.Add(at(2025, 9, 26, 11, 0), 2*time.Hour), at(2025, 9, 26, 15, 30); !got.Equal(want) {
		t.Errorf("Add(11:00, 2h) = %s, want %s", fmtT(got), fmtT(want))
	}
}
