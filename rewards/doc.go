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
// range and maps the grade when the post changes. [PayScale.Payslip] turns it into
// monthly pay by one of three families:
//
//   - the coefficient family: the previous year's average wage of all employed persons
//     in urban units (城镇全社会单位就业人员平均工资, read from the city statistics bureau's
//     annual bulletin, ÷ 12) × uplift × the grade's coefficient, with an optional policy
//     floor (no grade below, say, the city average); the default coefficients are
//     illustrative;
//   - the fixed-yuan scheme as the city document states it ([FixedYuanPayScale]): post
//     pay 2800/2500/2300; level pay 50 + 60 per level over 12 levels counted by years
//     worked (three years or less is level 1); title pay 300/500/800 for the social-work
//     certificate, which adds no level; +300 for one person who is both party secretary
//     and director (书记主任"一肩挑"); performance pay (绩效工资) of 200 a month plus an
//     annual reward by the four assessment grades (优秀, 称职, 基本称职, 不称职);
//   - a district's own [Formula] (expr-lang, compiled once, sandboxed, integer fen only).
//
// [PayScale.Explain] tells the worker how, line by line; the band and assessment grade
// it cites are exactly those the caller passes in [Evaluation] (package evaluation
// supplies them). Everything is policy: Ningxia's four posts and twenty-four grades
// with a two-year step is a profile.
//
// # Report rewards
//
// A grid worker whose report to the police is verified claims a reward ([Claim]). The
// [Schedule] sets the amount by category, outcome and contribution, caps what one
// worker may earn in a period, rewards a series of related cases once, and gives a
// matter's reward to its first valid reporter only; later reporters are told why they
// get nothing. Claims are approved or rejected with a reason, paid from the fund of the
// police responsibility area (警务责任区, at least ¥35,000 a year), and clawed back if the
// report later proves invalid. A claim is refused when its report time lies after the
// command's time or its area has no open fund. A fund never overdraws: a payment waits, is reduced or is
// charged to a named overflow fund, as policy says. A year-end special award shares out
// what policy says among the top workers of a named ranking.
//
// # Who may do what
//
// Every command that moves a claim or money names a [hierarchy.Actor]: a person and the
// post they act in, checked against the [hierarchy.Tree] the [Service] holds — the post
// exists, is the person's and is active at the service clock's time (rule auth.post).
// The policy's Roles list, per [Action], the roles that may issue it (rule auth.role);
// an action without a rule is refused to everyone, [AnyRole] must be written out to
// open one to any role, and a policy without role rules does not validate: a misspelt
// key fails closed. Scope is the post's unit and what lies under it (rule auth.scope): a
// police station's officers act for the responsibility areas (beats) under it, a grid
// worker for the grid. Separation of duties (职责分离, rule rewards.separation): nobody
// approves, rejects, pays or claws back a claim that is their own or that they
// submitted. A claim's worker must hold a post of the tree when reporting (rule
// rewards.worker-post). A grant of the tree ([hierarchy.Tree.HasRight]) can stand in for
// the role and scope when the policy's Rights name a right for the action. Refusals
// wrap [gridgov.ErrForbidden].
//
//	svc.Approve(ctx, claimID, hierarchy.Actor{Person: "zhang-wei", Post: "zhang-wei@beat-07"})
//
// # Money
//
// Money is integer fen ([Fen]); rates are basis points ([Rate]); every rounding goes
// through [RoundDiv], half up (四舍五入). Arithmetic on money is checked ([Fen.Add],
// [Fen.Sub], [Fen.Mul], [MulRate], [RoundDiv] return an error, rule money.overflow, never
// a wrapped amount), and Validate bounds every amount, wage and rate ([MaxAmount],
// [MaxWage], [MaxRate]), so a valid scale never pays a negative line. Deposit and
// fund-opening references are idempotency keys: reused with another amount they are
// refused (ErrConflict); a fund already open is topped up only when [FundOpening].TopUp
// asks for it. Payments are postings in a double-entry ledger
// (package [github.com/gridgov/gridgov/rewards/ledger]) with idempotency keys, reversing
// postings instead of edits and a hash chain. [Service.Reconcile] proves the ledger's
// invariants and completes or rolls back operations a crash interrupted.
//
// Periods (pay months, cap periods, assessment years) are counted in China Standard
// Time (UTC+8).
package rewards
