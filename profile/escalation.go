package profile

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"time"

	"github.com/gridgov/gridgov/escalation"
)

// escalationSection maps "escalation" to [escalation.Policy]: minor classes, routing,
// deadlines, the escalation ladder, roles, separation, self-handling, first-receiver
// responsibility and the whistle. A time limit ([escalation.Limit]) is written "3wd",
// "2h office" or "30m clock" (or as its mapping); a duration as "30m" or "2h"; the
// points of the escalation ladder (at, warn_at) as whole percentages, "150%".
func escalationSection() section {
	return section{
		key:      "escalation",
		target:   func(p *Profile) any { return &p.Escalation },
		validate: func(p *Profile) error { return p.Escalation.Validate() },
		hooks: map[reflect.Type]hook{
			reflect.TypeFor[escalation.Limit]():    limitHook,
			reflect.TypeFor[escalation.Duration](): durationHook,
		},
		paths: []pathHook{{regexp.MustCompile(`^escalation\.escalation\.(at\[\d+\]|warn_at)$`), pointHook}},
	}
}

// pointHook reads a point of the escalation ladder, "150%" of a step's time limit.
func pointHook(v *value, out reflect.Value) (string, bool, error) {
	if v.kind != scalarKind {
		return "", false, fmt.Errorf("want a percentage of the time limit such as 150%%, got %s", v.kind)
	}
	n, err := parsePoint(v.str)
	if err != nil {
		return "", false, err
	}
	out.SetInt(n)
	return strconv.FormatInt(n, 10) + "%", true, nil
}

func limitHook(v *value, out reflect.Value) (string, bool, error) {
	if v.kind == mapKind {
		return "", false, nil // the mapping form: working_days, working_time, clock_time
	}
	if v.kind != scalarKind {
		return "", false, fmt.Errorf("want a limit such as 3wd, 2h office or 30m clock, got %s", v.kind)
	}
	l, err := parseLimit(v.str)
	if err != nil {
		return "", false, err
	}
	lim := escalation.Limit{WorkingDays: l.workingDays, WorkingTime: escalation.Duration(l.office),
		ClockTime: escalation.Duration(l.clock)}
	out.Set(reflect.ValueOf(lim))
	return l.String(), true, nil
}

func durationHook(v *value, out reflect.Value) (string, bool, error) {
	if v.kind != scalarKind {
		return "", false, fmt.Errorf("want a duration such as 30m or 2h, got %s", v.kind)
	}
	d, err := parseDuration(v.str)
	if err != nil {
		return "", false, err
	}
	out.SetInt(int64(d))
	return shortDuration(time.Duration(d)), true, nil
}
