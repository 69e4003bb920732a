package identity

import (
	"fmt"
	"strings"

	"github.com/gridgov/gridgov"
)

// CreditCode is a unified social credit code (统一社会信用代码, GB 32100) of an
// organisation: a registration-authority character, an organisation-type character, the
// 6-digit area code, the 9-character organisation code and a check character. It is
// public, so it prints in full. A CreditCode obtained from [ParseCreditCode] or decoded
// through UnmarshalText is valid; a string converted directly is not checked until
// [CreditCode.Validate] is called.
type CreditCode string

// creditCharset lists the 31 characters of GB 32100 in value order (no I, O, S, V, Z).
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are 3^i mod 31 for i = 0..16.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ParseCreditCode validates s (upper-casing it first): 18 characters from the GB 32100
// charset, digits in the area code, and the check character 31 − (Σ cᵢ·wᵢ mod 31), where
// 31 becomes 0. Errors wrap [gridgov.ErrInvalid].
func ParseCreditCode(s string) (CreditCode, error) {
	c := CreditCode(strings.ToUpper(s))
	if err := c.Validate(); err != nil {
		return "", err
	}
	return c, nil
}

// MustParseCreditCode is ParseCreditCode for tests and fixtures; it panics on an invalid
// code.
func MustParseCreditCode(s string) CreditCode {
	c, err := ParseCreditCode(s)
	if err != nil {
		panic(err)
	}
	return c
}

// Validate reports why c is not a valid code, with an error wrapping
// [gridgov.ErrInvalid], or nil.
func (c CreditCode) Validate() error {
	s := string(c)
	if len(s) != 18 {
		return fmt.Errorf("identity: credit code %q must have 18 characters, got %d: %w", s, len(s), gridgov.ErrInvalid)
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditCharset, s[i])
		if v < 0 {
			return fmt.Errorf("identity: credit code %q: character %d is not in %s: %w", s, i+1, creditCharset, gridgov.ErrInvalid)
		}
		if i >= 2 && i < 8 && v > 9 {
			return fmt.Errorf("identity: credit code %q: area code (characters 3-8) must be digits: %w", s, gridgov.ErrInvalid)
		}
		sum += v * creditWeights[i]
	}
	check := (31 - sum%31) % 31
	if s[17] != creditCharset[check] {
		return fmt.Errorf("identity: credit code %q: check character must be %c: %w", s, creditCharset[check], gridgov.ErrInvalid)
	}
	return nil
}

// String returns the code.
func (c CreditCode) String() string { return string(c) }

// Area returns the 6-digit administrative area code of the registering authority, or ""
// when c is too short to hold one.
func (c CreditCode) Area() string {
	if len(c) < 8 {
		return ""
	}
	return string(c[2:8])
}

// UnmarshalText validates the code; empty text decodes to the empty code, meaning none.
func (c *CreditCode) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = ""
		return nil
	}
	v, err := ParseCreditCode(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}
