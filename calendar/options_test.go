package calendar_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
)

// A district's schedule for a year after the embedded ones, in both forms. The dates
// are an illustration, not a published notice.
const extraText = `# holidays for 2027 (illustration)
2027-01-01 off 元旦
2027-02-06 work 春节调休
2027-02-08 off 春节
2027-02-09 off 春节
`

const extraYAML = `# holidays for 2027 (illustration)
- {date: 2027-01-01, kind: off, name: 元旦}
- date: "2027-02-06"
  kind: work
  name: 春节调休
- {date: 2027-02-08, kind: off, name: 春节}
- {date: 2027-02-09, kind: off, name: 春节}
`

const extraJSON = `[
 {"date": "2027-01-01", "kind": "off", "name": "元旦"},
 {"date": "2027-02-06", "kind": "work", "name": "春节调休"},
 {"date": "2027-02-08", "kind": "off", "name": "春节"},
 {"date": "2027-02-09", "kind": "off", "name": "春节"}
]`

func TestNew_ExtraYear(t *testing.T) {
	want := []calendar.Entry{
		{Date: "2027-01-01", Kind: calendar.Off, Name: "元旦"},
		{Date: "2027-02-06", Kind: calendar.Work, Name: "春节调休"},
		{Date: "2027-02-08", Kind: calendar.Off, Name: "春节"},
		{Date: "2027-02-09", Kind: calendar.Off, Name: "春节"},
	}
	parsers := []struct {
		name  string
		parse func() ([]calendar.Entry, error)
	}{
		{"Text", func() ([]calendar.Entry, error) { return calendar.ParseText(strings.NewReader(extraText)) }},
		{"YAML", func() ([]calendar.Entry, error) { return calendar.ParseYAML(strings.NewReader(extraYAML)) }},
		{"JSON", func() ([]calendar.Entry, error) { return calendar.ParseYAML(strings.NewReader(extraJSON)) }},
	}
	for _, p := range parsers {
		t.Run(p.name, func(t *testing.T) {
			entries, err := p.parse()
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if diff := cmp.Diff(want, entries); diff != "" {
				t.Fatalf("parse mismatch (-want +got):\n%s", diff)
			}
			c := mustNew(t, &calendar.Options{Days: entries})
			before := calendar.Default()
			checks := []struct {
				name       string
				got, want  any
				wantBefore any
				reason     string
			}{
				{"Covers2027", c.Covers(at(2027, 6, 1, 0, 0)), true, false, "the loaded year is covered"},
				{"Covers2026", c.Covers(at(2026, 6, 1, 0, 0)), true, true, "the embedded years stay covered"},
				{"NewYear", c.IsWorkday(at(2027, 1, 1, 9, 0)), false, true, "a Friday given off"},
				{"WorkedSaturday", c.IsWorkday(at(2027, 2, 6, 9, 0)), true, false, "a Saturday worked"},
				{"NoticeReplacesProvisional", c.IsWorkday(at(2027, 10, 1, 9, 0)), true, false,
					"the loaded (partial) notice is the whole 2027 schedule: no provisional 国庆节"},
				{"Embedded", c.IsWorkday(at(2025, 9, 28, 9, 0)), true, true, "the embedded 2025 schedule still applies"},
				{"AddDays", c.AddDays(at(2027, 2, 5, 9, 0), 2).Format(time.DateOnly), "2027-02-10", "2027-02-09",
					"Friday 5 → Saturday 6 (worked) → Monday 8 and Tuesday 9 off → Wednesday 10"},
			}
			for _, ck := range checks {
				if diff := cmp.Diff(ck.want, ck.got); diff != "" {
					t.Errorf("%s with the 2027 schedule mismatch (-want +got): %s\n%s", ck.name, ck.reason, diff)
				}
			}
			if got := before.Covers(at(2027, 6, 1, 0, 0)); got != checks[0].wantBefore {
				t.Errorf("Default().Covers(2027) = %v, want %v: loading a year must not change Default", got, checks[0].wantBefore)
			}
			// Without the notice 2027 is provisional: the statutory Spring Festival,
			// 除夕 Friday 5 to 初三 Monday 8 February, and no Saturday worked.
			if got := before.AddDays(at(2027, 2, 5, 9, 0), 2).Format(time.DateOnly); got != "2027-02-10" {
				t.Errorf("Default().AddDays(2027-02-05, 2) = %s, want 2027-02-10 (provisional 2027: 8 February off)", got)
			}
		})
	}
}

func TestNew_Override(t *testing.T) {
	// A correction replaces the embedded entry of its date: Saturday 11 October 2025
	// given off instead of worked.
	c := mustNew(t, &calendar.Options{Days: []calendar.Entry{{Date: "2025-10-11", Kind: calendar.Off, Name: "更正"}}})
	if c.IsWorkday(at(2025, 10, 11, 9, 0)) {
		t.Errorf("IsWorkday(2025-10-11) = true after the override, want false")
	}
	if !c.IsWorkday(at(2025, 9, 28, 9, 0)) {
		t.Errorf("IsWorkday(2025-09-28) = false, want true: other embedded dates stay")
	}
	bare := mustNew(t, &calendar.Options{ExcludeBuiltin: true})
	if !bare.IsWorkday(at(2025, 10, 8, 9, 0)) {
		t.Errorf("IsWorkday(2025-10-08) without the embedded schedule = false, want true (a Wednesday)")
	}
}

func TestNew_Options(t *testing.T) {
	c := mustNew(t, calendar.DefaultOptions())
	d := calendar.Default()
	for _, tt := range []time.Time{at(2025, 9, 26, 15, 0), at(2026, 2, 13, 11, 0), at(2031, 3, 3, 3, 3)} {
		if got, want := c.AddDays(tt, 3), d.AddDays(tt, 3); !got.Equal(want) {
			t.Errorf("New(DefaultOptions()).AddDays(%s, 3) = %s, Default() gives %s", fmtT(tt), fmtT(got), fmtT(want))
		}
	}
	utc := mustNew(t, &calendar.Options{Location: "UTC"})
	if got, want := utc.Next(at(2025, 9, 26, 9, 0)), time.Date(2025, 9, 26, 8, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("UTC calendar: Next(09:00 Shanghai = 01:00 UTC) = %v, want %v", got, want)
	}
	if got := c.Options(); got.Location != "Asia/Shanghai" || len(got.Hours) != 2 {
		t.Errorf("Options() = %+v, want the options given to New", got)
	}
}

func TestOptions_Validate(t *testing.T) {
	tests := []struct {
		name   string
		opts   calendar.Options
		want   []string // every substring must appear in the error
		reason string
	}{
		{"UnknownLocation", calendar.Options{Location: "Asia/Shangai"},
			[]string{`location: unknown time zone "Asia/Shangai"`}, "a misspelt zone"},
		{"EndBeforeStart", calendar.Options{Hours: []calendar.Span{{Start: "13:30", End: "12:00"}}},
			[]string{"hours[0].end: 12:00 is not after start 13:30"}, "end before start"},
		{"EmptySpan", calendar.Options{Hours: []calendar.Span{{Start: "09:00", End: "09:00"}}},
			[]string{"hours[0].end: 09:00 is not after start 09:00"}, "a span must have length"},
		{"Overlap", calendar.Options{Hours: []calendar.Span{{Start: "08:30", End: "12:00"}, {Start: "11:00", End: "14:00"}}},
			[]string{"hours[1]: 11:00–14:00 overlaps hours[0] 08:30–12:00"}, "overlapping spans"},
		{"OverlapUnsorted", calendar.Options{Hours: []calendar.Span{{Start: "13:00", End: "17:00"}, {Start: "08:00", End: "13:30"}}},
			[]string{"hours[0]: 13:00–17:00 overlaps hours[1] 08:00–13:30"}, "overlap found whatever the order"},
		{"BadClock", calendar.Options{Hours: []calendar.Span{{Start: "8:30", End: "25:00"}}},
			[]string{`hours[0].start: "8:30": want HH:MM`, `hours[0].end: "25:00": want HH:MM`}, "both fields reported"},
		{"After24", calendar.Options{Hours: []calendar.Span{{Start: "23:00", End: "24:00:01"}}},
			[]string{`hours[0].end: "24:00:01": after 24:00`}, "nothing after midnight"},
		{"Start24", calendar.Options{Hours: []calendar.Span{{Start: "24:00", End: "24:00"}}},
			[]string{"hours[0].start: 24:00 ends the day"}, "a span cannot start at the end of the day"},
		{"AllDayWithHours", calendar.Options{AllDay: true, Hours: calendar.DefaultHours()},
			[]string{"hours: must be empty when all_day is set"}, "24×7 has no office hours"},
		{"BadDays", calendar.Options{Days: []calendar.Entry{
			{Date: "2027-13-01", Kind: calendar.Off, Name: "x"},
			{Date: "2027-01-01", Kind: "holiday", Name: "元旦"},
			{Date: "2027-01-04", Kind: calendar.Work, Name: "调休"},
			{Date: "2027-01-02", Kind: calendar.Off, Name: ""},
			{Date: "2027-01-09", Kind: calendar.Work, Name: "调休"},
			{Date: "2027-01-09", Kind: calendar.Off, Name: "调休"},
			{Date: "1800-01-01", Kind: calendar.Off, Name: "x"},
		}}, []string{
			`days[0]: date "2027-13-01": want YYYY-MM-DD`,
			`days[1]: kind "holiday": want "off" or "work"`,
			"days[2]: 2027-01-04 is a Monday: only a Saturday or Sunday can be worked in lieu",
			"days[3]: 2027-01-02: missing holiday name",
			"days[5]: 2027-01-09 conflicts with days[4]",
			"days[6]: date 1800-01-01: year outside 1900–2999",
		}, "every bad entry at once, each with its index"},
		{"Everything", calendar.Options{Location: "Nowhere/Else", Hours: []calendar.Span{{Start: "x", End: "12:00"}}},
			[]string{"location: unknown", `hours[0].start: "x"`}, "problems in several fields are all reported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			saved := cloneOptions(opts)
			err := opts.Validate()
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("Validate() = %v, want an error wrapping gridgov.ErrInvalid (%s)", err, tt.reason)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() error\n%v\ndoes not contain %q (%s)", err, w, tt.reason)
				}
			}
			c, err2 := calendar.New(&opts)
			if c != nil || !errors.Is(err2, gridgov.ErrInvalid) {
				t.Errorf("New() = %v, %v; want nil and the Validate error", c, err2)
			}
			if diff := cmp.Diff(saved, opts); diff != "" {
				t.Errorf("Validate/New changed the options (-before +after):\n%s", diff)
			}
		})
	}
	var nilOpts *calendar.Options
	if err := nilOpts.Validate(); err != nil {
		t.Errorf("(*Options)(nil).Validate() = %v, want nil (defaults)", err)
	}
	if err := calendar.DefaultOptions().Validate(); err != nil {
		t.Errorf("DefaultOptions().Validate() = %v, want nil", err)
	}
}

func cloneOptions(o calendar.Options) calendar.Options {
	o.Hours = append([]calendar.Span(nil), o.Hours...)
	o.Days = append([]calendar.Entry(nil), o.Days...)
	return o
}

func TestParseText_Errors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   []string
		reason string
	}{
		{"BadDate", "2027-01-01 off 元旦\n2027-02-30 off 春节\n", []string{`line 2: date "2027-02-30"`}, "no 30 February"},
		{"MissingKind", "# c\n\n2027-01-01\n", []string{`line 3: kind "": want "off" or "work"`, "line 3: 2027-01-01: missing holiday name"}, "a bare date"},
		{"UnknownKind", "2027-01-01 休 元旦\n", []string{`line 1: kind "休"`}, "kinds are off and work"},
		{"WeekdayWorked", "2027-01-04 work 调休\n", []string{"line 1: 2027-01-04 is a Monday"}, "a weekday is already a working day"},
		{"Conflict", "2027-01-01 off 元旦\n# x\n2027-01-01 work 元旦\n", []string{"line 3: 2027-01-01 conflicts with line 1"}, "two kinds for one date"},
		{"Repeat", "2027-01-01 off 元旦\n2027-01-01 off 元旦\n", []string{"line 2: 2027-01-01 repeats line 1"}, "a repeated line is an error too"},
		{"SlashDate", "2027/01/01 off 元旦\n", []string{`line 1: date "2027/01/01"`}, "ISO dates only"},
		{"AllAtOnce", "2027-01-01 of 元旦\nnonsense\n", []string{"line 1:", "line 2:"}, "every bad line reported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := calendar.ParseText(strings.NewReader(tt.in))
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("ParseText(%q) = %v, want an error wrapping gridgov.ErrInvalid (%s)", tt.in, err, tt.reason)
			}
			if entries != nil {
				t.Errorf("ParseText(%q) returned %d entries with the error, want none", tt.in, len(entries))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParseText(%q) error\n%v\ndoes not contain %q (%s)", tt.in, err, w, tt.reason)
				}
			}
		})
	}
}

func TestParseText_Format(t *testing.T) {
	in := "\uFEFF# header\n  2027-01-01\toff   元旦 假期  \n\n2027-01-02 off 元旦\n"
	got, err := calendar.ParseText(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ParseText: %v", err)
	}
	want := []calendar.Entry{
		{Date: "2027-01-01", Kind: calendar.Off, Name: "元旦 假期"},
		{Date: "2027-01-02", Kind: calendar.Off, Name: "元旦"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseText mismatch (-want +got):\n%s", diff)
	}
}

func TestParseYAML_Errors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   []string
		reason string
	}{
		{"NotAList", "date: 2027-01-01\n", []string{"line 1: want a list"}, "a single mapping"},
		{"Syntax", "- {date: 2027-01-01\n", []string{"calendar.ParseYAML: invalid"}, "unclosed flow mapping"},
		{"UnknownKey", "- {date: 2027-01-01, kind: off, name: 元旦, note: x}\n", []string{`line 1: unknown key "note"`}, "strict keys"},
		{"NotMapping", "- 2027-01-01 off 元旦\n", []string{"line 1: want a mapping"}, "text lines are not YAML entries"},
		{"NonScalar", "- {date: [2027-01-01], kind: off, name: 元旦}\n", []string{"line 1: date: want a scalar"}, "a list as a date"},
		{"Conflict", "- {date: 2027-01-01, kind: off, name: 元旦}\n- {date: 2027-01-01, kind: work, name: 元旦}\n",
			[]string{"line 2: 2027-01-01 conflicts with line 1"}, "two kinds for one date, named by line"},
		{"JSONBadKind", "[\n{\"date\": \"2027-01-01\", \"kind\": \"holiday\", \"name\": \"元旦\"}\n]", []string{`line 2: kind "holiday"`}, "JSON too names the line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := calendar.ParseYAML(strings.NewReader(tt.in))
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("ParseYAML(%q) = %v, want an error wrapping gridgov.ErrInvalid (%s)", tt.in, err, tt.reason)
			}
			if entries != nil {
				t.Errorf("ParseYAML(%q) returned %d entries with the error, want none", tt.in, len(entries))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParseYAML(%q) error\n%v\ndoes not contain %q (%s)", tt.in, err, w, tt.reason)
				}
			}
		})
	}
	if got, err := calendar.ParseYAML(strings.NewReader("")); err != nil || got != nil {
		t.Errorf("ParseYAML(\"\") = %v, %v; want no entries and no error", got, err)
	}
}

func TestOptions_Decode(t *testing.T) {
	const yamlDoc = `
location: Asia/Shanghai
hours:
  - {start: "09:00", end: "12:00"}
  - {start: "14:00", end: "17:00"}
days:
  - {date: 2027-01-01, kind: off, name: 元旦}
`
	const jsonDoc = `{"location": "Asia/Shanghai",
 "hours": [{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "17:00"}],
 "days": [{"date": "2027-01-01", "kind": "off", "name": "元旦"}]}`
	want := calendar.Options{
		Location: "Asia/Shanghai",
		Hours:    []calendar.Span{{Start: "09:00", End: "12:00"}, {Start: "14:00", End: "17:00"}},
		Days:     []calendar.Entry{{Date: "2027-01-01", Kind: calendar.Off, Name: "元旦"}},
	}
	var fromYAML, fromJSON calendar.Options
	require.NoError(t, yaml.Unmarshal([]byte(yamlDoc), &fromYAML))
	require.NoError(t, json.Unmarshal([]byte(jsonDoc), &fromJSON))
	for name, got := range map[string]calendar.Options{"yaml": fromYAML, "json": fromJSON} {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s decode mismatch (-want +got):\n%s", name, diff)
		}
	}
	c := mustNew(t, &fromYAML)
	if got, want := c.AddDays(at(2026, 12, 31, 10, 0), 1), at(2027, 1, 4, 17, 0); !got.Equal(want) {
		t.Errorf("AddDays(2026-12-31, 1) = %s, want %s: 1 January 2027 off, the day ends at 17:00", fmtT(got), fmtT(want))
	}
	out, err := json.Marshal(calendar.DefaultOptions())
	require.NoError(t, err)
	if got, want := string(out), `{"location":"Asia/Shanghai","hours":[{"start":"08:30","end":"12:00"},{"start":"13:30","end":"17:30"}]}`; got != want {
		t.Errorf("json.Marshal(DefaultOptions()) = %s, want %s", got, want)
	}
}
