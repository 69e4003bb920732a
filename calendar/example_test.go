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
