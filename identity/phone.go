package identity

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gridgov/gridgov"
)

// Phone is a validated mainland telephone number: a mobile number (手机号码,
// 1[3-9] and nine digits) or a landline (固定电话: trunk prefix 0, a 2- or 3-digit area
// code, 7 or 8 subscriber digits not starting with 0 or 1). Every way of printing or
// encoding it masks the middle ("138****5678", "025-****5678"); [Phone.Reveal] is the
// only way to read the full number.
//
// The zero value is the absent number. Values are comparable with ==, immutable and safe
// for concurrent use.
type Phone struct {
	v    sealed // the digits, packed and sealed (see packDigits)
	n    uint8  // number of digits; 0 = none
	area uint8  // length of the area code including the trunk 0; 0 for mobiles
}

// ParsePhone validates s as a mobile or landline number. Spaces, hyphens, parentheses
// and a "+86" or "0086" country prefix are accepted and dropped; short service numbers
// (110, 12345) and extensions are refused. Errors wrap [gridgov.ErrInvalid] and never
// quote the input.
func ParsePhone(s string) (Phone, error) {
	d := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')':
			return -1
		}
		return r
	}, s)
	intl := false
	for _, p := range []string{"+86", "0086"} {
		if rest, ok := strings.CutPrefix(d, p); ok {
			d, intl = rest, true
			break
		}
	}
	if d == "" {
		return Phone{}, phoneErr("is empty")
	}
	for i := range len(d) {
		if d[i] < '0' || d[i] > '9' {
			return Phone{}, phoneErr("must hold only digits and separators")
		}
	}
	if intl && d[0] != '1' {
		d = "0" + d // international form drops the trunk prefix of a landline
	}
	switch d[0] {
	case '1':
		if len(d) != 11 || d[1] < '3' {
			return Phone{}, phoneErr("mobile number must be 1[3-9] and nine digits")
		}
		return Phone{v: packDigits(d), n: uint8(len(d))}, nil
	case '0':
		area := 4
		switch {
		case len(d) < 3:
			return Phone{}, phoneErr("landline is too short")
		case d[1] == '1' && d[2] == '0', d[1] == '2':
			area = 3 // Beijing 010 and the 02x cities have 2-digit area codes
		case d[1] == '1':
			return Phone{}, phoneErr("landline area code 01x is only 010")
		case d[1] == '0':
			return Phone{}, phoneErr("landline area code cannot start with 00")
		}
		sub := d[min(area, len(d)):]
		if len(sub) != 7 && len(sub) != 8 {
			return Phone{}, phoneErr("landline must have 7 or 8 digits after the area code")
		}
		if sub[0] == '0' || sub[0] == '1' {
			return Phone{}, phoneErr("landline subscriber number cannot start with 0 or 1")
		}
		return Phone{v: packDigits(d), n: uint8(len(d)), area: uint8(area)}, nil
	}
	return Phone{}, phoneErr("must start with 1 (mobile) or 0 (landline)")
}

// MustParsePhone is ParsePhone for tests and fixtures; it panics on an invalid number.
func MustParsePhone(s string) Phone {
	p, err := ParsePhone(s)
	if err != nil {
		panic(err)
	}
	return p
}

func phoneErr(msg string) error {
	return fmt.Errorf("identity: phone number %s: %w", msg, gridgov.ErrInvalid)
}

// Reveal returns the full number in canonical form ("13812345678", "025-84561234").
// It is the only accessor that does.
func (p Phone) Reveal() string {
	if p.n == 0 {
		return ""
	}
	d := unpackDigits(p.v, int(p.n))
	if p.area == 0 {
		return string(d)
	}
	return string(d[:p.area]) + "-" + string(d[p.area:])
}

// IsZero reports whether p is the zero value (no number).
func (p Phone) IsZero() bool { return p.n == 0 }

// Equal reports whether p and o are the same number. [github.com/google/go-cmp/cmp]
// uses it, so values compare without options.
func (p Phone) Equal(o Phone) bool { return p == o }

// IsMobile reports whether p is a mobile number.
func (p Phone) IsMobile() bool { return p.n != 0 && p.area == 0 }

// AreaCode returns a landline's area code with its trunk prefix ("025"), or "" for a
// mobile.
func (p Phone) AreaCode() string {
	if p.area == 0 {
		return ""
	}
	return string(unpackDigits(p.v, int(p.n))[:p.area])
}

// String returns the masked number: a mobile keeps its first three and last four digits,
// a landline its area code and last four digits.
func (p Phone) String() string {
	s := p.Reveal()
	if p.area == 0 {
		return maskMiddle(s, 3, 4)
	}
	return s[:p.area+1] + maskMiddle(s[p.area+1:], 0, 4)
}

// GoString returns a masked Go-syntax form.
func (p Phone) GoString() string { return goString("Phone", p.String()) }

// Format masks the number under every verb and flag, %#v and %+v included.
func (p Phone) Format(f fmt.State, verb rune) { formatMasked(f, verb, "Phone", p.String()) }

// LogValue masks the number in [log/slog] output.
func (p Phone) LogValue() slog.Value { return slog.StringValue(p.String()) }

// MarshalJSON encodes the masked number as a JSON string. It cannot be decoded back; see
// the package documentation.
func (p Phone) MarshalJSON() ([]byte, error) { return jsonString(p.String()), nil }

// MarshalText encodes the masked number.
func (p Phone) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses and validates a full number; empty text decodes to the zero value.
func (p *Phone) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Phone{}
		return nil
	}
	v, err := ParsePhone(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// UnmarshalJSON decodes a JSON string holding a full number (or "" or null for the zero
// value).
func (p *Phone) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("identity: phone number must be a JSON string: %w", gridgov.ErrInvalid)
	}
	return p.UnmarshalText([]byte(s))
}
