package mediation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// ActivityKind is a kind of work that is not a case but counts: legal consultations
// (法律咨询) and trainings (法治培训) given by grid legal officers.
type ActivityKind string

// The kinds of activity.
const (
	Consultation ActivityKind = "consultation"
	Training     ActivityKind = "training"
)

// Activity is one consultation or training given by a legal officer of a room.
type Activity struct {
	ID   string             `json:"id"`
	Kind ActivityKind       `json:"kind"`
	Room RoomID             `json:"room"`
	By   hierarchy.PersonID `json:"by"`
	At   time.Time          `json:"at"`
	// Topic is what was asked or taught; it should not hold personal data.
	Topic string `json:"topic"`
	// People is how many people were advised or trained.
	People int `json:"people"`
}

// CheckActivity reports why a cannot be recorded: it must be a consultation or a
// training, given at a known time by a person on the roster of its room whose kind is
// one of the policy's legal-officer kinds, to at least one person. Refusals are
// [*gridgov.Error] with Kind [gridgov.ErrInvalid] or, for the giver,
// [gridgov.ErrForbidden].
func (p Policy) CheckActivity(a Activity, net *Network) error {
	const op = "mediation.RecordActivity"
	bad := func(kind error, rule, format string, args ...any) error {
		return &gridgov.Error{Op: op, Kind: kind, Rule: rule, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case a.Kind != Consultation && a.Kind != Training:
		return bad(gridgov.ErrInvalid, "activity.kind", "unknown kind %q", a.Kind)
	case a.At.IsZero():
		return bad(gridgov.ErrInvalid, "activity.at", "no time")
	case a.People < 1:
		return bad(gridgov.ErrInvalid, "activity.people", "must reach at least one person, got %d", a.People)
	case strings.TrimSpace(a.Topic) == "":
		return bad(gridgov.ErrInvalid, "activity.topic", "no topic")
	}
	room, ok := net.Room(a.Room)
	if !ok {
		return bad(gridgov.ErrInvalid, "room.unknown", "room %q is not in the network", a.Room)
	}
	m, ok := room.Mediator(a.By)
	if !ok {
		return bad(gridgov.ErrForbidden, "auth.room-mediator", "%s is not on the roster of room %s", a.By, a.Room)
	}
	if !slices.Contains(p.LegalOfficerKinds, m.Kind) {
		return bad(gridgov.ErrForbidden, "activity.legal-officer", "%s is a %s, not a legal officer", a.By, m.Kind)
	}
	return nil
}
