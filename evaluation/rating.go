package evaluation

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// RatingInput is one submission of a rating.
type RatingInput struct {
	// Rule is the policy's rating rule.
	Rule string `json:"rule"`
	// Rater acts for the unit of their post: the community (or street) holding the
	// right is the rater, whoever of its staff submits.
	Rater hierarchy.Actor `json:"rater"`
	// Subject is the unit or person rated.
	Subject hierarchy.Ref `json:"subject"`
	Target  Target        `json:"target"`
	// Answers maps each criterion of the rule to an answer key of its scale, or NA.
	// Every criterion must be answered.
	Answers map[string]string `json:"answers"`
	Comment string            `json:"comment,omitempty"`
	// Secondment optionally names the secondment under which the subject served the
	// rater. It never grants anything; it only lets a refusal say that the secondment
	// had ended (or not begun) at the time of the work.
	Secondment string `json:"secondment,omitempty"`
}

// Revision is one earlier submission of a rating, kept when it is amended.
type Revision struct {
	At      time.Time         `json:"at"`
	By      hierarchy.Actor   `json:"by"`
	Answers map[string]string `json:"answers"`
	Score   int64             `json:"score"`
	Scored  bool              `json:"scored"`
	Comment string            `json:"comment,omitempty"`
}

// Rating is one rater unit's rating of one subject about one target: once per key, a
// later submission amends it and the earlier one moves to History. It is the stored
// aggregate of ratings.
//
// Score is the weighted credit of the applicable criteria in millionths, rounded half
// up once; Scored is false when every criterion was not applicable, and such a rating
// counts in no average. A Rating is a plain value, safe for concurrent reads.
type Rating struct {
	Key       string           `json:"key"`
	Rule      string           `json:"rule"`
	RaterUnit hierarchy.UnitID `json:"rater_unit"`
	Rater     hierarchy.Actor  `json:"rater"`
	Subject   hierarchy.Ref    `json:"subject"`
	Target    Target           `json:"target"`
	// WorkAt is the time of the rated work at which the right was checked.
	WorkAt  time.Time         `json:"work_at"`
	At      time.Time         `json:"at"`
	Answers map[string]string `json:"answers"`
	Score   int64             `json:"score"`
	Scored  bool              `json:"scored"`
	Comment string            `json:"comment,omitempty"`
	History []Revision        `json:"history,omitempty"`
}

// RatingKey returns the key of a rating: rule, rater unit, subject and target.
func RatingKey(rule string, rater hierarchy.UnitID, subject hierarchy.Ref, t Target) string {
	return rule + "|" + string(rater) + "|" + subject.String() + "|" + t.String()
}

// WhistleFact is what a rating needs to know of a whistle, read from escalation.
type WhistleFact struct {
	Case string           `json:"case"`
	Seq  int              `json:"seq"`
	By   hierarchy.UnitID `json:"by"` // the unit that blew
	To   hierarchy.UnitID `json:"to"` // the unit that summoned
	// Summons are the units and leaders called, with their report-in timeliness.
	Summons   []SummonFact `json:"summons"`
	Concluded time.Time    `json:"concluded,omitzero"`
	Resolved  bool         `json:"resolved"`
}

// SummonFact is one summons of a whistle.
type SummonFact struct {
	Unit       hierarchy.UnitID   `json:"unit,omitempty"`
	Leader     hierarchy.PersonID `json:"leader,omitempty"`
	At         time.Time          `json:"at"`
	ReportedAt time.Time          `json:"reported_at,omitzero"`
	OnTime     bool               `json:"on_time"`
}

// CaseFact is what a rating needs to know of a case.
type CaseFact struct {
	ID       string             `json:"id"`
	Unit     hierarchy.UnitID   `json:"unit"`  // the location unit
	Owner    hierarchy.UnitID   `json:"owner"` // the unit it was dispatched to
	Assignee hierarchy.PersonID `json:"assignee,omitempty"`
	ClosedAt time.Time          `json:"closed_at,omitzero"`
}

// Facts reads the facts ratings rate from the packages that own them. Implementations
// return an error wrapping [gridgov.ErrNotFound] for an unknown case or whistle and
// must be safe for concurrent use. [EscalationFacts] reads them from escalation.
type Facts interface {
	Whistle(ctx context.Context, caseID string, seq int) (WhistleFact, error)
	Case(ctx context.Context, caseID string) (CaseFact, error)
}

// Work is the rated work resolved from the facts: when it happened (the right is
// checked then) and when it ended (the rating window opens then).
type Work struct {
	At  time.Time
	End time.Time
	// Facts are the facts of the work criteria may be answered from
	// ([FactReportInOnTime], [FactWhistleResolved]).
	Facts map[string]bool
}

// ResolveWork checks that the target is rateable by rater unit r for subject and
// returns the work's times and facts. The facts are read through f (nil for period
// ratings). A whistle is rated by the unit that blew it or the one that summoned; a
// case by a unit containing its location (tree nil skips that check).
func ResolveWork(ctx context.Context, f Facts, tree *hierarchy.Tree, rule *RatingRule, rater hierarchy.UnitID, subject hierarchy.Ref, t Target, now time.Time) (Work, error) {
	const op = "evaluation.Rate"
	if t.Kind != rule.Target {
		return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleUnknown,
			Msg: fmt.Sprintf("rule %s rates a %s, not a %s", rule.ID, rule.Target, t.Kind)}
	}
	switch t.Kind {
	case TargetPeriod:
		p, err := ParsePeriod(t.Period)
		if err != nil {
			return Work{}, err
		}
		if now.Before(p.From) {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RulePeriodNotBegun,
				Msg: fmt.Sprintf("period %s begins %s", p.ID, p.From.Format(time.DateOnly))}
		}
		at := p.To.Add(-time.Nanosecond)
		if now.Before(p.To) {
			at = now
		}
		return Work{At: at, End: p.To}, nil
	case TargetWhistle:
		if f == nil {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: RuleSource, Msg: "no facts reader for whistles"}
		}
		w, err := f.Whistle(ctx, t.Case, t.Whistle)
		if err != nil {
			return Work{}, fmt.Errorf("%s: whistle %s: %w", op, t, err)
		}
		if rater != w.By && rater != w.To {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RuleNotParty,
				Msg: fmt.Sprintf("%s neither blew nor summoned for %s", rater, t)}
		}
		i := slices.IndexFunc(w.Summons, func(s SummonFact) bool {
			return subject.Kind == hierarchy.RefUnit && s.Unit == hierarchy.UnitID(subject.ID) ||
				subject.Kind == hierarchy.RefPerson && s.Leader == hierarchy.PersonID(subject.ID)
		})
		if i < 0 {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleNotParty,
				Msg: fmt.Sprintf("%s was not summoned by %s", subject, t)}
		}
		if w.Concluded.IsZero() {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: RuleWorkOpen,
				Msg: fmt.Sprintf("%s has not been concluded", t)}
		}
		return Work{At: w.Summons[i].At, End: w.Concluded,
			Facts: map[string]bool{FactReportInOnTime: w.Summons[i].OnTime, FactWhistleResolved: w.Resolved}}, nil
	case TargetCase:
		if f == nil {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: RuleSource, Msg: "no facts reader for cases"}
		}
		c, err := f.Case(ctx, t.Case)
		if err != nil {
			return Work{}, fmt.Errorf("%s: case %s: %w", op, t.Case, err)
		}
		if !(subject.Kind == hierarchy.RefUnit && c.Owner == hierarchy.UnitID(subject.ID) ||
			subject.Kind == hierarchy.RefPerson && c.Assignee == hierarchy.PersonID(subject.ID)) {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleNotParty,
				Msg: fmt.Sprintf("%s did not handle case %s", subject, t.Case)}
		}
		if tree != nil && !tree.Contains(rater, c.Unit) {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RuleNotParty,
				Msg: fmt.Sprintf("case %s lies in %s, outside %s", t.Case, c.Unit, rater)}
		}
		if c.ClosedAt.IsZero() {
			return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: RuleWorkOpen,
				Msg: fmt.Sprintf("case %s is not closed", t.Case)}
		}
		return Work{At: c.ClosedAt, End: c.ClosedAt}, nil
	}
	return Work{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleUnknown, Msg: fmt.Sprintf("target kind %q", t.Kind)}
}

// Rate decides one submission: the actor's post must be active now, the post's unit
// must hold the rule's right over the subject at the time of the rated work, the
// rating window must be open and every answer must be on its criterion's scale. cur
// is the stored rating of the key, nil for the first submission; a second submission
// amends, moving the earlier one into History. It never reads a clock and never
// changes cur.
//
// Refusals are [*gridgov.Error] values: ErrForbidden with rule rating.no-right,
// rating.seconded-elsewhere, rating.secondment-ended, rating.window-closed or
// hierarchy.actor-post; ErrInvalid for answers off the scale (rating.answers), unknown
// rules, subjects or periods.
func (p *Policy) Rate(tree *hierarchy.Tree, cur *Rating, in RatingInput, work Work, now time.Time) (Rating, error) {
	const op = "evaluation.Rate"
	rule, ok := p.Rule(in.Rule)
	if !ok {
		return Rating{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleUnknown, Msg: fmt.Sprintf("no rating rule %q", in.Rule)}
	}
	post, err := tree.ActorPost(in.Rater, now)
	if err != nil {
		return Rating{}, fmt.Errorf("%s: %w", op, err)
	}
	if !knownSubject(tree, in.Subject) {
		return Rating{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleUnknown, Msg: fmt.Sprintf("unknown subject %q", in.Subject)}
	}
	rater := post.Unit
	if !tree.HasRight(hierarchy.UnitRef(rater), rule.Right, in.Subject, work.At) {
		rule, msg := refusalReason(tree, rater, in, work.At)
		return Rating{}, &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: rule,
			Msg: fmt.Sprintf("%s may not rate %s under %s at %s: %s", rater, in.Subject, in.Rule, work.At.In(cst).Format(time.RFC3339), msg)}
	}
	if now.After(work.End.Add(rule.Window())) {
		return Rating{}, &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RuleWindowClosed,
			Msg: fmt.Sprintf("the window for %s closed %s", in.Target, work.End.Add(rule.Window()).In(cst).Format(time.RFC3339))}
	}
	answers, err := answersWithFacts(rule, in.Answers, work)
	if err != nil {
		return Rating{}, err
	}
	score, scored, err := p.scoreAnswers(rule, answers)
	if err != nil {
		return Rating{}, err
	}
	key := RatingKey(rule.ID, rater, in.Subject, in.Target)
	next := Rating{Key: key, Rule: rule.ID, RaterUnit: rater, Rater: in.Rater, Subject: in.Subject, Target: in.Target,
		WorkAt: work.At, At: now, Answers: answers, Score: score, Scored: scored, Comment: in.Comment}
	if cur != nil {
		next.History = append(slices.Clone(cur.History), Revision{At: cur.At, By: cur.Rater, Answers: cur.Answers,
			Score: cur.Score, Scored: cur.Scored, Comment: cur.Comment})
	}
	return next, nil
}

// answersWithFacts returns the rater's answers with every fact criterion answered from
// the work's facts. A rater answering a fact criterion is refused: the facts decide it.
func answersWithFacts(rule *RatingRule, given map[string]string, work Work) (map[string]string, error) {
	out := cloneMap(given)
	for _, c := range rule.Criteria {
		if c.Fact == "" {
			continue
		}
		if _, ok := given[c.ID]; ok {
			return nil, &gridgov.Error{Op: "evaluation.Rate", Kind: gridgov.ErrInvalid, Rule: RuleAnswers,
				Msg: fmt.Sprintf("criterion %q is answered from the fact %s, not by the rater", c.ID, c.Fact)}
		}
		v, ok := work.Facts[c.Fact]
		if !ok {
			return nil, &gridgov.Error{Op: "evaluation.Rate", Kind: gridgov.ErrPrecondition, Rule: RuleSource,
				Msg: fmt.Sprintf("criterion %q needs the fact %s, which the work does not give", c.ID, c.Fact)}
		}
		out[c.ID] = c.IfFalse
		if v {
			out[c.ID] = c.IfTrue
		}
	}
	return out, nil
}

// scoreAnswers returns Σ weight × credit ÷ Σ weight over the applicable criteria, in
// millionths rounded half up.
func (p *Policy) scoreAnswers(rule *RatingRule, answers map[string]string) (int64, bool, error) {
	bad := func(format string, args ...any) (int64, bool, error) {
		return 0, false, &gridgov.Error{Op: "evaluation.Rate", Kind: gridgov.ErrInvalid, Rule: RuleAnswers, Msg: fmt.Sprintf(format, args...)}
	}
	for k := range answers {
		if !slices.ContainsFunc(rule.Criteria, func(c Criterion) bool { return c.ID == k }) {
			return bad("%q is not a criterion of %s", k, rule.ID)
		}
	}
	var num, den int64
	for _, c := range rule.Criteria {
		a, ok := answers[c.ID]
		if !ok {
			return bad("criterion %q is not answered (answer %q if it does not apply)", c.ID, NA)
		}
		if a == NA {
			continue
		}
		i := slices.IndexFunc(p.Scales[c.Scale], func(x Answer) bool { return x.Key == a })
		if i < 0 {
			return bad("criterion %q: %q is not on scale %s", c.ID, a, c.Scale)
		}
		num += c.Weight * p.Scales[c.Scale][i].Credit
		den += c.Weight
	}
	if den == 0 {
		return 0, false, nil
	}
	return roundDiv(num, den), true, nil
}

func knownSubject(t *hierarchy.Tree, r hierarchy.Ref) bool {
	switch r.Kind {
	case hierarchy.RefUnit:
		_, ok := t.Unit(hierarchy.UnitID(r.ID))
		return ok
	case hierarchy.RefPerson:
		_, ok := t.Person(hierarchy.PersonID(r.ID))
		return ok
	}
	return false
}

// refusalReason says why rater lacks the right over subject at time at. It only
// explains a refusal HasRight already made; it never grants. The secondments of the
// subject are probed at the work time and, for a period, at its ends.
func refusalReason(t *hierarchy.Tree, rater hierarchy.UnitID, in RatingInput, at time.Time) (string, string) {
	subject, target := in.Subject, in.Target
	for _, s := range t.SecondmentsOf(subject, at) {
		if !t.Contains(rater, s.Serving) {
			return RuleSecondedElsewere, fmt.Sprintf("at that time %s was seconded to %s (secondment %s)", subject, s.Serving, s.ID)
		}
	}
	ended := func(s hierarchy.Secondment) (string, string) {
		return RuleSecondmentEnded, fmt.Sprintf("secondment %s to %s is not in force then (%s to %s)", s.ID, s.Serving,
			s.Start.In(cst).Format(time.DateOnly), s.End.In(cst).Format(time.DateOnly))
	}
	if s, ok := t.Secondment(in.Secondment); ok && s.Subject == subject && t.Contains(rater, s.Serving) && !s.ActiveAt(at) {
		return ended(s)
	}
	probes := []time.Time{}
	if target.Kind == TargetPeriod {
		if p, err := ParsePeriod(target.Period); err == nil {
			probes = append(probes, p.From, p.To.Add(-time.Nanosecond))
		}
	}
	for _, pt := range probes {
		for _, s := range t.SecondmentsOf(subject, pt) {
			if t.Contains(rater, s.Serving) && !s.ActiveAt(at) {
				return ended(s)
			}
		}
	}
	return RuleNoRight, "no grant in force gives the right"
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
