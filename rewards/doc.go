// Package rewards models how Qinhuai's community and grid workers are paid: the
// "three posts, eighteen grades" pay scale (三岗十八级) with its performance and
// timeliness bonuses, and the police report rewards "one reward per case, one reward
// per matter" (一案一奖、一事一奖) paid from a fund per police responsibility area.
//
// # Pay scale
//
// A [PayScale] places a worker on a grade of their post's range from years of service
// (a degree counts as years, a social-work certificate as grades), moves them up one
// grade every YearsPerGrade years of credit earned by annual assessments (a failed
// year freezes or lowers, an excellent one may accelerate), caps them at the top of the
// range and maps the grade when the post changes. [PayScale.Payslip] turns the grade
// into monthly pay by the coefficient formula (previous-year city average wage × uplift
// × grade coefficient) or the fixed-amount formula (post + level + title + performance
// pay) or a district's own [Formula] (expr-lang, compiled once, sandboxed, integer fen
// only), and [PayScale.Explain] tells the worker how, line by line. Everything is
// policy: Ningxia's four posts and twenty-four grades with a two-year step is a profile.
//
// # Report rewards
//
// A grid worker whose report to the police is verified claims a reward ([Claim]). The
// [Schedule] sets the amount by category, outcome and contribution, caps what one
// worker may earn in a period, rewards a series of related cases once, and gives a
// matter's reward to its first valid reporter only; later reporters are told why they
// get nothing. Claims are approved or rejected with a reason, paid from the fund of the
// police responsibility area (at least ¥35,000 a year), and clawed back if the report
// later proves invalid. A fund never overdraws: a payment waits, is reduced or is
// charged to a named overflow fund, as policy says. A year-end special award shares out
// what policy says among the top workers of a named ranking.
//
// # Money
//
// Money is integer fen ([Fen]); rates are basis points ([Rate]); every rounding goes
// through [RoundDiv], half up (四舍五入). Payments are postings in a double-entry ledger
// (package [github.com/gridgov/gridgov/rewards/ledger]) with idempotency keys, reversing
// postings instead of edits and a hash chain. [Service.Reconcile] proves the ledger's
// invariants and completes or rolls back operations a crash interrupted.
//
// Periods (pay months, cap periods, assessment years) are counted in China Standard
// Time (UTC+8).
package rewards
