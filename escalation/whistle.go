package escalation

import (
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
)

// ReportInDue returns the instant by which summons s of whistle w must report in,
// under the whistle type's ReportIn limit; ok is false for an unknown type.
func (p *Policy) ReportInDue(w Whistle, s Summons, cal *calendar.Calendar) (time.Time, bool) {
	r, ok := p.Whistle.Types[w.Type]
	if !ok {
		return time.Time{}, false
	}
	return limitInstant(cal, s.At, r.ReportIn), true
}

// ReportedOnTime reports whether summons s reported in by its deadline; false while
// it has not reported.
func (p *Policy) ReportedOnTime(w Whistle, s Summons, cal *calendar.Calendar) bool {
	due, ok := p.ReportInDue(w, s, cal)
	return ok && !s.ReportedAt.IsZero() && !s.ReportedAt.After(due)
}

// WhistleDue returns the instant by which whistle w must be resolved before it goes up.
func (p *Policy) WhistleDue(w Whistle, cal *calendar.Calendar) (time.Time, bool) {
	r, ok := p.Whistle.Types[w.Type]
	if !ok {
		return time.Time{}, false
	}
	return limitInstant(cal, w.At, r.Resolve), true
}

// cloneWhistles copies the whistles (and their summons) once per decision before the
// decision changes them.
func (d *decision) whistles() []Whistle {
	if !d.cloned {
		ws := make([]Whistle, len(d.c.Whistles), len(d.c.Whistles)+1)
		for i, w := range d.c.Whistles {
			w.Summons = slices.Clone(w.Summons)
			ws[i] = w
		}
		d.c.Whistles = ws
		d.cloned = true
	}
	return d.c.Whistles
}

func (d *decision) openWhistle() (*Whistle, bool) {
	ws := d.whistles()
	for i := len(ws) - 1; i >= 0; i-- {
		if ws[i].Open() {
			return &ws[i], true
		}
	}
	return nil, false
}

func (d *decision) whistle(b BlowWhistle) error {
	if w, ok := d.c.OpenWhistle(); ok {
		return d.fail(gridgov.ErrPrecondition, "whistle.one-open", "whistle %d of case %s is still open", w.Seq, d.c.ID)
	}
	by, _ := territory(d.env.Tree, d.post.Unit, true)
	return d.blow(b.Type, by, b.Reason, 0)
}

// blow opens a whistle from unit by to the next escalation level above it and raises
// the case to that level.
func (d *decision) blow(typ WhistleType, by hierarchy.UnitID, reason string, parent int) error {
	t := d.env.Tree
	u, _ := t.Unit(by)
	from := d.p.levelIndex(u.Level)
	if from < 0 || from+1 >= len(d.p.Escalation.Levels) {
		return d.fail(gridgov.ErrPrecondition, "whistle.no-target", "there is no level above %s (%s) to blow the whistle to", by, u.Level)
	}
	level := d.p.Escalation.Levels[from+1]
	to, ok := t.AncestorAt(by, level)
	if !ok {
		return d.fail(gridgov.ErrPrecondition, "whistle.no-target", "%s has no %s above it", by, level)
	}
	ws := d.whistles()
	w := Whistle{Seq: len(ws) + 1, Type: typ, By: by, To: to, ToLevel: level, At: d.at, Reason: reason, Parent: parent}
	d.c.Whistles = append(ws, w)
	if parent == 0 {
		d.emit(Event{Action: ActionWhistle, Reason: reason, Unit: to, Whistle: w.Seq})
	} else {
		d.emitSystem(Event{Action: ActionWhistle, Reason: reason, Unit: to, Whistle: w.Seq})
	}
	d.raise(from+1, "whistle")
	return nil
}

func (d *decision) summon(s Summon) error {
	t := d.env.Tree
	w, _ := d.openWhistle()
	type add struct {
		unit   hierarchy.UnitID
		leader hierarchy.PersonID
	}
	var adds []add
	summoned := func(a add) bool {
		for _, x := range w.Summons {
			if (a.unit != "" && x.Unit == a.unit) || (a.leader != "" && x.Leader == a.leader) {
				return true
			}
		}
		return slices.Contains(adds, a)
	}
	for _, u := range s.Units {
		switch {
		case !hasUnit(t, u):
			return d.fail(gridgov.ErrNotFound, "whistle.unit", "unit %q is not in the tree", u)
		case !t.Contains(w.To, u) && !t.HasRight(hierarchy.UnitRef(w.To), d.p.Whistle.SummonRight, hierarchy.UnitRef(u), d.at):
			return d.fail(gridgov.ErrForbidden, "whistle.summon-right", "%s holds no %q right over %s", w.To, d.p.Whistle.SummonRight, u)
		case summoned(add{unit: u}):
			return d.fail(gridgov.ErrPrecondition, "whistle.already-summoned", "%s is already summoned to whistle %d", u, w.Seq)
		}
		adds = append(adds, add{unit: u})
	}
	leaders := t.LeadersOf(w.To, d.at)
	for _, l := range s.Leaders {
		switch {
		case !slices.Contains(leaders, l):
			return d.fail(gridgov.ErrForbidden, "whistle.summon-leader", "%s is not a leader assigned to %s (包块)", l, w.To)
		case summoned(add{leader: l}):
			return d.fail(gridgov.ErrPrecondition, "whistle.already-summoned", "%s is already summoned to whistle %d", l, w.Seq)
		}
		adds = append(adds, add{leader: l})
	}
	if slices.Contains(d.p.Whistle.LeadersFor, d.c.Complexity) {
		for _, l := range leaders {
			if !summoned(add{leader: l}) {
				adds = append(adds, add{leader: l})
			}
		}
	}
	if len(adds) == 0 {
		return d.fail(gridgov.ErrInvalid, "whistle.summon-empty", "nobody new to summon")
	}
	for _, a := range adds {
		w.Summons = append(w.Summons, Summons{Unit: a.unit, Leader: a.leader, At: d.at})
		d.emit(Event{Action: ActionSummon, Unit: a.unit, Person: a.leader, Whistle: w.Seq})
	}
	return nil
}

func (d *decision) reportIn(r ReportIn) error {
	t := d.env.Tree
	w, ok := d.openWhistle()
	if !ok {
		return d.fail(gridgov.ErrPrecondition, "whistle.none-open", "case %s has no open whistle", d.c.ID)
	}
	who := d.env.Actor.Person
	matched := false
	for i := range w.Summons {
		s := &w.Summons[i]
		if s.Leader != who && (s.Unit == "" || !t.Contains(s.Unit, d.post.Unit)) {
			continue
		}
		matched = true
		if !s.ReportedAt.IsZero() {
			continue
		}
		s.ReportedAt, s.ReportedBy = d.at, d.env.Actor
		d.emit(Event{Action: ActionReportIn, Reason: r.Note, Unit: s.Unit, Person: s.Leader, Whistle: w.Seq})
		return nil
	}
	if matched {
		return d.fail(gridgov.ErrPrecondition, "whistle.already-reported", "%s has already reported in to whistle %d", who, w.Seq)
	}
	return d.fail(gridgov.ErrForbidden, "whistle.not-summoned", "%s (post %s in %s) was not summoned to whistle %d", who, d.post.ID, d.post.Unit, w.Seq)
}

// conclude ends whistle seq; an unresolved whistle goes up a level when there is one.
func (d *decision) conclude(seq int, resolved bool, outcome string, system bool) error {
	ws := d.whistles()
	w := &ws[seq-1]
	w.Concluded, w.Resolved, w.Outcome = d.at, resolved, outcome
	e := Event{Action: ActionConcludeWhistle, Reason: outcome, Unit: w.To, Whistle: seq, Resolved: resolved}
	if system {
		e.Action = ActionEscalateWhistle
		d.emitSystem(e)
	} else {
		d.emit(e)
	}
	if resolved || !d.p.whistleCanRise(*w) {
		return nil
	}
	w.Escalated = true
	typ, by := w.Type, w.To
	return d.blow(typ, by, "unresolved: "+outcome, seq)
}

func (d *decision) escalateWhistle(e EscalateWhistle) error {
	w, ok := d.c.OpenWhistle()
	if !ok || w.Seq != e.Whistle {
		return d.fail(gridgov.ErrPrecondition, "whistle.not-due", "whistle %d of case %s is not open", e.Whistle, d.c.ID)
	}
	due, ok := d.p.WhistleDue(w, d.env.CalendarFor(w.To))
	if !ok || d.at.Before(due) || !d.p.whistleCanRise(w) {
		return d.fail(gridgov.ErrPrecondition, "whistle.not-due", "whistle %d of case %s is within its time limit", e.Whistle, d.c.ID)
	}
	return d.conclude(w.Seq, false, "time limit passed", true)
}
