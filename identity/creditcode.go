package identity

import (
	"fmt"
	"strings"

	"github.com/gridgov/gridgov"
)

// CreditCode is a unified social credit code (统一社会信用代码, GB 32100-2015) of an
// organisation: a registration-department character, an organisation-type character, the
// 6-digit administrative division code of the registering authority, the 9-character
// organisation code (组织机构代码, GB 11714) and a check character. It is public, so it
// prints in full. A CreditCode obtained from [ParseCreditCode] or decoded through
// UnmarshalText is valid; a string converted directly is not checked until
// [CreditCode.Validate] is called.
type CreditCode string

// creditCharset lists the 31 characters of GB 32100 in value order (no I, O, S, V, Z).
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are 3^i mod 31 for i = 0..16.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditTypes maps each registration-department code (登记管理部门代码, GB 32100-2015
// clause 4.2 and its table 1) to the organisation-type codes (机构类别代码, clause 4.3,
// table 1) defined for it:
//
//	1 机构编制 (establishment offices): 1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体, 9 其他
//	5 民政 (civil affairs):            1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他
//	9 工商 (industry and commerce):    1 企业, 2 个体工商户, 3 农民专业合作社
//	Y 其他 (other departments):        1
//
// and the departments the code table maintained under the standard has assigned
// since, whose codes real organisations carry (a law firm's code begins 31):
//
//	2 外交 (foreign affairs):   1 外国常驻新闻机构, 9 其他
//	3 司法行政 (justice):        1 律师执业机构, 2 公证处, 3 基层法律服务所, 4 司法鉴定机构, 5 仲裁委员会, 9 其他
//	4 文化 (culture):           1 外国在华文化中心, 9 其他
//	6 旅游 (tourism):           1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门常驻内地（大陆）代表机构, 9 其他
//	7 宗教 (religious affairs): 1 宗教活动场所, 2 宗教院校, 9 其他
//	8 工会 (trade unions):      1 基层工会, 9 其他
//	A 中央军委改革和编制办公室:   1 军队事业单位, 9 其他
//	N 农业 (agriculture):       1 组级集体经济组织, 2 村级集体经济组织, 3 乡镇级集体经济组织, 9 其他
//
// A code of a department or type outside this table is refused; a department the
// table gains later is one line here.
var creditTypes = map[byte]string{
	'1': "1239",
	'2': "19",
	'3': "123459",
	'4': "19",
	'5': "1239",
	'6': "129",
	'7': "129",
	'8': "19",
	'9': "123",
	'A': "19",
	'N': "1239",
	'Y': "1",
}

// orgCodeWeights are the weights GB 11714-1997 gives the eight body characters of an
// organisation code.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// ParseCreditCode validates s (upper-casing it first) as [CreditCode.Validate] does and
// returns it. Errors wrap [gridgov.ErrInvalid].
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
// [gridgov.ErrInvalid], or nil. It checks the structure GB 32100-2015 defines, in this
// order:
//
//   - 18 characters from the GB 32100 charset (clause 4.1, no I, O, S, V, Z);
//   - character 1, the registration department, is one of 1, 5, 9 and Y (clause 4.2);
//   - character 2, the organisation type, is defined for that department (clause 4.3);
//   - characters 3-8, the registering authority's division code, are digits (clause 4.4,
//     GB/T 2260); whether the division exists is not checked;
//   - characters 9-17 are an organisation code whose own check character (character 17)
//     is right (clause 4.5, GB 11714-1997: weights 3, 7, 9, 10, 5, 8, 4, 2, check
//     11 − (Σ cᵢ·wᵢ mod 11), where 10 is written X and 11 is written 0; letters count
//     A = 10 … Z = 35);
//   - character 18 is the check character 31 − (Σ cᵢ·wᵢ mod 31), weights 3^i mod 31,
//     where 31 becomes 0 (clause 4.6 and annex B).
func (c CreditCode) Validate() error {
	s := string(c)
	fail := func(format string, args ...any) error {
		return fmt.Errorf("identity: credit code %q: "+format+": %w", append(append([]any{s}, args...), gridgov.ErrInvalid)...)
	}
	if len(s) != 18 {
		return fmt.Errorf("identity: credit code %q must have 18 characters, got %d: %w", s, len(s), gridgov.ErrInvalid)
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditCharset, s[i])
		if v < 0 {
			return fail("character %d is not in %s", i+1, creditCharset)
		}
		sum += v * creditWeights[i]
	}
	types, ok := creditTypes[s[0]]
	if !ok {
		return fail("registration department %c (character 1) is not one of 1, 5, 9, Y (GB 32100-2015 4.2)", s[0])
	}
	if strings.IndexByte(types, s[1]) < 0 {
		return fail("organisation type %c (character 2) is not defined for registration department %c, which has %s (GB 32100-2015 4.3)",
			s[1], s[0], strings.Join(strings.Split(types, ""), ", "))
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return fail("area code (characters 3-8) must be digits (GB 32100-2015 4.4)")
		}
	}
	if want := orgCodeCheck(s[8:16]); s[16] != want {
		return fail("organisation code %s (characters 9-17) has check character %c, want %c (GB 11714)", s[8:17], s[16], want)
	}
	check := (31 - sum%31) % 31
	if s[17] != creditCharset[check] {
		return fail("check character must be %c", creditCharset[check])
	}
	return nil
}

// orgCodeCheck returns the GB 11714 check character of an 8-character organisation code
// body of digits and upper-case letters.
func orgCodeCheck(body string) byte {
	sum := 0
	for i := range 8 {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * orgCodeWeights[i]
	}
	switch r := 11 - sum%11; r {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + r)
	}
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
