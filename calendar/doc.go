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
// default 08:30–12:00 and 13:30–17:30, which are policy) and the holiday schedule. The
// schedules for 2015 through 2026 are embedded (see [Builtin]); later years, or
// corrections, are data loaded through [Options.Days] from the text format
// ([ParseText]) or YAML/JSON ([ParseYAML]). Outside the years the schedule covers the
// calendar applies the plain weekly rule, Monday to Friday. An AllDay calendar runs
// 24×7 (全天候) for emergency work.
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
