package evaluation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
)

func TestService_Rate_Refusals(t *testing.T) {
	period := func(id string) evaluation.Target { return evaluation.Target{Kind: evaluation.TargetPeriod, Period: id} }
	whistle := func(c string, n int) evaluation.Target {
		return evaluation.Target{Kind: evaluation.TargetWhistle, Case: c, Whistle: n}
	}
	kase := func(c string) evaluation.Target { return evaluation.Target{Kind: evaluation.TargetCase, Case: c} }
	person := hierarchy.PersonRef
	unit := hierarchy.UnitRef
	tests := []struct {
		name    string
		now     time.Time
		in      evaluation.RatingInput
		kind    error  // nil: accepted
		rule    string // the rule that refuses
		reason  string
		answers map[string]string
	}{
		{name: "OK/community-rates-secondee", now: day(2024, 7, 2),
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2024-Q2")},
			reason: "中牌楼 holds the reverse-evaluation right over the officer seconded to it during Q2"},
		{name: "OK/street-rates-summoned-department", now: day(2024, 5, 5),
			in:     evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: street, Subject: unit(deptUM), Target: whistle("C1", 1)},
			reason: "秦虹 summoned 城管局 for whistle C1#1 and holds the appraisal right over departments"},
		{name: "OK/one-case-one-rating", now: day(2024, 5, 6),
			in:     evaluation.RatingInput{Rule: evaluation.RuleStreetCase, Rater: street, Subject: unit(deptUM), Target: kase("C1")},
			reason: "case C1 was closed by 城管局 in 秦虹's community"},
		{name: "ErrSecondedElsewhere", now: day(2024, 7, 2), kind: gridgov.ErrForbidden, rule: evaluation.RuleSecondedElsewere,
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: kjSec, Subject: person(officer), Target: period("2024-Q2")},
			reason: "康居里 may not rate an officer seconded to 中牌楼"},
		{name: "ErrNoRight/not-seconded", now: day(2024, 7, 2), kind: gridgov.ErrForbidden, rule: evaluation.RuleNoRight,
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(worker), Target: period("2024-Q2")},
			reason: "the grid worker is the community's own, not seconded to it: no reverse-evaluation right"},
		{name: "ErrSecondmentEnded/mid-period", now: day(2024, 10, 2), kind: gridgov.ErrForbidden, rule: evaluation.RuleSecondmentEnded,
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer3), Target: period("2024-Q3")},
			reason: "officer3's secondment ended on 15 August, before the end of Q3 when the right is checked"},
		{name: "ErrSecondmentEnded/expired-before-period", now: day(2025, 4, 2), kind: gridgov.ErrForbidden, rule: evaluation.RuleSecondmentEnded,
			in: evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2025-Q2"),
				Secondment: "sec-officer"},
			reason: "the officer's secondment ended on 1 January 2025, before the rated quarter"},
		{name: "ErrNoRight/wrong-period", now: day(2025, 4, 2), kind: gridgov.ErrForbidden, rule: evaluation.RuleNoRight,
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2025-Q2")},
			reason: "rating a period after the secondment ended is refused even without naming the secondment"},
		{name: "ErrWindowClosed", now: day(2024, 7, 17), kind: gridgov.ErrForbidden, rule: evaluation.RuleWindowClosed,
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2024-Q2")},
			reason: "Q2 ended 1 July; the 15-day window closed on 16 July"},
		{name: "ErrPeriodNotBegun", now: day(2024, 9, 2), kind: gridgov.ErrInvalid, rule: evaluation.RulePeriodNotBegun,
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2024-Q4")},
			reason: "Q4 has not begun on 2 September"},
		{name: "ErrActorPost/post-ended", now: day(2024, 7, 2), kind: gridgov.ErrForbidden, rule: evaluation.RuleActor,
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: retiredA, Subject: person(officer), Target: period("2024-Q2")},
			reason: "the rater's post ended in March: nobody rates on a post no longer held"},
		{name: "ErrUnknownRater", now: day(2024, 7, 2), kind: gridgov.ErrForbidden, rule: evaluation.RuleActor,
			in: evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: hierarchy.Actor{Person: "p-nobody", Post: "post-nobody"},
				Subject: person(officer), Target: period("2024-Q2")},
			reason: "a rater whose post does not exist is refused, with the post named"},
		{name: "ErrUnknownRater/someone-else's-post", now: day(2024, 7, 2), kind: gridgov.ErrForbidden, rule: evaluation.RuleActor,
			in: evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: hierarchy.Actor{Person: kjSecretary, Post: "post-zp-secretary"},
				Subject: person(officer), Target: period("2024-Q2")},
			reason: "nobody rates in a post they do not hold"},
		{name: "ErrBadPeriod", now: day(2024, 7, 2), kind: gridgov.ErrInvalid, rule: "period.id",
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2024-Q7")},
			reason: "a malformed period is named"},
		{name: "ErrUnknownSubject", now: day(2024, 7, 2), kind: gridgov.ErrInvalid, rule: evaluation.RuleUnknown,
			in:     evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person("p-nobody"), Target: period("2024-Q2")},
			reason: "an unknown subject is named, not silently rated"},
		{name: "ErrUnknownRule", now: day(2024, 7, 2), kind: gridgov.ErrInvalid, rule: evaluation.RuleUnknown,
			in:     evaluation.RatingInput{Rule: "community-secondees", Rater: zpSec, Subject: person(officer), Target: period("2024-Q2")},
			reason: "a misspelt rule grants nothing"},
		{name: "ErrNotParty/other-street", now: day(2024, 5, 5), kind: gridgov.ErrForbidden, rule: evaluation.RuleNotParty,
			in:     evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: fzmSt, Subject: unit(deptUM), Target: whistle("C1", 1)},
			reason: "夫子庙 neither blew nor summoned for C1#1"},
		{name: "ErrNotParty/not-summoned", now: day(2024, 5, 5), kind: gridgov.ErrInvalid, rule: evaluation.RuleNotParty,
			in:     evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: street, Subject: unit(deptMS), Target: whistle("C1", 1)},
			reason: "市场监管局 was not summoned by C1#1"},
		{name: "ErrWorkOpen/whistle", now: day(2024, 5, 5), kind: gridgov.ErrPrecondition, rule: evaluation.RuleWorkOpen,
			in:     evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: street, Subject: unit(deptUM), Target: whistle("C2", 1)},
			reason: "whistle C2#1 is still open"},
		{name: "ErrNotParty/case-elsewhere", now: day(2024, 5, 6), kind: gridgov.ErrForbidden, rule: evaluation.RuleNotParty,
			in:     evaluation.RatingInput{Rule: evaluation.RuleStreetCase, Rater: fzmSt, Subject: unit(deptUM), Target: kase("C1")},
			reason: "夫子庙 appraises departments, but case C1 lies in 秦虹's 中牌楼"},
		{name: "ErrWorkOpen/case", now: day(2024, 5, 5), kind: gridgov.ErrPrecondition, rule: evaluation.RuleWorkOpen,
			in:     evaluation.RatingInput{Rule: evaluation.RuleStreetCase, Rater: street, Subject: unit(deptUM), Target: kase("C2")},
			reason: "case C2 is not closed"},
		{name: "ErrWindowClosed/whistle", now: day(2024, 5, 11), kind: gridgov.ErrForbidden, rule: evaluation.RuleWindowClosed,
			in:     evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: street, Subject: unit(deptUM), Target: whistle("C1", 1)},
			reason: "C1#1 concluded on 3 May; the 7-day window closed on 10 May"},
		{name: "ErrAnswers/off-scale", now: day(2024, 7, 2), kind: gridgov.ErrInvalid, rule: evaluation.RuleAnswers,
			in:      evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2024-Q2")},
			answers: map[string]string{"attendance": "excellent", "cooperation": "satisfied", "results": "satisfied", "attitude": "satisfied"},
			reason:  "excellent is not on the satisfaction scale"},
		{name: "ErrAnswers/unanswered", now: day(2024, 7, 2), kind: gridgov.ErrInvalid, rule: evaluation.RuleAnswers,
			in:      evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2024-Q2")},
			answers: map[string]string{"attendance": "satisfied"},
			reason:  "a criterion left out is neither zero nor N/A: the rater must say"},
		{name: "ErrAnswers/fact-answered-by-rater", now: day(2024, 5, 5), kind: gridgov.ErrInvalid, rule: evaluation.RuleAnswers,
			in: evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: street, Subject: unit(deptUM), Target: whistle("C1", 1)},
			answers: map[string]string{"response": "satisfied", "cooperation": "satisfied", "results": "satisfied", "attitude": "satisfied",
				"report_in": "satisfied"},
			reason: "report-in timeliness is read from escalation, not claimed by the rater"},
		{name: "ErrAnswers/unknown-criterion", now: day(2024, 7, 2), kind: gridgov.ErrInvalid, rule: evaluation.RuleAnswers,
			in: evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: person(officer), Target: period("2024-Q2")},
			answers: map[string]string{"attendance": "satisfied", "cooperation": "satisfied", "results": "satisfied", "attitude": "satisfied",
				"looks": "satisfied"},
			reason: "a criterion the rule does not have is refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "" {
				t.Fatal("row without a reason")
			}
			clock := gridgov.NewManualClock(tt.now)
			s := newService(t, clock)
			in := tt.in
			in.Answers = tt.answers
			if in.Answers == nil {
				in.Answers = allSatisfied(in.Rule)
			}
			got, err := s.Rate(context.Background(), in)
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("Rate() = %v, want accepted (%s)", err, tt.reason)
				}
				if got.Score != evaluation.Full || !got.Scored {
					t.Errorf("Rate().Score = %d, want %d", got.Score, evaluation.Full)
				}
				return
			}
			if !errors.Is(err, tt.kind) || gridgov.RuleOf(err) != tt.rule {
				t.Fatalf("Rate() = %v (rule %q), want %v by %s (%s)", err, gridgov.RuleOf(err), tt.kind, tt.rule, tt.reason)
			}
			// Nothing written.
			if rs, err := s.RatingsOf(context.Background(), in.Subject); err != nil || len(rs) != 0 {
				t.Errorf("RatingsOf() = %v, %v after a refusal, want nothing", rs, err)
			}
		})
	}
}

func TestService_Rate_AmendKeepsHistory(t *testing.T) {
	ctx := context.Background()
	clock := gridgov.NewManualClock(day(2024, 7, 2))
	s := newService(t, clock)
	in := evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: hierarchy.PersonRef(officer),
		Target:  evaluation.Target{Kind: evaluation.TargetPeriod, Period: "2024-Q2"},
		Answers: map[string]string{"attendance": "dissatisfied", "cooperation": "satisfied", "results": "basic", "attitude": "satisfied"}}
	first, err := s.Rate(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// 25×0 + 25×1 + 30×0.9 + 20×1 = 72 of 100.
	if first.Score != 720_000 {
		t.Errorf("first score = %d, want 720000", first.Score)
	}
	clock.Advance(24 * time.Hour)
	in.Answers = allSatisfied(in.Rule)
	in.Comment = "attendance records corrected"
	second, err := s.Rate(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Rating(ctx, second.Key)
	if err != nil {
		t.Fatal(err)
	}
	want := []evaluation.Revision{{At: day(2024, 7, 2), By: zpSec, Answers: first.Answers, Score: 720_000, Scored: true}}
	if diff := cmp.Diff(want, stored.History); diff != "" {
		t.Errorf("History mismatch (-want +got):\n%s", diff)
	}
	if stored.Score != evaluation.Full || stored.Key != first.Key {
		t.Errorf("amended rating = %d under %q, want %d under %q", stored.Score, stored.Key, evaluation.Full, first.Key)
	}
	if rs, _ := s.RatingsOf(ctx, in.Subject); len(rs) != 1 {
		t.Errorf("RatingsOf() holds %d ratings, want 1: an amendment is not a second rating", len(rs))
	}
}

func TestPolicy_Rate_NotApplicableRenormalises(t *testing.T) {
	p := evaluation.QinhuaiPolicy()
	tree := buildTree(t)
	work := evaluation.Work{At: day(2024, 6, 30), End: day(2024, 7, 1)}
	tests := []struct {
		name    string
		answers map[string]string
		score   int64
		scored  bool
		reason  string
	}{
		{"all-answered", map[string]string{"attendance": "basic", "cooperation": "basic", "results": "basic", "attitude": "basic"}, 900_000, true,
			"every criterion basically satisfied is 0.9 overall"},
		{"attendance-na", map[string]string{"attendance": evaluation.NA, "cooperation": "satisfied", "results": "dissatisfied", "attitude": "satisfied"},
			// (25×1 + 30×0 + 20×1) / 75 = 0.6
			600_000, true, "N/A attendance leaves 75 of weight, renormalised: it does not count as zero (which would give 0.45)"},
		{"two-na", map[string]string{"attendance": evaluation.NA, "cooperation": evaluation.NA, "results": "basic", "attitude": "satisfied"},
			// (30×0.9 + 20×1) / 50 = 0.94
			940_000, true, "only results and attitude count"},
		{"rounding", map[string]string{"attendance": evaluation.NA, "cooperation": "basic", "results": "dissatisfied", "attitude": evaluation.NA},
			// 25×0.9/55 = 0.409090909… → 409091 (half up)
			409_091, true, "the rating's score rounds half up once to millionths"},
		{"all-na", map[string]string{"attendance": evaluation.NA, "cooperation": evaluation.NA, "results": evaluation.NA, "attitude": evaluation.NA},
			0, false, "nothing applies: the rating is kept but counts in no average"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := evaluation.RatingInput{Rule: evaluation.RuleCommunitySecondee, Rater: zpSec, Subject: hierarchy.PersonRef(officer),
				Target: evaluation.Target{Kind: evaluation.TargetPeriod, Period: "2024-Q2"}, Answers: tt.answers}
			r, err := p.Rate(tree, nil, in, work, day(2024, 7, 2))
			if err != nil {
				t.Fatal(err)
			}
			if r.Score != tt.score || r.Scored != tt.scored {
				t.Errorf("Rate() = %d scored %v, want %d scored %v (%s)", r.Score, r.Scored, tt.score, tt.scored, tt.reason)
			}
		})
	}
}

// TestService_Rate_FactsFromEscalation: the report-in criterion of a whistle rating is
// answered from the whistle's facts: late is 不满意 whatever the rater thinks.
func TestService_Rate_FactsFromEscalation(t *testing.T) {
	s := newService(t, gridgov.NewManualClock(day(2024, 5, 5)))
	tests := []struct {
		whistle string
		answer  string
		score   int64
		reason  string
	}{
		{"C1", "satisfied", evaluation.Full, "城管局 reported in an hour after the summons, on time"},
		{"C3", "dissatisfied", 833_333, "城管局 reported in late for C3#1: 20 of the 120 weight earns nothing (100/120, half up)"},
	}
	for _, tt := range tests {
		r, err := s.Rate(context.Background(), evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: street,
			Subject: hierarchy.UnitRef(deptUM), Target: evaluation.Target{Kind: evaluation.TargetWhistle, Case: tt.whistle, Whistle: 1},
			Answers: allSatisfied(evaluation.RuleStreetWhistle)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Answers["report_in"] != tt.answer || r.Score != tt.score {
			t.Errorf("%s: report_in %q score %d, want %q %d (%s)", tt.whistle, r.Answers["report_in"], r.Score, tt.answer, tt.score, tt.reason)
		}
	}
}
