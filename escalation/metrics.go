package escalation

import (
	"fmt"
	"iter"
	"time"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
)

// Period is a half-open interval of time [From, To). A zero From or To leaves that
// side open.
type Period struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// Contains reports whether t lies in the period; the zero time never does.
func (p Period) Contains(t time.Time) bool {
	return !t.IsZero() && (p.From.IsZero() || !t.Before(p.From)) && (p.To.IsZero() || t.Before(p.To))
}

// Rate is an exact ratio Num/Den of two counts. Rates are kept as integers and summed
// as integers (per unit, up the tree); they are rounded only when shown, in one place:
// [Rate.Percent].
type Rate struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Add returns the rate of the two populations together.
func (r Rate) Add(o Rate) Rate { return Rate{r.Num + o.Num, r.Den + o.Den} }

// Defined reports whether the denominator is not zero.
func (r Rate) Defined() bool { return r.Den != 0 }

// Percent returns the rate in percent with places decimal places (0–6), as an integer
// scaled by 10^places, rounded half up (away from zero for these non-negative counts):
// 911/972 is 93.724…%, so Percent(2) is 9372 and Percent(0) is 94. An undefined rate
// (0/0) is 0; check [Rate.Defined]. This is the only place gridgov's escalation
// metrics round.
func (r Rate) Percent(places int) int64 {
	if r.Den == 0 {
		return 0
	}
	places = min(max(places, 0), 6)
	scale := int64(100)
	for range places {
		scale *= 10
	}
	return roundHalfUp(r.Num*scale, r.Den)
}

// roundHalfUp divides a by b (b > 0, a ≥ 0) rounding halves up.
func roundHalfUp(a, b int64) int64 { return (2*a + b) / (2 * b) }

// String returns "911/972 (93.72%)", or "0/0 (–)" for an undefined rate.
func (r Rate) String() string {
	if r.Den == 0 {
		return fmt.Sprintf("%d/%d (–)", r.Num, r.Den)
	}
	p := r.Percent(2)
	return fmt.Sprintf("%d/%d (%d.%02d%%)", r.Num, r.Den, p/100, p%100)
}

// Mean is a total duration over a count; its average is rounded in [Mean.Average].
type Mean struct {
	Sum time.Duration `json:"sum"`
	N   int64         `json:"n"`
}

// Average returns Sum/N rounded half up to the second, 0 when N is 0.
func (m Mean) Average() time.Duration {
	if m.N == 0 {
		return 0
	}
	return time.Duration(roundHalfUp(int64(m.Sum/time.Second), m.N)) * time.Second
}

// Metrics are the indicators of a set of cases over a period. Each event counts in the
// period in which it happened:
//
//   - Reported, Voided, Closed (SelfHandled among them), Escalations, Whistles: cases
//     reported, voided, closed, escalation steps and first whistles blown in the
//     period.
//   - InGrid: of the cases closed in the period, those solved inside the grid
//     (网格内解决): self-handled, or closed without ever rising above the first
//     escalation level and without a whistle.
//   - Closure and OnTimeClosure (结案率, 按期结案率): the denominator is the cases due in
//     the period — whose resolution deadline (the handle deadline of their last cycle)
//     falls in it; the numerators are those of them closed before the period ends, and
//     those closed whose last report-back came by the deadline.
//   - Rework (返工率): of the cases closed in the period after being dispatched, those
//     sent back at least once by a failed verification.
//   - AccurateDispatch (派遣准确率): of the dispatches in the period, those not returned.
//   - WhistleResolution: of the whistle chains (a whistle and the ones it went up as)
//     that ended in the period, those that ended resolved.
//   - ReportInOnTime: of the summonses whose report-in deadline falls in the period,
//     those that reported in by it.
//   - FirstResponse: working time from dispatch to acceptance, over the acceptances in
//     the period.
//   - Trend: reports per category (major class, or minor with MetricsOptions.Minor)
//     per window of MetricsOptions.Window from the period's start: the risk trend.
type Metrics struct {
	Reported          int64              `json:"reported"`
	Voided            int64              `json:"voided"`
	Closed            int64              `json:"closed"`
	SelfHandled       int64              `json:"self_handled"`
	Escalations       int64              `json:"escalations"`
	Whistles          int64              `json:"whistles"`
	InGrid            Rate               `json:"in_grid"`
	Closure           Rate               `json:"closure"`
	OnTimeClosure     Rate               `json:"on_time_closure"`
	Rework            Rate               `json:"rework"`
	AccurateDispatch  Rate               `json:"accurate_dispatch"`
	WhistleResolution Rate               `json:"whistle_resolution"`
	ReportInOnTime    Rate               `json:"report_in_on_time"`
	FirstResponse     Mean               `json:"first_response"`
	Trend             map[string][]int64 `json:"trend,omitempty"`
}

// Add folds o into m, counts and trends alike, as the metrics of several districts or
// several services are combined into one report.
func (m *Metrics) Add(o Metrics) { m.add(&o) }

func (m *Metrics) add(o *Metrics) {
	m.Reported += o.Reported
	m.Voided += o.Voided
	m.Closed += o.Closed
	m.SelfHandled += o.SelfHandled
	m.Escalations += o.Escalations
	m.Whistles += o.Whistles
	m.InGrid = m.InGrid.Add(o.InGrid)
	m.Closure = m.Closure.Add(o.Closure)
	m.OnTimeClosure = m.OnTimeClosure.Add(o.OnTimeClosure)
	m.Rework = m.Rework.Add(o.Rework)
	m.AccurateDispatch = m.AccurateDispatch.Add(o.AccurateDispatch)
	m.WhistleResolution = m.WhistleResolution.Add(o.WhistleResolution)
	m.ReportInOnTime = m.ReportInOnTime.Add(o.ReportInOnTime)
	m.FirstResponse.Sum += o.FirstResponse.Sum
	m.FirstResponse.N += o.FirstResponse.N
	for k, v := range o.Trend {
		if m.Trend == nil {
			m.Trend = map[string][]int64{}
		}
		w := m.Trend[k]
		if w == nil {
			w = make([]int64, len(v))
			m.Trend[k] = w
		}
		for i := range v {
			w[i] += v[i]
		}
	}
}

// Attribution chooses the unit a case counts for in per-unit metrics.
type Attribution string

// Attributions.
const (
	ByTerritory Attribution = "territory" // the case's location unit (default)
	ByOwner     Attribution = "owner"     // the unit it is (or was last) dispatched to
)

// MetricsOptions configure [Compute].
type MetricsOptions struct {
	// Period bounds the events counted.
	Period Period
	// Window is the width of the trend's windows; 0 means no trend. A trend needs a
	// period with both ends.
	Window time.Duration
	// Minor counts the trend by full category code instead of major class.
	Minor bool
	// Tree, when set, adds per-unit metrics, each unit's including its subtree's.
	Tree *hierarchy.Tree
	// By chooses the unit a case counts for; default ByTerritory. All of a case's counts
	// go to that one unit (a dispatch to a unit that returned the case counts for the
	// owner it has now).
	By Attribution
	// Calendars, when set, measures each deadline and response on the calendar of the
	// unit responsible (see [Env].Calendars): the handle deadline and the first
	// response on the owner's, a report-in on the summoned unit's (the whistle's
	// target unit for a leader). Units inherit through Tree; without a Tree only units
	// with their own calendar get it.
	Calendars *calendar.Set
}

// MetricsReport holds the metrics of all the cases and, with a tree, of each unit. It is
// a plain value owned by the caller.
type MetricsReport struct {
	Total Metrics `json:"total"`
	// Units maps each unit with cases in its subtree to the metrics of that subtree.
	// Cases of units the tree does not hold count for their unit alone.
	Units map[hierarchy.UnitID]*Metrics `json:"units,omitempty"`
}

// Compute measures cases over opts.Period, each case under the policy of its version
// in ps (cases whose version ps lacks are skipped) on calendar cal. It reads each case
// once, in one pass without goroutines, so cases may stream from a store scan.
func Compute(cases iter.Seq[Case], ps *PolicySet, cal *calendar.Calendar, opts MetricsOptions) MetricsReport {
	return compute(cases, ps, cals{def: cal, set: opts.Calendars, tree: opts.Tree}, opts)
}

func compute(cases iter.Seq[Case], ps *PolicySet, cal cals, opts MetricsOptions) MetricsReport {
	var r MetricsReport
	windows := 0
	if opts.Window > 0 && !opts.Period.From.IsZero() && !opts.Period.To.IsZero() {
		windows = int((opts.Period.To.Sub(opts.Period.From) + opts.Window - 1) / opts.Window)
	}
	var leaves map[hierarchy.UnitID]*Metrics
	if opts.Tree != nil {
		leaves = map[hierarchy.UnitID]*Metrics{}
	}
	var lastP *Policy
	lastV := ""
	for c := range cases {
		p := lastP
		if c.PolicyVersion != lastV || p == nil {
			var err error
			if p, err = ps.For(c); err != nil {
				continue
			}
			lastP, lastV = p, c.PolicyVersion
		}
		m := &r.Total
		if leaves != nil {
			key := c.Location.Unit
			if opts.By == ByOwner {
				key = lastOwner(&c)
			}
			lm := leaves[key]
			if lm == nil {
				lm = &Metrics{}
				leaves[key] = lm
			}
			p.measure(&c, cal, &opts, windows, lm)
			continue
		}
		p.measure(&c, cal, &opts, windows, m)
	}
	if leaves != nil {
		r.Units = make(map[hierarchy.UnitID]*Metrics, len(leaves)*2)
		get := func(u hierarchy.UnitID) *Metrics {
			m := r.Units[u]
			if m == nil {
				m = &Metrics{}
				r.Units[u] = m
			}
			return m
		}
		for u, lm := range leaves {
			r.Total.add(lm)
			get(u).add(lm)
			for _, a := range opts.Tree.Ancestors(u) {
				get(a).add(lm)
			}
		}
	}
	return r
}

// lastOwner is the unit the case was last dispatched to.
func lastOwner(c *Case) hierarchy.UnitID {
	if c.Owner != "" {
		return c.Owner
	}
	for i := len(c.History) - 1; i >= 0; i-- {
		if c.History[i].Action == ActionDispatch {
			return c.History[i].Unit
		}
	}
	return ""
}

// measure adds case c to m. It folds the history once, keeping only the positions of
// the events the metrics need (few live values keep the loop in registers), and
// allocates nothing.
func (p *Policy) measure(c *Case, k cals, o *MetricsOptions, windows int, m *Metrics) {
	per := o.Period
	h := c.History
	const none = -1
	var (
		report, closed, dispatch, cycle, stop, clsCat, clsCx, cycCat, cycCx = none, none, none, none, none, none, none, none, none
		parks, reworks, maxLevel                                            int
		pendingDisp, selfHandled                                            bool
	)
	for i := range h {
		e := &h[i]
		switch e.Action {
		case ActionReport:
			report, clsCat, clsCx = i, i, i
			maxLevel = p.levelIndex(e.Level)
		case ActionFile, ActionReclassify:
			if e.Category != "" {
				clsCat = i
			}
			if e.Complexity != "" {
				clsCx = i
			}
		case ActionVoid:
			if per.Contains(e.At) {
				m.Voided++
			}
		case ActionSelfHandle:
			selfHandled, closed = true, i
		case ActionDispatch:
			cycle, cycCat, cycCx, stop, dispatch = i, clsCat, clsCx, none, i
			pendingDisp = per.Contains(e.At)
			if pendingDisp {
				m.AccurateDispatch.Den++
				m.AccurateDispatch.Num++
			}
		case ActionAccept:
			if dispatch != none && per.Contains(e.At) {
				m.FirstResponse.Sum += k.of(h[dispatch].Unit).Between(h[dispatch].At, e.At)
				m.FirstResponse.N++
			}
		case ActionReturn:
			if pendingDisp {
				m.AccurateDispatch.Num--
			}
			pendingDisp, stop = false, i
		case ActionReportBack:
			stop = i
		case ActionRework:
			reworks++
			cycle, cycCat, cycCx, stop = i, clsCat, clsCx, none
		case ActionClose:
			closed = i
		case ActionPark:
			parks++
		case ActionEscalate:
			if per.Contains(e.At) {
				m.Escalations++
			}
			if l := p.levelIndex(e.Level); l > maxLevel {
				maxLevel = l
			}
		}
	}
	var reportedAt, closedAt time.Time
	if report != none {
		reportedAt = h[report].At
	}
	if closed != none {
		closedAt = h[closed].At
	}
	if per.Contains(reportedAt) {
		m.Reported++
		if windows > 0 {
			if w := int(reportedAt.Sub(per.From) / o.Window); w >= 0 && w < windows {
				code := h[report].Category
				key := Major(code)
				if o.Minor {
					key = code
				}
				if m.Trend == nil {
					m.Trend = map[string][]int64{}
				}
				row := m.Trend[key]
				if row == nil {
					row = make([]int64, windows)
					m.Trend[key] = row
				}
				row[w]++
			}
		}
	}
	if per.Contains(closedAt) {
		m.Closed++
		m.InGrid.Den++
		if selfHandled {
			m.SelfHandled++
			m.InGrid.Num++
		} else {
			m.Rework.Den++
			if reworks > 0 {
				m.Rework.Num++
			}
			if maxLevel == 0 && len(c.Whistles) == 0 {
				m.InGrid.Num++
			}
		}
	}
	if cycle != none {
		start := h[cycle].At
		l, _ := p.LimitFor(StepHandle, h[cycCat].Category, h[cycCx].Complexity)
		cal := k.of(h[cycle].Unit)
		var deadline, handleStop time.Time
		if stop != none {
			handleStop = h[stop].At
		}
		if parks == 0 {
			deadline = limitInstant(cal, start, l) // the same instant, without the fold
		} else {
			var buf [4]Pause
			pauses := buf[:0]
			for i := range h {
				switch h[i].Action {
				case ActionPark:
					pauses = append(pauses, Pause{From: h[i].At})
				case ActionResume:
					if n := len(pauses); n > 0 && pauses[n-1].To.IsZero() {
						pauses[n-1].To = h[i].At
					}
				}
			}
			t := Timer{Start: start, Stop: handleStop, Limit: l, Budget: budget(cal, start, l)}
			deadline = instant(pauses, cal, &t, t.Budget)
		}
		if per.Contains(deadline) {
			m.Closure.Den++
			m.OnTimeClosure.Den++
			if !closedAt.IsZero() && (per.To.IsZero() || closedAt.Before(per.To)) {
				m.Closure.Num++
				if !handleStop.IsZero() && !handleStop.After(deadline) {
					m.OnTimeClosure.Num++
				}
			}
		}
	}
	for i := range c.Whistles {
		w := &c.Whistles[i]
		if w.Parent != 0 {
			continue
		}
		if per.Contains(w.At) {
			m.Whistles++
		}
		end := w
		for end.Escalated {
			next := end
			for j := range c.Whistles {
				if c.Whistles[j].Parent == end.Seq {
					next = &c.Whistles[j]
					break
				}
			}
			if next == end {
				break
			}
			end = next
		}
		if per.Contains(end.Concluded) {
			m.WhistleResolution.Den++
			if end.Resolved {
				m.WhistleResolution.Num++
			}
		}
	}
	for i := range c.Whistles {
		w := &c.Whistles[i]
		for _, s := range w.Summons {
			u := s.Unit
			if u == "" {
				u = w.To
			}
			due, ok := p.ReportInDue(*w, s, k.of(u))
			if !ok || !per.Contains(due) {
				continue
			}
			m.ReportInOnTime.Den++
			if !s.ReportedAt.IsZero() && !s.ReportedAt.After(due) {
				m.ReportInOnTime.Num++
			}
		}
	}
}
