package escalation

import (
	"bytes"
	"slices"
	"sync"
	"time"
)

// headCache keeps the heads of open cases the Service wrote last, so that the next
// command on a case skips decoding its head ([store.HeadCache]). An entry is used only
// when the stored bytes are exactly the bytes it was written with: a case written by
// anything else (another process on the same database, a direct write, a delete and
// re-create that reuses a version) misses and is decoded, so the cache never changes
// what a command decides, only what it costs. It holds at most max entries, dropping an
// arbitrary one when full, and no closed or voided case.
type headCache struct {
	mu  sync.Mutex
	max int
	m   map[string]*cachedHead
}

// cachedHead is one entry. Store overwrites an entry in place and Lookup copies it out,
// both under the lock; the slices it holds are never modified once stored, so a copy
// may be used after releasing the lock.
type cachedHead struct {
	version int64
	data    []byte
	head    caseHead // as decoding data would give, with slices of its own
}

func newHeadCache(max int) *headCache {
	return &headCache{max: max, m: make(map[string]*cachedHead, min(max, 1024))}
}

// Lookup implements [store.HeadCache]. The case's slices are copied, so that a caller
// modifying the case it gets back (which [Case] asks callers not to do) cannot reach
// the entry; the fold state's slices are shared, since nothing outside the package sees
// them and the fold only reads them.
func (c *headCache) Lookup(id string, version int64, data []byte) (caseHead, bool) {
	c.mu.Lock()
	e, ok := c.m[id]
	var h caseHead
	if ok = ok && e.version == version && bytes.Equal(e.data, data); ok {
		h = e.head
	}
	c.mu.Unlock()
	if !ok {
		return caseHead{}, false
	}
	h.Case = h.Case.Clone()
	return h, true
}

// Store implements [store.HeadCache]. data is the Log's own encoding, no longer
// modified by anyone.
func (c *headCache) Store(id string, version int64, data []byte, head caseHead) {
	var (
		h  caseHead
		ok = head.State.Open()
	)
	if ok {
		h, ok = asDecoded(&head, data)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, exists := c.m[id]
	switch {
	case !ok:
		delete(c.m, id)
		return
	case exists:
		// In place: a case's next head replaces its last, and the entry is big.
		*e = cachedHead{version: version, data: data, head: h}
		return
	case len(c.m) >= c.max:
		for k := range c.m { // map order is random: an arbitrary victim
			delete(c.m, k)
			break
		}
	}
	c.m[id] = &cachedHead{version: version, data: data, head: h}
}

// asDecoded returns what json.Unmarshal of data, the encoding of h, gives: h with
// copies of its slices (empty ones nil, as omitempty drops them) and every instant as
// parsing its RFC 3339 form returns it (no monotonic reading; UTC for a zero offset,
// the local zone when its offset matches, else an unnamed fixed zone). It reports false
// when it cannot promise that: an offset with seconds, which RFC 3339 truncates, or
// invalid UTF-8, which the encoding replaces (detected conservatively as an escaped
// U+FFFD in data). A test checks asDecoded against encoding/json with every field set.
func asDecoded(h *caseHead, data []byte) (caseHead, bool) {
	if bytes.Contains(data, []byte(`\ufffd`)) {
		return caseHead{}, false
	}
	ok := true
	// t converts an instant encoded always, tz one encoded only when not zero.
	t := func(p *time.Time) {
		_, off := p.Zone()
		switch {
		case off%60 != 0:
			ok = false
		case off == 0:
			*p = p.UTC()
		default:
			if l := p.In(time.Local); zoneOffset(l) == off {
				*p = l
			} else {
				*p = p.In(time.FixedZone("", off))
			}
		}
	}
	tz := func(p *time.Time) {
		if p.IsZero() {
			*p = time.Time{}
			return
		}
		t(p)
	}
	out := *h
	c := &out.Case
	c.History, c.spare, c.prefix, c.folded = nil, spare{}, nil, nil
	t(&c.ReportedAt)
	tz(&c.Deadline)
	tz(&c.NextCheck)
	c.Handlers = cloneNil(c.Handlers)
	c.Assisting = cloneNil(c.Assisting)
	c.FollowUps = cloneNil(c.FollowUps)
	c.Whistles = cloneNil(c.Whistles)
	for i := range c.Whistles {
		w := &c.Whistles[i]
		t(&w.At)
		tz(&w.Concluded)
		w.Summons = cloneNil(w.Summons)
		for j := range w.Summons {
			t(&w.Summons[j].At)
			tz(&w.Summons[j].ReportedAt)
		}
	}
	out.History = nil
	f := &out.Fold
	tz(&f.LastAt)
	f.Timers = cloneNil(f.Timers)
	for i := range f.Timers {
		t(&f.Timers[i].Start)
		tz(&f.Timers[i].Stop)
	}
	f.Cycles = cloneNil(f.Cycles)
	for i := range f.Cycles {
		t(&f.Cycles[i].Start)
		tz(&f.Cycles[i].End)
	}
	f.Pauses = cloneNil(f.Pauses)
	for i := range f.Pauses {
		t(&f.Pauses[i].From)
		tz(&f.Pauses[i].To)
	}
	return out, ok
}

func zoneOffset(t time.Time) int {
	_, off := t.Zone()
	return off
}

// cloneNil copies s, nil when empty.
func cloneNil[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}
