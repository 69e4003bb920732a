package rewards

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/internal/jsonbytes"
	"github.com/gridgov/gridgov/internal/jsonbytes/jsontest"
)

// fast runs read alone, without the fallback: ok says data was of its shape.
func fast[T any](data []byte, read func(*jsonbytes.Reader, *T)) (T, bool) {
	return jsontest.Fast(data, read)
}

// checkFast fails unless read takes data, the encoding of a value, and reads it as
// json.Unmarshal does and as the value encoded (whose re-encoding is data again,
// unless it held invalid UTF-8).
func checkFast[T any](t *testing.T, data []byte, read func(*jsonbytes.Reader, *T), enc func([]byte, T) ([]byte, error)) {
	t.Helper()
	jsontest.CheckFast(t, data, read)
	if bytes.Contains(data, []byte(`\ufffd`)) {
		return // invalid UTF-8 encoded as \ufffd reads as U+FFFD, which encodes as itself
	}
	got, _ := jsontest.Fast(data, read)
	again, err := enc(nil, got)
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("the value read encodes as %s (%v), want %s", again, err, data)
	}
}

// fillTally sets every field of a tally in the Months and Grants layout (sparse:
// about half of them); Items is the older layout, which the fallback reads.
func fillTally(rng *rand.Rand, sparse bool) Tally {
	var t Tally
	pick := func() bool { return !sparse || rng.IntN(2) == 0 }
	if pick() {
		t.Worker = hierarchy.PersonID(claimTexts[rng.IntN(len(claimTexts))])
	}
	if pick() {
		t.Year = 2000 + rng.IntN(50)
	}
	for i := range t.Months {
		if pick() {
			t.Months[i] = Fen(rng.Int64N(1<<40) - 1<<39)
		}
	}
	if pick() {
		t.Grants = "C-1|2025-03|5000|C-2|2025-04|700|" + claimTexts[rng.IntN(len(claimTexts))]
	}
	return t
}

// TestClaimDecode_EveryField checks claims, matters and tallies with every field set
// and with about half of them: the fast path takes what the encoders write (so that a
// member an encoder gains without its decoder fails here) and reads it as encoded and
// as json.Unmarshal reads it.
func TestClaimDecode_EveryField(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 21))
		sparse := seed%2 == 1
		var c Claim
		fillClaim(rng, reflect.ValueOf(&c).Elem(), sparse)
		data, err := appendClaim(nil, c)
		if err != nil {
			t.Fatal(err)
		}
		checkFast(t, data, readClaim, appendClaim)
		// The statistics read the same bytes as summaries, skipping the rest.
		if _, ok := jsontest.Fast(data, readClaimSummary); !ok {
			t.Fatalf("the summary's fast path refused a claim the encoder wrote: %s", data)
		}
		jsontest.CheckDecode(t, data, decodeClaimSummary)
		var m Matter
		fillClaim(rng, reflect.ValueOf(&m).Elem(), sparse)
		if data, err = appendMatter(nil, m); err != nil {
			t.Fatal(err)
		}
		checkFast(t, data, readMatter, appendMatter)
		if data, err = appendTally(nil, fillTally(rng, sparse)); err != nil {
			t.Fatal(err)
		}
		checkFast(t, data, readTally, appendTally)
	}
	// The filled tally must be the whole of Tally but Items, or a field added to it
	// would not be tested.
	if n := reflect.TypeFor[Tally]().NumField(); n != 5 {
		t.Errorf("Tally has %d fields, fillTally sets 4 of them and Items: add the new one to fillTally and readTally", n)
	}
}

// TestClaimDecode_OtherLayouts checks documents the encoders do not write, as older
// versions or other writers may have stored them: each decodes as encoding/json
// decodes it, whether the fast path takes it or hands it on.
func TestClaimDecode_OtherLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var c Claim
	fillClaim(rng, reflect.ValueOf(&c).Elem(), false)
	claim, err := appendClaim(nil, c)
	if err != nil {
		t.Fatal(err)
	}
	var m Matter
	fillClaim(rng, reflect.ValueOf(&m).Elem(), false)
	matter, err := appendMatter(nil, m)
	if err != nil {
		t.Fatal(err)
	}
	tally, err := json.Marshal(fillTally(rng, false))
	if err != nil {
		t.Fatal(err)
	}
	items := []byte(`{"worker":"w","year":2025,"items":{"C-1":{"month":"2025-03","amount":500}}}`)
	prefix := jsontest.Prefix
	for _, tc := range []struct {
		name string
		mod  func([]byte) []byte
	}{
		{"AsWritten", func(d []byte) []byte { return d }},
		{"Relaid", func(d []byte) []byte { return jsontest.Relaid(t, d) }},
		{"Reordered", func(d []byte) []byte { return jsontest.Reordered(t, d) }},
		{"UnknownMember", prefix(`{"extra":{"a":[1,2]},`)},
		{"NullMembers", prefix(`{"pending":null,"history":null,"contenders":null,"months":null,`)},
		{"RepeatedMember", prefix(`{"id":"x","key":"y","worker":"z",`)},
		{"OtherCase", prefix(`{"ID":"x","Key":"y","Worker":"z",`)},
		{"EscapedName", prefix(`{"\u0069d":"x",`)},
		{"EmptyArrays", prefix(`{"history":[],"contenders":[],`)},
		{"ShortMonths", prefix(`{"months":[1,2],`)},
		{"WrongType", prefix(`{"amount":"5","year":"x","key":1,`)},
		{"Truncated", func(d []byte) []byte { return d[:len(d)/2] }},
		{"BadSkippedMember", prefix(`{"history":[1,],`)},
		{"OddSkippedMember", prefix(`{"history":[[],{"x":"\u00e9"},-1.5e3,true],`)},
		{"Null", func([]byte) []byte { return []byte(`null`) }},
		{"Items", func([]byte) []byte { return items }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jsontest.CheckDecode(t, tc.mod(bytes.Clone(claim)), decodeClaim)
			jsontest.CheckDecode(t, tc.mod(bytes.Clone(claim)), decodeClaimSummary)
			jsontest.CheckDecode(t, tc.mod(bytes.Clone(matter)), decodeMatter)
			jsontest.CheckDecode(t, tc.mod(bytes.Clone(tally)), decodeTally)
		})
	}
}

// FuzzClaimDecode checks that the decoders of claims, claim summaries, matters and tallies give
// json.Unmarshal's value and error-ness for any input, and never panic. The seeds are
// encodings of filled values.
func FuzzClaimDecode(f *testing.F) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 31))
		var c Claim
		fillClaim(rng, reflect.ValueOf(&c).Elem(), seed%2 == 1)
		data, err := appendClaim(nil, c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		var m Matter
		fillClaim(rng, reflect.ValueOf(&m).Elem(), seed%2 == 1)
		if data, err = appendMatter(nil, m); err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		if data, err = json.Marshal(fillTally(rng, seed%2 == 1)); err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		jsontest.CheckDecode(t, data, decodeClaim)
		jsontest.CheckDecode(t, data, decodeClaimSummary)
		jsontest.CheckDecode(t, data, decodeMatter)
		jsontest.CheckDecode(t, data, decodeTally)
	})
}
