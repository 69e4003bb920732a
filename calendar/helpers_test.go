package calendar_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/calendar"
)

// shanghai is the location of every fixed instant in these tests.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}()

// at returns y-m-d hh:mm in Shanghai.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, shanghai)
}

// mustNew builds a calendar for set-up.
func mustNew(tb testing.TB, opts *calendar.Options) *calendar.Calendar {
	tb.Helper()
	c, err := calendar.New(opts)
	require.NoError(tb, err)
	return c
}

// fmtT renders an instant for failure messages and diffs.
func fmtT(t time.Time) string { return t.In(shanghai).Format("2006-01-02 Mon 15:04:05.999999999") }
