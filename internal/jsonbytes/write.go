// Package jsonbytes holds the byte-level JSON primitives of the hand-written codecs of
// the domain packages: appenders that write exactly what encoding/json writes, and a
// [Reader] that parses exactly that shape and reports anything else, so that a decoder
// hands such a document to encoding/json instead.
package jsonbytes

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Key appends the comma before a member unless it is the object's first, and the
// member's quoted name and colon. Names are plain ASCII and need no escaping; no value
// ends in '{', so the last byte tells whether the object is still empty.
func Key(b []byte, name string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// OptString appends member name with value v unless v is empty (omitempty).
func OptString(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	return AppendString(Key(b, name), v)
}

// OptStrings appends member name with the strings vs unless there are none (omitempty).
func OptStrings[S ~string](b []byte, name string, vs []S) []byte {
	if len(vs) == 0 {
		return b
	}
	b = append(Key(b, name), '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, string(v))
	}
	return append(b, ']')
}

// Ints appends member name with the array of vs, as encoding/json writes a fixed-size
// array of integers (slice one to pass it).
func Ints[I ~int | ~int8 | ~int16 | ~int32 | ~int64](b []byte, name string, vs []I) []byte {
	b = append(Key(b, name), '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return append(b, ']')
}

// OptMap appends member name with the object of m, its keys in the sorted order
// encoding/json writes them in, each value by elem; an empty m appends nothing
// (omitempty).
func OptMap[V any](b []byte, name string, m map[string]V, elem func([]byte, V) []byte) []byte {
	if len(m) == 0 {
		return b
	}
	b = append(Key(b, name), '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(append(AppendString(b, k), ':'), m[k])
	}
	return append(b, '}')
}

// OptInt appends member name with value v unless v is 0 (omitempty).
func OptInt(b []byte, name string, v int64) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendInt(Key(b, name), v, 10)
}

// OptBool appends member name as true when v is (omitempty).
func OptBool(b []byte, name string, v bool) []byte {
	if !v {
		return b
	}
	return append(Key(b, name), "true"...)
}

// OptTime appends member name with instant t unless t is zero (omitzero).
func OptTime(b []byte, name string, t time.Time) ([]byte, error) {
	if t.IsZero() {
		return b, nil
	}
	return AppendTime(Key(b, name), t)
}

// AppendTime writes t as [time.Time.MarshalJSON] does, refusing what it refuses: a
// year outside 0–9999 and a zone offset of 24 hours or more. It writes the digits
// itself, which costs a third of what the layout-driven AppendFormat does; the
// instants it would refuse go through AppendFormat, whose output decides the error.
func AppendTime(b []byte, t time.Time) ([]byte, error) {
	_, off := t.Zone()
	if -24*3600 < off && off < 24*3600 {
		// The wall clock of t's zone, read as UTC.
		w := t.Add(time.Duration(off) * time.Second).UTC()
		if y, mo, d := w.Date(); 0 <= y && y <= 9999 {
			h, mi, sec := w.Clock()
			b = append(b, '"')
			b = append2(append2(b, y/100), y%100)
			b = append2(append(b, '-'), int(mo))
			b = append2(append(b, '-'), d)
			b = append2(append(b, 'T'), h)
			b = append2(append(b, ':'), mi)
			b = append2(append(b, ':'), sec)
			if ns := t.Nanosecond(); ns != 0 {
				var frac [10]byte
				frac[0] = '.'
				for i := 9; i > 0; i-- {
					frac[i] = byte('0' + ns%10)
					ns /= 10
				}
				n := 10
				for frac[n-1] == '0' {
					n--
				}
				b = append(b, frac[:n]...)
			}
			if off == 0 {
				b = append(b, 'Z')
			} else {
				// In whole minutes truncated toward zero, as AppendFormat writes it:
				// an offset of -30s is "+00:00".
				zone, sign := off/60, byte('+')
				if zone < 0 {
					zone, sign = -zone, '-'
				}
				b = append2(append(b, sign), zone/60)
				b = append2(append(b, ':'), zone%60)
			}
			return append(b, '"'), nil
		}
	}
	return appendTimeFormat(b, t)
}

// append2 appends n, which is in [0, 99], as two digits.
func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// appendTimeFormat is AppendTime through [time.Time.AppendFormat].
func appendTimeFormat(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	n0 := len(b)
	b = t.AppendFormat(b, time.RFC3339Nano)
	switch {
	case b[n0+len("9999")] != '-':
		return nil, errors.New("Time.MarshalJSON: year outside of range [0,9999]")
	case b[len(b)-1] != 'Z':
		c := b[len(b)-len("Z07:00")]
		h := 10*(b[len(b)-len("07:00")]-'0') + (b[len(b)-len("7:00")] - '0')
		if ('0' <= c && c <= '9') || h >= 24 {
			return nil, errors.New("Time.MarshalJSON: timezone hour outside of range [0,23]")
		}
	}
	return append(b, '"'), nil
}

// AppendFloat writes f as encoding/json does (ES6 number formatting); NaN and the
// infinities are refused, as encoding/json refuses them.
func AppendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as in encoding/json.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// plain[c] says that ASCII byte c is written as itself in a string: one table lookup
// per byte instead of a chain of comparisons, as encoding/json does.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// AppendString writes s quoted as encoding/json does with its default HTML escaping:
// <, > and & as \u003c, \u003e and \u0026, control characters escaped, invalid UTF-8
// as \ufffd, and U+2028 and U+2029 escaped.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if plain[c] {
				// A run of ASCII is skipped a word at a time (text in Chinese does not
				// come here between its runes). skipWrite stops only at bytes plain
				// refuses, so it moves past c; i < j only guards the loop.
				if j := i + 1; len(s)-i < 8 {
					i = j
				} else if i = skipWrite(s, i); i < j {
					i = j
				}
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
