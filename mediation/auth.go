package mediation

import (
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// RightMediate is the right, granted in the tree ([hierarchy.Grant]), to act as a
// mediator of the rooms hosted by the grant's subject unit without naming a post: for
// a mediator the committee engages (聘任, People's Mediation Law art. 13) who holds no
// post in the district's tree. The grant's period bounds the authority as a post's
// would.
const RightMediate hierarchy.Right = "mediation.mediate"

// Authorization rules named by refusals.
const (
	RuleActorRequired = "auth.actor-required" // no person issues the command
	RulePostRequired  = "auth.post-required"  // no post named and no grant of RightMediate in force
	RulePost          = "auth.post"           // the post named is not the person's, or not in force
	RuleRosterPost    = "auth.roster-post"    // the roster pins the mediator to another post
	RuleRoomMediator  = "auth.room-mediator"  // the person is not on the room's roster
	RuleRecused       = "auth.recused"        // the person stepped aside from the case
	RuleConflict      = "auth.conflict"       // the person is a party or tied to one
)

// Authorize reports whether env.Actor may issue cmd on c at time at. Authority always
// comes from the tree, checked at the command's time, never from the name alone:
//
//   - the actor names a person (rule "auth.actor-required");
//   - the person is on the roster of the room that holds the case (for Open, of the
//     room it is opened in; rule "auth.room-mediator");
//   - the actor names a post that is the person's and in force at at
//     ([hierarchy.Tree.ActorPost]; rule "auth.post"), and the one the roster entry
//     pins when it pins one (rule "auth.roster-post"); or, when the roster pins no
//     post, names none and holds a grant of [RightMediate] over the room's host unit
//     in force at at. An actor with neither is refused (rule "auth.post-required"): a
//     mediator whose post ended cannot act by leaving the post out;
//   - the person has not stepped aside from the case ("auth.recused") and is neither a
//     party nor a person a party declared a tie with ([Relation]; "auth.conflict").
//
// Refusals are [*gridgov.Error] of kind [gridgov.ErrForbidden]; an unknown room is
// [gridgov.ErrNotFound] with rule "room.unknown".
func Authorize(c Case, cmd Command, at time.Time, env Env) error {
	op := "mediation.Authorize"
	if cmd != nil {
		op = cmd.op()
	}
	id := c.Room
	if o, ok := cmd.(Open); ok {
		id = o.Room
	}
	if env.Network == nil {
		return &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: "env.required", Msg: "no network"}
	}
	if err := authority(op, env.Network, id, env.Actor, at); err != nil {
		return err
	}
	person := env.Actor.Person
	if c.Recused(person) {
		return &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RuleRecused,
			Msg: fmt.Sprintf("%s stepped aside from case %s", person, c.ID)}
	}
	parties := c.Parties
	if o, ok := cmd.(Open); ok {
		parties = o.Parties
	}
	for _, p := range parties {
		if p.Person == person || slices.ContainsFunc(p.Relations, func(r Relation) bool { return r.Person == person }) {
			return &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RuleConflict,
				Msg: fmt.Sprintf("%s is party %s or declared by it as related or interested", person, p.ID)}
		}
	}
	return nil
}

// authority checks that actor may act for room id at time at: on its roster, in a post
// in force (the roster's, when it pins one) or under a grant of RightMediate. It is the
// one check behind every command and every recorded activity.
func authority(op string, net *Network, id RoomID, actor hierarchy.Actor, at time.Time) error {
	forbid := func(rule, format string, args ...any) error {
		return &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: rule, Msg: fmt.Sprintf(format, args...)}
	}
	if actor.Person == "" {
		return forbid(RuleActorRequired, "no actor")
	}
	room, ok := net.Room(id)
	if !ok {
		return &gridgov.Error{Op: op, Kind: gridgov.ErrNotFound, Rule: "room.unknown", Msg: fmt.Sprintf("room %q is not in the network", id)}
	}
	m, ok := room.Mediator(actor.Person)
	if !ok {
		return forbid(RuleRoomMediator, "%s is not a mediator of room %s", actor.Person, id)
	}
	tree := net.Tree()
	if actor.Post == "" {
		if m.Post != "" {
			return forbid(RulePostRequired, "%s mediates in room %s in post %s and must act in it", actor.Person, id, m.Post)
		}
		host, _ := net.Host(id)
		if tree.HasRight(hierarchy.PersonRef(actor.Person), RightMediate, hierarchy.UnitRef(host), at) {
			return nil
		}
		return forbid(RulePostRequired, "%s names no post and holds no grant of %s over %s at %s",
			actor.Person, RightMediate, host, at.Format(time.RFC3339))
	}
	if _, err := tree.ActorPost(actor, at); err != nil {
		return &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RulePost, Err: err}
	}
	if m.Post != "" && m.Post != actor.Post {
		return forbid(RuleRosterPost, "%s mediates in room %s in post %s, not %s", actor.Person, id, m.Post, actor.Post)
	}
	return nil
}
