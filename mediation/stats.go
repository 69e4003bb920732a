package mediation

import (
	"slices"
	"time"

	"github.com/gridgov/gridgov/hierarchy"
)

// Period is a half-open interval of time [From, To) for statistics. A zero From or To
// leaves that side open.
type Period struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// Contains reports whether t lies in the period.
func (p Period) Contains(t time.Time) bool {
	return (p.From.IsZero() || !t.Before(p.From)) && (p.To.IsZero() || t.Before(p.To))
}

// Stats are the counts of one room, mediator or unit subtree over a period. Each count
// belongs to the period in which its event happened:
//
//   - Cases: distinct cases accepted (受理) in the period; Refused: refusals.
//   - Concluded = Agreed + Failed: cases whose agreement took effect, or whose
//     mediation failed (including cases ended because the police or another organ
//     took them over), in the period. Refusals are not conclusions of mediation and
//     are counted apart.
//   - OnTime: concluded cases concluded by the deadline in force.
//   - TotalDuration: over the concluded cases, from the first acceptance by any room
//     (a referral does not restart the parties' wait) to the conclusion.
//   - ReferredUp, ReferredSideways: referrals out of the room; ReferredIn: into it.
//   - ReportedToPolice: reports to the police under art. 25 (a report ends nothing;
//     the case counts on in its other columns).
//   - Confirmed: agreements a court confirmed (司法确认), counted when it ruled.
//   - VisitBreaches: return visits that found a breach; Breaches: every breach
//     recorded (on visits or otherwise).
//   - Consultations, Trainings: activities of legal officers.
//
// A case counts for the room that held it when the event happened. A mediator's counts
// are those of the events that happened while they were assigned to the case (a
// confirmation or a visit counts for the mediators assigned when the agreement took
// effect); their Cases are the cases they were assigned to in the period. A unit's
// counts are those of the rooms its subtree hosts, each case counted once in Cases.
type Stats struct {
	Cases            int           `json:"cases"`
	Refused          int           `json:"refused"`
	Concluded        int           `json:"concluded"`
	Agreed           int           `json:"agreed"`
	Failed           int           `json:"failed"`
	OnTime           int           `json:"on_time"`
	TotalDuration    time.Duration `json:"total_duration"`
	ReferredUp       int           `json:"referred_up"`
	ReferredSideways int           `json:"referred_sideways"`
	ReferredIn       int           `json:"referred_in"`
	ReportedToPolice int           `json:"reported_to_police"`
	Confirmed        int           `json:"confirmed"`
	VisitBreaches    int           `json:"visit_breaches"`
	Breaches         int           `json:"breaches"`
	Consultations    int           `json:"consultations"`
	Trainings        int           `json:"trainings"`
}

// SuccessRate is Agreed / Concluded (调解成功率), 0 when nothing concluded. It is not
// rounded; round where it is shown.
func (s Stats) SuccessRate() float64 { return ratio(s.Agreed, s.Concluded) }

// OnTimeRate is OnTime / Concluded, 0 when nothing concluded.
func (s Stats) OnTimeRate() float64 { return ratio(s.OnTime, s.Concluded) }

// AverageDuration is TotalDuration / Concluded, truncated to the second; 0 when
// nothing concluded.
func (s Stats) AverageDuration() time.Duration {
	if s.Concluded == 0 {
		return 0
	}
	return (s.TotalDuration / time.Duration(s.Concluded)).Truncate(time.Second)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Report holds the statistics of one period for the whole network, each room, each
// mediator and each unit that hosts a room or is above one.
type Report struct {
	Period    Period                       `json:"period"`
	Total     Stats                        `json:"total"`
	Rooms     map[RoomID]Stats             `json:"rooms"`
	Mediators map[hierarchy.PersonID]Stats `json:"mediators"`
	Units     map[hierarchy.UnitID]Stats   `json:"units"`
}

// Summarize computes the report of period over cases and activities, in one pass over
// each. Cases and activities outside the network's rooms still count in Total and for
// their mediators, not for any room or unit.
func Summarize(net *Network, period Period, cases []Case, acts []Activity) Report {
	t := newTally(net, period)
	for i := range cases {
		t.addCase(&cases[i])
	}
	for _, a := range acts {
		t.addActivity(a)
	}
	return t.report()
}

// plus adds every count of d to s.
func (s *Stats) plus(d *Stats) {
	s.Cases += d.Cases
	s.Refused += d.Refused
	s.Concluded += d.Concluded
	s.Agreed += d.Agreed
	s.Failed += d.Failed
	s.OnTime += d.OnTime
	s.TotalDuration += d.TotalDuration
	s.ReferredUp += d.ReferredUp
	s.ReferredSideways += d.ReferredSideways
	s.ReferredIn += d.ReferredIn
	s.ReportedToPolice += d.ReportedToPolice
	s.Confirmed += d.Confirmed
	s.VisitBreaches += d.VisitBreaches
	s.Breaches += d.Breaches
	s.Consultations += d.Consultations
	s.Trainings += d.Trainings
}

// tally accumulates a Report. Each room's counters and those of the units above it are
// resolved once and cached as pointers, so an event costs a few additions, not map
// look-ups up the tree.
type tally struct {
	net       *Network
	period    Period
	total     Stats
	rooms     map[RoomID]*Stats
	units     map[hierarchy.UnitID]*Stats
	mediators map[hierarchy.PersonID]*Stats
	targets   map[RoomID]*targets
	seen      []*Stats // per case: the counters whose Cases it already counted
	buf       []hierarchy.PersonID
}

// targets are the counters an event of one room adds to: the room's (nil for a room
// outside the network) and those of its host unit and every unit above it.
type targets struct {
	room  *Stats
	units []*Stats
}

func newTally(net *Network, period Period) *tally {
	return &tally{
		net: net, period: period,
		rooms: make(map[RoomID]*Stats), units: make(map[hierarchy.UnitID]*Stats),
		mediators: make(map[hierarchy.PersonID]*Stats), targets: make(map[RoomID]*targets),
	}
}

func (t *tally) report() Report {
	r := Report{
		Period: t.period, Total: t.total,
		Rooms:     make(map[RoomID]Stats, len(t.rooms)),
		Units:     make(map[hierarchy.UnitID]Stats, len(t.units)),
		Mediators: make(map[hierarchy.PersonID]Stats, len(t.mediators)),
	}
	// A room or unit appears once something counted for it.
	for id, s := range t.rooms {
		if *s != (Stats{}) {
			r.Rooms[id] = *s
		}
	}
	for id, s := range t.units {
		if *s != (Stats{}) {
			r.Units[id] = *s
		}
	}
	for id, s := range t.mediators {
		if *s != (Stats{}) {
			r.Mediators[id] = *s
		}
	}
	return r
}

func (t *tally) targetsOf(room RoomID) *targets {
	if tg, ok := t.targets[room]; ok {
		return tg
	}
	tg := &targets{}
	if host, ok := t.net.Host(room); ok {
		tg.room = counter(t.rooms, room)
		tg.units = append(tg.units, counter(t.units, host))
		for _, a := range t.net.Tree().Ancestors(host) {
			tg.units = append(tg.units, counter(t.units, a))
		}
	}
	t.targets[room] = tg
	return tg
}

func counter[K comparable](m map[K]*Stats, k K) *Stats {
	s := m[k]
	if s == nil {
		s = new(Stats)
		m[k] = s
	}
	return s
}

// add adds d to the total, the room, every unit above the room and each mediator.
func (t *tally) add(room RoomID, mediators []hierarchy.PersonID, d *Stats) {
	t.total.plus(d)
	if room != "" {
		tg := t.targetsOf(room)
		if tg.room != nil {
			tg.room.plus(d)
		}
		for _, u := range tg.units {
			u.plus(d)
		}
	}
	for _, m := range mediators {
		counter(t.mediators, m).plus(d)
	}
}

// countCase adds one to s.Cases unless this case was already counted there.
func (t *tally) countCase(s *Stats) {
	if s != nil && !slices.Contains(t.seen, s) {
		t.seen = append(t.seen, s)
		s.Cases++
	}
}

// assignedAt returns the people assigned to c at instant at (an assignment that ended
// at that very instant, as on a referral, still counts), in a buffer reused per call.
func (t *tally) assignedAt(c *Case, at time.Time) []hierarchy.PersonID {
	t.buf = t.buf[:0]
	for _, a := range c.Mediators {
		if !a.At.After(at) && (a.EndedAt.IsZero() || !a.EndedAt.Before(at)) && !slices.Contains(t.buf, a.Person) {
			t.buf = append(t.buf, a.Person)
		}
	}
	return t.buf
}

func (t *tally) addCase(c *Case) {
	in := t.period.Contains
	var firstAccepted time.Time
	t.seen = t.seen[:0]
	for i := range c.History {
		e := &c.History[i]
		if e.Kind != EventAccepted {
			continue
		}
		if firstAccepted.IsZero() {
			firstAccepted = e.At
		}
		if !in(e.At) {
			continue
		}
		// Cases counts distinct cases at every level: the total, a room, a unit.
		t.countCase(&t.total)
		tg := t.targetsOf(e.Room)
		t.countCase(tg.room)
		for _, u := range tg.units {
			t.countCase(u)
		}
	}
	for _, a := range c.Mediators {
		if in(a.At) {
			t.countCase(counter(t.mediators, a.Person))
		}
	}
	for _, ref := range c.Referrals {
		if !in(ref.At) {
			continue
		}
		d := Stats{ReferredUp: 1}
		if ref.Direction != Up {
			d = Stats{ReferredSideways: 1}
		}
		t.add(ref.From, t.assignedAt(c, ref.At), &d)
		t.add(ref.To, nil, &Stats{ReferredIn: 1})
	}
	for _, r := range c.PoliceReports {
		if in(r.At) {
			t.add(r.Room, t.assignedAt(c, r.At), &Stats{ReportedToPolice: 1})
		}
	}
	at := c.Outcome.At
	switch c.State {
	case StateRefused:
		if in(at) {
			t.add(c.Room, nil, &Stats{Refused: 1})
		}
	case StateAgreed, StateFailed:
		ms := t.assignedAt(c, at)
		if in(at) {
			d := Stats{Concluded: 1}
			if c.State == StateAgreed {
				d.Agreed = 1
			} else {
				d.Failed = 1
			}
			if c.OnTime() {
				d.OnTime = 1
			}
			if !firstAccepted.IsZero() {
				d.TotalDuration = at.Sub(firstAccepted)
			}
			t.add(c.Room, ms, &d)
		}
		if c.State != StateAgreed {
			break
		}
		// Follow-up counts for the mediators who reached the agreement.
		var d Stats
		if cf := c.Confirmation; cf.Confirmed && in(cf.DecidedAt) {
			d.Confirmed = 1
		}
		for _, v := range c.Visits {
			if v.Finding == Breached && in(v.DoneAt) {
				d.VisitBreaches++
			}
		}
		for _, b := range c.Breaches {
			if in(b.At) {
				d.Breaches++
			}
		}
		if d != (Stats{}) {
			t.add(c.Room, ms, &d)
		}
	}
}

func (t *tally) addActivity(a Activity) {
	if !t.period.Contains(a.At) {
		return
	}
	var d Stats
	switch a.Kind {
	case Consultation:
		d.Consultations = 1
	case Training:
		d.Trainings = 1
	}
	t.buf = append(t.buf[:0], a.By)
	t.add(a.Room, t.buf, &d)
}
