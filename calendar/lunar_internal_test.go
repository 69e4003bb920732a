package calendar

import (
	"fmt"
	"testing"
)

func dayString(n int64) string {
	y, m, d := civilDate(n)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// knownLunarDates are the Gregorian dates (MM-DD) of 春节 (正月初一), 清明, 端午 (五月初五)
// and 中秋 (八月十五) for 1990–2050, as published Chinese calendars give them. Every
// row was checked against an independent implementation of the Chinese calendar
// (the 寿星 algorithm, which uses the VSOP87 and ELP theories) and every Qingming
// date against the libastro ephemeris; the Spring Festival dates also against the
// published lists. They are checks only: the package computes these dates.
var knownLunarDates = []struct {
	year                          int
	cny, qingming, dragon, autumn string
}{
	{1990, "01-27", "04-05", "05-28", "10-03"},
	{1991, "02-15", "04-05", "06-16", "09-22"},
	{1992, "02-04", "04-04", "06-05", "09-11"},
	{1993, "01-23", "04-05", "06-24", "09-30"},
	{1994, "02-10", "04-05", "06-13", "09-20"},
	{1995, "01-31", "04-05", "06-02", "09-09"},
	{1996, "02-19", "04-04", "06-20", "09-27"},
	{1997, "02-07", "04-05", "06-09", "09-16"},
	{1998, "01-28", "04-05", "05-30", "10-05"},
	{1999, "02-16", "04-05", "06-18", "09-24"},
	{2000, "02-05", "04-04", "06-06", "09-12"},
	{2001, "01-24", "04-05", "06-25", "10-01"},
	{2002, "02-12", "04-05", "06-15", "09-21"},
	{2003, "02-01", "04-05", "06-04", "09-11"},
	{2004, "01-22", "04-04", "06-22", "09-28"},
	{2005, "02-09", "04-05", "06-11", "09-18"},
	{2006, "01-29", "04-05", "05-31", "10-06"},
	{2007, "02-18", "04-05", "06-19", "09-25"},
	{2008, "02-07", "04-04", "06-08", "09-14"},
	{2009, "01-26", "04-04", "05-28", "10-03"},
	{2010, "02-14", "04-05", "06-16", "09-22"},
	{2011, "02-03", "04-05", "06-06", "09-12"},
	{2012, "01-23", "04-04", "06-23", "09-30"},
	{2013, "02-10", "04-04", "06-12", "09-19"},
	{2014, "01-31", "04-05", "06-02", "09-08"},
	{2015, "02-19", "04-05", "06-20", "09-27"},
	{2016, "02-08", "04-04", "06-09", "09-15"},
	{2017, "01-28", "04-04", "05-30", "10-04"},
	{2018, "02-16", "04-05", "06-18", "09-24"},
	{2019, "02-05", "04-05", "06-07", "09-13"},
	{2020, "01-25", "04-04", "06-25", "10-01"},
	{2021, "02-12", "04-04", "06-14", "09-21"},
	{2022, "02-01", "04-05", "06-03", "09-10"},
	{2023, "01-22", "04-05", "06-22", "09-29"},
	{2024, "02-10", "04-04", "06-10", "09-17"},
	{2025, "01-29", "04-04", "05-31", "10-06"},
	{2026, "02-17", "04-05", "06-19", "09-25"},
	{2027, "02-06", "04-05", "06-09", "09-15"},
	{2028, "01-26", "04-04", "05-28", "10-03"},
	{2029, "02-13", "04-04", "06-16", "09-22"},
	{2030, "02-03", "04-05", "06-05", "09-12"},
	{2031, "01-23", "04-05", "06-24", "10-01"},
	{2032, "02-11", "04-04", "06-12", "09-19"},
	{2033, "01-31", "04-04", "06-01", "09-08"},
	{2034, "02-19", "04-05", "06-20", "09-27"},
	{2035, "02-08", "04-05", "06-10", "09-16"},
	{2036, "01-28", "04-04", "05-30", "10-04"},
	{2037, "02-15", "04-04", "06-18", "09-24"},
	{2038, "02-04", "04-05", "06-07", "09-13"},
	{2039, "01-24", "04-05", "05-27", "10-02"},
	{2040, "02-12", "04-04", "06-14", "09-20"},
	{2041, "02-01", "04-04", "06-03", "09-10"},
	{2042, "01-22", "04-04", "06-22", "09-28"},
	{2043, "02-10", "04-05", "06-11", "09-17"},
	{2044, "01-30", "04-04", "05-31", "10-05"},
	{2045, "02-17", "04-04", "06-19", "09-25"},
	{2046, "02-06", "04-04", "06-08", "09-15"},
	{2047, "01-26", "04-05", "05-29", "10-04"},
	{2048, "02-14", "04-04", "06-15", "09-22"},
	{2049, "02-02", "04-04", "06-04", "09-11"},
	{2050, "01-23", "04-04", "06-23", "09-30"},
}

// TestLunar_ComputedDatesMatchPublishedCalendars is the rule that the lunar and
// solar-term dates are computed correctly: 61 years of the four dates that set
// holidays, including the leap months of 1990–2050 (闰五月 1990, 闰二月 2023, …) and the
// 闰十一月 of 2033 (the "2033 problem": Spring Festival 2034 is 19 February).
func TestLunar_ComputedDatesMatchPublishedCalendars(t *testing.T) {
	for _, k := range knownLunarDates {
		s := suiOf(k.year)
		want := []string{k.cny, k.qingming, k.dragon, k.autumn}
		got := []int64{s.month(1), qingmingDay(k.year), s.month(5) + 4, s.month(8) + 14}
		for i, name := range []string{"春节", "清明", "端午", "中秋"} {
			if w := fmt.Sprintf("%d-%s", k.year, want[i]); dayString(got[i]) != w {
				t.Errorf("%d %s = %s, want %s", k.year, name, dayString(got[i]), w)
			}
		}
	}
}

// TestLunar_NoticesFallOnComputedDates checks the computation against the real
// holiday dates of every embedded notice (2015–2026): each computed 春节 (正月初一 to
// 初三), 清明, 端午 and 中秋 is a day off in that year's notice, and in 2025 and 2026,
// under the 2024 rules, every statutory day ([StatutoryHolidays]) including 除夕.
func TestLunar_NoticesFallOnComputedDates(t *testing.T) {
	off := map[int64]bool{}
	for _, d := range builtinDays() {
		if d.entry.Kind == Off {
			off[d.day] = true
		}
	}
	for y := 2015; y <= 2026; y++ {
		s := suiOf(y)
		cny := s.month(1)
		days := map[string]int64{
			"正月初一": cny, "正月初二": cny + 1, "正月初三": cny + 2,
			"清明": qingmingDay(y), "端午": s.month(5) + 4, "中秋": s.month(8) + 14,
		}
		for name, d := range days {
			if !off[d] {
				t.Errorf("%d %s computed as %s, which the %d notice does not give off", y, name, dayString(d), y)
			}
		}
	}
	for _, y := range []int{2025, 2026} {
		for _, d := range statutoryDays(y) {
			if !off[d.day] {
				t.Errorf("%d statutory %s %s is not off in the %d notice", y, d.entry.Date, d.entry.Name, y)
			}
		}
		if n := len(statutoryDays(y)); n != 13 {
			t.Errorf("%d: %d statutory days, want 13 (the 2024 rules)", y, n)
		}
	}
}

// TestLunar_LeapMonths checks the leap-month rule (the first month without a
// principal term in a sui of 13 months) on years whose leap month is known.
func TestLunar_LeapMonths(t *testing.T) {
	tests := []struct {
		year   int
		leap   int // 0: none in the sui ending with month 10 of year
		reason string
	}{
		{2017, 6, "闰六月 2017"},
		{2020, 4, "闰四月 2020"},
		{2023, 2, "闰二月 2023"},
		{2025, 6, "闰六月 2025"},
		{2026, 0, "no leap month in 2026"},
		{2028, 5, "闰五月 2028"},
		{2034, 11, "闰十一月 at the end of 2033, in the sui that holds 2034's months: the 2033 problem"},
	}
	for _, tt := range tests {
		s := suiOf(tt.year)
		got := 0
		if s.leap >= 0 {
			got = s.number[s.leap]
		}
		if got != tt.leap {
			t.Errorf("%d: leap month %d, want %d (%s)", tt.year, got, tt.leap, tt.reason)
		}
	}
}

func TestStatutoryHolidays_Years(t *testing.T) {
	tests := []struct {
		year   int
		want   []string
		reason string
	}{
		{2027, []string{"01-01", "02-05", "02-06", "02-07", "02-08", "04-05", "05-01", "05-02", "06-09", "09-15", "10-01", "10-02", "10-03"},
			"除夕 5 February; 清明 5 April; 端午 9 June; 中秋 15 September"},
		{2028, []string{"01-01", "01-25", "01-26", "01-27", "01-28", "04-04", "05-01", "05-02", "05-28", "10-01", "10-02", "10-03"},
			"中秋 falls on 3 October, a day of 国庆节: listed once, twelve dates"},
	}
	for _, tt := range tests {
		got, err := StatutoryHolidays(tt.year)
		if err != nil {
			t.Fatalf("StatutoryHolidays(%d): %v", tt.year, err)
		}
		var dates []string
		for _, e := range got {
			if e.Kind != Off || e.Name == "" {
				t.Errorf("%d: entry %+v, want a named off day", tt.year, e)
			}
			dates = append(dates, e.Date[5:])
		}
		if fmt.Sprint(dates) != fmt.Sprint(tt.want) {
			t.Errorf("StatutoryHolidays(%d) = %v, want %v (%s)", tt.year, dates, tt.want, tt.reason)
		}
	}
	if e, _ := StatutoryHolidays(2028); e[len(e)-1].Name != "国庆节、中秋节" {
		t.Errorf("2028-10-03 named %q, want 国庆节、中秋节", e[len(e)-1].Name)
	}
	for _, y := range []int{2024, 3000} {
		if _, err := StatutoryHolidays(y); err == nil {
			t.Errorf("StatutoryHolidays(%d): no error, want a refusal (the 2024 rules apply from 2025)", y)
		}
	}
}
