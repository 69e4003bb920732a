package jsonbytes_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// readOne reads data whole with read; ok is whether the Reader took it.
func readOne[T any](data []byte, read func(*jsonbytes.Reader) T) (v T, ok bool) {
	r := jsonbytes.NewReader(data)
	v = read(&r)
	return v, r.Done()
}

// checkAgainstJSON fails when read takes data but gives another value than
// json.Unmarshal, or takes what json.Unmarshal refuses.
func checkAgainstJSON[T any](t *testing.T, data []byte, read func(*jsonbytes.Reader) T) bool {
	t.Helper()
	got, ok := readOne(data, read)
	if !ok {
		return false
	}
	var want T
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("Reader took %q, which json.Unmarshal refuses: %v", data, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Reader read %q as %#v, json.Unmarshal as %#v", data, got, want)
	}
	return true
}

func readString(r *jsonbytes.Reader) string { return r.String() }
func readInt(r *jsonbytes.Reader) int64     { return r.Int(64) }
func readInt32(r *jsonbytes.Reader) int32   { return int32(r.Int(32)) }
func readUint(r *jsonbytes.Reader) uint64   { return r.Uint(64) }
func readFloat(r *jsonbytes.Reader) float64 { return r.Float() }
func readBool(r *jsonbytes.Reader) bool     { return r.Bool() }
func readTime(r *jsonbytes.Reader) time.Time {
	return r.Time()
}
func readStrings(r *jsonbytes.Reader) []string { return jsonbytes.Strings[string](r) }

// TestReader_Primitives checks each primitive against encoding/json on inputs it must
// take and on inputs it must refuse, whose reason is given.
func TestReader_Primitives(t *testing.T) {
	for _, tc := range []struct {
		data string
		take bool
		why  string
	}{
		{`"plain"`, true, "plain ASCII"},
		{`"秦虹街道"`, true, "valid UTF-8"},
		{`"a\"b\\c\u003c\n"`, true, "\\u escapes go through encoding/json"},
		{`"k1\nk2\n"`, true, "line feeds, decoded here"},
		{`"\"\\\/\b\f\n\r\t"`, true, "every one-character escape"},
		{`"秦淮\n区"`, true, "an escape among UTF-8"},
		{"\"bad \xff\\n\"", true, "invalid UTF-8 beside an escape becomes U+FFFD"},
		{`"\x"`, false, "an unknown escape is not JSON"},
		{"\"a\\n\tb\"", false, "a raw control character beside an escape"},
		{`"\ud83d\ude00"`, true, "a surrogate pair"},
		{`"\ud83d"`, true, "a lone surrogate becomes U+FFFD"},
		{"\"bad \xff\"", true, "invalid UTF-8 becomes U+FFFD"},
		{`null`, true, "null leaves the zero value"},
		{"\"tab\there\"", false, "a raw control character is not JSON"},
		{`"unterminated`, false, "no closing quote"},
		{`"a\"`, false, "the quote is escaped"},
		{`"a" `, false, "trailing whitespace"},
		{` "a"`, false, "leading whitespace"},
		{`5`, false, "not a string"},
	} {
		if got := checkAgainstJSON(t, []byte(tc.data), readString); got != tc.take {
			t.Errorf("String(%s) took: %v, want %v (%s)", tc.data, got, tc.take, tc.why)
		}
	}
	for _, tc := range []struct {
		data string
		take bool
		why  string
	}{
		{`0`, true, "zero"},
		{`-0`, true, "negative zero is 0"},
		{`9223372036854775807`, true, "the largest int64"},
		{`-9223372036854775808`, true, "the smallest int64"},
		{`9223372036854775808`, false, "overflows"},
		{`01`, false, "a leading zero is not JSON"},
		{`1.0`, false, "a fraction into an integer is an error"},
		{`1e3`, false, "an exponent into an integer is an error"},
		{`-`, false, "no digits"},
		{`"1"`, false, "a string"},
		{`null`, true, "null"},
	} {
		if got := checkAgainstJSON(t, []byte(tc.data), readInt); got != tc.take {
			t.Errorf("Int(%s) took: %v, want %v (%s)", tc.data, got, tc.take, tc.why)
		}
	}
	if checkAgainstJSON(t, []byte(strconv.Itoa(math.MaxInt32+1)), readInt32) {
		t.Errorf("Int(32) took a number that overflows int32")
	}
	if checkAgainstJSON(t, []byte(`-1`), readUint) {
		t.Errorf("Uint took a negative number")
	}
	if !checkAgainstJSON(t, []byte(`18446744073709551615`), readUint) {
		t.Errorf("Uint refused the largest uint64")
	}
	for _, tc := range []struct {
		data string
		take bool
		why  string
	}{
		{`118.7969`, true, "a longitude"},
		{`-0.5`, true, "negative"},
		{`1e-7`, true, "an exponent"},
		{`1.5E+21`, true, "a capital exponent with a sign"},
		{`-0`, true, "negative zero"},
		{`1e400`, false, "out of range is an error"},
		{`.5`, false, "no integer part is not JSON"},
		{`1.`, false, "no fraction digits is not JSON"},
		{`1e`, false, "no exponent digits is not JSON"},
		{`00.5`, false, "a leading zero is not JSON"},
	} {
		if got := checkAgainstJSON(t, []byte(tc.data), readFloat); got != tc.take {
			t.Errorf("Float(%s) took: %v, want %v (%s)", tc.data, got, tc.take, tc.why)
		}
	}
	for _, tc := range []struct {
		data string
		take bool
	}{{`true`, true}, {`false`, true}, {`null`, true}, {`tru`, false}, {`True`, false}, {`1`, false}} {
		if got := checkAgainstJSON(t, []byte(tc.data), readBool); got != tc.take {
			t.Errorf("Bool(%s) took: %v, want %v", tc.data, got, tc.take)
		}
	}
	for _, tc := range []struct {
		data string
		take bool
	}{{`"2026-12-02T09:00:00Z"`, true}, {`"2026-12-02T09:00:00.5+08:00"`, true}, {`null`, true},
		{`"2026-12-02"`, false}, {`"2026-12-02T09:00:00\u005a"`, false}, {`1`, false}} {
		if got := checkAgainstJSON(t, []byte(tc.data), readTime); got != tc.take {
			t.Errorf("Time(%s) took: %v, want %v", tc.data, got, tc.take)
		}
	}
	for _, tc := range []struct {
		data string
		take bool
		why  string
	}{
		{`[]`, true, "an empty slice, not nil"},
		{`["a","b"]`, true, "two elements"},
		{`[null]`, true, "a null element is the zero string"},
		{`null`, true, "nil"},
		{`["a",]`, false, "a trailing comma is not JSON"},
		{`[,"a"]`, false, "a leading comma is not JSON"},
		{`["a""b"]`, false, "a missing comma is not JSON"},
		{`["a"`, false, "unterminated"},
	} {
		if got := checkAgainstJSON(t, []byte(tc.data), readStrings); got != tc.take {
			t.Errorf("Strings(%s) took: %v, want %v (%s)", tc.data, got, tc.take, tc.why)
		}
	}
}

// FuzzReader_Primitives checks that no primitive takes an input encoding/json reads
// otherwise or refuses, and that none panics.
func FuzzReader_Primitives(f *testing.F) {
	for _, s := range []string{`"x"`, `"a\nb\\"`, `"\u00e9"`, `-12`, `1.5e3`, `true`, `null`, `"2026-01-01T00:00:00Z"`, `["a",null]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstJSON(t, data, readString)
		checkAgainstJSON(t, data, readInt)
		checkAgainstJSON(t, data, readInt32)
		checkAgainstJSON(t, data, readUint)
		checkAgainstJSON(t, data, readFloat)
		checkAgainstJSON(t, data, readBool)
		checkAgainstJSON(t, data, readTime)
		checkAgainstJSON(t, data, readStrings)
	})
}

// TestFixed reads fixed-length arrays: the full length is taken and agrees with
// encoding/json; a shorter or longer array, which encoding/json would pad or cut,
// is refused so the caller falls back to it; a null leaves the array as it was.
func TestFixed(t *testing.T) {
	read := func(r *jsonbytes.Reader) [3]int64 {
		var a [3]int64
		jsonbytes.Fixed(r, a[:], readInt)
		return a
	}
	for _, tc := range []struct {
		data string
		take bool
	}{
		{`[1,2,3]`, true},
		{`[-1,0,9007199254740993]`, true},
		{`[ -1, 0, 9 ]`, false}, // the encoders write no spaces; such input falls back
		{`null`, true},
		{`[]`, false},
		{`[1,2]`, false},
		{`[1,2,3,4]`, false},
		{`[1,2,"3"]`, false},
		{`[1,2,3`, false},
		{`{}`, false},
	} {
		if got := checkAgainstJSON(t, []byte(tc.data), read); got != tc.take {
			t.Errorf("Fixed took %q: %v, want %v", tc.data, got, tc.take)
		}
	}
	r := jsonbytes.NewReader([]byte(`null`))
	a := [2]int64{7, 8}
	jsonbytes.Fixed(&r, a[:], readInt)
	if !r.Done() || a != [2]int64{7, 8} {
		t.Errorf("Fixed on null: done %v, array %v; want done and [7 8] kept", r.Done(), a)
	}
}

// skips reports whether Skip takes data whole.
func skips(data []byte) bool {
	r := jsonbytes.NewReader(data)
	r.Skip()
	return r.Done()
}

// TestSkip checks that Skip takes compact JSON of every kind and refuses what is not
// JSON, so that a member a decoder skips is one encoding/json would accept.
func TestSkip(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	for _, tc := range []struct {
		data string
		take bool
	}{
		{`"x"`, true},
		{`"a\"b\\\u00e9\n"`, true},
		{"\"\xff\"", true}, // invalid UTF-8 is valid JSON to encoding/json
		{`-0.5e+3`, true},
		{`0`, true},
		{`true`, true},
		{`false`, true},
		{`null`, true},
		{`{}`, true},
		{`[]`, true},
		{`{"a":[1,{"b":null}],"c":"d"}`, true},
		{`[[],[{}],"x",1.5,false]`, true},
		{string(deep(1000)), true},
		{string(deep(1002)), false}, // deeper than Skip follows: encoding/json decides
		{`"\q"`, false},
		{"\"a\x01\"", false},
		{`"open`, false},
		{`01`, false},
		{`1.`, false},
		{`-`, false},
		{`tru`, false},
		{`nul`, false},
		{`{"a"}`, false},
		{`{"a":1,}`, false},
		{`[1,]`, false},
		{`[1 2]`, false},
		{`{"a":1`, false},
		{`{a:1}`, false},
		{`[`, false},
		{`]`, false},
		{``, false},
		{` 1`, false}, // whitespace: not the compact shape
	} {
		if got := skips([]byte(tc.data)); got != tc.take {
			t.Errorf("Skip took %q: %v, want %v", tc.data, got, tc.take)
		}
		if tc.take && !json.Valid([]byte(tc.data)) {
			t.Errorf("the case %q says take, but it is not JSON", tc.data)
		}
	}
}

// FuzzSkip checks that Skip takes nothing encoding/json refuses, and never panics.
func FuzzSkip(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}],"c":"d"}`, `"\u00e9"`, `-1.5e3`, `[true,false]`, `[[[]]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if skips(data) && !json.Valid(data) {
			t.Fatalf("Skip took %q, which is not JSON", data)
		}
	})
}
