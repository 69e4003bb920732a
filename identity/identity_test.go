package identity_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/identity"
)

// Published examples: GB 11643 itself uses 11010519491231002X and 440524188001010014.
const (
	idBeijing   = "11010519491231002X"
	idGuangdong = "440524188001010014"
	idQinhuai   = "320104199003071231" // made up for these tests, check character computed by hand
)

func TestParseResidentID(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // Reveal() of the result; "" when an error is expected
		reason   string
	}{
		{"OK/Standard", idBeijing, idBeijing, "the example printed in GB 11643, check character X"},
		{"OK/Standard1880", idGuangdong, idGuangdong, "the standard's second example, born in 1880"},
		{"OK/LowerX", "11010519491231002x", idBeijing, "a lower-case check x is accepted and stored upper-case"},
		{"ErrShort", idBeijing[:17], "", "17 characters"},
		{"ErrOld15", "110105491231002", "", "the 15-digit numbers issued before 1999 are refused"},
		{"ErrLong", idBeijing + "0", "", "19 characters"},
		{"ErrLetter", "1101051949123100AX", "", "a letter among the first 17 characters"},
		{"ErrXInMiddle", "11010519491231X02X", "", "X is only a check character"},
		{"ErrProvince", "000105194912310021", "", "province 00 does not exist"},
		{"ErrFeb30", "110105194902300021", "", "30 February is not a date"},
		{"ErrMonth13", "110105194913310021", "", "month 13 is not a date"},
		{"ErrYear1799", "110105179912310021", "", "years before 1800 are outside GB 11643"},
		{"ErrCheck", "110105194912310021", "", "right shape, wrong check character (should be X)"},
		{"ErrEmpty", "", "", "empty input"},
		{"ErrUnicode", "11010519491231002Ｘ", "", "a full-width X has a different byte length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := identity.ParseResidentID(tt.in)
			if tt.want == "" {
				if !errors.Is(err, gridgov.ErrInvalid) {
					t.Fatalf("ParseResidentID(%s) error = %v, want ErrInvalid (%s)", tt.name, err, tt.reason)
				}
				if !got.IsZero() {
					t.Errorf("ParseResidentID(%s) returned a non-zero value with an error", tt.name)
				}
				if len(tt.in) >= 10 && strings.Contains(err.Error(), tt.in[6:14]) {
					t.Errorf("error %q quotes the input's birth date", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseResidentID(%s) error = %v (%s)", tt.name, err, tt.reason)
			}
			if got.Reveal() != tt.want {
				t.Errorf("Reveal() = %q, want %q (%s)", got.Reveal(), tt.want, tt.reason)
			}
		})
	}
}

func TestResidentID_Accessors(t *testing.T) {
	tests := []struct {
		in     string
		area   string
		birth  time.Time
		male   bool
		masked string
		reason string
	}{
		{idBeijing, "110105", time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), false, "110105********002X", "sequence 002 is even: a woman"},
		{idGuangdong, "440524", time.Date(1880, 1, 1, 0, 0, 0, 0, time.UTC), true, "440524********0014", "sequence 001 is odd: a man"},
		{idQinhuai, "320104", time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC), true, "320104********1231", "sequence 123 is odd"},
	}
	for _, tt := range tests {
		id := identity.MustParseResidentID(tt.in)
		type view struct {
			Area   string
			Birth  time.Time
			Male   bool
			Masked string
		}
		want := view{tt.area, tt.birth, tt.male, tt.masked}
		got := view{id.Area(), id.BirthDate(), id.Male(), id.String()}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("accessors of %s mismatch (-want +got) (%s):\n%s", tt.masked, tt.reason, diff)
		}
	}
	var zero identity.ResidentID
	if !zero.IsZero() || zero.Reveal() != "" || zero.String() != "" || zero.Area() != "" || !zero.BirthDate().IsZero() || zero.Male() {
		t.Errorf("zero ResidentID is not empty: %q %q", zero.Reveal(), zero.String())
	}
	if a, b := identity.MustParseResidentID(idBeijing), identity.MustParseResidentID("11010519491231002x"); a != b || !a.Equal(b) {
		t.Error("the same number parsed twice compares unequal")
	}
	if identity.MustParseResidentID(idBeijing).Equal(identity.MustParseResidentID(idGuangdong)) {
		t.Error("different numbers compare equal")
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in, want, masked string
		mobile           bool
		area             string
		reason           string
	}{
		{"13812345678", "13812345678", "138****5678", true, "", "plain mobile"},
		{"+86 138 1234 5678", "13812345678", "138****5678", true, "", "country prefix and spaces"},
		{"0086-199-0000-1111", "19900001111", "199****1111", true, "", "0086 prefix and hyphens"},
		{"025-84561234", "025-84561234", "025-****1234", false, "025", "Nanjing landline, 2-digit area code"},
		{"(025)84561234", "025-84561234", "025-****1234", false, "025", "parenthesised area code"},
		{"02584561234", "025-84561234", "025-****1234", false, "025", "no separator: 02x has a 2-digit area code"},
		{"01062345678", "010-62345678", "010-****5678", false, "010", "Beijing"},
		{"0571-8765432", "0571-8765432", "0571-***5432", false, "0571", "3-digit area code and 7-digit subscriber"},
		{"+86 25 8456 1234", "025-84561234", "025-****1234", false, "025", "international landline drops the trunk 0"},
		{"12812345678", "", "", false, "", "mobile numbers start 13-19"},
		{"1381234567", "", "", false, "", "10 digits"},
		{"138123456789", "", "", false, "", "12 digits"},
		{"12345", "", "", false, "", "the government hotline is a service number, not a phone"},
		{"110", "", "", false, "", "police service number"},
		{"025-0456123", "", "", false, "", "subscriber starting with 0"},
		{"025-845612", "", "", false, "", "6-digit subscriber"},
		{"011-84561234", "", "", false, "", "01x other than 010 is no area code"},
		{"001-84561234", "", "", false, "", "00 is the international prefix"},
		{"1381234567a", "", "", false, "", "a letter"},
		{"", "", "", false, "", "empty"},
		{"+86", "", "", false, "", "only a prefix"},
		{"0", "", "", false, "", "only a trunk prefix"},
		{"2584561234", "", "", false, "", "domestic landline without trunk 0"},
	}
	for _, tt := range tests {
		got, err := identity.ParsePhone(tt.in)
		if tt.want == "" {
			if !errors.Is(err, gridgov.ErrInvalid) || !got.IsZero() {
				t.Errorf("ParsePhone(%q) = %v, %v; want ErrInvalid and zero (%s)", tt.in, got, err, tt.reason)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePhone(%q) error = %v (%s)", tt.in, err, tt.reason)
			continue
		}
		type view struct {
			Full, Masked, Area string
			Mobile             bool
		}
		if diff := cmp.Diff(view{tt.want, tt.masked, tt.area, tt.mobile}, view{got.Reveal(), got.String(), got.AreaCode(), got.IsMobile()}); diff != "" {
			t.Errorf("ParsePhone(%q) mismatch (-want +got) (%s):\n%s", tt.in, tt.reason, diff)
		}
	}
	var zero identity.Phone
	if !zero.IsZero() || zero.Reveal() != "" || zero.String() != "" || zero.IsMobile() || zero.AreaCode() != "" {
		t.Error("zero Phone is not empty")
	}
}

func TestParseCreditCode(t *testing.T) {
	tests := []struct {
		in, want, reason string
	}{
		{"91350100M000100Y43", "91350100M000100Y43", "the example printed in GB 32100"},
		{"91110000600037341L", "91110000600037341L", "a registered company, letter check character"},
		{"91350100m000100y43", "91350100M000100Y43", "lower case is upper-cased"},
		{"91350100M000100Y44", "", "wrong check character"},
		{"91350100M000100Y4", "", "17 characters"},
		{"91350100M000I00Y43", "", "I is not in the charset"},
		{"91350100O000100Y43", "", "O is not in the charset"},
		{"913501A0M000100Y43", "", "the area code must be digits"},
		{"", "", "empty"},
	}
	for _, tt := range tests {
		got, err := identity.ParseCreditCode(tt.in)
		if tt.want == "" {
			if !errors.Is(err, gridgov.ErrInvalid) || got != "" {
				t.Errorf("ParseCreditCode(%q) = %q, %v; want ErrInvalid (%s)", tt.in, got, err, tt.reason)
			}
			continue
		}
		if err != nil || got != identity.CreditCode(tt.want) {
			t.Errorf("ParseCreditCode(%q) = %q, %v; want %q (%s)", tt.in, got, err, tt.want, tt.reason)
		}
	}
	c := identity.MustParseCreditCode("91350100M000100Y43")
	if c.Area() != "350100" || c.String() != "91350100M000100Y43" || fmt.Sprint(c) != "91350100M000100Y43" {
		t.Errorf("Area/String = %q %q: a credit code is public and prints in full", c.Area(), c.String())
	}
	if identity.CreditCode("X").Area() != "" {
		t.Error("Area of a short code must be empty")
	}
}

func TestCreditCode_UnmarshalJSON(t *testing.T) {
	var org struct {
		Code identity.CreditCode `json:"code"`
	}
	if err := json.Unmarshal([]byte(`{"code":"91350100M000100Y43"}`), &org); err != nil || org.Code != "91350100M000100Y43" {
		t.Fatalf("decode valid code = %q, %v", org.Code, err)
	}
	org.Code = "91110000600037341L"
	err := json.Unmarshal([]byte(`{"code":"91350100M000100Y44"}`), &org)
	if !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("decode bad check character error = %v, want ErrInvalid", err)
	}
	if org.Code != "91110000600037341L" {
		t.Errorf("failed decode changed the field to %q", org.Code)
	}
	if err := json.Unmarshal([]byte(`{"code":""}`), &org); err != nil || org.Code != "" {
		t.Errorf(`decode "" = %q, %v; want the empty code`, org.Code, err)
	}
}

// secrets are the parts of the test numbers that must never be printed.
var secrets = []string{idBeijing, "19491231", "1949", "13812345678", "84561234", "0123"}

// record holds the personal numbers the way an aggregate might, in exported and
// unexported fields, by value and by pointer.
type record struct {
	Name   string
	ID     identity.ResidentID
	Mobile identity.Phone
	Home   *identity.Phone
	id     identity.ResidentID
	phone  identity.Phone
	list   []identity.ResidentID
}

func newRecord() record {
	id := identity.MustParseResidentID(idBeijing)
	home := identity.MustParsePhone("025-84561234")
	m := identity.MustParsePhone("13812345678")
	return record{Name: "Li", ID: id, Mobile: m, Home: &home, id: id, phone: m, list: []identity.ResidentID{id}}
}

func assertNoSecret(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("%s prints %q, which contains %q", what, out, s)
		}
	}
}

func TestMasking_Fmt(t *testing.T) {
	r := newRecord()
	values := map[string]any{
		"ResidentID":  r.ID,
		"*ResidentID": &r.ID,
		"Phone":       r.Mobile,
		"*Phone":      r.Home,
		"record":      r,
		"*record":     &r,
		"slice":       []any{r.ID, r.Mobile},
		"map":         map[identity.ResidentID]identity.Phone{r.ID: r.Mobile},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%20s", "%-30v", "%.3s", "%t", "%08v", "% x"}
	for name, v := range values {
		for _, verb := range verbs {
			assertNoSecret(t, fmt.Sprintf("Sprintf(%q, %s)", verb, name), fmt.Sprintf(verb, v))
		}
		assertNoSecret(t, "Sprint("+name+")", fmt.Sprint(v))
		assertNoSecret(t, "Sprintln("+name+")", fmt.Sprintln(v, v))
	}
	assertNoSecret(t, "error %w", fmt.Errorf("party %v: %w", r.ID, errors.New("x")).Error())

	// The masked forms themselves, so that the checks above cannot pass by printing nothing.
	tests := []struct{ format, want string }{
		{"%v", "110105********002X"},
		{"%+v", "110105********002X"},
		{"%#v", `identity.ResidentID("110105********002X")`},
		{"%q", `"110105********002X"`},
		{"%20s", "  110105********002X"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, r.ID); got != tt.want {
			t.Errorf("Sprintf(%q, id) = %q, want %q", tt.format, got, tt.want)
		}
	}
	if got, want := fmt.Sprintf("%#v", r.Mobile), `identity.Phone("138****5678")`; got != want {
		t.Errorf("Sprintf(%%#v, phone) = %q, want %q", got, want)
	}
	if got, want := fmt.Sprintf("%+v", struct{ P identity.Phone }{r.Mobile}), "{P:138****5678}"; got != want {
		t.Errorf("Sprintf(%%+v, struct) = %q, want %q", got, want)
	}
}

func TestMasking_Slog(t *testing.T) {
	r := newRecord()
	// The record's time is dropped: its digits could contain a fragment of a number
	// (a time ending .489691949 holds "1949") and fail the check by chance.
	opts := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	for _, tc := range []struct {
		name string
		h    func(*bytes.Buffer) slog.Handler
		want []string
	}{
		{"JSON", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, opts) },
			[]string{`"id":"110105********002X"`, `"mobile":"138****5678"`, `"home":"025-****1234"`}},
		{"Text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, opts) },
			[]string{`id=110105********002X`, `mobile=138****5678`, `home=025-****1234`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(tc.h(&buf))
			log.Info("registered", "id", r.ID, "mobile", r.Mobile, "home", r.Home, "record", r,
				slog.Group("party", "id", r.ID), slog.Any("ptr", &r.ID))
			out := buf.String()
			assertNoSecret(t, tc.name+" handler", out)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s handler output %q lacks %q", tc.name, out, w)
				}
			}
		})
	}
}

func TestMasking_JSON(t *testing.T) {
	r := newRecord()
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	want := `{"Name":"Li","ID":"110105********002X","Mobile":"138****5678","Home":"025-****1234"}`
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Errorf("json.Marshal(record) mismatch (-want +got):\n%s", diff)
	}
	var zero struct {
		ID identity.ResidentID
		P  identity.Phone
	}
	if out, _ := json.Marshal(zero); string(out) != `{"ID":"","P":""}` {
		t.Errorf("json.Marshal(zero values) = %s", out)
	}
}

func TestUnmarshal(t *testing.T) {
	type person struct {
		ID    identity.ResidentID `json:"id"`
		Phone identity.Phone      `json:"phone"`
	}
	var p person
	if err := json.Unmarshal([]byte(`{"id":"11010519491231002X","phone":"025 8456 1234"}`), &p); err != nil {
		t.Fatalf("decode full values: %v", err)
	}
	if p.ID.Reveal() != idBeijing || p.Phone.Reveal() != "025-84561234" {
		t.Errorf("decoded %q %q", p.ID.Reveal(), p.Phone.Reveal())
	}
	before := p
	for _, in := range []string{
		`{"id":"110105********002X"}`, // a masked number cannot come back in
		`{"phone":"138****5678"}`,
		`{"id":12}`,
		`{"phone":true}`,
	} {
		err := json.Unmarshal([]byte(in), &p)
		if !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("json.Unmarshal(%s) error = %v, want ErrInvalid", in, err)
		}
		if p != before {
			t.Errorf("json.Unmarshal(%s) changed the value after failing", in)
		}
	}
	if err := json.Unmarshal([]byte(`{"id":null,"phone":""}`), &p); err != nil || p.ID != before.ID || !p.Phone.IsZero() {
		t.Errorf(`null keeps, "" clears: got %v %v, %v`, p.ID, p.Phone, err)
	}
	var id identity.ResidentID
	if err := id.UnmarshalText([]byte(idGuangdong)); err != nil || id.Reveal() != idGuangdong {
		t.Errorf("UnmarshalText = %v", err)
	}
	if txt, _ := id.MarshalText(); string(txt) != "440524********0014" {
		t.Errorf("MarshalText = %s, want masked", txt)
	}
	if err := id.UnmarshalText(nil); err != nil || !id.IsZero() {
		t.Errorf("UnmarshalText(empty) = %v, want zero value", err)
	}
}
