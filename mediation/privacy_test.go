package mediation_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
)

// secrets are the full personal numbers and the parts masking must hide (the birth
// dates and sequences, the phones' middle digits).
var secrets = []string{zhangID, liID, zhangPhone, liPhone, "19900101123", "19851215456", "1234", "8765"}

func assertMasked(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("%s discloses %q:\n%s", what, s, out)
		}
	}
}

// noTime leaves the record's time out of slog's output: its digits are the wall
// clock's, which may hold a secret's ("18:41:06.019587659" holds "8765") and would
// fail the check on a run that disclosed nothing.
var noTime = &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}}

// mediatingCase is a case whose history mentions its parties everywhere it can.
func mediatingCase(t *testing.T) mediation.Case {
	w := newWorld(t)
	return w.run(t, mediation.Case{}, upToMediating(day(2025, 9, 1, 9, 0)))
}

// TestPrivacy_Output checks that resident ID numbers and phones never appear in full in
// fmt, slog or JSON output of parties, cases and commands, while the masked forms do.
func TestPrivacy_Output(t *testing.T) {
	c := mediatingCase(t)
	p := c.Parties[0]
	open := openCmd(rLZY, mediation.DisputeNeighbour)
	values := map[string]any{
		"party": p, "*party": &p, "parties": c.Parties, "case": c, "*case": &c, "open": open,
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			assertMasked(t, fmt.Sprintf("fmt %s of %s", verb, name), fmt.Sprintf(verb, v))
		}
		assertMasked(t, "fmt.Sprint of "+name, fmt.Sprint(v))
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%s): %v", name, err)
		}
		assertMasked(t, "JSON of "+name, string(b))

		for hname, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, noTime) },
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, noTime) },
		} {
			var buf bytes.Buffer
			slog.New(newHandler(&buf)).Info("mediation", name, v, slog.Any("any", v), slog.Group("g", "v", v))
			assertMasked(t, "slog "+hname+" of "+name, buf.String())
		}
	}

	// The masked forms are there, so the checks above looked at real output.
	for what, out := range map[string]string{
		"String": p.String(), "%+v": fmt.Sprintf("%+v", c), "JSON": mustJSON(t, c),
	} {
		if !strings.Contains(out, "320104********1235") || !strings.Contains(out, "138****5678") {
			t.Errorf("%s lacks the masked numbers:\n%s", what, out)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, noTime)).Info("party", "p", p)
	if !strings.Contains(buf.String(), `"id_number":"320104********1235"`) {
		t.Errorf("slog JSON of a party = %s, want the masked number", buf.String())
	}
	// The full values come only from Reveal.
	if p.IDNumber.Reveal() != zhangID || p.Phone.Reveal() != zhangPhone {
		t.Errorf("Reveal() = %q, %q; want the full numbers", p.IDNumber.Reveal(), p.Phone.Reveal())
	}
}

// TestPrivacy_Record checks that the storage form keeps the full numbers and decodes
// back to the same case, and that bad stored numbers are refused.
func TestPrivacy_Record(t *testing.T) {
	c := mediatingCase(t)
	c.Parties[1].CreditCode = "91320104MA1MXXXX9Y" // both check characters valid (GB 32100, GB 11714)
	c.Parties[1].Relations = []mediation.Relation{{Person: hierarchy.PersonID("m3c"), Ground: mediation.RecusalRelated}}
	b, err := mediation.MarshalRecord(c)
	if err != nil {
		t.Fatalf("MarshalRecord: %v", err)
	}
	for _, s := range []string{zhangID, liID, zhangPhone, liPhone} {
		if !bytes.Contains(b, []byte(s)) {
			t.Errorf("MarshalRecord lost %q", s)
		}
	}
	got, err := mediation.UnmarshalRecord(b)
	if err != nil {
		t.Fatalf("UnmarshalRecord: %v", err)
	}
	if diff := cmp.Diff(c, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("record round trip mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []struct{ from, to, reason string }{
		{zhangID, "320104199001011234", "a wrong check digit"},
		{zhangPhone, "1381234567", "a phone one digit short"},
		{`"history"`, `"history":1,"x"`, "not a case"},
	} {
		if _, err := mediation.UnmarshalRecord(bytes.Replace(b, []byte(bad.from), []byte(bad.to), 1)); err == nil {
			t.Errorf("UnmarshalRecord with %s = nil error", bad.reason)
		}
	}
	// The log JSON of a case is not a storage format: it cannot carry the numbers back.
	if strings.Contains(mustJSON(t, c), zhangID) {
		t.Errorf("json.Marshal(case) holds the full number")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	return string(b)
}
