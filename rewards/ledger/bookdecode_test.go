package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/internal/jsonbytes/jsontest"
)

// bookTexts are strings as books hold them, and strings that need escaping.
var bookTexts = []string{"fund:320104-PS01-2025", "秦淮区 派出所", `a"b\c`, "<&>", "line\nbreak\ttab\r\b\f\x01\x1f",
	"\u2028\u2029", "bad \xff utf-8", "", "claim-01JXYZ\nclaim-01JXZA\n"}

// fillBook fills b (about half of it when sparse), see [jsontest.Fill].
func fillBook(rng *rand.Rand, b *Book, sparse bool) {
	jsontest.Fill(rng, reflect.ValueOf(b).Elem(), sparse, bookTexts, nil)
}

// TestBookDecode_EveryField: the fast path takes what json.Marshal writes for books
// with every field set and with about half of them (so that a field Book gains
// without readBook fails here), and reads them as json.Unmarshal does.
func TestBookDecode_EveryField(t *testing.T) {
	for seed := range uint64(300) {
		var b Book
		fillBook(rand.New(rand.NewPCG(seed, 5)), &b, seed%2 == 1)
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		jsontest.CheckFast(t, data, readBook)
		jsontest.CheckDecode(t, data, decodeBook)
	}
}

// TestBookDecode_OtherLayouts: documents json.Marshal does not write decode as
// encoding/json decodes them, whether the fast path takes them or hands them on.
func TestBookDecode_OtherLayouts(t *testing.T) {
	var b Book
	fillBook(rand.New(rand.NewPCG(9, 9)), &b, false)
	book, err := json.Marshal(b)
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
		{"NullMembers", prefix(`{"labels":null,"reversed":null,"chunks":null,"tail":null,`)},
		{"RepeatedMember", prefix(`{"id":"x",`)},
		{"OtherCase", prefix(`{"ID":"x","Keys":"y\n",`)},
		{"EscapedName", prefix(`{"\u0069d":"x",`)},
		{"EscapedMapKey", prefix(`{"labels":{"\u006b":"v","k":"w"},`)},
		{"RepeatedMapKey", prefix(`{"reversed":{"k":1,"k":2},`)},
		{"NullMapValue", prefix(`{"labels":{"k":null},"reversed":{"k":null},`)},
		{"EmptyMapsAndArrays", prefix(`{"labels":{},"reversed":{},"chunks":[],"tail":[],`)},
		{"NegativeSeq", prefix(`{"seq":-1,`)},
		{"UnicodeEscapeInKeys", prefix(`{"keys":"a\u000ab\n",`)},
		{"WrongType", prefix(`{"seq":"5","credits":1.5,"tail":"x",`)},
		{"Truncated", func(d []byte) []byte { return d[:len(d)/2] }},
		{"Null", func([]byte) []byte { return []byte(`null`) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jsontest.CheckDecode(t, tc.mod(bytes.Clone(book)), decodeBook)
		})
	}
}

// FuzzBookDecode checks that decodeBook gives json.Unmarshal's value and error-ness for
// any input, and never panics. The seeds are encodings of filled books.
func FuzzBookDecode(f *testing.F) {
	for seed := range uint64(4) {
		var b Book
		fillBook(rand.New(rand.NewPCG(seed, 13)), &b, seed%2 == 1)
		data, err := json.Marshal(b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		jsontest.CheckDecode(t, data, decodeBook)
	})
}

// TestBookDecode_YearOfKeys reads back a book holding a year of payments' keys, one
// line each: the string that made encoding/json slow is read by the fast path.
func TestBookDecode_YearOfKeys(t *testing.T) {
	var keys strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&keys, "claim:01JX%022d\n", i)
	}
	b := Book{ID: "F", Account: "fund:F", Seq: 5000, Credits: 1 << 40, Debits: 5000, Head: "h", Keys: keys.String()}
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := jsontest.Fast(data, readBook)
	if !ok || got.Keys != b.Keys || got.Seq != b.Seq {
		t.Fatalf("fast path took it: %v; keys equal: %v", ok, got.Keys == b.Keys)
	}
}
