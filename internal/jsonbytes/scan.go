package jsonbytes

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// Strings are scanned eight bytes at a time: a word of plain bytes, the common case
// (keys, IDs, ASCII text), is skipped with a few integer operations instead of eight
// table lookups and branches. Each stop function sets the high bit of every byte of a
// word that needs a closer look. A borrow may also mark bytes above the first marked
// one, never below it, so the lowest mark is exact and is all the scans use.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// zeroes marks the zero bytes of w.
func zeroes(w uint64) uint64 { return (w - lsb) &^ w & msb }

// quoteStops marks '"' and '\\'.
func quoteStops(w uint64) uint64 { return zeroes(w^(lsb*'"')) | zeroes(w^(lsb*'\\')) }

// readStops marks what a read must look at: '"', '\\', control characters and the
// bytes of multi-byte UTF-8 sequences.
func readStops(w uint64) uint64 {
	return quoteStops(w) | (w-lsb*0x20)&^w&msb | w&msb
}

// skipRead returns the position of the first byte at or after i of b that readStops
// marks (quoteStops once special is set: after a first escape, control character or
// multi-byte sequence, only the string's end and its escapes matter), or the position
// from which fewer than eight bytes are left.
func skipRead(b []byte, i int, special bool) int {
	if special {
		for i+8 <= len(b) {
			if m := quoteStops(binary.LittleEndian.Uint64(b[i:])); m != 0 {
				return i + bits.TrailingZeros64(m)>>3
			}
			i += 8
		}
		return i
	}
	for i+8 <= len(b) {
		if m := readStops(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	return i
}

// skipEscapes is skipRead for unescape: it stops at '\\' and control characters.
func skipEscapes(b []byte, i int) int {
	for i+8 <= len(b) {
		w := binary.LittleEndian.Uint64(b[i:])
		if m := zeroes(w^(lsb*'\\')) | (w-lsb*0x20)&^w&msb; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	return i
}

// skipWrite is the same for AppendString over a string, stopping at what encoding/json
// does not write as itself: what readStops marks and the HTML escapes '<', '>' and '&'.
// The masks are written out: through a function that is not inlined, the scan cost
// more than the table lookups it replaces.
func skipWrite(s string, i int) int {
	b := unsafe.Slice(unsafe.StringData(s), len(s)) // read only
	for i+8 <= len(b) {
		w := binary.LittleEndian.Uint64(b[i:])
		q, a, l, g, e := w^(lsb*'"'), w^(lsb*'&'), w^(lsb*'<'), w^(lsb*'>'), w^(lsb*'\\')
		m := ((q-lsb)&^q | (a-lsb)&^a | (l-lsb)&^l | (g-lsb)&^g | (e-lsb)&^e | (w-lsb*0x20)&^w | w) & msb
		if m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	return i
}
