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
// # Taxonomy
//
// A case's category is a code of a loaded taxonomy, and the code says whose it is:
//
//   - the standard's: the six component (部件) and six event (事件) major classes of
//     CJ/T 214-2007, now GB/T 30428.2, C01–C06 and E01–E06. The standard numbers the
//     classes of each family 01–06; the letter in front ("C" for components, "E" for
//     events) is this library's, so that one code space holds both families. The
//     standard's minor classes (细类, "C0101" 上水井盖) are loaded as data like a
//     district's own: the library embeds none of them;
//   - this library's: the governance categories G01–G04 (disputes, safety hazards,
//     livelihood requests, police matters) that grid governance adds to digital city
//     management; no standard defines them or their codes;
//   - the district's: the extension classes (扩展部件, 扩展事件) that CJ/T 214-based city
//     lists carry for what the six classes of a family do not hold (shared bicycles,
//     charging posts), and every minor class a district adds. Extension classes load
//     as data with the minor classes ([ParseCategories]): a three-character code
//     "C07"–"C99" or "E07"–"E99" in the list defines one, and minor classes extend it
//     ("C0701"). No standard fixes their numbering: it is the district's choice
//     [unverified: city lists differ]. [IsExtension] tells them apart.
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
// on the calendar of the owner when its clock started. Everything that reads time
// takes the calendars in one shape, an [Env]: [Policy.DueFor], [Policy.Timeline] and
// [Policy.Refresh] read its Calendar, or its Calendars through its Tree. [Policy.DueFor]
// and [Service.Due] list what must warn or escalate now, so the embedding system drives
// escalation from its own scheduler; nothing in this package starts a goroutine. A case
// keeps the version of the policy it was filed under; moving it to a newer policy is an
// explicit [Rebase]. Limits are bounded ([MaxWorkingDays], [MaxLimitTime],
// [MaxEscalationPoint]): a policy asking for more does not validate.
//
// # Authorization
//
// Every command names a [hierarchy.Actor] (the one actor shape of the SDK: a person and
// the ID of the post they act in, as the tree holds it; this package derives nothing
// from the shape of either ID). The post must be the person's and in force at the
// command's time. The organisation tree decides its scope: the platform side (streets,
// communities, their offices and command centres) acts on cases located in its
// subtree, a department on cases dispatched to it.
//
// Jurisdiction (管辖) bounds where a case may go: a dispatch sends it, and an assignment
// a person, only within the reach of the dispatching territory — its own subtree, the
// units the routing gives the case, or a unit or person over which it holds the
// policy's dispatch right ([Routing].DispatchRight; in Qinhuai the coordination right
// 统筹协调权 streets hold over district departments) — as a summons reaches only the
// street's subtree or a unit it holds the summon right over. The owner's commands
// (accept, return, assist, report back) re-check it, so a street's dispatcher can
// neither send its case to another street's bureau or grid head nor let them act on it.
//
// The policy says which roles may issue which command, and fails closed: an action
// with no role rule is refused to everyone, unless the policy lists it explicitly
// under [Policy].AnyRole, and a policy with no role rule at all does not validate. A
// misspelt key never widens who may act. A refusal is a [*gridgov.Error] of kind
// [gridgov.ErrForbidden] whose Rule names the rule ("auth.role", "auth.jurisdiction").
//
// # Commands
//
// A command is validated in full before anything is decided: a command type from
// outside the package, a name the policy does not know, a point that is not a finite
// longitude and latitude, an unknown datum or a missing reason is [gridgov.ErrInvalid]
// whatever the state of the case. What needs the tree is checked against it (units and
// people exist, the location is territorial); what needs the store is checked by the
// [Service] (a follow-up names a stored, closed case).
//
// # Identifiers
//
// Callers follow these conventions; the package assumes nothing else:
//
//   - a [Location]'s Unit is the ID of a territorial unit of the tree (usually a grid);
//   - a street's offices are units with ID "<street unit ID>/<office key>", as
//     [hierarchy.Builder.AddOffices] creates them: [Route].Office names the key
//     ("law-enforcement" for 320104001/law-enforcement), and a territory without that
//     office answers itself;
//   - post IDs are opaque: the Qinhuai example writes them "person@unit", the tests
//     "p-person"; only the tree interprets them;
//   - case IDs are any non-empty string; [Service.Report] issues ULIDs.
//
// Compare cases with [github.com/google/go-cmp/cmp/cmpopts.IgnoreUnexported] of [Case]:
// a case carries unexported bookkeeping that is not part of it.
//
// # Pure core and service
//
// [Policy.Apply] is a pure decision: the case, the command, the time and an [Env] (tree,
// calendar, beat resolver) in; a new case and its events out. It never modifies its
// input and reads no clock. [Service] adds a store, a clock, IDs and a registry of policy
// versions ([PolicySet]) and saves every decision with compare-and-swap. It stores a
// case as a head and an append-only event log ([store.Log]): the head carries the state
// the deadline fold reached, so a command decides on the head, folds only its own
// events and appends them, at a cost that does not grow with the history; the fold
// from the head equals the fold from scratch. [Compute]
// measures any set of cases over any period, per unit and rolled up the tree, with
// exact integer rates ([Rate]).
package escalation
