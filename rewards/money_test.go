package rewards

import (
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
)

func TestRoundDiv(t *testing.T) {
	tests := []struct {
		num, den int64
		want     Fen
		reason   string
	}{
		{5, 10, 1, "a half rounds up"},
		{4, 10, 0, "below a half rounds down"},
		{15, 10, 2, "1.5 rounds to 2, not to the even 2 by luck: see 25"},
		{25, 10, 3, "2.5 rounds to 3: half up, not half even"},
		{-5, 10, -1, "a negative half rounds away from zero"},
		{-4, 10, 0, "a negative below a half rounds towards zero"},
		{7, 7, 1, "exact division is untouched"},
		{1, 3, 0, "a third rounds down"},
		{2, 3, 1, "two thirds round up"},
	}
	for _, tc := range tests {
		if got := RoundDiv(big.NewInt(tc.num), big.NewInt(tc.den)); got != tc.want {
			t.Errorf("RoundDiv(%d, %d) = %d, want %d (%s)", tc.num, tc.den, got, tc.want, tc.reason)
		}
	}
}

func TestMulRateAndPortion(t *testing.T) {
	if got := MulRate(987_654, 11500, 12000); got != 1_362_963 {
		t.Errorf("MulRate(987654, 1.15, 1.2) = %d, want 1362963 (1362962.52 rounded once)", got)
	}
	// Rounding each factor separately would give 987654×1.15 = 1135802.1 → 1135802, ×1.2 = 1362962.4 → 1362962.
	if got := MulRate(1, 5000); got != 1 {
		t.Errorf("MulRate(1 fen, 0.5) = %d, want 1 (half up)", got)
	}
	if got := Portion(Yuan(1000), 1, 3); got != 33_333 {
		t.Errorf("Portion(¥1000, 1, 3) = %d, want 33333", got)
	}
}

func TestRate_Text(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Rate
		out  string
	}{
		{"1.25", 12500, "1.25"}, {"0.8", 8000, "0.8"}, {"3", 30000, "3"}, {".0005", 5, "0.0005"}, {"-0.5", -5000, "-0.5"},
	} {
		got, err := ParseRate(tc.in)
		if err != nil || got != tc.want || got.String() != tc.out {
			t.Errorf("ParseRate(%q) = %d (%s), %v; want %d (%s)", tc.in, got, got, err, tc.want, tc.out)
		}
	}
	for _, bad := range []string{"", "1.23456", "abc", "1.2.3", "1e3", "+-1"} {
		if _, err := ParseRate(bad); !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("ParseRate(%q) error = %v, want ErrInvalid", bad, err)
		}
	}
	var v struct {
		A Rate `json:"a" yaml:"a"`
		B Rate `json:"b" yaml:"b"`
	}
	if err := json.Unmarshal([]byte(`{"a": 1.35, "b": "0.9"}`), &v); err != nil || v.A != 13500 || v.B != 9000 {
		t.Errorf("json.Unmarshal rates = %+v, %v; want 13500 and 9000", v, err)
	}
	if err := yaml.Unmarshal([]byte("a: 1.35\nb: \"0.9\"\n"), &v); err != nil || v.A != 13500 || v.B != 9000 {
		t.Errorf("yaml.Unmarshal rates = %+v, %v; want 13500 and 9000", v, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"a":"1.35","b":"0.9"}` {
		t.Errorf("json.Marshal rates = %s", b)
	}
}

func TestFen_String(t *testing.T) {
	for f, want := range map[Fen]string{0: "¥0.00", 5: "¥0.05", -50: "-¥0.50", 138_700_000: "¥1,387,000.00", Yuan(35000): "¥35,000.00", 123456: "¥1,234.56"} {
		if got := f.String(); got != want {
			t.Errorf("Fen(%d).String() = %q, want %q", int64(f), got, want)
		}
	}
}
