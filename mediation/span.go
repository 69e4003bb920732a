package mediation

import (
	"fmt"
	"time"

	"github.com/gridgov/gridgov/calendar"
)

// Span is a time limit: either calendar months and days, or working days.
//
// Calendar spans are counted the way Chinese procedural law counts periods (民事诉讼法
// art. 85): the day the period starts is not counted; a span of months ends on the
// corresponding day of the last month, or on that month's last day when it has no such
// day; and with RollOver, a last day that is not a working day (a weekend or a public
// holiday, but not a weekend day worked in lieu, 调休) moves to the next working day. The
// deadline is the end (23:59:59) of the last day in the calendar's time zone.
//
// Working-day spans end at the close of office hours of the n-th working day after the
// start, as [calendar.Calendar.AddDays] counts them.
//
// The judicial-confirmation window is a calendar span (30 days, art. 33 of the People's
// Mediation Law): a holiday inside the window does not lengthen it; only a last day
// falling on a holiday moves.
//
// A Span is a plain value, safe for concurrent use.
type Span struct {
	// Months and Days are calendar months and days, counted months first.
	Months int `json:"months,omitempty" yaml:"months,omitempty"`
	Days   int `json:"days,omitempty" yaml:"days,omitempty"`
	// WorkingDays counts working days instead; it excludes Months and Days.
	WorkingDays int `json:"working_days,omitempty" yaml:"working_days,omitempty"`
	// RollOver moves a calendar span's last day past weekends and holidays.
	RollOver bool `json:"roll_over,omitempty" yaml:"roll_over,omitempty"`
}

// IsZero reports whether s is the zero span.
func (s Span) IsZero() bool { return s == Span{} }

// String returns e.g. "1 month", "30 days (rolled over holidays)" or "20 working days".
func (s Span) String() string {
	var out string
	switch {
	case s.WorkingDays > 0:
		return fmt.Sprintf("%d working days", s.WorkingDays)
	case s.Months > 0 && s.Days > 0:
		out = fmt.Sprintf("%d months %d days", s.Months, s.Days)
	case s.Months == 1:
		out = "1 month"
	case s.Months > 0:
		out = fmt.Sprintf("%d months", s.Months)
	default:
		out = fmt.Sprintf("%d days", s.Days)
	}
	if s.RollOver {
		out += " (rolled over holidays)"
	}
	return out
}

func (s Span) check(add func(path, format string, args ...any), path string, required bool) {
	switch {
	case s.Months < 0 || s.Days < 0 || s.WorkingDays < 0:
		add(path, "must not be negative: %+v", s)
	case s.WorkingDays > 0 && (s.Months > 0 || s.Days > 0):
		add(path, "set either months/days or working_days, not both")
	case s.WorkingDays > 0 && s.RollOver:
		add(path, "roll_over applies to calendar spans only")
	case required && s.IsZero():
		add(path, "required")
	case required && s.Months == 0 && s.Days == 0 && s.WorkingDays == 0:
		add(path, "must be longer than zero")
	}
}

// Deadline returns the last instant of the span started at from: counted on cal, in
// cal's time zone. See [Span] for the counting rules. A zero span returns from.
func (s Span) Deadline(cal *calendar.Calendar, from time.Time) time.Time {
	if s.WorkingDays > 0 {
		return cal.AddDays(from, s.WorkingDays)
	}
	if s.Months == 0 && s.Days == 0 {
		return from
	}
	loc := cal.Location()
	y, m, d := from.In(loc).Date()
	if s.Months > 0 {
		target := time.Date(y, m+time.Month(s.Months), 1, 0, 0, 0, 0, loc)
		last := daysIn(target.Year(), target.Month(), loc)
		y, m, d = target.Year(), target.Month(), min(d, last)
	}
	day := time.Date(y, m, d+s.Days, 12, 0, 0, 0, loc)
	if s.RollOver {
		// A holiday run is never longer than a few weeks; the bound only guards a
		// calendar that claims no working day at all.
		for i := 0; i < 366 && !cal.IsWorkday(day); i++ {
			day = day.AddDate(0, 0, 1)
		}
	}
	y, m, d = day.Date()
	return time.Date(y, m, d, 23, 59, 59, 0, loc)
}

func daysIn(y int, m time.Month, loc *time.Location) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, loc).Day()
}
