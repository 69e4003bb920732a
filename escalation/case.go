package escalation

import (
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gridgov/gridgov/hierarchy"
)

// CaseID identifies a case: any non-empty string unique in the store. [Service.Report]
// issues a ULID when the report names none; an embedding system may bring its own
// (the 12345 hotline's ticket number, say).
type CaseID string

// Source says where a case came from.
type Source string

// Sources of cases.
const (
	SourcePatrol     Source = "grid-patrol" // found by a grid worker on patrol (网格巡查)
	SourceResident   Source = "resident"    // reported by a resident in person or in the app
	SourceHotline    Source = "hotline"     // the 12345 hotline (12345热线)
	SourceVideo      Source = "video"       // video patrol from a command centre (视频巡查)
	SourcePolice     Source = "police"      // transferred by the police (110 non-police calls, 非警务警情)
	SourceDepartment Source = "department"  // found or forwarded by a department
)

func (s Source) valid() bool {
	switch s {
	case SourcePatrol, SourceResident, SourceHotline, SourceVideo, SourcePolice, SourceDepartment:
		return true
	}
	return false
}

// Complexity grades a case. It chooses time limits, first-receiver responsibility and
// who is summoned when the whistle blows.
type Complexity string

// Complexities.
const (
	Ordinary       Complexity = "ordinary"        // 一般
	Complex        Complexity = "complex"         // 复杂 (cross-department, hard)
	MajorEmergency Complexity = "major-emergency" // 重大突发
)

func (c Complexity) valid() bool {
	return c == Ordinary || c == Complex || c == MajorEmergency
}

// State is where a case stands in the closed loop.
type State string

// States of a case. Closed and Voided are final.
const (
	Reported   State = "reported"   // 已上报: found, waiting to be filed
	Filed      State = "filed"      // 已立案: waiting to be dispatched (again, after a return)
	Dispatched State = "dispatched" // 已派遣: sent to a unit, waiting for it to accept
	Handling   State = "handling"   // 处置中: accepted, being handled
	Handled    State = "handled"    // 已反馈: reported back, waiting for verification
	Verified   State = "verified"   // 已核查: verification passed, waiting to be closed
	Closed     State = "closed"     // 已结案
	Voided     State = "voided"     // 已作废: invalid report
	Parked     State = "parked"     // 已挂账: cannot move for objective reasons; the clock stops
)

// Final reports whether no command can move a case out of s.
func (s State) Final() bool { return s == Closed || s == Voided }

// Open reports whether a case in s is still being worked on: it exists and is not
// final.
func (s State) Open() bool { return s != "" && !s.Final() }

// Point is a longitude/latitude pair in degrees, in the datum named by
// [Location.Datum]. The zero Point means no point; a point must be finite, with
// longitude in [-180, 180] and latitude in [-90, 90].
type Point struct {
	Lon float64 `json:"lon" yaml:"lon"`
	Lat float64 `json:"lat" yaml:"lat"`
}

// Datums a [Location]'s point may be given in; the empty datum means WGS-84, as in
// the grid package.
const (
	DatumWGS84 = "wgs84" // GPS, and the empty datum
	DatumGCJ02 = "gcj02" // the obfuscated datum of Chinese web maps (火星坐标)
	DatumBD09  = "bd09"  // Baidu's
)

// Location is where a case is. Unit is required: the ID of the lowest territorial unit
// holding the case (usually a grid) as the tree knows it, which the embedding system
// finds from the point with the grid package. Asset and Road let the routing table's
// asset layer override territory: they are keys of [Routing].Assets and Roads.
type Location struct {
	Unit    hierarchy.UnitID `json:"unit" yaml:"unit"`
	Point   Point            `json:"point,omitzero" yaml:"point,omitempty"`
	Datum   string           `json:"datum,omitempty" yaml:"datum,omitempty"` // "", "wgs84", "gcj02" or "bd09"
	Address string           `json:"address,omitempty" yaml:"address,omitempty"`
	Asset   string           `json:"asset,omitempty" yaml:"asset,omitempty"` // an asset ID (a manhole, a lamp post)
	Road    string           `json:"road,omitempty" yaml:"road,omitempty"`   // a road name
}

func (l Location) check(bad func(rule, format string, args ...any) error) error {
	switch l.Datum {
	case "", DatumWGS84, DatumGCJ02, DatumBD09:
	default:
		return bad("report.datum", "unknown datum %q (want %s, %s or %s)", l.Datum, DatumWGS84, DatumGCJ02, DatumBD09)
	}
	pt := l.Point
	for _, v := range [2]float64{pt.Lon, pt.Lat} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return bad("report.point", "the point (%v, %v) is not finite", pt.Lon, pt.Lat)
		}
	}
	if pt.Lon < -180 || pt.Lon > 180 || pt.Lat < -90 || pt.Lat > 90 {
		return bad("report.point", "the point (%v, %v) is outside longitude [-180, 180] and latitude [-90, 90]", pt.Lon, pt.Lat)
	}
	return nil
}

// Case is one event case with its whole history. It is one document in the store: the
// audit trail travels with it. A Case is a plain value; [Policy.Apply] returns new
// cases and never modifies the one it is given, and callers must not modify the slices
// of a case they did not build. A Case may be copied, and the same case applied from
// several goroutines.
//
// A Case carries unexported bookkeeping (the spare room behind its history that lets
// Apply append without copying). It is not part of the case: two cases with the same
// exported fields are the same case. Compare cases with
// [github.com/google/go-cmp/cmp/cmpopts.IgnoreUnexported] (cmpopts.IgnoreUnexported(Case{}));
// encoding to JSON or YAML drops it.
type Case struct {
	ID CaseID `json:"id"`
	// PolicyVersion is the version of the policy the case was filed under; commands
	// are decided under that version until an explicit [Rebase].
	PolicyVersion string     `json:"policy_version"`
	Source        Source     `json:"source"`
	Category      string     `json:"category"`
	Complexity    Complexity `json:"complexity"`
	Summary       string     `json:"summary,omitempty"`
	Location      Location   `json:"location"`
	// Reporter is who found or entered the case (the finder, 发现人).
	Reporter hierarchy.Actor `json:"reporter"`
	// ReportedAt is the time of the report.
	ReportedAt time.Time `json:"reported_at"`
	State      State     `json:"state"`
	// ParkedFrom is the state a parked case returns to when resumed.
	ParkedFrom State `json:"parked_from,omitempty"`
	// Owner is the unit the case is dispatched to (主办单位); empty before dispatch and
	// after a return. Assignee is the person it was dispatched to, if any (the
	// community police officer of a police matter).
	Owner    hierarchy.UnitID   `json:"owner,omitempty"`
	Assignee hierarchy.PersonID `json:"assignee,omitempty"`
	// FirstReceiver is the first unit the case was dispatched to (首接单位).
	FirstReceiver hierarchy.UnitID `json:"first_receiver,omitempty"`
	// Handlers are the people who accepted or reported back on the case, in any cycle;
	// none of them may verify or close it.
	Handlers []hierarchy.PersonID `json:"handlers,omitempty"`
	// Assisting are the units pulled in to help the owner (协办单位).
	Assisting []hierarchy.UnitID `json:"assisting,omitempty"`
	// Level is the escalation level the case has reached (grid, community, street,
	// district); it never goes down.
	Level hierarchy.Level `json:"level"`
	// Supervised is set once the case has been put under supervision (督查).
	Supervised bool `json:"supervised,omitempty"`
	// FollowUpOf links a follow-up case to the closed case a complaint was about;
	// FollowUps lists the follow-ups of a closed case.
	FollowUpOf CaseID   `json:"follow_up_of,omitempty"`
	FollowUps  []CaseID `json:"follow_ups,omitempty"`
	// Whistles are the whistles blown for the case, oldest first (吹哨).
	Whistles []Whistle `json:"whistles,omitempty"`
	// History is every event of the case, oldest first. It only grows.
	History []Event `json:"history"`
	// Deadline and NextCheck are derived: the deadline of the step in progress and the
	// earliest instant at which [DueFor] may list a warning or an escalation (zero when
	// none is pending). Apply refreshes both from [Policy.Timeline]; they are kept on
	// the document so that a scheduler or an index need not fold every history. They
	// are never read back as facts.
	Deadline  time.Time `json:"deadline,omitzero"`
	NextCheck time.Time `json:"next_check,omitzero"`
	// DeadlineProvisional is set when Deadline depends on a year whose holiday notice
	// the calendar has not loaded, DeadlineRefused when a running timer's deadline was
	// refused by a strict calendar (see [Timer.Basis]). [Policy.Refresh] after loading
	// the notice recomputes the deadline and clears both.
	DeadlineProvisional bool `json:"deadline_provisional,omitempty"`
	DeadlineRefused     bool `json:"deadline_refused,omitempty"`
	// spare lets [Policy.Apply] write the next events into spare room behind History
	// instead of copying it. It is bookkeeping, not part of the case: never encoded,
	// and its zero value is always valid (Apply then copies).
	spare spare
	// prefix, when set, makes the case partial: History holds only the events after
	// the first prefix.N, whose fold prefix is (see [Case.Complete]). folded is the
	// fold state after the whole history, set by [Policy.Apply] for [Service] to store
	// with the case's head. Neither is encoded; both are read-only once set.
	prefix *foldState
	folded *foldState
}

// Complete reports whether History is the case's whole history. A case returned by
// [Service.Do] or [Service.Report] is partial: it is the stored head with only the
// events of that command in History (their Seq counts from the start of the case), and
// [Policy.Apply], [Policy.DueFor] and [Policy.Refresh] decide on it as on the whole
// case, from the fold state the head carries. [Policy.Timeline] of a partial case
// knows only the timers running when its History starts and the later ones, and
// [Compute] needs whole cases: read one with [Service.Get].
func (c Case) Complete() bool { return c.prefix == nil || c.prefix.N == 0 }

// lastAt returns the time of the case's last event.
func (c *Case) lastAt() (time.Time, bool) {
	if n := len(c.History); n > 0 {
		return c.History[n-1].At, true
	}
	if c.prefix != nil && c.prefix.N > 0 {
		return c.prefix.LastAt, true
	}
	return time.Time{}, false
}

// spare is the room behind a history [Policy.Apply] built, shared by every case
// holding a prefix of it. Apply appends in place only for the case whose history ends
// where the room is still free, and claims it atomically first; any other case (the
// same input applied a second time, a shorter copy, a decoded document) gets a fresh
// array. So no two results share an element either can see, and cases that share a
// spare may be applied from different goroutines. Copying a Case copies its spare,
// which is how the claim works. The zero spare has no room.
type spare struct{ r *room }

// room is a history array with capacity to spare. used is the length of the longest
// history handed out on buf, or len(buf) while an Apply holds the rest of it: a case
// whose history is buf[:used] may claim buf[used:] by raising used.
type room struct {
	buf  []Event // the whole array, len == cap
	used atomic.Int64
}

// grow returns a history to append the events of one decision to: h's array itself
// when the room behind h is claimed (r is then the claimed room), or a fresh copy of h
// with room to spare.
func (s spare) grow(h []Event) (hist []Event, r *room) {
	n := len(h)
	if r := s.r; r != nil && n > 0 && n < len(r.buf) && &r.buf[0] == &h[0] &&
		r.used.CompareAndSwap(int64(n), int64(len(r.buf))) {
		return r.buf[:n], r
	}
	// Growing by half keeps the copies of a case's whole life linear in its length
	// without doubling the copy a decoded case pays for; eight slots hold a typical
	// closed loop from the first report.
	extra := max(n/2, 4)
	if n == 0 {
		extra = 8
	}
	hist = make([]Event, n, n+extra)
	copy(hist, h)
	return hist, nil
}

// settle ends the claim grow made on r, if any, now that the decision produced hist
// (nil for a refusal), and returns the spare of the new history.
func settle(r *room, n int, hist []Event) spare {
	if r != nil {
		if hist != nil && &hist[:1][0] == &r.buf[0] {
			r.used.Store(int64(len(hist)))
			return spare{r}
		}
		r.used.Store(int64(n)) // refused, or outgrew the room: the rest is free again
	}
	if hist == nil {
		return spare{}
	}
	nr := &room{buf: hist[:cap(hist)]}
	nr.used.Store(int64(len(hist)))
	return spare{nr}
}

// Event is one entry of a case's history: who did what, when, why, and from which
// state to which. Fields an action does not use are empty. Event is a plain value.
type Event struct {
	Seq int       `json:"seq"` // 1-based position in the history
	At  time.Time `json:"at"`
	// Action, From and To come first: a fold over many histories reads them on every
	// event, and here they share the event's first cache line.
	Action Action `json:"action"`
	From   State  `json:"from,omitempty"`
	To     State  `json:"to"`
	// Actor is who issued the command; the zero Actor is the system (routing, the
	// scheduler's warnings and escalations). ActorUnit is the unit of the actor's post.
	Actor     hierarchy.Actor  `json:"actor,omitzero"`
	ActorUnit hierarchy.UnitID `json:"actor_unit,omitempty"`
	Reason    string           `json:"reason,omitempty"`
	// Unit is the unit the action concerns: the unit dispatched to, pulled in,
	// summoned or whistled to, or the supervising unit of an escalation level. Person
	// is the person dispatched to or summoned.
	Unit   hierarchy.UnitID   `json:"unit,omitempty"`
	Person hierarchy.PersonID `json:"person,omitempty"`
	// Level is the level reached by an escalation, and the starting level on report.
	Level hierarchy.Level `json:"level,omitempty"`
	// Step and Cycle name the timer a warning or an escalation is about.
	Step  Step `json:"step,omitempty"`
	Cycle int  `json:"cycle,omitempty"`
	// Whistle is the 1-based number of the whistle a whistle action concerns.
	Whistle int `json:"whistle,omitempty"`
	// Category and Complexity are set on report and reclassification.
	Category   string     `json:"category,omitempty"`
	Complexity Complexity `json:"complexity,omitempty"`
	// Link is the follow-up case of a complaint, or the case a follow-up came from.
	Link CaseID `json:"link,omitempty"`
	// Policy is the policy version a rebase moved the case to.
	Policy string `json:"policy,omitempty"`
	// Resolved is the outcome of a concluded whistle.
	Resolved bool `json:"resolved,omitempty"`
	// Routed is set on a dispatch whose unit the routing table chose (the dispatcher,
	// or the direct routing of a report, named none), so that a replay of the history
	// under another table routes it again instead of repeating the unit.
	Routed bool `json:"routed,omitempty"`
}

// WhistleType is the kind of whistle a community blows (吹哨类型).
type WhistleType string

// Whistle types.
const (
	WhistleRoutine   WhistleType = "routine"   // 日常哨
	WhistleSpecial   WhistleType = "special"   // 专项哨 (special or tough problems)
	WhistleEmergency WhistleType = "emergency" // 应急哨
)

// Whistle is one whistle blown for a case (吹哨) and the report-ins it called (报到).
// An unresolved whistle is followed by one from the unit it was blown to, to the next
// level up; Parent links them.
type Whistle struct {
	Seq  int              `json:"seq"` // 1-based within the case
	Type WhistleType      `json:"type"`
	By   hierarchy.UnitID `json:"by"` // the unit that blew: the community, or a street passing it up
	To   hierarchy.UnitID `json:"to"` // the unit it was blown to: the street, or the district
	// ToLevel is the escalation level of To.
	ToLevel hierarchy.Level `json:"to_level"`
	At      time.Time       `json:"at"`
	Reason  string          `json:"reason,omitempty"`
	Parent  int             `json:"parent,omitempty"`
	// Summons are the units and leaders called to report in.
	Summons []Summons `json:"summons,omitempty"`
	// Concluded is when the whistle ended; Resolved says whether the problem was solved,
	// Escalated whether it went up a level.
	Concluded time.Time `json:"concluded,omitzero"`
	Resolved  bool      `json:"resolved,omitempty"`
	Escalated bool      `json:"escalated,omitempty"`
	Outcome   string    `json:"outcome,omitempty"`
}

// Open reports whether the whistle has not been concluded.
func (w Whistle) Open() bool { return w.Concluded.IsZero() }

// Summons is one unit or leader called to report in for a whistle.
type Summons struct {
	Unit   hierarchy.UnitID   `json:"unit,omitempty"`   // a summoned unit (a department)
	Leader hierarchy.PersonID `json:"leader,omitempty"` // a summoned district leader (包块)
	At     time.Time          `json:"at"`
	// ReportedAt is when the unit or leader reported in; zero while they have not.
	ReportedAt time.Time       `json:"reported_at,omitzero"`
	ReportedBy hierarchy.Actor `json:"reported_by,omitzero"`
}

// Clone returns a deep copy of c: changing the copy's slices never changes c.
func (c Case) Clone() Case {
	c.Handlers = slices.Clone(c.Handlers)
	c.Assisting = slices.Clone(c.Assisting)
	c.FollowUps = slices.Clone(c.FollowUps)
	c.History = slices.Clone(c.History)
	c.spare = spare{}
	if c.Whistles != nil {
		ws := make([]Whistle, len(c.Whistles))
		for i, w := range c.Whistles {
			w.Summons = slices.Clone(w.Summons)
			ws[i] = w
		}
		c.Whistles = ws
	}
	return c
}

// OpenWhistle returns the whistle not yet concluded, if any: at most one is open.
func (c Case) OpenWhistle() (Whistle, bool) {
	for i := len(c.Whistles) - 1; i >= 0; i-- {
		if c.Whistles[i].Open() {
			return c.Whistles[i], true
		}
	}
	return Whistle{}, false
}

// Last returns the last event of the history.
func (c Case) Last() (Event, bool) {
	if len(c.History) == 0 {
		return Event{}, false
	}
	return c.History[len(c.History)-1], true
}
