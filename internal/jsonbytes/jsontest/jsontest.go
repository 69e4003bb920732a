// Package jsontest holds the checks that the packages' hand-written decoders share:
// each decoder must read what it accepts exactly as encoding/json does, and hand the
// rest to it.
package jsontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

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

// Fill sets every exported field of v, and of the values it holds, by kind: strings
// from texts, integers, booleans, instants in three zones, pointers, slices of one to
// three elements, maps of up to three members; when sparse, about half of the values
// are left zero. A field added to a decoded type is so filled without the test knowing
// it, and a decoder that does not read it fails. own, when set, fills the values of
// the types it knows (one with a check of its own, say) and reports whether it did.
func Fill(rng *rand.Rand, v reflect.Value, sparse bool, texts []string, own func(*rand.Rand, reflect.Value) bool) {
	if sparse && rng.IntN(2) == 0 {
		v.SetZero()
		return
	}
	if own != nil && own(rng, v) {
		return
	}
	if v.Type() == reflect.TypeFor[time.Time]() {
		zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("", -(3*3600 + 30*60))}
		v.Set(reflect.ValueOf(time.Unix(rng.Int64N(200*365*86400), rng.Int64N(1e9)).In(zones[rng.IntN(len(zones))])))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(texts[rng.IntN(len(texts))])
	case reflect.Int, reflect.Int64:
		n := rng.Int64N(1<<40) + 1
		if rng.IntN(2) == 0 {
			n = -n
		}
		v.SetInt(n)
	case reflect.Uint64:
		v.SetUint(rng.Uint64())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		Fill(rng, p.Elem(), sparse, texts, own)
		v.Set(p)
	case reflect.Slice:
		n := 1 + rng.IntN(3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			Fill(rng, s.Index(i), sparse, texts, own)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range rng.IntN(4) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			k.SetString(fmt.Sprint("k", rng.IntN(100)))
			Fill(rng, e, false, texts, own)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				Fill(rng, v.Field(i), sparse, texts, own)
			}
		}
	default:
		panic("jsontest.Fill: no rule for " + v.Type().String())
	}
}
