package rewards

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/store"
)

// checkMonths fails when t.Months is not what t.Grants add up to.
func checkMonths(tb testing.TB, where string, t Tally) {
	tb.Helper()
	var want [12]Fen
	fields := strings.Split(t.Grants, "|")
	if len(fields)%3 != 1 || fields[len(fields)-1] != "" {
		tb.Fatalf("%s: grants %q are not claim|month|amount| triples", where, t.Grants)
	}
	for i := 0; i+2 < len(fields); i += 3 {
		it, _, _, ok := t.grant(fields[i])
		if !ok || it.Month != fields[i+1] {
			tb.Fatalf("%s: grant of %s not found in %q", where, fields[i], t.Grants)
		}
		want[monthIndex(it.Month)] += it.Amount
	}
	if want != t.Months {
		tb.Errorf("%s: months = %v, want %v, the sums of %q", where, t.Months, want, t.Grants)
	}
}

func TestTally_Reserve(t *testing.T) {
	caps := []Cap{{Period: "month", Amount: Yuan(1000)}, {Period: "quarter", Amount: Yuan(1500)}, {Period: "year", Amount: Yuan(2000)}}
	tally := Tally{Worker: "w1", Year: 2025}
	steps := []struct {
		op     string // reserve or release
		claim  string
		month  string
		amount Fen
		grant  Fen
		reason string // the start of the cap reason, "" for none
		why    string
	}{
		{"reserve", "report:A", "2025-01", Yuan(600), Yuan(600), "", "within every cap"},
		{"reserve", "report:B", "2025-01", Yuan(600), Yuan(400), "the month cap of ¥1,000.00 for 2025-01 leaves ¥400.00", "the month's cap reduces it"},
		{"reserve", "report:A", "2025-01", Yuan(600), Yuan(600), "", "reserving again returns the first grant"},
		{"reserve", "report:C", "2025-02", Yuan(800), Yuan(500), "the quarter cap of ¥1,500.00 for 2025-Q1 leaves ¥500.00", "the quarter's cap spans January and February"},
		{"reserve", "report:D", "2025-03", Yuan(100), 0, "the quarter cap", "nothing left in the quarter"},
		{"reserve", "report:E", "2025-04", Yuan(800), Yuan(500), "the year cap of ¥2,000.00 for 2025 leaves ¥500.00", "a new quarter, but the year's cap"},
		{"release", "report:B", "", 0, 0, "", "a release frees January's ¥400"},
		{"release", "report:B", "", 0, 0, "", "releasing again changes nothing"},
		{"release", "report:Z", "", 0, 0, "", "releasing an unknown claim changes nothing"},
		{"reserve", "report:F", "2025-03", Yuan(500), Yuan(400), "the quarter cap of ¥1,500.00 for 2025-Q1 leaves ¥400.00", "the ¥400 freed in the quarter"},
		{"reserve", "report:B", "2025-01", Yuan(600), 0, "the quarter cap", "a released claim reserves afresh"},
	}
	for i, st := range steps {
		where := st.op + " " + st.claim
		var err error
		if st.op == "release" {
			before := tally
			tally, err = tally.release(st.claim)
			require.NoError(t, err)
			if st.claim == "report:Z" && !cmp.Equal(before, tally) {
				t.Errorf("step %d: %s changed the tally (%s)", i, where, st.why)
			}
			checkMonths(t, where, tally)
			continue
		}
		before := tally
		var grant Fen
		var reason string
		tally, grant, reason, err = tally.reserve(st.claim, st.month, st.amount, caps)
		require.NoError(t, err)
		if grant != st.grant || !strings.HasPrefix(reason, st.reason) || (st.reason == "") != (reason == "") {
			t.Errorf("step %d: %s = %v, %q; want %v, %q… (%s)", i, where, grant, reason, st.grant, st.reason, st.why)
		}
		if st.claim == "report:A" && i > 0 && !cmp.Equal(before, tally) {
			t.Errorf("step %d: reserving %s again changed the tally (%s)", i, st.claim, st.why)
		}
		checkMonths(t, where, tally)
	}
	want := [12]Fen{Yuan(600), Yuan(500), Yuan(400), Yuan(500)}
	if tally.Months != want {
		t.Errorf("months = %v, want %v", tally.Months, want)
	}
}

// TestTally_Stored checks that a tally as stored by the earlier layout, one JSON
// object per claim, is read and continued: its grants count against the caps, reserve
// again and release, and the tally is written back in the current layout.
func TestTally_Stored(t *testing.T) {
	old := `{"worker":"w1","year":2025,"items":{"report:B":{"month":"2025-03","amount":30000},"report:A":{"month":"2025-03","amount":50000},"report:C":{"month":"2025-04","amount":10000}}}`
	var tally Tally
	require.NoError(t, json.Unmarshal([]byte(old), &tally))
	caps := []Cap{{Period: "month", Amount: Yuan(1000)}}

	next, grant, _, err := tally.reserve("report:A", "2025-03", Yuan(900), caps)
	require.NoError(t, err)
	if grant != Yuan(500) {
		t.Errorf("reserve(A again) = %v, want its stored grant ¥500.00", grant)
	}
	next, grant, reason, err := next.reserve("report:D", "2025-03", Yuan(500), caps)
	require.NoError(t, err)
	if grant != Yuan(200) || reason == "" {
		t.Errorf("reserve(D) = %v, %q; want ¥200.00, what March's ¥800 of stored grants leave, with a reason", grant, reason)
	}
	if next.Items != nil || next.Months[2] != Yuan(1000) || next.Months[3] != Yuan(100) {
		t.Errorf("tally after reserve = %+v, want the items folded into months (March ¥1,000, April ¥100)", next)
	}
	checkMonths(t, "after reserve", next)
	if !strings.HasPrefix(next.Grants, "report:A|2025-03|50000|report:B|2025-03|30000|report:C|2025-04|10000|") {
		t.Errorf("grants = %q, want the stored items in claim order before the new grant", next.Grants)
	}

	released, err := tally.release("report:B")
	require.NoError(t, err)
	if released.Months[2] != Yuan(500) || released.Items != nil {
		t.Errorf("release(B) of the stored tally = %+v, want March down to ¥500.00", released)
	}
	checkMonths(t, "after release", released)

	js, err := json.Marshal(next)
	require.NoError(t, err)
	if strings.Contains(string(js), `"items"`) {
		t.Errorf("tally written as %s, want no items", js)
	}
	var back Tally
	require.NoError(t, json.Unmarshal(js, &back))
	if diff := cmp.Diff(next, back); diff != "" {
		t.Errorf("tally after a JSON round trip differs (-want +got):\n%s", diff)
	}
}

func TestTally_Invalid(t *testing.T) {
	caps := []Cap{{Period: "year", Amount: Yuan(1000)}}
	tests := []struct {
		name   string
		tally  Tally
		month  string
		reason string
	}{
		{"ErrMonthOfAnotherYear", Tally{Worker: "w1", Year: 2025}, "2024-12", "a grant counts in its tally's year"},
		{"ErrNotAMonth", Tally{Worker: "w1", Year: 2025}, "2025-13", "month 13 does not exist"},
		{"ErrStoredItemOfAnotherYear", Tally{Worker: "w1", Year: 2025, Items: map[string]TallyItem{"report:A": {Month: "2024-05", Amount: 1}}},
			"2025-01", "a stored item outside the year is refused, not dropped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, _, err := tc.tally.reserve("report:X", tc.month, Yuan(1), caps); err == nil {
				t.Errorf("reserve(%s) on %+v = nil error, want one (%s)", tc.month, tc.tally, tc.reason)
			}
		})
	}
	// A month saturated at the largest Fen leaves nothing, never a wrapped-open cap.
	full := Tally{Worker: "w1", Year: 2025}
	full.Months[0], full.Months[1] = Fen(math.MaxInt64), Yuan(1)
	if _, grant, _, err := full.reserve("report:X", "2025-02", Yuan(1), caps); err != nil || grant != 0 {
		t.Errorf("reserve on a saturated year = %v, %v; want nothing granted", grant, err)
	}
}

// TestService_StoredTally checks that the service continues a worker's tally stored in
// the earlier layout: its grants count against the caps and a rejection frees one.
func TestService_StoredTally(t *testing.T) {
	p := QinhuaiPolicy()
	p.Schedule.WorkerCaps = []Cap{{Period: "month", Amount: Yuan(1000)}}
	f := newFixture(t, p)
	ctx := t.Context()
	f.clock.Set(t0.AddDate(0, 1, 0))
	f.open("A", Yuan(35000))
	onSpot := outcome(OutcomeCaptureOnSpot, ContributionDirect) // ¥500
	c1 := f.approved(report("C1", "w1", "A", onSpot))
	require.Equal(t, Yuan(500), c1.Granted)

	// The tally as the earlier layout stored it, with a second grant of ¥300.
	raw := store.NewCollection[map[string]any](f.mem, "rewards.tallies", nil)
	old := map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(`{"worker":"w1","year":2025,"items":{
		"report:C1":{"month":"2025-03","amount":50000},"report:C0":{"month":"2025-03","amount":30000}}}`), &old))
	v, err := raw.Get(ctx, "w1/2025")
	require.NoError(t, err)
	_, err = raw.Put(ctx, "w1/2025", old, v.Version)
	require.NoError(t, err)

	if c := f.approved(report("C2", "w1", "A", onSpot)); c.State != StateApproved || c.Granted != Yuan(200) {
		t.Errorf("approve(C2) = %s %v, want approved ¥200.00: the stored ¥800 count", c.State, c.Granted)
	}
	_, err = f.svc.Reject(ctx, c1.ID, officer, "duplicate of a 110 call")
	require.NoError(t, err)
	if c := f.approved(report("C3", "w1", "A", onSpot)); c.Granted != Yuan(500) {
		t.Errorf("approve(C3) after C1's ¥500 was freed = %v, want ¥500.00", c.Granted)
	}
	got, err := f.svc.tallies.Get(ctx, "w1/2025")
	require.NoError(t, err)
	if got.Value.Items != nil || got.Value.Months[2] != Yuan(1000) {
		t.Errorf("stored tally = %+v, want the current layout with March at ¥1,000.00 (C0 ¥300, C2 ¥200, C3 ¥500)", got.Value)
	}
	checkMonths(t, "stored", got.Value)
	f.reconcileOK()
}
