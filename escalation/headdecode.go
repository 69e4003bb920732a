package escalation

import (
	"strconv"

	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// Reading a case's heads and events cost more through encoding/json's reflection than
// anything else of a year of work through the Service. decodeHead and decodeEvent read
// the shape appendHead and appendEvent write (members in any order, each once) with a
// [jsonbytes.Reader], and hand any other document to encoding/json whole: an unknown
// or repeated member, whitespace, an escaped name, a number that does not fit. So the
// value and the error-ness are encoding/json's for every input, which a fuzz test
// checks; a test fills every field by reflection, so a field added to Case, Event or
// the fold state without being added here fails it.

// decodeHead decodes the stored head data into the zero head *h.
func decodeHead(data []byte, h *caseHead) error { return jsonbytes.Decode(data, h, readHead) }

// decodeEvent decodes the stored event data into the zero event *e.
func decodeEvent(data []byte, e *Event) error { return jsonbytes.Decode(data, e, readEvent) }

func readInt(r *jsonbytes.Reader) int { return int(r.Int(strconv.IntSize)) }

func readHead(r *jsonbytes.Reader, h *caseHead) {
	if !r.Object() {
		return
	}
	c := &h.Case
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "id":
			r.Seen(&seen, 0)
			c.ID = CaseID(r.String())
		case "policy_version":
			r.Seen(&seen, 1)
			c.PolicyVersion = r.String()
		case "source":
			r.Seen(&seen, 2)
			c.Source = Source(r.String())
		case "category":
			r.Seen(&seen, 3)
			c.Category = r.String()
		case "complexity":
			r.Seen(&seen, 4)
			c.Complexity = Complexity(r.String())
		case "summary":
			r.Seen(&seen, 5)
			c.Summary = r.String()
		case "location":
			r.Seen(&seen, 6)
			readLocation(r, &c.Location)
		case "reporter":
			r.Seen(&seen, 7)
			readActor(r, &c.Reporter)
		case "reported_at":
			r.Seen(&seen, 8)
			c.ReportedAt = r.Time()
		case "state":
			r.Seen(&seen, 9)
			c.State = State(r.String())
		case "parked_from":
			r.Seen(&seen, 10)
			c.ParkedFrom = State(r.String())
		case "owner":
			r.Seen(&seen, 11)
			c.Owner = hierarchy.UnitID(r.String())
		case "assignee":
			r.Seen(&seen, 12)
			c.Assignee = hierarchy.PersonID(r.String())
		case "first_receiver":
			r.Seen(&seen, 13)
			c.FirstReceiver = hierarchy.UnitID(r.String())
		case "handlers":
			r.Seen(&seen, 14)
			c.Handlers = jsonbytes.Strings[hierarchy.PersonID](r)
		case "assisting":
			r.Seen(&seen, 15)
			c.Assisting = jsonbytes.Strings[hierarchy.UnitID](r)
		case "level":
			r.Seen(&seen, 16)
			c.Level = hierarchy.Level(r.String())
		case "supervised":
			r.Seen(&seen, 17)
			c.Supervised = r.Bool()
		case "follow_up_of":
			r.Seen(&seen, 18)
			c.FollowUpOf = CaseID(r.String())
		case "follow_ups":
			r.Seen(&seen, 19)
			c.FollowUps = jsonbytes.Strings[CaseID](r)
		case "whistles":
			r.Seen(&seen, 20)
			c.Whistles = jsonbytes.Slice(r, readWhistle)
		case "deadline":
			r.Seen(&seen, 21)
			c.Deadline = r.Time()
		case "next_check":
			r.Seen(&seen, 22)
			c.NextCheck = r.Time()
		case "deadline_provisional":
			r.Seen(&seen, 23)
			c.DeadlineProvisional = r.Bool()
		case "deadline_refused":
			r.Seen(&seen, 24)
			c.DeadlineRefused = r.Bool()
		case "fold":
			r.Seen(&seen, 25)
			if !r.Null() {
				h.Fold = new(foldState)
				readFold(r, h.Fold)
			}
		default:
			// "history" among them: a head carries none, and caseHead's shadows the
			// case's, which this reader would have to mirror.
			r.Fail()
		}
	}
}

func readEvent(r *jsonbytes.Reader, e *Event) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "seq":
			r.Seen(&seen, 0)
			e.Seq = readInt(r)
		case "at":
			r.Seen(&seen, 1)
			e.At = r.Time()
		case "action":
			r.Seen(&seen, 2)
			e.Action = Action(r.String())
		case "from":
			r.Seen(&seen, 3)
			e.From = State(r.String())
		case "to":
			r.Seen(&seen, 4)
			e.To = State(r.String())
		case "actor":
			r.Seen(&seen, 5)
			readActor(r, &e.Actor)
		case "actor_unit":
			r.Seen(&seen, 6)
			e.ActorUnit = hierarchy.UnitID(r.String())
		case "reason":
			r.Seen(&seen, 7)
			e.Reason = r.String()
		case "unit":
			r.Seen(&seen, 8)
			e.Unit = hierarchy.UnitID(r.String())
		case "person":
			r.Seen(&seen, 9)
			e.Person = hierarchy.PersonID(r.String())
		case "level":
			r.Seen(&seen, 10)
			e.Level = hierarchy.Level(r.String())
		case "step":
			r.Seen(&seen, 11)
			e.Step = Step(r.String())
		case "cycle":
			r.Seen(&seen, 12)
			e.Cycle = readInt(r)
		case "whistle":
			r.Seen(&seen, 13)
			e.Whistle = readInt(r)
		case "category":
			r.Seen(&seen, 14)
			e.Category = r.String()
		case "complexity":
			r.Seen(&seen, 15)
			e.Complexity = Complexity(r.String())
		case "link":
			r.Seen(&seen, 16)
			e.Link = CaseID(r.String())
		case "policy":
			r.Seen(&seen, 17)
			e.Policy = r.String()
		case "resolved":
			r.Seen(&seen, 18)
			e.Resolved = r.Bool()
		case "routed":
			r.Seen(&seen, 19)
			e.Routed = r.Bool()
		default:
			r.Fail()
		}
	}
}

func readActor(r *jsonbytes.Reader, a *hierarchy.Actor) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "person":
			r.Seen(&seen, 0)
			a.Person = hierarchy.PersonID(r.String())
		case "post":
			r.Seen(&seen, 1)
			a.Post = hierarchy.PostID(r.String())
		default:
			r.Fail()
		}
	}
}

func readLocation(r *jsonbytes.Reader, l *Location) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "unit":
			r.Seen(&seen, 0)
			l.Unit = hierarchy.UnitID(r.String())
		case "point":
			r.Seen(&seen, 1)
			readPoint(r, &l.Point)
		case "datum":
			r.Seen(&seen, 2)
			l.Datum = r.String()
		case "address":
			r.Seen(&seen, 3)
			l.Address = r.String()
		case "asset":
			r.Seen(&seen, 4)
			l.Asset = r.String()
		case "road":
			r.Seen(&seen, 5)
			l.Road = r.String()
		default:
			r.Fail()
		}
	}
}

func readPoint(r *jsonbytes.Reader, p *Point) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "lon":
			r.Seen(&seen, 0)
			p.Lon = r.Float()
		case "lat":
			r.Seen(&seen, 1)
			p.Lat = r.Float()
		default:
			r.Fail()
		}
	}
}

func readWhistle(r *jsonbytes.Reader, w *Whistle) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "seq":
			r.Seen(&seen, 0)
			w.Seq = readInt(r)
		case "type":
			r.Seen(&seen, 1)
			w.Type = WhistleType(r.String())
		case "by":
			r.Seen(&seen, 2)
			w.By = hierarchy.UnitID(r.String())
		case "to":
			r.Seen(&seen, 3)
			w.To = hierarchy.UnitID(r.String())
		case "to_level":
			r.Seen(&seen, 4)
			w.ToLevel = hierarchy.Level(r.String())
		case "at":
			r.Seen(&seen, 5)
			w.At = r.Time()
		case "reason":
			r.Seen(&seen, 6)
			w.Reason = r.String()
		case "parent":
			r.Seen(&seen, 7)
			w.Parent = readInt(r)
		case "summons":
			r.Seen(&seen, 8)
			w.Summons = jsonbytes.Slice(r, readSummons)
		case "concluded":
			r.Seen(&seen, 9)
			w.Concluded = r.Time()
		case "resolved":
			r.Seen(&seen, 10)
			w.Resolved = r.Bool()
		case "escalated":
			r.Seen(&seen, 11)
			w.Escalated = r.Bool()
		case "outcome":
			r.Seen(&seen, 12)
			w.Outcome = r.String()
		default:
			r.Fail()
		}
	}
}

func readSummons(r *jsonbytes.Reader, s *Summons) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "unit":
			r.Seen(&seen, 0)
			s.Unit = hierarchy.UnitID(r.String())
		case "leader":
			r.Seen(&seen, 1)
			s.Leader = hierarchy.PersonID(r.String())
		case "at":
			r.Seen(&seen, 2)
			s.At = r.Time()
		case "reported_at":
			r.Seen(&seen, 3)
			s.ReportedAt = r.Time()
		case "reported_by":
			r.Seen(&seen, 4)
			readActor(r, &s.ReportedBy)
		default:
			r.Fail()
		}
	}
}

func readFold(r *jsonbytes.Reader, f *foldState) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "n":
			r.Seen(&seen, 0)
			f.N = readInt(r)
		case "last_at":
			r.Seen(&seen, 1)
			f.LastAt = r.Time()
		case "policy":
			r.Seen(&seen, 2)
			f.Policy = r.String()
		case "loc":
			r.Seen(&seen, 3)
			f.Loc = hierarchy.UnitID(r.String())
		case "level":
			r.Seen(&seen, 4)
			f.Level = readInt(r)
		case "cat":
			r.Seen(&seen, 5)
			f.Cat = r.String()
		case "cx":
			r.Seen(&seen, 6)
			f.Cx = Complexity(r.String())
		case "idx":
			r.Seen(&seen, 7)
			jsonbytes.Fixed(r, f.Idx[:], readInt)
		case "free":
			r.Seen(&seen, 8)
			f.Free = r.Uint(64)
		case "timers":
			r.Seen(&seen, 9)
			f.Timers = jsonbytes.Slice(r, readFoldTimer)
		case "cycles":
			r.Seen(&seen, 10)
			f.Cycles = jsonbytes.Slice(r, readCycle)
		case "pauses":
			r.Seen(&seen, 11)
			f.Pauses = jsonbytes.Slice(r, readPause)
		case "dispatched":
			r.Seen(&seen, 12)
			f.Dispatched = r.Bool()
		case "dispatch_by":
			r.Seen(&seen, 13)
			f.DispatchBy = hierarchy.UnitID(r.String())
		default:
			r.Fail()
		}
	}
}

func readFoldTimer(r *jsonbytes.Reader, t *foldTimer) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "step":
			r.Seen(&seen, 0)
			t.Step = Step(r.String())
		case "cycle":
			r.Seen(&seen, 1)
			t.Cycle = readInt(r)
		case "start":
			r.Seen(&seen, 2)
			t.Start = r.Time()
		case "stop":
			r.Seen(&seen, 3)
			t.Stop = r.Time()
		case "warned":
			r.Seen(&seen, 4)
			t.Warned = r.Bool()
		case "base":
			r.Seen(&seen, 5)
			t.Base = int32(r.Int(32))
		case "category":
			r.Seen(&seen, 6)
			t.Category = r.String()
		case "complexity":
			r.Seen(&seen, 7)
			t.Complexity = Complexity(r.String())
		case "unit":
			r.Seen(&seen, 8)
			t.Unit = hierarchy.UnitID(r.String())
		default:
			r.Fail()
		}
	}
}

func readCycle(r *jsonbytes.Reader, c *Cycle) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "n":
			r.Seen(&seen, 0)
			c.N = readInt(r)
		case "start":
			r.Seen(&seen, 1)
			c.Start = r.Time()
		case "end":
			r.Seen(&seen, 2)
			c.End = r.Time()
		case "owner":
			r.Seen(&seen, 3)
			c.Owner = hierarchy.UnitID(r.String())
		case "outcome":
			r.Seen(&seen, 4)
			c.Outcome = Outcome(r.String())
		default:
			r.Fail()
		}
	}
}

func readPause(r *jsonbytes.Reader, p *Pause) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "from":
			r.Seen(&seen, 0)
			p.From = r.Time()
		case "to":
			r.Seen(&seen, 1)
			p.To = r.Time()
		default:
			r.Fail()
		}
	}
}
