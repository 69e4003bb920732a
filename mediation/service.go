package mediation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
)

// ServiceOptions configures a [Service]. A nil *ServiceOptions means defaults.
type ServiceOptions struct {
	// Clock gives the time of each command. Default: [gridgov.SystemClock].
	Clock gridgov.Clock
	// IDs issues case and activity IDs. Default: a generator drawing on crypto/rand.
	IDs *gridgov.IDGenerator
	// Cases and Activities name the store collections. Defaults: "mediation.cases"
	// and "mediation.activities".
	Cases, Activities string
}

// Service runs mediation cases over a store: each command is load → [Policy.Apply] →
// compare-and-swap save, retried when another writer saved the case first, so two
// mediators acting on one case at once never lose each other's work.
//
// A Service is safe for concurrent use; it starts no goroutines. The zero value is not
// usable; use [NewService].
type Service struct {
	policy Policy
	net    *Network
	cal    *calendar.Calendar
	clock  gridgov.Clock
	ids    *gridgov.IDGenerator
	cases  *store.Collection[caseDoc]
	acts   *store.Collection[Activity]
}

// NewService returns a service storing in b under policy p (validated here), the
// network net and the working calendar cal.
func NewService(b store.Backend, p Policy, net *Network, cal *calendar.Calendar, opts *ServiceOptions) (*Service, error) {
	if b == nil || net == nil || cal == nil {
		return nil, fmt.Errorf("mediation: new service: backend, network and calendar are required: %w", gridgov.ErrInvalid)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("mediation: new service: %w", err)
	}
	var o ServiceOptions
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = gridgov.SystemClock{}
	}
	if o.IDs == nil {
		o.IDs = gridgov.NewIDGenerator(nil)
	}
	if o.Cases == "" {
		o.Cases = "mediation.cases"
	}
	if o.Activities == "" {
		o.Activities = "mediation.activities"
	}
	return &Service{
		policy: p, net: net, cal: cal, clock: o.Clock, ids: o.IDs,
		cases: store.NewCollection(b, o.Cases, &store.CollectionOptions[caseDoc]{
			Indexes: map[string]func(caseDoc) []string{
				"room":  func(d caseDoc) []string { return []string{string(d.Room)} },
				"state": func(d caseDoc) []string { return []string{string(d.State)} },
			},
			Encode: appendCaseDoc, Decode: decodeCaseDoc,
		}),
		acts: store.NewCollection(b, o.Activities, &store.CollectionOptions[Activity]{
			Indexes: map[string]func(Activity) []string{
				"room": func(a Activity) []string { return []string{string(a.Room)} },
			},
		}),
	}, nil
}

// Policy returns the service's policy.
func (s *Service) Policy() Policy { return s.policy }

// Network returns the service's network.
func (s *Service) Network() *Network { return s.net }

// env returns the decision environment; [Policy.Apply] checks the actor's authority
// ([Authorize]) at the command's time.
func (s *Service) env(a hierarchy.Actor) Env {
	return Env{Network: s.net, Calendar: s.cal, Actor: a}
}

// Open opens a case in o.Room at the clock's time, with a new ID when o.ID is empty.
func (s *Service) Open(ctx context.Context, actor hierarchy.Actor, o Open) (Case, error) {
	at := s.clock.Now()
	if o.ID == "" {
		id, err := s.ids.NewString(at)
		if err != nil {
			return Case{}, fmt.Errorf("mediation: open: %w", err)
		}
		o.ID = CaseID(id)
	}
	env := s.env(actor)
	var out Case
	_, err := s.cases.Update(ctx, string(o.ID), func(_ caseDoc, exists bool) (caseDoc, error) {
		if exists {
			return caseDoc{}, &gridgov.Error{Op: o.op(), Kind: gridgov.ErrConflict, Rule: "case.open-once", Msg: fmt.Sprintf("case %s exists", o.ID)}
		}
		c, _, err := s.policy.Apply(Case{}, o, at, env)
		if err != nil {
			return caseDoc{}, err
		}
		out = c
		return toDoc(c), nil
	})
	if err != nil {
		return Case{}, fmt.Errorf("mediation: open %s: %w", o.ID, err)
	}
	return out, nil
}

// Do applies cmd to case id at the clock's time and saves the result, retrying on a
// version conflict. It returns the saved case and the events the command added. A
// refused command returns the [*gridgov.Error] of [Policy.Apply] (wrapped) and changes
// nothing; a missing case wraps [gridgov.ErrNotFound].
func (s *Service) Do(ctx context.Context, id CaseID, actor hierarchy.Actor, cmd Command) (Case, []Event, error) {
	if _, ok := cmd.(Open); ok {
		return Case{}, nil, fmt.Errorf("mediation: do %s: use Service.Open to open a case: %w", id, gridgov.ErrInvalid)
	}
	at := s.clock.Now()
	env := s.env(actor)
	var (
		out    Case
		events []Event
	)
	_, err := s.cases.Update(ctx, string(id), func(cur caseDoc, exists bool) (caseDoc, error) {
		if !exists {
			return caseDoc{}, fmt.Errorf("case %s: %w", id, gridgov.ErrNotFound)
		}
		c, err := cur.decode()
		if err != nil {
			return caseDoc{}, err
		}
		next, evs, err := s.policy.Apply(c, cmd, at, env)
		if err != nil {
			return caseDoc{}, err
		}
		out, events = next, evs
		return toDoc(next), nil
	})
	if err != nil {
		return Case{}, nil, fmt.Errorf("mediation: do %s on case %s: %w", opName(cmd), id, err)
	}
	return out, events, nil
}

func opName(cmd Command) string {
	if cmd == nil {
		return "nil command"
	}
	return strings.TrimPrefix(cmd.op(), "mediation.")
}

// Get returns case id, or an error wrapping [gridgov.ErrNotFound].
func (s *Service) Get(ctx context.Context, id CaseID) (Case, error) {
	v, err := s.cases.Get(ctx, string(id))
	if err != nil {
		return Case{}, fmt.Errorf("mediation: get %s: %w", id, err)
	}
	return v.Value.decode()
}

// InRoom returns the cases room holds now, by ID.
func (s *Service) InRoom(ctx context.Context, room RoomID) ([]Case, error) {
	return s.scan(ctx, "room", string(room))
}

// InState returns the cases in state st, by ID.
func (s *Service) InState(ctx context.Context, st State) ([]Case, error) {
	return s.scan(ctx, "state", string(st))
}

func (s *Service) scan(ctx context.Context, field, value string) ([]Case, error) {
	var out []Case
	for v, err := range s.cases.Scan(ctx, field, value) {
		if err != nil {
			return nil, fmt.Errorf("mediation: scan: %w", err)
		}
		c, err := v.Value.decode()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// DueVisit is a return visit not yet made.
type DueVisit struct {
	Case  CaseID    `json:"case"`
	Room  RoomID    `json:"room"`
	Visit int       `json:"visit"`
	Due   time.Time `json:"due"`
}

// DueVisits returns the return visits not yet made that fall due by the instant by,
// earliest first.
func (s *Service) DueVisits(ctx context.Context, by time.Time) ([]DueVisit, error) {
	cases, err := s.InState(ctx, StateAgreed)
	if err != nil {
		return nil, err
	}
	var out []DueVisit
	for _, c := range cases {
		for i, v := range c.Visits {
			if v.DoneAt.IsZero() && !v.Due.After(by) {
				out = append(out, DueVisit{Case: c.ID, Room: c.Room, Visit: i, Due: v.Due})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b DueVisit) int { return a.Due.Compare(b.Due) })
	return out, nil
}

// RecordActivity records a consultation or training given by the actor at the clock's
// time (unless a.At is set), with a new ID. The actor needs the same authority in the
// activity's room as for a case ([Authorize]), at the time of recording; see also
// [Policy.CheckActivity].
func (s *Service) RecordActivity(ctx context.Context, actor hierarchy.Actor, a Activity) (Activity, error) {
	now := s.clock.Now()
	if a.At.IsZero() {
		a.At = now
	}
	a.By = actor.Person
	if err := s.policy.CheckActivity(a, s.net); err != nil {
		return Activity{}, err
	}
	if err := authority("mediation.RecordActivity", s.net, a.Room, actor, now); err != nil {
		return Activity{}, err
	}
	id, err := s.ids.NewString(now)
	if err != nil {
		return Activity{}, fmt.Errorf("mediation: record activity: %w", err)
	}
	a.ID = id
	if _, err := s.acts.Put(ctx, id, a, 0); err != nil {
		return Activity{}, fmt.Errorf("mediation: record activity: %w", err)
	}
	return a, nil
}

// Report computes the statistics of period over every stored case and activity. It
// reads the whole collections; a district with years of cases should keep the report
// of closed periods rather than recompute it.
func (s *Service) Report(ctx context.Context, period Period) (Report, error) {
	t := newTally(s.net, period)
	for v, err := range s.cases.Scan(ctx, "", "") {
		if err != nil {
			return Report{}, fmt.Errorf("mediation: report: %w", err)
		}
		// Statistics never need the parties' numbers: skip decoding them.
		c := v.Value.Case
		t.addCase(&c)
	}
	for v, err := range s.acts.Scan(ctx, "", "") {
		if err != nil {
			return Report{}, fmt.Errorf("mediation: report: %w", err)
		}
		t.addActivity(v.Value)
	}
	return t.report(), nil
}

// caseDoc is the storage form of a Case: the case's own fields, with the parties in
// their storage form (full resident ID and phone) in place of the masked ones.
type caseDoc struct {
	Case
	Parties []partyRecord `json:"parties"`
}

func toDoc(c Case) caseDoc {
	d := caseDoc{Case: c, Parties: make([]partyRecord, len(c.Parties))}
	d.Case.Parties = nil
	for i, p := range c.Parties {
		d.Parties[i] = p.record()
	}
	return d
}

func (d caseDoc) decode() (Case, error) {
	c := d.Case
	c.Parties = make([]Party, len(d.Parties))
	for i, r := range d.Parties {
		p, err := r.party()
		if err != nil {
			return Case{}, fmt.Errorf("mediation: decode case %s: %w", d.ID, err)
		}
		c.Parties[i] = p
	}
	return c, nil
}

// MarshalRecord encodes c in its storage form, the only encoding that holds the
// parties' full resident ID numbers and phones. It is for systems that persist cases
// without a [Service]; never log its output.
func MarshalRecord(c Case) ([]byte, error) {
	b, err := appendCaseDoc(nil, toDoc(c))
	if err != nil {
		return nil, fmt.Errorf("mediation: marshal record %s: %w", c.ID, err)
	}
	return b, nil
}

// UnmarshalRecord decodes a case encoded by [MarshalRecord], validating the parties'
// numbers; errors wrap [gridgov.ErrInvalid].
func UnmarshalRecord(b []byte) (Case, error) {
	var d caseDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return Case{}, fmt.Errorf("mediation: unmarshal record: %w: %w", gridgov.ErrInvalid, err)
	}
	return d.decode()
}
