package mediation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
)

// Env is what a decision reads besides the case and the command: the network of rooms
// (with its tree), the working calendar, and who issues the command.
type Env struct {
	Network  *Network
	Calendar *calendar.Calendar
	// Actor is who issues the command and in which post: a mediator on the roster of
	// the room that holds the case (for Open, of the room it is opened in), acting in a
	// post of the tree in force at the command's time, or holding a grant of
	// [RightMediate] over the room's host unit then ([Authorize]).
	Actor hierarchy.Actor
}

// Apply decides cmd on case c at time at: it checks that env.Actor may act on the case
// at that time ([Authorize]), that the case's state allows the command and that the command keeps
// the policy's rules, and returns the new case and the events appended to its history.
//
// Apply is a pure function: it never modifies c (the returned case shares no mutable
// state with it), never reads a clock, and returns the same result for the same inputs.
// A refused command returns a [*gridgov.Error] whose Kind is [gridgov.ErrForbidden],
// [gridgov.ErrPrecondition] or [gridgov.ErrInvalid] and whose Rule names the rule, and
// no case.
//
// The history only grows: the returned case's History starts with c's, and its last
// events are the ones returned. at must not be before the last event's time.
func (p Policy) Apply(c Case, cmd Command, at time.Time, env Env) (Case, []Event, error) {
	if cmd == nil {
		return Case{}, nil, &gridgov.Error{Op: "mediation.Apply", Kind: gridgov.ErrInvalid, Rule: "command.required", Msg: "nil command"}
	}
	op := cmd.op()
	if env.Network == nil || env.Calendar == nil {
		return Case{}, nil, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: "env.required", Msg: "the environment needs a network and a calendar"}
	}
	if _, open := cmd.(Open); open && c.State != "" {
		return Case{}, nil, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: "case.open-once", Msg: fmt.Sprintf("case %s is already open", c.ID)}
	} else if !open && c.State == "" {
		return Case{}, nil, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: "case.not-opened", Msg: "the case has not been opened"}
	}
	if n := len(c.History); n > 0 && at.Before(c.History[n-1].At) {
		return Case{}, nil, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: "time.order",
			Msg: fmt.Sprintf("%s is before the case's last event at %s", at.Format(time.RFC3339), c.History[n-1].At.Format(time.RFC3339))}
	}
	if err := Authorize(c, cmd, at, env); err != nil {
		return Case{}, nil, err
	}
	d := &decision{p: &p, c: c.clone(), at: at, env: env, op: op, room: c.Room}
	if o, ok := cmd.(Open); ok {
		d.room = o.Room
	}
	if err := d.run(cmd); err != nil {
		return Case{}, nil, err
	}
	first := len(c.History)
	for i := range d.events {
		e := &d.events[i]
		e.Seq = first + i + 1
		e.Case = d.c.ID
		e.At = at
		e.Actor = env.Actor.Person
		e.Post = env.Actor.Post
		if e.Room == "" {
			e.Room = d.room
		}
	}
	d.c.History = append(d.c.History, d.events...)
	return d.c, slices.Clone(d.events), nil
}

// decision is the state of one Apply: a private copy of the case being changed.
type decision struct {
	p      *Policy
	c      Case
	at     time.Time
	env    Env
	op     string
	room   RoomID // the room that acts
	events []Event
}

func (d *decision) fail(kind error, rule, format string, args ...any) error {
	return &gridgov.Error{Op: d.op, Kind: kind, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

func (d *decision) emit(kind EventKind, format string, args ...any) {
	d.events = append(d.events, Event{Kind: kind, Note: fmt.Sprintf(format, args...)})
}

// in refuses the command unless the case is in one of the states.
func (d *decision) in(states ...State) error {
	if slices.Contains(states, d.c.State) {
		return nil
	}
	return d.fail(gridgov.ErrPrecondition, "state.transition", "not allowed in state %s (allowed in %v)", d.c.State, states)
}

func (d *decision) party(id PartyID, rule string) error {
	if _, ok := d.c.Party(id); !ok {
		return d.fail(gridgov.ErrInvalid, rule, "%q is not a party to the case", id)
	}
	return nil
}

// everyParty refuses unless ids name every party (and nothing else).
func (d *decision) everyParty(ids []PartyID, unknownRule, missingRule, what string) error {
	for _, id := range ids {
		if err := d.party(id, unknownRule); err != nil {
			return err
		}
	}
	var missing []string
	for _, p := range d.c.Parties {
		if !slices.Contains(ids, p.ID) {
			missing = append(missing, string(p.ID))
		}
	}
	if len(missing) > 0 {
		return d.fail(gridgov.ErrPrecondition, missingRule, "%s needs every party; missing %s", what, strings.Join(missing, ", "))
	}
	return nil
}

func (d *decision) run(cmd Command) error {
	switch cmd := cmd.(type) {
	case Open:
		return d.open(cmd)
	case Accept:
		return d.accept()
	case Refuse:
		return d.refuse(cmd)
	case Assign:
		return d.assign(cmd)
	case Recuse:
		return d.recuse(cmd)
	case HoldSession:
		return d.session(cmd)
	case Extend:
		return d.extend(cmd)
	case DraftAgreement:
		return d.draft(cmd)
	case Sign:
		return d.sign(cmd)
	case Seal:
		return d.seal()
	case RecordOralAgreement:
		return d.oral(cmd)
	case Fail:
		return d.failCase(cmd)
	case ReportToPolice:
		return d.police(cmd)
	case Refer:
		return d.refer(cmd)
	case ApplyConfirmation:
		return d.applyConfirmation(cmd)
	case RecordConfirmation:
		return d.recordConfirmation(cmd)
	case RecordVisit:
		return d.visit(cmd)
	case RecordBreach:
		return d.breach(cmd)
	}
	return d.fail(gridgov.ErrInvalid, "command.unknown", "unknown command %T", cmd)
}

func (d *decision) open(o Open) error {
	p := d.p
	switch {
	case o.ID == "":
		return d.fail(gridgov.ErrInvalid, "case.id-required", "the case needs an ID")
	case !slices.Contains(p.DisputeTypes, o.Dispute):
		return d.fail(gridgov.ErrInvalid, "dispute.unknown", "unknown dispute type %q", o.Dispute)
	case !slices.Contains(knownSources, o.Source.Kind):
		return d.fail(gridgov.ErrInvalid, "source.unknown", "unknown source %q", o.Source.Kind)
	case slices.Contains(p.LinkedSources, o.Source.Kind) && o.Source.Ref == "":
		return d.fail(gridgov.ErrInvalid, "source.link-required", "a case from %s must carry the ID of the record it came from", o.Source.Kind)
	case len(o.Parties) < 2:
		return d.fail(gridgov.ErrInvalid, "parties.too-few", "a dispute needs at least two parties, got %d", len(o.Parties))
	}
	seen := make(map[PartyID]bool, len(o.Parties))
	roles := make(map[PartyRole]int)
	for i, pt := range o.Parties {
		switch {
		case pt.ID == "" || seen[pt.ID]:
			return d.fail(gridgov.ErrInvalid, "parties.id", "parties[%d]: missing or duplicate ID %q", i, pt.ID)
		case pt.Role != RoleApplicant && pt.Role != RoleRespondent && pt.Role != RoleOther:
			return d.fail(gridgov.ErrInvalid, "parties.role", "parties[%d]: unknown role %q", i, pt.Role)
		case strings.TrimSpace(pt.Name) == "":
			return d.fail(gridgov.ErrInvalid, "parties.name", "parties[%d]: name required", i)
		case pt.CreditCode != "" && pt.CreditCode.Validate() != nil:
			return d.fail(gridgov.ErrInvalid, "parties.credit-code", "parties[%d]: %v", i, pt.CreditCode.Validate())
		}
		for j, r := range pt.Relations {
			if r.Person == "" || (r.Ground != RecusalRelated && r.Ground != RecusalInterest) {
				return d.fail(gridgov.ErrInvalid, "parties.relation", "parties[%d].relations[%d]: needs a person and the ground %q or %q", i, j, RecusalRelated, RecusalInterest)
			}
		}
		seen[pt.ID] = true
		roles[pt.Role]++
	}
	if o.Source.Kind == SourceApplication && roles[RoleApplicant] == 0 {
		return d.fail(gridgov.ErrInvalid, "parties.applicant-required", "an application needs an applicant")
	}
	if roles[RoleRespondent] == 0 {
		return d.fail(gridgov.ErrInvalid, "parties.respondent-required", "a dispute needs a respondent")
	}
	state := StateApplied
	if o.Source.Kind == SourceInitiative {
		state = StateInitiated
	}
	d.c = Case{
		ID: o.ID, Room: o.Room, Dispute: o.Dispute, Summary: o.Summary, Source: o.Source,
		Parties: slices.Clone(o.Parties), State: state, OpenedAt: d.at,
	}
	note := string(o.Source.Kind)
	if o.Source.Ref != "" {
		note += " " + o.Source.Ref
	}
	d.emit(EventOpened, "%s, %d parties", note, len(o.Parties))
	return nil
}

func (d *decision) accept() error {
	if err := d.in(StateApplied, StateInitiated, StateReferred); err != nil {
		return err
	}
	d.c.State = StateAccepted
	d.c.AcceptedAt = d.at
	d.c.Deadline = d.p.Limits.Conclude.Deadline(d.env.Calendar, d.at)
	d.emit(EventAccepted, "deadline %s", d.c.Deadline.Format(time.DateTime))
	return nil
}

func (d *decision) refuse(r Refuse) error {
	if err := d.in(StateApplied, StateInitiated, StateReferred); err != nil {
		return err
	}
	if r.Ground == "" || !slices.Contains(d.p.RefusalGrounds, r.Ground) {
		return d.fail(gridgov.ErrInvalid, "refusal.ground", "a refusal needs one of the grounds %v, got %q", d.p.RefusalGrounds, r.Ground)
	}
	// The organ that accepted the dispute is named, so the record says where it went.
	if (r.Ground == GroundAcceptedByCourt || r.Ground == GroundAcceptedByPolice || r.Ground == GroundAcceptedByAdministration) &&
		strings.TrimSpace(r.Note) == "" {
		return d.fail(gridgov.ErrInvalid, "refusal.note", "ground %s: say which organ accepted the dispute and its file", r.Ground)
	}
	if r.Ground == GroundPartyRefuses || r.Party != "" {
		if err := d.party(r.Party, "refusal.party"); err != nil {
			return err
		}
	}
	d.c.State = StateRefused
	d.c.Outcome = Outcome{At: d.at, Ground: r.Ground, Party: r.Party, Note: r.Note}
	d.emit(EventRefused, "%s", r.Ground)
	return nil
}

func (d *decision) assign(a Assign) error {
	if err := d.in(StateAccepted, StateMediating); err != nil {
		return err
	}
	if a.Person == "" {
		return d.fail(gridgov.ErrInvalid, "assignment.person", "no person")
	}
	if d.c.Recused(a.Person) {
		return d.fail(gridgov.ErrForbidden, "recusal.final", "%s stepped aside from this case", a.Person)
	}
	if _, ok := d.c.Assignment(a.Person); ok {
		return d.fail(gridgov.ErrPrecondition, "assignment.duplicate", "%s is already assigned", a.Person)
	}
	if err := d.conflicts(a.Person); err != nil {
		return err
	}
	room, _ := d.env.Network.Room(d.c.Room)
	as := Assignment{Person: a.Person, How: a.How, At: d.at, Room: d.c.Room}
	switch a.How {
	case Appointed, Chosen:
		m, ok := room.Mediator(a.Person)
		if !ok {
			return d.fail(gridgov.ErrForbidden, "assignment.not-on-roster", "%s is not a mediator of room %s", a.Person, d.c.Room)
		}
		as.Kind, as.Name = m.Kind, m.Name
		if a.How == Chosen {
			if err := d.everyParty(a.ChosenBy, "assignment.unknown-party", "assignment.chosen-by-every-party", "choosing a mediator"); err != nil {
				return err
			}
			as.ChosenBy = slices.Clone(a.ChosenBy)
		}
	case Invited:
		if !slices.Contains(d.p.InvitedKinds, a.Kind) {
			return d.fail(gridgov.ErrInvalid, "assignment.invited-kind", "%q may not be invited (invited kinds: %v)", a.Kind, d.p.InvitedKinds)
		}
		if strings.TrimSpace(a.Name) == "" {
			return d.fail(gridgov.ErrInvalid, "assignment.name", "an invited person needs a name")
		}
		// 在征得当事人的同意后 (art. 20): the parties' consent comes before the invitation.
		if err := d.everyParty(a.ConsentedBy, "assignment.unknown-party", "assignment.invitation-consent", "an invitation"); err != nil {
			return err
		}
		as.Kind, as.Name = a.Kind, a.Name
		as.ConsentedBy = slices.Clone(a.ConsentedBy)
	default:
		return d.fail(gridgov.ErrInvalid, "assignment.how", "unknown appointment %q", a.How)
	}
	d.c.Mediators = append(d.c.Mediators, as)
	d.emit(EventAssigned, "%s %s (%s)", a.Person, a.How, as.Kind)
	return nil
}

// conflicts refuses a person who is a party or whom a party declared a tie with: the
// recusal is decided before the person ever acts, not after.
func (d *decision) conflicts(person hierarchy.PersonID) error {
	for _, pt := range d.c.Parties {
		if pt.Person == person {
			return d.fail(gridgov.ErrForbidden, string("recusal."+RecusalInterest), "%s is party %s to the dispute", person, pt.ID)
		}
		for _, r := range pt.Relations {
			if r.Person == person {
				ground := r.Ground
				if ground != RecusalRelated {
					ground = RecusalInterest
				}
				return d.fail(gridgov.ErrForbidden, "recusal."+string(ground), "party %s declared %s: %s", pt.ID, person, ground)
			}
		}
	}
	return nil
}

func (d *decision) recuse(r Recuse) error {
	if err := d.in(StateAccepted, StateMediating); err != nil {
		return err
	}
	i := slices.IndexFunc(d.c.Mediators, func(a Assignment) bool { return a.Person == r.Person && a.Active() })
	if i < 0 {
		return d.fail(gridgov.ErrPrecondition, "recusal.not-assigned", "%s is not assigned to the case", r.Person)
	}
	if r.Ground != RecusalRelated && r.Ground != RecusalInterest {
		return d.fail(gridgov.ErrInvalid, "recusal.ground", "unknown ground %q", r.Ground)
	}
	if r.Ground == RecusalRelated || r.Party != "" {
		if err := d.party(r.Party, "recusal.party"); err != nil {
			return err
		}
	}
	if r.RequestedBy != "" {
		if err := d.party(r.RequestedBy, "recusal.party"); err != nil {
			return err
		}
	}
	a := d.c.Mediators[i]
	a.EndedAt = d.at
	a.Recusal = &Recusal{Ground: r.Ground, Party: r.Party, RequestedBy: r.RequestedBy, Note: r.Note}
	d.c.Mediators[i] = a
	d.emit(EventRecused, "%s: %s", r.Person, r.Ground)
	return nil
}

func (d *decision) session(s HoldSession) error {
	if err := d.in(StateAccepted, StateMediating); err != nil {
		return err
	}
	if strings.TrimSpace(s.Minutes) == "" {
		return d.fail(gridgov.ErrInvalid, "session.minutes", "a session needs minutes")
	}
	if len(s.Parties) == 0 {
		return d.fail(gridgov.ErrInvalid, "session.parties", "a session needs at least one party")
	}
	for _, id := range s.Parties {
		if err := d.party(id, "session.unknown-party"); err != nil {
			return err
		}
	}
	presiding := false
	for _, m := range s.Mediators {
		if d.c.Recused(m) {
			return d.fail(gridgov.ErrForbidden, "session.recused-mediator", "%s stepped aside from this case", m)
		}
		a, ok := d.c.Assignment(m)
		if !ok {
			return d.fail(gridgov.ErrForbidden, "session.mediator-not-assigned", "%s is not assigned to the case", m)
		}
		if a.How != Invited {
			presiding = true
		}
	}
	if !presiding {
		return d.fail(gridgov.ErrPrecondition, "session.needs-mediator", "a session needs an assigned mediator of the room, not only invited people")
	}
	d.c.Sessions = append(d.c.Sessions, Session{
		No: len(d.c.Sessions) + 1, At: d.at, Public: s.Public,
		Parties: slices.Clone(s.Parties), Mediators: slices.Clone(s.Mediators),
		Others: slices.Clone(s.Others), Minutes: s.Minutes,
	})
	d.c.State = StateMediating
	kind := "private"
	if s.Public {
		kind = "public"
	}
	d.emit(EventSession, "session %d (%s)", len(d.c.Sessions), kind)
	return nil
}

func (d *decision) extend(e Extend) error {
	if err := d.in(StateAccepted, StateMediating, StateDrafted); err != nil {
		return err
	}
	l := d.p.Limits
	switch {
	case l.ExtensionRule != ExtendOnceWithConsent && l.ExtensionRule != ExtendWhilePartiesAgree:
		return d.fail(gridgov.ErrPrecondition, "extension.disabled", "the policy allows no extension (rule %q)", l.ExtensionRule)
	case l.ExtensionRule == ExtendOnceWithConsent && len(d.c.Extensions) >= 1:
		return d.fail(gridgov.ErrPrecondition, "extension.max", "already extended once (rule %q)", l.ExtensionRule)
	case d.at.After(d.c.Deadline):
		return d.fail(gridgov.ErrPrecondition, "extension.after-deadline", "the deadline %s has passed", d.c.Deadline.Format(time.DateTime))
	}
	if err := d.everyParty(e.Consents, "extension.unknown-party", "extension.every-party-consents", "an extension"); err != nil {
		return err
	}
	to := l.Extension.Deadline(d.env.Calendar, d.c.Deadline)
	d.c.Extensions = append(d.c.Extensions, Extension{At: d.at, Consents: slices.Clone(e.Consents), From: d.c.Deadline, To: to})
	d.emit(EventExtended, "deadline %s → %s", d.c.Deadline.Format(time.DateTime), to.Format(time.DateTime))
	d.c.Deadline = to
	return nil
}

func (d *decision) draft(a DraftAgreement) error {
	if err := d.in(StateMediating); err != nil {
		return err
	}
	if strings.TrimSpace(a.Terms) == "" {
		return d.fail(gridgov.ErrInvalid, "agreement.terms", "an agreement needs terms")
	}
	if d.p.WrittenContent == ContentRules2002 {
		if err := d.content(a); err != nil {
			return err
		}
	}
	d.c.Agreement = Agreement{Form: Written, Facts: a.Facts, Terms: a.Terms, Performance: a.Performance, DraftedAt: d.at}
	d.c.State = StateDrafted
	d.emit(EventDrafted, "written agreement drafted")
	return nil
}

// content refuses a written agreement that lacks one of the items the 2002 rules
// (art. 35) say it shall state, naming every missing item; item (5), the signatures
// and the seal, is what makes it take effect ([decision.effective]).
func (d *decision) content(a DraftAgreement) error {
	var missing []string
	for _, p := range d.c.Parties {
		if strings.TrimSpace(p.Name) == "" || (p.IDNumber.IsZero() && p.CreditCode == "") {
			missing = append(missing, fmt.Sprintf("(1) basic particulars of party %s (name and resident ID or credit code)", p.ID))
		}
	}
	if strings.TrimSpace(a.Facts) == "" {
		missing = append(missing, "(2) facts, matters in dispute and responsibility")
	}
	pf := a.Performance
	if strings.TrimSpace(pf.Manner) == "" {
		missing = append(missing, "(4) manner of performance")
	}
	if strings.TrimSpace(pf.Place) == "" {
		missing = append(missing, "(4) place of performance")
	}
	switch {
	case pf.Deadline.IsZero():
		missing = append(missing, "(4) time limit of performance")
	case !pf.Deadline.After(d.at):
		return d.fail(gridgov.ErrInvalid, "agreement.performance-deadline", "the performance deadline %s is not after the drafting", pf.Deadline.Format(time.RFC3339))
	}
	if len(missing) > 0 {
		return d.fail(gridgov.ErrInvalid, "agreement.content", "a written agreement shall state (2002 rules art. 35): missing %s", strings.Join(missing, "; "))
	}
	return nil
}

func (d *decision) sign(s Sign) error {
	if err := d.in(StateDrafted); err != nil {
		return err
	}
	if (s.Party == "") == (s.Mediator == "") {
		return d.fail(gridgov.ErrInvalid, "agreement.signer", "a signature is a party's or a mediator's: set exactly one")
	}
	if s.Party != "" {
		if err := d.party(s.Party, "agreement.unknown-party"); err != nil {
			return err
		}
	} else {
		a, ok := d.c.Assignment(s.Mediator)
		if !ok || a.How == Invited {
			return d.fail(gridgov.ErrForbidden, "agreement.mediator-not-assigned", "%s is not an assigned mediator of the case", s.Mediator)
		}
	}
	for _, g := range d.c.Agreement.Signatures {
		if g.Party == s.Party && g.Mediator == s.Mediator {
			return d.fail(gridgov.ErrPrecondition, "agreement.signed-twice", "%s%s has already signed", s.Party, s.Mediator)
		}
	}
	d.c.Agreement.Signatures = append(d.c.Agreement.Signatures, Signature{Party: s.Party, Mediator: s.Mediator, At: d.at})
	d.emit(EventSigned, "signed by %s%s", s.Party, s.Mediator)
	d.effective()
	return nil
}

func (d *decision) seal() error {
	if err := d.in(StateDrafted); err != nil {
		return err
	}
	if !d.c.Agreement.SealedAt.IsZero() {
		return d.fail(gridgov.ErrPrecondition, "agreement.sealed-twice", "already sealed")
	}
	d.c.Agreement.SealedAt = d.at
	d.emit(EventSealed, "sealed by room %s", d.c.Room)
	d.effective()
	return nil
}

// effective makes a written agreement take effect once every party and an assigned
// mediator have signed and the room has sealed (art. 29).
func (d *decision) effective() {
	ag := d.c.Agreement
	if ag.SealedAt.IsZero() {
		return
	}
	mediator := false
	signed := make(map[PartyID]bool, len(ag.Signatures))
	for _, g := range ag.Signatures {
		if g.Party != "" {
			signed[g.Party] = true
		} else if _, ok := d.c.Assignment(g.Mediator); ok {
			mediator = true
		}
	}
	for _, p := range d.c.Parties {
		if !signed[p.ID] {
			return
		}
	}
	if mediator {
		d.agree()
	}
}

func (d *decision) oral(a RecordOralAgreement) error {
	if !d.p.OralAgreements {
		return d.fail(gridgov.ErrForbidden, "agreement.oral-disabled", "the policy does not allow oral agreements")
	}
	if err := d.in(StateMediating); err != nil {
		return err
	}
	if strings.TrimSpace(a.Terms) == "" {
		return d.fail(gridgov.ErrInvalid, "agreement.terms", "the mediator records the oral agreement's terms (art. 28)")
	}
	if err := d.everyParty(a.ChosenBy, "agreement.unknown-party", "agreement.oral-choice", "an oral agreement (the parties' choice, art. 28)"); err != nil {
		return err
	}
	d.c.Agreement = Agreement{Form: Oral, Terms: a.Terms, ChosenBy: slices.Clone(a.ChosenBy), DraftedAt: d.at}
	d.agree()
	return nil
}

// agree puts the agreement into effect: the outcome, the judicial-confirmation window
// and the return visits all count from now.
func (d *decision) agree() {
	cal := d.env.Calendar
	d.c.State = StateAgreed
	d.c.Agreement.EffectiveAt = d.at
	d.c.Outcome = Outcome{At: d.at}
	d.c.Confirmation = Confirmation{Deadline: d.p.Limits.Confirmation.Deadline(cal, d.at)}
	d.c.Visits = nil
	for _, s := range d.p.ReturnVisits {
		d.c.Visits = append(d.c.Visits, Visit{Due: s.Deadline(cal, d.at)})
	}
	d.emit(EventAgreed, "%s agreement in effect; judicial confirmation until %s; %d return visits",
		d.c.Agreement.Form, d.c.Confirmation.Deadline.Format(time.DateTime), len(d.c.Visits))
}

func (d *decision) failCase(f Fail) error {
	if err := d.in(StateAccepted, StateMediating, StateDrafted); err != nil {
		return err
	}
	switch f.Reason {
	case FailNoAgreement, FailTimeLimit:
	case FailTakenOver:
		if strings.TrimSpace(f.Note) == "" {
			return d.fail(gridgov.ErrInvalid, "failure.note", "say which organ accepted the dispute (2002 rules art. 22(2))")
		}
	case FailWithdrawn:
		if err := d.party(f.Party, "failure.party"); err != nil {
			return err
		}
	default:
		return d.fail(gridgov.ErrInvalid, "failure.reason", "unknown reason %q", f.Reason)
	}
	advice := f.Advice
	if strings.TrimSpace(advice) == "" {
		advice = d.p.FailureAdvice
	}
	d.c.State = StateFailed
	d.c.Outcome = Outcome{At: d.at, Reason: f.Reason, Party: f.Party, Advice: advice, Note: f.Note}
	d.emit(EventFailed, "%s", f.Reason)
	return nil
}

// police records a report under art. 25; it changes neither the state nor the time
// limit.
func (d *decision) police(r ReportToPolice) error {
	if err := d.in(StateApplied, StateInitiated, StateReferred, StateAccepted, StateMediating, StateDrafted); err != nil {
		return err
	}
	if strings.TrimSpace(r.Reason) == "" {
		return d.fail(gridgov.ErrInvalid, "police.reason", "a report to the police needs a reason")
	}
	if r.To != "" {
		if _, ok := d.env.Network.Tree().Unit(r.To); !ok {
			return d.fail(gridgov.ErrInvalid, "police.unknown-unit", "unit %q is not in the tree", r.To)
		}
	}
	d.c.PoliceReports = append(d.c.PoliceReports, PoliceReport{At: d.at, Room: d.c.Room, To: r.To, Ref: r.Ref, Reason: r.Reason})
	d.emit(EventReportedToPolice, "reported to %s %s; the case stays %s", r.To, r.Ref, d.c.State)
	return nil
}

func (d *decision) refer(r Refer) error {
	if err := d.in(StateApplied, StateInitiated, StateReferred, StateAccepted, StateMediating); err != nil {
		return err
	}
	net := d.env.Network
	from, _ := net.Room(d.c.Room)
	to, ok := net.Room(r.To)
	fromHost, _ := net.Host(from.ID)
	toHost, _ := net.Host(to.ID)
	switch {
	case !ok:
		return d.fail(gridgov.ErrInvalid, "referral.unknown-room", "room %q is not in the network", r.To)
	case r.To == d.c.Room:
		return d.fail(gridgov.ErrInvalid, "referral.same-room", "the case is already in room %s", r.To)
	case strings.TrimSpace(r.Reason) == "":
		return d.fail(gridgov.ErrInvalid, "referral.reason", "a referral needs a reason")
	}
	switch r.Direction {
	case Up:
		if !net.Tree().IsAncestor(toHost, fromHost) {
			return d.fail(gridgov.ErrInvalid, "referral.up-not-ancestor", "room %s (host %s) is not above room %s (host %s)", r.To, toHost, from.ID, fromHost)
		}
	case Sideways:
		if !to.Specialises(d.c.Dispute) {
			return d.fail(gridgov.ErrInvalid, "referral.not-specialist", "room %s does not specialise in %s disputes", r.To, d.c.Dispute)
		}
	default:
		return d.fail(gridgov.ErrInvalid, "referral.direction", "unknown direction %q", r.Direction)
	}
	// The sending room's mediators leave with the case; their work stays in the record.
	for i, a := range d.c.Mediators {
		if a.Active() {
			a.EndedAt = d.at
			d.c.Mediators[i] = a
		}
	}
	d.c.Referrals = append(d.c.Referrals, Referral{At: d.at, From: d.c.Room, To: r.To, Direction: r.Direction, Reason: r.Reason})
	d.c.Room = r.To
	d.c.State = StateReferred
	d.c.AcceptedAt, d.c.Deadline = time.Time{}, time.Time{}
	d.emit(EventReferred, "%s → %s (%s)", from.ID, r.To, r.Direction)
	return nil
}

func (d *decision) applyConfirmation(a ApplyConfirmation) error {
	if err := d.in(StateAgreed); err != nil {
		return err
	}
	c := d.c.Confirmation
	switch {
	case !c.AppliedAt.IsZero():
		return d.fail(gridgov.ErrPrecondition, "confirmation.applied-twice", "already applied on %s", c.AppliedAt.Format(time.DateOnly))
	case d.at.After(c.Deadline):
		return d.fail(gridgov.ErrPrecondition, "confirmation.window", "the window closed at %s", c.Deadline.Format(time.DateTime))
	case strings.TrimSpace(a.Court) == "":
		return d.fail(gridgov.ErrInvalid, "confirmation.court", "name the court")
	}
	if err := d.everyParty(a.Parties, "confirmation.unknown-party", "confirmation.joint", "judicial confirmation"); err != nil {
		return err
	}
	d.c.Confirmation.AppliedAt = d.at
	d.c.Confirmation.Court = a.Court
	d.emit(EventConfirmationApplied, "applied to %s", a.Court)
	return nil
}

func (d *decision) recordConfirmation(r RecordConfirmation) error {
	if err := d.in(StateAgreed); err != nil {
		return err
	}
	c := d.c.Confirmation
	if c.AppliedAt.IsZero() {
		return d.fail(gridgov.ErrPrecondition, "confirmation.not-applied", "no application for judicial confirmation")
	}
	if !c.DecidedAt.IsZero() {
		return d.fail(gridgov.ErrPrecondition, "confirmation.decided", "the court decided on %s", c.DecidedAt.Format(time.DateOnly))
	}
	d.c.Confirmation.DecidedAt = d.at
	d.c.Confirmation.Confirmed = r.Confirmed
	d.c.Confirmation.Ruling = r.Ruling
	d.emit(EventConfirmationDecided, "confirmed: %t", r.Confirmed)
	return nil
}

func (d *decision) visit(v RecordVisit) error {
	if err := d.in(StateAgreed); err != nil {
		return err
	}
	if v.Visit < 0 || v.Visit >= len(d.c.Visits) {
		return d.fail(gridgov.ErrInvalid, "visit.unknown", "no return visit %d (the case has %d)", v.Visit, len(d.c.Visits))
	}
	if !d.c.Visits[v.Visit].DoneAt.IsZero() {
		return d.fail(gridgov.ErrPrecondition, "visit.recorded", "return visit %d was recorded on %s", v.Visit, d.c.Visits[v.Visit].DoneAt.Format(time.DateOnly))
	}
	switch v.Finding {
	case Performed, Performing:
	case Breached:
		if err := d.party(v.Party, "visit.party"); err != nil {
			return err
		}
	default:
		return d.fail(gridgov.ErrInvalid, "visit.finding", "unknown finding %q", v.Finding)
	}
	vis := d.c.Visits[v.Visit]
	vis.DoneAt, vis.Finding, vis.Notes = d.at, v.Finding, v.Notes
	d.c.Visits[v.Visit] = vis
	d.emit(EventVisited, "return visit %d of %d: %s", v.Visit+1, len(d.c.Visits), v.Finding)
	if v.Finding == Breached {
		d.c.Breaches = append(d.c.Breaches, Breach{At: d.at, Party: v.Party, Visit: v.Visit, Notes: v.Notes})
		d.emit(EventBreach, "%s found on return visit %d", v.Party, v.Visit+1)
	}
	return nil
}

func (d *decision) breach(b RecordBreach) error {
	if err := d.in(StateAgreed); err != nil {
		return err
	}
	if err := d.party(b.Party, "breach.party"); err != nil {
		return err
	}
	d.c.Breaches = append(d.c.Breaches, Breach{At: d.at, Party: b.Party, Visit: -1, Notes: b.Notes})
	d.emit(EventBreach, "%s", b.Party)
	return nil
}
