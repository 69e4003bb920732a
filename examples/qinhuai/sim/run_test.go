package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

// run runs the simulation and fails the test on an error.
func run(t *testing.T, o Options) *Report {
	t.Helper()
	rep, err := Run(t.Context(), o)
	if err != nil {
		t.Fatalf("Run(%+v) = %v", o, err)
	}
	return rep
}

func figure(t *testing.T, rep *Report, key string) Figure {
	t.Helper()
	for _, f := range rep.Figures {
		if f.Key == key {
			return f
		}
	}
	t.Fatalf("report has no figure %q", key)
	return Figure{}
}

// TestRun_Headline checks the simulated year of the default seed against the
// published figures: rates within a few points of them, counts within a stated
// fraction (the published counts cover several years; the simulated year puts them
// into one). With -short it runs January alone, its counts against a twelfth of the
// year's.
func TestRun_Headline(t *testing.T) {
	o, share := Options{Seed: 1}, 1.0
	if testing.Short() {
		o.Months, share = 1, 31.0/365
	}
	rep := run(t, o)
	for _, tc := range []struct {
		key      string
		rate     bool
		tol      float64 // points for a rate, a fraction for a count
		monthTol float64 // the tolerance of January alone, when it differs
		reason   string
	}{
		{"in_grid", true, 4, 0, "90% of events are solved inside the grid"},
		{"police_reports", false, 0.1, 0.2, "60,000 police reports a year"},
		{"police_rewards", false, 0.1, 0.25, "¥1,387,000 of rewards a year: a few large rewards make a month noisy"},
		{"epidemic_reports", false, 0.1, 0.2, "24,000 epidemic reports a year"},
		{"whistles", false, 0.2, 0.4, "500 whistles a year"},
		{"consultations", false, 0.15, 0.35, "1,100 legal consultations a year"},
		{"whistle_resolution", true, 5, -1, "80% of whistles resolved; a month's few dozen say little"},
		{"report_in_units", false, 0.15, -1, "54 departments and units reported in; a month reaches fewer"},
		{"disputes_resolved", false, 0.1, -1, "3,800 disputes resolved by agreement; disputes conclude days after they open, so a month resolves fewer"},
		{"trainings", false, 0.2, -1, "61 legal trainings a year"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			tol := tc.tol
			if testing.Short() && tc.monthTol < 0 {
				t.Skip("not a figure of one month")
			}
			if testing.Short() && tc.monthTol > 0 {
				tol = tc.monthTol
			}
			f := figure(t, rep, tc.key)
			want := f.Target
			if !tc.rate {
				want *= share
				tol *= want
			}
			if math.Abs(f.Value-want) > tol {
				t.Errorf("%s = %s (%.1f), want %.1f ± %.1f (%s)", tc.key, f.Simulated, f.Value, want, tol, tc.reason)
			}
		})
	}
	if testing.Short() {
		if f := figure(t, rep, "disputes_resolved"); f.Value < 0.5*3800*share || f.Value > 1.2*3800*share {
			t.Errorf("disputes resolved in January = %s, want between half and 1.2 times a twelfth of 3,800", f.Simulated)
		}
	} else {
		if !rep.Complete {
			t.Errorf("report of %s–%s is not complete", rep.From, rep.To)
		}
		if f := figure(t, rep, "first_secretaries"); f.Value != 107 {
			t.Errorf("first secretaries assessed = %s, want the 107 of the published report", f.Simulated)
		}
		// Each community rates its seconded first secretary once for each quarter that
		// ends before the year does (Q1–Q3; Q4 is rated in January).
		if f := figure(t, rep, "reverse_ratings"); f.Value != 107*3 {
			t.Errorf("reverse ratings = %s, want one for each of 107 first secretaries in each of 3 quarters", f.Simulated)
		}
	}
	if d := rep.Districts[0]; d.Grids != 1334 || d.Exclusive != 308 || d.Beats != 158 || d.Rooms != 168 ||
		d.FirstSecretaries != 107 || d.GridWorkers != 1117 || d.Findings != 0 {
		t.Errorf("district layout = %+v, want 1,334 grids (308 exclusive), 158 beats, 168 rooms, 107 first secretaries, 1,117 workers, no findings", d)
	}
}

// TestRun_Deterministic checks that one seed gives one report and another seed
// another.
func TestRun_Deterministic(t *testing.T) {
	a := run(t, Options{Seed: 7, Days: 3})
	b := run(t, Options{Seed: 7, Days: 3})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs of seed 7 differ (-first +second):\n%s", diff)
	}
	c := run(t, Options{Seed: 8, Days: 3})
	if cmp.Equal(a.Figures, c.Figures) {
		t.Errorf("seeds 7 and 8 give the same figures:\n%+v", a.Figures)
	}
}

// TestRun_LanesAtOnce checks that the lanes of a day give the same report whether they
// run at once or one after another, and leave the same records: a lane that read or
// wrote another's records would make the two differ (and fail under -race).
func TestRun_LanesAtOnce(t *testing.T) {
	days := 12
	if testing.Short() {
		days = 5
	}
	bs, bp := memstore.New(), memstore.New()
	serial := run(t, Options{Seed: 5, Days: days, Serial: true, Backend: bs})
	parallel := run(t, Options{Seed: 5, Days: days, Backend: bp})
	if diff := cmp.Diff(serial, parallel); diff != "" {
		t.Errorf("the lanes at once differ from the lanes in turn (-serial +parallel):\n%s", diff)
	}
	if serial.Figures[0].Value == 0 {
		t.Errorf("%d days simulated nothing: %+v", days, serial.Figures[0])
	}
	for _, coll := range []string{"320104.escalation.events", "320104.escalation.police", "320104.rewards.claims",
		"320104.rewards.tallies", "320104.mediation.cases"} {
		a, b := dump(t, bs, coll), dump(t, bp, coll)
		if len(a) == 0 {
			t.Errorf("%s: nothing stored in %d days", coll, days)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s differs (-serial +parallel):\n%s", coll, diff)
		}
	}
}

// dump returns every document of coll with its events, as text.
func dump(t *testing.T, b *memstore.Store, coll string) []string {
	t.Helper()
	var out []string
	for d, err := range b.Scan(t.Context(), store.Query{Collection: coll}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s v%d %s %v", d.ID, d.Version, d.Data, d.Index))
		for e, err := range b.Events(t.Context(), coll, d.ID, 0) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("  %d %s", e.Seq, e.Data))
		}
	}
	return out
}

// TestRun_Resume checks that a run stopped after a few days and continued on the same
// store reports what one uninterrupted run reports.
func TestRun_Resume(t *testing.T) {
	whole := run(t, Options{Seed: 3, Days: 4})
	b := memstore.New()
	first := run(t, Options{Seed: 3, Days: 2, Backend: b})
	if first.To != "2025-01-03" {
		t.Fatalf("first part ends %s, want 2025-01-03", first.To)
	}
	second := run(t, Options{Seed: 3, Days: 2, Backend: b})
	if diff := cmp.Diff(whole, second, cmpopts.IgnoreFields(Report{}, "Elapsed")); diff != "" {
		t.Errorf("resumed run differs from the whole run (-whole +resumed):\n%s", diff)
	}
	if _, err := Run(t.Context(), Options{Seed: 4, Days: 1, Backend: b}); err == nil {
		t.Error("a run of another seed on the same store was not refused")
	}
}

// TestReport_Outputs checks the HTML page is self-contained with its four charts and
// the JSON decodes back to the same figures.
func TestReport_Outputs(t *testing.T) {
	rep := run(t, Options{Seed: 2, Days: 2})
	var page strings.Builder
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	if n := strings.Count(html, "<svg "); n != 4 {
		t.Errorf("page has %d SVG charts, want 4 (monthly events, funnel, rewards, streets)", n)
	}
	for _, external := range []string{"<script", "<link", "src=", "url("} {
		if strings.Contains(html, external) {
			t.Errorf("page loads something from outside (%q)", external)
		}
	}
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep.Figures, back.Figures); diff != "" {
		t.Errorf("figures after a JSON round trip differ (-want +got):\n%s", diff)
	}
}
