//go:build !unix

package grid_test

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
