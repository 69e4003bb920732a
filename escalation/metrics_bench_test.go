package escalation_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
)

// cpuTime returns the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMetrics1M is BenchmarkCompute with one more figure, the process's CPU time
// per computation (cpu-s/op): on a shared machine the wall time per operation grows with
// the other processes' load, the CPU time much less, so the two together say how much
// of a figure is the machine.
func BenchmarkMetrics1M(b *testing.B) {
	ps, err := escalation.NewPolicySet(policy())
	if err != nil {
		b.Fatal(err)
	}
	cal := calendar.Default()
	year := escalation.Period{From: at(2025, 1, 1, 0, 0), To: at(2026, 1, 1, 0, 0)}
	for _, bc := range []struct {
		name string
		tree *hierarchy.Tree
	}{{"total", nil}, {"per-unit", tree(b)}} {
		b.Run(bc.name, func(b *testing.B) {
			ts := metricTemplates(b)
			opts := escalation.MetricsOptions{Period: year, Window: 7 * 24 * time.Hour, Tree: bc.tree}
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				r := escalation.Compute(casesN(ts, 1_000_000), ps, cal, opts)
				if r.Total.Reported == 0 {
					b.Fatal("nothing counted")
				}
			}
			b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
