//go:build !race

package rewards

const raceEnabled = false
