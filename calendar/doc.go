// Package calendar does working-time arithmetic (工作时间计算) for deadlines counted in
// working days and hours, as the State Council sets them.
//
// Every year the General Office of the State Council publishes a notice on the public
// holidays (法定节假日) and moves working days around them: weekdays next to a holiday
// are given off and, in exchange, Saturdays or Sundays are worked in lieu (调休). A
// deadline of "three working days" must use that schedule, not the plain week: a case
// filed on Friday 2025-09-26 is due on Tuesday 2025-09-30, because Sunday 28 September
// was a working day before the National Day and Mid-Autumn holiday of 1–8 October.
//
// A [Calendar] combines a location (Asia/Shanghai), daily office hours (办公时间, by
// default 08:30–12:00 and 13:30–17:30, which are policy) and the holiday schedule. An
// AllDay calendar runs 24×7 (全天候) for emergency work.
//
// # Where the schedule comes from
//
// The schedule is the State Council's. Each autumn or early winter the General
// Office of the State Council publishes the notice on the next year's holiday
// arrangements (国务院办公厅关于XXXX年部分节假日安排的通知) on the central government's
// website and in the State Council Gazette; it names every day off and every
// weekend day worked. Exceptional notices amend it
// (the 2015 anniversary holiday, the 2019 Labour Day change, the 2020 extension of
// the Spring Festival). The notices for 2015 through 2026 are embedded, transcribed
// line by line (see [Builtin] and holidays_cn.txt).
//
// A district loads next year's notice the day it is published, without waiting for
// a release of this package: it types the notice into the text format, one line
// per date ("2027-01-01 off 元旦", "2027-02-20 work 春节调休"; see [ParseText]) or
// into YAML/JSON ([ParseYAML]), reads it with ParseText, and builds its calendar with
// the entries in [Options.Days] (or in the days: list of its profile). A year with
// at least one entry in Days counts as noticed, and its entries are the year's
// whole schedule; entries dated from 20 December on count towards the next year's
// notice (its New Year holiday). Rebuilding the calendar and refreshing open cases
// (escalation's Refresh) recomputes their deadlines.
//
// # Provisional years
//
// A year whose notice the schedule lacks is provisional ([Calendar.Provisional]).
// Working time in it is never silently the plain week: from 2025 through
// [ProvisionalThrough] the calendar counts the statutory holidays of the Measures on
// National Holidays (全国年节及纪念日放假办法, as revised in 2024, in force since
// 2025): 元旦 1 day, 春节 4 days from New Year's Eve, 清明 1, 劳动节 2, 端午 1, 中秋 1,
// 国庆 3 (see [StatutoryHolidays]). The lunar and solar-term dates are computed, not
// tabled: new moons (Meeus, Astronomical Algorithms, ch. 49) and the Sun's apparent
// longitude (ch. 25), converted from dynamical time with ΔT and reckoned in China
// Standard Time (UTC+8) by the rules of the Chinese calendar (农历): the month holding
// the winter solstice is month 11, in a year of 13 months the first month without
// a principal term (中气) is the leap month, and New Year's Eve (除夕) is the last day
// of month 12. No day moved by a notice is guessed — no weekday given off in lieu
// of a holiday on a weekend (补假), no bridge day, no weekend day worked (调休) — so
// the real notice usually differs, which is why the year stays provisional until
// its notice is loaded. Before 2025, after ProvisionalThrough and on a calendar built
// with ExcludeBuiltin, a year without notice follows the weekly rule, Monday to
// Friday, and is provisional as well.
//
// [Calendar.ProvisionalBetween] says whether working time between two instants
// depends on a provisional year; the escalation package marks every deadline that
// does. A strict calendar ([Options.Strict]) refuses instead: [Calendar.Check]
// returns an error wrapping [ErrNoNotice] for such a span, and escalation refuses
// the deadline.
//
// # Working time
//
// Office hours are half-open wall-clock spans [start, end). Between(a, b) is the
// working time in [a, b): additive and negative when b < a. Add(t, d) is the earliest
// instant at which d of working time has passed since t, so Between(t, Add(t, d)) == d
// for d ≥ 0, and work that ends on a break ends at the break (Add(10:00, 2h) is 12:00;
// Next(12:00) is 13:30). AddDays(t, n) is the end of office hours of the n-th working
// day after t's date. Instants keep full time.Time precision.
//
// The arithmetic saturates and never goes backwards: a count that would leave the
// horizon of 10^14 days either side of 1970 (about 2.7×10^11 years) stops at the
// last working day inside it, so AddDays(t, n) is after t for every n ≥ 1 and
// Add(t, d) is not before t for every d ≥ 0, however large; Between saturates at
// the range of time.Duration.
//
// Every operation takes constant time, however far apart its instants: the calendar
// precomputes, over the covered years, whether each day is a working day, prefix sums
// of working days and the position of each working day, and uses whole-week
// arithmetic outside them.
//
// # Units
//
// A unit of the organisation tree may run its own calendar (a 24×7 command centre, a
// street with different office hours); its descendants inherit it. A [Set] maps unit
// IDs to calendars and resolves a unit's calendar through a parent function the caller
// supplies, so this package does not depend on the hierarchy package.
package calendar
