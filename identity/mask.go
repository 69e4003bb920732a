package identity

import (
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

// The digits of personal numbers are held as a scrambled integer rather than a string so
// that reflection-based printing, which bypasses Format when a ResidentID or Phone sits
// in an unexported struct field (fmt's %v of struct{ id ResidentID }), shows a
// meaningless number instead of the person's ID. Multiplication by an odd constant is a
// bijection modulo 2^64; scrambleInv is its inverse. This is not encryption, only a guard
// against accidental disclosure.
const (
	scrambleMul = 0x9E3779B97F4A7C15
	scrambleInv = 0xF1DE83E19937733D
)

func scramble(x uint64) uint64   { return x * scrambleMul }
func unscramble(y uint64) uint64 { return y * scrambleInv }

// packDigits packs a string of at most 19 ASCII digits.
func packDigits(s string) uint64 {
	var n uint64
	for i := range len(s) {
		n = n*10 + uint64(s[i]-'0')
	}
	return scramble(n)
}

// unpackDigits returns the n-digit, zero-padded decimal form of a packed value.
func unpackDigits(v uint64, n int) []byte {
	x := unscramble(v)
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte('0' + x%10)
		x /= 10
	}
	return b
}
