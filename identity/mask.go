package identity

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
)

// formatMasked writes masked for any verb, so that no fmt verb or flag reaches the full
// value: %q quotes, %x and %X hex-encode the masked form, %#v prints a Go-syntax form and
// every other verb (including %d and %+v) prints the masked string with its width flags.
func formatMasked(f fmt.State, verb rune, typeName, masked string) {
	switch verb {
	case 'q', 'x', 'X':
		fmt.Fprintf(f, fmt.FormatString(f, verb), masked)
	case 'v':
		if f.Flag('#') {
			io.WriteString(f, goString(typeName, masked))
			return
		}
		fmt.Fprintf(f, fmt.FormatString(f, 's'), masked)
	default:
		fmt.Fprintf(f, fmt.FormatString(f, 's'), masked)
	}
}

func goString(typeName, masked string) string {
	return "identity." + typeName + "(" + fmt.Sprintf("%q", masked) + ")"
}

// maskMiddle keeps head leading and tail trailing bytes of an ASCII string and stars the
// rest.
func maskMiddle(s string, head, tail int) string {
	if len(s) <= head+tail {
		return strings.Repeat("*", len(s))
	}
	return s[:head] + strings.Repeat("*", len(s)-head-tail) + s[len(s)-tail:]
}

// jsonString quotes an ASCII string for JSON; masked values hold only digits, letters,
// '*' and '-', so no escaping is needed.
func jsonString(s string) []byte {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// The digits of personal numbers are held encrypted rather than as a string, so that
// reflection-based printing, which bypasses Format when a ResidentID or Phone sits in an
// unexported struct field (fmt's %v of struct{ id ResidentID }, testify's diffs), shows
// two meaningless integers instead of the person's number. They are encrypted with
// AES-128 under a key drawn from crypto/rand when the package is initialised: the key
// lives only in this process's memory, is never printed or encoded, and differs from one
// process to the next, so what such a printer shows cannot be turned back into a number
// by anyone who reads this source or the output of another run.
//
// The encryption is deterministic within a process, which is what keeps equality
// working: equal numbers have equal sealed forms, so == , Equal, go-cmp and map keys
// behave as on the numbers themselves. Nothing else about the sealed form means
// anything (it has no order, and it must never be stored or sent: it cannot be opened
// by another process). This guards against accidental disclosure in memory and in
// output; it does not protect stored documents, which hold the full number (see the
// package documentation).
type sealed struct{ a, b uint64 }

// processKey is the per-process cipher. It is set once at initialisation and only read
// afterwards, so it is safe for concurrent use.
var processKey = newProcessKey()

func newProcessKey() cipher.Block {
	var key [16]byte
	rand.Read(key[:]) // never fails: crypto/rand crashes the program instead
	blk, err := aes.NewCipher(key[:])
	if err != nil {
		panic("identity: " + err.Error()) // unreachable: 16 bytes is a valid AES key
	}
	clear(key[:])
	return blk
}

func seal(x uint64) sealed {
	var buf [16]byte
	binary.LittleEndian.PutUint64(buf[:8], x)
	processKey.Encrypt(buf[:], buf[:])
	return sealed{binary.LittleEndian.Uint64(buf[:8]), binary.LittleEndian.Uint64(buf[8:])}
}

func (s sealed) open() uint64 {
	var buf [16]byte
	binary.LittleEndian.PutUint64(buf[:8], s.a)
	binary.LittleEndian.PutUint64(buf[8:], s.b)
	processKey.Decrypt(buf[:], buf[:])
	return binary.LittleEndian.Uint64(buf[:8])
}

// packDigits seals a string of at most 19 ASCII digits.
func packDigits(s string) sealed {
	var n uint64
	for i := range len(s) {
		n = n*10 + uint64(s[i]-'0')
	}
	return seal(n)
}

// unpackDigits returns the n-digit, zero-padded decimal form of a sealed value.
func unpackDigits(v sealed, n int) []byte {
	x := v.open()
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte('0' + x%10)
		x /= 10
	}
	return b
}
