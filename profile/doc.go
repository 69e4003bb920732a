// Package profile loads a district profile (区情配置): one YAML file, JSON accepted,
// that holds a district's whole rule set — its level schema, grid policy, taxonomy and
// routing, deadlines and escalation ladder (逐级上报), whistle rules (吹哨报到), calendar,
// mediation limits, pay scale (薪酬等级), reward schedule (一案一奖) and funds, ratings and
// scorecards (考核评价; credits of a rating scale are written in millionths, 1000000 for
// full credit) — and
// returns each package's policy, checked by that package's own Validate.
//
// Three profiles are shipped ([Embedded]): "qinhuai", the default, equal to the
// packages' Qinhuai constructors; "rural-county", four party levels (县委, 乡镇党委,
// 村党支部, 网格党小组) and the "four posts, twenty-four grades" pay scale (四岗二十四级);
// and "national", whose level schema takes the national division register as it is,
// cities without counties (东莞 441900, 中山 442000, 儋州 460400) holding townships
// directly.
//
// # Strictness
//
// Loading fails closed: a misspelt rule never widens what anyone may do. Unknown keys,
// duplicate keys, wrong types (a quoted number, "yes" for a boolean), values a notation
// refuses and every finding of a package's Validate are errors, all reported at once
// as an [ErrorList], each "file:line:col path: message" with the source line:
//
//	district.yaml:88:15 rewards.schedule.rows[3].amount: 0 fen must be within 1–100000000000
//	    88 |       amount: 0
//	       |               ^
//
// A package's Validate names a path ("schedule.rows[3].amount"); the loader keeps an
// index of every path it decoded and points the finding at the value (or, for a field
// left out, at the mapping that lacks it). A profile without extends must write every
// section, and every key the package does not mark optional (omitempty in its yaml
// tag): a forgotten guard such as separation.finder_may_not_handle is an error, never
// a silent false. A profile that extends another inherits what it leaves out.
//
// # Notations
//
//   - Money is written in yuan: ¥500, 500, 500.00, ¥1,387,000.50. A bare number is
//     yuan, never fen; more than two decimal places (a fraction of a fen) is an error.
//     It is converted exactly, never through a float, to [rewards.Fen]. Inside a
//     flow mapping ({…}) quote an amount with separators ("¥1,200"): the comma ends a
//     flow value.
//   - Rates ([rewards.Rate]) are a percentage with at most two places (90%, 12.5%) or
//     a decimal with at most four (0.9, 1.25).
//   - Durations are Go durations: 30m, 2h, 1h30m, positive.
//   - Time limits ([escalation.Limit]) are 3wd (three working days, until the end of
//     office hours of the third working day), 2h office (two hours of office time on
//     working days) or 30m clock (thirty minutes of elapsed time, nights and holidays
//     included); the mapping form {working_days: 3} is accepted too.
//   - Mediation time spans are mappings: {months: 1, roll_over: true}, {working_days: 5}.
//   - Points of the escalation ladder (escalation.at, warn_at) are whole percentages
//     of a step's time limit: [100%, 150%, 200%], warn_at: 80%. A bare number or a
//     fraction of a percent is an error.
//   - Shares of the evaluation section — the credit an answer of a rating scale or a
//     band of a normaliser earns, and a normaliser's floor, target, threshold, step
//     and band minimums when its indicator's input is a ratio — are a percentage with
//     at most four places (90%, 90.5%) or a decimal with at most six (0.9), held
//     exactly in millionths as the evaluation package counts them (1 is 1 000 000).
//     More places than a millionth holds are an error, and so is a bare number other
//     than 0 and 1: raw millionths (900000) are not accepted. A normaliser of an
//     events input counts events: its values are whole numbers, and a share there is
//     an error.
//
// # Extends
//
// "extends: qinhuai" starts from a shipped profile, "extends: base.yaml" from a file
// next to this one (within the same directory tree). The extending file overrides
// parts of its base: mappings merge key by key, a key set to null (~) is removed,
// lists replace the base's list. A list tagged !append is added to the end of the
// base's list, and a mapping tagged !replace replaces the base's mapping instead of
// merging with it. Every value remembers the file that set it ([Profile.Origin]), so
// errors and diffs name it.
//
// # Diff
//
// [Diff] lists, rule by rule, the values two profiles set differently, each side with
// its file and line, in the canonical notation (so ¥500 and 500.00 are the same rule):
// the material of a policy review. List items are matched by the field that names them
// (id, level, key, kind, post, period or category).
//
// # A complete profile
//
// A district close to Qinhuai writes only what differs:
//
//	# gulou.yaml
//	extends: qinhuai
//	name: gulou
//	description: Gulou district, Nanjing
//	hierarchy:
//	  name: gulou
//	escalation:
//	  version: gulou-2026
//	  deadlines: !append
//	    - {step: handle, category: E01, limit: 5wd} # city appearance: five working days
//	  roles:
//	    rebase: ~                                   # any platform role may rebase
//	  whistle:
//	    types:
//	      emergency: {report_in: 20m clock, resolve: 12h clock}
//	grid:
//	  households: {min: 250, max: 450}
//	  address:
//	    strip_prefixes: [江苏省, 南京市, 鼓楼区]
//	calendar:
//	  days:
//	    - {date: "2027-01-01", kind: off, name: 元旦}
//	mediation:
//	  brand: {name: 鼓楼调解工作室, prefix: GLTJ, digits: 3}
//	rewards:
//	  schedule:
//	    rows:
//	      - {category: police, outcome: verified, amount: ¥30}
//	      - {category: police, outcome: case-solved, contribution: direct, amount: ¥300}
//	      - {category: epidemic, outcome: verified, amount: 10.00}
//	    worker_caps: [{period: month, amount: "¥1,200"}]
//	  funds:
//	    floor: ¥40,000
//	    year_end: {share: 40%, top: 10, ranking: rewards-paid, split: proportional}
//
// The shipped profiles (profiles/*.yaml in this package) write every section out and
// are the reference for each key. The sections map to: hierarchy → [hierarchy.Schema],
// grants → [hierarchy.Grant] (checked against a tree by [Profile.BuildTree]),
// escalation → [escalation.Policy], grid → [grid.Policy], calendar →
// [calendar.Options], mediation → [mediation.Policy], rewards → [rewards.Policy]. Each
// mapping lives in one file of this package named after the package.
//
// The command gridgov (cmd/gridgov) checks profiles and diffs them outside Go.
package profile
