package mediation

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/gridgov/gridgov/identity"
	"github.com/gridgov/gridgov/internal/jsonbytes/jsontest"
)

// caseTexts are strings as cases hold them, and strings that need escaping.
var caseTexts = []string{"秦虹街道人民调解委员会", "邻里纠纷：楼上漏水", `a"b\c`, "<script>&amp;</script>",
	"line\nbreak\ttab\r\b\f\x01\x1f", "\u2028\u2029", "bad \xff utf-8", "P1", "320104001001"}

// creditCodes are valid unified social credit codes.
var creditCodes = []identity.CreditCode{"91350100M000100Y43", "91110000600037341L"}

// fillCredit fills a CreditCode with a valid code: it decodes through its check,
// which would refuse random text.
func fillCredit(rng *rand.Rand, v reflect.Value) bool {
	if v.Type() != reflect.TypeFor[identity.CreditCode]() {
		return false
	}
	v.Set(reflect.ValueOf(creditCodes[rng.IntN(len(creditCodes))]))
	return true
}

// filledDoc returns a case document with every field set, or about half of them, as
// the service stores it: the parties as records, Case.Parties empty.
func filledDoc(rng *rand.Rand, sparse bool) caseDoc {
	var d caseDoc
	jsontest.Fill(rng, reflect.ValueOf(&d).Elem(), sparse, caseTexts, fillCredit)
	d.Case.Parties = nil
	return d
}

// TestCaseDecode_EveryField: the fast path takes what json.Marshal writes for case
// documents with every field set and with about half of them (so that a field the
// types gain without the decoder fails here), and reads them as json.Unmarshal does.
func TestCaseDecode_EveryField(t *testing.T) {
	for seed := range uint64(300) {
		d := filledDoc(rand.New(rand.NewPCG(seed, 17)), seed%2 == 1)
		data, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		jsontest.CheckFast(t, data, readCaseDoc)
	}
}

// TestCaseDecode_OtherLayouts: documents json.Marshal does not write decode as
// encoding/json decodes them, whether the fast path takes them or hands them on.
func TestCaseDecode_OtherLayouts(t *testing.T) {
	doc, err := json.Marshal(filledDoc(rand.New(rand.NewPCG(3, 3)), false))
	if err != nil {
		t.Fatal(err)
	}
	prefix := jsontest.Prefix
	for _, tc := range []struct {
		name string
		mod  func([]byte) []byte
	}{
		{"AsWritten", func(d []byte) []byte { return d }},
		{"Relaid", func(d []byte) []byte { return jsontest.Relaid(t, d) }},
		{"Reordered", func(d []byte) []byte { return jsontest.Reordered(t, d) }},
		{"UnknownMember", prefix(`{"extra":{"a":[1,2]},`)},
		{"NullMembers", prefix(`{"source":null,"parties":null,"agreement":null,"history":null,"opened_at":null,`)},
		{"RepeatedMember", prefix(`{"id":"x",`)},
		{"OtherCase", prefix(`{"ID":"x","Summary":"y",`)},
		{"EscapedName", prefix(`{"\u0069d":"x",`)},
		{"EmptyArrays", prefix(`{"history":[],"parties":[],"sessions":[],`)},
		{"NullRecusal", prefix(`{"mediators":[{"person":"p","kind":"k","how":"h","at":"2025-01-01T00:00:00Z","room":"r","recusal":null}],`)},
		{"BadCreditCode", prefix(`{"parties":[{"id":"P1","role":"applicant","name":"n","credit_code":"91350100M000100Y44"}],`)},
		{"NullCreditCode", prefix(`{"parties":[{"id":"P1","role":"applicant","name":"n","credit_code":null}],`)},
		{"EscapedCreditCode", prefix(`{"parties":[{"id":"P1","role":"applicant","name":"n","credit_code":"91350100M000100Y4\u0033"}],`)},
		{"WrongType", prefix(`{"history":[{"seq":"1"}],`)},
		{"BadTime", prefix(`{"opened_at":"2025-13-01T00:00:00Z",`)},
		{"Truncated", func(d []byte) []byte { return d[:len(d)/2] }},
		{"Null", func([]byte) []byte { return []byte(`null`) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jsontest.CheckDecode(t, tc.mod(bytes.Clone(doc)), decodeCaseDoc)
		})
	}
}

// FuzzCaseDecode checks that decodeCaseDoc gives json.Unmarshal's value and error-ness
// for any input, and never panics. The seeds are encodings of filled documents.
func FuzzCaseDecode(f *testing.F) {
	for seed := range uint64(4) {
		data, err := json.Marshal(filledDoc(rand.New(rand.NewPCG(seed, 29)), seed%2 == 1))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		jsontest.CheckDecode(t, data, decodeCaseDoc)
	})
}
