// Package hierarchy models the organisation tree (组织架构) of grassroots governance: the
// territorial levels, the party organisations that follow them, the departments and
// other units attached to them, the people and their posts, the relations that send
// power down, and the rights that result.
//
// # The tree
//
// A [Schema] is the shape of the territory as data. Qinhuai's ([QinhuaiSchema]) runs
// district (区) → street (街道) or functional zone (功能区) → community (社区) → grid
// (网格) → building (楼栋) → household (户); a rural county's four levels are another
// schema, written in a file, with no code change. Each territorial unit can carry its
// party organisation (街道党工委 → 社区党委 → 网格党支部 → 楼栋党小组 → 党员中心户: "the
// branch is built on the grid"). Non-territorial units attach where the schema allows:
// district departments, the street's five departments, one bureau and two centres
// (五部一局两中心), police stations and their beats (警格), the command platform and
// sub-centres of 1+12+N, action party branches (行动党支部) whose members come from
// several organisations, mediation rooms, and outside organisations identified by their
// unified social credit code.
//
// A [Builder] collects units, people ([Person], resident IDs validated and masked by
// package identity), posts ([Post]: a person may hold several, a community has two
// commanders, 双指挥长), secondments ([Secondment], 下沉: who holds the secondee's party
// relations, attendance and appraisal), pairings ([Pairing], 结对), leader assignments
// ([Assignment], 包块 and 包条) and grants, and [Builder.Build] checks them all at once,
// returning every problem joined: cycles, several roots, a level not allowed under its
// parent, duplicate IDs or codes, a 12-digit division code that does not extend its
// parent's, dangling references. [LoadDivisionsCSV] reads the statistical division
// register into a Builder and names the line of each problem; it takes UTF-8 text only
// and refuses, before storing any name, bytes that are not UTF-8 (saying so when they
// look like GBK/GB18030), NUL and other control characters.
//
// # Queries
//
// A [Tree] is an immutable snapshot numbered in depth-first preorder, so that
// [Tree.IsAncestor] and [Tree.Contains] take constant time and [Tree.Subtree] walks a
// contiguous range. A tree that follows its division codes (统计用区划代码) also resolves
// those IDs from their digits instead of a hash probe, and reads ancestry from them (see
// [Tree]). It answers parent, children, ancestors, lowest common ancestor, path, by code, by level, who serves a unit ([Tree.ServedBy]: posts and secondees), the
// scope of a person at a time ([Tree.ScopeOf]) and the leaders to call when a street
// blows the whistle ([Tree.LeadersOf]).
//
// # Rights
//
// Rights are data ([Grant]): "every street may be informed of district departments'
// decisions", "a community may reverse-evaluate the units and people seconded to it"
// ([QinhuaiGrants]). A grant held at a unit covers the unit's subtree unless it says
// otherwise, may be narrowed to a level, a kind or the roles of the people acting, and
// has its own validity dates; relation grants follow secondments and pairings, so an
// ended secondment grants nothing without any clean-up. [Tree.HasRight] answers
// "may this unit or person do this to that unit or person at that time" without
// allocating, in about a hundred nanoseconds on a national register (a few hundred when
// the register is out of cache); escalation and evaluation call it on every
// command.
//
// # Change over time
//
// A [ChangeSet] with an effective time produces a new version; a [History] keeps the
// versions and answers [History.AsOf] any time, and [Diff] lists what changed between
// two versions. A [HistoryStore] persists a history through the storage port as one
// document per change set.
//
// All times are half-open intervals [Start, End): a zero Start means since always, a
// zero End means open-ended. Trees and histories are safe for concurrent use; builders
// are not.
package hierarchy
