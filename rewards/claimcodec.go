package rewards

import (
	"strconv"

	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// A claim is written five to seven times on its way from report to payment, and
// encoding/json's reflection cost most of each write. appendClaim writes exactly the
// bytes json.Marshal writes for a Claim (same field order, omitempty and omitzero
// rules, string escaping, number and time formats), so every claim reads back with
// encoding/json and claims written before it read as before. A test fills every field
// by reflection and compares the two encodings, so a field added to Claim, ClaimInput,
// Source, Pending or Event without being added here fails it. Matters, written twice
// for each claim, are encoded the same way.
//
// The primitives are shared with the escalation package, in internal/jsonbytes.

// appendClaim appends the JSON of claim c to b.
func appendClaim(b []byte, c Claim) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "id"), c.ID)
	in := &c.ClaimInput
	b = append(jsonbytes.Key(b, "source"), '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "kind"), in.Source.Kind)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "id"), in.Source.ID)
	b = append(b, '}')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "worker"), string(in.Worker))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "area"), string(in.Area))
	b = jsonbytes.OptString(b, "unit", string(in.Unit))
	b = jsonbytes.AppendString(jsonbytes.Key(b, "category"), in.Category)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "outcome"), in.Outcome)
	b = jsonbytes.OptString(b, "contribution", in.Contribution)
	b = jsonbytes.OptString(b, "matter", in.Matter)
	b = jsonbytes.OptString(b, "series", in.Series)
	if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "reported_at"), in.ReportedAt); err != nil {
		return nil, err
	}
	b = jsonbytes.AppendString(jsonbytes.Key(b, "fund"), c.Fund)
	b = jsonbytes.AppendString(jsonbytes.Key(b, "state"), string(c.State))
	b = strconv.AppendInt(jsonbytes.Key(b, "amount"), int64(c.Amount), 10)
	b = jsonbytes.OptInt(b, "granted", int64(c.Granted))
	b = jsonbytes.OptInt(b, "paid", int64(c.Paid))
	b = jsonbytes.OptString(b, "paid_from", c.PaidFrom)
	if b, err = jsonbytes.OptTime(b, "paid_at", c.PaidAt); err != nil {
		return nil, err
	}
	b = jsonbytes.OptInt(b, "clawed_back", int64(c.ClawedBack))
	b = jsonbytes.OptString(b, "rule", c.Rule)
	b = jsonbytes.OptString(b, "reason", c.Reason)
	if p := c.Pending; p != nil {
		b = append(jsonbytes.Key(b, "pending"), '{')
		b = jsonbytes.AppendString(jsonbytes.Key(b, "id"), p.ID)
		b = jsonbytes.AppendString(jsonbytes.Key(b, "op"), p.Op)
		if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "since"), p.Since); err != nil {
			return nil, err
		}
		b = jsonbytes.OptString(b, "by", string(p.By))
		b = jsonbytes.OptString(b, "post", string(p.Post))
		b = jsonbytes.OptString(b, "note", p.Note)
		b = jsonbytes.OptString(b, "fund", p.Fund)
		b = jsonbytes.OptInt(b, "amount", int64(p.Amount))
		if p.Partial {
			b = append(jsonbytes.Key(b, "partial"), "true"...)
		}
		b = append(b, '}')
	}
	b = jsonbytes.Key(b, "history")
	if c.History == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range c.History {
			e := &c.History[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "at"), e.At); err != nil {
				return nil, err
			}
			b = jsonbytes.AppendString(jsonbytes.Key(b, "action"), e.Action)
			b = jsonbytes.OptString(b, "by", string(e.By))
			b = jsonbytes.OptString(b, "post", string(e.Post))
			b = jsonbytes.OptString(b, "note", e.Note)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "created"), c.Created); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendMatter appends the JSON of matter m to b, as json.Marshal writes it: the
// matter of a claim is written when the claim registers and again when it is
// approved.
func appendMatter(b []byte, m Matter) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "key"), m.Key)
	b = jsonbytes.Key(b, "contenders")
	if m.Contenders == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range m.Contenders {
			x := &m.Contenders[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = jsonbytes.AppendString(jsonbytes.Key(b, "claim"), x.Claim)
			b = jsonbytes.AppendString(jsonbytes.Key(b, "worker"), string(x.Worker))
			if b, err = jsonbytes.AppendTime(jsonbytes.Key(b, "reported_at"), x.ReportedAt); err != nil {
				return nil, err
			}
			if x.Out {
				b = append(jsonbytes.Key(b, "out"), "true"...)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = jsonbytes.OptString(b, "winner", m.Winner)
	return append(b, '}'), nil
}

// appendTally appends t as json.Marshal writes it, Items in key order. Every approval
// writes its worker's tally.
func appendTally(b []byte, t Tally) ([]byte, error) {
	b = append(b, '{')
	b = jsonbytes.AppendString(jsonbytes.Key(b, "worker"), string(t.Worker))
	b = strconv.AppendInt(jsonbytes.Key(b, "year"), int64(t.Year), 10)
	b = jsonbytes.Ints(b, "months", t.Months[:])
	b = jsonbytes.OptString(b, "grants", t.Grants)
	b = jsonbytes.OptMap(b, "items", t.Items, func(b []byte, it TallyItem) []byte {
		b = append(b, '{')
		b = jsonbytes.AppendString(jsonbytes.Key(b, "month"), it.Month)
		b = strconv.AppendInt(jsonbytes.Key(b, "amount"), int64(it.Amount), 10)
		return append(b, '}')
	})
	return append(b, '}'), nil
}
