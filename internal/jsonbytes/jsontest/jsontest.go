// Package jsontest holds the checks that the packages' hand-written decoders share:
// each decoder must read what it accepts exactly as encoding/json does, and hand the
// rest to it.
package jsontest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// Fast runs read alone, without the fallback to encoding/json: ok says data was of
// the shape read takes.
func Fast[T any](data []byte, read func(*jsonbytes.Reader, *T)) (v T, ok bool) {
	r := jsonbytes.NewReader(data)
	read(&r, &v)
	return v, r.Done()
}

// CheckDecode fails t unless decode gives json.Unmarshal's value and error-ness on
// data.
func CheckDecode[T any](t testing.TB, data []byte, decode func([]byte, *T) error) {
	t.Helper()
	var got, want T
	err := decode(data, &got)
	wantErr := json.Unmarshal(data, &want)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("decoding %q into %T: error %v, json.Unmarshal's error %v", data, got, err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decoding %q into %T differs from json.Unmarshal:\n got %#v\nwant %#v", data, got, got, want)
	}
}

// Relaid returns data decoded into a map and written again indented, its members
// sorted: a layout no encoder of this module writes, which a decoder must hand to
// encoding/json.
func Relaid(t testing.TB, data []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Reordered returns data with its members sorted and no whitespace: the compact shape
// in another order, which a decoder takes itself.
func Reordered(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, Relaid(t, data)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// CheckFast fails t unless read takes data whole, without the fallback, and reads it
// as json.Unmarshal does: for data an encoder of the module wrote, so that a member the
// encoder gains without its decoder fails the test.
func CheckFast[T any](t testing.TB, data []byte, read func(*jsonbytes.Reader, *T)) {
	t.Helper()
	got, ok := Fast(data, read)
	if !ok {
		t.Fatalf("the fast path refused a document its encoder wrote: %s", data)
	}
	var want T
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the fast path differs from json.Unmarshal on %s:\n got %#v\nwant %#v", data, got, want)
	}
}

// Prefix returns a change of a document that puts members p (an opening brace and
// members, each followed by a comma) before the document's own.
func Prefix(p string) func([]byte) []byte {
	return func(d []byte) []byte { return append([]byte(p), d[1:]...) }
}
