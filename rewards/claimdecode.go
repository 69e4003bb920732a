package rewards

import (
	"strconv"

	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// Claims, matters and tallies are read on every command on them and by every
// statement, and encoding/json's reflection cost most of each read. The decoders
// below read the shape appendClaim, appendMatter and json.Marshal of a Tally write
// (members in any order, each once) with a [jsonbytes.Reader], and hand any other
// document to encoding/json whole: an unknown or repeated member, whitespace, an
// escaped name, a number that does not fit, a tally in the Items layout. So the value
// and the error-ness are encoding/json's for every input, which a fuzz test checks; a
// test fills every field by reflection, so a field added to these types without being
// added here fails it.

func decodeClaim(data []byte, c *Claim) error   { return jsonbytes.Decode(data, c, readClaim) }
func decodeMatter(data []byte, m *Matter) error { return jsonbytes.Decode(data, m, readMatter) }
func decodeTally(data []byte, t *Tally) error   { return jsonbytes.Decode(data, t, readTally) }
func decodeClaimSummary(data []byte, c *claimSummary) error {
	return jsonbytes.Decode(data, c, readClaimSummary)
}

func readFen(r *jsonbytes.Reader) Fen { return Fen(r.Int(64)) }

func readClaim(r *jsonbytes.Reader, c *Claim) {
	if !r.Object() {
		return
	}
	in := &c.ClaimInput
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "id":
			r.Seen(&seen, 0)
			c.ID = r.String()
		case "fund":
			r.Seen(&seen, 11)
			c.Fund = r.String()
		case "state":
			r.Seen(&seen, 12)
			c.State = ClaimState(r.String())
		case "amount":
			r.Seen(&seen, 13)
			c.Amount = readFen(r)
		case "granted":
			r.Seen(&seen, 14)
			c.Granted = readFen(r)
		case "paid":
			r.Seen(&seen, 15)
			c.Paid = readFen(r)
		case "paid_from":
			r.Seen(&seen, 16)
			c.PaidFrom = r.String()
		case "paid_at":
			r.Seen(&seen, 17)
			c.PaidAt = r.Time()
		case "clawed_back":
			r.Seen(&seen, 18)
			c.ClawedBack = readFen(r)
		case "rule":
			r.Seen(&seen, 19)
			c.Rule = r.String()
		case "reason":
			r.Seen(&seen, 20)
			c.Reason = r.String()
		case "pending":
			r.Seen(&seen, 21)
			if !r.Null() {
				c.Pending = new(Pending)
				readPending(r, c.Pending)
			}
		case "history":
			r.Seen(&seen, 22)
			c.History = jsonbytes.Slice(r, readEvent)
		case "created":
			r.Seen(&seen, 23)
			c.Created = r.Time()
		default:
			readClaimInput(r, k, in, &seen)
		}
	}
}

// readClaimInput reads member k of a claim's embedded ClaimInput, which claims and
// their summaries share, marking bits 1-10 of *seen; any other member fails.
func readClaimInput(r *jsonbytes.Reader, k []byte, in *ClaimInput, seen *uint64) {
	switch string(k) {
	case "source":
		r.Seen(seen, 1)
		readSource(r, &in.Source)
	case "worker":
		r.Seen(seen, 2)
		in.Worker = hierarchy.PersonID(r.String())
	case "area":
		r.Seen(seen, 3)
		in.Area = hierarchy.UnitID(r.String())
	case "unit":
		r.Seen(seen, 4)
		in.Unit = hierarchy.UnitID(r.String())
	case "category":
		r.Seen(seen, 5)
		in.Category = r.String()
	case "outcome":
		r.Seen(seen, 6)
		in.Outcome = r.String()
	case "contribution":
		r.Seen(seen, 7)
		in.Contribution = r.String()
	case "matter":
		r.Seen(seen, 8)
		in.Matter = r.String()
	case "series":
		r.Seen(seen, 9)
		in.Series = r.String()
	case "reported_at":
		r.Seen(seen, 10)
		in.ReportedAt = r.Time()
	default:
		r.Fail()
	}
}

// readClaimSummary reads a stored claim into the fields of claimSummary, skipping the
// members of Claim that claimSummary lacks, as encoding/json ignores them. Only Claim's
// own member names are skipped: another name might be one encoding/json matches to a
// summary field by folding case, so it fails and goes to encoding/json.
func readClaimSummary(r *jsonbytes.Reader, c *claimSummary) {
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
		case "state":
			r.Seen(&seen, 12)
			c.State = ClaimState(r.String())
		case "paid":
			r.Seen(&seen, 15)
			c.Paid = readFen(r)
		case "clawed_back":
			r.Seen(&seen, 18)
			c.ClawedBack = readFen(r)
		case "id", "fund", "amount", "granted", "paid_from", "paid_at", "rule", "reason",
			"pending", "history", "created":
			r.Skip()
		default:
			readClaimInput(r, k, &c.ClaimInput, &seen)
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
			s.Kind = r.String()
		case "id":
			r.Seen(&seen, 1)
			s.ID = r.String()
		default:
			r.Fail()
		}
	}
}

func readPending(r *jsonbytes.Reader, p *Pending) {
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
			p.ID = r.String()
		case "op":
			r.Seen(&seen, 1)
			p.Op = r.String()
		case "since":
			r.Seen(&seen, 2)
			p.Since = r.Time()
		case "by":
			r.Seen(&seen, 3)
			p.By = hierarchy.PersonID(r.String())
		case "post":
			r.Seen(&seen, 4)
			p.Post = hierarchy.PostID(r.String())
		case "note":
			r.Seen(&seen, 5)
			p.Note = r.String()
		case "fund":
			r.Seen(&seen, 6)
			p.Fund = r.String()
		case "amount":
			r.Seen(&seen, 7)
			p.Amount = readFen(r)
		case "partial":
			r.Seen(&seen, 8)
			p.Partial = r.Bool()
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
		case "at":
			r.Seen(&seen, 0)
			e.At = r.Time()
		case "action":
			r.Seen(&seen, 1)
			e.Action = r.String()
		case "by":
			r.Seen(&seen, 2)
			e.By = hierarchy.PersonID(r.String())
		case "post":
			r.Seen(&seen, 3)
			e.Post = hierarchy.PostID(r.String())
		case "note":
			r.Seen(&seen, 4)
			e.Note = r.String()
		default:
			r.Fail()
		}
	}
}

func readMatter(r *jsonbytes.Reader, m *Matter) {
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
		case "key":
			r.Seen(&seen, 0)
			m.Key = r.String()
		case "contenders":
			r.Seen(&seen, 1)
			m.Contenders = jsonbytes.Slice(r, readContender)
		case "winner":
			r.Seen(&seen, 2)
			m.Winner = r.String()
		default:
			r.Fail()
		}
	}
}

func readContender(r *jsonbytes.Reader, x *Contender) {
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
		case "claim":
			r.Seen(&seen, 0)
			x.Claim = r.String()
		case "worker":
			r.Seen(&seen, 1)
			x.Worker = hierarchy.PersonID(r.String())
		case "reported_at":
			r.Seen(&seen, 2)
			x.ReportedAt = r.Time()
		case "out":
			r.Seen(&seen, 3)
			x.Out = r.Bool()
		default:
			r.Fail()
		}
	}
}

// readTally reads a tally in the layout of Months and Grants; one in the older Items
// layout goes to encoding/json, which decodes maps.
func readTally(r *jsonbytes.Reader, t *Tally) {
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
		case "worker":
			r.Seen(&seen, 0)
			t.Worker = hierarchy.PersonID(r.String())
		case "year":
			r.Seen(&seen, 1)
			t.Year = int(r.Int(strconv.IntSize))
		case "months":
			r.Seen(&seen, 2)
			jsonbytes.Fixed(r, t.Months[:], readFen)
		case "grants":
			r.Seen(&seen, 3)
			t.Grants = r.String()
		default:
			r.Fail()
		}
	}
}
