package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/escalation/gridbeat"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/memstore"
)

// caseLoop runs the event cases of scene 3 on one service and one clock, with the
// district's scheduler ticking in between the people's commands.
type caseLoop struct {
	*story
	svc   *escalation.Service
	clock *gridgov.ManualClock

	letter map[escalation.CaseID]string // "A", "B" … as the report calls the cases
	dues   []escalation.Due             // what the scheduler did, in order
}

// schedulerTick is how often the embedding system's scheduler calls RunDue.
const schedulerTick = 30 * time.Minute

// cases runs scene 3: the closed loop, a case left to run late over the National Day
// holiday, a whistle, a police matter, and the metrics of it all.
func (s *story) cases() {
	s.section(3, "Event cases: the closed loop 闭环处置, escalation and the whistle 吹哨报到")
	clock := gridgov.NewManualClock(s.cst(2025, 9, 26, 9, 0)) // Friday, before the National Day holiday
	ps := must(escalation.NewPolicySet(escalation.QinhuaiPolicy()))
	// A police matter found on patrol goes straight to the officer of the police beat
	// (警格) holding the point; the grid index knows the beats.
	beats := gridbeat.Resolver(s.ix)
	svc := must(escalation.NewService(memstore.New(), ps, s.tree, s.cal, &escalation.ServiceOptions{
		Clock: clock, IDs: gridgov.NewSeededIDGenerator(2025), Beats: beats}))
	l := &caseLoop{story: s, svc: svc, clock: clock, letter: map[escalation.CaseID]string{}}

	gps := escalation.Location{Unit: grid1, Point: escalation.Point{Lon: patrolGPS[0], Lat: patrolGPS[1]},
		Datum: string(grid.WGS84)}

	// A: a stall blocking the lane, found on Friday 26 September. Three working days
	// to handle it end on Tuesday 30 September: Sunday 28 is worked in lieu (调休)
	// and 1–8 October are the National Day and Mid-Autumn holiday.
	a := l.report(s.cst(2025, 9, 26, 9, 10), act(wangFang, grid1), "a stall blocking the lane",
		escalation.Report{Source: escalation.SourcePatrol, Category: "E05", Summary: "占道经营", Location: gps})
	l.do(s.cst(2025, 9, 26, 9, 25), a, act(zhaoMin, streetCommand), escalation.File{})
	// Jurisdiction (管辖): the street dispatches within its own subtree, the case's routes
	// and the district departments it coordinates, not to a neighbouring street's bureau.
	l.refused(s.cst(2025, 9, 26, 9, 28), a, act(zhaoMin, streetCommand), escalation.Dispatch{To: qinhongEnforce})
	l.do(s.cst(2025, 9, 26, 9, 30), a, act(zhaoMin, streetCommand), escalation.Dispatch{}) // routed by the table
	l.do(s.cst(2025, 9, 26, 10, 0), a, act(chenGang, streetEnforce), escalation.Accept{})

	// B: a street lamp out on the same Friday; the street's urban-management department
	// accepts it, then waits for parts while the scheduler escalates it level by level.
	b := l.report(s.cst(2025, 9, 26, 10, 20), act(sunLi, grid2), "a street lamp out, accepted, then left waiting for parts",
		escalation.Report{Source: escalation.SourcePatrol, Category: "C01", Summary: "路灯不亮",
			Location: escalation.Location{Unit: grid2}})
	l.do(s.cst(2025, 9, 26, 10, 40), b, act(zhaoMin, streetCommand), escalation.File{})
	l.do(s.cst(2025, 9, 26, 10, 45), b, act(zhaoMin, streetCommand), escalation.Dispatch{})
	l.do(s.cst(2025, 9, 26, 11, 30), b, act(wuLei, streetUrbanMgt), escalation.Accept{Note: "waiting for parts"})

	s.printf("A, continued on Sunday 28 September, a working day in lieu of the holiday\n")
	l.do(s.cst(2025, 9, 28, 10, 30), a, act(chenGang, streetEnforce), escalation.ReportBack{Note: "stall moved into the market"})
	// Patrol is separated from handling (巡办分离): the finder may not verify her own
	// report; the grid head does.
	l.refused(s.cst(2025, 9, 28, 11, 0), a, act(wangFang, grid1), escalation.Verify{Passed: true})
	l.do(s.cst(2025, 9, 28, 11, 5), a, act(liQiang, grid1), escalation.Verify{Passed: true})
	l.do(s.cst(2025, 9, 28, 14, 0), a, act(zhaoMin, streetCommand), escalation.Close{})

	// C: a hazard the community cannot solve alone, so it blows the whistle to its
	// street, which summons two district departments; the leader who holds the street
	// (包块) is summoned with them because the case is complex.
	c := l.report(s.cst(2025, 9, 29, 9, 0), act(wangFang, grid1), "a fire hazard in a shared courtyard, too big for the community",
		escalation.Report{Source: escalation.SourcePatrol, Category: "G02", Complexity: escalation.Complex,
			Summary: "群租房私拉电线、堵塞消防通道", Location: gps})
	l.do(s.cst(2025, 9, 29, 9, 20), c, act(zhaoMin, streetCommand), escalation.File{})
	l.do(s.cst(2025, 9, 29, 9, 30), c, act(zhaoMin, streetCommand), escalation.Dispatch{})
	l.do(s.cst(2025, 9, 29, 10, 0), c, act(xuJing, streetPeace), escalation.Accept{})
	l.do(s.cst(2025, 9, 29, 14, 0), c, act(maJun, wuyixiang), escalation.BlowWhistle{
		Type: escalation.WhistleSpecial, Reason: "needs housing and urban-management enforcement"})
	l.do(s.cst(2025, 9, 29, 14, 30), c, act(zhaoMin, streetCommand), escalation.Summon{
		Units: []hierarchy.UnitID{housingBureau, urbanBureau}})
	l.do(s.cst(2025, 9, 29, 15, 30), c, act(hePing, housingBureau), escalation.ReportIn{})
	l.do(s.cst(2025, 9, 29, 16, 0), c, act(gaoYan, urbanBureau), escalation.ReportIn{})
	l.do(s.cst(2025, 9, 30, 9, 0), c, act(zhouHong, district), escalation.ReportIn{})
	l.do(s.cst(2025, 9, 30, 16, 0), c, act(zhaoMin, streetCommand), escalation.ConcludeWhistle{
		Resolved: true, Outcome: "rewired by the owner, exit cleared"})
	l.do(s.cst(2025, 10, 9, 10, 0), c, act(xuJing, streetPeace), escalation.ReportBack{})
	l.do(s.cst(2025, 10, 9, 10, 30), c, act(liQiang, grid1), escalation.Verify{Passed: true})
	l.do(s.cst(2025, 10, 9, 11, 0), c, act(zhaoMin, streetCommand), escalation.Close{})

	// D: after the holiday, a police matter found on patrol goes at once to the community
	// police officer of the beat holding the point; its reward is paid in scene 5.
	d := l.report(s.cst(2025, 10, 9, 14, 0), act(wangFang, grid1), "someone forcing e-bike locks: a police matter",
		escalation.Report{Source: escalation.SourcePatrol, Category: "G04", Summary: "有人撬电动车锁", Location: gps})
	l.do(s.cst(2025, 10, 9, 14, 10), d, act(zhangWei, beat), escalation.Accept{})
	l.do(s.cst(2025, 10, 9, 15, 20), d, act(zhangWei, beat), escalation.ReportBack{Note: "suspect caught"})
	l.do(s.cst(2025, 10, 9, 15, 40), d, act(liQiang, grid1), escalation.Verify{Passed: true})
	s.policeCase = l.do(s.cst(2025, 10, 9, 16, 0), d, act(zhaoMin, streetCommand), escalation.Close{})

	// Let the scheduler run on to the end of the story; B is still waiting for parts.
	l.until(s.cst(2025, 10, 14, 18, 0))
	s.printf("the scheduler (RunDue every %s, 26 September – 14 October):\n", hours(schedulerTick))
	late := 0
	for _, due := range l.dues {
		what := fmt.Sprintf("%s %s", due.Kind, due.Step)
		if due.Kind == escalation.DueEscalate {
			late++
			u, _ := s.tree.AncestorAt(must(svc.Get(s.ctx, due.Case)).Location.Unit, due.Level)
			what = fmt.Sprintf("%s to %s (%s)", due.Kind, due.Level, s.unitName(u))
		}
		s.printf("   %s case %s: %s\n", stamp(due.At), l.letter[due.Case], what)
	}

	m := must(svc.Metrics(s.ctx, escalation.MetricsOptions{Tree: s.tree, Period: escalation.Period{
		From: s.cst(2025, 9, 1, 0, 0), To: s.cst(2025, 11, 1, 0, 0)}}))
	if g, ok := m.Units[grid1]; ok {
		s.gridOnTime = g.OnTimeClosure
	}
	t := m.Total
	s.printf("metrics, September–October: reported %d, closed %d, escalations %d (%d late, %d by the whistle), whistles %d\n",
		t.Reported, t.Closed, t.Escalations, late, t.Escalations-int64(late), t.Whistles)
	s.printf("  closure %v · on time %v · solved in the grid %v\n", t.Closure, t.OnTimeClosure, t.InGrid)
	s.printf("  reported in on time %v · first response %v on average\n", t.ReportInOnTime, t.FirstResponse.Average())
}

// until runs the scheduler every tick up to t, as the district's own cron would, and
// leaves the clock at t. What it did is kept and printed after the cases, so that each
// case's story stays together.
func (l *caseLoop) until(t time.Time) {
	for next := l.clock.Now().Truncate(schedulerTick).Add(schedulerTick); !next.After(t); next = next.Add(schedulerTick) {
		l.clock.Set(next)
		l.dues = append(l.dues, must(l.svc.RunDue(l.ctx, next))...)
	}
	l.clock.Set(t)
}

// report files a new case at time at and prints it; about says what it is in English.
func (l *caseLoop) report(at time.Time, who hierarchy.Actor, about string, r escalation.Report) escalation.CaseID {
	l.until(at)
	c, events, err := l.svc.Report(l.ctx, who, r)
	check(err)
	l.letter[c.ID] = string(rune('A' + len(l.letter)))
	l.printf("%s. %s: %s (case %s)\n", l.letter[c.ID], r.Summary, about, c.ID)
	l.show(c, events)
	return c.ID
}

// do applies cmd by who to case id at time at and prints what happened.
func (l *caseLoop) do(at time.Time, id escalation.CaseID, who hierarchy.Actor, cmd escalation.Command) escalation.Case {
	l.until(at)
	c, events, err := l.svc.Do(l.ctx, id, who, cmd)
	check(err)
	l.show(c, events)
	return c
}

// refused applies a command the policy must refuse and prints the rule that did.
// The refusal changes nothing, so the story goes on from the same case.
func (l *caseLoop) refused(at time.Time, id escalation.CaseID, who hierarchy.Actor, cmd escalation.Command) {
	l.until(at)
	_, _, err := l.svc.Do(l.ctx, id, who, cmd)
	if !errors.Is(err, gridgov.ErrForbidden) {
		check(fmt.Errorf("%s by %s on case %s: want a refusal, got %v", cmd.Action(), who.Person, id, err))
	}
	l.printf("   %s %s %s refused by rule %s\n", stamp(at), pad(l.name(who.Person), 6), pad(string(cmd.Action()), 16),
		gridgov.RuleOf(err))
}

// show prints the events a command added to case c, one line per action: the
// summonses of one command, or the levels one whistle raised the case through, share
// a line.
func (l *caseLoop) show(c escalation.Case, events []escalation.Event) {
	for i := 0; i < len(events); {
		e := events[i]
		var details, reasons []string
		j := i
		for ; j < len(events) && events[j].Action == e.Action && events[j].Actor == e.Actor; j++ {
			if d := l.detail(events[j]); d != "" {
				details = append(details, d)
			}
			if r := events[j].Reason; r != "" && !slices.Contains(reasons, r) {
				reasons = append(reasons, r)
			}
		}
		i = j
		text := strings.Join(details, ", ")
		if len(reasons) > 0 {
			text += " (" + strings.Join(reasons, "; ") + ")"
		}
		state := ""
		if e.To != e.From {
			state = "→ " + string(e.To)
		}
		line := fmt.Sprintf("%s %s %s %s %s", stamp(e.At), pad(l.actorName(e.Actor), 6), pad(string(e.Action), 16),
			pad(state, 13), strings.TrimSpace(text))
		l.printf("   %s\n", strings.TrimRight(line, " "))
		if e.Action == escalation.ActionDispatch {
			pol := must(l.svc.Policies().For(c))
			r, ok := pol.Timeline(c, escalation.Env{Calendar: l.cal}).Resolution()
			found(ok, "resolution timer of case "+string(c.ID))
			l.printf("   %s due: %s, %s (处置时限)\n", pad("", 15+1+6), stamp(r.Deadline), limitText(r.Limit))
		}
	}
}

// actorName names who issued a command; the zero actor is the system.
func (l *caseLoop) actorName(a hierarchy.Actor) string {
	if a.Person == "" {
		return "system"
	}
	return l.name(a.Person)
}

// detail says what an event was about, beyond its action and reason.
func (l *caseLoop) detail(e escalation.Event) string {
	var d []string
	switch e.Action {
	case escalation.ActionReport:
		cat, _ := l.svc.Policies().Current().Category(e.Category)
		d = append(d, fmt.Sprintf("%s %s in grid %s", e.Category, cat.Name, e.Unit))
	case escalation.ActionEscalate:
		d = append(d, string(e.Level))
	case escalation.ActionSummon, escalation.ActionReportIn:
		switch {
		case e.Person == "":
			d = append(d, l.unitName(e.Unit))
		case e.Person == e.Actor.Person:
			d = append(d, "as the leader holding the street (包块)")
		default:
			d = append(d, l.name(e.Person)+" (包块)")
		}
	case escalation.ActionAccept, escalation.ActionReportBack:
	default:
		if e.Unit != "" {
			d = append(d, l.unitName(e.Unit))
		}
		if e.Person != "" {
			d = append(d, l.name(e.Person))
		}
	}
	return strings.Join(d, " ")
}

// limitText says a time limit in words.
func limitText(lim escalation.Limit) string {
	switch {
	case lim.WorkingDays > 0:
		return fmt.Sprintf("%d working days", lim.WorkingDays)
	case lim.WorkingTime > 0:
		return fmt.Sprintf("%s of working time", hours(time.Duration(lim.WorkingTime)))
	default:
		return fmt.Sprintf("%s of clock time", hours(time.Duration(lim.ClockTime)))
	}
}

// hours writes a duration as "2h", "30m" or "1h30m".
func hours(d time.Duration) string {
	h, m := d/time.Hour, (d%time.Hour)/time.Minute
	switch {
	case m == 0:
		return fmt.Sprintf("%dh", h)
	case h == 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}
