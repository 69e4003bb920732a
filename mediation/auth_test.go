package mediation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
)

// TestAuthorize_PostInForce: a mediator's authority comes from a post of the tree (or a
// grant) in force at the command's time, never from the name alone (issue 9: a
// mediator whose post ended could act by omitting the post).
func TestAuthorize_PostInForce(t *testing.T) {
	w := newWorld(t)
	t0 := day(2025, 9, 1, 9, 0)
	c := w.run(t, mediation.Case{}, upToMediating(t0))
	at := t0.Add(72 * time.Hour)
	env := func(a hierarchy.Actor) mediation.Env {
		return mediation.Env{Network: w.net, Calendar: w.cal, Actor: a}
	}
	tests := []struct {
		name   string
		reason string
		actor  hierarchy.Actor
		at     time.Time
		rule   string
	}{
		{name: "OK", reason: "a roster mediator in her post, in force", actor: actorOf("m3a"), at: at},
		{name: "ErrPostOmitted", reason: "omitting the post gives no authority: it must come from the tree", actor: hierarchy.Actor{Person: "m3a"}, at: at, rule: mediation.RulePostRequired},
		{name: "ErrPostEnded", reason: "m3e's post in 莲子营 ended on 1 July 2025", actor: hierarchy.Actor{Person: ended, Post: postOf(ended)}, at: at, rule: mediation.RulePost},
		{name: "ErrPostEndedOmitted", reason: "the defect of issue 9: the ended mediator leaves the post out", actor: hierarchy.Actor{Person: ended}, at: at, rule: mediation.RulePostRequired},
		{name: "OKBeforeEnd", reason: "the same post, in force before it ended", actor: hierarchy.Actor{Person: ended, Post: postOf(ended)}, at: day(2025, 6, 30, 9, 0), rule: ""},
		{name: "ErrOtherPost", reason: "the roster pins m3e to her 莲子营 post; her new post elsewhere gives no authority here", actor: hierarchy.Actor{Person: ended, Post: endedNow}, at: at, rule: mediation.RuleRosterPost},
		{name: "ErrSomeoneElsesPost", reason: "a post held by another person", actor: hierarchy.Actor{Person: "m3a", Post: postOf("m3b")}, at: at, rule: mediation.RulePost},
		{name: "ErrUnknownPost", reason: "a post that is in no tree", actor: hierarchy.Actor{Person: "m3a", Post: "m3a@nowhere"}, at: at, rule: mediation.RulePost},
		{name: "OKGrant", reason: "an explicit grant of RightMediate over the room's host, in force", actor: hierarchy.Actor{Person: granted}, at: at},
		{name: "ErrGrantExpired", reason: "the grant ended with 2025", actor: hierarchy.Actor{Person: granted}, at: day(2026, 1, 5, 9, 0), rule: mediation.RulePostRequired},
		{name: "ErrGrantNamesPost", reason: "a grant holder naming a post they do not hold", actor: hierarchy.Actor{Person: granted, Post: postOf(granted)}, at: at, rule: mediation.RulePost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Authorize reads only the case's room, parties and recusals.
			err := mediation.Authorize(c, mediation.Accept{}, tt.at, env(tt.actor))
			if tt.rule == "" {
				if err != nil {
					t.Fatalf("Authorize = %v, want nil (%s)", err, tt.reason)
				}
				return
			}
			if !errors.Is(err, gridgov.ErrForbidden) || gridgov.RuleOf(err) != tt.rule {
				t.Fatalf("Authorize = %v, want ErrForbidden rule %s (%s)", err, tt.rule, tt.reason)
			}
		})
	}
}

// TestService_PostRequired: through the Service, an actor without a post in force is
// refused and nothing is stored (issue 9; the Service used to check a post only when
// the actor named one).
func TestService_PostRequired(t *testing.T) {
	f := newServiceFixture(t)
	ctx := context.Background()
	if _, err := f.svc.Open(ctx, hierarchy.Actor{Person: "m3a"}, openCmd(rLZY, mediation.DisputeNeighbour)); gridgov.RuleOf(err) != mediation.RulePostRequired {
		t.Fatalf("Open without a post = %v, want %s", err, mediation.RulePostRequired)
	}
	if _, err := f.svc.Get(ctx, "C1"); !errors.Is(err, gridgov.ErrNotFound) {
		t.Fatalf("a refused Open stored the case: %v", err)
	}
	c, err := f.svc.Open(ctx, actorOf("m3a"), openCmd(rLZY, mediation.DisputeNeighbour))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if e := c.History[0]; e.Actor != "m3a" || e.Post != postOf("m3a") {
		t.Errorf("event actor = %s in %s, want m3a in %s: the record names the post acted in", e.Actor, e.Post, postOf("m3a"))
	}
	for _, a := range []hierarchy.Actor{{Person: ended}, {Person: ended, Post: postOf(ended)}} {
		if _, _, err := f.svc.Do(ctx, c.ID, a, mediation.Accept{}); !errors.Is(err, gridgov.ErrForbidden) {
			t.Errorf("Do by %+v, whose post ended = %v, want ErrForbidden", a, err)
		}
	}
	_, err = f.svc.RecordActivity(ctx, hierarchy.Actor{Person: "m3b"}, mediation.Activity{Kind: mediation.Consultation, Room: rLZY, Topic: "继承", People: 1})
	if gridgov.RuleOf(err) != mediation.RulePostRequired {
		t.Errorf("RecordActivity without a post = %v, want %s", err, mediation.RulePostRequired)
	}
}
