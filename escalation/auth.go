package escalation

import (
	"fmt"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Authorization rules named by refusals.
const (
	RuleActorRequired = "auth.actor-required" // a person's command without an actor
	RuleSystemOnly    = "auth.system-only"    // a warning or escalation issued by a person
	RulePost          = "auth.post"           // the actor does not hold the post named, or it is not active
	RuleRole          = "auth.role"           // the post's role may not issue the action
	RuleScope         = "auth.scope"          // the case lies outside the actor's territory
	RuleOwner         = "auth.owner"          // the actor is not in the unit the case is dispatched to
	// RuleJurisdiction: the unit or person a case is sent to, or who acts on it as its
	// owner, lies outside the reach of the unit that dispatched it.
	RuleJurisdiction = "auth.jurisdiction"
)

// reach is the jurisdiction of a dispatching territory over one case at one time:
// which units and people it may send the case to. A unit is within reach when it lies
// in the territory's subtree, when it lies in a unit the policy's routing gives the
// case (first or second choice, so a street may send a component to its owner or to
// its own office), or when the territory holds the policy's dispatch right over it
// ([Routing.DispatchRight]). A person is within reach through a post in force in a
// unit within reach, as the person routing names (the beat's officer), or through the
// dispatch right over them. This is the rule whistles follow for summons: the
// territory's own subtree, else an explicit grant.
type reach struct {
	p      *Policy
	env    *Env
	from   hierarchy.UnitID
	at     time.Time
	routed [2]hierarchy.UnitID
	person hierarchy.PersonID // the person routing names
	// resolved is set once routed and person are computed: routing is the costliest
	// test, so it runs only when the subtree and the grants did not decide.
	resolved bool
}

// reachOf returns the reach of territory from at time at. Its methods take the case
// the reach is about, so that no pointer to it is kept.
func (p *Policy) reachOf(from hierarchy.UnitID, at time.Time, env *Env) reach {
	return reach{p: p, env: env, from: from, at: at}
}

func (r *reach) resolve(c *Case) {
	if r.resolved {
		return
	}
	r.resolved = true
	var alt RouteDecision
	if rd, err := r.p.route(c, r.at, *r.env, &alt); err == nil {
		r.routed = [2]hierarchy.UnitID{rd.Unit, alt.Unit}
		r.person = rd.Person
	}
}

func (r *reach) granted(subject hierarchy.Ref) bool {
	right := r.p.Routing.DispatchRight
	return right != "" && r.env.Tree.HasRight(hierarchy.UnitRef(r.from), right, subject, r.at)
}

func (r *reach) unit(c *Case, u hierarchy.UnitID) bool {
	t := r.env.Tree
	if t.Contains(r.from, u) || r.granted(hierarchy.UnitRef(u)) {
		return true
	}
	r.resolve(c)
	for _, x := range r.routed {
		if x != "" && t.Contains(x, u) {
			return true
		}
	}
	return false
}

func (r *reach) personOK(c *Case, p hierarchy.PersonID) bool {
	// The grant first: it allocates nothing, and covers a department's staff.
	if r.granted(hierarchy.PersonRef(p)) {
		return true
	}
	for _, post := range r.env.Tree.PostsOf(p, r.at) {
		if r.unit(c, post.Unit) {
			return true
		}
	}
	r.resolve(c)
	return p == r.person
}

// dispatcher returns the territory that made the case's current dispatch: the
// platform unit of the person who dispatched it. ok is false for a dispatch the
// system made by routing (a direct route), which routing itself decided.
func dispatcher(t *hierarchy.Tree, c *Case) (hierarchy.UnitID, bool) {
	for i := len(c.History) - 1; i >= 0; i-- {
		e := &c.History[i]
		if e.Action != ActionDispatch {
			continue
		}
		if e.ActorUnit == "" {
			return "", false
		}
		u, ok := territory(t, e.ActorUnit, true)
		if !ok {
			return e.ActorUnit, true // not a platform unit: it reaches only its own subtree
		}
		return u, true
	}
	if b := c.prefix; b != nil && b.Dispatched {
		if b.DispatchBy == "" {
			return "", false
		}
		u, ok := territory(t, b.DispatchBy, true)
		if !ok {
			return b.DispatchBy, true
		}
		return u, true
	}
	return "", false
}

// platformKinds are the kinds of unit whose posts act for the territory they sit in:
// the territorial units themselves, their offices, command centres and party
// organisations. Departments, police and outside organisations act only on cases
// dispatched to them.
func platformKind(k hierarchy.Kind) bool {
	switch k {
	case "", hierarchy.KindTerritorial, hierarchy.KindStreetOffice, hierarchy.KindCommandCentre, hierarchy.KindPartyOrg:
		return true
	}
	return false
}

// territory returns the nearest territorial unit at or above u. With platformOnly, it
// returns false for a unit that does not act for a territory (a department).
func territory(t *hierarchy.Tree, u hierarchy.UnitID, platformOnly bool) (hierarchy.UnitID, bool) {
	for {
		unit, ok := t.Unit(u)
		if !ok {
			return "", false
		}
		if unit.Kind == "" || unit.Kind == hierarchy.KindTerritorial {
			return u, true
		}
		if platformOnly && !platformKind(unit.Kind) {
			return "", false
		}
		if unit.Parent == "" {
			return "", false
		}
		u = unit.Parent
	}
}

func forbidden(a Action, rule, format string, args ...any) error {
	return &gridgov.Error{Op: opOf(a), Kind: gridgov.ErrForbidden, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

// opOf names the operation of action a in errors; built only when an error is.
func opOf(a Action) string { return "escalation." + string(a) }

// Authorize reports whether env.Actor may issue cmd on case c at time at, and returns
// the post the actor acts in (the zero Post for the system). It checks, in order:
//
//   - warnings and escalations come from the system (the zero Actor), everything else
//     from a person holding the named post, active at at (rules "auth.system-only",
//     "auth.actor-required", "auth.post");
//   - the post's role is one the policy lists for the action, or the action is one
//     any role may issue ([Policy.AnyRole]); an action with no role rule is refused
//     (rule "auth.role");
//   - scope: a report, from a post whose territory (its unit, or the territorial unit
//     its unit is attached to) contains the location; platform commands (file, void,
//     dispatch, park, resume, supervise, reclassify, verify, close, complain, rebase)
//     from a post of a territorial unit, its offices, command centre or party
//     organisation containing the case's location (rule "auth.scope"); the owner's
//     commands (accept, return, assist, report back) from a post in the unit the case
//     is dispatched to, or by the person it is dispatched to (rule "auth.owner"),
//     both within the reach of the territory that dispatched it (rule
//     "auth.jurisdiction", see below); a whistle from the community holding the case,
//     a summons or conclusion from the unit the whistle was blown to (rule
//     "auth.scope"). Who may report in is decided with the summons, by
//     [Policy.Apply].
//
// Jurisdiction (管辖): a dispatch sends a case, and an assignment a person, only within
// the reach of the dispatching territory (the platform unit of the dispatcher's post):
// its own subtree, the units the routing gives the case, or a unit or person over
// which it holds [Routing.DispatchRight]. [Policy.Apply] refuses a dispatch beyond it
// (rule "auth.jurisdiction"), and the owner's commands above re-check it, so a
// street's dispatcher can neither send a case to another street's bureau or assign
// that street's grid head, nor can they act on it.
//
// Refusals are [*gridgov.Error] of kind [gridgov.ErrForbidden].
func (p *Policy) Authorize(c Case, cmd Command, at time.Time, env Env) (hierarchy.Post, error) {
	return p.authorize(&c, cmd, at, env)
}

// authorize is Authorize on a case it only reads, without copying it.
func (p *Policy) authorize(c *Case, cmd Command, at time.Time, env Env) (hierarchy.Post, error) {
	a := cmd.Action()
	actor := env.Actor
	if a.System() {
		if actor != (hierarchy.Actor{}) {
			return hierarchy.Post{}, forbidden(a, RuleSystemOnly, "%s is issued by the system, not by %s", a, actor.Person)
		}
		return hierarchy.Post{}, nil
	}
	if actor.Person == "" || actor.Post == "" {
		return hierarchy.Post{}, forbidden(a, RuleActorRequired, "no actor")
	}
	t := env.Tree
	post, err := t.ActorPost(actor, at)
	if err != nil {
		return hierarchy.Post{}, &gridgov.Error{Op: opOf(a), Kind: gridgov.ErrForbidden, Rule: RulePost, Err: err}
	}
	if !p.mayIssue(a, post.Role) {
		return post, p.roleRefusal(a, post)
	}
	loc := c.Location.Unit
	switch a {
	case ActionReport, ActionSelfHandle:
		if r, ok := cmd.(Report); ok {
			loc = r.Location.Unit
		}
		if u, ok := territory(t, post.Unit, false); !ok || !t.Contains(u, loc) {
			return post, forbidden(a, RuleScope, "%s (post %s in %s) may not report at %s", actor.Person, post.ID, post.Unit, loc)
		}
	case ActionFile, ActionVoid, ActionDispatch, ActionPark, ActionResume, ActionSupervise, ActionReclassify,
		ActionVerify, ActionRework, ActionClose, ActionComplain, ActionRebase:
		if u, ok := territory(t, post.Unit, true); !ok || !t.Contains(u, loc) {
			return post, forbidden(a, RuleScope, "%s (post %s in %s) may not act on cases at %s", actor.Person, post.ID, post.Unit, loc)
		}
	case ActionAccept, ActionReturn, ActionAssist, ActionReportBack:
		inOwner := c.Owner != "" && t.Contains(c.Owner, post.Unit)
		if c.Owner == "" || !(inOwner || (c.Assignee != "" && c.Assignee == actor.Person)) {
			return post, forbidden(a, RuleOwner, "%s (post %s in %s) is not in %s, which case %s is dispatched to",
				actor.Person, post.ID, post.Unit, c.Owner, c.ID)
		}
		// A dispatch outside the dispatcher's reach (made before it was refused, or
		// under a grant since ended) gives its receiver no authority over the case.
		if from, ok := dispatcher(t, c); ok {
			r := p.reachOf(from, at, &env)
			if !r.unit(c, c.Owner) {
				return post, forbidden(a, RuleJurisdiction, "case %s was dispatched by %s to %s, outside its jurisdiction", c.ID, from, c.Owner)
			}
			if !inOwner && !r.unit(c, post.Unit) {
				return post, forbidden(a, RuleJurisdiction, "%s (post %s in %s) lies outside the jurisdiction of %s, which dispatched case %s",
					actor.Person, post.ID, post.Unit, from, c.ID)
			}
		}
	case ActionWhistle:
		u, ok := territory(t, post.Unit, true)
		if !ok || !t.Contains(u, loc) {
			return post, forbidden(a, RuleScope, "%s (post %s in %s) may not blow the whistle for a case at %s", actor.Person, post.ID, post.Unit, loc)
		}
		if unit, _ := t.Unit(u); unit.Level != p.Whistle.From {
			return post, forbidden(a, RuleScope, "only a %s blows the whistle, not %s (%s)", p.Whistle.From, u, unit.Level)
		}
	case ActionSummon, ActionConcludeWhistle:
		w, ok := c.OpenWhistle()
		if !ok {
			return post, &gridgov.Error{Op: opOf(a), Kind: gridgov.ErrPrecondition, Rule: "whistle.none-open", Msg: fmt.Sprintf("case %s has no open whistle", c.ID)}
		}
		if u, ok := territory(t, post.Unit, true); !ok || u != w.To {
			return post, forbidden(a, RuleScope, "%s (post %s in %s) does not act for %s, which whistle %d was blown to",
				actor.Person, post.ID, post.Unit, w.To, w.Seq)
		}
	}
	return post, nil
}
