package profile

import "testing"

func TestParseMoney(t *testing.T) {
	for _, c := range []struct {
		in     string
		fen    int64
		ok     bool
		reason string
	}{
		{"¥500", 50000, true, "yuan with the sign"},
		{"500", 50000, true, "a bare number is yuan, never fen"},
		{"500.00", 50000, true, "two places"},
		{"0.5", 50, true, "half a yuan"},
		{"¥1,387,000.50", 138700050, true, "thousands separators"},
		{"￥20", 2000, true, "the full-width sign"},
		{"-¥0.50", -50, true, "a negative amount reaches the package's Validate"},
		{"20.005", 0, false, "sub-fen precision"},
		{"1,38,700", 0, false, "separators must group three digits"},
		{"5e3", 0, false, "no exponents: money is never a float"},
		{"¥", 0, false, "no digits"},
		{"500.", 0, false, "a dot without places"},
		{"92233720368547758", 0, false, "more fen than an int64 holds"},
		{"five", 0, false, "not a number"},
	} {
		fen, err := parseMoney(c.in)
		if (err == nil) != c.ok || fen != c.fen {
			t.Errorf("parseMoney(%q) = %d, %v; want %d, ok=%v (%s)", c.in, fen, err, c.fen, c.ok, c.reason)
		}
	}
}

func TestParseRate(t *testing.T) {
	for _, c := range []struct {
		in     string
		bp     int64
		ok     bool
		reason string
	}{
		{"90%", 9000, true, "a percentage"},
		{"12.5%", 1250, true, "a percentage with places"},
		{"0.9", 9000, true, "a decimal"},
		{"1.25", 12500, true, "above one"},
		{"1", 10000, true, "one"},
		{"0.12345", 0, false, "more than four places"},
		{"12.345%", 0, false, "more than two places in a percentage"},
		{"%", 0, false, "no digits"},
		{"0,9", 0, false, "a comma is not a decimal point"},
	} {
		bp, err := parseRate(c.in)
		if (err == nil) != c.ok || bp != c.bp {
			t.Errorf("parseRate(%q) = %d, %v; want %d, ok=%v (%s)", c.in, bp, err, c.bp, c.ok, c.reason)
		}
	}
}

func TestParseLimit(t *testing.T) {
	for _, c := range []struct {
		in     string
		want   string
		reason string
	}{
		{"3wd", "3wd", "working days"},
		{"2h office", "2h office", "office time"},
		{"30m clock", "30m clock", "elapsed time"},
		{"1h30m office", "1h30m office", "a compound duration"},
		{"0wd", "", "a zero limit"},
		{"-1wd", "", "a negative limit"},
		{"2h", "", "a duration without its basis is ambiguous"},
		{"2h working", "", "an unknown basis"},
		{"3 days", "", "not the notation"},
		{"0s clock", "", "a zero duration"},
	} {
		l, err := parseLimit(c.in)
		got := ""
		if err == nil {
			got = l.String()
		}
		if got != c.want {
			t.Errorf("parseLimit(%q) = %q, %v; want %q (%s)", c.in, got, err, c.want, c.reason)
		}
	}
}

func TestParseShare(t *testing.T) {
	for _, c := range []struct {
		in     string
		ppm    int64
		ok     bool
		reason string
	}{
		{"90%", 900000, true, "a percentage"},
		{"0.9", 900000, true, "a decimal"},
		{"90.5%", 905000, true, "a percentage with places"},
		{"12.3456%", 123456, true, "four places of a percent are millionths"},
		{"0.123456", 123456, true, "six places of a decimal are millionths"},
		{"1", 1000000, true, "the whole, bare"},
		{"0", 0, true, "nothing, bare"},
		{"100%", 1000000, true, "the whole as a percentage"},
		{"900000", 0, false, "raw millionths would read as 900000 times the whole"},
		{"12.34567%", 0, false, "more precise than a millionth"},
		{"0.1234567", 0, false, "more precise than a millionth"},
		{"9e-1", 0, false, "no exponents: a share is never a float"},
		{"90 %", 0, false, "not a number"},
		{"%", 0, false, "no digits"},
	} {
		ppm, err := parseShare(c.in)
		if (err == nil) != c.ok || ppm != c.ppm {
			t.Errorf("parseShare(%q) = %d, %v; want %d, ok=%v (%s)", c.in, ppm, err, c.ppm, c.ok, c.reason)
		}
		if err == nil && c.ok {
			if back, err := parseShare(formatShare(ppm)); err != nil || back != ppm {
				t.Errorf("parseShare(formatShare(%d) = %q) = %d, %v; want the same share", ppm, formatShare(ppm), back, err)
			}
		}
	}
}

func TestParsePoint(t *testing.T) {
	for _, c := range []struct {
		in     string
		n      int64
		ok     bool
		reason string
	}{
		{"150%", 150, true, "a whole percentage"},
		{"80%", 80, true, "a warning point"},
		{"150.0%", 150, true, "zero places are still whole"},
		{"150.5%", 0, false, "the ladder counts whole percents"},
		{"150", 0, false, "one notation: the percentage"},
		{"1.5", 0, false, "one notation: the percentage"},
		{"-50%", 0, false, "not a point of a limit"},
		{"99999999999%", 0, false, "too large"},
	} {
		n, err := parsePoint(c.in)
		if (err == nil) != c.ok || n != c.n {
			t.Errorf("parsePoint(%q) = %d, %v; want %d, ok=%v (%s)", c.in, n, err, c.n, c.ok, c.reason)
		}
	}
}
