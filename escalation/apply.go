package escalation

import (
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
)

// Env is what a decision reads besides the case, the command and the time: the
// organisation tree, the working calendars, the beat resolver and who issues the
// command. Env is a plain value; the tree and calendars are immutable and shared.
type Env struct {
	Tree *hierarchy.Tree
	// Calendar is the working calendar of every unit when Calendars is nil.
	Calendar *calendar.Calendar
	// Calendars, when set, gives each unit its own calendar (a 24×7 command centre, a
	// street office on office hours), inherited down Tree; it decides, and Calendar is
	// not read. Each timer runs on the calendar of the unit responsible for its step:
	// see [Timer.Unit].
	Calendars *calendar.Set
	// Beats finds the community police officer of a location; nil routes police matters
	// by the table like any other category.
	Beats BeatResolver
	// Actor issues the command; the zero Actor is the system (warnings, escalations).
	// Its Post is the ID of a post of Tree held by its Person and in force at the
	// command's time; the ID's shape is the tree's business.
	Actor hierarchy.Actor
}

// Apply decides cmd on case c at time at: it checks the policy version, the order of
// time, the state table ([Next]), the actor's authority ([Policy.Authorize]) and the
// command's guards, and returns the new case and the events appended to its history.
//
// Apply is a pure function: it never modifies c or any element c can see, never
// reads a clock, and gives the same result for the same inputs. The new history may
// share c's array, with the new events in room behind it that Apply claims atomically
// (see [Case]); applying two commands to the same c, even concurrently, gives two
// histories no element of which the other can see. The returned history starts
// with c's and ends with the returned events; the derived Deadline and NextCheck are
// refreshed from [Policy.Timeline].
//
// The returned events are the tail of the returned case's history and share its
// memory: treat both as read-only.
//
// The command is validated in full before anything else is decided: a command
// that is not one of this package's, a field naming nothing the policy knows, a point
// that is not a finite coordinate, a datum not listed, a missing reason are
// [gridgov.ErrInvalid] in any state, never a precondition.
//
// A partial case (see [Case.Complete]) is decided from the fold state its head
// carries, exactly as the whole case would be, except a rebase: it folds the whole
// history anew, and on a partial case it is refused with rule "case.history".
//
// A refused command returns no case and a [*gridgov.Error] whose Kind is
// [gridgov.ErrForbidden] (authority, jurisdiction, separation of roles,
// first-receiver responsibility), [gridgov.ErrPrecondition] (the state or the clock
// does not allow it), [gridgov.ErrInvalid] (a malformed command) or
// [gridgov.ErrNotFound] (an unknown unit or person), and whose Rule names the rule.
func (p *Policy) Apply(c Case, cmd Command, at time.Time, env Env) (Case, []Event, error) {
	return p.apply(c, cmd, at, env, false)
}

// apply is Apply; with save, it also sets the result's folded state, for [Service] to
// store with the case's head.
func (p *Policy) apply(c Case, cmd Command, at time.Time, env Env, save bool) (Case, []Event, error) {
	if cmd == nil {
		return Case{}, nil, &gridgov.Error{Op: "escalation.Apply", Kind: gridgov.ErrInvalid, Rule: "command.required", Msg: "nil command"}
	}
	a := cmd.Action()
	op := opOf
	if err := p.check(cmd); err != nil {
		return Case{}, nil, err
	}
	if env.Tree == nil || (env.Calendar == nil && env.Calendars == nil) {
		return Case{}, nil, &gridgov.Error{Op: op(a), Kind: gridgov.ErrInvalid, Rule: "env.required", Msg: "the environment needs a tree and a calendar (or a calendar set)"}
	}
	if rb, ok := cmd.(Rebase); ok {
		if rb.Version != p.Version {
			return Case{}, nil, &gridgov.Error{Op: op(a), Kind: gridgov.ErrInvalid, Rule: "rebase.version",
				Msg: fmt.Sprintf("apply a rebase to %q with that policy, not %q", rb.Version, p.Version)}
		}
	} else if c.State != "" && c.PolicyVersion != p.Version {
		return Case{}, nil, &gridgov.Error{Op: op(a), Kind: gridgov.ErrPrecondition, Rule: "policy.version",
			Msg: fmt.Sprintf("case %s is under policy %q, not %q; rebase it explicitly", c.ID, c.PolicyVersion, p.Version)}
	}
	if c.prefix != nil {
		if _, ok := cmd.(Rebase); ok || c.prefix.Policy != p.Version || (c.prefix.N > 0 && c.prefix.Loc != c.Location.Unit) {
			// The prefix was folded under another policy (or another location): only
			// the whole history can be folded anew.
			return Case{}, nil, errNeedHistory
		}
	}
	if last, ok := c.lastAt(); ok && at.Before(last) {
		return Case{}, nil, &gridgov.Error{Op: op(a), Kind: gridgov.ErrInvalid, Rule: "time.order",
			Msg: fmt.Sprintf("%s is before the case's last event at %s", at.Format(time.RFC3339), last.Format(time.RFC3339))}
	}
	to, ok := Next(c.State, a)
	if !ok {
		return Case{}, nil, &gridgov.Error{Op: op(a), Kind: gridgov.ErrPrecondition, Rule: "state.transition",
			Msg: fmt.Sprintf("%s is not allowed in state %q", a, c.State)}
	}
	post, err := p.authorize(&c, cmd, at, env)
	if err != nil {
		return Case{}, nil, err
	}
	_ = to // each decision sets the state the table allows; the fuzz test checks it
	// The new events go behind c's history in room no other case can see: claimed
	// room behind c's own array when c is the newest case on it, else a fresh copy.
	first := len(c.History)
	var (
		hist    []Event
		claimed *room
	)
	if first == 0 && (c.prefix != nil || save) {
		// A head the Service read, or a case it files: its decision is stored, not
		// chained, so the eight events of room grow gives a new case would be waste.
		// Most decisions add one event; the few that add more grow the array once.
		hist = make([]Event, 0, 1)
	} else {
		hist, claimed = c.spare.grow(c.History)
	}
	d := decision{p: p, env: env, at: at, action: a, post: post, c: c, hist: hist}
	if err := d.run(cmd); err != nil {
		settle(claimed, first, nil)
		return Case{}, nil, err
	}
	base := 0
	if c.prefix != nil {
		base = c.prefix.N
	}
	for i := first; i < len(d.hist); i++ {
		e := &d.hist[i]
		e.Seq = base + i + 1
		e.At = at
	}
	n := len(d.hist)
	// Clipped, so that an append by the caller copies instead of writing into the room.
	d.c.History = d.hist[:n:n]
	if save && claimed == nil {
		// The Service stores the result instead of chaining on it: room behind its
		// history would go unused (a caller who chains on it gets a copy, as for a
		// decoded case).
		d.c.spare = spare{}
	} else {
		d.c.spare = settle(claimed, first, d.hist)
	}
	d.c.folded = nil
	p.refresh(&d.c, env.cals(), save)
	return d.c, d.hist[first:n:n], nil
}

// CalendarFor returns the working calendar of unit u: its own or its nearest
// ancestor's in Calendars (through Tree), else the set's fallback; Calendar when
// Calendars is nil.
func (e Env) CalendarFor(u hierarchy.UnitID) *calendar.Calendar { return e.cals().of(u) }

// cals resolves the calendar of a unit. Without a set it is one calendar for all and
// resolves nothing, so the common case costs what a single calendar did.
type cals struct {
	def  *calendar.Calendar
	set  *calendar.Set
	tree *hierarchy.Tree
}

func (e Env) cals() cals { return cals{def: e.Calendar, set: e.Calendars, tree: e.Tree} }

func (k cals) of(u hierarchy.UnitID) *calendar.Calendar {
	if k.set == nil {
		return k.def
	}
	var parent calendar.ParentFunc
	if t := k.tree; t != nil {
		parent = func(id string) (string, bool) {
			p, ok := t.Parent(hierarchy.UnitID(id))
			return string(p), ok
		}
	}
	return k.set.For(string(u), parent)
}

// errNeedHistory is returned by Apply on a partial case (see [Case.Complete]) that
// only its whole history can decide: a rebase, or a prefix folded under another
// policy. [Service] then reads the history and decides again.
var errNeedHistory = &gridgov.Error{Op: "escalation.Apply", Kind: gridgov.ErrPrecondition, Rule: "case.history",
	Msg: "this command needs the case's whole history; the case holds only its latest events"}

// refresh recomputes the derived fields of c; with save, also c.folded, the fold
// state after its whole history, for the next command to resume from.
func (p *Policy) refresh(c *Case, k cals, save bool) {
	c.Deadline, c.NextCheck = time.Time{}, time.Time{}
	c.DeadlineProvisional, c.DeadlineRefused = false, false
	if !save && !c.State.Open() {
		return
	}
	var (
		tbuf [8]Timer
		cbuf [4]Cycle
		pbuf [4]Pause
		box  *foldBox
	)
	if save {
		box = new(foldBox)
	}
	tl := p.fold(c, k, Timeline{Timers: tbuf[:0], Cycles: cbuf[:0], Pauses: pbuf[:0]}, false, box)
	if save {
		c.folded = &box.fs
	}
	if !c.State.Open() {
		return
	}
	for i := range tl.Timers {
		t := &tl.Timers[i]
		if !t.Running() {
			continue
		}
		c.DeadlineRefused = c.DeadlineRefused || t.Refused
		if t.Step == StepHandle {
			c.Deadline, c.DeadlineProvisional = t.Deadline, t.Provisional
			break
		}
		if !t.Deadline.IsZero() && (c.Deadline.IsZero() || t.Deadline.Before(c.Deadline)) {
			c.Deadline, c.DeadlineProvisional = t.Deadline, t.Provisional
		}
	}
	c.NextCheck = p.nextCheck(c, &tl, k)
}

// Refresh returns c with its derived Deadline and NextCheck recomputed under p on the
// calendars of env (per unit when env.Calendars is set): after a calendar change, for
// instance. c is not modified.
func (p *Policy) Refresh(c Case, env Env) Case {
	p.refresh(&c, env.cals(), false)
	return c
}

// decision is the state of one Apply. c starts as a shallow copy of the input case:
// every slice it changes is copied first (slices.Clip before append, cloneWhistles),
// and its history grows only in room spare.grow claimed or copied.
type decision struct {
	p      *Policy
	env    Env
	at     time.Time
	action Action
	post   hierarchy.Post
	c      Case
	hist   []Event // the new history: the input's events, then this decision's
	cloned bool    // whistles copied
}

func (d *decision) fail(kind error, rule, format string, args ...any) error {
	return &gridgov.Error{Op: opOf(d.action), Kind: kind, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

// emit records an event by the actor; to is the state after it.
func (d *decision) emit(e Event) {
	e.Actor = d.env.Actor
	e.ActorUnit = d.post.Unit
	d.push(e)
}

// emitSystem records an event the system did on its own (routing, escalation).
func (d *decision) emitSystem(e Event) { d.push(e) }

func (d *decision) push(e Event) {
	e.From = d.c.State
	if e.To == "" {
		e.To = d.c.State
	}
	d.c.State = e.To
	d.hist = append(d.hist, e)
}

func (d *decision) run(cmd Command) error {
	switch cmd := cmd.(type) {
	case Report:
		return d.report(cmd)
	case File:
		return d.file(cmd)
	case Void:
		d.emit(Event{Action: ActionVoid, To: Voided, Reason: cmd.Reason})
	case SelfHandle:
		return d.selfHandle(cmd.Note)
	case Dispatch:
		return d.dispatch(cmd)
	case Accept:
		if err := d.notFinder(); err != nil {
			return err
		}
		d.addHandler()
		d.emit(Event{Action: ActionAccept, To: Handling, Reason: cmd.Note, Unit: d.c.Owner})
	case Return:
		return d.ret(cmd)
	case Assist:
		return d.assist(cmd)
	case ReportBack:
		if err := d.notFinder(); err != nil {
			return err
		}
		d.addHandler()
		d.emit(Event{Action: ActionReportBack, To: Handled, Reason: cmd.Note, Unit: d.c.Owner})
	case Verify:
		return d.verify(cmd)
	case Close:
		if d.p.Separation.HandlerMayNotVerify && slices.Contains(d.c.Handlers, d.env.Actor.Person) {
			return d.fail(gridgov.ErrForbidden, "roles.handler-may-not-close", "%s handled case %s and may not close it", d.env.Actor.Person, d.c.ID)
		}
		d.emit(Event{Action: ActionClose, To: Closed, Reason: cmd.Note})
	case Park:
		d.c.ParkedFrom = d.c.State
		d.emit(Event{Action: ActionPark, To: Parked, Reason: cmd.Reason})
	case Resume:
		back := d.c.ParkedFrom
		if back == "" {
			return d.fail(gridgov.ErrPrecondition, "park.from", "case %s does not say which state it was parked in", d.c.ID)
		}
		d.c.ParkedFrom = ""
		d.emit(Event{Action: ActionResume, To: back, Reason: cmd.Note})
	case Supervise:
		d.c.Supervised = true
		u, _ := territory(d.env.Tree, d.post.Unit, true)
		d.emit(Event{Action: ActionSupervise, Reason: cmd.Reason, Unit: u})
	case Reclassify:
		return d.reclassify(cmd)
	case Warn:
		return d.warn(cmd)
	case Escalate:
		return d.escalate(cmd)
	case BlowWhistle:
		return d.whistle(cmd)
	case Summon:
		return d.summon(cmd)
	case ReportIn:
		return d.reportIn(cmd)
	case ConcludeWhistle:
		w, _ := d.c.OpenWhistle()
		return d.conclude(w.Seq, cmd.Resolved, cmd.Outcome, false)
	case EscalateWhistle:
		return d.escalateWhistle(cmd)
	case Complain:
		d.c.FollowUps = append(slices.Clip(d.c.FollowUps), cmd.FollowUp)
		d.emit(Event{Action: ActionComplain, Reason: cmd.Reason, Link: cmd.FollowUp})
	case Rebase:
		if d.c.PolicyVersion == cmd.Version {
			return d.fail(gridgov.ErrPrecondition, "rebase.same", "case %s is already under %q", d.c.ID, cmd.Version)
		}
		d.c.PolicyVersion = cmd.Version
		d.emit(Event{Action: ActionRebase, Reason: cmd.Reason, Policy: cmd.Version})
	default:
		return d.fail(gridgov.ErrInvalid, "command.unknown", "unknown command %T", cmd)
	}
	return nil
}

func (d *decision) report(r Report) error {
	t := d.env.Tree
	u, ok := t.Unit(r.Location.Unit)
	if !ok || (u.Kind != "" && u.Kind != hierarchy.KindTerritorial) {
		return d.fail(gridgov.ErrInvalid, "report.location", "location unit %q is not a territorial unit of the tree", r.Location.Unit)
	}
	cx := r.Complexity
	if cx == "" {
		cx = Ordinary
	}
	level := d.p.startLevel(t, r.Location.Unit, cx)
	d.c = Case{
		ID: r.ID, PolicyVersion: d.p.Version, Source: r.Source, Category: r.Category, Complexity: cx,
		Summary: r.Summary, Location: r.Location, Reporter: d.env.Actor, ReportedAt: d.at, FollowUpOf: r.FollowUpOf,
		Level: level,
	}
	d.emit(Event{Action: ActionReport, To: Reported, Reason: r.Note, Category: r.Category, Complexity: cx,
		Level: level, Unit: r.Location.Unit, Link: r.FollowUpOf})
	if r.SelfHandled {
		if !d.p.mayIssue(ActionSelfHandle, d.post.Role) {
			return d.p.roleRefusal(ActionSelfHandle, d.post)
		}
		return d.selfHandle(r.Note)
	}
	rd, err := d.p.Route(d.c, d.at, d.env)
	if err != nil || !rd.Direct {
		return nil // the platform files and dispatches it
	}
	d.emitSystem(Event{Action: ActionFile, To: Filed, Reason: rd.Rule})
	d.c.Owner, d.c.Assignee, d.c.FirstReceiver = rd.Unit, rd.Person, rd.Unit
	d.emitSystem(Event{Action: ActionDispatch, To: Dispatched, Reason: rd.Rule, Unit: rd.Unit, Person: rd.Person, Routed: true})
	return nil
}

// startLevel is the escalation level a case starts at: the lowest escalation level at
// or above its location, the top for a major emergency.
func (p *Policy) startLevel(t *hierarchy.Tree, u hierarchy.UnitID, cx Complexity) hierarchy.Level {
	levels := p.Escalation.Levels
	if cx == MajorEmergency {
		return levels[len(levels)-1]
	}
	for _, l := range levels {
		if _, ok := t.AncestorAt(u, l); ok {
			return l
		}
	}
	return levels[len(levels)-1]
}

func (d *decision) file(f File) error {
	e := Event{Action: ActionFile, To: Filed, Reason: f.Note}
	if f.Category != "" && f.Category != d.c.Category {
		if !d.p.knownCategory(f.Category) {
			return d.fail(gridgov.ErrInvalid, "file.category", "unknown category %q", f.Category)
		}
		d.c.Category, e.Category = f.Category, f.Category
	}
	if f.Complexity != "" && f.Complexity != d.c.Complexity {
		if !f.Complexity.valid() {
			return d.fail(gridgov.ErrInvalid, "file.complexity", "unknown complexity %q", f.Complexity)
		}
		d.c.Complexity, e.Complexity = f.Complexity, f.Complexity
	}
	d.emit(e)
	return nil
}

func (d *decision) selfHandle(note string) error {
	sh := d.p.SelfHandling
	cxs := sh.Complexities
	if len(cxs) == 0 {
		cxs = []Complexity{Ordinary}
	}
	switch {
	case !sh.Allowed:
		return d.fail(gridgov.ErrForbidden, "self-handling.not-allowed", "the policy does not allow self-handling")
	case d.env.Actor.Person != d.c.Reporter.Person:
		return d.fail(gridgov.ErrForbidden, "self-handling.finder-only", "only the finder %s may close a case solved on the spot", d.c.Reporter.Person)
	case len(sh.Categories) > 0 && !matchesAny(d.c.Category, sh.Categories):
		return d.fail(gridgov.ErrForbidden, "self-handling.category", "category %s may not be self-handled (allowed: %v)", d.c.Category, sh.Categories)
	case !slices.Contains(cxs, d.c.Complexity):
		return d.fail(gridgov.ErrForbidden, "self-handling.complexity", "a %s case may not be self-handled (allowed: %v)", d.c.Complexity, cxs)
	}
	d.emit(Event{Action: ActionSelfHandle, To: Closed, Reason: note})
	return nil
}

func (d *decision) dispatch(x Dispatch) error {
	t := d.env.Tree
	to, person, reason := x.To, x.Assignee, x.Note
	if to == "" {
		rd, err := d.p.Route(d.c, d.at, d.env)
		if err != nil {
			return err
		}
		to, reason = rd.Unit, rd.Rule
		if person == "" {
			person = rd.Person
		}
		if x.Note != "" {
			reason = x.Note + " (" + rd.Rule + ")"
		}
	} else if !hasUnit(t, to) {
		return d.fail(gridgov.ErrNotFound, "dispatch.unit", "unit %q is not in the tree", to)
	}
	if person != "" {
		if _, ok := t.Person(person); !ok {
			return d.fail(gridgov.ErrNotFound, "dispatch.assignee", "person %q is not in the tree", person)
		}
	}
	// Authorize checked that the case lies in the dispatcher's territory; what it is
	// sent to must lie within that territory's reach too.
	from, _ := territory(t, d.post.Unit, true)
	r := d.p.reachOf(from, d.at, &d.env)
	if !r.unit(&d.c, to) {
		return d.fail(gridgov.ErrForbidden, RuleJurisdiction, "%s may not dispatch case %s to %s: outside its subtree, the case's routes and its %q grants",
			from, d.c.ID, to, d.p.Routing.DispatchRight)
	}
	if person != "" && !r.personOK(&d.c, person) {
		return d.fail(gridgov.ErrForbidden, RuleJurisdiction, "%s may not assign case %s to %s: no post of theirs lies within its jurisdiction",
			from, d.c.ID, person)
	}
	d.c.Owner, d.c.Assignee = to, person
	if d.c.FirstReceiver == "" {
		d.c.FirstReceiver = to
	}
	d.emit(Event{Action: ActionDispatch, To: Dispatched, Reason: reason, Unit: to, Person: person, Routed: x.To == ""})
	return nil
}

func (d *decision) notFinder() error {
	if d.p.Separation.FinderMayNotHandle && d.env.Actor.Person == d.c.Reporter.Person {
		return d.fail(gridgov.ErrForbidden, "roles.finder-may-not-handle", "%s found case %s and may not handle it (巡办分离)", d.env.Actor.Person, d.c.ID)
	}
	return nil
}

func (d *decision) addHandler() {
	if !slices.Contains(d.c.Handlers, d.env.Actor.Person) {
		d.c.Handlers = append(slices.Clip(d.c.Handlers), d.env.Actor.Person)
	}
}

func (d *decision) ret(r Return) error {
	if slices.Contains(d.p.FirstReceiver.Complexities, d.c.Complexity) && d.c.Owner == d.c.FirstReceiver {
		return d.fail(gridgov.ErrForbidden, "first-receiver.no-return",
			"%s first received %s case %s and owns it (首接责任): pull others in with Assist instead", d.c.Owner, d.c.Complexity, d.c.ID)
	}
	owner := d.c.Owner
	d.c.Owner, d.c.Assignee = "", ""
	d.emit(Event{Action: ActionReturn, To: Filed, Reason: r.Reason, Unit: owner})
	return nil
}

func (d *decision) assist(a Assist) error {
	from, hasFrom := dispatcher(d.env.Tree, &d.c)
	r := d.p.reachOf(from, d.at, &d.env)
	for i, u := range a.Units {
		switch {
		case !hasUnit(d.env.Tree, u):
			return d.fail(gridgov.ErrNotFound, "assist.unit", "unit %q is not in the tree", u)
		case u == d.c.Owner || slices.Contains(d.c.Assisting, u) || slices.Index(a.Units, u) != i:
			return d.fail(gridgov.ErrPrecondition, "assist.duplicate", "%s already works on case %s", u, d.c.ID)
		case hasFrom && !r.unit(&d.c, u):
			// Pulling a unit in is a dispatch in part: it stays within the reach of
			// the territory that dispatched the case.
			return d.fail(gridgov.ErrForbidden, RuleJurisdiction, "%s lies outside the jurisdiction of %s, which dispatched case %s", u, from, d.c.ID)
		}
	}
	d.c.Assisting = append(slices.Clip(d.c.Assisting), a.Units...)
	for _, u := range a.Units {
		d.emit(Event{Action: ActionAssist, Reason: a.Reason, Unit: u})
	}
	return nil
}

func (d *decision) verify(v Verify) error {
	who := d.env.Actor.Person
	if d.p.Separation.HandlerMayNotVerify && slices.Contains(d.c.Handlers, who) {
		return d.fail(gridgov.ErrForbidden, "roles.handler-may-not-verify", "%s handled case %s and may not verify it", who, d.c.ID)
	}
	if d.p.Separation.ReporterMayNotVerify && who == d.c.Reporter.Person {
		return d.fail(gridgov.ErrForbidden, "roles.reporter-may-not-verify", "%s reported case %s and may not verify it", who, d.c.ID)
	}
	if v.Passed {
		d.emit(Event{Action: ActionVerify, To: Verified, Reason: v.Reason})
		return nil
	}
	d.emit(Event{Action: ActionRework, To: Handling, Reason: v.Reason, Unit: d.c.Owner})
	return nil
}

func (d *decision) reclassify(r Reclassify) error {
	e := Event{Action: ActionReclassify, Reason: r.Reason}
	if r.Category != "" && r.Category != d.c.Category {
		if !d.p.knownCategory(r.Category) {
			return d.fail(gridgov.ErrInvalid, "reclassify.category", "unknown category %q", r.Category)
		}
		e.Category = r.Category
	}
	if r.Complexity != "" && r.Complexity != d.c.Complexity {
		if !r.Complexity.valid() {
			return d.fail(gridgov.ErrInvalid, "reclassify.complexity", "unknown complexity %q", r.Complexity)
		}
		e.Complexity = r.Complexity
	}
	if e.Category == "" && e.Complexity == "" {
		return d.fail(gridgov.ErrInvalid, "reclassify.nothing", "neither the category nor the complexity changes")
	}
	if e.Category != "" {
		d.c.Category = e.Category
	}
	if e.Complexity != "" {
		d.c.Complexity = e.Complexity
	}
	d.emit(e)
	return nil
}

func (d *decision) warn(w Warn) error {
	if d.c.State != Parked && d.p.dueFor(&d.c, d.at, d.env.cals(), DueWarn, w.Step, w.Cycle, 0) {
		d.emitSystem(Event{Action: ActionWarn, Step: w.Step, Cycle: w.Cycle})
		return nil
	}
	return d.fail(gridgov.ErrPrecondition, "warn.not-due", "no warning is due for step %s of cycle %d of case %s", w.Step, w.Cycle, d.c.ID)
}

func (d *decision) escalate(e Escalate) error {
	cur := d.p.levelIndex(d.c.Level)
	levels := d.p.Escalation.Levels
	if cur+1 >= len(levels) || e.To != levels[cur+1] {
		return d.fail(gridgov.ErrInvalid, "escalate.one-level", "case %s at level %s may only rise one level, not to %s", d.c.ID, d.c.Level, e.To)
	}
	if d.p.dueFor(&d.c, d.at, d.env.cals(), DueEscalate, "", 0, cur+1) {
		d.raise(cur+1, "overdue")
		return nil
	}
	return d.fail(gridgov.ErrPrecondition, "escalate.not-due", "case %s is not late enough to rise to %s", d.c.ID, e.To)
}

// raise moves the case up to level index l, one level at a time, each as a system
// escalation event naming the supervising unit at that level.
func (d *decision) raise(l int, reason string) {
	levels := d.p.Escalation.Levels
	for cur := d.p.levelIndex(d.c.Level); cur < l && cur+1 < len(levels); cur++ {
		next := levels[cur+1]
		d.c.Level = next
		u, _ := d.env.Tree.AncestorAt(d.c.Location.Unit, next)
		d.emitSystem(Event{Action: ActionEscalate, Level: next, Unit: u, Reason: reason})
	}
}
