package escalation

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// filler sets every exported field it reaches, so that a field added to Case, Event or
// the fold state without being added to the hand-written encoders makes the encodings
// differ. With sparse set it leaves each field zero half of the time, for the omitempty
// and omitzero paths.
type filler struct {
	rng    *rand.Rand
	sparse bool
	// zones are minute-aligned, as every real zone is today, so that asDecoded can
	// promise its result; odd offsets are tested on their own.
	zones []*time.Location
}

func newFiller(seed uint64, sparse bool) *filler {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		sh = time.FixedZone("CST", 8*3600)
	}
	return &filler{rng: rand.New(rand.NewPCG(seed, 99)), sparse: sparse,
		zones: []*time.Location{time.UTC, time.Local, sh, time.FixedZone("CST", 8*3600), time.FixedZone("", -(3*3600 + 30*60))}}
}

// texts hold what encoding/json escapes (quotes, backslashes, HTML characters, control
// characters, U+2028 and U+2029) beside plain Chinese and a valid U+FFFD.
var texts = []string{"秦虹街道 中山南路 1 号", `a"b\c`, "<script>&amp;</script>", "line\nbreak\ttab\r\b\f\x01\x1f",
	"\u2028\u2029", "占道经营", "\uFFFD", "x", "320104001001-G01", "😀 emoji"}

var timeType = reflect.TypeFor[time.Time]()

func (f *filler) fill(v reflect.Value) {
	if f.sparse && f.rng.IntN(2) == 0 {
		v.SetZero()
		return
	}
	if v.Type() == timeType {
		sec := f.rng.Int64N(10_000*365*86400) - 2000*365*86400 // years 0–9999 around the epoch
		t := time.Unix(sec, f.rng.Int64N(1e9)).In(f.zones[f.rng.IntN(len(f.zones))])
		if f.rng.IntN(4) == 0 {
			t = time.Now() // with a monotonic reading, which decoding drops
		}
		if t.Year() < 1 || t.Year() > 9998 {
			t = time.Date(2026, 12, 2, 9, 0, 0, 1, time.UTC)
		}
		if _, off := t.Zone(); off%60 != 0 {
			t = t.UTC() // local mean time before 1901, tested on its own
		}
		v.Set(reflect.ValueOf(t))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(texts[f.rng.IntN(len(texts))])
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := f.rng.Int64N(1<<31) + 1
		if f.rng.IntN(2) == 0 {
			n = -n
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(f.rng.Uint64()>>uint(f.rng.IntN(64)) | 1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float32, reflect.Float64:
		fs := []float64{118.7969, 32.0603, -0.5, 1e-7, 1.5e21, 123456789.125, 1e-300, math.Copysign(0, -1)}
		if !f.sparse { // negative zero counts as zero
			fs = fs[:len(fs)-1]
		}
		v.SetFloat(fs[f.rng.IntN(len(fs))])
	case reflect.Slice:
		n := 1 + f.rng.IntN(3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i))
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i))
			}
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem())
		v.Set(p)
	default:
		panic("filler: no rule for " + v.Type().String())
	}
}

// unfilled returns the path of an exported field of v left zero, or "".
func unfilled(v reflect.Value, path string) string {
	if v.Type() == timeType {
		if v.Interface().(time.Time).IsZero() {
			return path
		}
		return ""
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if p := unfilled(v.Field(i), path+"."+v.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
		return ""
	case reflect.Slice:
		if v.Len() == 0 {
			return path
		}
		return unfilled(v.Index(0), path+"[0]")
	case reflect.Array:
		return unfilled(v.Index(0), path+"[0]")
	case reflect.Pointer:
		if v.IsNil() {
			return path
		}
		return unfilled(v.Elem(), path)
	}
	if v.IsZero() {
		return path
	}
	return ""
}

// fullHead returns a head with every field set (Case.History, which the head never
// encodes, aside).
func (f *filler) head() caseHead {
	var h caseHead
	f.fill(reflect.ValueOf(&h).Elem())
	h.History, h.Case.History = nil, nil
	return h
}

func TestHeadCodec_EveryField(t *testing.T) {
	f := newFiller(1, false)
	for range 200 {
		h := f.head()
		var e Event
		f.fill(reflect.ValueOf(&e).Elem())
		if p := unfilled(reflect.ValueOf(h.Fold), "Fold"); p != "" {
			t.Fatalf("filler left %s zero", p)
		}
		if p := unfilled(reflect.ValueOf(h.Case.Location), "Location"); p != "" {
			t.Fatalf("filler left %s zero", p)
		}
		if p := unfilled(reflect.ValueOf(e), "Event"); p != "" {
			t.Fatalf("filler left %s zero", p)
		}
		checkHead(t, h, true)
		checkEvent(t, e)
	}
}

func TestHeadCodec_SparseAndZero(t *testing.T) {
	checkHead(t, caseHead{}, true)
	checkEvent(t, Event{})
	f := newFiller(2, true)
	for range 2000 {
		h := f.head()
		var e Event
		f.fill(reflect.ValueOf(&e).Elem())
		checkHead(t, h, false)
		checkEvent(t, e)
	}
}

// checkHead compares appendHead with json.Marshal, and asDecoded with decoding; with
// full set the head is one asDecoded must accept.
func checkHead(t *testing.T, h caseHead, full bool) {
	t.Helper()
	want, wantErr := json.Marshal(h)
	got, err := appendHead([]byte("prefix"), h)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendHead error %v, json.Marshal error %v", err, wantErr)
	}
	if err != nil {
		return
	}
	if !strings.HasPrefix(string(got), "prefix") || string(got[len("prefix"):]) != string(want) {
		t.Fatalf("appendHead differs from json.Marshal:\n got %s\nwant %s", got, want)
	}
	var dec caseHead
	if err := json.Unmarshal(want, &dec); err != nil {
		t.Fatal(err)
	}
	c, ok := asDecoded(&h, want)
	if !ok {
		if full {
			t.Fatalf("asDecoded refused a head it should take: %s", want)
		}
		return
	}
	if !reflect.DeepEqual(c, dec) {
		t.Fatalf("asDecoded differs from decoding:\n got %#v\nwant %#v", c, dec)
	}
	if p := shared(reflect.ValueOf(c), reflect.ValueOf(h), "head"); p != "" {
		t.Fatalf("asDecoded shares %s with its input", p)
	}
}

func checkEvent(t *testing.T, e Event) {
	t.Helper()
	want, wantErr := json.Marshal(e)
	got, err := appendEvent([]byte("[1,"), e)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendEvent error %v, json.Marshal error %v", err, wantErr)
	}
	if err == nil && string(got[3:]) != string(want) {
		t.Fatalf("appendEvent differs from json.Marshal:\n got %s\nwant %s", got[3:], want)
	}
}

// shared returns the path of a non-empty slice of a whose array is b's, or of a
// pointer of a that is b's, or "". The fold state alone may be shared: it is read-only
// once made, and asDecoded keeps it when it already is what decoding gives (checked by
// the DeepEqual before).
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		switch {
		case a.IsNil() || b.IsNil():
		case a.Pointer() != b.Pointer():
			return shared(a.Elem(), b.Elem(), path)
		case path != "head.Fold":
			return path
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
	case reflect.Slice:
		if a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := range min(a.Len(), b.Len()) {
			if p := shared(a.Index(i), b.Index(i), path+"[i]"); p != "" {
				return p
			}
		}
	}
	return ""
}

// TestHeadCodec_FoldKept checks that a fold state already in the form decoding gives,
// as [Policy.fold] makes it, is kept by asDecoded instead of copied, and that one that
// is not (a monotonic reading, a named zone) is copied and converted.
func TestHeadCodec_FoldKept(t *testing.T) {
	f := newFiller(5, false)
	for i := range 200 {
		h := f.head()
		if i%2 == 0 {
			h.Fold.asParsed()
		}
		data, err := appendHead(nil, h)
		if err != nil {
			t.Fatal(err)
		}
		var dec caseHead
		if err := json.Unmarshal(data, &dec); err != nil {
			t.Fatal(err)
		}
		got, ok := asDecoded(&h, data)
		if !ok {
			t.Fatalf("asDecoded refused a head it should take: %s", data)
		}
		if !reflect.DeepEqual(got.Fold, dec.Fold) {
			t.Fatalf("asDecoded fold differs from decoding:\n got %#v\nwant %#v", got.Fold, dec.Fold)
		}
		if kept := got.Fold == h.Fold; kept != reflect.DeepEqual(h.Fold, dec.Fold) {
			t.Fatalf("asDecoded kept the fold state: %v, want %v (parsed form: %v)", kept, !kept, i%2 == 0)
		}
		if i%2 == 0 && got.Fold != h.Fold {
			t.Fatalf("asDecoded copied a fold state already converted by asParsed")
		}
	}
}

// TestHeadCodec_Refusals checks that what json.Marshal refuses the encoder refuses: an
// instant it cannot write as RFC 3339 and a point that is not a number; and that
// asDecoded declines the heads it cannot mirror.
func TestHeadCodec_Refusals(t *testing.T) {
	f := newFiller(3, false)
	for _, mod := range []func(*caseHead){
		func(h *caseHead) { h.ReportedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		func(h *caseHead) { h.Fold.Timers[0].Start = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) },
		func(h *caseHead) { h.Whistles[0].At = time.Now().In(time.FixedZone("", 25*3600)) },
		func(h *caseHead) { h.Location.Point.Lon = math.NaN() },
		func(h *caseHead) { h.Location.Point.Lat = math.Inf(-1) },
	} {
		h := f.head()
		mod(&h)
		if _, err := json.Marshal(h); err == nil {
			t.Fatal("json.Marshal took a bad head")
		}
		if _, err := appendHead(nil, h); err == nil {
			t.Fatal("appendHead took a head json.Marshal refuses")
		}
	}
	// A head must never carry a history.
	h := f.head()
	h.History = []Event{{Seq: 1}}
	if _, err := appendHead(nil, h); err == nil {
		t.Fatal("appendHead encoded a head with a history")
	}
	// An offset with seconds (local mean time of old zone data) is truncated by RFC 3339,
	// and invalid UTF-8 is replaced: asDecoded declines both.
	for _, mod := range []func(*caseHead){
		func(h *caseHead) { h.Deadline = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 8*3600+343)) },
		func(h *caseHead) { h.Summary = "bad \xff byte" },
	} {
		h := f.head()
		mod(&h)
		data, err := appendHead(nil, h)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := asDecoded(&h, data); ok {
			t.Fatalf("asDecoded took a head it cannot mirror: %s", data)
		}
	}
}

// TestHeadCodec_DecodesOlderLayouts checks that heads are still read by encoding/json,
// whatever the writer: members reordered, spaced out, escaped differently.
func TestHeadCodec_DecodesOlderLayouts(t *testing.T) {
	h := newFiller(4, false).head()
	data, err := appendHead(nil, h)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	other, err := json.MarshalIndent(m, "", "  ") // keys sorted, indented
	if err != nil {
		t.Fatal(err)
	}
	var a, b caseHead
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(other, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("a re-laid head decodes differently")
	}
}

// TestNextCheckKey_Format compares NextCheckKey with the layout it writes by hand,
// over the years it does not clamp, in several zones.
func TestNextCheckKey_Format(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	zones := []*time.Location{time.UTC, time.Local, time.FixedZone("", 8*3600), time.FixedZone("", -(9*3600 + 30*60))}
	for i := range 20000 {
		sec := rng.Int64N(9_998*365*86400) - 1968*365*86400
		at := time.Unix(sec, rng.Int64N(1e9)*int64(i%2)).In(zones[i%len(zones)])
		want := at.UTC().Format("2006-01-02T15:04:05.000000000Z")
		if at.UTC().Year() < 0 || at.UTC().Year() > 9999 {
			continue
		}
		if got := NextCheckKey(at); got != want {
			t.Fatalf("NextCheckKey(%v) = %q, want %q", at, got, want)
		}
	}
}
