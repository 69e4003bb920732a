package escalation

import (
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gridgov/gridgov/hierarchy"
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
	b = appendStr(key(b, "id"), string(c.ID))
	b = appendStr(key(b, "policy_version"), c.PolicyVersion)
	b = appendStr(key(b, "source"), string(c.Source))
	b = appendStr(key(b, "category"), c.Category)
	b = appendStr(key(b, "complexity"), string(c.Complexity))
	b = optStr(b, "summary", c.Summary)
	if b, err = appendLocation(key(b, "location"), &c.Location); err != nil {
		return nil, err
	}
	b = appendActor(key(b, "reporter"), c.Reporter)
	if b, err = appendTime(key(b, "reported_at"), c.ReportedAt); err != nil {
		return nil, err
	}
	b = appendStr(key(b, "state"), string(c.State))
	b = optStr(b, "parked_from", string(c.ParkedFrom))
	b = optStr(b, "owner", string(c.Owner))
	b = optStr(b, "assignee", string(c.Assignee))
	b = optStr(b, "first_receiver", string(c.FirstReceiver))
	b = optStrs(b, "handlers", c.Handlers)
	b = optStrs(b, "assisting", c.Assisting)
	b = appendStr(key(b, "level"), string(c.Level))
	b = optBool(b, "supervised", c.Supervised)
	b = optStr(b, "follow_up_of", string(c.FollowUpOf))
	b = optStrs(b, "follow_ups", c.FollowUps)
	if len(c.Whistles) > 0 {
		b = append(key(b, "whistles"), '[')
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
	if b, err = optTime(b, "deadline", c.Deadline); err != nil {
		return nil, err
	}
	if b, err = optTime(b, "next_check", c.NextCheck); err != nil {
		return nil, err
	}
	b = optBool(b, "deadline_provisional", c.DeadlineProvisional)
	b = optBool(b, "deadline_refused", c.DeadlineRefused)
	if len(h.History) > 0 {
		return nil, errors.New("escalation: encode head: a head carries no history")
	}
	if h.Fold == nil {
		b = append(key(b, "fold"), "null"...)
	} else if b, err = appendFold(key(b, "fold"), h.Fold); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendEvent appends the JSON of event e to b.
func appendEvent(b []byte, e Event) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = strconv.AppendInt(key(b, "seq"), int64(e.Seq), 10)
	if b, err = appendTime(key(b, "at"), e.At); err != nil {
		return nil, err
	}
	b = appendStr(key(b, "action"), string(e.Action))
	b = optStr(b, "from", string(e.From))
	b = appendStr(key(b, "to"), string(e.To))
	if e.Actor != (hierarchy.Actor{}) {
		b = appendActor(key(b, "actor"), e.Actor)
	}
	b = optStr(b, "actor_unit", string(e.ActorUnit))
	b = optStr(b, "reason", e.Reason)
	b = optStr(b, "unit", string(e.Unit))
	b = optStr(b, "person", string(e.Person))
	b = optStr(b, "level", string(e.Level))
	b = optStr(b, "step", string(e.Step))
	b = optInt(b, "cycle", int64(e.Cycle))
	b = optInt(b, "whistle", int64(e.Whistle))
	b = optStr(b, "category", e.Category)
	b = optStr(b, "complexity", string(e.Complexity))
	b = optStr(b, "link", string(e.Link))
	b = optStr(b, "policy", e.Policy)
	b = optBool(b, "resolved", e.Resolved)
	b = optBool(b, "routed", e.Routed)
	return append(b, '}'), nil
}

func appendLocation(b []byte, l *Location) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = appendStr(key(b, "unit"), string(l.Unit))
	// omitzero on a comparable struct without IsZero compares with ==, so a point of
	// negative zeros is zero too.
	if l.Point != (Point{}) {
		b = append(key(b, "point"), '{')
		if b, err = appendFloat(key(b, "lon"), l.Point.Lon); err != nil {
			return nil, err
		}
		if b, err = appendFloat(key(b, "lat"), l.Point.Lat); err != nil {
			return nil, err
		}
		b = append(b, '}')
	}
	b = optStr(b, "datum", l.Datum)
	b = optStr(b, "address", l.Address)
	b = optStr(b, "asset", l.Asset)
	b = optStr(b, "road", l.Road)
	return append(b, '}'), nil
}

func appendActor(b []byte, a hierarchy.Actor) []byte {
	b = append(b, '{')
	b = appendStr(key(b, "person"), string(a.Person))
	b = appendStr(key(b, "post"), string(a.Post))
	return append(b, '}')
}

func appendWhistle(b []byte, w *Whistle) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = strconv.AppendInt(key(b, "seq"), int64(w.Seq), 10)
	b = appendStr(key(b, "type"), string(w.Type))
	b = appendStr(key(b, "by"), string(w.By))
	b = appendStr(key(b, "to"), string(w.To))
	b = appendStr(key(b, "to_level"), string(w.ToLevel))
	if b, err = appendTime(key(b, "at"), w.At); err != nil {
		return nil, err
	}
	b = optStr(b, "reason", w.Reason)
	b = optInt(b, "parent", int64(w.Parent))
	if len(w.Summons) > 0 {
		b = append(key(b, "summons"), '[')
		for i := range w.Summons {
			s := &w.Summons[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = optStr(b, "unit", string(s.Unit))
			b = optStr(b, "leader", string(s.Leader))
			if b, err = appendTime(key(b, "at"), s.At); err != nil {
				return nil, err
			}
			if b, err = optTime(b, "reported_at", s.ReportedAt); err != nil {
				return nil, err
			}
			if s.ReportedBy != (hierarchy.Actor{}) {
				b = appendActor(key(b, "reported_by"), s.ReportedBy)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if b, err = optTime(b, "concluded", w.Concluded); err != nil {
		return nil, err
	}
	b = optBool(b, "resolved", w.Resolved)
	b = optBool(b, "escalated", w.Escalated)
	b = optStr(b, "outcome", w.Outcome)
	return append(b, '}'), nil
}

func appendFold(b []byte, f *foldState) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = strconv.AppendInt(key(b, "n"), int64(f.N), 10)
	if b, err = optTime(b, "last_at", f.LastAt); err != nil {
		return nil, err
	}
	b = appendStr(key(b, "policy"), f.Policy)
	b = optStr(b, "loc", string(f.Loc))
	b = optInt(b, "level", int64(f.Level))
	b = optStr(b, "cat", f.Cat)
	b = optStr(b, "cx", string(f.Cx))
	b = append(key(b, "idx"), '[')
	for i, v := range f.Idx {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, ']')
	if f.Free != 0 {
		b = strconv.AppendUint(key(b, "free"), f.Free, 10)
	}
	if len(f.Timers) > 0 {
		b = append(key(b, "timers"), '[')
		for i := range f.Timers {
			t := &f.Timers[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendStr(key(b, "step"), string(t.Step))
			b = optInt(b, "cycle", int64(t.Cycle))
			if b, err = appendTime(key(b, "start"), t.Start); err != nil {
				return nil, err
			}
			if b, err = optTime(b, "stop", t.Stop); err != nil {
				return nil, err
			}
			b = optBool(b, "warned", t.Warned)
			b = optInt(b, "base", int64(t.Base))
			b = optStr(b, "category", t.Category)
			b = optStr(b, "complexity", string(t.Complexity))
			b = optStr(b, "unit", string(t.Unit))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(f.Cycles) > 0 {
		b = append(key(b, "cycles"), '[')
		for i := range f.Cycles {
			c := &f.Cycles[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = strconv.AppendInt(key(b, "n"), int64(c.N), 10)
			if b, err = appendTime(key(b, "start"), c.Start); err != nil {
				return nil, err
			}
			if b, err = optTime(b, "end", c.End); err != nil {
				return nil, err
			}
			b = appendStr(key(b, "owner"), string(c.Owner))
			b = optStr(b, "outcome", string(c.Outcome))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(f.Pauses) > 0 {
		b = append(key(b, "pauses"), '[')
		for i := range f.Pauses {
			p := &f.Pauses[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if b, err = appendTime(key(b, "from"), p.From); err != nil {
				return nil, err
			}
			if b, err = optTime(b, "to", p.To); err != nil {
				return nil, err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = optBool(b, "dispatched", f.Dispatched)
	b = optStr(b, "dispatch_by", string(f.DispatchBy))
	return append(b, '}'), nil
}

// key appends the comma before a member unless it is the object's first, and the
// member's quoted name and colon. Names are plain ASCII and need no escaping; no value
// ends in '{', so the last byte tells whether the object is still empty.
func key(b []byte, name string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func optStr(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	return appendStr(key(b, name), v)
}

func optStrs[S ~string](b []byte, name string, vs []S) []byte {
	if len(vs) == 0 {
		return b
	}
	b = append(key(b, name), '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStr(b, string(v))
	}
	return append(b, ']')
}

func optInt(b []byte, name string, v int64) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendInt(key(b, name), v, 10)
}

func optBool(b []byte, name string, v bool) []byte {
	if !v {
		return b
	}
	return append(key(b, name), "true"...)
}

func optTime(b []byte, name string, t time.Time) ([]byte, error) {
	if t.IsZero() {
		return b, nil
	}
	return appendTime(key(b, name), t)
}

// appendTime writes t as [time.Time.MarshalJSON] does, refusing what it refuses: a
// year outside 0–9999 and a zone offset of 24 hours or more. It writes the digits
// itself, which costs a third of what the layout-driven AppendFormat does; the
// instants it would refuse go through AppendFormat, whose output decides the error.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	_, off := t.Zone()
	if -24*3600 < off && off < 24*3600 {
		// The wall clock of t's zone, read as UTC.
		w := t.Add(time.Duration(off) * time.Second).UTC()
		if y, mo, d := w.Date(); 0 <= y && y <= 9999 {
			h, mi, sec := w.Clock()
			b = append(b, '"')
			b = append2(append2(b, y/100), y%100)
			b = append2(append(b, '-'), int(mo))
			b = append2(append(b, '-'), d)
			b = append2(append(b, 'T'), h)
			b = append2(append(b, ':'), mi)
			b = append2(append(b, ':'), sec)
			if ns := t.Nanosecond(); ns != 0 {
				var frac [10]byte
				frac[0] = '.'
				for i := 9; i > 0; i-- {
					frac[i] = byte('0' + ns%10)
					ns /= 10
				}
				n := 10
				for frac[n-1] == '0' {
					n--
				}
				b = append(b, frac[:n]...)
			}
			if off == 0 {
				b = append(b, 'Z')
			} else {
				// In whole minutes truncated toward zero, as AppendFormat writes it:
				// an offset of -30s is "+00:00".
				zone, sign := off/60, byte('+')
				if zone < 0 {
					zone, sign = -zone, '-'
				}
				b = append2(append(b, sign), zone/60)
				b = append2(append(b, ':'), zone%60)
			}
			return append(b, '"'), nil
		}
	}
	return appendTimeFormat(b, t)
}

// append2 appends n, which is in [0, 99], as two digits.
func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// appendTimeFormat is appendTime through [time.Time.AppendFormat].
func appendTimeFormat(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	n0 := len(b)
	b = t.AppendFormat(b, time.RFC3339Nano)
	switch {
	case b[n0+len("9999")] != '-':
		return nil, errors.New("Time.MarshalJSON: year outside of range [0,9999]")
	case b[len(b)-1] != 'Z':
		c := b[len(b)-len("Z07:00")]
		h := 10*(b[len(b)-len("07:00")]-'0') + (b[len(b)-len("7:00")] - '0')
		if ('0' <= c && c <= '9') || h >= 24 {
			return nil, errors.New("Time.MarshalJSON: timezone hour outside of range [0,23]")
		}
	}
	return append(b, '"'), nil
}

// appendFloat writes f as encoding/json does (ES6 number formatting); NaN and the
// infinities are refused, as encoding/json refuses them.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as in encoding/json.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// plain[c] says that ASCII byte c is written as itself in a string: one table lookup
// per byte instead of a chain of comparisons, as encoding/json does.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendStr writes s quoted as encoding/json does with its default HTML escaping: <, >
// and & as \u003c, \u003e and \u0026, control characters escaped, invalid UTF-8 as
// \ufffd, and U+2028 and U+2029 escaped.
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
