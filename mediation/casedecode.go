package mediation

import (
	"strconv"

	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// A case is one document carrying its whole history, read on every command on it and
// by every report, and encoding/json's reflection cost most of each read. decodeCaseDoc
// reads the shape encoding/json writes for a caseDoc (members in any order, each once)
// with a [jsonbytes.Reader], and hands any other document to encoding/json whole: an
// unknown or repeated member, whitespace, an escaped name, a number that does not fit,
// a credit code its own check refuses. So the value and the error-ness are
// encoding/json's for every input, which a fuzz test checks; a test fills every field
// by reflection, so a field added to these types without being added here fails it.

func decodeCaseDoc(data []byte, d *caseDoc) error { return jsonbytes.Decode(data, d, readCaseDoc) }

func readInt(r *jsonbytes.Reader) int { return int(r.Int(strconv.IntSize)) }

func readCaseDoc(r *jsonbytes.Reader, d *caseDoc) {
	if !r.Object() {
		return
	}
	c := &d.Case
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
		case "room":
			r.Seen(&seen, 1)
			c.Room = RoomID(r.String())
		case "dispute":
			r.Seen(&seen, 2)
			c.Dispute = DisputeType(r.String())
		case "summary":
			r.Seen(&seen, 3)
			c.Summary = r.String()
		case "source":
			r.Seen(&seen, 4)
			readSource(r, &c.Source)
		case "parties":
			// The document's parties are its records; Case.Parties, which has the same
			// name one level down, is not decoded (as encoding/json leaves it).
			r.Seen(&seen, 5)
			d.Parties = jsonbytes.Slice(r, readPartyRecord)
		case "state":
			r.Seen(&seen, 6)
			c.State = State(r.String())
		case "opened_at":
			r.Seen(&seen, 7)
			c.OpenedAt = r.Time()
		case "accepted_at":
			r.Seen(&seen, 8)
			c.AcceptedAt = r.Time()
		case "deadline":
			r.Seen(&seen, 9)
			c.Deadline = r.Time()
		case "extensions":
			r.Seen(&seen, 10)
			c.Extensions = jsonbytes.Slice(r, readExtension)
		case "mediators":
			r.Seen(&seen, 11)
			c.Mediators = jsonbytes.Slice(r, readAssignment)
		case "sessions":
			r.Seen(&seen, 12)
			c.Sessions = jsonbytes.Slice(r, readSession)
		case "agreement":
			r.Seen(&seen, 13)
			readAgreement(r, &c.Agreement)
		case "outcome":
			r.Seen(&seen, 14)
			readOutcome(r, &c.Outcome)
		case "referrals":
			r.Seen(&seen, 15)
			c.Referrals = jsonbytes.Slice(r, readReferral)
		case "police_reports":
			r.Seen(&seen, 16)
			c.PoliceReports = jsonbytes.Slice(r, readPoliceReport)
		case "confirmation":
			r.Seen(&seen, 17)
			readConfirmation(r, &c.Confirmation)
		case "visits":
			r.Seen(&seen, 18)
			c.Visits = jsonbytes.Slice(r, readVisit)
		case "breaches":
			r.Seen(&seen, 19)
			c.Breaches = jsonbytes.Slice(r, readBreach)
		case "history":
			r.Seen(&seen, 20)
			c.History = jsonbytes.Slice(r, readEvent)
		default:
			r.Fail()
		}
	}
}

func readSource(r *jsonbytes.Reader, s *Source) {
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
		case "kind":
			r.Seen(&seen, 0)
			s.Kind = SourceKind(r.String())
		case "ref":
			r.Seen(&seen, 1)
			s.Ref = r.String()
		case "unit":
			r.Seen(&seen, 2)
			s.Unit = hierarchy.UnitID(r.String())
		default:
			r.Fail()
		}
	}
}

func readPartyRecord(r *jsonbytes.Reader, p *partyRecord) {
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
		case "id":
			r.Seen(&seen, 0)
			p.ID = PartyID(r.String())
		case "role":
			r.Seen(&seen, 1)
			p.Role = PartyRole(r.String())
		case "name":
			r.Seen(&seen, 2)
			p.Name = r.String()
		case "id_number":
			r.Seen(&seen, 3)
			p.IDNumber = r.String()
		case "phone":
			r.Seen(&seen, 4)
			p.Phone = r.String()
		case "credit_code":
			r.Seen(&seen, 5)
			if r.Null() {
				continue // encoding/json leaves a text unmarshaler alone on null
			}
			// encoding/json checks the code through its UnmarshalText; a code it
			// refuses is its error, so the document goes to encoding/json.
			if err := p.CreditCode.UnmarshalText([]byte(r.String())); err != nil {
				r.Fail()
			}
		case "person":
			r.Seen(&seen, 6)
			p.Person = hierarchy.PersonID(r.String())
		case "relations":
			r.Seen(&seen, 7)
			p.Relations = jsonbytes.Slice(r, readRelation)
		default:
			r.Fail()
		}
	}
}

func readRelation(r *jsonbytes.Reader, x *Relation) {
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
			x.Person = hierarchy.PersonID(r.String())
		case "ground":
			r.Seen(&seen, 1)
			x.Ground = RecusalGround(r.String())
		case "note":
			r.Seen(&seen, 2)
			x.Note = r.String()
		default:
			r.Fail()
		}
	}
}

func readExtension(r *jsonbytes.Reader, x *Extension) {
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
		case "at":
			r.Seen(&seen, 0)
			x.At = r.Time()
		case "consents":
			r.Seen(&seen, 1)
			x.Consents = jsonbytes.Strings[PartyID](r)
		case "from":
			r.Seen(&seen, 2)
			x.From = r.Time()
		case "to":
			r.Seen(&seen, 3)
			x.To = r.Time()
		default:
			r.Fail()
		}
	}
}

func readAssignment(r *jsonbytes.Reader, a *Assignment) {
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
		case "name":
			r.Seen(&seen, 1)
			a.Name = r.String()
		case "kind":
			r.Seen(&seen, 2)
			a.Kind = MediatorKind(r.String())
		case "how":
			r.Seen(&seen, 3)
			a.How = Appointment(r.String())
		case "chosen_by":
			r.Seen(&seen, 4)
			a.ChosenBy = jsonbytes.Strings[PartyID](r)
		case "consented_by":
			r.Seen(&seen, 5)
			a.ConsentedBy = jsonbytes.Strings[PartyID](r)
		case "at":
			r.Seen(&seen, 6)
			a.At = r.Time()
		case "room":
			r.Seen(&seen, 7)
			a.Room = RoomID(r.String())
		case "ended_at":
			r.Seen(&seen, 8)
			a.EndedAt = r.Time()
		case "recusal":
			r.Seen(&seen, 9)
			if !r.Null() {
				a.Recusal = new(Recusal)
				readRecusal(r, a.Recusal)
			}
		default:
			r.Fail()
		}
	}
}

func readRecusal(r *jsonbytes.Reader, x *Recusal) {
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
		case "ground":
			r.Seen(&seen, 0)
			x.Ground = RecusalGround(r.String())
		case "party":
			r.Seen(&seen, 1)
			x.Party = PartyID(r.String())
		case "requested_by":
			r.Seen(&seen, 2)
			x.RequestedBy = PartyID(r.String())
		case "note":
			r.Seen(&seen, 3)
			x.Note = r.String()
		default:
			r.Fail()
		}
	}
}

func readSession(r *jsonbytes.Reader, s *Session) {
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
		case "no":
			r.Seen(&seen, 0)
			s.No = readInt(r)
		case "at":
			r.Seen(&seen, 1)
			s.At = r.Time()
		case "public":
			r.Seen(&seen, 2)
			s.Public = r.Bool()
		case "parties":
			r.Seen(&seen, 3)
			s.Parties = jsonbytes.Strings[PartyID](r)
		case "mediators":
			r.Seen(&seen, 4)
			s.Mediators = jsonbytes.Strings[hierarchy.PersonID](r)
		case "others":
			r.Seen(&seen, 5)
			s.Others = jsonbytes.Strings[string](r)
		case "minutes":
			r.Seen(&seen, 6)
			s.Minutes = r.String()
		default:
			r.Fail()
		}
	}
}

func readAgreement(r *jsonbytes.Reader, a *Agreement) {
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
		case "form":
			r.Seen(&seen, 0)
			a.Form = AgreementForm(r.String())
		case "facts":
			r.Seen(&seen, 1)
			a.Facts = r.String()
		case "terms":
			r.Seen(&seen, 2)
			a.Terms = r.String()
		case "performance":
			r.Seen(&seen, 3)
			readPerformance(r, &a.Performance)
		case "chosen_by":
			r.Seen(&seen, 4)
			a.ChosenBy = jsonbytes.Strings[PartyID](r)
		case "drafted_at":
			r.Seen(&seen, 5)
			a.DraftedAt = r.Time()
		case "signatures":
			r.Seen(&seen, 6)
			a.Signatures = jsonbytes.Slice(r, readSignature)
		case "sealed_at":
			r.Seen(&seen, 7)
			a.SealedAt = r.Time()
		case "effective_at":
			r.Seen(&seen, 8)
			a.EffectiveAt = r.Time()
		default:
			r.Fail()
		}
	}
}

func readPerformance(r *jsonbytes.Reader, p *Performance) {
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
		case "manner":
			r.Seen(&seen, 0)
			p.Manner = r.String()
		case "place":
			r.Seen(&seen, 1)
			p.Place = r.String()
		case "deadline":
			r.Seen(&seen, 2)
			p.Deadline = r.Time()
		default:
			r.Fail()
		}
	}
}

func readSignature(r *jsonbytes.Reader, s *Signature) {
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
		case "party":
			r.Seen(&seen, 0)
			s.Party = PartyID(r.String())
		case "mediator":
			r.Seen(&seen, 1)
			s.Mediator = hierarchy.PersonID(r.String())
		case "at":
			r.Seen(&seen, 2)
			s.At = r.Time()
		default:
			r.Fail()
		}
	}
}

func readOutcome(r *jsonbytes.Reader, o *Outcome) {
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
		case "at":
			r.Seen(&seen, 0)
			o.At = r.Time()
		case "ground":
			r.Seen(&seen, 1)
			o.Ground = RefusalGround(r.String())
		case "party":
			r.Seen(&seen, 2)
			o.Party = PartyID(r.String())
		case "reason":
			r.Seen(&seen, 3)
			o.Reason = FailReason(r.String())
		case "advice":
			r.Seen(&seen, 4)
			o.Advice = r.String()
		case "note":
			r.Seen(&seen, 5)
			o.Note = r.String()
		default:
			r.Fail()
		}
	}
}

func readReferral(r *jsonbytes.Reader, x *Referral) {
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
		case "at":
			r.Seen(&seen, 0)
			x.At = r.Time()
		case "from":
			r.Seen(&seen, 1)
			x.From = RoomID(r.String())
		case "to":
			r.Seen(&seen, 2)
			x.To = RoomID(r.String())
		case "direction":
			r.Seen(&seen, 3)
			x.Direction = Direction(r.String())
		case "reason":
			r.Seen(&seen, 4)
			x.Reason = r.String()
		default:
			r.Fail()
		}
	}
}

func readPoliceReport(r *jsonbytes.Reader, x *PoliceReport) {
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
		case "at":
			r.Seen(&seen, 0)
			x.At = r.Time()
		case "room":
			r.Seen(&seen, 1)
			x.Room = RoomID(r.String())
		case "to":
			r.Seen(&seen, 2)
			x.To = hierarchy.UnitID(r.String())
		case "ref":
			r.Seen(&seen, 3)
			x.Ref = r.String()
		case "reason":
			r.Seen(&seen, 4)
			x.Reason = r.String()
		default:
			r.Fail()
		}
	}
}

func readConfirmation(r *jsonbytes.Reader, x *Confirmation) {
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
		case "deadline":
			r.Seen(&seen, 0)
			x.Deadline = r.Time()
		case "applied_at":
			r.Seen(&seen, 1)
			x.AppliedAt = r.Time()
		case "court":
			r.Seen(&seen, 2)
			x.Court = r.String()
		case "decided_at":
			r.Seen(&seen, 3)
			x.DecidedAt = r.Time()
		case "confirmed":
			r.Seen(&seen, 4)
			x.Confirmed = r.Bool()
		case "ruling":
			r.Seen(&seen, 5)
			x.Ruling = r.String()
		default:
			r.Fail()
		}
	}
}

func readVisit(r *jsonbytes.Reader, x *Visit) {
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
		case "due":
			r.Seen(&seen, 0)
			x.Due = r.Time()
		case "done_at":
			r.Seen(&seen, 1)
			x.DoneAt = r.Time()
		case "finding":
			r.Seen(&seen, 2)
			x.Finding = Finding(r.String())
		case "notes":
			r.Seen(&seen, 3)
			x.Notes = r.String()
		default:
			r.Fail()
		}
	}
}

func readBreach(r *jsonbytes.Reader, x *Breach) {
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
		case "at":
			r.Seen(&seen, 0)
			x.At = r.Time()
		case "party":
			r.Seen(&seen, 1)
			x.Party = PartyID(r.String())
		case "visit":
			r.Seen(&seen, 2)
			x.Visit = readInt(r)
		case "notes":
			r.Seen(&seen, 3)
			x.Notes = r.String()
		default:
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
		case "kind":
			r.Seen(&seen, 1)
			e.Kind = EventKind(r.String())
		case "case":
			r.Seen(&seen, 2)
			e.Case = CaseID(r.String())
		case "room":
			r.Seen(&seen, 3)
			e.Room = RoomID(r.String())
		case "at":
			r.Seen(&seen, 4)
			e.At = r.Time()
		case "actor":
			r.Seen(&seen, 5)
			e.Actor = hierarchy.PersonID(r.String())
		case "post":
			r.Seen(&seen, 6)
			e.Post = hierarchy.PostID(r.String())
		case "note":
			r.Seen(&seen, 7)
			e.Note = r.String()
		default:
			r.Fail()
		}
	}
}
