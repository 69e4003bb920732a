package escalation

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
)

// Index fields of the case collection, for [Service.List] and for embedding systems
// that scan the store directly.
const (
	IndexUnit  = "unit"  // the location unit and every unit above it
	IndexOwner = "owner" // the owner and the assisting units
	IndexState = "state" // the state
	IndexOpen  = "open"  // "1" for a case not closed or voided
	// IndexNextCheck holds, for an open case, its NextCheck as a fixed-width UTC instant
	// ([NextCheckKey]), so that [Service.Due] ranges over the cases due by a time
	// instead of reading every open case. An open case without a NextCheck is indexed
	// at "0", before every instant, and so is always read.
	IndexNextCheck = "next_check"
)

// NextCheckKey is the value of [IndexNextCheck] for instant t: RFC 3339 in UTC with
// nine fractional digits, so that byte order is time order. Instants outside the years
// 0000–9999 are clamped to them.
func NextCheckKey(t time.Time) string {
	t = t.UTC()
	switch {
	case t.Year() < 0:
		return "0000-01-01T00:00:00.000000000Z"
	case t.Year() > 9999:
		return "9999-12-31T23:59:59.999999999Z"
	}
	// Written digit by digit: the key is made on every command, and this costs a third
	// of the layout-driven Format (a test compares the two).
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	ns := t.Nanosecond()
	var k [len("2006-01-02T15:04:05.000000000Z")]byte
	b := append2(append2(k[:0], y/100), y%100)
	b = append2(append(b, '-'), int(mo))
	b = append2(append(b, '-'), d)
	b = append2(append(b, 'T'), h)
	b = append2(append(b, ':'), mi)
	b = append2(append(b, ':'), sec)
	b = append(b, '.')
	for div := 100_000_000; div > 0; div /= 10 {
		b = append(b, byte('0'+ns/div%10))
	}
	return string(append(b, 'Z'))
}

// ServiceOptions configure a [Service]. A nil *ServiceOptions means defaults.
type ServiceOptions struct {
	// Clock gives the time of each command. Default: [gridgov.SystemClock].
	Clock gridgov.Clock
	// IDs issues case IDs. Default: a generator drawing on crypto/rand.
	IDs *gridgov.IDGenerator
	// Beats finds the community police officer of a location; nil routes police
	// matters by the table.
	Beats BeatResolver
	// Calendars, when set, gives units their own working calendars, inherited down the
	// tree (see [Env].Calendars); it decides every deadline, and the calendar passed to
	// [NewService] (which may then be nil) serves only [Service.Metrics].
	Calendars *calendar.Set
	// Collection names the store collection of cases. Default "escalation.cases".
	Collection string
	// MaxRetries bounds the compare-and-swap attempts of one command when other writers
	// keep saving the same case first. Default 1000.
	MaxRetries int
	// HeadCache bounds the number of open cases whose head, as last written by this
	// Service, is kept decoded, so that the next command on one of them does not decode
	// it again. An entry is used only while the stored head is byte for byte the one it
	// was written with, so a case written by another process is read afresh. Default
	// 4096 (a few megabytes); negative disables it.
	HeadCache int
}

// Service runs event cases over a store: each command is load → [Policy.Apply] under
// the policy version the case was filed under → compare-and-swap save, retried when
// another writer saved the case first, so concurrent commands on one case never lose
// each other's work.
//
// A case is stored as a head plus its events ([store.Log]): the head is the case
// without its history, carrying the fold state of its deadlines and what the rules
// read of the history (the last event's time, the last dispatch), and a command reads
// the head, decides on it, and appends only its own events with the new head in one
// compare-and-swap. So a command costs the same on a case of ten events as on one of a
// thousand, on a backend that implements [store.Appender]; on one that does not, head
// and events share one document and a command costs O(history) as before. A rebase
// reads the whole history, to fold it anew under the new policy.
//
// A Service is safe for concurrent use and starts no goroutines: warnings and
// escalations happen when the embedding system's scheduler calls [Service.RunDue].
// The zero value is not usable; use [NewService].
type Service struct {
	cases    *store.Log[caseHead, Event]
	retries  int
	policies atomic.Pointer[PolicySet]
	tree     *hierarchy.Tree
	cal      *calendar.Calendar
	cals     *calendar.Set
	beats    BeatResolver
	clock    gridgov.Clock
	ids      *gridgov.IDGenerator
	// units caches the unit index values of a location unit (the unit and its
	// ancestors): the tree never changes under a Service, and a case is indexed
	// again on every command.
	units sync.Map // hierarchy.UnitID → []string
}

// NewService returns a service storing cases in b, deciding them under the policies of
// ps (each checked against tree, see [Policy.CheckTree]) on calendar cal, or on the
// units' own calendars when opts.Calendars is set.
func NewService(b store.Backend, ps *PolicySet, tree *hierarchy.Tree, cal *calendar.Calendar, opts *ServiceOptions) (*Service, error) {
	if b == nil || ps == nil || tree == nil || (cal == nil && (opts == nil || opts.Calendars == nil)) {
		return nil, fmt.Errorf("escalation: new service: backend, policies, tree and calendar (or calendar set) are required: %w", gridgov.ErrInvalid)
	}
	for _, v := range ps.Versions() {
		p, _ := ps.Get(v)
		if err := p.CheckTree(tree); err != nil {
			return nil, fmt.Errorf("escalation: new service: policy %q: %w", v, err)
		}
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
	if o.Collection == "" {
		o.Collection = "escalation.cases"
	}
	if cal == nil {
		cal = o.Calendars.Fallback()
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 1000
	}
	if o.HeadCache == 0 {
		o.HeadCache = 4096
	}
	s := &Service{tree: tree, cal: cal, cals: o.Calendars, beats: o.Beats, clock: o.Clock, ids: o.IDs, retries: o.MaxRetries}
	s.policies.Store(ps)
	lo := &store.LogOptions[caseHead, Event]{
		Head: store.CollectionOptions[caseHead]{
			Indexes: map[string]func(caseHead) []string{
				IndexUnit: func(c caseHead) []string { return s.unitIndex(c.Location.Unit) },
				IndexOwner: func(c caseHead) []string {
					var us []string
					if c.Owner != "" {
						us = append(us, string(c.Owner))
					}
					for _, a := range c.Assisting {
						us = append(us, string(a))
					}
					return us
				},
				IndexState: func(c caseHead) []string { return stateIndex(c.State) },
				IndexOpen: func(c caseHead) []string {
					if c.State.Open() {
						return openIndex
					}
					return nil
				},
				IndexNextCheck: func(c caseHead) []string {
					switch {
					case !c.State.Open():
						return nil
					case c.NextCheck.IsZero():
						return []string{"0"}
					}
					return []string{NextCheckKey(c.NextCheck)}
				},
			},
			Encode: appendHead,
			Decode: decodeHead,
		},
		EncodeEvent: appendEvent,
		DecodeEvent: decodeEvent,
	}
	if o.HeadCache > 0 {
		lo.Cache = newHeadCache(o.HeadCache)
	}
	s.cases = store.NewLogWith(b, o.Collection, lo)
	return s, nil
}

// openIndex and stateIndexes are the values of [IndexOpen] and [IndexState], shared
// and read-only: the store copies index values, and these are written on every command.
var (
	openIndex    = []string{"1"}
	stateIndexes = func() map[State][]string {
		m := make(map[State][]string)
		for _, st := range []State{Reported, Filed, Dispatched, Handling, Handled, Verified, Closed, Voided, Parked} {
			m[st] = []string{string(st)}
		}
		return m
	}()
)

// stateIndex returns the values of [IndexState] for state st.
func stateIndex(st State) []string {
	if v, ok := stateIndexes[st]; ok {
		return v
	}
	return []string{string(st)}
}

// unitIndex returns the values of [IndexUnit] for location unit u: u and every unit
// above it. The slice is shared and read-only (the store copies index values).
func (s *Service) unitIndex(u hierarchy.UnitID) []string {
	if v, ok := s.units.Load(u); ok {
		return v.([]string)
	}
	us := []string{string(u)}
	for _, a := range s.tree.Ancestors(u) {
		us = append(us, string(a))
	}
	s.units.Store(u, us)
	return us
}

// Policies returns the registry of policy versions in force.
func (s *Service) Policies() *PolicySet { return s.policies.Load() }

// Publish registers p as the current policy: cases reported from now on are filed
// under it; existing cases keep theirs until [Service.Reevaluate]. p is validated and
// checked against the tree.
func (s *Service) Publish(p Policy) error {
	if err := p.CheckTree(s.tree); err != nil {
		return fmt.Errorf("escalation: publish %q: %w", p.Version, err)
	}
	for {
		cur := s.policies.Load()
		next, err := cur.With(p)
		if err != nil {
			return fmt.Errorf("escalation: publish: %w", err)
		}
		if s.policies.CompareAndSwap(cur, next) {
			return nil
		}
	}
}

func (s *Service) env(actor hierarchy.Actor) Env {
	return Env{Tree: s.tree, Calendar: s.cal, Calendars: s.cals, Beats: s.beats, Actor: actor}
}

// Report files a new case under the current policy at the clock's time, with a new
// ID when r.ID is empty. A report whose ID exists is a conflict. A follow-up
// ([Report.FollowUpOf]) must name a stored case (else [gridgov.ErrNotFound], rule
// "report.follow-up") that is closed (else [gridgov.ErrPrecondition], rule
// "report.follow-up-open"): a complaint about an open case is that case's business.
func (s *Service) Report(ctx context.Context, actor hierarchy.Actor, r Report) (Case, []Event, error) {
	at := s.clock.Now()
	if r.FollowUpOf != "" {
		orig, err := s.cases.Get(ctx, string(r.FollowUpOf))
		switch {
		case errors.Is(err, gridgov.ErrNotFound):
			return Case{}, nil, &gridgov.Error{Op: "escalation.report", Kind: gridgov.ErrNotFound, Rule: "report.follow-up",
				Msg: fmt.Sprintf("the case %s follows up is not stored", r.FollowUpOf)}
		case err != nil:
			return Case{}, nil, fmt.Errorf("escalation: report: follow-up of %s: %w", r.FollowUpOf, err)
		case orig.Value.State != Closed:
			return Case{}, nil, &gridgov.Error{Op: "escalation.report", Kind: gridgov.ErrPrecondition, Rule: "report.follow-up-open",
				Msg: fmt.Sprintf("case %s is %s, not closed: a follow-up is opened only for a closed case", r.FollowUpOf, orig.Value.State)}
		}
	}
	if r.ID == "" {
		id, err := s.ids.NewString(at)
		if err != nil {
			return Case{}, nil, fmt.Errorf("escalation: report: %w", err)
		}
		r.ID = CaseID(id)
	}
	p := s.Policies().Current()
	c, events, err := p.apply(Case{}, r, at, s.env(actor), true)
	if err != nil {
		return Case{}, nil, fmt.Errorf("escalation: report %s: %w", r.ID, err)
	}
	if _, err := s.cases.Append(ctx, string(r.ID), headOf(c), 0, events...); err != nil {
		if errors.Is(err, gridgov.ErrConflict) {
			err = &gridgov.Error{Op: "escalation.report", Kind: gridgov.ErrConflict, Rule: "case.exists", Msg: fmt.Sprintf("case %s exists", r.ID)}
		}
		return Case{}, nil, fmt.Errorf("escalation: report %s: %w", r.ID, err)
	}
	return c, events, nil
}

// Do applies cmd by actor to case id at the clock's time and saves the result,
// retrying on a version conflict. It returns the saved case and the events the
// command added. A refused command returns the [*gridgov.Error] of [Policy.Apply]
// (wrapped) and changes nothing; a missing case wraps [gridgov.ErrNotFound]. Use
// [Service.Report] to create a case.
//
// The returned case is usually partial (see [Case.Complete]): the stored head with
// the command's events in History. Use [Service.Get] for the whole history.
func (s *Service) Do(ctx context.Context, id CaseID, actor hierarchy.Actor, cmd Command) (Case, []Event, error) {
	return s.do(ctx, id, actor, cmd, s.clock.Now())
}

func (s *Service) do(ctx context.Context, id CaseID, actor hierarchy.Actor, cmd Command, at time.Time) (Case, []Event, error) {
	if _, ok := cmd.(Report); ok {
		return Case{}, nil, fmt.Errorf("escalation: do on %s: use Service.Report to create a case: %w", id, gridgov.ErrInvalid)
	}
	out, events, err := s.apply(ctx, id, actor, cmd, at)
	if err != nil {
		return Case{}, nil, fmt.Errorf("escalation: %s on case %s: %w", actionName(cmd), id, err)
	}
	return out, events, nil
}

// apply is one command's load, decision and compare-and-swap append, retried while
// other writers win.
func (s *Service) apply(ctx context.Context, id CaseID, actor hierarchy.Actor, cmd Command, at time.Time) (Case, []Event, error) {
	var last error
	for range s.retries {
		h, err := s.cases.Get(ctx, string(id))
		if errors.Is(err, gridgov.ErrNotFound) {
			return Case{}, nil, fmt.Errorf("case %s: %w", id, gridgov.ErrNotFound)
		}
		if err != nil {
			return Case{}, nil, err
		}
		if err := h.Value.check(string(id)); err != nil {
			return Case{}, nil, err
		}
		cur := h.Value.partial()
		p, err := s.policyFor(cur, cmd)
		if err != nil {
			return Case{}, nil, err
		}
		next, events, err := p.apply(cur, cmd, at, s.env(actor), true)
		if err == errNeedHistory {
			if cur, err = s.whole(ctx, h); err != nil {
				return Case{}, nil, err
			}
			next, events, err = p.apply(cur, cmd, at, s.env(actor), true)
		}
		if err != nil {
			return Case{}, nil, err
		}
		_, err = s.cases.Append(ctx, string(id), headOf(next), h.Version, events...)
		if errors.Is(err, gridgov.ErrConflict) {
			last = err
			continue
		}
		if err != nil {
			return Case{}, nil, err
		}
		return next, events, nil
	}
	return Case{}, nil, fmt.Errorf("gave up after %d attempts: %w", s.retries, last)
}

// caseHead is the stored head of a case: the case without its history, and the fold
// state after it. Its History shadows the case's, so that the head never encodes one.
// Fold is read-only once set, like the fold states of a case: the head, the case it
// was stored from, the cache entry and the next command's partial case all share it.
type caseHead struct {
	Case
	History []Event    `json:"history,omitempty"`
	Fold    *foldState `json:"fold"`
}

// headOf returns the head to store for case c, just decided by [Policy.Apply].
func headOf(c Case) caseHead {
	h := caseHead{Case: c, Fold: c.folded}
	h.Case.History, h.Case.prefix, h.Case.folded, h.Case.spare = nil, nil, nil, spare{}
	return h
}

// check refuses a head that does not carry a fold state: a case stored whole, with
// its history inside (the one-document form of earlier versions), which deciding on
// as a head would treat as a case without a history.
func (h caseHead) check(id string) error {
	if h.Fold == nil || h.Fold.Policy == "" || h.Fold.N == 0 || len(h.History) > 0 {
		return &gridgov.Error{Op: "escalation.load", Kind: gridgov.ErrInvalid, Rule: "case.head",
			Msg: fmt.Sprintf("case %s is not stored as a head with its fold state (a whole case of an earlier version?): import it into a new collection with Service.Import", id)}
	}
	return nil
}

// partial returns the partial case of head h, which passed check: no events, the
// head's fold state.
func (h caseHead) partial() Case {
	c := h.Case
	c.History, c.prefix = nil, h.Fold
	return c
}

// whole returns the case of head h with its whole history, read from the log.
func (s *Service) whole(ctx context.Context, h store.Head[caseHead]) (Case, error) {
	if err := h.Value.check(h.ID); err != nil {
		return Case{}, err
	}
	evs, err := s.cases.History(ctx, h.ID, 0)
	if err != nil {
		return Case{}, err
	}
	n := h.Value.Fold.N
	// Events past the head's are a newer head's: the log only grows.
	if len(evs) < n {
		return Case{}, fmt.Errorf("case %s: the head counts %d events, the log holds %d: %w", h.ID, n, len(evs), gridgov.ErrInvalid)
	}
	c := h.Value.Case
	c.History, c.prefix = evs[:n:n], nil
	return c, nil
}

func (s *Service) policyFor(c Case, cmd Command) (*Policy, error) {
	ps := s.Policies()
	if rb, ok := cmd.(Rebase); ok {
		p, ok := ps.Get(rb.Version)
		if !ok {
			return nil, &gridgov.Error{Op: "escalation.rebase", Kind: gridgov.ErrNotFound, Rule: "policy.version", Msg: fmt.Sprintf("version %q is not registered", rb.Version)}
		}
		return p, nil
	}
	return ps.For(c)
}

func actionName(cmd Command) string {
	if cmd == nil {
		return "nil command"
	}
	return string(cmd.Action())
}

// Get returns case id with its whole history, or an error wrapping
// [gridgov.ErrNotFound].
func (s *Service) Get(ctx context.Context, id CaseID) (Case, error) {
	h, err := s.cases.Get(ctx, string(id))
	if err == nil {
		var c Case
		if c, err = s.whole(ctx, h); err == nil {
			return c, nil
		}
	}
	return Case{}, fmt.Errorf("escalation: get %s: %w", id, err)
}

// Head returns case id without reading its history: a partial case (see
// [Case.Complete]) with no events, whose every other field is the stored one. It costs
// the same however long the history. A missing case wraps [gridgov.ErrNotFound].
func (s *Service) Head(ctx context.Context, id CaseID) (Case, error) {
	h, err := s.cases.Get(ctx, string(id))
	if err != nil {
		return Case{}, fmt.Errorf("escalation: head %s: %w", id, err)
	}
	if err := h.Value.check(string(id)); err != nil {
		return Case{}, fmt.Errorf("escalation: head %s: %w", id, err)
	}
	return h.Value.partial(), nil
}

// Import stores whole case c, read from an export or from the one-document store of an
// earlier version, as a head and its event log, under its own policy version (which
// must be registered). Its history must be complete and numbered from 1; its derived
// deadlines are recomputed. A stored case with c's ID is a conflict.
func (s *Service) Import(ctx context.Context, c Case) error {
	if c.ID == "" || !c.Complete() || len(c.History) == 0 {
		return &gridgov.Error{Op: "escalation.import", Kind: gridgov.ErrInvalid, Rule: "import.history",
			Msg: fmt.Sprintf("case %q: an import needs an ID and the whole history", c.ID)}
	}
	for i, e := range c.History {
		if e.Seq != i+1 || (i > 0 && e.At.Before(c.History[i-1].At)) {
			return &gridgov.Error{Op: "escalation.import", Kind: gridgov.ErrInvalid, Rule: "import.history",
				Msg: fmt.Sprintf("case %s: event %d has seq %d or goes back in time", c.ID, i+1, e.Seq)}
		}
	}
	p, err := s.Policies().For(c)
	if err != nil {
		return fmt.Errorf("escalation: import %s: %w", c.ID, err)
	}
	c = c.Clone()
	p.refresh(&c, s.env(hierarchy.Actor{}).cals(), true)
	if _, err := s.cases.Append(ctx, string(c.ID), headOf(c), 0, c.History...); err != nil {
		return fmt.Errorf("escalation: import %s: %w", c.ID, err)
	}
	return nil
}

// Query selects cases for [Service.List]: in the subtree of Unit, owned by or assisted
// by Owner, in State, and open only. Empty fields select everything.
type Query struct {
	Unit     hierarchy.UnitID
	Owner    hierarchy.UnitID
	State    State
	OpenOnly bool
}

// List returns the cases matching q, by ID, each with its whole history. It scans one
// index of the heads and filters the rest.
func (s *Service) List(ctx context.Context, q Query) ([]Case, error) {
	field, value := "", ""
	switch {
	case q.Owner != "":
		field, value = IndexOwner, string(q.Owner)
	case q.Unit != "":
		field, value = IndexUnit, string(q.Unit)
	case q.State != "":
		field, value = IndexState, string(q.State)
	case q.OpenOnly:
		field, value = IndexOpen, "1"
	}
	var out []Case
	for v, err := range s.cases.Scan(ctx, field, value) {
		if err != nil {
			return nil, fmt.Errorf("escalation: list: %w", err)
		}
		c := v.Value.Case
		if (q.Unit != "" && !s.tree.Contains(q.Unit, c.Location.Unit)) ||
			(q.State != "" && c.State != q.State) || (q.OpenOnly && !c.State.Open()) {
			continue
		}
		if c, err = s.whole(ctx, v); err != nil {
			return nil, fmt.Errorf("escalation: list: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// Due lists what must warn or escalate at time now over every open case, in order of
// the instant each fell due (see [Policy.DueFor]). It reads only the cases whose
// NextCheck is at or before now, through [IndexNextCheck]: on a backend with
// [store.RangeScanner] the cost is the number of cases due, not of cases open.
func (s *Service) Due(ctx context.Context, now time.Time) ([]Due, error) {
	ps := s.Policies()
	k := s.env(hierarchy.Actor{}).cals()
	var out []Due
	// Keys are fixed width, so key <= NextCheckKey(now) is key < that key with any byte
	// after it. The byte is a printable one: PostgreSQL refuses a NUL in text.
	for v, err := range s.cases.ScanRange(ctx, IndexNextCheck, "", NextCheckKey(now)+"~") {
		if err != nil {
			return nil, fmt.Errorf("escalation: due: %w", err)
		}
		if err := v.Value.check(v.ID); err != nil {
			return nil, fmt.Errorf("escalation: due: %w", err)
		}
		c := v.Value.partial()
		if !c.NextCheck.IsZero() && c.NextCheck.After(now) {
			continue
		}
		p, err := ps.For(c)
		if err != nil {
			return nil, fmt.Errorf("escalation: due: %w", err)
		}
		out = append(out, p.dueList(&c, now, k)...)
	}
	sortDue(out)
	return out, nil
}

// RunDue applies, as the system at time now, everything [Service.Due] lists and
// returns what it applied. An item another scheduler applied first (refused as no
// longer due) is skipped. Call it from the embedding system's scheduler; now should be
// the clock's time.
func (s *Service) RunDue(ctx context.Context, now time.Time) ([]Due, error) {
	due, err := s.Due(ctx, now)
	if err != nil {
		return nil, err
	}
	var done []Due
	for _, d := range due {
		if _, _, err := s.do(ctx, d.Case, hierarchy.Actor{}, d.Command, now); err != nil {
			if errors.Is(err, gridgov.ErrPrecondition) || errors.Is(err, gridgov.ErrInvalid) {
				continue
			}
			return done, err
		}
		done = append(done, d)
	}
	return done, nil
}

// Complain handles a complaint about closed case id: it reports follow-up case r (its
// FollowUpOf set to id; an empty category, location or source taken from the closed
// case) and links it from the closed case, which stays closed. It returns the
// follow-up. A case that is not closed is refused before anything is written.
func (s *Service) Complain(ctx context.Context, id CaseID, actor hierarchy.Actor, r Report, reason string) (Case, error) {
	orig, err := s.Head(ctx, id)
	if err != nil {
		return Case{}, err
	}
	if orig.State != Closed {
		return Case{}, &gridgov.Error{Op: "escalation.complain", Kind: gridgov.ErrPrecondition, Rule: "state.transition",
			Msg: fmt.Sprintf("case %s is %s, not closed: it is still being worked on", id, orig.State)}
	}
	r.FollowUpOf = id
	if r.Category == "" {
		r.Category = orig.Category
	}
	if r.Location.Unit == "" {
		r.Location = orig.Location
	}
	if r.Source == "" {
		r.Source = orig.Source
	}
	f, _, err := s.Report(ctx, actor, r)
	if err != nil {
		return Case{}, fmt.Errorf("escalation: complain about %s: %w", id, err)
	}
	if _, _, err := s.Do(ctx, id, actor, Complain{FollowUp: f.ID, Reason: reason}); err != nil {
		return f, fmt.Errorf("escalation: complain about %s: follow-up %s reported, link failed: %w", id, f.ID, err)
	}
	return f, nil
}

// Reevaluate moves open case id to policy version (an explicit [Rebase]): its
// deadlines are recomputed from its history under the new rules.
func (s *Service) Reevaluate(ctx context.Context, id CaseID, actor hierarchy.Actor, version, reason string) (Case, error) {
	c, _, err := s.Do(ctx, id, actor, Rebase{Version: version, Reason: reason})
	return c, err
}

// Tree returns the service's organisation tree.
func (s *Service) Tree() *hierarchy.Tree { return s.tree }

// Metrics computes the metrics of every stored case (see [Compute]); set opts.Tree
// (to [Service.Tree], say) for per-unit metrics. Deadlines are measured on the
// service's calendars (opts.Calendars, when set, decides instead), units inheriting
// through the service's tree. It reads the whole collection in one pass.
func (s *Service) Metrics(ctx context.Context, opts MetricsOptions) (MetricsReport, error) {
	var scanErr error
	seq := func(yield func(Case) bool) {
		for v, err := range s.cases.Scan(ctx, "", "") {
			if err != nil {
				scanErr = err
				return
			}
			c, err := s.whole(ctx, v)
			if err != nil {
				scanErr = err
				return
			}
			if !yield(c) {
				return
			}
		}
	}
	k := s.env(hierarchy.Actor{}).cals()
	if opts.Calendars != nil {
		k.set = opts.Calendars
	}
	r := compute(iter.Seq[Case](seq), s.Policies(), k, opts)
	if scanErr != nil {
		return MetricsReport{}, fmt.Errorf("escalation: metrics: %w", scanErr)
	}
	return r, nil
}
