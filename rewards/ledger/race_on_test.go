//go:build race

package ledger_test

// raceEnabled shrinks the sequential property tests under the race detector, which
// slows them tenfold and finds nothing in code without goroutines.
const raceEnabled = true
