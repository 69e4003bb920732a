package evaluation

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
)

// cst is China Standard Time, in which periods begin and end.
var cst = time.FixedZone("CST", 8*3600)

// Ratio is an exact ratio Num/Den of two counts (a closure rate 911/972, a rating
// average in millionths over the ratings). A zero Den is undefined: the indicator
// reading it does not apply and is left out, never counted as zero.
type Ratio struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Defined reports whether the denominator is not zero.
func (r Ratio) Defined() bool { return r.Den != 0 }

// PPM returns the ratio in millionths, rounded half up; 0 when undefined. It is for
// display; decisions use the exact ratio.
func (r Ratio) PPM() int64 {
	if r.Den == 0 {
		return 0
	}
	return roundDivBig(new(big.Int).Mul(big.NewInt(r.Num), big.NewInt(Full)), big.NewInt(r.Den))
}

// String returns "911/972 (93.7243%)".
func (r Ratio) String() string {
	if r.Den == 0 {
		return fmt.Sprintf("%d/%d (–)", r.Num, r.Den)
	}
	p := r.PPM()
	return fmt.Sprintf("%d/%d (%d.%04d%%)", r.Num, r.Den, p/10000, p%10000)
}

// roundDiv divides a by b (b > 0) rounding halves away from zero (四舍五入). It and
// roundDivBig are this package's one rounding rule; see the package documentation for
// where it is applied.
func roundDiv(a, b int64) int64 {
	return roundDivBig(big.NewInt(a), big.NewInt(b))
}

func roundDivBig(num, den *big.Int) int64 {
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Lsh(new(big.Int).Abs(m), 1).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64()
}

// roundRat rounds a non-negative rational half up.
func roundRat(r *big.Rat) int64 { return roundDivBig(r.Num(), r.Denom()) }

// Period is a half-open interval [From, To) of assessment, with its ID: "2025" (a
// year), "2025-H1" (a half), "2025-Q2" (a quarter) or "2025-03" (a month), all in China
// Standard Time. Use [ParsePeriod].
type Period struct {
	ID   string    `json:"id"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Contains reports whether t lies in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// ParsePeriod reads a period ID. A malformed ID wraps ErrInvalid.
func ParsePeriod(id string) (Period, error) {
	bad := func() (Period, error) {
		return Period{}, &gridgov.Error{Op: "evaluation.ParsePeriod", Kind: gridgov.ErrInvalid, Rule: "period.id",
			Msg: fmt.Sprintf("%q is not a year (2025), half (2025-H1), quarter (2025-Q2) or month (2025-03)", id)}
	}
	ys, rest, has := strings.Cut(id, "-")
	y, err := strconv.Atoi(ys)
	if err != nil || len(ys) != 4 || y < 1970 {
		return bad()
	}
	start := func(m int) time.Time { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, cst) }
	if !has {
		return Period{ID: id, From: start(1), To: start(13)}, nil
	}
	var m, months int
	switch {
	case len(rest) == 2 && rest[0] == 'H' && (rest[1] == '1' || rest[1] == '2'):
		m, months = 1+6*int(rest[1]-'1'), 6
	case len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4':
		m, months = 1+3*int(rest[1]-'1'), 3
	case len(rest) == 2:
		if m, err = strconv.Atoi(rest); err != nil || m < 1 || m > 12 {
			return bad()
		}
		months = 1
	default:
		return bad()
	}
	return Period{ID: id, From: start(m), To: start(m + months)}, nil
}

// Target is what a rating is about: a whistle of a case (one whistle, one rating,
// 一哨一考核), a case (one case, one rating, 一件一考核) or a period.
type Target struct {
	Kind    TargetKind `json:"kind"`
	Case    string     `json:"case,omitempty"`
	Whistle int        `json:"whistle,omitempty"` // the whistle's 1-based sequence in the case
	Period  string     `json:"period,omitempty"`
}

// String returns "whistle:C1#2", "case:C1" or "period:2025-Q1".
func (t Target) String() string {
	switch t.Kind {
	case TargetWhistle:
		return fmt.Sprintf("whistle:%s#%d", t.Case, t.Whistle)
	case TargetCase:
		return "case:" + t.Case
	case TargetPeriod:
		return "period:" + t.Period
	}
	return string(t.Kind) + ":?"
}
