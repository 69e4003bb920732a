package calendar

import (
	"bufio"
	"bytes"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
)

// Kind says what a holiday schedule does to a date: [Off] or [Work].
type Kind string

const (
	// Off is a day off named by a notice (放假): a public holiday or a weekday given
	// off in exchange for a weekend day worked.
	Off Kind = "off"
	// Work is a Saturday or Sunday worked in lieu (调休上班): a working day although it
	// falls on a weekend.
	Work Kind = "work"
)

// Entry is one date of a holiday schedule, as published. It is the unit of both the
// text format (one line "2025-10-01 off 国庆节、中秋节") and the YAML/JSON form
// ({date: 2025-10-01, kind: off, name: 国庆节、中秋节}). Entry is a plain value.
type Entry struct {
	// Date is the civil date, YYYY-MM-DD, in the calendar's location.
	Date string `json:"date" yaml:"date"`
	// Kind is Off or Work.
	Kind Kind `json:"kind" yaml:"kind"`
	// Name is the holiday the notice names, e.g. "春节" or "国庆节调休". Required.
	Name string `json:"name" yaml:"name"`
}

// The supported years keep the precomputed tables bounded (a table costs about nine
// bytes per day); no notice outside them is expected.
const (
	minYear = 1900
	maxYear = 2999
)

//go:embed holidays_cn.txt
var builtinText []byte

// builtinDays is the embedded schedule, parsed once; it is never modified.
var builtinDays = sync.OnceValue(func() []dayEntry {
	entries, err := ParseText(bytes.NewReader(builtinText))
	if err == nil {
		var days []dayEntry
		days, err = checkEntries("calendar", entries, func(i int) string { return fmt.Sprint(i) })
		if err == nil {
			slices.SortFunc(days, func(a, b dayEntry) int { return cmp.Compare(a.day, b.day) })
			return days
		}
	}
	panic("calendar: embedded holidays_cn.txt is invalid: " + err.Error())
})

// Builtin returns the holiday schedule embedded in the package, from the State
// Council notices for 2015 through 2026, in date order. The slice is the caller's.
// It holds no provisional day: see [StatutoryHolidays] for those.
func Builtin() []Entry {
	days := builtinDays()
	entries := make([]Entry, len(days))
	for i, d := range days {
		entries[i] = d.entry
	}
	return entries
}

// ParseText reads a holiday schedule in the text format of the embedded data:
//
//	# comment
//	2025-10-01 off 国庆节、中秋节
//	2025-09-28 work 国庆节调休
//
// Each non-blank line that does not start with "#" holds a date (YYYY-MM-DD), a kind
// ("off" or "work") and the holiday's name (the rest of the line), separated by white
// space. ParseText reports every problem at once, each naming its line: a malformed
// line, an unknown kind, a missing name, a "work" date that is not a Saturday or
// Sunday, and a date given twice (a conflicting or repeated line). The errors wrap
// [gridgov.ErrInvalid].
func ParseText(r io.Reader) ([]Entry, error) {
	const op = "calendar.ParseText"
	var (
		entries []Entry
		lines   []int
		errs    []error
	)
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		date, rest := cutField(line)
		kind, name := cutField(rest)
		entries = append(entries, Entry{Date: date, Kind: Kind(kind), Name: name})
		lines = append(lines, n)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", op, n+1, err)
	}
	_, err := checkEntries(op, entries, func(i int) string { return fmt.Sprintf("line %d", lines[i]) })
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return entries, nil
}

// ParseYAML reads a holiday schedule as a YAML (or JSON, which is YAML) list of
// entries:
//
//	# holidays-2027.yaml
//	- {date: 2027-01-01, kind: off, name: 元旦}
//	- {date: 2027-02-06, kind: work, name: 春节调休}
//
// It checks the same rules as [ParseText] and names the line of each bad entry;
// unknown keys are errors. The errors wrap [gridgov.ErrInvalid].
func ParseYAML(r io.Reader) ([]Entry, error) {
	const op = "calendar.ParseYAML"
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, invalid(op, "", "%v", err)
	}
	if doc.Kind == 0 { // empty document
		return nil, nil
	}
	seq := &doc
	if seq.Kind == yaml.DocumentNode && len(seq.Content) == 1 {
		seq = seq.Content[0]
	}
	if seq.Kind != yaml.SequenceNode {
		return nil, invalid(op, fmt.Sprintf("line %d", seq.Line), "want a list of {date, kind, name} entries")
	}
	var (
		entries []Entry
		lines   []int
		errs    []error
	)
	for _, item := range seq.Content {
		where := fmt.Sprintf("line %d", item.Line)
		if item.Kind != yaml.MappingNode {
			errs = append(errs, invalid(op, where, "want a mapping with date, kind and name"))
			continue
		}
		var e Entry
		bad := false
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			var dst *string
			switch k.Value {
			case "date":
				dst = &e.Date
			case "kind":
				dst = (*string)(&e.Kind)
			case "name":
				dst = &e.Name
			default:
				errs = append(errs, invalid(op, fmt.Sprintf("line %d", k.Line), "unknown key %q", k.Value))
				bad = true
				continue
			}
			if v.Kind != yaml.ScalarNode {
				errs = append(errs, invalid(op, fmt.Sprintf("line %d", v.Line), "%s: want a scalar", k.Value))
				bad = true
				continue
			}
			*dst = v.Value
		}
		if !bad {
			entries = append(entries, e)
			lines = append(lines, item.Line)
		}
	}
	if _, err := checkEntries(op, entries, func(i int) string { return fmt.Sprintf("line %d", lines[i]) }); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return entries, nil
}

// FormatText writes entries in the text format read by [ParseText].
func FormatText(w io.Writer, entries []Entry) error {
	bw := bufio.NewWriter(w)
	for _, e := range entries {
		fmt.Fprintf(bw, "%s %s %s\n", e.Date, e.Kind, e.Name)
	}
	return bw.Flush()
}

// cutField splits s into its first white-space separated field and the rest.
func cutField(s string) (field, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// dayEntry is an Entry with its date resolved to a day number.
type dayEntry struct {
	day   int64
	entry Entry
}

// checkEntries resolves and checks entries; where names entry i in error messages.
func checkEntries(op string, entries []Entry, where func(i int) string) ([]dayEntry, error) {
	var errs []error
	out := make([]dayEntry, 0, len(entries))
	seen := make(map[int64]int, len(entries))
	for i, e := range entries {
		t, err := time.Parse(time.DateOnly, e.Date)
		if err != nil {
			errs = append(errs, invalid(op, where(i), "date %q: want YYYY-MM-DD", e.Date))
			continue
		}
		ok := true
		if y := t.Year(); y < minYear || y > maxYear {
			errs = append(errs, invalid(op, where(i), "date %s: year outside %d–%d", e.Date, minYear, maxYear))
			ok = false
		}
		day := civilDay(t.Date())
		switch e.Kind {
		case Off:
		case Work:
			if wd := weekdayOf(day); wd != time.Saturday && wd != time.Sunday {
				errs = append(errs, invalid(op, where(i), "%s is a %s: only a Saturday or Sunday can be worked in lieu", e.Date, wd))
				ok = false
			}
		default:
			errs = append(errs, invalid(op, where(i), "kind %q: want %q or %q", e.Kind, Off, Work))
			ok = false
		}
		if strings.TrimSpace(e.Name) == "" {
			errs = append(errs, invalid(op, where(i), "%s: missing holiday name", e.Date))
			ok = false
		}
		if j, dup := seen[day]; dup {
			verb := "conflicts with"
			if entries[j].Kind == e.Kind && entries[j].Name == e.Name {
				verb = "repeats"
			}
			errs = append(errs, invalid(op, where(i), "%s %s %s", e.Date, verb, where(j)))
			ok = false
		} else {
			seen[day] = i
		}
		if ok {
			out = append(out, dayEntry{day: day, entry: e})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// invalid builds one validation problem: path names where it is (a line, a field).
func invalid(op, path, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	return &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Msg: msg}
}
