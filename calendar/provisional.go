package calendar

import (
	"errors"
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
)

// ErrNoNotice is wrapped by the error of [Calendar.Check] on a strict calendar when
// a span depends on a year whose holiday notice the schedule lacks.
var ErrNoNotice = errors.New("calendar: no holiday notice for the year")

// noticeYear is the year whose notice publishes an entry on day n: the New Year
// holiday of a notice may start in the last days of the December before (2018-12-30
// is in the 2019 notice), so dates from 20 December on count towards the next year.
func noticeYear(n int64) int {
	y, m, d := civilDate(n)
	if m == time.December && d >= 20 {
		return y + 1
	}
	return y
}

// withProvisional returns days with the statutory holidays added for every year
// from 2025 through ProvisionalThrough that no notice in days covers. An entry of
// days wins over a statutory day of the same date.
func (c *Calendar) withProvisional(days []dayEntry) []dayEntry {
	prov := provisionalDays()
	var extra []dayEntry
	for y := statutoryFrom; y <= ProvisionalThrough; y++ {
		if !c.noticed[y-minYear] {
			extra = append(extra, prov[y]...)
		}
	}
	if len(extra) == 0 {
		return days
	}
	// Both are in date order and their years do not overlap except where a notice
	// starts in December: one linear merge, days winning on a shared date.
	out := make([]dayEntry, 0, len(extra)+len(days))
	i, j := 0, 0
	for i < len(extra) || j < len(days) {
		switch {
		case j == len(days) || (i < len(extra) && extra[i].day < days[j].day):
			out = append(out, extra[i])
			i++
		case i < len(extra) && extra[i].day == days[j].day:
			i++ // the notice's entry wins
		default:
			out = append(out, days[j])
			j++
		}
	}
	return out
}

// Provisional reports whether working time in year depends on a schedule that no
// notice confirms: the year has no notice in the calendar's schedule, so the
// calendar counts its statutory holidays (see [StatutoryHolidays]; the weekly rule
// alone before 2025, after [ProvisionalThrough], and for a calendar built with
// ExcludeBuiltin). Loading the year's notice ([Options.Days]) makes it final. An
// AllDay calendar follows no notice and is never provisional.
func (c *Calendar) Provisional(year int) bool {
	if c.allDay {
		return false
	}
	return year < minYear || year > maxYear || !c.noticed[year-minYear]
}

// ProvisionalBetween reports whether working time between a and b (in either order)
// depends on a provisional year: whether any civil date from the earlier one's to
// the later one's falls in a year without notice, or is on or after 20 December of
// a year whose next year has none (that notice may give the last days of December
// off for the New Year). It takes constant time.
func (c *Calendar) ProvisionalBetween(a, b time.Time) bool {
	if c.allDay {
		return false
	}
	ua, ub := a.Unix(), b.Unix()
	if ub < ua {
		ua, ub = ub, ua
	}
	for _, r := range c.safe {
		if ua >= r[0] && ub < r[1] {
			return false
		}
	}
	na, _ := c.split(a)
	nb, _ := c.split(b)
	if nb < na {
		na, nb = nb, na
	}
	ya, _, _ := civilDate(clampDay(na))
	yb := noticeYear(clampDay(nb))
	if ya < minYear || yb > maxYear {
		return true
	}
	return int(c.noticedSum[yb-minYear+1]-c.noticedSum[ya-minYear]) != yb-ya+1
}

// Check returns nil unless the calendar is strict ([Options.Strict]) and working
// time between a and b depends on a year without notice ([Calendar.ProvisionalBetween]);
// then it returns an error wrapping [gridgov.ErrPrecondition] and [ErrNoNotice] that
// names the first such year.
func (c *Calendar) Check(a, b time.Time) error {
	if !c.strict || !c.ProvisionalBetween(a, b) {
		return nil
	}
	na, _ := c.split(a)
	nb, _ := c.split(b)
	if nb < na {
		na, nb = nb, na
	}
	y, _, _ := civilDate(clampDay(na))
	for ; y <= noticeYear(clampDay(nb)); y++ {
		if c.Provisional(y) {
			break
		}
	}
	return &gridgov.Error{
		Op: "calendar.Check", Kind: gridgov.ErrPrecondition, Rule: "calendar.strict",
		Msg: fmt.Sprintf("working time from %s to %s depends on %d, whose holiday notice is not loaded",
			a.In(c.loc).Format(time.DateOnly), b.In(c.loc).Format(time.DateOnly), y),
		Err: ErrNoNotice,
	}
}
