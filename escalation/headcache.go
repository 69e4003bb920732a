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
// parsing its RFC 3339 form returns it (see [parsed]). The fold state is h's own when
// it already is what decoding gives (see [decodedFold]), since fold states are
// read-only once made. It reports false when it cannot promise that: an offset with
// seconds, which RFC 3339 truncates, or invalid UTF-8, which the encoding replaces
// (detected conservatively as an escaped U+FFFD in data). A test checks asDecoded
// against encoding/json with every field set.
func asDecoded(h *caseHead, data []byte) (caseHead, bool) {
	if bytes.Contains(data, []byte(`\ufffd`)) {
		return caseHead{}, false
	}
	ok := true
	conv := func(p *time.Time, opt bool) {
		v, good := parsed(*p, opt)
		ok = ok && good
		*p = v
	}
	out := *h
	c := &out.Case
	c.History, c.spare, c.prefix, c.folded = nil, spare{}, nil, nil
	conv(&c.ReportedAt, false)
	conv(&c.Deadline, true)
	conv(&c.NextCheck, true)
	c.Handlers = cloneNil(c.Handlers)
	c.Assisting = cloneNil(c.Assisting)
	c.FollowUps = cloneNil(c.FollowUps)
	c.Whistles = cloneNil(c.Whistles)
	for i := range c.Whistles {
		w := &c.Whistles[i]
		conv(&w.At, false)
		conv(&w.Concluded, true)
		w.Summons = cloneNil(w.Summons)
		for j := range w.Summons {
			conv(&w.Summons[j].At, false)
			conv(&w.Summons[j].ReportedAt, true)
		}
	}
	out.History = nil
	var good bool
	out.Fold, good = decodedFold(h.Fold)
	return out, ok && good
}

// parsed returns instant t as parsing its RFC 3339 form gives it: no monotonic
// reading; UTC for a zero offset, the local zone when its offset matches, else an
// unnamed fixed zone; with opt (a field encoded only when not zero), the zero instant
// as time.Time{}. It reports false, returning t as is, for an offset with seconds,
// which RFC 3339 truncates.
func parsed(t time.Time, opt bool) (time.Time, bool) {
	if opt && t.IsZero() {
		return time.Time{}, true
	}
	_, off := t.Zone()
	switch {
	case off%60 != 0:
		return t, false
	case off == 0:
		return t.UTC(), true
	}
	if l := t.In(time.Local); zoneOffset(l) == off {
		return l, true
	}
	return t.In(time.FixedZone("", off)), true
}

// times calls fn on every instant of f, with opt set for those encoded only when not
// zero.
func (f *foldState) times(fn func(p *time.Time, opt bool)) {
	fn(&f.LastAt, true)
	for i := range f.Timers {
		fn(&f.Timers[i].Start, false)
		fn(&f.Timers[i].Stop, true)
	}
	for i := range f.Cycles {
		fn(&f.Cycles[i].Start, false)
		fn(&f.Cycles[i].End, true)
	}
	for i := range f.Pauses {
		fn(&f.Pauses[i].From, false)
		fn(&f.Pauses[i].To, true)
	}
}

// asParsed converts the instants of f, whose slices are its own, to what decoding
// gives (see [parsed]), leaving those it cannot convert as they are; so that a fold
// state just made is already what decoding its encoding gives, and [decodedFold]
// need not copy it.
func (f *foldState) asParsed() {
	f.times(func(p *time.Time, opt bool) { *p, _ = parsed(*p, opt) })
}

// decodedFold returns what decoding the encoding of f gives: f itself when it already
// is (every instant as [parsed] gives it, every empty slice nil), which a fold state
// made by [Policy.fold] is, else a converted copy; false as for [asDecoded].
func decodedFold(f *foldState) (*foldState, bool) {
	if f == nil {
		return nil, true
	}
	same := (f.Timers == nil || len(f.Timers) > 0) && (f.Cycles == nil || len(f.Cycles) > 0) &&
		(f.Pauses == nil || len(f.Pauses) > 0)
	f.times(func(p *time.Time, opt bool) {
		if same {
			v, ok := parsed(*p, opt)
			same = ok && identical(v, *p)
		}
	})
	if same {
		return f, true
	}
	out := *f
	out.Timers, out.Cycles, out.Pauses = cloneNil(f.Timers), cloneNil(f.Cycles), cloneNil(f.Pauses)
	ok := true
	out.times(func(p *time.Time, opt bool) {
		v, good := parsed(*p, opt)
		ok = ok && good
		*p = v
	})
	return &out, ok
}

// identical reports whether a and b are the same value, as reflect.DeepEqual compares
// them: == but for an unnamed fixed zone, which [time.FixedZone] makes anew (another
// pointer to an equal location) for offsets that are not whole hours.
func identical(a, b time.Time) bool {
	if a == b {
		return true
	}
	la, lb := a.Location(), b.Location()
	return la.String() == "" && lb.String() == "" && zoneOffset(a) == zoneOffset(b) &&
		a.Round(0) == a && a.In(lb) == b
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
