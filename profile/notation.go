package profile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gridgov/gridgov/rewards"
)

// parseMoney reads an amount written in yuan and returns it in fen: "¥500", "500",
// "500.00", "¥1,387,000.50", "-¥0.50". A bare number is yuan, never fen. More than two
// decimal places (sub-fen precision) is refused, as is anything that does not fit an
// int64 of fen.
func parseMoney(s string) (int64, error) {
	t := strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	t = strings.TrimPrefix(t, "¥")
	t = strings.TrimPrefix(t, "￥")
	if strings.HasPrefix(t, "-") && !neg {
		neg, t = true, t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		for i, g := range groups {
			if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, fmt.Errorf("money %q: thousands separators must group three digits", s)
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || !digits(whole) || (hasDot && (frac == "" || !digits(frac))) {
		return 0, fmt.Errorf("money %q: want yuan such as ¥500, 500 or 500.00", s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("money %q: more than two decimal places (a fen is the smallest unit)", s)
	}
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || y > (math.MaxInt64-99)/100 {
		return 0, fmt.Errorf("money %q: too large", s)
	}
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	fen := y*100 + f
	if neg {
		fen = -fen
	}
	return fen, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// formatMoney is the canonical form of an amount of fen, for diffs: "¥1,387,000.00",
// the form rewards prints money in.
func formatMoney(fen int64) string { return rewards.Fen(fen).String() }

// parseRate reads a rate as a percentage with at most two places ("90%", "12.5%") or a
// decimal with at most four ("0.9", "1.25"), and returns it in basis points (1 is
// 10000). Never through a float.
func parseRate(s string) (int64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSuffix(t, "%")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, hasDot := strings.Cut(t, ".")
	places := 4
	if pct {
		places = 2
	}
	if whole == "" || !digits(whole) || (hasDot && (frac == "" || !digits(frac))) {
		return 0, fmt.Errorf("rate %q: want a percentage such as 90%% or a decimal such as 0.9", s)
	}
	if len(frac) > places {
		return 0, fmt.Errorf("rate %q: more than %d decimal places", s, places)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1e12 {
		return 0, fmt.Errorf("rate %q: too large", s)
	}
	f, _ := strconv.ParseInt((frac + "0000")[:places], 10, 64)
	var bp int64
	if pct {
		bp = w*100 + f
	} else {
		bp = w*10000 + f
	}
	if neg {
		bp = -bp
	}
	return bp, nil
}

// formatRate is the canonical form of a rate, for diffs: "50%", "12.5%".
func formatRate(bp int64) string { return formatPercent(bp, 2) }

// formatPercent writes v, a number of 10^-digits percent, as a percentage without
// trailing zeros.
func formatPercent(v int64, digits int) string {
	unit := int64(1)
	for range digits {
		unit *= 10
	}
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := fmt.Sprintf("%d.%0*d", v/unit, digits, v%unit)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	return sign + s + "%"
}

// parseDuration reads a duration in Go's notation ("30m", "2h", "1h30m"). It must be
// positive: a zero or negative time limit is never what a district means.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("duration %q: want a number and a unit such as 30m, 2h or 1h30m", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("duration %q: must be > 0", s)
	}
	return d, nil
}

// limitNotation is a time limit written as one scalar: "3wd" (three working days),
// "2h office" (two hours of office time on working days) or "30m clock" (thirty minutes
// of elapsed time, nights and holidays included).
type limitNotation struct {
	workingDays int
	office      time.Duration
	clock       time.Duration
}

func parseLimit(s string) (limitNotation, error) {
	t := strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(t, "wd"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || !digits(n) {
			return limitNotation{}, fmt.Errorf("limit %q: want a whole number of working days such as 3wd", s)
		}
		if d <= 0 || d > 3660 {
			return limitNotation{}, fmt.Errorf("limit %q: working days must be within 1–3660", s)
		}
		return limitNotation{workingDays: d}, nil
	}
	amount, basis, ok := strings.Cut(t, " ")
	if !ok {
		return limitNotation{}, fmt.Errorf("limit %q: want 3wd (working days), 2h office (office time) or 30m clock (elapsed time)", s)
	}
	d, err := parseDuration(amount)
	if err != nil {
		return limitNotation{}, fmt.Errorf("limit %q: want 3wd (working days), 2h office (office time) or 30m clock (elapsed time)", s)
	}
	switch strings.TrimSpace(basis) {
	case "office":
		return limitNotation{office: d}, nil
	case "clock":
		return limitNotation{clock: d}, nil
	}
	return limitNotation{}, fmt.Errorf("limit %q: the basis must be office or clock, got %q", s, basis)
}

func (l limitNotation) String() string {
	switch {
	case l.workingDays != 0:
		return strconv.Itoa(l.workingDays) + "wd"
	case l.office != 0:
		return shortDuration(l.office) + " office"
	default:
		return shortDuration(l.clock) + " clock"
	}
}

// shortDuration writes "2h" rather than time.Duration's "2h0m0s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// parseShare reads a share — a rating credit, the part of a weight an answer or a
// band earns — as a percentage with at most four places ("90%", "90.5%", "12.3456%")
// or a decimal with at most six ("0.9", "0.905", and 0 or 1 written bare), and
// returns it in millionths (1 is 1 000 000), exactly, never through a float. More
// places than a millionth holds are refused, and so is a bare whole number other
// than 0 and 1: the raw millionths once written here (900000) would otherwise read as
// 900000 times the whole.
func parseShare(s string) (int64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSuffix(t, "%")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" || !digits(whole) || (hasDot && (frac == "" || !digits(frac))) {
		return 0, fmt.Errorf("share %q: want a percentage such as 90%% or a decimal such as 0.9", s)
	}
	if !pct && !hasDot && whole != "0" && whole != "1" {
		return 0, fmt.Errorf("share %q: write a percentage such as 90%% or a decimal such as 0.9 (a bare number is not millionths)", s)
	}
	places := 6
	if pct {
		places = 4
	}
	if len(frac) > places {
		return 0, fmt.Errorf("share %q: more than %d decimal places (a millionth is the smallest unit)", s, places)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1e9 {
		return 0, fmt.Errorf("share %q: too large", s)
	}
	f, _ := strconv.ParseInt((frac + "000000")[:places], 10, 64)
	ppm := w*1_000_000 + f
	if pct {
		ppm = w*10_000 + f
	}
	if neg {
		ppm = -ppm
	}
	return ppm, nil
}

// formatShare is the canonical form of a share in millionths, for diffs: "90%",
// "90.5%", "100%".
func formatShare(ppm int64) string { return formatPercent(ppm, 4) }

// parsePoint reads a point of the escalation ladder, a whole percentage of a step's
// time limit ("150%"). A fraction of a percent is refused (the ladder counts whole
// percents), and so is a bare number: one notation, the one the ladder is read in.
func parsePoint(s string) (int64, error) {
	t := strings.TrimSpace(s)
	n, ok := strings.CutSuffix(t, "%")
	if !ok {
		return 0, fmt.Errorf("point %q: write a percentage of the time limit such as 150%%", s)
	}
	if whole, frac, dot := strings.Cut(n, "."); dot && digits(whole) && digits(frac) {
		if strings.Trim(frac, "0") != "" {
			return 0, fmt.Errorf("point %q: a whole percentage such as 150%%: the ladder counts whole percents", s)
		}
		n = whole
	}
	if !digits(n) {
		return 0, fmt.Errorf("point %q: write a percentage of the time limit such as 150%%", s)
	}
	v, err := strconv.ParseInt(n, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("point %q: too large", s)
	}
	return v, nil
}
