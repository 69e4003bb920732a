package calendar_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
)

// TestProvisional_YearWithoutNoticeCountsStatutoryHolidays is the rule that working
// time in a year with no loaded notice is never silently the plain week: one working
// day from Thursday 2026-12-31 skips New Year's Day 2027 (a statutory day) and the
// weekend, and the result is marked provisional.
func TestProvisional_YearWithoutNoticeCountsStatutoryHolidays(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name   string
		from   time.Time
		n      int
		want   time.Time
		reason string
	}{
		{"NewYear2027", at(2026, 12, 31, 10, 0), 1, at(2027, 1, 4, 17, 30),
			"元旦 Friday 1 January 2027 is statutory; then the weekend"},
		{"SpringFestival2027", at(2027, 2, 4, 10, 0), 1, at(2027, 2, 9, 17, 30),
			"除夕 Friday 5 to 初三 Monday 8 February 2027; no Saturday worked is guessed"},
		{"NationalDay2027", at(2027, 9, 30, 10, 0), 1, at(2027, 10, 4, 17, 30),
			"国庆节 1–3 October 2027 (Friday to Sunday); no bridge day is guessed"},
		{"MidAutumn2028", at(2028, 9, 29, 10, 0), 2, at(2028, 10, 5, 17, 30),
			"中秋 coincides with 3 October 2028: 2 and 3 October are off (Monday, Tuesday), the 4th and 5th count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddDays(tt.from, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddDays(%s, %d) = %s, want %s: %s", fmtT(tt.from), tt.n, fmtT(got), fmtT(tt.want), tt.reason)
			}
			if !c.ProvisionalBetween(tt.from, got) {
				t.Errorf("ProvisionalBetween(%s, %s) = false, want true: the span uses a year without notice", fmtT(tt.from), fmtT(got))
			}
		})
	}
	for _, tt := range []struct {
		year   int
		want   bool
		reason string
	}{
		{2014, true, "before the embedded notices"},
		{2015, false, "embedded notice"},
		{2026, false, "embedded notice"},
		{2027, true, "no notice loaded"},
		{2101, true, "after the provisional years: weekly rule, still provisional"},
	} {
		if got := c.Provisional(tt.year); got != tt.want {
			t.Errorf("Provisional(%d) = %v, want %v (%s)", tt.year, got, tt.want, tt.reason)
		}
	}
	if all := mustNew(t, &calendar.Options{AllDay: true}); all.Provisional(2027) || all.ProvisionalBetween(at(2026, 1, 1, 0, 0), at(2030, 1, 1, 0, 0)) {
		t.Errorf("an AllDay calendar follows no notice: it must never be provisional")
	}
}

// TestProvisional_SpanMarks checks which spans depend on a year without notice.
func TestProvisional_SpanMarks(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name   string
		a, b   time.Time
		want   bool
		reason string
	}{
		{"Within2026", at(2026, 3, 2, 9, 0), at(2026, 11, 30, 9, 0), false, "both ends in a noticed year"},
		{"Reversed", at(2027, 1, 5, 9, 0), at(2026, 6, 1, 9, 0), true, "either order"},
		{"LateDecember", at(2026, 12, 21, 9, 0), at(2026, 12, 22, 9, 0), true,
			"the 2027 notice may give the last days of December 2026 off (as the 2019 and 2023 notices did)"},
		{"EarlyDecember", at(2026, 12, 1, 9, 0), at(2026, 12, 18, 9, 0), false, "before 20 December"},
		{"Across2014", at(2014, 12, 30, 9, 0), at(2015, 1, 5, 9, 0), true, "2014 has no notice"},
	}
	for _, tt := range tests {
		if got := c.ProvisionalBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: ProvisionalBetween(%s, %s) = %v, want %v (%s)", tt.name, fmtT(tt.a), fmtT(tt.b), got, tt.want, tt.reason)
		}
	}
}

// notice2027 is a schedule in the text format for a year the package does not
// embed, as a district types it in from the State Council's notice. Its dates are
// an example for the tests, not a real notice.
const notice2027 = `# 2027 (example)
2027-01-01 off 元旦
2027-02-05 off 春节
2027-02-06 off 春节
2027-02-07 off 春节
2027-02-08 off 春节
2027-02-09 off 春节
2027-02-10 off 春节
2027-02-11 off 春节
2027-02-20 work 春节调休
`

// TestProvisional_LoadingTheNoticeMakesTheYearFinal is the rule that loading the
// year's notice replaces the provisional days and clears the mark.
func TestProvisional_LoadingTheNoticeMakesTheYearFinal(t *testing.T) {
	days, err := calendar.ParseText(strings.NewReader(notice2027))
	if err != nil {
		t.Fatal(err)
	}
	c := mustNew(t, &calendar.Options{Days: days})
	from := at(2027, 2, 4, 10, 0)
	got := c.AddDays(from, 1)
	if want := at(2027, 2, 12, 17, 30); !got.Equal(want) {
		t.Errorf("AddDays(%s, 1) = %s, want %s: the notice's seven days replace the four statutory ones", fmtT(from), fmtT(got), fmtT(want))
	}
	if c.Provisional(2027) || c.ProvisionalBetween(from, got) {
		t.Errorf("2027 still provisional after its notice was loaded")
	}
	if !c.Provisional(2028) {
		t.Errorf("Provisional(2028) = false, want true: only 2027 was loaded")
	}
	if !c.IsWorkday(at(2027, 10, 1, 9, 0)) {
		t.Errorf("IsWorkday(2027-10-01) = false: a loaded notice is the whole year's schedule, no provisional day is kept")
	}
}

// TestStrict_RefusesSpanWithoutNotice is the rule that a strict calendar refuses to
// compute across a year without notice, naming the year.
func TestStrict_RefusesSpanWithoutNotice(t *testing.T) {
	strict := mustNew(t, &calendar.Options{Strict: true})
	err := strict.Check(at(2026, 12, 31, 10, 0), at(2027, 1, 4, 17, 30))
	if !errors.Is(err, gridgov.ErrPrecondition) || !errors.Is(err, calendar.ErrNoNotice) {
		t.Fatalf("strict Check across 2027 = %v, want an error wrapping ErrPrecondition and ErrNoNotice", err)
	}
	if !strings.Contains(err.Error(), "2027") {
		t.Errorf("error %q does not name the year 2027", err)
	}
	if err := strict.Check(at(2026, 3, 2, 9, 0), at(2026, 3, 9, 9, 0)); err != nil {
		t.Errorf("strict Check within 2026 = %v, want nil", err)
	}
	if err := calendar.Default().Check(at(2026, 12, 31, 10, 0), at(2027, 1, 4, 17, 30)); err != nil {
		t.Errorf("Check on a calendar that is not strict = %v, want nil (it marks instead)", err)
	}
	days, _ := calendar.ParseText(strings.NewReader(notice2027))
	loaded := mustNew(t, &calendar.Options{Strict: true, Days: days})
	if err := loaded.Check(at(2026, 12, 31, 10, 0), at(2027, 1, 4, 17, 30)); err != nil {
		t.Errorf("strict Check after loading 2027 = %v, want nil", err)
	}
}

// TestProvisional_SpanMatchesYears checks ProvisionalBetween against its definition
// on random spans: provisional when a year from the earlier date's to the later
// date's (or the next, from 20 December on) has no notice.
func TestProvisional_SpanMatchesYears(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	days, _ := calendar.ParseText(strings.NewReader(notice2027))
	for _, c := range []*calendar.Calendar{calendar.Default(), mustNew(t, &calendar.Options{Days: days}),
		mustNew(t, &calendar.Options{Location: "America/New_York"})} {
		for i := range 3000 {
			a, b := randInstant(r), randInstant(r)
			if i%3 == 0 { // short spans near the year ends
				b = a.Add(time.Duration(r.Int64N(int64(20 * 24 * time.Hour))))
			}
			lo, hi := a.In(c.Location()), b.In(c.Location())
			if hi.Before(lo) {
				lo, hi = hi, lo
			}
			last := hi.Year()
			if hi.Month() == time.December && hi.Day() >= 20 {
				last++
			}
			want := false
			for y := lo.Year(); y <= last; y++ {
				want = want || c.Provisional(y)
			}
			if got := c.ProvisionalBetween(a, b); got != want {
				t.Fatalf("ProvisionalBetween(%s, %s) in %s = %v, want %v", fmtT(a), fmtT(b), c.Location(), got, want)
			}
		}
	}
}
