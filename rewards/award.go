package rewards

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards/ledger"
	"github.com/gridgov/gridgov/store"
)

// Ranking orders workers for the year-end award. Name is a built-in ranking
// ("rewards-paid", "claims-paid") computed from the fund, or any name whose Scores
// the caller supplies (an evaluation's annual scores, say). Higher scores rank first;
// equal scores rank by worker ID, so the order never depends on map iteration.
type Ranking struct {
	Name   string                       `json:"name"`
	Scores map[hierarchy.PersonID]int64 `json:"scores,omitempty"`
}

// AwardLine is one worker's year-end award.
type AwardLine struct {
	Rank   int                `json:"rank"`
	Worker hierarchy.PersonID `json:"worker"`
	Score  int64              `json:"score"`
	Amount Fen                `json:"amount"`
}

// Award is the year-end special award of one fund, an aggregate of its own: created
// pending with its plan, then posted to the fund in one batch.
// It is a plain value: safe for concurrent use while no one modifies it.
type Award struct {
	Fund    string      `json:"fund"`
	Ranking string      `json:"ranking"`
	Split   string      `json:"split"`
	Balance Fen         `json:"balance"` // the fund's balance when planned
	Pool    Fen         `json:"pool"`
	Lines   []AwardLine `json:"lines"`
	Posted  bool        `json:"posted"`
	Created time.Time   `json:"created"`
}

// Total is what the award's lines add up to.
func (a Award) Total() Fen {
	var t Fen
	for _, l := range a.Lines {
		t += l.Amount
	}
	return t
}

// Rules named by award refusals.
const (
	RuleAwardRanking = "awards.ranking"
)

// PlanAward splits the pool (Share × balance) among the Top workers of scores by the
// policy's Split. Only positive scores rank. Shares are rounded with cumulative
// rounding: line i gets round(pool × W≤i ÷ W) − round(pool × W<i ÷ W), so the lines
// add up exactly to the pool (or, for "shares" adding up to less than 1, to that part
// of it) and each is within a fen of its exact share. The rest stays in the fund.
// Weights are summed in arbitrary precision, so huge supplied scores cannot wrap.
func PlanAward(p YearEndPolicy, balance Fen, scores map[hierarchy.PersonID]int64) (pool Fen, lines []AwardLine, err error) {
	pool, err = MulRate(max(balance, 0), p.Share)
	if err != nil {
		return 0, nil, err
	}
	type ws struct {
		w hierarchy.PersonID
		s int64
	}
	var ranked []ws
	for w, sc := range scores {
		if sc > 0 {
			ranked = append(ranked, ws{w, sc})
		}
	}
	slices.SortFunc(ranked, func(a, b ws) int {
		if c := cmp.Compare(b.s, a.s); c != 0 {
			return c
		}
		return cmp.Compare(a.w, b.w)
	})
	if len(ranked) > p.Top {
		ranked = ranked[:p.Top]
	}
	weights := make([]int64, len(ranked))
	total := new(big.Int)
	for i, r := range ranked {
		switch p.Split {
		case SplitEqual:
			weights[i] = 1
		case SplitProportional:
			weights[i] = r.s
		case SplitShares:
			weights[i] = int64(p.Shares[i])
		}
		total.Add(total, big.NewInt(weights[i]))
	}
	if p.Split == SplitShares {
		total.SetInt64(int64(One))
	}
	if total.Sign() == 0 {
		return pool, nil, nil
	}
	cum := new(big.Int)
	prev := Fen(0)
	for i, r := range ranked {
		cum.Add(cum, big.NewInt(weights[i]))
		upto, err := RoundDiv(new(big.Int).Mul(big.NewInt(int64(pool)), cum), total)
		if err != nil {
			return 0, nil, err
		}
		lines = append(lines, AwardLine{Rank: i + 1, Worker: r.w, Score: r.s, Amount: upto - prev})
		prev = upto
	}
	return pool, lines, nil
}

// YearEndAward runs the year-end special award of fund id by ranking (the policy's
// ranking when ranking.Name is ""). It runs once per fund: a second call returns the
// first award. Built-in rankings score each worker from the fund's ledger: net rewards
// paid, or claims paid.
//
// The actor needs the award action in the fund's area.
func (s *Service) YearEndAward(ctx context.Context, actor hierarchy.Actor, id string, ranking Ranking) (Award, error) {
	const op = "rewards.YearEndAward"
	f, err := s.Fund(ctx, id)
	if err != nil {
		return Award{}, err
	}
	if _, err := s.authorize(op, ActionAward, actor, s.clock.Now(), f.Area); err != nil {
		return Award{}, err
	}
	if v, err := s.awards.Get(ctx, id); err == nil {
		if v.Value.Posted {
			return v.Value, nil
		}
		return s.finishAward(ctx, v.Value)
	} else if !errors.Is(err, store.ErrNotFound) {
		return Award{}, fmt.Errorf("rewards: award %s: %w", id, err)
	}
	if ranking.Name == "" {
		ranking.Name = s.policy.Funds.YearEnd.Ranking
	}
	book, err := s.ledger.Book(ctx, id)
	if err != nil {
		return Award{}, fmt.Errorf("rewards: award %s: %w", id, err)
	}
	scores := ranking.Scores
	if scores == nil {
		scores, err = s.builtinScores(ctx, id, ranking.Name)
		if err != nil {
			return Award{}, err
		}
	}
	p := s.policy.Funds.YearEnd
	pool, lines, err := PlanAward(p, Fen(book.Balance()), scores)
	if err != nil {
		return Award{}, err
	}
	a := Award{Fund: id, Ranking: ranking.Name, Split: p.Split, Balance: Fen(book.Balance()), Pool: pool, Lines: lines,
		Created: s.clock.Now()}
	if _, err := s.awards.Put(ctx, id, a, 0); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return s.YearEndAward(ctx, actor, id, ranking)
		}
		return Award{}, fmt.Errorf("rewards: award %s: %w", id, err)
	}
	return s.finishAward(ctx, a)
}

func (s *Service) builtinScores(ctx context.Context, id, name string) (map[hierarchy.PersonID]int64, error) {
	if name != RankingRewardsPaid && name != RankingClaimsPaid {
		return nil, refuse("rewards.YearEndAward", RuleAwardRanking, gridgov.ErrInvalid, "ranking %q is not built in: supply its scores", name)
	}
	scores := map[hierarchy.PersonID]int64{}
	for e, err := range s.ledger.Entries(ctx, id) {
		if err != nil {
			return nil, fmt.Errorf("rewards: award %s: %w", id, err)
		}
		switch e.Kind {
		case "pay":
			w := hierarchy.PersonID(strings.TrimPrefix(string(e.Credit), "worker:"))
			if name == RankingRewardsPaid {
				scores[w] += e.Amount
			} else {
				scores[w]++
			}
		case "clawback":
			w := hierarchy.PersonID(strings.TrimPrefix(string(e.Debit), "worker:"))
			if name == RankingRewardsPaid {
				scores[w] -= e.Amount
			} else {
				scores[w]--
			}
		}
	}
	return scores, nil
}

func awardKey(fund string, w hierarchy.PersonID) string { return "award:" + fund + ":" + string(w) }

func (s *Service) finishAward(ctx context.Context, a Award) (Award, error) {
	at := s.clock.Now()
	var ps []ledger.Posting
	for _, l := range a.Lines {
		if l.Amount <= 0 {
			continue
		}
		ps = append(ps, ledger.Posting{Key: awardKey(a.Fund, l.Worker), Kind: "award", Cause: "award:" + a.Fund,
			Debit: FundAccount(a.Fund), Credit: WorkerAccount(l.Worker), Amount: int64(l.Amount), Partial: true})
	}
	if len(ps) > 0 {
		if _, _, err := s.ledger.Post(ctx, a.Fund, at, ps...); err != nil {
			return Award{}, fmt.Errorf("rewards: award %s: %w", a.Fund, err)
		}
	}
	// The amounts actually posted are the award: a partial posting (the fund paid out
	// meanwhile) is recorded as posted.
	var lines []AwardLine
	for _, l := range a.Lines {
		if l.Amount > 0 {
			e, err := s.ledger.Entry(ctx, a.Fund, awardKey(a.Fund, l.Worker))
			if err != nil {
				return Award{}, fmt.Errorf("rewards: award %s: %w", a.Fund, err)
			}
			l.Amount = Fen(e.Amount)
		}
		lines = append(lines, l)
	}
	v, err := s.awards.Update(ctx, a.Fund, func(cur Award, exists bool) (Award, error) {
		if !exists {
			return cur, fmt.Errorf("rewards: award %s vanished: %w", a.Fund, gridgov.ErrNotFound)
		}
		cur.Lines, cur.Posted = lines, true
		return cur, nil
	})
	if err != nil {
		return Award{}, fmt.Errorf("rewards: award %s: %w", a.Fund, err)
	}
	return v.Value, nil
}
