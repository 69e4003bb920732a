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
// the subpackages: hierarchy, grid, calendar, escalation, mediation, rewards and store.
package gridgov
