package rewards

import (
	"encoding/json"
	"errors"
	"math"
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
		if got, err := RoundDiv(big.NewInt(tc.num), big.NewInt(tc.den)); err != nil || got != tc.want {
			t.Errorf("RoundDiv(%d, %d) = %d, want %d (%s)", tc.num, tc.den, got, tc.want, tc.reason)
		}
	}
}

func TestMulRateAndPortion(t *testing.T) {
	if got, _ := MulRate(987_654, 11500, 12000); got != 1_362_963 {
		t.Errorf("MulRate(987654, 1.15, 1.2) = %d, want 1362963 (1362962.52 rounded once)", got)
	}
	// Rounding each factor separately would give 987654×1.15 = 1135802.1 → 1135802, ×1.2 = 1362962.4 → 1362962.
	if got, _ := MulRate(1, 5000); got != 1 {
		t.Errorf("MulRate(1 fen, 0.5) = %d, want 1 (half up)", got)
	}
	if got, _ := Portion(Yuan(1000), 1, 3); got != 33_333 {
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

// TestMoney_NeverWraps is rule money.overflow: every money operation that would leave
// the int64 range returns an error wrapping ErrInvalid instead of a wrapped amount.
func TestMoney_NeverWraps(t *testing.T) {
	max, min := Fen(math.MaxInt64), Fen(math.MinInt64)
	tests := []struct {
		name   string
		op     func() (Fen, error)
		want   Fen
		ok     bool
		reason string
	}{
		{"AddOK", func() (Fen, error) { return Fen(1).Add(2) }, 3, true, "an ordinary sum"},
		{"AddOverflow", func() (Fen, error) { return max.Add(1) }, 0, false, "MaxInt64 + 1 would wrap to MinInt64"},
		{"AddUnderflow", func() (Fen, error) { return min.Add(-1) }, 0, false, "MinInt64 − 1 would wrap to MaxInt64"},
		{"AddMaxZero", func() (Fen, error) { return max.Add(0) }, max, true, "the edge itself is representable"},
		{"SubOverflow", func() (Fen, error) { return min.Sub(1) }, 0, false, "MinInt64 − 1 would wrap"},
		{"SubNegOverflow", func() (Fen, error) { return max.Sub(-1) }, 0, false, "MaxInt64 − (−1) would wrap"},
		{"SubOK", func() (Fen, error) { return Fen(5).Sub(7) }, -2, true, "a negative difference is fine"},
		{"MulOverflow", func() (Fen, error) { return Fen(math.MaxInt64 / 2).Mul(3) }, 0, false, "a product beyond int64"},
		{"MulMinNeg", func() (Fen, error) { return min.Mul(-1) }, 0, false, "−MinInt64 is not an int64"},
		{"MulOK", func() (Fen, error) { return Yuan(60).Mul(11) }, Yuan(660), true, "level pay 60 yuan × 11 levels"},
		{"MulRateOverflow", func() (Fen, error) { return MulRate(max, 20000) }, 0, false, "MaxInt64 × 2 wraps in int64 arithmetic"},
		{"MulRateOK", func() (Fen, error) { return MulRate(max, One) }, max, true, "× 1 keeps the edge"},
		{"PortionOverflow", func() (Fen, error) { return Portion(max, 3, 2) }, 0, false, "MaxInt64 × 3 ÷ 2 is beyond int64"},
		{"RoundDivZero", func() (Fen, error) { return RoundDiv(big.NewInt(1), big.NewInt(0)) }, 0, false, "no division by zero"},
		{"RoundDivNegativeDen", func() (Fen, error) { return RoundDiv(big.NewInt(1), big.NewInt(-3)) }, 0, false, "the rounding rule needs a positive denominator"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.op()
			if tc.ok {
				if err != nil || got != tc.want {
					t.Errorf("= %d, %v; want %d (%s)", got, err, tc.want, tc.reason)
				}
				return
			}
			if !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != RuleMoneyOverflow {
				t.Errorf("= %d, %v; want ErrInvalid by %s (%s)", got, err, RuleMoneyOverflow, tc.reason)
			}
		})
	}
}

// FuzzMoney_NeverWraps checks rule money.overflow on arbitrary operands: a result is
// either exact (compared with arbitrary precision) or an error, never a wrapped value.
func FuzzMoney_NeverWraps(f *testing.F) {
	f.Add(int64(math.MaxInt64), int64(1), int64(10000))
	f.Add(int64(math.MinInt64), int64(-1), int64(3))
	f.Add(int64(987_654), int64(11500), int64(12000))
	f.Fuzz(func(t *testing.T, a, b, r int64) {
		check := func(name string, got Fen, err error, exact *big.Int) {
			if exact.IsInt64() {
				if err != nil || int64(got) != exact.Int64() {
					t.Fatalf("%s(%d, %d) = %d, %v; want %s", name, a, b, got, err, exact)
				}
				return
			}
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("%s(%d, %d) = %d, %v; want ErrInvalid (exact %s does not fit)", name, a, b, got, err, exact)
			}
		}
		A, B := big.NewInt(a), big.NewInt(b)
		got, err := Fen(a).Add(Fen(b))
		check("Add", got, err, new(big.Int).Add(A, B))
		got, err = Fen(a).Sub(Fen(b))
		check("Sub", got, err, new(big.Int).Sub(A, B))
		got, err = Fen(a).Mul(b)
		check("Mul", got, err, new(big.Int).Mul(A, B))
		got, err = MulRate(Fen(a), Rate(r))
		if err == nil {
			// The exact product, rounded half away from zero, must be what was returned.
			num := new(big.Int).Mul(A, big.NewInt(r))
			lo := new(big.Int).Mul(big.NewInt(int64(got)), big.NewInt(int64(One)))
			diff := new(big.Int).Sub(num, lo)
			if diff.Abs(diff).Cmp(big.NewInt(int64(One)/2)) > 0 {
				t.Fatalf("MulRate(%d, %d) = %d, more than half a fen from %s/10000", a, r, got, num)
			}
		} else if !errors.Is(err, gridgov.ErrInvalid) {
			t.Fatalf("MulRate(%d, %d) error %v, want ErrInvalid", a, r, err)
		}
	})
}
