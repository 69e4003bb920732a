package rewards

import (
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Action names a command of the rewards service in the policy's role rules.
type Action string

// The actions of the rewards service. Every one of them moves a claim or money and is
// issued by a [hierarchy.Actor] checked against the service's tree.
const (
	ActionSubmit   Action = "submit"    // present a verified report for a reward
	ActionApprove  Action = "approve"   // grant a claim
	ActionReject   Action = "reject"    // reject a claim with a reason
	ActionPay      Action = "pay"       // pay one claim or settle a fund (Pay, Settle)
	ActionClawback Action = "clawback"  // reverse a paid claim whose report proved invalid
	ActionOpenFund Action = "open-fund" // open a responsibility area's fund with its appropriation
	ActionDeposit  Action = "deposit"   // top up a fund
	ActionAward    Action = "award"     // run a fund's year-end award
)

// Actions lists every action, in the order above.
var Actions = []Action{ActionSubmit, ActionApprove, ActionReject, ActionPay, ActionClawback, ActionOpenFund, ActionDeposit, ActionAward}

// AnyRole in an action's role list lets a post of any role issue the action, still
// only within its scope. It must be written out: an action with no role rule at all is
// refused.
const AnyRole hierarchy.Role = "*"

// Authorization rules named by refusals. The auth.* names are the ones package
// escalation uses for the same checks: one actor model across the services.
const (
	RuleActorRequired = "auth.actor-required"   // a command without a person and a post
	RulePost          = "auth.post"             // the post does not exist, is not the actor's, or is not active
	RuleRole          = "auth.role"             // the post's role may not issue the action, or the action has no role rule
	RuleScope         = "auth.scope"            // the claim's area (or place) lies outside the post's unit
	RuleSeparation    = "rewards.separation"    // nobody decides on, pays or claws back their own claim
	RuleWorkerPost    = "rewards.worker-post"   // the claimant holds no post in the tree when reporting
	RuleReportedAt    = "rewards.reported-at"   // a report time after the command's time
	RuleFundOpened    = "funds.already-open"    // the fund was opened under another reference
	RuleIdempotency   = "rewards.idempotency"   // a reference reused with another payload
	RuleAmountBounds  = "money.bounds"          // an amount outside what a real fund or scale holds
	RuleMoneyOverflow = "money.overflow"        // arithmetic that would not fit an int64 of fen
	RuleRolesMissing  = "rewards.roles-missing" // a policy with no role rules
)

func forbidden(op, rule, format string, args ...any) error {
	return &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

// authorize checks that actor may issue action at time at on something located in one
// of units:
//
//   - the actor names a person and a post (auth.actor-required), and the post exists, is
//     the person's and is active at at ([hierarchy.Tree.ActorPost]; auth.post);
//   - the policy has a role rule for the action that lists the post's role or
//     [AnyRole] (auth.role) — no rule, no command;
//   - the post's unit is, or is above, one of units in the tree (auth.scope): an officer
//     of a police station acts for the responsibility areas (beats) under it, a grid
//     worker for the grid.
//
// Instead of the role and scope, a grant may authorize: when the policy's Rights name
// a right for the action and the tree grants it to the actor's person over one of
// units at at ([hierarchy.Tree.HasRight]); the actor still acts in a post in force.
//
// Refusals are [*gridgov.Error] of kind [gridgov.ErrForbidden].
func (s *Service) authorize(op string, a Action, actor hierarchy.Actor, at time.Time, units ...hierarchy.UnitID) (hierarchy.Post, error) {
	if actor.Person == "" || actor.Post == "" {
		return hierarchy.Post{}, forbidden(op, RuleActorRequired, "%s needs an actor with a post", a)
	}
	t := s.tree.Load()
	post, err := t.ActorPost(actor, at)
	if err != nil {
		return hierarchy.Post{}, &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RulePost, Err: err}
	}
	if right, ok := s.policy.Rights[a]; ok {
		for _, u := range units {
			if u != "" && t.HasRight(hierarchy.PersonRef(actor.Person), right, hierarchy.UnitRef(u), at) {
				return post, nil
			}
		}
	}
	roles, ok := s.policy.Roles[a]
	if !ok {
		return post, forbidden(op, RuleRole, "the policy has no role rule for %s: nobody may issue it", a)
	}
	if !slices.Contains(roles, AnyRole) && !slices.Contains(roles, post.Role) {
		return post, forbidden(op, RuleRole, "role %q of post %s may not %s (allowed: %v)", post.Role, post.ID, a, roles)
	}
	for _, u := range units {
		if u != "" && t.Contains(post.Unit, u) {
			return post, nil
		}
	}
	return post, forbidden(op, RuleScope, "%s (post %s in %s) may not %s for %v", actor.Person, post.ID, post.Unit, a, nonEmpty(units))
}

func nonEmpty(us []hierarchy.UnitID) []hierarchy.UnitID {
	out := make([]hierarchy.UnitID, 0, len(us))
	for _, u := range us {
		if u != "" {
			out = append(out, u)
		}
	}
	return out
}

// separate refuses actor deciding on, paying or clawing back claim c when it is the
// actor's own: the claimant's, or one the actor submitted for someone else.
func separate(op string, a Action, actor hierarchy.Actor, c Claim) error {
	if actor.Person == c.Worker {
		return forbidden(op, RuleSeparation, "%s may not %s claim %s: it is their own", actor.Person, a, c.ID)
	}
	if len(c.History) > 0 && c.History[0].Action == "claimed" && c.History[0].By == actor.Person {
		return forbidden(op, RuleSeparation, "%s may not %s claim %s: they submitted it", actor.Person, a, c.ID)
	}
	return nil
}

// QinhuaiRoles returns the default role rules. They are a local choice [unverified]:
// the Qinhuai material says only that the police station's fund pays verified reports.
// Grid workers, grid heads and community police present claims; the beat's community
// police or a unit head (director) decides, pays and claws back; a unit head or a
// district leader opens and tops up funds and runs the year-end award.
func QinhuaiRoles() map[Action][]hierarchy.Role {
	deciders := []hierarchy.Role{hierarchy.RoleCommunityPolice, hierarchy.RoleDirector}
	heads := []hierarchy.Role{hierarchy.RoleDirector, hierarchy.RoleLeader}
	return map[Action][]hierarchy.Role{
		ActionSubmit:   {hierarchy.RoleGridWorker, hierarchy.RoleGridWorkerPartTime, hierarchy.RoleGridHead, hierarchy.RoleCommunityPolice},
		ActionApprove:  deciders,
		ActionReject:   deciders,
		ActionPay:      deciders,
		ActionClawback: deciders,
		ActionOpenFund: heads,
		ActionDeposit:  heads,
		ActionAward:    heads,
	}
}

// validateRoles fails closed: a policy must give role rules, for known actions only,
// each naming at least one role; rights, for known actions, must be named.
func validateRoles(roles map[Action][]hierarchy.Role, rights map[Action]hierarchy.Right) []error {
	var errs []error
	for _, a := range sortedKeys(rights) {
		if !slices.Contains(Actions, a) {
			errs = append(errs, fmt.Errorf("rights.%s: not an action (want one of %v)", a, Actions))
		}
		if rights[a] == "" {
			errs = append(errs, fmt.Errorf("rights.%s: names no right", a))
		}
	}
	if len(roles) == 0 {
		return append(errs, fmt.Errorf("roles: must give a role rule for each action (%v); an action without one is refused", Actions))
	}
	for _, a := range sortedKeys(roles) {
		if !slices.Contains(Actions, a) {
			errs = append(errs, fmt.Errorf("roles.%s: not an action (want one of %v)", a, Actions))
		}
		if len(roles[a]) == 0 {
			errs = append(errs, fmt.Errorf("roles.%s: lists no role; write %q for any role in scope", a, AnyRole))
		}
		for i, r := range roles[a] {
			if r == "" {
				errs = append(errs, fmt.Errorf("roles.%s[%d]: empty role", a, i))
			}
		}
	}
	return errs
}
