// Package escalation runs grid-governance event cases (事件) through their closed loop
// (闭环处置), routes them to the unit that answers for them (1+12+N), tracks their
// deadlines in working time, escalates them when they run late, and measures how well a
// district closes them.
//
// # The closed loop
//
// Patrol is separated from handling (巡办分离): a grid worker finds and reports a problem
// (上报), the platform files it (立案) or voids it as invalid (作废), dispatches it (派遣) to
// the unit that answers for it, that unit accepts and handles it (处置) and reports back
// (反馈), the platform verifies the result (核查) and closes the case (结案). A unit that
// received a case it does not own returns it (退回) for re-dispatch; a failed
// verification sends the case back for rework (返工); a case that cannot move for
// objective reasons is parked (挂账), which stops its clock; a supervisor may put any
// open case under supervision (督查). The states and the commands that move between them
// are one table ([Transitions], [Next]); guards on the table keep the roles apart: the
// finder may not handle, the handler may not verify or close, and the person who
// reported may not verify. A grid worker may close a minor case they solved on the spot
// (自行处置) only where the policy allows it. Closed cases stay closed: a complaint after
// closing opens a new, linked follow-up case.
//
// # Routing (1+12+N)
//
// One district platform, twelve street sub-centres and N department and community
// sub-centres share the work. A [Policy]'s routing table maps category × territory to the
// responsible unit: components (部件) go to their owner (权属单位) first and then to the
// territory, events (事件) the other way; an asset or road layer overrides the table where
// a department owns a road or asset inside someone else's territory. Police matters found
// by grid workers go at once to the community police officer (社区民警) of the beat (警格)
// containing the point, through a [BeatResolver] the grid package can provide; non-police
// items arriving from the police go to the community owning the grid; a major emergency
// goes straight to the district command centre. The unit first dispatched a complex case
// owns it (首接责任): it may pull others in ([Assist]) but may not return it.
//
// # Whistle and report-in (吹哨报到)
//
// A community that cannot solve a case blows the whistle ([BlowWhistle]) to its street:
// routine, special or emergency. The street summons departments ([Summon]), which must
// report in ([ReportIn]) within the policy's time limit (working time, or clock time for
// emergencies); for complex cases the district leaders assigned to the street (包块)
// are summoned too. Every summons and report-in is recorded, on time or late, and so is
// the outcome; an unresolved whistle goes up to the district.
//
// # Deadlines and escalation
//
// Every step has a time limit by category and complexity, in working time on a
// [calendar.Calendar] (or clock time for emergencies). Deadlines are never stored as
// facts: [Policy.Timeline] folds the case's history — cycles started by a return or a
// rework, completed cycles kept, pauses while parked with the paused time kept — so
// they can always be recomputed after a calendar or policy change. A step running late
// warns first (at 80% of its time by default) and then escalates the case one level at
// a time (grid → community → street → district), each level exactly once.
//
// A deadline that depends on a year whose State Council holiday notice the calendar
// has not loaded is counted on the statutory holidays alone and marked provisional
// ([Timer.Basis], [Case].DeadlineProvisional); on a strict calendar it is refused
// instead (no deadline, no warning or escalation). Once the district loads the
// notice, refreshing the case ([Policy.Refresh]) recomputes the deadline and clears
// the mark.
//
// A unit may run its own calendar (a 24×7 command centre, a street office on office
// hours), inherited down the tree: with [Env].Calendars (a [calendar.Set]) each timer
// runs on the calendar of the unit responsible for its step — the owner the case was
// dispatched to for responding and handling, the case's location unit (its
// territory's platform) for filing, dispatch, verification and closing, the unit a
// whistle was blown to for the whistle. The unit is read from the history and fixed
// when the timer starts, so a timer keeps one calendar to its stop; an owner changes
// only through a return and a new dispatch, which start a new cycle, so a cycle runs
// on the calendar of the owner when its clock started. [DueFor] and
// [Service.Due] list what must warn or escalate now, so the embedding system drives
// escalation from its own scheduler; nothing in this package starts a goroutine. A case
// keeps the version of the policy it was filed under; moving it to a newer policy is an
// explicit [Rebase].
//
// # Authorization
//
// Every command names a [hierarchy.Actor]. The organisation tree decides its scope: the
// platform side (streets, communities, their offices and command centres) acts on cases
// located in its subtree, a department on cases dispatched to it. The policy says which
// roles may issue which command. A refusal is a [*gridgov.Error] of kind
// [gridgov.ErrForbidden] whose Rule names the rule.
//
// # Pure core and service
//
// [Policy.Apply] is a pure decision: the case, the command, the time and an [Env] (tree,
// calendar, beat resolver) in; a new case and its events out. It never modifies its
// input and reads no clock. [Service] adds a store, a clock, IDs and a registry of policy
// versions ([PolicySet]) and saves every decision with compare-and-swap. [Compute]
// measures any set of cases over any period, per unit and rolled up the tree, with
// exact integer rates ([Rate]).
package escalation
