package identity_test

import (
	"strings"
	"testing"

	"github.com/gridgov/gridgov/identity"
)

// FuzzParseResidentID checks that parsing never panics and that whatever it accepts is an
// 18-character number whose check character recomputes, which reveals and re-parses to
// the same value, and whose masked form hides the birth date and sequence.
func FuzzParseResidentID(f *testing.F) {
	f.Add("11010519491231002X") // the GB 11643 example
	f.Add("11010519491231002x") // lower-case check character
	f.Add("440524188001010014") // born 1880
	f.Add("110105194902290021") // 29 February of a non-leap year
	f.Add("110105200002290028") // 29 February 2000, a leap year
	f.Add("11010519491231002")  // one short
	f.Add("")                   // empty
	f.Add("ＸＸＸＸＸＸ")             // multi-byte runes, 18 bytes
	f.Fuzz(func(t *testing.T, s string) {
		id, err := identity.ParseResidentID(s)
		if err != nil {
			if !id.IsZero() {
				t.Fatalf("error with a non-zero value")
			}
			return
		}
		full := id.Reveal()
		if len(full) != 18 || !strings.EqualFold(full, s) {
			t.Fatalf("Reveal() = %q for input %q", full, s)
		}
		sum := 0
		for i := range 17 {
			w := 1
			for range 17 - i {
				w = w * 2 % 11
			}
			sum += int(full[i]-'0') * w
		}
		if want := "10X98765432"[sum%11]; full[17] != want {
			t.Fatalf("accepted %q whose check character should be %c", s, want)
		}
		if again, err := identity.ParseResidentID(full); err != nil || again != id {
			t.Fatalf("Reveal() does not re-parse to the same value: %v", err)
		}
		if m := id.String(); m[:6] != full[:6] || m[14:] != full[14:] || m[6:14] != "********" {
			t.Fatalf("String() = %q does not mask the middle of %q", m, full)
		}
		if b := id.BirthDate(); b.IsZero() || b.Format("20060102") != full[6:14] {
			t.Fatalf("BirthDate() = %v for %q", b, full)
		}
	})
}

// FuzzParsePhone checks that parsing never panics and that an accepted number reveals to
// a canonical form that re-parses to the same value.
func FuzzParsePhone(f *testing.F) {
	f.Add("13812345678")      // mobile
	f.Add("+86 25 8456 1234") // international landline
	f.Add("(0571)8765432")    // 4-digit area code
	f.Add("0")                // trunk prefix only
	f.Add("+86")              // country prefix only
	f.Fuzz(func(t *testing.T, s string) {
		p, err := identity.ParsePhone(s)
		if err != nil {
			return
		}
		again, err := identity.ParsePhone(p.Reveal())
		if err != nil || again != p {
			t.Fatalf("Reveal() %q of %q does not re-parse: %v", p.Reveal(), s, err)
		}
		if strings.Count(p.String(), "*") != 4 && strings.Count(p.String(), "*") != 3 {
			t.Fatalf("String() = %q masks too little", p.String())
		}
	})
}

// FuzzParseCreditCode checks that parsing never panics and that an accepted code
// validates.
func FuzzParseCreditCode(f *testing.F) {
	f.Add("91350100M000100Y43") // the GB 32100 example
	f.Add("91350100m000100y43") // lower case
	f.Add("913501A0M000100Y43") // letter in the area code
	f.Fuzz(func(t *testing.T, s string) {
		c, err := identity.ParseCreditCode(s)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil || len(c) != 18 {
			t.Fatalf("accepted %q that does not validate: %v", s, err)
		}
	})
}
