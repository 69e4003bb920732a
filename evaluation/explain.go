package evaluation

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Explain renders r line by line: the score and grade with the band edge it reached,
// the rank, then each indicator with its source, input and sample, the normaliser's
// rule, the credit and the points, and under a rating average every rating it was
// drawn from (key, score, when, amendments). It reads the raw ratings from the results'
// inputs.
func (rs *Results) Explain(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "card %s, %s, period %s\n", r.Card, r.Subject, r.Period)
	if !r.Scored {
		b.WriteString("no score: no indicator applies\n")
	} else {
		name := r.Grade.Grade
		if r.Grade.Name != "" {
			name += " (" + r.Grade.Name + ")"
		}
		fmt.Fprintf(&b, "score %s of %s, grade %s from %s", r.Score, r.Max, name, r.Grade.Min)
		if r.Rank > 0 {
			group := "all"
			if r.Group != "" {
				group = r.Group
			}
			fmt.Fprintf(&b, ", rank %d of %d in %s", r.Rank, r.GroupSize, group)
		}
		b.WriteString("\n")
	}
	for _, l := range r.Lines {
		name := l.Indicator
		if l.Name != "" {
			name += " (" + l.Name + ")"
		}
		fmt.Fprintf(&b, "  %s: weight %d, source %s\n", name, l.Weight, l.Source)
		fmt.Fprintf(&b, "    input %s, sample %d\n", l.Input, l.Sample)
		fmt.Fprintf(&b, "    rule %s\n", l.Rule)
		if l.Applicable {
			fmt.Fprintf(&b, "    credit %s → %s points\n", ppmPercent(l.Credit), l.Points)
		}
		for _, f := range l.Flags {
			fmt.Fprintf(&b, "    flag %s\n", f)
		}
		if rs != nil && rs.in != nil && len(l.ratings) > 0 {
			b.WriteString("    input = mean of the ratings below; a rating = Σ weight × credit ÷ Σ weight over the criteria that apply (n/a left out), half up to millionths\n")
			for _, i := range l.ratings {
				x := rs.in.rating(i)
				fmt.Fprintf(&b, "    rating %s by %s: %s at %s", x.Key, x.Rater.Person, ppmPercent(x.Score), x.At.In(cst).Format(time.RFC3339))
				if n := len(x.History); n > 0 {
					fmt.Fprintf(&b, ", amended %d time(s)", n)
				}
				b.WriteString("\n      answers")
				rule, ok := (*RatingRule)(nil), false
				if rs.pol != nil {
					rule, ok = rs.pol.Rule(x.Rule)
				}
				if !ok {
					for _, k := range sortedKeys(x.Answers) {
						fmt.Fprintf(&b, " %s=%s", k, x.Answers[k])
					}
				} else {
					// Each answer with its criterion's weight and credit, in the form's order.
					for _, c := range rule.Criteria {
						a := x.Answers[c.ID]
						credit := "n/a"
						if i := slices.IndexFunc(rs.pol.Scales[c.Scale], func(s Answer) bool { return s.Key == a }); i >= 0 {
							credit = ppmPercent(rs.pol.Scales[c.Scale][i].Credit)
						}
						from := ""
						if c.Fact != "" {
							from = " from " + c.Fact
						}
						fmt.Fprintf(&b, " %s=%s(w%d, %s%s)", c.ID, a, c.Weight, credit, from)
					}
				}
				b.WriteString("\n")
			}
		}
	}
	if r.Formula != "" {
		fmt.Fprintf(&b, "  formula %s decides the score\n", r.Formula)
	} else if r.Scored {
		b.WriteString("  score = Σ weight × credit × max ÷ weight applied, exact, rounded half up once to 0.01\n")
	}
	for _, f := range r.Flags {
		fmt.Fprintf(&b, "  flag %s\n", f)
	}
	return b.String()
}
