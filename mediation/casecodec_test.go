package mediation

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCaseCodec: appendCaseDoc writes the bytes json.Marshal writes for case documents
// with every field set and with about half of them (so that a field the types gain
// without the encoder fails here), with empty and nil slices, and with the parts that
// omitzero leaves out when zero.
func TestCaseCodec(t *testing.T) {
	docs := []caseDoc{{}, {Parties: []partyRecord{}, Case: Case{History: []Event{}, Sessions: []Session{{}}, Extensions: []Extension{{Consents: []PartyID{}}}}}}
	for seed := range uint64(300) {
		docs = append(docs, filledDoc(rand.New(rand.NewPCG(seed, 23)), seed%2 == 1))
	}
	for i, d := range docs {
		want, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendCaseDoc([]byte("prefix"), d)
		if err != nil {
			t.Fatalf("case %d: appendCaseDoc = %v", i, err)
		}
		if diff := cmp.Diff(string(want), string(got[len("prefix"):])); diff != "" {
			t.Fatalf("case %d: appendCaseDoc differs from json.Marshal (-want +got):\n%s", i, diff)
		}
	}
}

// TestCaseCodec_Refusals: an instant json.Marshal refuses, anywhere in the case, is
// refused by appendCaseDoc too.
func TestCaseCodec_Refusals(t *testing.T) {
	late := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, d := range map[string]caseDoc{
		"opened":    {Case: Case{OpenedAt: late}},
		"event":     {Case: Case{History: []Event{{At: late}}}},
		"signature": {Case: Case{Agreement: Agreement{Form: "written", Signatures: []Signature{{At: late}}}}},
		"visit":     {Case: Case{Visits: []Visit{{DoneAt: late}}}},
	} {
		if _, err := json.Marshal(d); err == nil {
			t.Fatalf("%s: json.Marshal took the year 10000", name)
		}
		if _, err := appendCaseDoc(nil, d); err == nil {
			t.Errorf("%s: appendCaseDoc took the year 10000, which json.Marshal refuses", name)
		}
	}
}
