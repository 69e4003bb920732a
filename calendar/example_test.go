package calendar_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/gridgov/gridgov/calendar"
)

// A case filed on the Friday before the 2025 National Day and Mid-Autumn holiday with
// a deadline of three working days: Sunday 28 September is worked in lieu, 1–8
// October are off.
func Example() {
	cal := calendar.Default()
	filed := time.Date(2025, 9, 26, 15, 0, 0, 0, cal.Location())

	due := cal.AddDays(filed, 3)
	fmt.Println("due:", due.Format("Mon 2006-01-02 15:04"))
	fmt.Println("working time until due:", cal.Between(filed, due))
	fmt.Println("4 working hours later:", cal.Add(filed, 4*time.Hour).Format("Mon 2006-01-02 15:04"))
	fmt.Println("after 17:00 on 30 Sep, one hour:", cal.Add(time.Date(2025, 9, 30, 17, 0, 0, 0, cal.Location()), time.Hour).Format("Mon 2006-01-02 15:04"))
	// Output:
	// due: Tue 2025-09-30 17:30
	// working time until due: 25h0m0s
	// 4 working hours later: Sun 2025-09-28 10:00
	// after 17:00 on 30 Sep, one hour: Thu 2025-10-09 09:00
}

// A unit inherits the calendar of its nearest ancestor that has one. With the
// hierarchy package, the parent function is a one-line closure over the tree:
//
//	parent := func(id string) (string, bool) { p, ok := tree.Parent(hierarchy.UnitID(id)); return string(p), ok }
func ExampleSet_For() {
	commandCentre, err := calendar.New(&calendar.Options{AllDay: true}) // 24×7
	if err != nil {
		panic(err)
	}
	set := calendar.NewSet(calendar.Default(), map[string]*calendar.Calendar{"command-centre": commandCentre})

	tree := map[string]string{"duty-desk": "command-centre", "command-centre": "district", "street": "district"}
	parent := func(id string) (string, bool) { p, ok := tree[id]; return p, ok }

	holiday := time.Date(2025, 10, 1, 9, 0, 0, 0, calendar.Default().Location())
	for _, unit := range []string{"duty-desk", "street"} {
		fmt.Printf("%s works on 1 October: %v\n", unit, set.For(unit, parent).IsWorkday(holiday))
	}
	// Output:
	// duty-desk works on 1 October: true
	// street works on 1 October: false
}

// A district loads a year the release does not cover yet.
func ExampleParseText() {
	entries, err := calendar.ParseText(strings.NewReader(`
2027-01-01 off 元旦
2027-02-06 work 春节调休
`))
	if err != nil {
		panic(err)
	}
	cal, err := calendar.New(&calendar.Options{Days: entries})
	if err != nil {
		panic(err)
	}
	sat := time.Date(2027, 2, 6, 10, 0, 0, 0, cal.Location())
	fmt.Println(calendar.Default().IsWorkday(sat), cal.IsWorkday(sat))
	// Output:
	// false true
}

// Bad lines are reported together, each naming its line.
func ExampleParseText_errors() {
	_, err := calendar.ParseText(strings.NewReader("2027-01-01 off 元旦\n2027-01-04 work 调休\n2027-01-01 work 元旦\n"))
	fmt.Println(err)
	// Output:
	// calendar.ParseText: invalid: line 2: 2027-01-04 is a Monday: only a Saturday or Sunday can be worked in lieu
	// calendar.ParseText: invalid: line 3: 2027-01-01 is a Friday: only a Saturday or Sunday can be worked in lieu
	// calendar.ParseText: invalid: line 3: 2027-01-01 conflicts with line 1
}

// A deadline that runs into a year whose notice is not loaded yet is counted on the
// statutory holidays and marked provisional; the district loads the notice the day
// it is published (here an example of what it might say) and the same deadline is
// final.
func ExampleCalendar_Provisional() {
	cal := calendar.Default()
	filed := time.Date(2026, 12, 31, 10, 0, 0, 0, cal.Location())
	due := cal.AddDays(filed, 1)
	fmt.Println("due:", due.Format("Mon 2006-01-02"), "provisional:", cal.ProvisionalBetween(filed, due))

	notice, err := calendar.ParseText(strings.NewReader(`
# 2027, typed in from the State Council's notice (example dates)
2027-01-01 off 元旦
2027-01-04 off 元旦
2027-01-09 work 元旦调休
`))
	if err != nil {
		panic(err)
	}
	cal, err = calendar.New(&calendar.Options{Days: notice})
	if err != nil {
		panic(err)
	}
	due = cal.AddDays(filed, 1)
	fmt.Println("due:", due.Format("Mon 2006-01-02"), "provisional:", cal.ProvisionalBetween(filed, due))
	// Output:
	// due: Mon 2027-01-04 provisional: true
	// due: Tue 2027-01-05 provisional: false
}

// A year without notice, counted on the statutory holidays of the 2024 Measures
// with the lunar and solar-term dates computed.
func ExampleStatutoryHolidays() {
	days, err := calendar.StatutoryHolidays(2027)
	if err != nil {
		panic(err)
	}
	for _, d := range days {
		fmt.Println(d.Date, d.Name)
	}
	// Output:
	// 2027-01-01 元旦
	// 2027-02-05 春节
	// 2027-02-06 春节
	// 2027-02-07 春节
	// 2027-02-08 春节
	// 2027-04-05 清明节
	// 2027-05-01 劳动节
	// 2027-05-02 劳动节
	// 2027-06-09 端午节
	// 2027-09-15 中秋节
	// 2027-10-01 国庆节
	// 2027-10-02 国庆节
	// 2027-10-03 国庆节
}

// A strict calendar refuses a span that depends on a year without notice.
func ExampleCalendar_Check() {
	strict, err := calendar.New(&calendar.Options{Strict: true})
	if err != nil {
		panic(err)
	}
	loc := strict.Location()
	fmt.Println(strict.Check(time.Date(2026, 12, 31, 10, 0, 0, 0, loc), time.Date(2027, 1, 4, 17, 30, 0, 0, loc)))
	// Output:
	// calendar.Check: precondition failed by rule calendar.strict: working time from 2026-12-31 to 2027-01-04 depends on 2027, whose holiday notice is not loaded: calendar: no holiday notice for the year
}
