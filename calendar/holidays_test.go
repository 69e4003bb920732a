package calendar_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/calendar"
)

// noticeYear is the year whose notice publishes e: a New Year holiday that starts in
// late December belongs to the next year's notice.
func noticeYear(tb testing.TB, e calendar.Entry) int {
	tb.Helper()
	d, err := time.Parse(time.DateOnly, e.Date)
	if err != nil {
		tb.Fatalf("Builtin() entry %+v: %v", e, err)
	}
	if d.Month() == time.December && strings.HasPrefix(e.Name, "元旦") {
		return d.Year() + 1
	}
	return d.Year()
}

// TestBuiltin_Notices checks each year's schedule against its notice. off counts the
// days the notice names as off ("X至Y放假调休，共N天" names N days; "X放假，与周末连休"
// names X and the Saturday and Sunday it joins), work the weekend days it names as
// worked. net is the number of weekdays
// lost: the statutory holidays (11 days until 2024, 13 from 2025 under the amended
// 全国年节及纪念日放假办法), each one falling on a weekend made up by a weekday
// off, so that the swaps (调休) cancel out.
func TestBuiltin_Notices(t *testing.T) {
	type count struct{ off, work, net int }
	tests := []struct {
		year   int
		want   count
		notice string
	}{
		{2015, count{28, 5, 12}, "元旦1月1–3日(共3天) 1月4日上班; 春节2月18–24日(共7天) 2月15日、28日上班; 清明4月5日放假 4月6日补休; " +
			"劳动节5月1日 与周末连休(+5月2日、3日); 端午6月20日放假 6月22日补休; 抗战胜利70周年9月3–5日(共3天) 9月6日上班; 中秋9月27日; " +
			"国庆10月1–7日(共7天) 10月10日上班. net 12 = 11 + the anniversary day"},
		{2016, count{28, 6, 11}, "元旦1月1日 与周末连休(+1月2日、3日); 春节2月7–13日(7) 2月6日、14日上班; 清明4月4日 与周末连休(+4月2日、3日); 劳动节5月1日 5月2日补休; " +
			"端午6月9–11日(3) 6月12日上班; 中秋9月15–17日(3) 9月18日上班; 国庆10月1–7日(7) 10月8日、9日上班"},
		{2017, count{26, 5, 11}, "元旦1月1日 1月2日补休; 春节1月27日–2月2日(7) 1月22日、2月4日上班; 清明4月2–4日(3) 4月1日上班; " +
			"劳动节5月1日 与周末连休(+4月29日、30日); 端午5月28–30日(3) 5月27日上班; 国庆中秋10月1–8日(8) 9月30日上班"},
		{2018, count{29, 6, 11}, "元旦1月1日 与周末连休(+2017年12月30日、31日); 春节2月15–21日(7) 2月11日、24日上班; 清明4月5–7日(3) 4月8日上班; " +
			"劳动节4月29日–5月1日(3) 4月28日上班; 端午6月18日 与周末连休(+6月16日、17日); 中秋9月24日 与周末连休(+9月22日、23日); 国庆10月1–7日(7) 9月29日、30日上班"},
		{2019, count{30, 7, 11}, "元旦2018年12月30日–1月1日(3) 12月29日上班; 春节2月4–10日(7) 2月2日、3日上班; 清明4月5日 与周末连休(+4月6日、7日); " +
			"劳动节(调整后)5月1–4日(4) 4月28日、5月5日上班; 端午6月7日 与周末连休(+6月8日、9日); 中秋9月13日 与周末连休(+9月14日、15日); 国庆10月1–7日(7) 9月29日、10月12日上班"},
		{2020, count{30, 6, 13}, "元旦1月1日; 春节1月24–30日(7) 延长至2月2日 1月19日上班(2月1日上班取消); 清明4月4–6日(3); " +
			"劳动节5月1–5日(5) 4月26日、5月9日上班; 端午6月25–27日(3) 6月28日上班; 国庆中秋10月1–8日(8) 9月27日、10月10日上班. " +
			"net 13 = 11 + Friday 31 January and Saturday 1 February from the extension"},
		{2021, count{31, 7, 11}, "元旦1月1–3日(3); 春节2月11–17日(7) 2月7日、20日上班; 清明4月3–5日(3); " +
			"劳动节5月1–5日(5) 4月25日、5月8日上班; 端午6月12–14日(3); 中秋9月19–21日(3) 9月18日上班; 国庆10月1–7日(7) 9月26日、10月9日上班"},
		{2022, count{31, 7, 11}, "元旦1月1–3日(3); 春节1月31日–2月6日(7) 1月29日、30日上班; 清明4月3–5日(3) 4月2日上班; " +
			"劳动节4月30日–5月4日(5) 4月24日、5月7日上班; 端午6月3–5日(3); 中秋9月10–12日(3); 国庆10月1–7日(7) 10月8日、9日上班"},
		{2023, count{27, 7, 11}, "元旦2022年12月31日–1月2日(3); 春节1月21–27日(7) 1月28日、29日上班; 清明4月5日(1); " +
			"劳动节4月29日–5月3日(5) 4月23日、5月6日上班; 端午6月22–24日(3) 6月25日上班; 中秋国庆9月29日–10月6日(8) 10月7日、8日上班"},
		{2024, count{32, 8, 11}, "元旦1月1日 与周末连休(+2023年12月30日、31日); 春节2月10–17日(8) 2月4日、18日上班; 清明4月4–6日(3) 4月7日上班; " +
			"劳动节5月1–5日(5) 4月28日、5月11日上班; 端午6月10日 与周末连休(+6月8日、9日); 中秋9月15–17日(3) 9月14日上班; 国庆10月1–7日(7) 9月29日、10月12日上班"},
		{2025, count{28, 5, 13}, "元旦1月1日(1); 春节1月28日–2月4日(8) 1月26日、2月8日上班; 清明4月4–6日(3); " +
			"劳动节5月1–5日(5) 4月27日上班; 端午5月31日–6月2日(3); 国庆中秋10月1–8日(8) 9月28日、10月11日上班"},
		{2026, count{33, 6, 13}, "元旦1月1–3日(3) 1月4日上班; 春节2月15–23日(9) 2月14日、28日上班; 清明4月4–6日(3); " +
			"劳动节5月1–5日(5) 5月9日上班; 端午6月19–21日(3); 中秋9月25–27日(3); 国庆10月1–7日(7) 9月20日、10月10日上班"},
	}
	got := map[int]count{}
	for _, e := range calendar.Builtin() {
		y := noticeYear(t, e)
		c := got[y]
		d, _ := time.Parse(time.DateOnly, e.Date)
		weekday := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		switch e.Kind {
		case calendar.Off:
			c.off++
			if weekday {
				c.net++
			}
		case calendar.Work:
			c.work++
			c.net--
		}
		got[y] = c
	}
	for _, tt := range tests {
		t.Run(time.Date(tt.year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, got[tt.year], cmp.AllowUnexported(count{})); diff != "" {
				t.Errorf("notice %d: counts mismatch (-want +got):\n%s\nnotice: %s", tt.year, diff, tt.notice)
			}
		})
		delete(got, tt.year)
	}
	if len(got) != 0 {
		t.Errorf("Builtin() has entries for years without a notice test: %v", got)
	}
}

// TestBuiltin_Periods checks the exact dates of the holidays stated in full for 2025
// and 2026.
func TestBuiltin_Periods(t *testing.T) {
	kinds := map[string]calendar.Kind{}
	for _, e := range calendar.Builtin() {
		kinds[e.Date] = e.Kind
	}
	tests := []struct {
		name       string
		from, to   string
		worked     []string
		wantOffLen int
	}{
		{"2025 Spring Festival", "2025-01-28", "2025-02-04", []string{"2025-01-26", "2025-02-08"}, 8},
		{"2025 National Day + Mid-Autumn", "2025-10-01", "2025-10-08", []string{"2025-09-28", "2025-10-11"}, 8},
		{"2026 New Year", "2026-01-01", "2026-01-03", []string{"2026-01-04"}, 3},
		{"2026 Spring Festival", "2026-02-15", "2026-02-23", []string{"2026-02-14", "2026-02-28"}, 9},
		{"2026 Qingming", "2026-04-04", "2026-04-06", nil, 3},
		{"2026 Labour Day", "2026-05-01", "2026-05-05", []string{"2026-05-09"}, 5},
		{"2026 Dragon Boat", "2026-06-19", "2026-06-21", nil, 3},
		{"2026 National Day", "2026-10-01", "2026-10-07", []string{"2026-09-20", "2026-10-10"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, _ := time.Parse(time.DateOnly, tt.from)
			to, _ := time.Parse(time.DateOnly, tt.to)
			n := 0
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				n++
				if k := kinds[d.Format(time.DateOnly)]; k != calendar.Off {
					t.Errorf("%s: %s has kind %q, want %q", tt.name, d.Format(time.DateOnly), k, calendar.Off)
				}
			}
			if n != tt.wantOffLen {
				t.Errorf("%s: %d days, want %d", tt.name, n, tt.wantOffLen)
			}
			for _, w := range tt.worked {
				if k := kinds[w]; k != calendar.Work {
					t.Errorf("%s: %s has kind %q, want %q", tt.name, w, k, calendar.Work)
				}
			}
			for _, edge := range []time.Time{from.AddDate(0, 0, -1), to.AddDate(0, 0, 1)} {
				if k := kinds[edge.Format(time.DateOnly)]; k == calendar.Off {
					t.Errorf("%s: %s is off, want the holiday to end at %s–%s", tt.name, edge.Format(time.DateOnly), tt.from, tt.to)
				}
			}
		})
	}
}

// TestBuiltin_RoundTrip checks that the embedded file survives FormatText and that
// Builtin is in date order and the caller's to modify.
func TestBuiltin_RoundTrip(t *testing.T) {
	entries := calendar.Builtin()
	var b strings.Builder
	if err := calendar.FormatText(&b, entries); err != nil {
		t.Fatalf("FormatText: %v", err)
	}
	back, err := calendar.ParseText(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("ParseText(FormatText(Builtin())): %v", err)
	}
	if diff := cmp.Diff(entries, back); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	for i := 1; i < len(entries); i++ {
		if entries[i-1].Date >= entries[i].Date {
			t.Errorf("Builtin()[%d] %s is not after [%d] %s", i, entries[i].Date, i-1, entries[i-1].Date)
		}
	}
	entries[0].Kind = calendar.Work
	if calendar.Builtin()[0].Kind != calendar.Off {
		t.Errorf("modifying Builtin()'s result changed the embedded schedule")
	}
}

// TestBuiltin_JoinedWeekends is the rule that the list holds what the notice says:
// the 2019 notice (国办发明电〔2018〕15号) gives 清明 on 5 April, 端午 on 7 June and 中秋 on
// 13 September, each a Friday, "与周末连休", so the six weekend days after them are
// days off of the holiday. They change no working day.
func TestBuiltin_JoinedWeekends(t *testing.T) {
	entries := map[string]calendar.Entry{}
	for _, e := range calendar.Builtin() {
		entries[e.Date] = e
	}
	c := calendar.Default()
	for _, tt := range []struct {
		date, name, reason string
	}{
		{"2019-04-06", "清明节（与周末连休）", "Saturday after 清明 Friday 5 April"},
		{"2019-04-07", "清明节（与周末连休）", "Sunday after it"},
		{"2019-06-08", "端午节（与周末连休）", "Saturday after 端午 Friday 7 June"},
		{"2019-06-09", "端午节（与周末连休）", "Sunday after it"},
		{"2019-09-14", "中秋节（与周末连休）", "Saturday after 中秋 Friday 13 September"},
		{"2019-09-15", "中秋节（与周末连休）", "Sunday after it"},
	} {
		e, ok := entries[tt.date]
		if !ok || e.Kind != calendar.Off || e.Name != tt.name {
			t.Errorf("Builtin() entry for %s = %+v, %v; want off %s (%s)", tt.date, e, ok, tt.name, tt.reason)
		}
		d, _ := time.ParseInLocation(time.DateOnly, tt.date, c.Location())
		if c.IsWorkday(d) {
			t.Errorf("IsWorkday(%s) = true, want false: a weekend day of the holiday", tt.date)
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			t.Errorf("%s is a %s: a joined weekend day must be a Saturday or Sunday", tt.date, wd)
		}
	}
}
