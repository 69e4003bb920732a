package evaluation

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Evaluator is a validated policy with its formulas compiled and its cards in the
// order they must be scored (a card reading another's scores comes after it). It is
// immutable and safe for concurrent use. The zero value is not usable; use [Compile].
type Evaluator struct {
	p        Policy
	formulas map[string]*Formula
	// norms holds the compiled formula normalisers, by card then indicator position.
	norms map[string][]*Formula
	order []string
}

// Compile validates p and compiles its formulas once. A policy that does not validate
// is refused with every problem (see [Policy.Validate]).
func Compile(p Policy) (*Evaluator, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	e := &Evaluator{p: p, formulas: map[string]*Formula{}, norms: map[string][]*Formula{}}
	for _, id := range sortedKeys(p.Scorecards) {
		c := p.Scorecards[id]
		if c.Formula != "" {
			f, err := compileFormula("scorecards."+id, c)
			if err != nil {
				return nil, err
			}
			e.formulas[id] = f
		}
		for i, in := range c.Indicators {
			if in.Normaliser.Kind != NormFormula {
				continue
			}
			f, err := compileIndicatorFormula(fmt.Sprintf("scorecards.%s.indicators[%d].normaliser.formula", id, i), in)
			if err != nil {
				return nil, err
			}
			if e.norms[id] == nil {
				e.norms[id] = make([]*Formula, len(c.Indicators))
			}
			e.norms[id][i] = f
		}
	}
	seen := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		for _, in := range p.Scorecards[id].Indicators {
			if in.Source.Kind == SourceCard {
				visit(in.Source.Card)
			}
		}
		e.order = append(e.order, id)
	}
	for _, id := range sortedKeys(p.Scorecards) {
		visit(id)
	}
	return e, nil
}

// Policy returns the evaluator's policy. The caller must not modify it.
func (e *Evaluator) Policy() *Policy { return &e.p }

// Line is one indicator of a result: its input, the normaliser's credit and the
// points it contributes, with the rule applied, so that a score explains itself.
type Line struct {
	Indicator string `json:"indicator"`
	Name      string `json:"name,omitempty"`
	Source    string `json:"source"`
	Weight    int64  `json:"weight"`
	Input     Ratio  `json:"input"`
	Sample    int64  `json:"sample"`
	// Applicable is false when the input is undefined (0/0): the indicator is left
	// out and the other weights renormalised.
	Applicable bool `json:"applicable"`
	// Credit is the share of the weight earned, in millionths (shown rounded; the score
	// uses the exact value).
	Credit int64 `json:"credit"`
	// Points is the indicator's contribution after renormalisation, shown rounded.
	Points Points   `json:"points"`
	Rule   string   `json:"rule"`
	Flags  []string `json:"flags,omitempty"`

	ratings []ratingRef
}

// Result is one subject's score on one card for a period.
type Result struct {
	Card    string        `json:"card"`
	Subject hierarchy.Ref `json:"subject"`
	Period  string        `json:"period"`
	// Scored is false when no indicator applied; such a result has no score, grade or
	// rank.
	Scored bool      `json:"scored"`
	Score  Points    `json:"score"`
	Max    Points    `json:"max"`
	Grade  GradeBand `json:"grade"`
	// Group is the peer group the result is ranked in; Rank its place there under
	// standard competition ranking (1, 2, 2, 4); GroupSize the results ranked in it.
	Group     string   `json:"group,omitempty"`
	Rank      int      `json:"rank,omitempty"`
	GroupSize int      `json:"group_size,omitempty"`
	Lines     []Line   `json:"lines"`
	Formula   string   `json:"formula,omitempty"`
	Flags     []string `json:"flags,omitempty"`
}

// Request says whom each card scores: card ID → subjects. [SubjectsOf] picks a card's
// subjects from the tree.
type Request map[string][]hierarchy.Ref

// Results are the results of one scoring run, by card, each card's ranked (best first,
// ties in subject order). They are safe for concurrent reads; the Inputs they were
// scored from must not change while Explain reads them.
type Results struct {
	Period Period
	Cards  map[string][]Result
	in     *Inputs
	pol    *Policy
}

// Result returns subject's result on card.
func (rs *Results) Result(card string, subject hierarchy.Ref) (Result, bool) {
	for _, r := range rs.Cards[card] {
		if r.Subject == subject {
			return r, true
		}
	}
	return Result{}, false
}

// Score scores every subject of req under its card, for the inputs' period, on tree
// (for pairings, children and peer groups, as they stand at the period's last
// instant; tree may be nil when no card reads children or pairings). It is a pure
// function of its arguments. An indicator whose input is missing
// is an error naming card, indicator and subject (rule score.source-missing) and
// nothing is returned.
func (e *Evaluator) Score(tree *hierarchy.Tree, in *Inputs, req Request) (*Results, error) {
	at := in.Period.To.Add(-time.Nanosecond)
	rs := &Results{Period: in.Period, Cards: map[string][]Result{}, in: in, pol: &e.p}
	for _, card := range sortedKeys(req) {
		if e.p.Scorecards[card] == nil {
			return nil, &gridgov.Error{Op: "evaluation.Score", Kind: gridgov.ErrInvalid, Rule: RuleUnknown, Msg: fmt.Sprintf("no scorecard %q", card)}
		}
		seen := make(map[hierarchy.Ref]bool, len(req[card]))
		for _, s := range req[card] {
			switch {
			case seen[s]:
				return nil, &gridgov.Error{Op: "evaluation.Score", Kind: gridgov.ErrInvalid, Rule: RuleUnknown,
					Msg: fmt.Sprintf("card %s lists %s twice", card, s)}
			case tree != nil && !knownSubject(tree, s):
				return nil, &gridgov.Error{Op: "evaluation.Score", Kind: gridgov.ErrInvalid, Rule: RuleUnknown,
					Msg: fmt.Sprintf("card %s: unknown subject %q", card, s)}
			}
			seen[s] = true
		}
	}
	scores := map[string]map[hierarchy.Ref]Result{}
	for _, id := range e.order {
		subjects, ok := req[id]
		if !ok {
			continue
		}
		c := e.p.Scorecards[id]
		out := make([]Result, 0, len(subjects))
		scores[id] = make(map[hierarchy.Ref]Result, len(subjects))
		for _, s := range subjects {
			r, err := e.scoreOne(tree, in, id, c, s, scores, at)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			scores[id][s] = r
		}
		rank(tree, c, out, at)
		rs.Cards[id] = out
	}
	return rs, nil
}

func (e *Evaluator) scoreOne(tree *hierarchy.Tree, in *Inputs, id string, c *Scorecard, s hierarchy.Ref,
	scores map[string]map[hierarchy.Ref]Result, at time.Time) (Result, error) {
	r := Result{Card: id, Subject: s, Period: in.Period.ID, Max: Points(c.Max * 100)}
	credits := make([]*big.Rat, len(c.Indicators))
	var appliedWeight int64
	for i, ind := range c.Indicators {
		v, err := e.input(tree, in, id, ind, s, scores, at)
		if err != nil {
			return Result{}, err
		}
		l := Line{Indicator: ind.ID, Name: ind.Name, Source: ind.Source.String(), Weight: ind.Weight, Input: v.Ratio,
			Sample: v.Sample, Flags: v.Flags, ratings: v.ratings}
		var nf *Formula
		if fs := e.norms[id]; fs != nil {
			nf = fs[i]
		}
		cr, rule, ok, err := normalise(c, ind, v, nf)
		if err != nil {
			return Result{}, &gridgov.Error{Op: "evaluation.Score", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
				Msg: fmt.Sprintf("scorecards.%s.indicators[%d].normaliser.formula for %s", id, i, s), Err: err}
		}
		l.Rule = rule
		if ok {
			l.Applicable = true
			credits[i] = cr
			appliedWeight += ind.Weight
			l.Credit = roundRat(new(big.Rat).Mul(cr, big.NewRat(Full, 1)))
		}
		for _, f := range v.Flags {
			if !slices.Contains(r.Flags, f) {
				r.Flags = append(r.Flags, f)
			}
		}
		r.Lines = append(r.Lines, l)
	}
	if appliedWeight == 0 {
		r.Flags = append(r.Flags, "score.nothing-applies")
		return r, nil
	}
	// score = Σ weight × credit × Max × 100 ÷ applied weight, exact, rounded once.
	sum := new(big.Rat)
	for i, ind := range c.Indicators {
		if credits[i] == nil {
			continue
		}
		pts := new(big.Rat).Mul(credits[i], big.NewRat(ind.Weight*c.Max*100, appliedWeight))
		r.Lines[i].Points = Points(roundRat(pts))
		sum.Add(sum, pts)
	}
	r.Scored = true
	r.Score = Points(roundRat(sum))
	if f := e.formulas[id]; f != nil {
		env := map[string]any{"total": int(r.Score), "max": int(c.Max * 100)}
		for _, l := range r.Lines {
			env[l.Indicator] = int(l.Points)
		}
		v, err := f.eval(env)
		if err != nil {
			return Result{}, &gridgov.Error{Op: "evaluation.Score", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
				Msg: fmt.Sprintf("scorecards.%s.formula: %q for %s", id, f.src, s), Err: err}
		}
		r.Score = Points(min(max(v, 0), c.Max*100))
		r.Formula = f.src
	}
	r.Grade = GradeOf(c.bands(&e.p), r.Score)
	return r, nil
}

// input finds the value an indicator reads.
func (e *Evaluator) input(tree *hierarchy.Tree, in *Inputs, card string, ind Indicator, s hierarchy.Ref,
	scores map[string]map[hierarchy.Ref]Result, at time.Time) (Value, error) {
	missing := func(msg string) (Value, error) {
		return Value{}, &gridgov.Error{Op: "evaluation.Score", Kind: gridgov.ErrPrecondition, Rule: RuleSource,
			Msg: fmt.Sprintf("scorecards.%s indicator %s for %s: %s", card, ind.ID, s, msg)}
	}
	if ind.Source.Kind != SourceCard {
		v, ok := in.Value(s, ind.Source)
		if !ok {
			return missing("no input " + ind.Source.Key())
		}
		r := v.Ratio
		if r.Num < 0 || r.Den < 0 || ind.Source.Kind != SourceEvents && r.Num > r.Den {
			return Value{}, &gridgov.Error{Op: "evaluation.Score", Kind: gridgov.ErrInvalid, Rule: RuleInput,
				Msg: fmt.Sprintf("scorecards.%s indicator %s for %s: input %d/%d is not a ratio within 0..1 (or a count >= 0)", card, ind.ID, s, r.Num, r.Den)}
		}
		return v, nil
	}
	var related []hierarchy.Ref
	if tree == nil && ind.Source.Relation != RelationSelf {
		return missing("scoring without a tree cannot find " + ind.Source.Relation + " subjects")
	}
	switch ind.Source.Relation {
	case RelationSelf:
		related = []hierarchy.Ref{s}
	case RelationChildren:
		if s.Kind != hierarchy.RefUnit {
			return missing("only a unit has children")
		}
		for _, ch := range tree.Children(hierarchy.UnitID(s.ID)) {
			if _, ok := scores[ind.Source.Card][hierarchy.UnitRef(ch)]; ok {
				related = append(related, hierarchy.UnitRef(ch))
			}
		}
	case RelationPaired:
		if s.Kind != hierarchy.RefUnit {
			return missing("only a unit is paired")
		}
		related = pairedCommunities(tree, hierarchy.UnitID(s.ID), at)
	}
	other := e.p.Scorecards[ind.Source.Card]
	v := Value{Note: ind.Source.String()}
	for _, o := range related {
		r, ok := scores[ind.Source.Card][o]
		if !ok {
			return missing(fmt.Sprintf("no result of card %s for %s", ind.Source.Card, o))
		}
		if !r.Scored {
			continue
		}
		v.Ratio.Num += int64(r.Score)
		v.Ratio.Den += other.Max * 100
		v.Sample++
		v.Flags = append(v.Flags, r.Flags...)
	}
	if len(related) == 0 {
		return missing(fmt.Sprintf("no %s subject with a result of card %s", ind.Source.Relation, ind.Source.Card))
	}
	return v, nil
}

// pairedCommunities returns the units paired (结对) with department d (or its party
// organisation) at time at, each party organisation replaced by the unit it serves.
func pairedCommunities(tree *hierarchy.Tree, d hierarchy.UnitID, at time.Time) []hierarchy.Ref {
	sides := []hierarchy.UnitID{d}
	if po, ok := tree.PartyOrg(d); ok {
		sides = append(sides, po)
	}
	var out []hierarchy.Ref
	for _, side := range sides {
		for _, p := range tree.PairingsOf(side, at) {
			c := p.Community
			if c == side {
				c = p.Department
			}
			if u, ok := tree.Unit(c); ok && u.Kind == hierarchy.KindPartyOrg && u.Parent != "" {
				c = u.Parent
			}
			if r := hierarchy.UnitRef(c); !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b hierarchy.Ref) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// normalise returns the credit (0..1, exact) an input earns and the rule applied; ok
// is false when the input is undefined.
func normalise(c *Scorecard, ind Indicator, val Value, f *Formula) (*big.Rat, string, bool, error) {
	cr, rule, ok := normaliseRatio(c, ind, val.Ratio)
	if !ok || f == nil {
		return cr, rule, ok, nil
	}
	v := val.Ratio
	env := map[string]any{"num": int(v.Num), "den": int(v.Den), "sample": int(val.Sample), "ppm": int(v.PPM())}
	out, err := f.eval(env)
	if err != nil {
		return nil, "", false, err
	}
	out = min(max(out, 0), Full)
	return big.NewRat(out, Full), fmt.Sprintf("formula %s with ppm %d", f.src, v.PPM()), true, nil
}

func normaliseRatio(c *Scorecard, ind Indicator, v Ratio) (*big.Rat, string, bool) {
	n := ind.Normaliser
	if v.Den == 0 {
		return nil, "not applicable: input undefined (0/0), weight renormalised", false
	}
	if ind.Source.Kind == SourceEvents {
		// A count: only a deduction per event reads it.
		d := new(big.Rat).Mul(big.NewRat(int64(n.Deduct), 1), big.NewRat(v.Num, 1))
		return deduct(c, ind, d), fmt.Sprintf("deduct %s per event × %d", n.Deduct, v.Num) + capText(n), true
	}
	if n.Kind == NormFormula {
		return new(big.Rat), "", true
	}
	x := big.NewRat(v.Num, v.Den)
	dir := ""
	if ind.Lower {
		x.Sub(big.NewRat(1, 1), x)
		dir = "lower is better: 1 − input; "
	}
	xppm := new(big.Rat).Mul(x, big.NewRat(Full, 1))
	switch n.Kind {
	case NormLinear:
		cr := new(big.Rat).Sub(xppm, big.NewRat(n.Floor, 1))
		cr.Quo(cr, big.NewRat(n.Target-n.Floor, 1))
		cr = clampRat(cr)
		return cr, dir + fmt.Sprintf("linear: 0 at %s, full at %s", ppmPercent(n.Floor), ppmPercent(n.Target)), true
	case NormBands:
		for _, b := range n.Bands {
			if xppm.Cmp(big.NewRat(b.Min, 1)) >= 0 {
				return big.NewRat(b.Credit, Full), dir + fmt.Sprintf("band: at least %s earns %s", ppmPercent(b.Min), ppmPercent(b.Credit)), true
			}
		}
		return new(big.Rat), dir + "band: below every band earns 0", true
	case NormDeduct:
		short := new(big.Rat).Sub(big.NewRat(n.Threshold, 1), xppm)
		if short.Sign() <= 0 {
			return big.NewRat(1, 1), dir + fmt.Sprintf("deduct: at least %s keeps every point", ppmPercent(n.Threshold)), true
		}
		d := new(big.Rat).Quo(short, big.NewRat(n.Step, 1))
		d.Mul(d, new(big.Rat).SetInt64(int64(n.Deduct)))
		text := dir + fmt.Sprintf("deduct %s per %s below %s", n.Deduct, ppmPercent(n.Step), ppmPercent(n.Threshold))
		cr := deduct(c, ind, d)
		return cr, text + capText(n), true
	}
	return nil, "unknown normaliser", false
}

func capText(n Normaliser) string {
	if n.Cap > 0 {
		return fmt.Sprintf(", at most %s", n.Cap)
	}
	return ""
}

// deduct returns the credit left after deducting d hundredths of a point (capped)
// from the indicator's full points, Weight × Max ÷ Total.
func deduct(c *Scorecard, ind Indicator, d *big.Rat) *big.Rat {
	if n := ind.Normaliser; n.Cap > 0 && d.Cmp(new(big.Rat).SetInt64(int64(n.Cap))) > 0 {
		d = new(big.Rat).SetInt64(int64(n.Cap))
	}
	full := big.NewRat(ind.Weight*c.Max*100, c.Total)
	cr := new(big.Rat).Sub(full, d)
	cr.Quo(cr, full)
	return clampRat(cr)
}

func clampRat(r *big.Rat) *big.Rat {
	if r.Sign() < 0 {
		return new(big.Rat)
	}
	if r.Cmp(big.NewRat(1, 1)) > 0 {
		return big.NewRat(1, 1)
	}
	return r
}

// ppmPercent shows millionths as a percentage: 900000 → "90%", 905000 → "90.5%".
func ppmPercent(v int64) string {
	whole, frac := v/10000, v%10000
	if frac == 0 {
		return fmt.Sprintf("%d%%", whole)
	}
	s := fmt.Sprintf("%d.%04d", whole, frac)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return s + "%"
}
