package evaluation

import (
	"github.com/gridgov/gridgov/rewards"
)

// PayEvaluation converts a result into the evaluation a payslip reads: the grade's pay
// band (its PayBand, or the grade key when the band names none), so that the grade
// decided here is the one [rewards.PayScale.Explain] cites. onTime is the worker's
// on-time closure rate (closed on time over due), when measured; its Den 0 means not
// measured and earns no timeliness bonus.
func PayEvaluation(r Result, onTime Ratio) rewards.Evaluation {
	var ev rewards.Evaluation
	if r.Scored {
		ev.Band = r.Grade.PayBand
		if ev.Band == "" {
			ev.Band = r.Grade.Grade
		}
	}
	if onTime.Den > 0 {
		ev.HasOnTime = true
		ev.OnTimeRate = rewards.Rate(roundDiv(onTime.Num*int64(rewards.One), onTime.Den))
	}
	return ev
}

// Assessment converts an annual result into the assessment (年度考核) rewards' pay
// scale progresses on: the grade key ("excellent", "competent", "basic", "fail").
func Assessment(year int, r Result) (rewards.Assessment, bool) {
	if !r.Scored {
		return rewards.Assessment{}, false
	}
	return rewards.Assessment{Year: year, Result: r.Grade.Grade}, true
}
