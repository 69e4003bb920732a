package mediation

import (
	"strconv"
	"time"

	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// appendCaseDoc appends d as json.Marshal writes it: the members of the embedded Case in
// order, then the document's parties, which shadow Case.Parties and so come last. A
// case is written on every command on it, and with its history and sessions it was
// the largest document encoding/json's reflection wrote in a district's year.
func appendCaseDoc(b []byte, d caseDoc) ([]byte, error) {
	c := &d.Case
	var err error
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "id"), string(c.ID))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "room"), string(c.Room))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "dispute"), string(c.Dispute))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "summary"), c.Summary)
	b = append(jsonbytes.Key(b, "source"), '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "kind"), string(c.Source.Kind))
	b = jsonbytes.OptString(b, "ref", c.Source.Ref)
	b = jsonbytes.OptString(b, "unit", string(c.Source.Unit))
	b = append(b, '}')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "state"), string(c.State))
	if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "opened_at"), c.OpenedAt); err != nil {
		return nil, err
	}
	if b, err = jsonbytes.OptTime(b, "accepted_at", c.AcceptedAt); err != nil {
		return nil, err
	}
	if b, err = jsonbytes.OptTime(b, "deadline", c.Deadline); err != nil {
		return nil, err
	}
	if b, err = optSlice(b, "extensions", c.Extensions, appendExtension); err != nil {
		return nil, err
	}
	if b, err = optSlice(b, "mediators", c.Mediators, appendAssignment); err != nil {
		return nil, err
	}
	if b, err = optSlice(b, "sessions", c.Sessions, appendSession); err != nil {
		return nil, err
	}
	if !c.Agreement.IsZero() {
		if b, err = appendAgreement(jsonbytes.Key(b, "agreement"), &c.Agreement); err != nil {
			return nil, err
		}
	}
	if c.Outcome != (Outcome{}) {
		if b, err = appendOutcome(jsonbytes.Key(b, "outcome"), &c.Outcome); err != nil {
			return nil, err
		}
	}
	if b, err = optSlice(b, "referrals", c.Referrals, appendReferral); err != nil {
		return nil, err
	}
	if b, err = optSlice(b, "police_reports", c.PoliceReports, appendPoliceReport); err != nil {
		return nil, err
	}
	if c.Confirmation != (Confirmation{}) {
		if b, err = appendConfirmation(jsonbytes.Key(b, "confirmation"), &c.Confirmation); err != nil {
			return nil, err
		}
	}
	if b, err = optSlice(b, "visits", c.Visits, appendVisit); err != nil {
		return nil, err
	}
	if b, err = optSlice(b, "breaches", c.Breaches, appendBreach); err != nil {
		return nil, err
	}
	if b, err = slice(jsonbytes.Key(b, "history"), c.History, appendEvent); err != nil {
		return nil, err
	}
	if b, err = slice(jsonbytes.Key(b, "parties"), d.Parties, appendPartyRecord); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// slice appends xs as an array, null when nil, each element by appendOne.
func slice[T any](b []byte, xs []T, appendOne func([]byte, *T) ([]byte, error)) ([]byte, error) {
	if xs == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var err error
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendOne(b, &xs[i]); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// optSlice appends member name with xs unless it is empty (omitempty).
func optSlice[T any](b []byte, name string, xs []T, appendOne func([]byte, *T) ([]byte, error)) ([]byte, error) {
	if len(xs) == 0 {
		return b, nil
	}
	return slice(jsonbytes.Key(b, name), xs, appendOne)
}

// strs appends member name with the strings vs, null when nil (no omitempty).
func strs[S ~string](b []byte, name string, vs []S) []byte {
	b = jsonbytes.Key(b, name)
	if vs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonbytes.AppendString(b, string(v))
	}
	return append(b, ']')
}

// at appends member name with instant t (no omitzero).
func at(b []byte, name string, t time.Time) ([]byte, error) {
	return jsonbytes.AppendTime(jsonbytes.Key(b, name), t)
}

func appendPartyRecord(b []byte, p *partyRecord) ([]byte, error) {
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "id"), string(p.ID))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "role"), string(p.Role))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "name"), p.Name)
	b = jsonbytes.OptString(b, "id_number", p.IDNumber)
	b = jsonbytes.OptString(b, "phone", p.Phone)
	b = jsonbytes.OptString(b, "credit_code", string(p.CreditCode))
	b = jsonbytes.OptString(b, "person", string(p.Person))
	b, _ = optSlice(b, "relations", p.Relations, appendRelation)
	return append(b, '}'), nil
}

func appendRelation(b []byte, x *Relation) ([]byte, error) {
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "person"), string(x.Person))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "ground"), string(x.Ground))
	b = jsonbytes.OptString(b, "note", x.Note)
	return append(b, '}'), nil
}

func appendExtension(b []byte, x *Extension) ([]byte, error) {
	var err error
	b = append(b, '{')
	if b, err = at(b, "at", x.At); err != nil {
		return nil, err
	}
	b = strs(b, "consents", x.Consents)
	if b, err = at(b, "from", x.From); err != nil {
		return nil, err
	}
	if b, err = at(b, "to", x.To); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func appendAssignment(b []byte, a *Assignment) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "person"), string(a.Person))
	b = jsonbytes.OptString(b, "name", a.Name)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "kind"), string(a.Kind))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "how"), string(a.How))
	b = jsonbytes.OptStrings(b, "chosen_by", a.ChosenBy)
	b = jsonbytes.OptStrings(b, "consented_by", a.ConsentedBy)
	if b, err = at(b, "at", a.At); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "room"), string(a.Room))
	if b, err = jsonbytes.OptTime(b, "ended_at", a.EndedAt); err != nil {
		return nil, err
	}
	if r := a.Recusal; r != nil {
		b = append(jsonbytes.Key(b, "recusal"), '{')
		b = jsonbytes.AppendString(jsonbytes.Key(b, "ground"), string(r.Ground))
		b = jsonbytes.OptString(b, "party", string(r.Party))
		b = jsonbytes.OptString(b, "requested_by", string(r.RequestedBy))
		b = jsonbytes.OptString(b, "note", r.Note)
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func appendSession(b []byte, s *Session) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = strconv.AppendInt(jsonbytes.Key(b, "no"), int64(s.No), 10)
	if b, err = at(b, "at", s.At); err != nil {
		return nil, err
	}
	b = jsonbytes.OptBool(b, "public", s.Public)
	b = strs(b, "parties", s.Parties)
	b = strs(b, "mediators", s.Mediators)
	b = jsonbytes.OptStrings(b, "others", s.Others)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "minutes"), s.Minutes)
	return append(b, '}'), nil
}

func appendAgreement(b []byte, a *Agreement) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "form"), string(a.Form))
	b = jsonbytes.OptString(b, "facts", a.Facts)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "terms"), a.Terms)
	if p := &a.Performance; *p != (Performance{}) {
		b = append(jsonbytes.Key(b, "performance"), '{')
		b = jsonbytes.OptString(b, "manner", p.Manner)
		b = jsonbytes.OptString(b, "place", p.Place)
		if b, err = jsonbytes.OptTime(b, "deadline", p.Deadline); err != nil {
			return nil, err
		}
		b = append(b, '}')
	}
	b = jsonbytes.OptStrings(b, "chosen_by", a.ChosenBy)
	if b, err = at(b, "drafted_at", a.DraftedAt); err != nil {
		return nil, err
	}
	if b, err = optSlice(b, "signatures", a.Signatures, appendSignature); err != nil {
		return nil, err
	}
	if b, err = jsonbytes.OptTime(b, "sealed_at", a.SealedAt); err != nil {
		return nil, err
	}
	if b, err = jsonbytes.OptTime(b, "effective_at", a.EffectiveAt); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func appendSignature(b []byte, s *Signature) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = jsonbytes.OptString(b, "party", string(s.Party))
	b = jsonbytes.OptString(b, "mediator", string(s.Mediator))
	if b, err = at(b, "at", s.At); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func appendOutcome(b []byte, o *Outcome) ([]byte, error) {
	var err error
	b = append(b, '{')
	if b, err = at(b, "at", o.At); err != nil {
		return nil, err
	}
	b = jsonbytes.OptString(b, "ground", string(o.Ground))
	b = jsonbytes.OptString(b, "party", string(o.Party))
	b = jsonbytes.OptString(b, "reason", string(o.Reason))
	b = jsonbytes.OptString(b, "advice", o.Advice)
	b = jsonbytes.OptString(b, "note", o.Note)
	return append(b, '}'), nil
}

func appendReferral(b []byte, x *Referral) ([]byte, error) {
	var err error
	b = append(b, '{')
	if b, err = at(b, "at", x.At); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "from"), string(x.From))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "to"), string(x.To))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "direction"), string(x.Direction))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "reason"), x.Reason)
	return append(b, '}'), nil
}

func appendPoliceReport(b []byte, x *PoliceReport) ([]byte, error) {
	var err error
	b = append(b, '{')
	if b, err = at(b, "at", x.At); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "room"), string(x.Room))
	b = jsonbytes.OptString(b, "to", string(x.To))
	b = jsonbytes.OptString(b, "ref", x.Ref)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "reason"), x.Reason)
	return append(b, '}'), nil
}

func appendConfirmation(b []byte, x *Confirmation) ([]byte, error) {
	var err error
	b = append(b, '{')
	if b, err = at(b, "deadline", x.Deadline); err != nil {
		return nil, err
	}
	if b, err = jsonbytes.OptTime(b, "applied_at", x.AppliedAt); err != nil {
		return nil, err
	}
	b = jsonbytes.OptString(b, "court", x.Court)
	if b, err = jsonbytes.OptTime(b, "decided_at", x.DecidedAt); err != nil {
		return nil, err
	}
	b = jsonbytes.OptBool(b, "confirmed", x.Confirmed)
	b = jsonbytes.OptString(b, "ruling", x.Ruling)
	return append(b, '}'), nil
}

func appendVisit(b []byte, x *Visit) ([]byte, error) {
	var err error
	b = append(b, '{')
	if b, err = at(b, "due", x.Due); err != nil {
		return nil, err
	}
	if b, err = jsonbytes.OptTime(b, "done_at", x.DoneAt); err != nil {
		return nil, err
	}
	b = jsonbytes.OptString(b, "finding", string(x.Finding))
	b = jsonbytes.OptString(b, "notes", x.Notes)
	return append(b, '}'), nil
}

func appendBreach(b []byte, x *Breach) ([]byte, error) {
	var err error
	b = append(b, '{')
	if b, err = at(b, "at", x.At); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "party"), string(x.Party))
	b = strconv.AppendInt(jsonbytes.Key(b, "visit"), int64(x.Visit), 10)
	b = jsonbytes.OptString(b, "notes", x.Notes)
	return append(b, '}'), nil
}

func appendEvent(b []byte, e *Event) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = strconv.AppendInt(jsonbytes.Key(b, "seq"), int64(e.Seq), 10)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "kind"), string(e.Kind))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "case"), string(e.Case))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "room"), string(e.Room))
	if b, err = at(b, "at", e.At); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "actor"), string(e.Actor))
	b = jsonbytes.OptString(b, "post", string(e.Post))
	b = jsonbytes.OptString(b, "note", e.Note)
	return append(b, '}'), nil
}
