//go:build unix

package grid_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used. Benchmarks report it per operation
// beside the wall time: on a machine shared with other work the wall time also counts
// the time the benchmark waited for a core.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
