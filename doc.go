// Package gridgov holds what every gridgov package shares: the kinds of error
// ([ErrNotFound], [ErrConflict], [ErrInvalid], [ErrForbidden], [ErrPrecondition]) and the
// structured [Error] that names the rule that refused a command, the injectable [Clock],
// and the [IDGenerator] of ULIDs for records created at run time.
//
// gridgov turns the rules of urban grassroots governance (基层治理) — the organisation
// tree, grid management (网格化管理), closed-loop event handling, whistle and report-in
// (吹哨报到), mediation (调解), report rewards and the community workers' pay scale — into
// packages a district platform imports and configures. Its reference is Nanjing's
// Qinhuai district; every rule is data another district can change. The domain lives in
// the subpackages: hierarchy, identity, grid, calendar, escalation, mediation, rewards,
// evaluation (ratings and scorecards, 考核评价) and store; profile loads a district's
// whole rule set from one file, and cmd/gridgov checks and compares such files.
//
// # Who acts
//
// Every command that moves a case or money names a [hierarchy.Actor]: a person and the
// post (a [hierarchy.Post] ID) they act in. Each service checks, at the command's
// time, that the post exists, is the person's and is in force
// ([hierarchy.Tree.ActorPost]), or that a grant gives the right instead
// ([hierarchy.Tree.HasRight]); then what the post's role and territory allow under the
// package's policy. The zero Actor is the system (scheduled warnings and
// escalations). A refusal is an [*Error] of kind [ErrForbidden] whose Rule names the
// rule; a rule missing from a policy refuses, it never permits.
package gridgov
