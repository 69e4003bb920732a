package jsonbytes_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// specials are the bytes and runes the eight-byte scans must stop at, and neighbours of
// them they must not stop at.
var specials = []string{`"`, `\`, "\n", "\x00", "\x1f", " ", "\x7f", "<", ">", "&", "/", "é", "秦淮",
	"\u2028", "\u2029", "\xff", "\xe7\xa7", "!", "#", "[", "]", "~", "\x80"}

// scanCases puts each special at every position of ASCII strings of 1 to 24 bytes,
// and two of them at every pair of positions of a 17-byte string, so that each falls
// in every lane of a word, in the first word, a later word and the tail of fewer than
// eight bytes.
func scanCases() []string {
	var out []string
	for n := 1; n <= 24; n++ {
		plain := "abcdefghijklmnopqrstuvwxyz"[:n]
		out = append(out, plain)
		for _, sp := range specials {
			for p := 0; p <= n; p++ {
				out = append(out, plain[:p]+sp+plain[p:])
			}
		}
	}
	plain := "ABCDEFGHIJKLMNOPQ"
	for _, a := range specials {
		for _, b := range []string{`"`, `\`, "\n", "é", "<"} {
			for p := 0; p <= len(plain); p++ {
				for q := p; q <= len(plain); q++ {
					out = append(out, plain[:p]+a+plain[p:q]+b+plain[q:])
				}
			}
		}
	}
	return out
}

// TestAppendString_AsEncodingJSON: AppendString writes every case byte for byte as
// json.Marshal does.
func TestAppendString_AsEncodingJSON(t *testing.T) {
	for _, s := range scanCases() {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonbytes.AppendString([]byte("x"), s); string(got[1:]) != string(want) {
			t.Fatalf("AppendString(%q) = %s, json.Marshal = %s", s, got[1:], want)
		}
	}
}

// TestReader_StringScans: Reader.String reads every case as json.Unmarshal does, both
// as json.Marshal writes it and raw between quotes (control characters and invalid
// UTF-8 included, which encoding/json refuses or replaces), and takes every string
// json.Unmarshal takes.
func TestReader_StringScans(t *testing.T) {
	for _, s := range scanCases() {
		enc, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, data := range [][]byte{enc, []byte(`"` + s + `"`), []byte(`"` + strings.ReplaceAll(s, `\`, `\\`) + `"`)} {
			took := checkAgainstJSON(t, data, readString)
			var v string
			if valid := json.Unmarshal(data, &v) == nil; took != valid {
				t.Fatalf("Reader took %q: %v, json.Unmarshal: %v", data, took, valid)
			}
		}
	}
}

// TestReader_UnterminatedStrings: a string cut off at any length, after plain bytes or
// an escape, is refused, as encoding/json refuses it.
func TestReader_UnterminatedStrings(t *testing.T) {
	for n := range 33 {
		body := strings.Repeat("k", n)
		for _, data := range []string{`"` + body, `"` + body + `\`, `"` + body + `\"`, `"é` + body, `"` + body + `\n` + body} {
			if checkAgainstJSON(t, []byte(data), readString) {
				t.Fatalf("Reader took the unterminated string %q", data)
			}
		}
	}
}

// FuzzAppendString checks AppendString against json.Marshal on any string, and that
// the Reader reads it back as json.Unmarshal does.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain ascii text of a key", "a\nb\nc\n", `q"\`, "<&>", "秦淮区\u2028", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got := jsonbytes.AppendString(nil, s)
		if string(got) != string(want) {
			t.Fatalf("AppendString(%q) = %s, json.Marshal = %s", s, got, want)
		}
		if !checkAgainstJSON(t, got, readString) {
			t.Fatalf("Reader refused %s, which json.Marshal wrote", got)
		}
	})
}

// BenchmarkStrings writes and reads the strings of the year's documents: IDs, a
// Chinese name, a short state, a book's keys.
func BenchmarkStrings(b *testing.B) {
	var keys strings.Builder
	for i := range 200 {
		fmt.Fprintf(&keys, "claim:01JQ8Z%04dXKQ7M3WJ4B9R\n", i)
	}
	for _, tc := range []struct{ name, s string }{
		{"id", "01JQ8ZB3XKQ7M3WJ4B9R2N6T5V"}, {"chinese", "秦淮区夫子庙街道乌衣巷社区"}, {"short", "open"},
		{"keys", keys.String()},
	} {
		enc := jsonbytes.AppendString(nil, tc.s)
		b.Run("write/"+tc.name, func(b *testing.B) {
			buf := make([]byte, 0, 2*len(enc))
			for b.Loop() {
				buf = jsonbytes.AppendString(buf[:0], tc.s)
			}
		})
		// As in a document, where more follows a string than its closing quote.
		doc := append(slices.Clone(enc), `,"next":"member"}`...)
		b.Run("read/"+tc.name, func(b *testing.B) {
			for b.Loop() {
				r := jsonbytes.NewReader(doc)
				if r.String() != tc.s {
					b.Fatal("read back wrong")
				}
			}
		})
	}
}
