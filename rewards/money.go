package rewards

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
)

// Fen is an amount of money in fen (分), a hundredth of a yuan. Money is never a float.
type Fen int64

// Yuan returns y yuan in fen.
func Yuan(y int64) Fen { return Fen(y * 100) }

// String formats f as yuan with two decimals and thousands separators: "¥1,387,000.00",
// "-¥0.50".
func (f Fen) String() string {
	sign := ""
	u := uint64(f)
	if f < 0 {
		sign, u = "-", uint64(-f)
	}
	whole := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s¥%s.%02d", sign, b.String(), u%100)
}

// Rate is a dimensionless factor in basis points: 10000 is 1, 12500 is 1.25. Its text
// form (JSON, YAML) is the decimal "1.25"; JSON numbers and YAML numbers are accepted
// too and parsed as decimals, never through a float.
type Rate int64

// One is the rate 1.
const One Rate = 10000

// String formats r as a decimal with up to four places: "1.25", "1", "0.0005".
func (r Rate) String() string {
	sign := ""
	u := int64(r)
	if u < 0 {
		sign, u = "-", -u
	}
	s := fmt.Sprintf("%s%d.%04d", sign, u/10000, u%10000)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// ParseRate parses a decimal with at most four places ("1.25", "0.8", "3").
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(digits, ".")
	if whole == "" && frac == "" || len(frac) > 4 || strings.ContainsAny(whole+frac, "+-") {
		return 0, fmt.Errorf("rewards: rate %q: want a decimal with at most 4 places: %w", s, gridgov.ErrInvalid)
	}
	w, err := strconv.ParseInt("0"+whole, 10, 64)
	if err != nil || w > 1e12 {
		return 0, fmt.Errorf("rewards: rate %q: want a decimal with at most 4 places: %w", s, gridgov.ErrInvalid)
	}
	f, err := strconv.ParseInt((frac + "0000")[:4], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("rewards: rate %q: want a decimal with at most 4 places: %w", s, gridgov.ErrInvalid)
	}
	r := Rate(w*10000 + f)
	if neg {
		r = -r
	}
	return r, nil
}

// MarshalText implements [encoding.TextMarshaler].
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalJSON writes the rate as a JSON string, "1.25".
func (r Rate) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// UnmarshalJSON accepts a JSON string or number.
func (r *Rate) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("rewards: rate %s: %w", b, gridgov.ErrInvalid)
		}
		s = n.String()
	}
	return r.UnmarshalText([]byte(s))
}

// UnmarshalYAML accepts a YAML scalar, quoted or not.
func (r *Rate) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("rewards: line %d: rate must be a scalar: %w", n.Line, gridgov.ErrInvalid)
	}
	return r.UnmarshalText([]byte(n.Value))
}

// MarshalYAML writes the rate as its decimal string.
func (r Rate) MarshalYAML() (any, error) { return r.String(), nil }

// Bounds on what a real fund, schedule or pay scale holds. [PayScale.Validate],
// [Schedule.Validate], [FundPolicy.Validate], deposits and fund openings refuse
// anything beyond them, so no amount the package computes from valid inputs comes near
// the int64 range; the checked arithmetic below catches what gets through anyway.
const (
	// MaxAmount bounds any single amount of money: a deposit, a fund floor, a schedule
	// row or a cap. ¥1,000,000,000 is far above a district's whole reward budget.
	MaxAmount Fen = 100_000_000_000
	// MaxWage bounds a monthly wage figure: a pay line, a city average monthly wage, a
	// bonus. ¥1,000,000 a month is far above any community worker's pay.
	MaxWage Fen = 100_000_000
	// MaxRate bounds a pay rate (an uplift, a grade coefficient): 100.
	MaxRate Rate = 100 * One
	// MaxGrades bounds the number of grades of a scale and of levels of a fixed scale.
	MaxGrades = 100
	// MaxYears bounds years of service, of education and per grade.
	MaxYears = 80
)

func overflow(op string, format string, args ...any) error {
	return &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleMoneyOverflow, Msg: fmt.Sprintf(format, args...)}
}

// checkAmount refuses an amount that is not within 1 fen and [MaxAmount].
func checkAmount(op, field string, a Fen) error {
	if a <= 0 || a > MaxAmount {
		return &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleAmountBounds,
			Msg: fmt.Sprintf("%s: %d fen must be within 1–%d", field, a, MaxAmount)}
	}
	return nil
}

// Add returns f + g, or an error wrapping ErrInvalid (rule money.overflow) when the sum
// does not fit an int64: money never wraps.
func (f Fen) Add(g Fen) (Fen, error) {
	if (g > 0 && f > math.MaxInt64-g) || (g < 0 && f < math.MinInt64-g) {
		return 0, overflow("rewards.Fen.Add", "%d + %d fen overflows", f, g)
	}
	return f + g, nil
}

// Sub returns f − g, or an error wrapping ErrInvalid (rule money.overflow).
func (f Fen) Sub(g Fen) (Fen, error) {
	if (g < 0 && f > math.MaxInt64+g) || (g > 0 && f < math.MinInt64+g) {
		return 0, overflow("rewards.Fen.Sub", "%d − %d fen overflows", f, g)
	}
	return f - g, nil
}

// Mul returns f × n, or an error wrapping ErrInvalid (rule money.overflow).
func (f Fen) Mul(n int64) (Fen, error) {
	if f == 0 || n == 0 {
		return 0, nil
	}
	p := int64(f) * n
	if p/n != int64(f) || (int64(f) == -1 && n == math.MinInt64) || (n == -1 && int64(f) == math.MinInt64) {
		return 0, overflow("rewards.Fen.Mul", "%d fen × %d overflows", f, n)
	}
	return Fen(p), nil
}

// RoundDiv is the package's one rounding rule: num / den rounded half up, that is to
// the nearest integer with halves away from zero (四舍五入), the practice of Chinese
// payroll. Every amount computed from rates, shares or proportions goes through it, so
// a fen is rounded once and in one way. A den that is not positive or a result beyond
// int64 is an error wrapping ErrInvalid (rule money.overflow), never a wrapped amount.
func RoundDiv(num, den *big.Int) (Fen, error) {
	if den.Sign() <= 0 {
		return 0, overflow("rewards.RoundDiv", "denominator %s must be > 0", den)
	}
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	twice := m.Abs(m).Lsh(m, 1)
	if twice.Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if !q.IsInt64() {
		return 0, overflow("rewards.RoundDiv", "%s / %s does not fit an int64 of fen", num, den)
	}
	return Fen(q.Int64()), nil
}

// MulRate returns a × r₁ × r₂ × … rounded once by [RoundDiv], or an error when the
// result does not fit an int64.
func MulRate(a Fen, rates ...Rate) (Fen, error) {
	num := big.NewInt(int64(a))
	den := big.NewInt(1)
	for _, r := range rates {
		num.Mul(num, big.NewInt(int64(r)))
		den.Mul(den, big.NewInt(int64(One)))
	}
	return RoundDiv(num, den)
}

// Portion returns a × part / whole rounded once by [RoundDiv]; whole must be > 0.
func Portion(a Fen, part, whole int64) (Fen, error) {
	num := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(part))
	return RoundDiv(num, big.NewInt(whole))
}

// cst is China Standard Time. Months and years (pay months, cap periods, assessment
// years) are counted in it: the mainland has one zone and no daylight saving.
var cst = time.FixedZone("CST", 8*3600)
