package rewards

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/internal/jsonbytes/jsontest"
)

// claimTexts hold what encoding/json escapes (quotes, backslashes, HTML characters,
// control characters, U+2028 and U+2029, invalid UTF-8) beside plain Chinese.
var claimTexts = []string{"秦虹街道 中山南路 1 号", `a"b\c`, "<script>&amp;</script>", "line\nbreak\ttab\r\b\f\x01\x1f",
	"\u2028\u2029", "¥500 granted", "\uFFFD", "bad \xff utf-8", "x", "case:320104.events.01JH", "😀 emoji"}

// fillClaim fills v (about half of it when sparse), see [jsontest.Fill].
func fillClaim(rng *rand.Rand, v reflect.Value, sparse bool) {
	jsontest.Fill(rng, v, sparse, claimTexts, nil)
}

// TestClaimCodec checks that appendClaim writes the bytes json.Marshal writes, for
// claims with every field set and with about half of them, and that they decode back.
func TestClaimCodec(t *testing.T) {
	for seed := range uint64(200) {
		var c Claim
		fillClaim(rand.New(rand.NewPCG(seed, 3)), reflect.ValueOf(&c).Elem(), seed%2 == 1)
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("seed %d: json.Marshal = %v", seed, err)
		}
		got, err := appendClaim([]byte("prefix"), c)
		if err != nil {
			t.Fatalf("seed %d: appendClaim = %v", seed, err)
		}
		if diff := cmp.Diff(string(want), string(got[len("prefix"):])); diff != "" {
			t.Fatalf("seed %d: appendClaim differs from json.Marshal (-want +got):\n%s", seed, diff)
		}
	}
	// A claim with every field set must set every field, or a field appendClaim misses
	// could hide behind a sparse draw.
	var full Claim
	fillClaim(rand.New(rand.NewPCG(1, 1)), reflect.ValueOf(&full).Elem(), false)
	js, err := appendClaim(nil, full)
	if err != nil {
		t.Fatal(err)
	}
	var back Claim
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if back.Pending == nil || !back.Pending.Partial || back.PaidAt.IsZero() || len(back.History) == 0 || back.History[0].Note == "" {
		t.Errorf("claim decoded from appendClaim = %+v, want every field set", back)
	}
}

// TestMatterCodec checks that appendMatter writes the bytes json.Marshal writes.
func TestMatterCodec(t *testing.T) {
	for seed := range uint64(100) {
		var m Matter
		fillClaim(rand.New(rand.NewPCG(seed, 5)), reflect.ValueOf(&m).Elem(), seed%2 == 1)
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("seed %d: json.Marshal = %v", seed, err)
		}
		got, err := appendMatter([]byte("prefix"), m)
		if err != nil {
			t.Fatalf("seed %d: appendMatter = %v", seed, err)
		}
		if diff := cmp.Diff(string(want), string(got[len("prefix"):])); diff != "" {
			t.Fatalf("seed %d: appendMatter differs from json.Marshal (-want +got):\n%s", seed, diff)
		}
	}
	bad := Matter{Contenders: []Contender{{ReportedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	if _, err := appendMatter(nil, bad); err == nil {
		t.Error("appendMatter(a report time past year 9999) = nil error, want the refusal of json.Marshal")
	}
}

// TestTallyCodec checks that appendTally writes the bytes json.Marshal writes, for
// tallies in the Months and Grants layout and in the older one with Items.
func TestTallyCodec(t *testing.T) {
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		tally := fillTally(rng, seed%2 == 1)
		if seed%3 == 0 {
			tally.Items = map[string]TallyItem{}
			for i := range rng.IntN(5) {
				tally.Items[fmt.Sprintf("report:%d\n<%d>", rng.IntN(100), i)] = TallyItem{Month: claimTexts[rng.IntN(len(claimTexts))], Amount: Fen(rng.Int64N(1 << 40))}
			}
		}
		want, err := json.Marshal(tally)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendTally([]byte("prefix"), tally)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got[len("prefix"):])); diff != "" {
			t.Fatalf("seed %d: appendTally differs from json.Marshal (-want +got):\n%s", seed, diff)
		}
	}
}

func TestClaimCodec_Refusals(t *testing.T) {
	tests := []struct {
		name   string
		claim  Claim
		reason string
	}{
		{"ErrYear", Claim{Created: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "json.Marshal refuses a year past 9999"},
		{"ErrZone", Claim{Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600))}, "and a zone offset of 24 hours"},
		{"ErrEventTime", Claim{History: []Event{{At: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}}}, "in an event too"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := json.Marshal(tc.claim); err == nil {
				t.Fatalf("json.Marshal accepted the claim: the case no longer tests a refusal (%s)", tc.reason)
			}
			if js, err := appendClaim(nil, tc.claim); err == nil {
				t.Errorf("appendClaim = %s, want an error (%s)", js, tc.reason)
			}
		})
	}
}
