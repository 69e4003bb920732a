package rewards

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf8"
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
// The helpers repeat those of the escalation package's head encoder; they are small,
// and sharing them would need an internal package both import.

// appendClaim appends the JSON of claim c to b.
func appendClaim(b []byte, c Claim) ([]byte, error) {
	var err error
	b = append(b, '{')
	b = appendStr(key(b, "id"), c.ID)
	in := &c.ClaimInput
	b = append(key(b, "source"), '{')
	b = appendStr(key(b, "kind"), in.Source.Kind)
	b = appendStr(key(b, "id"), in.Source.ID)
	b = append(b, '}')
	b = appendStr(key(b, "worker"), string(in.Worker))
	b = appendStr(key(b, "area"), string(in.Area))
	b = optStr(b, "unit", string(in.Unit))
	b = appendStr(key(b, "category"), in.Category)
	b = appendStr(key(b, "outcome"), in.Outcome)
	b = optStr(b, "contribution", in.Contribution)
	b = optStr(b, "matter", in.Matter)
	b = optStr(b, "series", in.Series)
	if b, err = appendTime(key(b, "reported_at"), in.ReportedAt); err != nil {
		return nil, err
	}
	b = appendStr(key(b, "fund"), c.Fund)
	b = appendStr(key(b, "state"), string(c.State))
	b = strconv.AppendInt(key(b, "amount"), int64(c.Amount), 10)
	b = optInt(b, "granted", int64(c.Granted))
	b = optInt(b, "paid", int64(c.Paid))
	b = optStr(b, "paid_from", c.PaidFrom)
	if b, err = optTime(b, "paid_at", c.PaidAt); err != nil {
		return nil, err
	}
	b = optInt(b, "clawed_back", int64(c.ClawedBack))
	b = optStr(b, "rule", c.Rule)
	b = optStr(b, "reason", c.Reason)
	if p := c.Pending; p != nil {
		b = append(key(b, "pending"), '{')
		b = appendStr(key(b, "id"), p.ID)
		b = appendStr(key(b, "op"), p.Op)
		if b, err = appendTime(key(b, "since"), p.Since); err != nil {
			return nil, err
		}
		b = optStr(b, "by", string(p.By))
		b = optStr(b, "post", string(p.Post))
		b = optStr(b, "note", p.Note)
		b = optStr(b, "fund", p.Fund)
		b = optInt(b, "amount", int64(p.Amount))
		if p.Partial {
			b = append(key(b, "partial"), "true"...)
		}
		b = append(b, '}')
	}
	b = key(b, "history")
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
			if b, err = appendTime(key(b, "at"), e.At); err != nil {
				return nil, err
			}
			b = appendStr(key(b, "action"), e.Action)
			b = optStr(b, "by", string(e.By))
			b = optStr(b, "post", string(e.Post))
			b = optStr(b, "note", e.Note)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if b, err = appendTime(key(b, "created"), c.Created); err != nil {
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
	b = appendStr(key(b, "key"), m.Key)
	b = key(b, "contenders")
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
			b = appendStr(key(b, "claim"), x.Claim)
			b = appendStr(key(b, "worker"), string(x.Worker))
			if b, err = appendTime(key(b, "reported_at"), x.ReportedAt); err != nil {
				return nil, err
			}
			if x.Out {
				b = append(key(b, "out"), "true"...)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = optStr(b, "winner", m.Winner)
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

func optInt(b []byte, name string, v int64) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendInt(key(b, name), v, 10)
}

func optTime(b []byte, name string, t time.Time) ([]byte, error) {
	if t.IsZero() {
		return b, nil
	}
	return appendTime(key(b, name), t)
}

// appendTime writes t as [time.Time.MarshalJSON] does, refusing what it refuses: a
// year outside 0–9999 and a zone offset of 24 hours or more.
func appendTime(b []byte, t time.Time) ([]byte, error) {
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

const hexDigits = "0123456789abcdef"

// appendStr writes s quoted as encoding/json does with its default HTML escaping: <, >
// and & as \u003c, \u003e and \u0026, control characters escaped, invalid UTF-8 as
// \ufffd, and U+2028 and U+2029 escaped.
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
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
