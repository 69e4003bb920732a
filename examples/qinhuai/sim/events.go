package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/rewards"
)

// The year's volumes, sized to the report's figures (DOMAIN.md §1), which cover
// several years since 2019 or 2020: the simulation puts them into one year, so its
// figures compare with the published ones directly. Grid events are not published;
// 36,000 is about 27 a grid a year.
const (
	gridEventsPerYear    = 36000
	policePerYear        = 60000
	epidemicPerYear      = 24000
	whistlesPerYear      = 500
	disputesPerYear      = 4300
	consultationsPerYear = 1100
	trainingsPerYear     = 61
	duplicateShare       = 0.02 // police matters reported twice: the second earns nothing
)

// eventMix is the category mix of grid events: the standard's major classes, with
// the share of each. Self-handled shares apply where the policy allows it.
var eventMix = []struct {
	cat   string
	share float64
	self  float64 // share the finder solves on the spot
}{
	{"E01", 0.18, 0.65}, {"E05", 0.16, 0.65}, {"C01", 0.12, 0}, {"C02", 0.06, 0}, {"C03", 0.06, 0},
	{"C04", 0.04, 0}, {"C05", 0.03, 0}, {"E02", 0.05, 0}, {"E03", 0.04, 0}, {"E04", 0.01, 0},
	{"G01", 0.08, 0.6}, {"G02", 0.07, 0}, {"G03", 0.10, 0.6},
}

// officeFor is the street office the routing table sends a category to, whose
// handler accepts it; "" means the community handles it.
func officeFor(cat string) string {
	switch {
	case cat == "E04":
		return "command"
	case cat == "G01" || cat == "G03":
		return ""
	case cat == "G02" || cat == "G04":
		return "peace-building"
	case cat[0] == 'C':
		return "urban-management"
	}
	return "law-enforcement"
}

// poisson draws a count with mean m: exactly for small means, by the normal
// approximation for large ones.
func poisson(r *rand.Rand, m float64) int {
	if m > 30 {
		return max(0, int(math.Round(m+math.Sqrt(m)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// dayGen generates one day's scripts from the day's own random source.
type dayGen struct {
	d    *district
	r    *rand.Rand
	day  time.Time // midnight, local
	year int
	days int // days in the year
	seq  *int64
	out  []*script
}

// at is the instant h hours (fractional) after the day's midnight.
func (g *dayGen) at(h float64) time.Time { return g.day.Add(time.Duration(h * float64(time.Hour))) }

// minutes is a duration of between lo and hi minutes.
func (g *dayGen) minutes(lo, hi float64) time.Duration {
	return time.Duration((lo + g.r.Float64()*(hi-lo)) * float64(time.Minute))
}

// working adds a fraction of a working-time limit to t on the district's calendar.
func (g *dayGen) working(t time.Time, limit time.Duration, frac float64) time.Time {
	return g.d.cal.Add(t, time.Duration(frac*float64(limit)))
}

// laterOf is the later of two instants.
func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// emit adds a script to the day's; its steps must be in time order, as the commands
// of one case are.
func (g *dayGen) emit(s *script) {
	for i := 1; i < len(s.Steps); i++ {
		if s.Steps[i].At.Before(s.Steps[i-1].At) {
			panic(fmt.Sprintf("sim: script %s: step %d (%s) at %s before step %d", s.Stream, i, s.Steps[i].Op,
				s.Steps[i].At, i-1))
		}
	}
	*g.seq++
	s.Seq = *g.seq
	g.out = append(g.out, s)
}

// anyGrid draws a grid, comprehensive ones weighted by their households.
func (g *dayGen) anyGrid() int {
	if g.r.IntN(10) == 0 {
		return len(g.d.comprehensive) + g.r.IntN(len(g.d.grids)-len(g.d.comprehensive))
	}
	return g.d.comprehensive[g.r.IntN(len(g.d.comprehensive))]
}

// locate draws a point in grid gi and assigns it to its grid through the index,
// as a worker's phone report is assigned: the case goes where the index says.
func (g *dayGen) locate(gi int) (escalation.Location, int, error) {
	p := g.d.point(g.r, gi)
	a := g.d.ix.Locate(p, grid.GCJ02)
	if a.Grid == "" {
		return escalation.Location{}, 0, fmt.Errorf("sim: point %v of grid %s is in no grid", p, g.d.grids[gi].code)
	}
	idx, ok := g.d.gridIndex[hierarchy.UnitID(a.Grid)]
	if !ok {
		return escalation.Location{}, 0, fmt.Errorf("sim: point located in unknown grid %s", a.Grid)
	}
	return escalation.Location{Unit: hierarchy.UnitID(a.Grid), Point: escalation.Point{Lon: p[0], Lat: p[1]},
		Datum: escalation.DatumGCJ02}, idx, nil
}

// generate makes the day's scripts.
func (g *dayGen) generate() error {
	perDay := func(n int) float64 { return float64(n) / float64(g.days) }
	workday := g.d.cal.IsWorkday(g.day.Add(12 * time.Hour))
	if g.day.YearDay() == 1 {
		g.openFunds()
	}
	for range poisson(g.r, perDay(gridEventsPerYear)) {
		if err := g.gridEvent(); err != nil {
			return err
		}
	}
	for range poisson(g.r, perDay(policePerYear)) {
		if err := g.policeMatter(); err != nil {
			return err
		}
	}
	for range poisson(g.r, perDay(epidemicPerYear)) {
		if err := g.epidemicReport(); err != nil {
			return err
		}
	}
	if workday {
		wd := float64(g.d.cal.Workdays(time.Date(g.year, 1, 1, 0, 0, 0, 0, g.d.cal.Location()),
			time.Date(g.year+1, 1, 1, 0, 0, 0, 0, g.d.cal.Location())))
		for range poisson(g.r, whistlesPerYear/wd) {
			if err := g.whistle(); err != nil {
				return err
			}
		}
		for range poisson(g.r, consultationsPerYear/wd) {
			g.activity(mediation.Consultation)
		}
		for range poisson(g.r, trainingsPerYear/wd) {
			g.activity(mediation.Training)
		}
	}
	for range poisson(g.r, perDay(disputesPerYear)) {
		g.dispute()
	}
	if next := g.day.AddDate(0, 0, 1); next.Month() != g.day.Month() {
		g.settleFunds()
	}
	// Last, so that the day's other draws stay as they were without it.
	g.reverseRatings()
	return nil
}

// openFunds opens each beat's reward fund for the year at the floor (¥35,000 in
// Qinhuai), signed by the district leader.
func (g *dayGen) openFunds() {
	amount := g.d.prof.Rewards.Funds.Floor
	if amount <= 0 {
		amount = rewards.Yuan(35000)
	}
	for i, b := range g.d.beats {
		g.emit(&script{Stream: streamFunds, Fund: &rewards.FundOpening{Area: b.id, Year: g.year, Amount: amount,
			Ref: fmt.Sprintf("秦公(%d)%d号", g.year, i+1)},
			Steps: []step{{At: g.day.Add(time.Duration(i) * time.Millisecond), Op: opOpenFund, Actor: g.d.leader}}})
	}
}

// settleFunds pays each beat's approved claims at the end of the month.
func (g *dayGen) settleFunds() {
	for i, b := range g.d.beats {
		g.emit(&script{Stream: streamFunds, FundID: rewards.FundID(b.id, g.year),
			Steps: []step{{At: g.at(20 + float64(i)/120), Op: opSettle, Actor: b.officer}}})
	}
}

// gridEvent is one event a grid worker finds on patrol: solved on the spot, or
// filed, dispatched, handled (now and then late, so that the scheduler escalates it),
// verified by the community and closed by the street's platform.
func (g *dayGen) gridEvent() error {
	u := g.r.Float64()
	cat := eventMix[len(eventMix)-1]
	for _, m := range eventMix {
		if u < m.share {
			cat = m
			break
		}
		u -= m.share
	}
	loc, gi, err := g.locate(g.anyGrid())
	if err != nil {
		return err
	}
	gc := g.d.grids[gi]
	c := g.d.communities[gc.community]
	st := g.d.streets[c.street]
	t0 := g.at(7 + g.r.Float64()*14)
	rep := &escalation.Report{Source: escalation.SourcePatrol, Category: cat.cat, Location: loc}
	if g.r.Float64() < cat.self {
		rep.SelfHandled = true
		g.emit(&script{Stream: streamEvents, Report: rep, Steps: []step{{At: t0, Op: opReport, Actor: gc.worker}}})
		return nil
	}
	handler := c.staff
	if o := officeFor(cat.cat); o != "" {
		handler = st.handlers[o]
	}
	limit := 3 * g.d.cal.DailyHours()
	if cat.cat == "E04" {
		limit = g.d.cal.DailyHours()
	}
	filed := t0.Add(g.minutes(5, 40))
	dispatched := filed.Add(g.minutes(3, 20))
	accepted := dispatched.Add(g.minutes(10, 90))
	// How long the handling takes, as a share of the time limit: most within it, some
	// late enough for one escalation, a few late enough to rise to the street and
	// beyond.
	var frac float64
	switch u := g.r.Float64(); {
	case u < 0.875:
		frac = 0.1 + 0.8*g.r.Float64()
	case u < 0.94:
		frac = 1.02 + 0.4*g.r.Float64()
	default:
		frac = 1.6 + 1.2*g.r.Float64()
	}
	back := g.working(dispatched, limit, frac)
	if !back.After(accepted) {
		back = accepted.Add(g.minutes(10, 60))
	}
	verified := back.Add(g.minutes(30, 240))
	steps := []step{
		{At: t0, Op: opReport, Actor: gc.worker},
		{At: filed, Op: opFile, Actor: st.dispatcher},
		{At: dispatched, Op: opDispatch, Actor: st.dispatcher},
		{At: accepted, Op: opAccept, Actor: handler},
		{At: back, Op: opReportBack, Actor: handler},
	}
	// One in twenty fails verification and is reworked (返工).
	if g.r.IntN(20) == 0 {
		steps = append(steps, step{At: verified, Op: opVerify, Actor: c.director, OK: false})
		back = verified.Add(g.minutes(120, 900))
		verified = back.Add(g.minutes(30, 240))
		steps = append(steps, step{At: back, Op: opReportBack, Actor: handler})
	}
	steps = append(steps,
		step{At: verified, Op: opVerify, Actor: c.director, OK: true},
		step{At: verified.Add(g.minutes(20, 120)), Op: opClose, Actor: st.dispatcher})
	g.emit(&script{Stream: streamEvents, Report: rep, Steps: steps})
	return nil
}

// whistle is a safety hazard too big for the community: the community blows the
// whistle to its street (吹哨), the street summons district departments and the
// leader holding the street reports in with them (报到); most are solved at the
// street, the rest go up to the district platform.
func (g *dayGen) whistle() error {
	loc, gi, err := g.locate(g.d.comprehensive[g.r.IntN(len(g.d.comprehensive))])
	if err != nil {
		return err
	}
	gc := g.d.grids[gi]
	c := g.d.communities[gc.community]
	st := g.d.streets[c.street]
	t0 := g.at(8.5 + g.r.Float64()*8)
	rep := &escalation.Report{Source: escalation.SourcePatrol, Category: "G02", Complexity: escalation.Complex,
		Location: loc}
	handler := st.handlers["peace-building"]
	filed := t0.Add(g.minutes(5, 40))
	dispatched := filed.Add(g.minutes(3, 20))
	accepted := dispatched.Add(g.minutes(10, 60))
	blown := g.working(accepted, g.d.cal.DailyHours(), 0.2+g.r.Float64()*1.5)
	steps := []step{
		{At: t0, Op: opReport, Actor: gc.worker},
		{At: filed, Op: opFile, Actor: st.dispatcher},
		{At: dispatched, Op: opDispatch, Actor: st.dispatcher},
		{At: accepted, Op: opAccept, Actor: handler},
		{At: blown, Op: opWhistle, Actor: c.director, Kind: string(escalation.WhistleSpecial)},
	}
	summoned := blown.Add(g.minutes(10, 60))
	units, reportIns := g.summons(summoned, st.leader)
	steps = append(steps, step{At: summoned, Op: opSummon, Actor: st.dispatcher, Units: units})
	steps = append(steps, reportIns...)
	concluded := laterOf(g.working(summoned, g.d.cal.DailyHours(), 1+g.r.Float64()*6),
		reportIns[len(reportIns)-1].At.Add(g.minutes(30, 120)))
	last := concluded
	// The street rates each department it summoned on this whistle (一哨一考核) once
	// the whistle is concluded, within the rule's window from the summons; report-in
	// timeliness is read from the case, the other criteria answered by the street.
	rate := func(after time.Time) {
		at := after.Add(g.minutes(30, 240))
		if !at.Before(summoned.AddDate(0, 0, 7).Add(-time.Hour)) {
			return // concluded too late for the window: the whistle goes unrated
		}
		for k, u := range units {
			answers := make([]byte, 4)
			for i := range answers {
				answers[i] = "ssssssbbd"[g.r.IntN(9)]
			}
			steps = append(steps, step{At: at.Add(time.Duration(k) * time.Minute), Op: opRate, Actor: st.head,
				Units: []hierarchy.UnitID{u}, Kind: string(answers)})
		}
	}
	if g.r.Float64() < 0.72 {
		steps = append(steps, step{At: concluded, Op: opConclude, Actor: st.dispatcher, OK: true})
		rate(concluded)
	} else {
		// Not solved at the street: the whistle goes up to the district platform, which
		// summons again and concludes.
		steps = append(steps, step{At: concluded, Op: opConclude, Actor: st.dispatcher, OK: false})
		rate(concluded)
		summoned2 := laterOf(concluded, steps[len(steps)-1].At).Add(g.minutes(30, 180))
		units2, reportIns2 := g.summons(summoned2, hierarchy.Actor{})
		steps = append(steps, step{At: summoned2, Op: opSummon, Actor: g.d.platform, Units: units2})
		steps = append(steps, reportIns2...)
		last = laterOf(g.working(summoned2, g.d.cal.DailyHours(), 2+g.r.Float64()*5),
			reportIns2[len(reportIns2)-1].At.Add(g.minutes(30, 120)))
		steps = append(steps, step{At: last, Op: opConclude, Actor: g.d.platform, OK: g.r.Float64() < 0.3})
	}
	back := laterOf(last, steps[len(steps)-1].At).Add(g.minutes(60, 600))
	verified := back.Add(g.minutes(30, 240))
	steps = append(steps,
		step{At: back, Op: opReportBack, Actor: handler},
		step{At: verified, Op: opVerify, Actor: c.director, OK: true},
		step{At: verified.Add(g.minutes(20, 120)), Op: opClose, Actor: st.dispatcher})
	g.emit(&script{Stream: streamEvents, Report: rep, Steps: steps})
	return nil
}

// summons picks one to three departments, those whose work is in the street far more
// often than the others (a steep power-law draw, so some are never called in a
// year), each reporting in; most on time.
func (g *dayGen) summons(at time.Time, leader hierarchy.Actor) ([]hierarchy.UnitID, []step) {
	n := 1 + g.r.IntN(3)
	var units []hierarchy.UnitID
	var steps []step
	seen := map[int]bool{}
	for len(units) < n {
		u := g.r.Float64()
		i := int(math.Floor(math.Pow(float64(len(g.d.depts)+1), u*u*u))) - 1
		i = min(max(i, 0), len(g.d.depts)-1)
		if seen[i] {
			continue
		}
		seen[i] = true
		units = append(units, g.d.depts[i].id)
		delay := g.minutes(20, 200)
		if g.r.IntN(10) == 0 {
			delay = g.minutes(300, 900) // late: the special whistle's four working hours are past
		}
		steps = append(steps, step{At: g.working(at, delay, 1), Op: opReportIn, Actor: g.d.depts[i].staff})
	}
	if leader.Person != "" {
		steps = append(steps, step{At: g.working(at, g.minutes(30, 220), 1), Op: opReportIn, Actor: leader})
	}
	slices.SortStableFunc(steps, func(a, b step) int { return a.At.Compare(b.At) })
	return units, steps
}

// policeMatter is a police-relevant matter a grid worker reports in the 秦淮e员 channel:
// it goes straight to the beat's community police officer, is verified and closed,
// and earns its reporter the scheduled reward from the beat's fund. A few matters
// are reported twice; the second report earns nothing.
func (g *dayGen) policeMatter() error {
	loc, gi, err := g.locate(g.anyGrid())
	if err != nil {
		return err
	}
	bt := g.d.beats[g.d.grids[gi].beat]
	t0 := g.at(g.r.Float64() * 24)
	*g.seq++
	matter := fmt.Sprintf("110-%s-%06d", t0.Format("20060102"), *g.seq%1000000)
	outcome, contribution := rewards.OutcomeVerified, rewards.ContributionDirect
	switch u := g.r.Float64(); {
	case u < 0.80:
	case u < 0.905:
		contribution = rewards.ContributionImportant
	case u < 0.9185:
		outcome = rewards.OutcomeCaseSolved
	case u < 0.9235:
		outcome, contribution = rewards.OutcomeCaseSolved, rewards.ContributionImportant
	case u < 0.9255:
		outcome = rewards.OutcomeCaptureOnSpot
	case u < 0.9275:
		outcome = rewards.OutcomeCaptureByReport
	}
	reporters := []int{gi}
	if g.r.Float64() < duplicateShare {
		// A worker of another grid of the same beat reports the same matter a little
		// later, from their own grid.
		reporters = append(reporters, bt.grids[g.r.IntN(len(bt.grids))])
	}
	var firstApproval time.Time
	for k, ri := range reporters {
		w := g.d.grids[ri]
		c := g.d.communities[w.community]
		st := g.d.streets[c.street]
		at := t0.Add(time.Duration(k) * g.minutes(5, 30))
		accepted := at.Add(g.minutes(2, 30))
		back := accepted.Add(g.minutes(15, 95))
		if g.r.IntN(50) == 0 {
			back = accepted.Add(g.minutes(150, 400)) // past the two hours: escalated
		}
		verified := back.Add(g.minutes(20, 180))
		closed := verified.Add(g.minutes(10, 120))
		approval := closed.Add(g.minutes(180, 1440))
		if k == 0 {
			firstApproval = approval
		} else if !approval.After(firstApproval) {
			// A claim of a matter waits for the earlier claim's decision.
			approval = firstApproval.Add(g.minutes(30, 120))
		}
		rloc := loc
		if k > 0 {
			rloc.Unit = w.code
			rloc.Point = escalation.Point{}
			rloc.Datum = ""
		}
		g.emit(&script{Stream: streamPolice,
			Report: &escalation.Report{Source: escalation.SourcePatrol, Category: "G04", Location: rloc},
			Claim: &rewards.ClaimInput{Worker: w.worker.Person, Area: bt.id, Unit: w.code, Category: rewards.CategoryPolice,
				Outcome: outcome, Contribution: contribution, Matter: matter, ReportedAt: at},
			Steps: []step{
				{At: at, Op: opReport, Actor: w.worker},
				{At: accepted, Op: opAccept, Actor: bt.officer},
				{At: back, Op: opReportBack, Actor: bt.officer},
				{At: verified, Op: opVerify, Actor: c.director, OK: true},
				{At: closed, Op: opClose, Actor: st.dispatcher},
				{At: closed.Add(g.minutes(5, 120)), Op: opClaim, Actor: w.worker},
				{At: approval, Op: opApprove, Actor: bt.officer},
			}})
	}
	return nil
}

// epidemicReport is an epidemic-prevention report (疫情) a grid worker makes and
// closes on the spot, rewarded from the beat's fund.
func (g *dayGen) epidemicReport() error {
	loc, gi, err := g.locate(g.anyGrid())
	if err != nil {
		return err
	}
	gc := g.d.grids[gi]
	bt := g.d.beats[gc.beat]
	t0 := g.at(7 + g.r.Float64()*14)
	g.emit(&script{Stream: streamEpidemic,
		Report: &escalation.Report{Source: escalation.SourcePatrol, Category: "G03", Location: loc, SelfHandled: true,
			Summary: "疫情防控排查"},
		Claim: &rewards.ClaimInput{Worker: gc.worker.Person, Area: bt.id, Unit: gc.code, Category: rewards.CategoryEpidemic,
			Outcome: rewards.OutcomeVerified, ReportedAt: t0},
		Steps: []step{
			{At: t0, Op: opReport, Actor: gc.worker},
			{At: t0.Add(g.minutes(10, 240)), Op: opClaim, Actor: gc.worker},
			{At: t0.Add(g.minutes(300, 2000)), Op: opApprove, Actor: bt.officer},
		}})
	return nil
}

var disputeTypes = []mediation.DisputeType{mediation.DisputeNeighbour, mediation.DisputeNeighbour, mediation.DisputeFamily,
	mediation.DisputeProperty, mediation.DisputeProperty, mediation.DisputeLabour, mediation.DisputeConsumer,
	mediation.DisputeTraffic, mediation.DisputeOther}

// dispute is a dispute mediated in one of the network's rooms: mostly in the
// community's room, some in a street's, a police station's or a service point's.
// Most end in a written agreement, signed and sealed; the rest fail.
func (g *dayGen) dispute() {
	c := g.d.communities[g.r.IntN(len(g.d.communities))]
	room, chair, med := c.room, c.mediator, c.legal
	rooms := g.d.network.Rooms()
	if g.r.IntN(4) == 0 {
		room = rooms[len(g.d.communities)+g.r.IntN(len(rooms)-len(g.d.communities))]
		r, _ := g.d.network.Room(room)
		chair = hierarchy.Actor{Person: r.Mediators[0].Person, Post: r.Mediators[0].Post}
		med = hierarchy.Actor{Person: r.Mediators[1].Person, Post: r.Mediators[1].Post}
	}
	t0 := g.at(8.5 + g.r.Float64()*8)
	name := func() string { return string(surnames[g.r.IntN(len(surnames))]) + given[g.r.IntN(len(given))] }
	o := &mediation.Open{Room: room, Dispute: disputeTypes[g.r.IntN(len(disputeTypes))], Summary: "纠纷调解",
		Source: mediation.Source{Kind: mediation.SourceApplication},
		Parties: []mediation.Party{{ID: "p1", Role: mediation.RoleApplicant, Name: name()},
			{ID: "p2", Role: mediation.RoleRespondent, Name: name()}}}
	accepted := t0.Add(g.minutes(10, 120))
	assigned := accepted.Add(g.minutes(5, 60))
	session := g.working(assigned, g.d.cal.DailyHours(), 0.5+g.r.Float64()*6)
	steps := []step{
		{At: t0, Op: opOpen, Actor: chair},
		{At: accepted, Op: opMAccept, Actor: chair},
		{At: assigned, Op: opAssign, Actor: chair, Who: med.Person},
		{At: session, Op: opSession, Actor: med, Who: med.Person},
	}
	s := &script{Stream: streamDispute, Open: o}
	if g.r.Float64() < 0.885 {
		drafted := session.Add(g.minutes(20, 90))
		s.Draft = &mediation.DraftAgreement{Facts: "双方对事实无异议", Terms: "双方按约履行",
			Performance: mediation.Performance{Manner: "自行履行", Place: "调解室", Deadline: drafted.AddDate(0, 0, 15)}}
		steps = append(steps,
			step{At: drafted, Op: opDraft, Actor: med},
			step{At: drafted.Add(g.minutes(2, 10)), Op: opSignParty, Actor: med, Party: "p1"},
			step{At: drafted.Add(g.minutes(11, 20)), Op: opSignParty, Actor: med, Party: "p2"},
			step{At: drafted.Add(g.minutes(21, 30)), Op: opSignMed, Actor: med, Who: med.Person},
			step{At: drafted.Add(g.minutes(31, 60)), Op: opSeal, Actor: chair})
	} else {
		steps = append(steps, step{At: session.Add(g.minutes(30, 120)), Op: opFail, Actor: med})
	}
	s.Steps = steps
	g.emit(s)
}

// activity is a legal consultation or training given by a community's grid legal
// officer (三官一律).
func (g *dayGen) activity(kind mediation.ActivityKind) {
	c := g.d.communities[g.r.IntN(len(g.d.communities))]
	people := 1
	topic := "法律咨询"
	if kind == mediation.Training {
		people, topic = 20+g.r.IntN(60), "民法典进社区"
	}
	g.emit(&script{Stream: streamActivity,
		Activity: &mediation.Activity{Kind: kind, Room: c.room, Topic: topic, People: people},
		Steps:    []step{{At: g.at(9 + g.r.Float64()*8), Op: opActivity, Actor: c.legal}}})
}
