package main

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/calendar"
)

// report runs the whole story once and returns what it printed.
func report(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := run(&b); err != nil {
		t.Fatalf("run() = %v\noutput so far:\n%s", err, b.String())
	}
	return b.String()
}

// TestRun checks the facts each scene exists to show. The patterns are anchored on the
// report's wording so that a wrong value, not a reworded line, is what fails.
func TestRun(t *testing.T) {
	out := report(t)
	for _, tc := range []struct {
		name, pattern, reason string
	}{
		// 1. The organisation tree.
		{"register", `125 units from the division register: 12 streets, 4 zones, 108 communities`,
			"the CSV holds the district, 12 streets, 4 zones and 108 village-level units"},
		{"reverse evaluation during", `乌衣巷社区居委会 +reverse-evaluate +钱浩 +2025-09-26 true`,
			"the community reverse-evaluates the officer sent down to it while the secondment lasts"},
		{"reverse evaluation elsewhere", `东水关社区居委会 +reverse-evaluate +钱浩 +2025-09-26 false`,
			"another community has no right over him"},
		{"reverse evaluation after", `乌衣巷社区居委会 +reverse-evaluate +钱浩 +2026-06-01 false`,
			"the right ends with the secondment on 2026-03-01"},
		// 2. Grids.
		{"GPS located", `GPS report \(WGS-84\) .* → grid 320104002005001 \(inside\); in Qinhuai's outline: true`,
			"the WGS-84 reading is converted to GCJ-02 and falls in grid 1, inside the real district outline"},
		{"exclusive grid", `scenic area .* → grid 320104002005101: the exclusive grid wins`,
			"an exclusive grid wins over the comprehensive grid beneath it"},
		{"address", `= 平江府路8号3栋2单元301室 → grid 320104002005002 \(building pjf-8-3\)`,
			"full-width digits and a Chinese numeral normalise to the registered building"},
		{"grid to street", `grid 320104002005001 → 乌衣巷社区居委会 → 夫子庙街道; beat 乌衣巷警务区, community police 张伟`,
			"grid → community → street through the tree, and the beat's officer through the overlay"},
		{"validation", `households: grid 320104002005003 has 540 households, policy band 300–500`,
			"grid 3 is over the household band, the one finding"},
		// 3. Event cases.
		{"deadline over the holiday",
			`dispatch +→ dispatched +夫子庙街道 comprehensive law-enforcement bureau \(routing\.territory\)\n +due: Tue 09-30 17:30, 3 working days`,
			"three working days from Friday 26 September end on Tuesday 30: Sunday 28 is worked in lieu, 1–8 October are off"},
		{"finder may not verify", `王芳 +verify +refused by rule roles\.reporter-may-not-verify`,
			"patrol is separated from handling: the reporter may not verify"},
		{"closed by the platform", `Sun 09-28 14:00 赵敏 +close +→ closed`,
			"case A closes after a different worker verified it"},
		{"escalated level by level", `(?s)Tue 09-30 17:30 case B: escalate to community.*case B: escalate to street.*case B: escalate to district`,
			"the overdue case rises one level at each point of the policy, in order, from its deadline on"},
		{"report-ins", `reported in on time 3/3`, "both departments and the district leader reported in on time"},
		{"police matter routed", `system dispatch +→ dispatched +乌衣巷警务区 张伟 \(routing\.police-beat\)`,
			"a police matter found on patrol goes at once to the beat's officer"},
		{"metrics", `closure 3/4 \(75\.00%\) · on time 3/4`, "A, C and D closed on time; B is still open"},
		// 4. Mediation.
		{"party masked", `party \{applicant p1 张秀英 id:320104\*{8}0427 phone:139\*{4}1234\}`,
			"a party prints with the resident ID and phone masked"},
		{"judicial confirmation", `judicial confirmation \(司法确认\) by Mon 2025-11-10`,
			"30 days from 10 October end on Sunday 9 November, which rolls over to Monday"},
		// 5. Rewards.
		{"fund floor", `refused by rule funds\.floor`, "a beat's fund opens with at least ¥35,000"},
		{"duplicate refused", `by 孙丽: rejected by rule rewards\.first-reporter\n +matter:110-20251009-0457 was already rewarded`,
			"one matter, one reward, to its first valid reporter"},
		{"settled", `settled 1 claim\(s\), ¥300\.00; the fund holds ¥34,700\.00`,
			"the scheduled reward for a capture by report is paid from the ¥35,000 fund"},
		{"reconciled", `reconcile: ledger and claims agree: true \(1 fund book\(s\), 0 problem\(s\)\)`,
			"the ledger's invariants hold after the settlement"},
		{"payslip", `bonus\.timeliness +¥200\.00`, "grid 1's on-time closure of 3/3 earns the top timeliness band"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !regexp.MustCompile(tc.pattern).MatchString(out) {
				t.Errorf("report does not match %q (%s); report:\n%s", tc.pattern, tc.reason, out)
			}
		})
	}
}

// TestRun_Jurisdiction: the story shows the street's dispatcher refused a dispatch to
// the neighbouring street's bureau, by the jurisdiction rule.
func TestRun_Jurisdiction(t *testing.T) {
	if out := report(t); !strings.Contains(out, "dispatch         refused by rule auth.jurisdiction") {
		t.Error("report lacks the refused cross-street dispatch")
	}
}

// TestRun_Deadline checks the printed deadline of case A against the calendar package
// itself, so that the report and the library agree.
func TestRun_Deadline(t *testing.T) {
	cal := calendar.Default()
	dispatched := time.Date(2025, 9, 26, 9, 30, 0, 0, cal.Location())
	want := "due: " + stamp(cal.AddDays(dispatched, 3)) + ", 3 working days"
	if out := report(t); !strings.Contains(out, want) {
		t.Errorf("report lacks %q", want)
	}
}

// TestRun_PersonalData checks that the applicant's resident ID and phone never print in
// full, in any scene.
func TestRun_PersonalData(t *testing.T) {
	out := report(t)
	for _, full := range []string{applicantID, applicantPhone} {
		if strings.Contains(out, full) {
			t.Errorf("report prints %q in full", full)
		}
	}
}

// TestRun_Deterministic checks that two runs print the same report: the clock, the IDs
// and the store are all the program's own.
func TestRun_Deterministic(t *testing.T) {
	first, second := report(t), report(t)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("run() differs between runs (-first +second):\n%s", diff)
	}
}

// failingWriter accepts n bytes, then fails.
type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestRun_WriteError checks that a report that could not be written fully is an error.
func TestRun_WriteError(t *testing.T) {
	if err := run(&failingWriter{n: 200}); !errors.Is(err, errDiskFull) {
		t.Errorf("run(failing writer) = %v, want %v", err, errDiskFull)
	}
}

// TestCommand_DB checks that the root module's program refuses a SQL store with a
// message naming the program that has the drivers, and writes nothing.
func TestCommand_DB(t *testing.T) {
	for _, db := range []string{"sqlite:/tmp/x.db", "postgres://localhost/gridgov"} {
		var out, errs bytes.Buffer
		err := command(t.Context(), []string{"-db", db}, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), "store/sqlstore") || !strings.Contains(err.Error(), "cmd/qinhuai") {
			t.Errorf("command(-db %s) = %v, want an error naming store/sqlstore's cmd/qinhuai", db, err)
		}
		if out.Len() > 0 {
			t.Errorf("command(-db %s) wrote a report:\n%s", db, out.String())
		}
	}
}

// TestCommand_Story checks that -story tells the story.
func TestCommand_Story(t *testing.T) {
	var out bytes.Buffer
	if err := command(t.Context(), []string{"-story"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "gridgov · a month in 秦淮区") {
		t.Errorf("-story did not tell the story:\n%s", out.String())
	}
}
