package rewards

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Dimension is a way to group statistics.
type Dimension string

// Dimensions of [StatsQuery.By].
const (
	ByWorker   Dimension = "worker"
	ByArea     Dimension = "area"   // police responsibility area
	ByStreet   Dimension = "street" // the street above the claim's unit; needs Streets
	ByMonth    Dimension = "month"  // "2025-03", of the report date
	ByYear     Dimension = "year"
	ByCategory Dimension = "category"
)

// StreetResolver finds the unit at a level above another; *hierarchy.Tree is one.
type StreetResolver interface {
	AncestorAt(id hierarchy.UnitID, l hierarchy.Level) (hierarchy.UnitID, bool)
}

// StatsQuery selects and groups statistics. Claims count by their report date,
// year-end awards by the date they were made.
type StatsQuery struct {
	// From and To bound the dates, [From, To); zero means unbounded.
	From, To time.Time
	// By lists the grouping dimensions; none gives only the total.
	By []Dimension
	// Streets resolves ByStreet; StreetLevel is the level looked for (default
	// hierarchy.LevelStreet).
	Streets     StreetResolver
	StreetLevel hierarchy.Level
}

// StatsRow is one group of statistics; Key holds its value of each dimension of the
// query, in order ("" when a claim has none, such as the street of an award).
type StatsRow struct {
	Key []string `json:"key,omitempty"`
	// Reports counts the claims (a report presented for reward), whatever became of
	// them; Rejected those rejected (duplicates, caps, reviewers); Rewarded those paid.
	Reports  int `json:"reports"`
	Rejected int `json:"rejected"`
	Rewarded int `json:"rewarded"`
	// Paid is what the claims were paid, ClawedBack what was taken back, Net the
	// difference; Awarded the year-end awards.
	Paid       Fen `json:"paid"`
	ClawedBack Fen `json:"clawed_back"`
	Net        Fen `json:"net"`
	Awarded    Fen `json:"awarded"`
}

func (r *StatsRow) addClaim(c Claim) error {
	r.Reports++
	switch c.State {
	case StateRejected:
		r.Rejected++
	case StatePaid, StateClawedBack:
		r.Rewarded++
	}
	var err error
	add := func(to *Fen, v Fen) {
		if err == nil {
			*to, err = to.Add(v)
		}
	}
	add(&r.Paid, c.Paid)
	add(&r.ClawedBack, c.ClawedBack)
	add(&r.Net, c.Paid-c.ClawedBack) // both ≤ MaxAmount: the difference fits
	return err
}

// Stats is the result of a statistics query: the total and one row per group, rows
// sorted by key.
// It is a plain value: safe for concurrent use while no one modifies it.
type Stats struct {
	By    []Dimension `json:"by,omitempty"`
	Total StatsRow    `json:"total"`
	Rows  []StatsRow  `json:"rows,omitempty"`
}

// Summarize computes statistics from claims and awards. It refuses a street grouping
// without a resolver, or an unknown dimension, with ErrInvalid.
func Summarize(claims []Claim, awards []Award, q StatsQuery) (Stats, error) {
	level := q.StreetLevel
	if level == "" {
		level = hierarchy.LevelStreet
	}
	for _, d := range q.By {
		switch d {
		case ByWorker, ByArea, ByMonth, ByYear, ByCategory:
		case ByStreet:
			if q.Streets == nil {
				return Stats{}, &gridgov.Error{Op: "rewards.Summarize", Kind: gridgov.ErrInvalid, Msg: "grouping by street needs a StreetResolver"}
			}
		default:
			return Stats{}, &gridgov.Error{Op: "rewards.Summarize", Kind: gridgov.ErrInvalid, Msg: fmt.Sprintf("unknown dimension %q", d)}
		}
	}
	in := func(t time.Time) bool {
		return (q.From.IsZero() || !t.Before(q.From)) && (q.To.IsZero() || t.Before(q.To))
	}
	out := Stats{By: q.By}
	rows := map[string]*StatsRow{}
	row := func(key []string) *StatsRow {
		k := strings.Join(key, "\x00")
		r := rows[k]
		if r == nil {
			r = &StatsRow{Key: key}
			rows[k] = r
		}
		return r
	}
	for _, c := range claims {
		if !in(c.ReportedAt) {
			continue
		}
		if err := out.Total.addClaim(c); err != nil {
			return Stats{}, err
		}
		if len(q.By) == 0 {
			continue
		}
		key := make([]string, len(q.By))
		for i, d := range q.By {
			switch d {
			case ByWorker:
				key[i] = string(c.Worker)
			case ByArea:
				key[i] = string(c.Area)
			case ByStreet:
				if st, ok := q.Streets.AncestorAt(c.Unit, level); ok {
					key[i] = string(st)
				}
			case ByMonth:
				key[i] = monthKey(c.ReportedAt)
			case ByYear:
				key[i] = fmt.Sprint(c.ReportedAt.In(cst).Year())
			case ByCategory:
				key[i] = c.Category
			}
		}
		if err := row(key).addClaim(c); err != nil {
			return Stats{}, err
		}
	}
	for _, a := range awards {
		if !in(a.Created) || !a.Posted {
			continue
		}
		area, year := a.Fund, ""
		if i := strings.LastIndex(a.Fund, "/"); i >= 0 {
			area, year = a.Fund[:i], a.Fund[i+1:]
		}
		for _, l := range a.Lines {
			var err error
			if out.Total.Awarded, err = out.Total.Awarded.Add(l.Amount); err != nil {
				return Stats{}, err
			}
			if len(q.By) == 0 {
				continue
			}
			key := make([]string, len(q.By))
			for i, d := range q.By {
				switch d {
				case ByWorker:
					key[i] = string(l.Worker)
				case ByArea:
					key[i] = area
				case ByMonth:
					key[i] = monthKey(a.Created)
				case ByYear:
					key[i] = year
				case ByCategory:
					key[i] = "year-end-award"
				}
			}
			r := row(key)
			if r.Awarded, err = r.Awarded.Add(l.Amount); err != nil {
				return Stats{}, err
			}
		}
	}
	for _, r := range rows {
		out.Rows = append(out.Rows, *r)
	}
	slices.SortFunc(out.Rows, func(a, b StatsRow) int { return slices.Compare(a.Key, b.Key) })
	return out, nil
}

// Stats computes statistics over every claim and year-end award; see [Summarize].
func (s *Service) Stats(ctx context.Context, q StatsQuery) (Stats, error) {
	out, err := s.StatsEach(ctx, q)
	if err != nil {
		return Stats{}, err
	}
	return out[0], nil
}

// StatsEach computes the statistics of each query over one read of the claims and
// awards: out[i] is what Stats(ctx, qs[i]) returns. A year's report groups the same
// records several ways, and reading a district's year of claims costs more than any
// grouping of them.
func (s *Service) StatsEach(ctx context.Context, qs ...StatsQuery) ([]Stats, error) {
	var cs []Claim
	for v, err := range s.summaries.Scan(ctx, "", "") {
		if err != nil {
			return nil, fmt.Errorf("rewards: stats: %w", err)
		}
		cs = append(cs, Claim{ID: v.ID, ClaimInput: v.Value.ClaimInput, State: v.Value.State, Paid: v.Value.Paid,
			ClawedBack: v.Value.ClawedBack})
	}
	vs, err := s.awards.All(ctx, "", "")
	if err != nil {
		return nil, fmt.Errorf("rewards: stats: %w", err)
	}
	as := make([]Award, len(vs))
	for i, v := range vs {
		as[i] = v.Value
	}
	out := make([]Stats, len(qs))
	for i, q := range qs {
		if out[i], err = Summarize(cs, as, q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// claimSummary is the part of a stored claim [Summarize] reads. Decoding a claim into
// it skips the claim's history and pending operation, whose times and strings were
// most of what reading a year of claims for statistics cost. Summarize must read no
// other field of a claim; TestService_StatsEach holds it to that.
type claimSummary struct {
	ClaimInput
	State      ClaimState `json:"state"`
	Paid       Fen        `json:"paid,omitempty"`
	ClawedBack Fen        `json:"clawed_back,omitempty"`
}
