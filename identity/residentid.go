package identity

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/gridgov/gridgov"
)

// ResidentID is a validated 18-character resident identity number (居民身份证号码,
// GB 11643). Every way of printing or encoding it masks the birth date and sequence
// ("320104********123X"); [ResidentID.Reveal] is the only way to read the full number.
//
// The zero value is the absent number: IsZero reports true and it prints as "". Values
// are comparable with ==, immutable and safe for concurrent use.
type ResidentID struct {
	v sealed // the first 17 digits, packed and sealed (see packDigits); zero = none
}

// residentWeights are 2^(17−i) mod 11 for i = 0..16 (ISO 7064 MOD 11-2).
var residentWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// residentCheckChars maps the weighted sum mod 11 to the check character.
const residentCheckChars = "10X98765432"

// provinces are the first two digits GB/T 2260 assigns to provincial divisions, plus 81,
// 82 and 83 used by the residence permits of Hong Kong, Macao and Taiwan residents.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// ParseResidentID validates s as an 18-character resident identity number: length,
// digits, a known province in the area code, a real birth date between 1800 and 2099,
// and the check character. A lower-case check character 'x' is accepted and stored
// upper-case. The old 15-digit numbers are refused. Errors wrap [gridgov.ErrInvalid] and
// never quote the input.
//
// Whether the birth date lies in the future depends on when one asks; callers that care
// compare [ResidentID.BirthDate] with their own "now".
func ParseResidentID(s string) (ResidentID, error) {
	if len(s) != 18 {
		return ResidentID{}, residentErr("must have 18 characters, got %d", len(s))
	}
	b := []byte(s)
	if b[17] == 'x' {
		b[17] = 'X'
	}
	sum := 0
	for i := range 17 {
		c := b[i]
		if c < '0' || c > '9' {
			return ResidentID{}, residentErr("character %d must be a digit", i+1)
		}
		sum += int(c-'0') * residentWeights[i]
	}
	if !provinces[string(b[:2])] {
		return ResidentID{}, residentErr("area code has an unknown province %q", string(b[:2]))
	}
	if _, ok := birthDate(b[6:14]); !ok {
		return ResidentID{}, residentErr("characters 7-14 are not a birth date between 1800 and 2099")
	}
	if want := residentCheckChars[sum%11]; b[17] != want {
		return ResidentID{}, residentErr("check character does not match")
	}
	return ResidentID{v: packDigits(string(b[:17]))}, nil
}

// MustParseResidentID is ParseResidentID for tests and package-level fixtures; it panics
// on an invalid number.
func MustParseResidentID(s string) ResidentID {
	id, err := ParseResidentID(s)
	if err != nil {
		panic(err)
	}
	return id
}

func residentErr(format string, args ...any) error {
	return fmt.Errorf("identity: resident ID "+format+": %w", append(args, gridgov.ErrInvalid)...)
}

// birthDate decodes YYYYMMDD; ok is false for a non-date or a year outside 1800-2099.
func birthDate(b []byte) (time.Time, bool) {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, time.Month(n/100%100), n%100
	if y < 1800 || y > 2099 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// Reveal returns the full number. It is the only accessor that does: call it where the
// full number is really needed (a court filing, the storage form of an aggregate).
func (id ResidentID) Reveal() string {
	if id.v == (sealed{}) {
		return ""
	}
	b := unpackDigits(id.v, 17)
	sum := 0
	for i, c := range b {
		sum += int(c-'0') * residentWeights[i]
	}
	return string(append(b, residentCheckChars[sum%11]))
}

// IsZero reports whether id is the zero value (no number).
func (id ResidentID) IsZero() bool { return id.v == (sealed{}) }

// Equal reports whether id and o are the same number. [github.com/google/go-cmp/cmp]
// uses it, so values compare without options.
func (id ResidentID) Equal(o ResidentID) bool { return id == o }

// Area returns the 6-digit administrative area code of the place the number was first
// issued, which is not necessarily where the person lives now.
func (id ResidentID) Area() string {
	if id.v == (sealed{}) {
		return ""
	}
	return string(unpackDigits(id.v, 17)[:6])
}

// BirthDate returns the birth date as midnight UTC of that civil date, or the zero time
// for the zero ResidentID.
func (id ResidentID) BirthDate() time.Time {
	if id.v == (sealed{}) {
		return time.Time{}
	}
	t, _ := birthDate(unpackDigits(id.v, 17)[6:14])
	return t
}

// Male reports whether the sequence number is odd, which GB 11643 assigns to men. It is
// false for the zero ResidentID.
func (id ResidentID) Male() bool {
	return id.v != (sealed{}) && (unpackDigits(id.v, 17)[16]-'0')%2 == 1
}

// String returns the masked number: the area code and the last four characters.
func (id ResidentID) String() string { return maskMiddle(id.Reveal(), 6, 4) }

// GoString returns a masked Go-syntax form.
func (id ResidentID) GoString() string { return goString("ResidentID", id.String()) }

// Format masks the number under every verb and flag, %#v and %+v included.
func (id ResidentID) Format(f fmt.State, verb rune) {
	formatMasked(f, verb, "ResidentID", id.String())
}

// LogValue masks the number in [log/slog] output.
func (id ResidentID) LogValue() slog.Value { return slog.StringValue(id.String()) }

// MarshalJSON encodes the masked number as a JSON string, so records marshalled for logs
// or APIs do not disclose it. It cannot be decoded back; see the package documentation.
func (id ResidentID) MarshalJSON() ([]byte, error) { return jsonString(id.String()), nil }

// MarshalText encodes the masked number, for encoders that use [encoding.TextMarshaler]
// (YAML, map keys).
func (id ResidentID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText parses and validates a full number; empty text decodes to the zero value.
// A masked number is refused with an error wrapping [gridgov.ErrInvalid].
func (id *ResidentID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*id = ResidentID{}
		return nil
	}
	v, err := ParseResidentID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// UnmarshalJSON decodes a JSON string holding a full number (or "" or null for the
// zero value).
func (id *ResidentID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("identity: resident ID must be a JSON string: %w", gridgov.ErrInvalid)
	}
	return id.UnmarshalText([]byte(s))
}
