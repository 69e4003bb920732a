package escalation

import (
	"fmt"
	"slices"
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
)

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
//   - the post's role is one the policy lists for the action (rule "auth.role");
//   - scope: a report, from a post whose territory (its unit, or the territorial unit
//     its unit is attached to) contains the location; platform commands (file, void,
//     dispatch, park, resume, supervise, reclassify, verify, close, complain, rebase)
//     from a post of a territorial unit, its offices, command centre or party
//     organisation containing the case's location (rule "auth.scope"); the owner's
//     commands (accept, return, assist, report back) from a post in the unit the case
//     is dispatched to, or by the person it is dispatched to (rule "auth.owner"); a
//     whistle from the community holding the case, a summons or conclusion from the
//     unit the whistle was blown to (rule "auth.scope"). Who may report in is decided
//     with the summons, by [Policy.Apply].
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
	if roles, ok := p.Roles[a]; ok && !slices.Contains(roles, post.Role) {
		return post, forbidden(a, RuleRole, "role %q of post %s may not %s (allowed: %v)", post.Role, post.ID, a, roles)
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
		if c.Owner == "" || !(t.Contains(c.Owner, post.Unit) || (c.Assignee != "" && c.Assignee == actor.Person)) {
			return post, forbidden(a, RuleOwner, "%s (post %s in %s) is not in %s, which case %s is dispatched to",
				actor.Person, post.ID, post.Unit, c.Owner, c.ID)
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
