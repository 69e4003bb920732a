package calendar

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultLocation is the IANA time zone of Qinhuai district's calendar.
const DefaultLocation = "Asia/Shanghai"

// Span is one daily period of office hours, the half-open wall-clock interval
// [Start, End). Times are "HH:MM" or "HH:MM:SS", 24-hour; End may be "24:00", the
// midnight that ends the day. Span is a plain value.
type Span struct {
	Start string `json:"start" yaml:"start"`
	End   string `json:"end" yaml:"end"`
}

// String returns the span as "08:30–12:00".
func (s Span) String() string { return s.Start + "–" + s.End }

// DefaultHours returns Qinhuai's office hours (办公时间): 08:30–12:00 and 13:30–17:30.
// They are policy: a district with summer hours passes its own.
func DefaultHours() []Span {
	return []Span{{Start: "08:30", End: "12:00"}, {Start: "13:30", End: "17:30"}}
}

// Options configure a [Calendar]. A nil *Options, and every zero field, means Qinhuai's
// default. Options carry json and yaml tags so that a district profile can hold them:
//
//	location: Asia/Shanghai
//	hours: [{start: "08:30", end: "12:00"}, {start: "13:30", end: "17:30"}]
//	days:
//	  - {date: 2027-01-01, kind: off, name: 元旦}
//
// Options is a plain value; [New] copies what it needs, so changing Options later
// does not change a calendar built from them.
type Options struct {
	// Location is the IANA time zone whose civil dates and wall clock the calendar
	// uses. Default "Asia/Shanghai". If the system has no time zone database,
	// "Asia/Shanghai" falls back to a fixed UTC+8 zone, exact for every date since
	// 1992 (China has kept UTC+8 without daylight saving since then). In a zone
	// with daylight saving, office hours stay wall-clock times and working time is
	// measured on the wall clock: a span containing a transition counts its
	// wall-clock length.
	Location string `json:"location,omitempty" yaml:"location,omitempty"`

	// Hours are the daily office hours on working days, in any order, not
	// overlapping. Empty means [DefaultHours]. Must be empty when AllDay is set.
	Hours []Span `json:"hours,omitempty" yaml:"hours,omitempty"`

	// AllDay makes a 24×7 calendar (全天候) for emergency work: every instant of every
	// day is working time; weekends and holiday schedules do not apply.
	AllDay bool `json:"all_day,omitempty" yaml:"all_day,omitempty"`

	// Days add to the embedded State Council schedule (see [Builtin]): further years,
	// or corrections. A date given here replaces the embedded entry for that date.
	// Within Days, a date may appear only once. A year with an entry here (dates
	// from 20 December on count for the next year) is no longer provisional: its
	// entries replace the statutory days the calendar would otherwise count (see
	// [Calendar.Provisional]), so give a year's notice in full.
	Days []Entry `json:"days,omitempty" yaml:"days,omitempty"`

	// ExcludeBuiltin drops the embedded schedule, so that Days are the whole
	// schedule (for a calendar that follows other rules, or to remove a holiday).
	ExcludeBuiltin bool `json:"exclude_builtin,omitempty" yaml:"exclude_builtin,omitempty"`

	// Strict refuses to compute working time that depends on a year whose notice
	// the schedule lacks: [Calendar.Check] then returns an error for such a span,
	// and the deadlines of the escalation package computed on the calendar are
	// refused instead of marked provisional. The arithmetic itself is unchanged
	// (its methods cannot fail); Strict is for a district that would rather stop a
	// clock than run it on a provisional calendar.
	Strict bool `json:"strict,omitempty" yaml:"strict,omitempty"`
}

// DefaultOptions returns Qinhuai's calendar options written out in full: Asia/Shanghai,
// [DefaultHours] and the embedded schedule.
func DefaultOptions() *Options {
	return &Options{Location: DefaultLocation, Hours: DefaultHours()}
}

// Validate reports every problem in o at once (joined), each with its path, e.g.
// "hours[1].end: 12:00 is not after start 13:30" or "days[3]: kind "of": want ...".
// The errors wrap [gridgov.ErrInvalid]. A nil *Options is valid.
func (o *Options) Validate() error {
	_, err := o.compile()
	return err
}

// compiled is the checked, parsed form of Options.
type compiled struct {
	loc    *time.Location
	spans  []span
	allDay bool
	days   []dayEntry
	// provisional: fill the years without a notice with their statutory holidays.
	provisional bool
	strict      bool
}

type span struct{ start, end time.Duration }

func (o *Options) compile() (compiled, error) {
	const op = "calendar"
	var c compiled
	var errs []error
	var opts Options
	if o != nil {
		opts = *o
	}

	name := opts.Location
	if name == "" {
		name = DefaultLocation
	}
	loc, err := loadLocation(name)
	if err != nil {
		errs = append(errs, invalid(op, "location", "unknown time zone %q", opts.Location))
	}
	c.loc = loc

	c.allDay = opts.AllDay
	switch {
	case opts.AllDay && len(opts.Hours) > 0:
		errs = append(errs, invalid(op, "hours", "must be empty when all_day is set"))
	case opts.AllDay:
		c.spans = []span{{0, 24 * time.Hour}}
	default:
		hours := opts.Hours
		if len(hours) == 0 {
			hours = DefaultHours()
		}
		spans, err := compileHours(op, hours)
		if err != nil {
			errs = append(errs, err)
		}
		c.spans = spans
	}

	var days []dayEntry
	if !opts.ExcludeBuiltin && !opts.AllDay {
		days = builtinDays()
	}
	if len(opts.Days) > 0 {
		extra, err := checkEntries(op, opts.Days, func(i int) string { return fmt.Sprintf("days[%d]", i) })
		if err != nil {
			errs = append(errs, err)
		}
		if !opts.AllDay {
			days = mergeDays(days, extra)
		}
	}
	c.days = days
	c.provisional = !opts.AllDay && !opts.ExcludeBuiltin
	c.strict = opts.Strict && !opts.AllDay

	if len(errs) > 0 {
		return compiled{}, errors.Join(errs...)
	}
	return c, nil
}

// mergeDays returns base with over laid on top: a date in over replaces base's entry.
func mergeDays(base, over []dayEntry) []dayEntry {
	out := make([]dayEntry, 0, len(base)+len(over))
	replaced := make(map[int64]bool, len(over))
	for _, d := range over {
		replaced[d.day] = true
	}
	for _, d := range base {
		if !replaced[d.day] {
			out = append(out, d)
		}
	}
	out = append(out, over...)
	slices.SortFunc(out, func(a, b dayEntry) int { return cmp.Compare(a.day, b.day) })
	return out
}

func compileHours(op string, hours []Span) ([]span, error) {
	var errs []error
	type indexed struct {
		span
		i int
	}
	var ok []indexed
	for i, h := range hours {
		start, err1 := parseClock(h.Start)
		if err1 != nil {
			errs = append(errs, invalid(op, fmt.Sprintf("hours[%d].start", i), "%v", err1))
		}
		end, err2 := parseClock(h.End)
		if err2 != nil {
			errs = append(errs, invalid(op, fmt.Sprintf("hours[%d].end", i), "%v", err2))
		}
		if err1 != nil || err2 != nil {
			continue
		}
		if start == 24*time.Hour {
			errs = append(errs, invalid(op, fmt.Sprintf("hours[%d].start", i), "24:00 ends the day; a span cannot start there"))
			continue
		}
		if end <= start {
			errs = append(errs, invalid(op, fmt.Sprintf("hours[%d].end", i), "%s is not after start %s", h.End, h.Start))
			continue
		}
		ok = append(ok, indexed{span{start, end}, i})
	}
	slices.SortStableFunc(ok, func(a, b indexed) int { return cmp.Compare(a.start, b.start) })
	for j := 1; j < len(ok); j++ {
		prev, cur := ok[j-1], ok[j]
		if cur.start < prev.end {
			errs = append(errs, invalid(op, fmt.Sprintf("hours[%d]", cur.i), "%s overlaps hours[%d] %s", hours[cur.i], prev.i, hours[prev.i]))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	spans := make([]span, len(ok))
	for j, s := range ok {
		spans[j] = s.span
	}
	return spans, nil
}

// parseClock parses "HH:MM" or "HH:MM:SS" (00:00 to 24:00) into an offset from midnight.
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("%q: want HH:MM or HH:MM:SS", s)
	}
	var v [3]int
	limits := [3]int{24, 59, 59}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) != 2 || n < 0 || n > limits[i] {
			return 0, fmt.Errorf("%q: want HH:MM or HH:MM:SS", s)
		}
		v[i] = n
	}
	d := time.Duration(v[0])*time.Hour + time.Duration(v[1])*time.Minute + time.Duration(v[2])*time.Second
	if d > 24*time.Hour {
		return 0, fmt.Errorf("%q: after 24:00", s)
	}
	return d, nil
}

func loadLocation(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil && name == DefaultLocation {
		return time.FixedZone("CST", 8*60*60), nil
	}
	return loc, err
}
