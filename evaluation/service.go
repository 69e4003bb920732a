package evaluation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
)

// Index fields of the rating collection.
const (
	IndexSubject = "subject" // the rated subject, "unit:ID" or "person:ID"
	IndexRater   = "rater"   // the rater unit
	IndexPeriod  = "period"  // the period of a period rating
	IndexMonth   = "month"   // the month (CST, "2024-05") of the work of a whistle or case rating
)

// ServiceOptions configure a [Service]. A nil *ServiceOptions means defaults.
type ServiceOptions struct {
	// Clock gives the time of each command. Default: [gridgov.SystemClock].
	Clock gridgov.Clock
	// IDs issues the IDs of workload requests. Default: a generator on crypto/rand.
	IDs *gridgov.IDGenerator
	// Facts reads whistles and cases for ratings of them; nil refuses such ratings.
	Facts Facts
	// Prefix prefixes the store collections' names. Default "evaluation.".
	Prefix string
	// MaxRetries bounds the compare-and-swap attempts of one command. Default 32.
	MaxRetries int
}

// Service records ratings, overall evaluations and community workload lists over a
// store, and scores cards from what it holds. Each command is load → pure decision →
// compare-and-swap save, retried when another writer saved the same document first;
// a refused command writes nothing.
//
// A Service is safe for concurrent use and starts no goroutines. The zero value is not
// usable; use [NewService].
type Service struct {
	ev       *Evaluator
	tree     *hierarchy.Tree
	ratings  *store.Collection[Rating]
	overall  *store.Collection[OverallEvaluation]
	workload *store.Collection[CommunityList]
	facts    Facts
	clock    gridgov.Clock
	ids      *gridgov.IDGenerator
}

// NewService returns a service storing in b under policy p (compiled once; a policy
// that does not validate is refused) on tree.
func NewService(b store.Backend, p Policy, tree *hierarchy.Tree, opts *ServiceOptions) (*Service, error) {
	if b == nil || tree == nil {
		return nil, fmt.Errorf("evaluation: new service: backend and tree are required: %w", gridgov.ErrInvalid)
	}
	ev, err := Compile(p)
	if err != nil {
		return nil, fmt.Errorf("evaluation: new service: %w", err)
	}
	var o ServiceOptions
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = gridgov.SystemClock{}
	}
	if o.IDs == nil {
		o.IDs = gridgov.NewIDGenerator(nil)
	}
	if o.Prefix == "" {
		o.Prefix = "evaluation."
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 32
	}
	s := &Service{ev: ev, tree: tree, facts: o.Facts, clock: o.Clock, ids: o.IDs}
	s.ratings = store.NewCollection(b, o.Prefix+"ratings", &store.CollectionOptions[Rating]{
		MaxRetries: o.MaxRetries,
		Indexes: map[string]func(Rating) []string{
			IndexSubject: func(r Rating) []string { return []string{r.Subject.String()} },
			IndexRater:   func(r Rating) []string { return []string{string(r.RaterUnit)} },
			IndexPeriod: func(r Rating) []string {
				if r.Target.Kind == TargetPeriod {
					return []string{r.Target.Period}
				}
				return nil
			},
			IndexMonth: func(r Rating) []string {
				if r.Target.Kind == TargetPeriod {
					return nil
				}
				return []string{r.WorkAt.In(cst).Format("2006-01")}
			},
		},
	})
	s.overall = store.NewCollection(b, o.Prefix+"overall", &store.CollectionOptions[OverallEvaluation]{
		MaxRetries: o.MaxRetries,
		Indexes: map[string]func(OverallEvaluation) []string{
			IndexPeriod: func(r OverallEvaluation) []string { return []string{r.Period} },
		},
	})
	s.workload = store.NewCollection(b, o.Prefix+"workload", &store.CollectionOptions[CommunityList]{MaxRetries: o.MaxRetries})
	return s, nil
}

// Evaluator returns the service's compiled policy.
func (s *Service) Evaluator() *Evaluator { return s.ev }

// Rate records a rating, or amends the rater unit's earlier rating of the same subject
// and target, at the clock's time (see [Policy.Rate] for the rules). The facts of a
// whistle or case are read through the service's Facts.
func (s *Service) Rate(ctx context.Context, in RatingInput) (Rating, error) {
	now := s.clock.Now()
	p := s.ev.Policy()
	rule, ok := p.Rule(in.Rule)
	if !ok {
		return Rating{}, &gridgov.Error{Op: "evaluation.Rate", Kind: gridgov.ErrInvalid, Rule: RuleUnknown, Msg: fmt.Sprintf("no rating rule %q", in.Rule)}
	}
	post, err := s.tree.ActorPost(in.Rater, now)
	if err != nil {
		return Rating{}, fmt.Errorf("evaluation.Rate: %w", err)
	}
	work, err := ResolveWork(ctx, s.facts, s.tree, rule, post.Unit, in.Subject, in.Target, now)
	if err != nil {
		return Rating{}, err
	}
	key := RatingKey(rule.ID, post.Unit, in.Subject, in.Target)
	v, err := s.ratings.Update(ctx, key, func(cur Rating, exists bool) (Rating, error) {
		var c *Rating
		if exists {
			c = &cur
		}
		return p.Rate(s.tree, c, in, work, now)
	})
	return v.Value, err
}

// Rating returns the rating stored under key.
func (s *Service) Rating(ctx context.Context, key string) (Rating, error) {
	v, err := s.ratings.Get(ctx, key)
	return v.Value, err
}

// RatingsOf returns the ratings of subject, in key order.
func (s *Service) RatingsOf(ctx context.Context, subject hierarchy.Ref) ([]Rating, error) {
	vs, err := s.ratings.All(ctx, IndexSubject, subject.String())
	if err != nil {
		return nil, err
	}
	out := make([]Rating, len(vs))
	for i, v := range vs {
		out[i] = v.Value
	}
	return out, nil
}

// RecordOverall stores the overall evaluation (综合评价) of a unit for a period,
// replacing an earlier record of the same unit and period. The actor's post must be
// active and its unit must contain the evaluated unit (the district's or a street's
// command centre records its own subtree).
func (s *Service) RecordOverall(ctx context.Context, actor hierarchy.Actor, o OverallEvaluation) (OverallEvaluation, error) {
	now := s.clock.Now()
	if err := s.checkOverall(actor, o, now); err != nil {
		return OverallEvaluation{}, err
	}
	o.RecordedAt, o.RecordedBy = now, actor
	v, err := s.overall.Update(ctx, o.ID(), func(OverallEvaluation, bool) (OverallEvaluation, error) { return o, nil })
	return v.Value, err
}

// RecordOverallReport records the overall evaluation of every unit of an escalation
// metrics report for period ([OverallFromReport]). Every record is checked before any
// is written, so a refusal writes nothing.
func (s *Service) RecordOverallReport(ctx context.Context, actor hierarchy.Actor, period string, rep escalation.MetricsReport) ([]OverallEvaluation, error) {
	now := s.clock.Now()
	recs := OverallFromReport(period, rep)
	for _, o := range recs {
		if err := s.checkOverall(actor, o, now); err != nil {
			return nil, err
		}
	}
	for i := range recs {
		recs[i].RecordedAt, recs[i].RecordedBy = now, actor
		o := recs[i]
		if _, err := s.overall.Update(ctx, o.ID(), func(OverallEvaluation, bool) (OverallEvaluation, error) { return o, nil }); err != nil {
			return nil, err
		}
	}
	return recs, nil
}

func (s *Service) checkOverall(actor hierarchy.Actor, o OverallEvaluation, now time.Time) error {
	post, err := s.tree.ActorPost(actor, now)
	if err != nil {
		return fmt.Errorf("evaluation.RecordOverall: %w", err)
	}
	if _, ok := s.tree.Unit(o.Unit); !ok {
		return &gridgov.Error{Op: "evaluation.RecordOverall", Kind: gridgov.ErrInvalid, Rule: RuleUnknown, Msg: fmt.Sprintf("unknown unit %q", o.Unit)}
	}
	if _, err := ParsePeriod(o.Period); err != nil {
		return err
	}
	if !s.tree.Contains(post.Unit, o.Unit) {
		return &gridgov.Error{Op: "evaluation.RecordOverall", Kind: gridgov.ErrForbidden, Rule: "overall.scope",
			Msg: fmt.Sprintf("%s does not contain %s", post.Unit, o.Unit)}
	}
	for _, k := range sortedKeys(o.Rates) {
		if r := o.Rates[k]; r.Den < 0 || r.Num < 0 || r.Num > r.Den {
			return &gridgov.Error{Op: "evaluation.RecordOverall", Kind: gridgov.ErrInvalid, Rule: "overall.rates",
				Msg: fmt.Sprintf("%s rate %s is %d/%d", o.ID(), k, r.Num, r.Den)}
		}
	}
	return nil
}

// Inputs builds the inputs of period from what the service holds: the ratings of the
// period (period ratings of that period, whistle and case ratings whose work lies in
// it, read by index month by month) and every overall evaluation of the period (as the
// metric inputs of its unit). Each rating source of every subject in req is
// declared, so a subject nobody rated reads "not applicable", not "missing". The caller
// adds surveys, projects, attendance and its own inputs before scoring.
func (s *Service) Inputs(ctx context.Context, period string, req Request) (*Inputs, error) {
	p, err := ParsePeriod(period)
	if err != nil {
		return nil, err
	}
	in := NewInputs(p)
	for card, subjects := range req {
		c := s.ev.p.Scorecards[card]
		if c == nil {
			continue
		}
		for _, ind := range c.Indicators {
			if ind.Source.Kind == SourceRating {
				for _, sub := range subjects {
					in.slot(sub, ind.Source.Key())
				}
			}
		}
	}
	var rs []Rating
	scan := func(field, value string) error {
		for v, err := range s.ratings.Scan(ctx, field, value) {
			if err != nil {
				return err
			}
			rs = append(rs, v.Value)
		}
		return nil
	}
	if err := scan(IndexPeriod, p.ID); err != nil {
		return nil, err
	}
	for m := p.From; m.Before(p.To); m = m.AddDate(0, 1, 0) {
		if err := scan(IndexMonth, m.Format("2006-01")); err != nil {
			return nil, err
		}
	}
	in.AddRatings(rs)
	for v, err := range s.overall.Scan(ctx, IndexPeriod, period) {
		if err != nil {
			return nil, err
		}
		in.AddOverall(hierarchy.UnitRef(v.Value.Unit), v.Value)
	}
	return in, nil
}

// Score scores req on in, on the service's tree.
func (s *Service) Score(in *Inputs, req Request) (*Results, error) {
	return s.ev.Score(s.tree, in, req)
}

func errorsIsNotFound(err error) bool { return errors.Is(err, gridgov.ErrNotFound) }

// CheckImposed refuses a scorecard, rating rule or inspection imposed on community
// that uses an item outside the community's admitted list (see
// [CommunityList.CheckImposed]); what names it in the refusal.
func (s *Service) CheckImposed(ctx context.Context, community hierarchy.UnitID, what string, items []string) error {
	l, err := s.Workload(ctx, community)
	if err != nil {
		return err
	}
	return l.CheckImposed(what, items)
}
