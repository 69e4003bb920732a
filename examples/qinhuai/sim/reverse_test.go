package sim

import (
	"errors"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
)

// TestRun_ReverseRatings runs the days around the first quarter's rating day on a
// store whose progress says the year has reached them: every community rates each
// first secretary serving it once for the quarter, through the secondment, and a
// community another secretary serves is refused the same rating.
func TestRun_ReverseRatings(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	b, d := storeAt(t, time.Date(2025, 4, reverseRateDay-1, 0, 0, 0, 0, cst))
	rep := run(t, Options{Seed: 1, Backend: b, Days: 2})
	if f := figure(t, rep, "reverse_ratings"); f.Value != 107 {
		t.Errorf("reverse ratings = %s, want 107: each first secretary once, for 2025-Q1", f.Simulated)
	}

	r, err := newRunner(t.Context(), d, b, 1, 2025)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range d.secretaries {
		rs, err := r.svc.evaluation.RatingsOf(t.Context(), hierarchy.PersonRef(s.actor.Person))
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Rule != evaluation.RuleCommunitySecondee || rs[0].Target.Period != "2025-Q1" ||
			rs[0].RaterUnit != d.communities[s.community].id || !rs[0].Scored {
			t.Fatalf("secretary %d (%s): ratings %+v, want one scored 2025-Q1 rating by %s", i, s.actor.Person, rs,
				d.communities[s.community].id)
		}
	}
	// Secretaries 0 and 1 serve different communities: neither may rate the other's.
	s0, s1 := d.secretaries[0], d.secretaries[1]
	if s0.community == s1.community {
		t.Fatal("the first two secretaries serve one community; the test needs two")
	}
	r.clock.Set(time.Date(2025, 4, reverseRateDay, 15, 0, 0, 0, cst))
	_, err = r.svc.evaluation.Rate(t.Context(), evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee,
		Rater: d.communities[s1.community].director, Subject: hierarchy.PersonRef(s0.actor.Person),
		Answers: map[string]string{"attendance": "satisfied", "cooperation": "satisfied", "results": "satisfied",
			"attitude": "satisfied"},
		Target: evaluation.Target{Kind: evaluation.TargetPeriod, Period: "2025-Q1"}})
	var ge *gridgov.Error
	if !errors.Is(err, gridgov.ErrForbidden) || !errors.As(err, &ge) || ge.Rule != evaluation.RuleSecondedElsewere {
		t.Errorf("rating another community's secretary: err = %v, want ErrForbidden under %s", err,
			evaluation.RuleSecondedElsewere)
	}
}
