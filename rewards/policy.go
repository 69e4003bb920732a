package rewards

import (
	"errors"
	"fmt"
	"slices"

	"github.com/gridgov/gridgov/hierarchy"
)

// Report categories, outcomes and contribution levels of the default schedule.
const (
	CategoryPolice   = "police"   // a police-relevant matter (警情)
	CategoryEpidemic = "epidemic" // an epidemic-prevention report (疫情)

	OutcomeVerified        = "verified"          // the matter was verified (核实)
	OutcomeCaseSolved      = "case-solved"       // the report led to a case solved (破案)
	OutcomeCaptureOnSpot   = "capture-on-spot"   // a suspect caught on the spot (现场抓获)
	OutcomeCaptureByReport = "capture-by-report" // the report led to a capture (根据线索抓获)

	ContributionDirect    = "direct"    // 直接作用
	ContributionImportant = "important" // 重要作用
)

// ScheduleRow is one amount of the reward schedule. An empty Contribution matches
// any contribution level; a row with the exact level wins over it.
type ScheduleRow struct {
	Category     string `json:"category" yaml:"category"`
	Outcome      string `json:"outcome" yaml:"outcome"`
	Contribution string `json:"contribution,omitempty" yaml:"contribution,omitempty"`
	Amount       Fen    `json:"amount" yaml:"amount"`
}

// Cap limits what one worker may be granted in a period.
type Cap struct {
	// Period is "month", "quarter" or "year", counted by the report's date.
	Period string `json:"period" yaml:"period"`
	Amount Fen    `json:"amount" yaml:"amount"`
}

// Schedule is the reward schedule of 一案一奖、一事一奖.
// It is a plain value: safe for concurrent use while no one modifies it.
type Schedule struct {
	Rows []ScheduleRow `json:"rows" yaml:"rows"`
	// WorkerCaps bound each worker's granted rewards per period; an approval beyond a
	// cap is reduced to what is left, and refused when nothing is.
	WorkerCaps []Cap `json:"worker_caps,omitempty" yaml:"worker_caps,omitempty"`
}

// What a payment does when its fund cannot cover it.
const (
	ShortfallWait     = "wait"     // the claim stays approved until the fund is topped up
	ShortfallReduce   = "reduce"   // the claim is paid what the fund has left
	ShortfallOverflow = "overflow" // the claim is charged to the named overflow fund
)

// How a year-end award pool is split.
const (
	SplitEqual        = "equal"        // equal shares
	SplitProportional = "proportional" // in proportion to the ranking scores
	SplitShares       = "shares"       // the fixed shares listed in Shares, by rank
)

// Built-in rankings for the year-end award; any other name needs its scores supplied.
const (
	RankingRewardsPaid = "rewards-paid" // net rewards paid from the fund in the year
	RankingClaimsPaid  = "claims-paid"  // claims paid from the fund in the year
)

// YearEndPolicy is the year-end special award (年终专项奖励) of a fund.
type YearEndPolicy struct {
	// Share of the fund's remaining balance that goes into the pool.
	Share Rate `json:"share" yaml:"share"`
	// Top is how many workers of the ranking are awarded.
	Top int `json:"top" yaml:"top"`
	// Ranking names the default ranking.
	Ranking string `json:"ranking" yaml:"ranking"`
	// Split is "equal", "proportional" or "shares".
	Split string `json:"split" yaml:"split"`
	// Shares are the rank shares for Split "shares", adding up to 1 at most.
	Shares []Rate `json:"shares,omitempty" yaml:"shares,omitempty"`
}

// FundPolicy governs the report-reward funds.
// It is a plain value: safe for concurrent use while no one modifies it.
type FundPolicy struct {
	// Floor is the least a responsibility area's fund is opened with (¥35,000).
	Floor Fen `json:"floor" yaml:"floor"`
	// Shortfall is "wait", "reduce" or "overflow".
	Shortfall string `json:"shortfall" yaml:"shortfall"`
	// Overflow names the overflow fund's area (its funds are Overflow/<year>); it is
	// exempt from the floor. Required when Shortfall is "overflow".
	Overflow string `json:"overflow,omitempty" yaml:"overflow,omitempty"`
	// YearEnd is the year-end award.
	YearEnd YearEndPolicy `json:"year_end" yaml:"year_end"`
}

// Policy is the rewards package's whole rule set.
// It is a plain value: safe for concurrent use while no one modifies it.
type Policy struct {
	PayScale PayScale   `json:"pay_scale" yaml:"pay_scale"`
	Schedule Schedule   `json:"schedule" yaml:"schedule"`
	Funds    FundPolicy `json:"funds" yaml:"funds"`
	// Roles lists, per action, the roles of the posts that may issue it, within their
	// scope (the post's unit and the units under it). An action with no rule is refused
	// to everyone; [AnyRole] ("*") must be written to let any role in scope issue one. A
	// policy without role rules does not validate, so a misspelt roles key cannot lift
	// every limit.
	Roles map[Action][]hierarchy.Role `json:"roles" yaml:"roles"`
	// Rights optionally names, per action, a right of the tree's grants
	// ([hierarchy.Grant]) that also authorizes it: a person granted the right over the
	// claim's or fund's area may issue the action from any post in force, whatever its
	// role (a district's audit office clawing back, say). Unlisted actions go by Roles
	// alone.
	Rights map[Action]hierarchy.Right `json:"rights,omitempty" yaml:"rights,omitempty"`
}

// QinhuaiSchedule returns the default reward schedule. The amounts are illustrative
// [unverified]: the Qinhuai report gives only the total (60,000+ reports, ¥1,387,000,
// about ¥23 a report); the shape (category × outcome × contribution, per-worker caps)
// follows police reward schemes.
func QinhuaiSchedule() Schedule {
	return Schedule{
		Rows: []ScheduleRow{
			{CategoryPolice, OutcomeVerified, ContributionDirect, Yuan(20)},
			{CategoryPolice, OutcomeVerified, ContributionImportant, Yuan(10)},
			{CategoryPolice, OutcomeCaseSolved, ContributionDirect, Yuan(200)},
			{CategoryPolice, OutcomeCaseSolved, ContributionImportant, Yuan(100)},
			{CategoryPolice, OutcomeCaptureOnSpot, ContributionDirect, Yuan(500)},
			{CategoryPolice, OutcomeCaptureOnSpot, ContributionImportant, Yuan(300)},
			{CategoryPolice, OutcomeCaptureByReport, ContributionDirect, Yuan(300)},
			{CategoryPolice, OutcomeCaptureByReport, ContributionImportant, Yuan(150)},
			{CategoryEpidemic, OutcomeVerified, "", Yuan(10)},
		},
		WorkerCaps: []Cap{{Period: "month", Amount: Yuan(1000)}, {Period: "year", Amount: Yuan(6000)}},
	}
}

// QinhuaiFundPolicy returns the default fund policy: a floor of ¥35,000 per police
// responsibility area and year, payments wait for money, and a year-end award of half
// the remaining balance to the top ten workers by rewards paid, in proportion
// (the year-end figures are [unverified] defaults).
func QinhuaiFundPolicy() FundPolicy {
	return FundPolicy{
		Floor:     Yuan(35000),
		Shortfall: ShortfallWait,
		Overflow:  "district-overflow",
		YearEnd:   YearEndPolicy{Share: 5000, Top: 10, Ranking: RankingRewardsPaid, Split: SplitProportional},
	}
}

// QinhuaiPolicy returns Qinhuai's defaults: [QinhuaiPayScale], [QinhuaiSchedule],
// [QinhuaiFundPolicy] and [QinhuaiRoles].
func QinhuaiPolicy() Policy {
	return Policy{PayScale: QinhuaiPayScale(), Schedule: QinhuaiSchedule(), Funds: QinhuaiFundPolicy(), Roles: QinhuaiRoles()}
}

// Amount returns the scheduled reward for a report and the row it came from.
func (s Schedule) Amount(category, outcome, contribution string) (Fen, bool) {
	found, amount := false, Fen(0)
	for _, r := range s.Rows {
		if r.Category != category || r.Outcome != outcome {
			continue
		}
		if r.Contribution == contribution {
			return r.Amount, true
		}
		if r.Contribution == "" {
			found, amount = true, r.Amount
		}
	}
	return amount, found
}

// Validate reports every problem of the policy at once with its path
// ("schedule.rows[3].amount: must be > 0").
func (p Policy) Validate() error {
	var errs []error
	prefix := func(path string, err error) {
		if err == nil {
			return
		}
		for _, e := range unjoin(err) {
			errs = append(errs, fmt.Errorf("%s.%w", path, e))
		}
	}
	prefix("pay_scale", p.PayScale.Validate())
	prefix("schedule", p.Schedule.Validate())
	prefix("funds", p.Funds.Validate())
	errs = append(errs, validateRoles(p.Roles, p.Rights)...)
	return errors.Join(errs...)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

var periods = []string{"month", "quarter", "year"}

// Validate reports every problem of the schedule with its path.
func (s Schedule) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	if len(s.Rows) == 0 {
		bad("rows", "must list at least one amount")
	}
	seen := map[[3]string]int{}
	for i, r := range s.Rows {
		path := fmt.Sprintf("rows[%d]", i)
		if r.Category == "" {
			bad(path+".category", "must not be empty")
		}
		if r.Outcome == "" {
			bad(path+".outcome", "must not be empty")
		}
		if r.Amount <= 0 || r.Amount > MaxAmount {
			bad(path+".amount", "%d fen must be within 1–%d", r.Amount, MaxAmount)
		}
		k := [3]string{r.Category, r.Outcome, r.Contribution}
		if j, dup := seen[k]; dup {
			bad(path, "repeats rows[%d] (%s/%s/%s)", j, r.Category, r.Outcome, orNone(r.Contribution))
		}
		seen[k] = i
	}
	for i, c := range s.WorkerCaps {
		if !slices.Contains(periods, c.Period) {
			bad(fmt.Sprintf("worker_caps[%d].period", i), "%q must be month, quarter or year", c.Period)
		}
		if c.Amount <= 0 || c.Amount > MaxAmount {
			bad(fmt.Sprintf("worker_caps[%d].amount", i), "%d fen must be within 1–%d", c.Amount, MaxAmount)
		}
	}
	return errors.Join(errs...)
}

// Validate reports every problem of the fund policy with its path.
func (f FundPolicy) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	if f.Floor < 0 || f.Floor > MaxAmount {
		bad("floor", "%d fen must be within 0–%d", f.Floor, MaxAmount)
	}
	if !slices.Contains([]string{ShortfallWait, ShortfallReduce, ShortfallOverflow}, f.Shortfall) {
		bad("shortfall", "%q must be wait, reduce or overflow", f.Shortfall)
	}
	if f.Shortfall == ShortfallOverflow && f.Overflow == "" {
		bad("overflow", "must name the overflow fund when shortfall is overflow")
	}
	y := f.YearEnd
	if y.Share < 0 || y.Share > One {
		bad("year_end.share", "%s must be within 0–1", y.Share)
	}
	if y.Top < 0 || y.Top > 100_000 {
		bad("year_end.top", "%d must be within 0–100000", y.Top)
	}
	if y.Ranking == "" {
		bad("year_end.ranking", "must name a ranking")
	}
	switch y.Split {
	case SplitEqual, SplitProportional:
	case SplitShares:
		var sum Rate
		for i, s := range y.Shares {
			if s < 0 {
				bad(fmt.Sprintf("year_end.shares[%d]", i), "%s must be >= 0", s)
			}
			sum += s
		}
		if sum > One {
			bad("year_end.shares", "add up to %s, more than 1", sum)
		}
		if len(y.Shares) != y.Top {
			bad("year_end.shares", "%d shares for the top %d", len(y.Shares), y.Top)
		}
	default:
		bad("year_end.split", "%q must be equal, proportional or shares", y.Split)
	}
	return errors.Join(errs...)
}
