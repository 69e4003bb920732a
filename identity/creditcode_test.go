package identity_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/identity"
)

// gb11714Check computes the check character of an organisation code body the way
// GB 11714-1997 defines it, independently of the package.
func gb11714Check(body string) byte {
	weights := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range []byte(body) {
		v := strings.IndexByte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", c)
		sum += v * weights[i]
	}
	return "0123456789X0"[11-sum%11]
}

// withCheck appends the GB 32100 check character to the first 17 characters of a code.
func withCheck(s17 string) string {
	const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := range 17 {
		sum += strings.IndexByte(charset, s17[i]) * w
		w = w * 3 % 31
	}
	return s17 + string(charset[(31-sum%31)%31])
}

// creditCode builds a code from its department, type, area and organisation-code body,
// computing both check characters, so each test row breaks exactly one rule.
func creditCode(dept, typ byte, area, body string) string {
	return withCheck(string([]byte{dept, typ}) + area + body + string(gb11714Check(body)))
}

type creditRow struct {
	name, code string
	ok         bool
	reason     string
}

func runCreditRows(t *testing.T, rows []creditRow) {
	t.Helper()
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			got, err := identity.ParseCreditCode(tt.code)
			if tt.ok {
				if err != nil || string(got) != tt.code {
					t.Errorf("ParseCreditCode(%q) = %q, %v; want it accepted (%s)", tt.code, got, err, tt.reason)
				}
				return
			}
			if !errors.Is(err, gridgov.ErrInvalid) || got != "" {
				t.Errorf("ParseCreditCode(%q) = %q, %v; want ErrInvalid (%s)", tt.code, got, err, tt.reason)
			}
		})
	}
}

func TestCreditCode_CheckHelpersAgreeWithStandardExample(t *testing.T) {
	// The example printed in GB 32100-2015: both check characters recompute.
	if got := creditCode('9', '1', "350100", "M000100Y"); got != "91350100M000100Y43" {
		t.Fatalf("test helper builds %s from the standard's example, want 91350100M000100Y43", got)
	}
}

func TestCreditCode_RegistrationDepartment(t *testing.T) {
	runCreditRows(t, []creditRow{
		{"Department1", creditCode('1', '1', "320104", "00000001"), true, "GB 32100-2015 4.2: 1 is 机构编制"},
		{"Department5", creditCode('5', '1', "320104", "00000001"), true, "GB 32100-2015 4.2: 5 is 民政"},
		{"Department9", creditCode('9', '1', "320104", "00000001"), true, "GB 32100-2015 4.2: 9 is 工商"},
		{"DepartmentY", creditCode('Y', '1', "320104", "00000001"), true, "GB 32100-2015 4.2: Y is 其他"},
		{"ErrDepartment0", creditCode('0', '1', "320104", "00000001"), false, "GB 32100-2015 4.2 defines no department 0"},
		{"Department3LawFirm", creditCode('3', '1', "320104", "00000001"), true, "code table: 3 is 司法行政, type 1 律师执业机构 (real law-firm codes begin 31)"},
		{"DepartmentNCollective", creditCode('N', '2', "320104", "00000001"), true, "code table: N is 农业, type 2 村级集体经济组织"},
		{"ErrDepartmentB", creditCode('B', '1', "320104", "00000001"), false, "no department B in GB 32100-2015 or its code table"},
		{"ErrDepartmentZ", creditCode('Z', '1', "320104", "00000001"), false, "Z is not in the code charset's department list"},
	})
}

func TestCreditCode_OrganisationType(t *testing.T) {
	rows := []creditRow{}
	for _, d := range []struct {
		dept      byte
		defined   string
		undefined string
		name      string
	}{
		{'1', "1239", "0458Y", "机构编制: 1 机关, 2 事业单位, 3 群众团体, 9 其他"},
		{'5', "1239", "0458Y", "民政: 1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他"},
		{'9', "123", "04589Y", "工商: 1 企业, 2 个体工商户, 3 农民专业合作社, no 9"},
		{'Y', "1", "0239", "其他: type 1 only"},
		{'3', "123459", "0678", "司法行政: 1 律师, 2 公证, 3 基层法律服务, 4 司法鉴定, 5 仲裁, 9 其他"},
		{'8', "19", "0238", "工会: 1 基层工会, 9 其他"},
	} {
		for _, typ := range []byte(d.defined) {
			rows = append(rows, creditRow{"Type" + string([]byte{d.dept, typ}), creditCode(d.dept, typ, "320104", "00000001"), true,
				"GB 32100-2015 4.3: " + d.name})
		}
		for _, typ := range []byte(d.undefined) {
			rows = append(rows, creditRow{"ErrType" + string([]byte{d.dept, typ}), creditCode(d.dept, typ, "320104", "00000001"), false,
				"GB 32100-2015 4.3 does not define type " + string(typ) + " for " + d.name})
		}
	}
	runCreditRows(t, rows)
}

func TestCreditCode_OrganisationCodeCheck(t *testing.T) {
	wrongInner := func(body string) string {
		c := gb11714Check(body)
		bad := byte('1')
		if c == '1' {
			bad = '2'
		}
		return withCheck("91320104" + body + string(bad))
	}
	runCreditRows(t, []creditRow{
		{"Digit", creditCode('9', '1', "320104", "60003734"), true, "GB 32100-2015 4.5 with GB 11714: check 1"},
		{"LettersInBody", creditCode('9', '1', "320104", "MA1MXXXX"), true, "GB 11714: letters count A = 10 … Z = 35, check 9"},
		{"CheckX", creditCode('9', '1', "320104", "70000001"), true, "GB 11714: a remainder of 10 is written X"},
		{"Check0", creditCode('9', '1', "320104", "70000006"), true, "GB 11714: a remainder of 11 is written 0"},
		{"ErrWrongDigit", wrongInner("60003734"), false, "GB 32100-2015 4.5: characters 9-17 are a GB 11714 code whose check must hold, even when character 18 does"},
		{"ErrWrongInLetters", wrongInner("MA1MXXXX"), false, "GB 32100-2015 4.5 with GB 11714"},
		{"ErrXFor0", withCheck("91320104" + "70000006" + "X"), false, "GB 11714: remainder 11 is 0, not X"},
		{"Err0ForX", withCheck("91320104" + "70000001" + "0"), false, "GB 11714: remainder 10 is X, not 0"},
	})
}

func TestCreditCode_AreaDigits(t *testing.T) {
	runCreditRows(t, []creditRow{
		{"ErrLetterInArea", withCheck("9132A104" + "60003734" + "1"), false, "GB 32100-2015 4.4: the registering authority's division code (GB/T 2260) is six digits"},
	})
}
