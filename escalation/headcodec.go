package escalation

import (
	"errors"
	"strconv"

	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// The stored head of a case and its events are written by the hand-written encoders
// below instead of encoding/json's reflection, which cost most of a command through the
// Service. They write exactly the bytes json.Marshal writes (same field order, same
// omitempty and omitzero rules, same string escaping, same number and time formats), so
// every document reads back with encoding/json and documents written before them read
// as before. A test fills every field of the encoded types by reflection and compares
// the two encodings, so a field added to Case, Event or the fold state without being
// added here fails it.

// appendHead appends the JSON of head h to b.
func appendHead(b []byte, h caseHead) ([]byte, error) {
	c := &h.Case
	var err error
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "id"), string(c.ID))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "policy_version"), c.PolicyVersion)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "source"), string(c.Source))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "category"), c.Category)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "complexity"), string(c.Complexity))
	b = jsonbytes.OptString(b, "summary", c.Summary)
	if b, err = appendLocation(jsonbytes.Key(b, "location"), &c.Location); err != nil {
		return nil, err
	}
	b = appendActor(jsonbytes.Key(b, "reporter"), c.Reporter)
	if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "reported_at"), c.ReportedAt); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "state"), string(c.State))
	b = jsonbytes.OptString(b, "parked_from", string(c.ParkedFrom))
	b = jsonbytes.OptString(b, "owner", string(c.Owner))
	b = jsonbytes.OptString(b, "assignee", string(c.Assignee))
	b = jsonbytes.OptString(b, "first_receiver", string(c.FirstReceiver))
	b = jsonbytes.OptStrings(b, "handlers", c.Handlers)
	b = jsonbytes.OptStrings(b, "assisting", c.Assisting)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "level"), string(c.Level))
	b = jsonbytes.OptBool(b, "supervised", c.Supervised)
	b = jsonbytes.OptString(b, "follow_up_of", string(c.FollowUpOf))
	b = jsonbytes.OptStrings(b, "follow_ups", c.FollowUps)
	if len(c.Whistles) > 0 {
		b = append(jsonbytes.Key(b, "whistles"), '[')
		for i := range c.Whistles {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendWhistle(b, &c.Whistles[i]); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	// Case.History is shadowed by caseHead.History, which encoding/json places after
	// the embedded case's fields.
	if b, err = jsonbytes.OptTime(b, "deadline", c.Deadline); err != nil {
		return nil, err
	}
	if b, err = jsonbytes.OptTime(b, "next_check", c.NextCheck); err != nil {
		return nil, err
	}
	b = jsonbytes.OptBool(b, "deadline_provisional", c.DeadlineProvisional)
	b = jsonbytes.OptBool(b, "deadline_refused", c.DeadlineRefused)
	if len(h.History) > 0 {
		return nil, errors.New("escalation: encode head: a head carries no history")
	}
	if h.Fold == nil {
		b = append(jsonbytes.Key(b, "fold"), "null"...)
	} else if b, err = appendFold(jsonbytes.Key(b, "fold"), h.Fold); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendEvent appends the JSON of event e to b.
func appendEvent(b []byte, e Event) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = strconv.AppendInt(jsonbytes.Key(b, "seq"), int64(e.Seq), 10)
	if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "at"), e.At); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "action"), string(e.Action))
	b = jsonbytes.OptString(b, "from", string(e.From))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "to"), string(e.To))
	if e.Actor != (hierarchy.Actor{}) {
		b = appendActor(jsonbytes.Key(b, "actor"), e.Actor)
	}
	b = jsonbytes.OptString(b, "actor_unit", string(e.ActorUnit))
	b = jsonbytes.OptString(b, "reason", e.Reason)
	b = jsonbytes.OptString(b, "unit", string(e.Unit))
	b = jsonbytes.OptString(b, "person", string(e.Person))
	b = jsonbytes.OptString(b, "level", string(e.Level))
	b = jsonbytes.OptString(b, "step", string(e.Step))
	b = jsonbytes.OptInt(b, "cycle", int64(e.Cycle))
	b = jsonbytes.OptInt(b, "whistle", int64(e.Whistle))
	b = jsonbytes.OptString(b, "category", e.Category)
	b = jsonbytes.OptString(b, "complexity", string(e.Complexity))
	b = jsonbytes.OptString(b, "link", string(e.Link))
	b = jsonbytes.OptString(b, "policy", e.Policy)
	b = jsonbytes.OptBool(b, "resolved", e.Resolved)
	b = jsonbytes.OptBool(b, "routed", e.Routed)
	return append(b, '}'), nil
}

func appendLocation(b []byte, l *Location) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "unit"), string(l.Unit))
	// omitzero on a comparable struct without IsZero compares with ==, so a point of
	// negative zeros is zero too.
	if l.Point != (Point{}) {
		b = append(jsonbytes.Key(b, "point"), '{')
		if b, err = jsonbytes.AppendFloat(jsonbytes.Key(b, "lon"), l.Point.Lon); err != nil {
			return nil, err
		}
		if b, err = jsonbytes.AppendFloat(jsonbytes.Key(b, "lat"), l.Point.Lat); err != nil {
			return nil, err
		}
		b = append(b, '}')
	}
	b = jsonbytes.OptString(b, "datum", l.Datum)
	b = jsonbytes.OptString(b, "address", l.Address)
	b = jsonbytes.OptString(b, "asset", l.Asset)
	b = jsonbytes.OptString(b, "road", l.Road)
	return append(b, '}'), nil
}

func appendActor(b []byte, a hierarchy.Actor) []byte {
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "person"), string(a.Person))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "post"), string(a.Post))
	return append(b, '}')
}

func appendWhistle(b []byte, w *Whistle) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = strconv.AppendInt(jsonbytes.Key(b, "seq"), int64(w.Seq), 10)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "type"), string(w.Type))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "by"), string(w.By))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "to"), string(w.To))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "to_level"), string(w.ToLevel))
	if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "at"), w.At); err != nil {
		return nil, err
	}
	b = jsonbytes.OptString(b, "reason", w.Reason)
	b = jsonbytes.OptInt(b, "parent", int64(w.Parent))
	if len(w.Summons) > 0 {
		b = append(jsonbytes.Key(b, "summons"), '[')
		for i := range w.Summons {
			s := &w.Summons[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = jsonbytes.OptString(b, "unit", string(s.Unit))
			b = jsonbytes.OptString(b, "leader", string(s.Leader))
			if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "at"), s.At); err != nil {
				return nil, err
			}
			if b, err = jsonbytes.OptTime(b, "reported_at", s.ReportedAt); err != nil {
				return nil, err
			}
			if s.ReportedBy != (hierarchy.Actor{}) {
				b = appendActor(jsonbytes.Key(b, "reported_by"), s.ReportedBy)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if b, err = jsonbytes.OptTime(b, "concluded", w.Concluded); err != nil {
		return nil, err
	}
	b = jsonbytes.OptBool(b, "resolved", w.Resolved)
	b = jsonbytes.OptBool(b, "escalated", w.Escalated)
	b = jsonbytes.OptString(b, "outcome", w.Outcome)
	return append(b, '}'), nil
}

func appendFold(b []byte, f *foldState) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = strconv.AppendInt(jsonbytes.Key(b, "n"), int64(f.N), 10)
	if b, err = jsonbytes.OptTime(b, "last_at", f.LastAt); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "policy"), f.Policy)
	b = jsonbytes.OptString(b, "loc", string(f.Loc))
	b = jsonbytes.OptInt(b, "level", int64(f.Level))
	b = jsonbytes.OptString(b, "cat", f.Cat)
	b = jsonbytes.OptString(b, "cx", string(f.Cx))
	b = jsonbytes.Ints(b, "idx", f.Idx[:])
	if f.Free != 0 {
		b = strconv.AppendUint(jsonbytes.Key(b, "free"), f.Free, 10)
	}
	if len(f.Timers) > 0 {
		b = append(jsonbytes.Key(b, "timers"), '[')
		for i := range f.Timers {
			t := &f.Timers[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = jsonbytes.AppendString(jsonbytes.Key(b, "step"), string(t.Step))
			b = jsonbytes.OptInt(b, "cycle", int64(t.Cycle))
			if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "start"), t.Start); err != nil {
				return nil, err
			}
			if b, err = jsonbytes.OptTime(b, "stop", t.Stop); err != nil {
				return nil, err
			}
			b = jsonbytes.OptBool(b, "warned", t.Warned)
			b = jsonbytes.OptInt(b, "base", int64(t.Base))
			b = jsonbytes.OptString(b, "category", t.Category)
			b = jsonbytes.OptString(b, "complexity", string(t.Complexity))
			b = jsonbytes.OptString(b, "unit", string(t.Unit))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(f.Cycles) > 0 {
		b = append(jsonbytes.Key(b, "cycles"), '[')
		for i := range f.Cycles {
			c := &f.Cycles[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = strconv.AppendInt(jsonbytes.Key(b, "n"), int64(c.N), 10)
			if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "start"), c.Start); err != nil {
				return nil, err
			}
			if b, err = jsonbytes.OptTime(b, "end", c.End); err != nil {
				return nil, err
			}
			b = jsonbytes.AppendString(jsonbytes.Key(b, "owner"), string(c.Owner))
			b = jsonbytes.OptString(b, "outcome", string(c.Outcome))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(f.Pauses) > 0 {
		b = append(jsonbytes.Key(b, "pauses"), '[')
		for i := range f.Pauses {
			p := &f.Pauses[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "from"), p.From); err != nil {
				return nil, err
			}
			if b, err = jsonbytes.OptTime(b, "to", p.To); err != nil {
				return nil, err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = jsonbytes.OptBool(b, "dispatched", f.Dispatched)
	b = jsonbytes.OptString(b, "dispatch_by", string(f.DispatchBy))
	return append(b, '}'), nil
}

// append2 appends n, which is in [0, 99], as two digits.
func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
