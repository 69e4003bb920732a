package escalation

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gridgov/gridgov/internal/jsonbytes/jsontest"
)

// fastHead and fastEvent run the Reader alone, without the fallback: ok says the
// document was of the shape the encoders write.
func fastHead(data []byte) (caseHead, bool) { return jsontest.Fast(data, readHead) }
func fastEvent(data []byte) (Event, bool)   { return jsontest.Fast(data, readEvent) }

// eventAsDecoded returns e as decoding its encoding gives it (see [parsed]).
func eventAsDecoded(e Event) (Event, bool) {
	var ok bool
	e.At, ok = parsed(e.At, false)
	return e, ok
}

// TestHeadDecode_EveryField checks that every head and event the encoders write, with
// every field set or only some, is read by the fast path itself (so that a member the
// encoder gains without the decoder fails here), and read as the value encoded and as
// json.Unmarshal reads it.
func TestHeadDecode_EveryField(t *testing.T) {
	for _, sparse := range []bool{false, true} {
		f := newFiller(11, sparse)
		for range 500 {
			h := f.head()
			data, err := appendHead(nil, h)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := fastHead(data)
			if !ok {
				t.Fatalf("the fast path refused a head the encoder wrote: %s", data)
			}
			var want caseHead
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("decodeHead differs from json.Unmarshal:\n got %#v\nwant %#v", got, want)
			}
			if orig, ok := asDecoded(&h, data); ok && !reflect.DeepEqual(got, orig) {
				t.Fatalf("decodeHead differs from the head encoded:\n got %#v\nwant %#v", got, orig)
			}

			var e Event
			f.fill(reflect.ValueOf(&e).Elem())
			data, err = appendEvent(nil, e)
			if err != nil {
				t.Fatal(err)
			}
			ge, ok := fastEvent(data)
			if !ok {
				t.Fatalf("the fast path refused an event the encoder wrote: %s", data)
			}
			var we Event
			if err := json.Unmarshal(data, &we); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ge, we) {
				t.Fatalf("decodeEvent differs from json.Unmarshal:\n got %#v\nwant %#v", ge, we)
			}
			if orig, ok := eventAsDecoded(e); ok && !reflect.DeepEqual(ge, orig) {
				t.Fatalf("decodeEvent differs from the event encoded:\n got %#v\nwant %#v", ge, orig)
			}
		}
	}
}

// checkDecodeHead and checkDecodeEvent fail unless the decoder gives json.Unmarshal's
// value and error-ness.
func checkDecodeHead(t *testing.T, data []byte)  { jsontest.CheckDecode(t, data, decodeHead) }
func checkDecodeEvent(t *testing.T, data []byte) { jsontest.CheckDecode(t, data, decodeEvent) }

// TestHeadDecode_OtherLayouts checks documents the encoders do not write, as older
// versions or other writers may have stored them: each decodes as encoding/json
// decodes it, whether the fast path takes it (members reordered, nulls) or hands it on.
func TestHeadDecode_OtherLayouts(t *testing.T) {
	f := newFiller(12, false)
	h := f.head()
	head, err := appendHead(nil, h)
	if err != nil {
		t.Fatal(err)
	}
	var e Event
	f.fill(reflect.ValueOf(&e).Elem())
	event, err := appendEvent(nil, e)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		mod  func([]byte) []byte
	}{
		{"AsWritten", func(d []byte) []byte { return d }},
		{"Relaid", func(d []byte) []byte { return jsontest.Relaid(t, d) }},
		{"Reordered", func(d []byte) []byte { return jsontest.Reordered(t, d) }},
		{"UnknownMember", func(d []byte) []byte { return append([]byte(`{"extra":[1,{"a":null}],`), d[1:]...) }},
		{"NullMember", func(d []byte) []byte { return append([]byte(`{"reason":null,"summary":null,"fold":null,`), d[1:]...) }},
		{"RepeatedMember", func(d []byte) []byte { return append([]byte(`{"level":"x","seq":1,`), d[1:]...) }},
		{"EscapedName", func(d []byte) []byte { return append([]byte(`{"\u006cevel":"y",`), d[1:]...) }},
		{"OtherCase", func(d []byte) []byte { return append([]byte(`{"LEVEL":"z","Seq":3,`), d[1:]...) }},
		{"EscapedValue", func(d []byte) []byte { return append([]byte(`{"category":"\u5360\u9053\ud83d\ude00",`), d[1:]...) }},
		{"HistoryInHead", func(d []byte) []byte { return append([]byte(`{"history":[],`), d[1:]...) }},
		{"Empty", func([]byte) []byte { return []byte(`{}`) }},
		{"Null", func([]byte) []byte { return []byte(`null`) }},
		{"TrailingSpace", func(d []byte) []byte { return append(d, ' ', '\n') }},
		{"TrailingGarbage", func(d []byte) []byte { return append(d, '}') }},
		{"Truncated", func(d []byte) []byte { return d[:len(d)/2] }},
		{"WrongType", func(d []byte) []byte { return append([]byte(`{"level":5,`), d[1:]...) }},
		{"FractionalInt", func(d []byte) []byte { return append([]byte(`{"seq":1.5,"n":2.0,`), d[1:]...) }},
		{"EmptyArrays", func(d []byte) []byte { return append([]byte(`{"handlers":[],"whistles":[],`), d[1:]...) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkDecodeHead(t, tc.mod(bytes.Clone(head)))
			checkDecodeEvent(t, tc.mod(bytes.Clone(event)))
		})
	}
	// A fold with a short index array, which encoding/json zero-fills.
	short := strings.Replace(string(head), `"idx":[`, `"idx":[7,`, 1)
	checkDecodeHead(t, []byte(short))
}

// FuzzDecodeHead checks that decodeHead gives json.Unmarshal's value and error-ness for
// any input, and never panics. The seeds are encodings of filled heads.
func FuzzDecodeHead(f *testing.F) {
	fl := newFiller(13, true)
	for range 8 {
		data, err := appendHead(nil, fl.head())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	full, err := appendHead(nil, newFiller(14, false).head())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(`{"fold":{"idx":[1,2,3,4,5,6],"timers":[{"step":"handle","start":"2026-01-01T00:00:00+08:00"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) { checkDecodeHead(t, data) })
}

// FuzzDecodeEvent is FuzzDecodeHead for events.
func FuzzDecodeEvent(f *testing.F) {
	fl := newFiller(15, true)
	for i := range 8 {
		var e Event
		fl.fill(reflect.ValueOf(&e).Elem())
		if i == 0 {
			e = Event{}
		}
		data, err := appendEvent(nil, e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"seq":1,"at":"2026-01-01T08:00:00+08:00","action":"report","to":"reported","actor":{"person":"p","post":"q"}}`))
	f.Fuzz(func(t *testing.T, data []byte) { checkDecodeEvent(t, data) })
}
