package jsonbytes_test

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// TestAppendTime compares AppendTime with json.Marshal over instants spread across the
// years 0–9999 and beyond, in zones of every kind: whole hours, half hours, offsets
// with seconds (old local mean times, and less than a minute either way), a day or more,
// with and without nanoseconds and monotonic readings. Both must refuse the same
// instants.
func TestAppendTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 7))
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		sh = time.FixedZone("CST", 8*3600)
	}
	zones := []*time.Location{time.UTC, time.Local, sh, time.FixedZone("", 5*3600+30*60),
		time.FixedZone("", -(9*3600 + 30*60)), time.FixedZone("LMT", 8*3600+343), time.FixedZone("", -30),
		time.FixedZone("", 30), time.FixedZone("", -(3600 + 30)), time.FixedZone("", 23*3600+59*60),
		time.FixedZone("", -(23*3600 + 59*60 + 59)), time.FixedZone("", 24*3600), time.FixedZone("", -25*3600)}
	edges := []time.Time{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), {}, time.Now()}
	for i := range 20000 {
		var at time.Time
		if i < len(edges)*len(zones) {
			at = edges[i/len(zones)].In(zones[i%len(zones)])
		} else {
			sec := rng.Int64N(12_000*365*86400) - 2100*365*86400
			var ns int64
			switch rng.IntN(3) {
			case 0:
				ns = rng.Int64N(1e9)
			case 1:
				ns = rng.Int64N(1000) * 1e6
			}
			at = time.Unix(sec, ns).In(zones[rng.IntN(len(zones))])
		}
		want, wantErr := json.Marshal(at)
		got, err := jsonbytes.AppendTime([]byte("x"), at)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("AppendTime(%v) error %v, json.Marshal error %v", at, err, wantErr)
		}
		if err == nil && string(got[1:]) != string(want) {
			t.Fatalf("AppendTime(%v) = %s, json.Marshal = %s", at, got[1:], want)
		}
	}
}
