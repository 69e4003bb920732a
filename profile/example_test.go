package profile_test

import (
	"fmt"

	"github.com/gridgov/gridgov/profile"
)

func ExampleParse() {
	src := []byte(`extends: qinhuai
name: gulou
rewards:
  funds:
    floor: ¥40,000
    year_end: {share: 40%}
  schedule:
    rows:
      - {category: police, outcome: verified, amount: 30.005}
grid:
  househlds: {min: 250}
`)
	_, err := profile.Parse("gulou.yaml", src)
	for _, e := range err.(profile.ErrorList) {
		fmt.Println(e)
	}
	// Output:
	// gulou.yaml:9:55 rewards.schedule.rows[0].amount: money "30.005": more than two decimal places (a fen is the smallest unit)
	// gulou.yaml:11:3 grid.househlds: unknown key "househlds" (did you mean "households"?)
}

func ExampleDiff() {
	q, _ := profile.Default()
	g, err := profile.Parse("gulou.yaml", []byte("extends: qinhuai\nname: gulou\nrewards: {funds: {floor: \"¥40,000\", year_end: {share: 40%}}}\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range profile.Diff(q, g) {
		fmt.Printf("%s: %s → %s (%s:%d)\n", c.Path, c.Old, c.New, c.NewFile, c.NewLine)
	}
	// Output:
	// rewards.funds.floor: ¥35,000.00 → ¥40,000.00 (gulou.yaml:3)
	// rewards.funds.year_end.share: 50% → 40% (gulou.yaml:3)
}
