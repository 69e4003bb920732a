package jsonbytes

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Reader is a cursor over one JSON document in the compact shape the appenders of this
// package write: no whitespace, members named by plain ASCII. Its methods read one
// token each; on anything else (whitespace, an escaped member name, a number that does
// not fit, the end of the data) the Reader fails, and a failed Reader reads nothing
// more and returns zero values, so a decoder reads on and checks [Reader.Done] once at
// the end. A failure means "not this shape", never "not JSON": the caller then decodes
// the whole document with encoding/json, which gives the value or the error. What a
// Reader accepts it reads exactly as encoding/json reads it into a zero value.
//
// Reader never panics on any input. The zero value reads an empty document.
type Reader struct {
	b   []byte
	i   int
	bad bool
}

// NewReader returns a Reader at the start of data.
func NewReader(data []byte) Reader { return Reader{b: data} }

// Decode reads data into *v, a zero value, with read, and hands the whole document to
// encoding/json into a fresh zero value when read fails: the value and the error-ness
// are then encoding/json's for every input, so long as read reads what it accepts as
// encoding/json would.
func Decode[T any](data []byte, v *T, read func(*Reader, *T)) error {
	r := NewReader(data)
	read(&r, v)
	if r.Done() {
		return nil
	}
	var zero T
	*v = zero
	return json.Unmarshal(data, v)
}

// Fail marks the document as not of the expected shape.
func (r *Reader) Fail() { r.bad = true }

// Done reports whether the document was read whole without a failure.
func (r *Reader) Done() bool { return !r.bad && r.i == len(r.b) }

func (r *Reader) peek() byte {
	if r.bad || r.i >= len(r.b) {
		return 0
	}
	return r.b[r.i]
}

// Null consumes a null if one is next: encoding/json leaves a zero value as it is on
// null, so a decoder skips the member.
func (r *Reader) Null() bool {
	if r.peek() == 'n' && len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "null" {
		r.i += 4
		return true
	}
	return false
}

// Object consumes the '{' of an object and reports true; on a null it reports false,
// and on anything else it fails.
func (r *Reader) Object() bool {
	if r.peek() == '{' {
		r.i++
		return true
	}
	if !r.Null() {
		r.Fail()
	}
	return false
}

// Member reads the next member name of an object up to its colon and reports true,
// or consumes the closing '}' and reports false.
func (r *Reader) Member() ([]byte, bool) {
	switch c := r.peek(); {
	case c == '}':
		r.i++
		return nil, false
	case r.bad || r.i == 0:
		r.Fail()
		return nil, false
	case r.b[r.i-1] != '{':
		// No value ends in '{', so the previous byte tells whether this is the first.
		if c != ',' {
			r.Fail()
			return nil, false
		}
		r.i++
	}
	if r.peek() != '"' {
		r.Fail()
		return nil, false
	}
	start := r.i + 1
	for j := start; j < len(r.b); j++ {
		switch c := r.b[j]; {
		case c == '"':
			if j+1 < len(r.b) && r.b[j+1] == ':' {
				r.i = j + 2
				return r.b[start:j], true
			}
			r.Fail()
			return nil, false
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			// encoding/json matches names after unescaping, and folding case: only
			// plain names are compared here.
			r.Fail()
			return nil, false
		}
	}
	r.Fail()
	return nil, false
}

// Array consumes the '[' of an array and reports true; on a null it reports false,
// and on anything else it fails.
func (r *Reader) Array() bool {
	if r.peek() == '[' {
		r.i++
		return true
	}
	if !r.Null() {
		r.Fail()
	}
	return false
}

// Elem reports whether another element of an array follows, consuming the comma
// before it, or consumes the closing ']' and reports false.
func (r *Reader) Elem() bool {
	switch c := r.peek(); {
	case c == ']':
		r.i++
		return false
	case r.bad || r.i == 0:
		r.Fail()
		return false
	case r.b[r.i-1] == '[':
		return true
	case c == ',':
		r.i++
		return true
	}
	r.Fail()
	return false
}

// Seen fails when bit n of *seen is already set, and sets it: encoding/json decodes a
// repeated member into the value the first one left, which the decoders do not mirror.
func (r *Reader) Seen(seen *uint64, n uint) {
	if *seen&(1<<n) != 0 {
		r.Fail()
	}
	*seen |= 1 << n
}

// quoted returns the next string with its quotes, and whether it holds an escape or
// a byte that is not plain ASCII.
func (r *Reader) quoted() (raw []byte, special bool) {
	if r.peek() != '"' {
		r.Fail()
		return nil, false
	}
	for j := r.i + 1; j < len(r.b); j++ {
		// In a document a string is followed by more than its closing quote, so this
		// is the common case, and it finds the quote in the string's last word.
		if len(r.b)-j >= 8 {
			if j = skipRead(r.b, j, special); j == len(r.b) {
				break // unterminated
			}
		}
		switch c := r.b[j]; {
		case c == '"':
			raw = r.b[r.i : j+1]
			r.i = j + 1
			return raw, special
		case c == '\\':
			special = true
			j++
		case c < 0x20 || c >= utf8.RuneSelf:
			special = true
		}
	}
	r.Fail()
	return nil, false
}

// String reads a string, or a null as "".
func (r *Reader) String() string {
	if r.Null() {
		return ""
	}
	raw, special := r.quoted()
	if r.bad {
		return ""
	}
	body := raw[1 : len(raw)-1]
	if !special {
		return string(body)
	}
	if s, ok := unescape(body); ok {
		return s
	}
	// \u escapes, control characters and invalid UTF-8 are decoded by encoding/json
	// itself, whose rules (replacement characters, surrogate pairs) it then is.
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		r.Fail()
	}
	return s
}

// unescape decodes the body of a string whose escapes all stand for one ASCII
// character (\" \\ \/ \b \f \n \r \t) and whose other bytes are valid UTF-8 without
// control characters, as encoding/json would: a list of lines, a quotation. ok is false
// for anything else.
func unescape(body []byte) (s string, ok bool) {
	var b strings.Builder
	b.Grow(len(body))
	start := 0
	for i := 0; i < len(body); i++ {
		if len(body)-i >= 8 {
			if i = skipEscapes(body, i); i == len(body) {
				break
			}
		}
		c := body[i]
		if c < 0x20 {
			return "", false
		}
		if c != '\\' {
			continue
		}
		if i+1 == len(body) {
			return "", false
		}
		b.Write(body[start:i])
		i++
		switch c = body[i]; c {
		case '"', '\\', '/':
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		default:
			return "", false
		}
		b.WriteByte(c)
		start = i + 1
	}
	b.Write(body[start:])
	s = b.String()
	// The escapes wrote ASCII, so s is valid exactly when the rest of body is.
	return s, utf8.ValidString(s)
}

// Strings reads an array of strings, or a null as nil; [] is an empty slice, not nil,
// as encoding/json makes it.
func Strings[S ~string](r *Reader) []S {
	if !r.Array() {
		return nil
	}
	out := []S{}
	for r.Elem() {
		out = append(out, S(r.String()))
	}
	return out
}

// Slice reads an array whose elements elem reads, or a null as nil; [] is an empty
// slice, not nil, as encoding/json makes it.
func Slice[T any](r *Reader, elem func(*Reader, *T)) []T {
	if !r.Array() {
		return nil
	}
	out := []T{}
	for r.Elem() {
		out = append(out, *new(T))
		elem(r, &out[len(out)-1])
	}
	return out
}

// Fixed reads an array of exactly len(dst) elements into dst, or leaves dst as it is on
// a null. encoding/json fills a Go array from the front and zeroes or drops the rest; the
// encoders always write the whole array, so any other length fails here and the caller
// falls back to encoding/json.
func Fixed[T any](r *Reader, dst []T, elem func(*Reader) T) {
	if !r.Array() {
		return
	}
	for i := range dst {
		if !r.Elem() {
			r.Fail()
			return
		}
		dst[i] = elem(r)
	}
	if r.Elem() {
		r.Fail()
	}
}

// maxSkipDepth bounds the nesting Skip follows. encoding/json refuses documents nested
// deeper than 10,000; a deeper one fails here and goes to it, which then says so.
const maxSkipDepth = 1000

// Skip consumes one value of any kind, in the compact shape, checking that it is JSON:
// for a member encoding/json ignores (a field the target type does not have), which it
// still requires to be valid.
func (r *Reader) Skip() { r.skip(0) }

func (r *Reader) skip(depth int) {
	if depth > maxSkipDepth {
		r.Fail()
		return
	}
	switch c := r.peek(); {
	case c == '"':
		raw, special := r.quoted()
		// quoted finds the closing quote without checking escapes or control
		// characters, which JSON restricts; encoding/json checks those strings.
		if special && !r.bad && !json.Valid(raw) {
			r.Fail()
		}
	case c == '{':
		r.i++
		for {
			if _, ok := r.Member(); !ok {
				return
			}
			r.skip(depth + 1)
		}
	case c == '[':
		r.i++
		for r.Elem() {
			r.skip(depth + 1)
		}
	case c == 't' || c == 'f':
		r.Bool()
	case c == 'n':
		if !r.Null() {
			r.Fail()
		}
	default:
		// Float checks the number's grammar; one too large for a float64 fails
		// here, though encoding/json would skip it, and goes to it.
		r.Float()
	}
}

// Time reads an instant, or a null as the zero instant, through
// [time.Time.UnmarshalJSON] on the quoted bytes as encoding/json does, so that the
// value, its location included, is encoding/json's.
func (r *Reader) Time() time.Time {
	var t time.Time
	if r.Null() {
		return t
	}
	raw, _ := r.quoted()
	if r.bad {
		return t
	}
	if err := t.UnmarshalJSON(raw); err != nil {
		r.Fail()
		return time.Time{}
	}
	return t
}

// Bool reads true, false or a null as false.
func (r *Reader) Bool() bool {
	switch {
	case r.Null():
	case r.peek() == 't' && len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "true":
		r.i += 4
		return true
	case r.peek() == 'f' && len(r.b)-r.i >= 5 && string(r.b[r.i:r.i+5]) == "false":
		r.i += 5
	default:
		r.Fail()
	}
	return false
}

// integer returns the next integer literal, -?(0|[1-9][0-9]*); a fraction or exponent
// follows none that it returns.
func (r *Reader) integer() []byte {
	start, j := r.i, r.i
	if r.peek() == '-' {
		j++
	}
	d := j
	for j < len(r.b) && '0' <= r.b[j] && r.b[j] <= '9' {
		j++
	}
	if r.bad || j == d || (r.b[d] == '0' && j > d+1) {
		r.Fail()
		return nil
	}
	if j < len(r.b) {
		if c := r.b[j]; c == '.' || c == 'e' || c == 'E' {
			// encoding/json refuses those for an integer; it says how.
			r.Fail()
			return nil
		}
	}
	r.i = j
	return r.b[start:j]
}

// Int reads an integer that fits in bits bits, or a null as 0.
func (r *Reader) Int(bits int) int64 {
	if r.Null() {
		return 0
	}
	lit := r.integer()
	if r.bad {
		return 0
	}
	n, err := strconv.ParseInt(string(lit), 10, bits)
	if err != nil {
		r.Fail()
		return 0
	}
	return n
}

// Uint reads a non-negative integer that fits in bits bits, or a null as 0.
func (r *Reader) Uint(bits int) uint64 {
	if r.Null() {
		return 0
	}
	if r.peek() == '-' {
		r.Fail()
		return 0
	}
	lit := r.integer()
	if r.bad {
		return 0
	}
	n, err := strconv.ParseUint(string(lit), 10, bits)
	if err != nil {
		r.Fail()
		return 0
	}
	return n
}

// Float reads a number as a float64, or a null as 0, as encoding/json parses it.
func (r *Reader) Float() float64 {
	if r.Null() {
		return 0
	}
	start, j := r.i, r.i
	if r.peek() == '-' {
		j++
	}
	digits := func() int {
		k := j
		for j < len(r.b) && '0' <= r.b[j] && r.b[j] <= '9' {
			j++
		}
		return j - k
	}
	d := j
	if r.bad || digits() == 0 || (r.b[d] == '0' && j > d+1) {
		r.Fail()
		return 0
	}
	if j < len(r.b) && r.b[j] == '.' {
		j++
		if digits() == 0 {
			r.Fail()
			return 0
		}
	}
	if j < len(r.b) && (r.b[j] == 'e' || r.b[j] == 'E') {
		j++
		if j < len(r.b) && (r.b[j] == '+' || r.b[j] == '-') {
			j++
		}
		if digits() == 0 {
			r.Fail()
			return 0
		}
	}
	f, err := strconv.ParseFloat(string(r.b[start:j]), 64)
	if err != nil {
		r.Fail()
		return 0
	}
	r.i = j
	return f
}
