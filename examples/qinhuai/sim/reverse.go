package sim

import (
	"context"
	"fmt"
	"time"

	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
)

// streamSecondees is the communities' reverse evaluation (反向评价) of the first
// secretaries seconded to them.
const streamSecondees = "secondees"

// opReverseRate is a community's rating of the secondee serving it, for a quarter.
const opReverseRate = "reverse-rate"

// reverseRateDay is the day of the month after a quarter on which communities rate
// their secondees: inside the rule's window (15 days in Qinhuai's profile) after the
// quarter ends. The fourth quarter is rated in January of the next year, outside the
// simulated one.
const reverseRateDay = 8

// secondment is the secondment (下沉) of first secretary i from the department that
// sends them to the community they serve. The community's right of reverse
// evaluation (反向评价权) over the secretary comes from it, through the profile's
// community-reverse-evaluate grant; the post they hold in the community gives none.
func (d *district) secondment(i int, s secretary) hierarchy.Secondment {
	return hierarchy.Secondment{ID: fmt.Sprintf("second-%s-%03d", d.code, i+1),
		Subject: hierarchy.PersonRef(s.actor.Person), Home: d.depts[s.dept].id,
		Serving: d.communities[s.community].id, Start: d.postsFrom}
}

// reverseRatings plans, on the rating day after each quarter, every community's
// rating of the first secretaries serving it for that quarter: its director answers
// the rule's four criteria (attendance, cooperation, results, style of work).
func (g *dayGen) reverseRatings() {
	m := g.day.Month()
	if g.day.Day() != reverseRateDay || (m != time.April && m != time.July && m != time.October) {
		return
	}
	quarter := fmt.Sprintf("%d-Q%d", g.year, (int(m)-1)/3)
	for i, s := range g.d.secretaries {
		c := g.d.communities[s.community]
		answers := make([]byte, 4)
		for k := range answers {
			answers[k] = "sssssssbbd"[g.r.IntN(10)]
		}
		g.emit(&script{Stream: streamSecondees, Case: quarter, Steps: []step{{
			At: g.at(9 + float64(i)/60), Op: opReverseRate, Actor: c.director, Who: s.actor.Person,
			Party: g.d.secondment(i, s).ID, Kind: string(answers)}}})
	}
}

// reverseCriteria are the criteria of the community-secondee rule, in the order of a
// step's answer letters.
var reverseCriteria = []string{"attendance", "cooperation", "results", "attitude"}

// answerKeys maps a step's answer letters to the satisfaction scale's keys.
var answerKeys = map[byte]string{'s': "satisfied", 'b': "basic", 'd': "dissatisfied"}

// reverseRate submits a community's reverse rating of a secondee.
func (r *runner) reverseRate(ctx context.Context, l *lane, s *script, st step) error {
	if st.Op != opReverseRate {
		return fmt.Errorf("unknown op %q of stream %q", st.Op, s.Stream)
	}
	answers := make(map[string]string, len(reverseCriteria))
	for i, c := range reverseCriteria {
		answers[c] = answerKeys[st.Kind[i]]
	}
	_, err := l.svc.evaluation.Rate(ctx, evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: st.Actor,
		Subject: hierarchy.PersonRef(st.Who), Answers: answers, Secondment: st.Party,
		Target: evaluation.Target{Kind: evaluation.TargetPeriod, Period: s.Case}})
	return err
}

// reverseStats counts the district's stored reverse ratings of its first secretaries
// and sums their scores (millionths), read back from the evaluation store.
func (r *runner) reverseStats(ctx context.Context) (n, sum int64, err error) {
	for _, s := range r.d.secretaries {
		rs, err := r.svc.evaluation.RatingsOf(ctx, hierarchy.PersonRef(s.actor.Person))
		if err != nil {
			return 0, 0, err
		}
		for _, x := range rs {
			if x.Rule == evaluation.RuleCommunitySecondee && x.Scored {
				n++
				sum += x.Score
			}
		}
	}
	return n, sum, nil
}
