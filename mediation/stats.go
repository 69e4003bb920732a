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
//     mediation failed, in the period. Refusals and referrals to the police are not
//     conclusions of mediation and are counted apart.
//   - OnTime: concluded cases concluded by the deadline in force.
//   - TotalDuration: over the concluded cases, from the first acceptance by any room
//     (a referral does not restart the parties' wait) to the conclusion.
//   - ReferredUp, ReferredSideways: referrals out of the room; ReferredIn: into it.
//   - ReferredToPolice: cases handed to the police.
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
	ReferredToPolice int           `json:"referred_to_police"`
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

// tally accumulates a Report. The per-case scratch sets keep a case from counting twice
// in Cases for one unit or mediator.
type tally struct {
	net    *Network
	period Period
	r      Report
	chains map[RoomID][]hierarchy.UnitID
	units  []hierarchy.UnitID
	people []hierarchy.PersonID
}

func newTally(net *Network, period Period) *tally {
	return &tally{
		net: net, period: period,
		r: Report{
			Period: period, Rooms: make(map[RoomID]Stats),
			Mediators: make(map[hierarchy.PersonID]Stats), Units: make(map[hierarchy.UnitID]Stats),
		},
		chains: make(map[RoomID][]hierarchy.UnitID),
	}
}

func (t *tally) report() Report { return t.r }

// chain is the room's host unit and every unit above it.
func (t *tally) chain(room RoomID) []hierarchy.UnitID {
	if ch, ok := t.chains[room]; ok {
		return ch
	}
	var ch []hierarchy.UnitID
	if host, ok := t.net.Host(room); ok {
		ch = append([]hierarchy.UnitID{host}, t.net.Tree().Ancestors(host)...)
	}
	t.chains[room] = ch
	return ch
}

// add applies f to the total, the room, every unit above the room and each mediator.
func (t *tally) add(room RoomID, mediators []hierarchy.PersonID, f func(*Stats)) {
	f(&t.r.Total)
	if room != "" {
		if _, ok := t.net.Room(room); ok {
			s := t.r.Rooms[room]
			f(&s)
			t.r.Rooms[room] = s
		}
		for _, u := range t.chain(room) {
			s := t.r.Units[u]
			f(&s)
			t.r.Units[u] = s
		}
	}
	for _, m := range mediators {
		s := t.r.Mediators[m]
		f(&s)
		t.r.Mediators[m] = s
	}
}

// assignedAt returns the people assigned to c at instant at (an assignment that ended
// at that very instant, as on a referral, still counts).
func assignedAt(c *Case, at time.Time, buf []hierarchy.PersonID) []hierarchy.PersonID {
	buf = buf[:0]
	for _, a := range c.Mediators {
		if !a.At.After(at) && (a.EndedAt.IsZero() || !a.EndedAt.Before(at)) && !slices.Contains(buf, a.Person) {
			buf = append(buf, a.Person)
		}
	}
	return buf
}

func (t *tally) addCase(c *Case) {
	in := t.period.Contains
	var firstAccepted time.Time
	counted := false
	t.units = t.units[:0]
	for _, e := range c.History {
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
		if !counted {
			t.r.Total.Cases++
			counted = true
		}
		if _, ok := t.net.Room(e.Room); ok {
			s := t.r.Rooms[e.Room]
			s.Cases++
			t.r.Rooms[e.Room] = s
		}
		for _, u := range t.chain(e.Room) {
			if !slices.Contains(t.units, u) {
				t.units = append(t.units, u)
				s := t.r.Units[u]
				s.Cases++
				t.r.Units[u] = s
			}
		}
	}
	t.people = t.people[:0]
	for _, a := range c.Mediators {
		if in(a.At) && !slices.Contains(t.people, a.Person) {
			t.people = append(t.people, a.Person)
			s := t.r.Mediators[a.Person]
			s.Cases++
			t.r.Mediators[a.Person] = s
		}
	}
	var buf [8]hierarchy.PersonID
	for _, ref := range c.Referrals {
		if !in(ref.At) {
			continue
		}
		ms := assignedAt(c, ref.At, buf[:])
		dir := ref.Direction
		t.add(ref.From, ms, func(s *Stats) {
			if dir == Up {
				s.ReferredUp++
			} else {
				s.ReferredSideways++
			}
		})
		t.add(ref.To, nil, func(s *Stats) { s.ReferredIn++ })
	}
	switch c.State {
	case StateRefused:
		if in(c.Outcome.At) {
			t.add(c.Room, nil, func(s *Stats) { s.Refused++ })
		}
	case StatePolice:
		if in(c.Outcome.At) {
			t.add(c.Room, assignedAt(c, c.Outcome.At, buf[:]), func(s *Stats) { s.ReferredToPolice++ })
		}
	case StateAgreed, StateFailed:
		at := c.Outcome.At
		ms := assignedAt(c, at, buf[:])
		if in(at) {
			agreed, onTime := c.State == StateAgreed, c.OnTime()
			var dur time.Duration
			if !firstAccepted.IsZero() {
				dur = at.Sub(firstAccepted)
			}
			t.add(c.Room, ms, func(s *Stats) {
				s.Concluded++
				if agreed {
					s.Agreed++
				} else {
					s.Failed++
				}
				if onTime {
					s.OnTime++
				}
				s.TotalDuration += dur
			})
		}
		if c.State != StateAgreed {
			break
		}
		if cf := c.Confirmation; cf.Confirmed && in(cf.DecidedAt) {
			t.add(c.Room, ms, func(s *Stats) { s.Confirmed++ })
		}
		for _, v := range c.Visits {
			if v.Finding == Breached && in(v.DoneAt) {
				t.add(c.Room, ms, func(s *Stats) { s.VisitBreaches++ })
			}
		}
		for _, b := range c.Breaches {
			if in(b.At) {
				t.add(c.Room, ms, func(s *Stats) { s.Breaches++ })
			}
		}
	}
}

func (t *tally) addActivity(a Activity) {
	if !t.period.Contains(a.At) {
		return
	}
	kind := a.Kind
	t.add(a.Room, []hierarchy.PersonID{a.By}, func(s *Stats) {
		switch kind {
		case Consultation:
			s.Consultations++
		case Training:
			s.Trainings++
		}
	})
}
