package profile

import (
	"fmt"
	"reflect"

	"github.com/gridgov/gridgov/rewards"
)

// rewardsSection maps "rewards" to [rewards.Policy]: the pay scale, the reward
// schedule and the funds. Money ([rewards.Fen]) is written in yuan and rates
// ([rewards.Rate]) as "50%" or "0.5".
func rewardsSection() section {
	return section{
		key:      "rewards",
		target:   func(p *Profile) any { return &p.Rewards },
		validate: func(p *Profile) error { return p.Rewards.Validate() },
		hooks: map[reflect.Type]hook{
			reflect.TypeFor[rewards.Fen]():  moneyHook,
			reflect.TypeFor[rewards.Rate](): rateHook,
		},
	}
}

func moneyHook(v *value, out reflect.Value) (string, bool, error) {
	if v.kind != scalarKind {
		return "", false, fmt.Errorf("want an amount in yuan such as ¥500 or 500.00, got %s", v.kind)
	}
	fen, err := parseMoney(v.str)
	if err != nil {
		return "", false, err
	}
	out.SetInt(fen)
	return formatMoney(fen), true, nil
}

func rateHook(v *value, out reflect.Value) (string, bool, error) {
	if v.kind != scalarKind {
		return "", false, fmt.Errorf("want a rate such as 90%% or 0.9, got %s", v.kind)
	}
	bp, err := parseRate(v.str)
	if err != nil {
		return "", false, err
	}
	out.SetInt(bp)
	return formatRate(bp), true, nil
}
