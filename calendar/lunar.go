package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// lunarSui is the Chinese calendar's year from one winter solstice to the next (岁),
// reckoned in China Standard Time by the rules of GB/T 33661-2017: a month (月) runs
// from the day of a new moon (朔日) to the day before the next; the month containing
// the winter solstice (冬至) is month 11; when eleven-to-eleven holds 13 months, the
// first of them with no principal term (中气) is the leap month (闰月) and repeats the
// number of the month before it.
type lunarSui struct {
	starts []int64 // CST day of the first day of each month, and of the next month 11
	number []int   // the month numbers, 11, 12, 1, …
	leap   int     // index of the leap month, or -1
}

// principal terms from the winter solstice: longitudes 270, 300, …, 270 again.
const suiTerms = 13

// suiOf returns the sui that starts with month 11 of Gregorian year y-1 and holds
// months 1–10 of lunar year y.
func suiOf(y int) lunarSui {
	ws0 := solarTerm(270, termGuess(y-1, 270))
	ws1 := solarTerm(270, termGuess(y, 270))
	k0, _ := newMoonOnOrBefore(cstDay(ws0))
	k1, _ := newMoonOnOrBefore(cstDay(ws1))
	n := int(k1 - k0)
	s := lunarSui{starts: make([]int64, n+1), number: make([]int, n), leap: -1}
	for i := range n + 1 {
		s.starts[i] = cstDay(newMoon(k0 + float64(i)))
	}
	if n == 13 {
		var terms [suiTerms]int64
		for j := range suiTerms {
			lon := float64((270 + 30*j) % 360)
			terms[j] = cstDay(solarTerm(lon, ws0+float64(30*j)*365.2422/360))
		}
		for i := range n {
			has := false
			for _, d := range terms {
				if d >= s.starts[i] && d < s.starts[i+1] {
					has = true
					break
				}
			}
			if !has {
				s.leap = i
				break
			}
		}
	}
	num := 11
	for i := range n {
		if i > 0 && i != s.leap {
			num = num%12 + 1
		}
		s.number[i] = num
	}
	return s
}

// month returns the CST day of the first day of the (non-leap) month m of the sui.
func (s lunarSui) month(m int) int64 {
	for i, x := range s.number {
		if x == m && i != s.leap {
			return s.starts[i]
		}
	}
	panic(fmt.Sprintf("calendar: lunar sui without month %d", m)) // unreachable: every sui has 12 numbers
}

// qingmingDay returns the CST day of the Qingming solar term (清明, the Sun at 15°) of year y.
func qingmingDay(y int) int64 {
	return cstDay(solarTerm(15, termGuess(y, 15)))
}

// The statutory holidays (法定节假日) as the State Council's Measures on National
// Holidays and Memorial Days (全国年节及纪念日放假办法) state them since the revision of
// 2024, in force from 1 January 2025. Before that year the rules gave 11 days and
// are not modelled: the embedded notices cover those years.
const (
	statutoryFrom = 2025
	// ProvisionalThrough is the last year for which a calendar computes provisional
	// holidays; after it only the weekly rule applies (still provisional). The
	// astronomy is checked against the ephemeris through this year.
	ProvisionalThrough = 2100
)

// StatutoryHolidays returns the days that the Measures on National Holidays (全国年节及
// 纪念日放假办法, as revised in 2024) give every citizen off in year, in date order:
// 元旦 New Year's Day (1 January), 春节 the Spring Festival (4 days: New Year's Eve,
// 除夕, the last day of lunar month 12, and 正月初一 to 初三), 清明节 Qingming (the day
// of the solar term), 劳动节 Labour Day (1–2 May), 端午节 the Dragon Boat Festival
// (lunar 5/5), 中秋节 Mid-Autumn (lunar 8/15) and 国庆节 National Day (1–3 October).
// The lunar and solar-term dates are computed (see the package doc), in China
// Standard Time. When Mid-Autumn falls on 1–3 October the day is listed once, named
// "国庆节、中秋节".
//
// These are the statutory days only. The year's notice usually moves days around
// them: a weekday given off for a holiday that falls on a weekend (补假, art. 6 of
// the Measures, placed by the notice), bridge days, and weekend days worked in lieu
// (调休). None of that is guessed here, which is why a calendar marks a year built
// from these days as provisional ([Calendar.Provisional]).
//
// The year must lie in 2025–2999; other years are refused with an error wrapping
// [gridgov.ErrInvalid].
func StatutoryHolidays(year int) ([]Entry, error) {
	if year < statutoryFrom || year > maxYear {
		return nil, invalid("calendar.StatutoryHolidays", "", "year %d: the 2024 rules apply to %d–%d", year, statutoryFrom, maxYear)
	}
	days := statutoryDays(year)
	out := make([]Entry, len(days))
	for i, d := range days {
		out[i] = d.entry
	}
	return out, nil
}

// statutoryDays computes StatutoryHolidays for a year in range.
func statutoryDays(y int) []dayEntry {
	s := suiOf(y)
	cny := s.month(1)
	names := map[int64]string{}
	add := func(day int64, name string) {
		if prev, ok := names[day]; ok && prev != name {
			name = prev + "、" + name
		}
		names[day] = name
	}
	add(civilDay(y, time.January, 1), "元旦")
	for d := cny - 1; d <= cny+2; d++ {
		add(d, "春节")
	}
	add(qingmingDay(y), "清明节")
	add(civilDay(y, time.May, 1), "劳动节")
	add(civilDay(y, time.May, 2), "劳动节")
	add(s.month(5)+4, "端午节")
	for d := civilDay(y, time.October, 1); d <= civilDay(y, time.October, 3); d++ {
		add(d, "国庆节")
	}
	add(s.month(8)+14, "中秋节")
	out := make([]dayEntry, 0, len(names))
	for day, name := range names {
		yy, m, dd := civilDate(day)
		out = append(out, dayEntry{day: day, entry: Entry{
			Date: fmt.Sprintf("%04d-%02d-%02d", yy, m, dd), Kind: Off, Name: name,
		}})
	}
	slices.SortFunc(out, func(a, b dayEntry) int { return int(a.day - b.day) })
	return out
}

// provisionalDays caches statutoryDays for every year a calendar may compute, from
// statutoryFrom through ProvisionalThrough; it is computed once and never modified.
var provisionalDays = sync.OnceValue(func() map[int][]dayEntry {
	m := make(map[int][]dayEntry, ProvisionalThrough-statutoryFrom+1)
	for y := statutoryFrom; y <= ProvisionalThrough; y++ {
		m[y] = statutoryDays(y)
	}
	return m
})
