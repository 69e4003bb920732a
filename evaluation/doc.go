// Package evaluation records ratings and computes the scorecards that feed pay and
// rewards: reverse evaluation, per-whistle and per-case ratings, bundled assessment,
// third-party satisfaction surveys, first-secretary projects, sunk-down attendance,
// the loop's overall evaluation, ranking and grade bands, and the control of what may
// be imposed on communities.
//
// # Ratings
//
// A community rates the units and people seconded (下沉) to it — its reverse-evaluation
// right (反向评价权) — and a street rates the district departments it summoned, one
// whistle one rating and one case one rating (一哨一考核、一件一考核), and for a period.
// A [RatingRule] names the right the rater's unit must hold over the subject
// ([hierarchy.Tree.HasRight]) at the time of the rated work: the summons of a
// whistle, the closure of a case, or the last instant of a period rated so far. The
// submitting person acts in a post that must be in force when they submit
// ([hierarchy.Tree.ActorPost]). There is one rating per rater unit × subject ×
// target; a second submission amends it and the earlier answers move to its History.
// Refusals are [*gridgov.Error] values wrapping [gridgov.ErrForbidden] whose Rule says
// why: rating.no-right, rating.seconded-elsewhere, rating.secondment-ended,
// rating.window-closed (each rule has a window of days after the work ends).
//
// Criteria are policy: each has a weight and a scale of answers with partial credit
// (满意 1, 基本满意 0.9, 不满意 0, in millionths). A criterion answered [NA] is left out
// and the other weights renormalised: it never counts as zero. A rating whose every
// criterion is N/A is kept but counts in no average. The facts a rating rates — whom
// a whistle summoned and whether they reported in on time, when a case closed — are
// read through the small [Facts] interface ([EscalationFacts] reads them from
// escalation), not copied; a criterion may be answered from those facts instead of by
// the rater (Qinhuai's whistle ratings score report-in timeliness, 报到及时, from
// escalation's deadline).
//
// # Scorecards
//
// A [Scorecard] is policy: indicators with a weight, a direction and a source (a rate
// of the overall evaluation, a mediation rate, a rating average, a survey, projects,
// attendance, another card's score, a district input, an event count), a normaliser
// (linear between floor and target, threshold bands, a deduction per step below a
// threshold or per event, with a cap) and grade bands (优秀 / 称职 / 基本称职 / 不称职 by
// default, [QinhuaiGrades]). The weights must sum to the card's Total; the score is
// out of Max points. An indicator whose input is undefined (0/0) does not apply and
// the others are renormalised; an indicator whose input is missing altogether is an
// error naming it. A card may read the score of another: the communities below a
// street (roll-up), or the community paired (结对) with a department — bundled
// assessment (捆绑式考核). District formulas ([Formula], expr-lang) are compiled once,
// typed against their inputs and bounded in nodes and memory: an indicator's formula
// normaliser turns its input into credit, a card's formula decides the score from the
// indicators' points; one that does not compile is a policy error naming the card or
// indicator. [Policy.Validate] reports every problem with its path
// (scorecards.street.indicators[2].weight: …) and a policy that fails it is never
// used. The Qinhuai defaults ([QinhuaiPolicy]) hold cards for a street, a community,
// a department (with street ratings, sunk-down attendance and the paired community's
// score), a grid worker and a first secretary, and the hotline's "three rates" (response, resolution, satisfaction,
// 30/35/35) as one card; Dongcheng's rule that street ratings make up about a third of
// a department's annual score is a card of two indicators weighted 1 and 2 (see the
// examples).
//
// # Assessments that feed the cards
//
// Third-party satisfaction surveys (群众满意度第三方调查, [Survey]) always carry their
// sample size, and a sample below the policy's minimum is flagged on every score that
// reads it. First secretaries (第一书记) must lead the policy's number of livelihood
// projects a year ([Inputs.AddProjects]): completed projects count over the larger of
// those led and the minimum. Sunk-down attendance (下沉: at least one day in a community
// every two weeks, [AttendanceRule]) is measured per cadre and per department from
// attendance records.
//
// # Numbers and the one rounding rule
//
// Credits, rating scores and ratios are integers in millionths ([Full] is one); a
// decided score is [Points], integer hundredths of a point. Normalisation and the
// weighted sum are exact rationals; they are rounded once, half away from zero
// (四舍五入), to hundredths of a point. The same rule fixes a rating's score to
// millionths when it is recorded. Grade bands compare the decided integer: a score of
// exactly a band's Min earns that band (89.995 rounds to 90.00 and is 优秀; 89.994 is
// 89.99 and is not).
//
// # Results
//
// Results are per subject and period, ranked within peer groups (a card's RankWithin
// level) by standard competition ranking: equal scores share a place and the next
// place skips (95, 90, 90, 80 rank 1, 2, 2, 4). [Results.Top] and [Results.Bottom]
// give the red and black lists, ties at the cut included. [PayEvaluation] and
// [Assessment] turn a result into the [rewards.Evaluation] and [rewards.Assessment] a
// payslip reads, so the grade decided here is what [rewards.PayScale.Explain] cites.
// [Results.Explain] renders every score down to the raw ratings.
//
// # Overall evaluation (综合评价)
//
// The seventh stage of the standard loop is an [OverallEvaluation] record per unit and
// period, derived from escalation's metrics ([OverallFromReport]) and stored by
// [Service.RecordOverall]; scorecards read its rates as their metric source.
//
// # Community workload (准入 / 退出, 费随事转)
//
// Each community has an admitted task list and a list of purchased services
// ([CommunityList]). A department's request to add a task names the funding that comes
// with it (费随事转, the funding follows the task); only a holder of [RightAdmitTask]
// (the district) approves it or withdraws a task (退出); work outside the list can only
// be bought as a service. A card imposed on communities must measure admitted items
// only ([CommunityList.CheckImposed]).
package evaluation
