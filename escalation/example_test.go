package escalation_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/memstore"
)

// exampleTree is a district with one street (and its standard offices), one community
// and one grid, and the people of the closed loop.
func exampleTree() *hierarchy.Tree {
	b := hierarchy.NewBuilder(hierarchy.QinhuaiSchema())
	b.AddUnit(hierarchy.Unit{ID: "320104", Code: "320104", Name: "秦淮区", Level: hierarchy.LevelDistrict})
	b.AddUnit(hierarchy.Unit{ID: "320104001", Code: "320104001", Name: "秦虹街道", Level: hierarchy.LevelStreet, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "320104001001", Code: "320104001001", Name: "中牌楼社区", Level: hierarchy.LevelCommunity, Parent: "320104001"})
	b.AddUnit(hierarchy.Unit{ID: "G01", Name: "第一网格", Level: hierarchy.LevelGrid, Parent: "320104001001"})
	b.AddUnit(hierarchy.Unit{ID: "320104002", Code: "320104002", Name: "夫子庙街道", Level: hierarchy.LevelStreet, Parent: "320104"})
	b.AddUnit(hierarchy.Unit{ID: "320104002001", Code: "320104002001", Name: "夫子庙社区", Level: hierarchy.LevelCommunity, Parent: "320104002"})
	b.AddUnit(hierarchy.Unit{ID: "G21", Name: "夫子庙第一网格", Level: hierarchy.LevelGrid, Parent: "320104002001"})
	b.AddOffices()
	for _, p := range []struct {
		id   hierarchy.PersonID
		unit hierarchy.UnitID
		role hierarchy.Role
	}{
		{"wang", "G01", hierarchy.RoleGridWorker},               // finds
		{"li", "G01", hierarchy.RoleGridWorker},                 // verifies
		{"zhao", "320104001/command", hierarchy.RoleDispatcher}, // files, dispatches, closes
		{"chen", "320104001/law-enforcement", hierarchy.RoleEnforcementOfficer},
		{"sun", "320104002/law-enforcement", hierarchy.RoleEnforcementOfficer}, // another street's
		{"zhou", "G21", hierarchy.RoleGridHead},                                // another street's
	} {
		b.AddPerson(hierarchy.Person{ID: p.id, Name: string(p.id)})
		b.AddPost(hierarchy.Post{ID: hierarchy.PostID(p.id), Person: p.id, Unit: p.unit, Role: p.role})
	}
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	return t
}

func who(p hierarchy.PersonID) hierarchy.Actor {
	return hierarchy.Actor{Person: p, Post: hierarchy.PostID(p)}
}

// The closed loop (巡办分离): the grid worker finds, the street's platform files and
// dispatches, the law-enforcement bureau handles, another grid worker verifies.
func ExamplePolicy_Apply() {
	p := escalation.QinhuaiPolicy()
	env := escalation.Env{Tree: exampleTree(), Calendar: calendar.Default()}
	cst := time.FixedZone("CST", 8*3600)
	at := time.Date(2025, 9, 26, 9, 0, 0, 0, cst) // Friday before the National Day holiday

	var c escalation.Case
	for i, s := range []struct {
		who hierarchy.PersonID
		cmd escalation.Command
	}{
		{"wang", escalation.Report{ID: "C1", Source: escalation.SourcePatrol, Category: "E05", Location: escalation.Location{Unit: "G01"}}},
		{"zhao", escalation.File{}},
		{"zhao", escalation.Dispatch{}}, // routed by the table
		{"chen", escalation.Accept{}},
		{"chen", escalation.ReportBack{Note: "stall cleared"}},
		{"wang", escalation.Verify{Passed: true}}, // the finder may not verify
		{"li", escalation.Verify{Passed: true}},
		{"zhao", escalation.Close{}},
	} {
		env.Actor = who(s.who)
		next, _, err := p.Apply(c, s.cmd, at.Add(time.Duration(i)*time.Minute), env)
		if err != nil {
			fmt.Printf("%-11s by %-4s refused: %s\n", s.cmd.Action(), s.who, gridgov.RuleOf(err))
			continue
		}
		c = next
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-11s by %-4s → %s %s", s.cmd.Action(), s.who, c.State, c.Owner)))
		if s.cmd.Action() == escalation.ActionDispatch {
			fmt.Println("due", c.Deadline.Format("Mon 2006-01-02 15:04"))
		}
	}
	// Output:
	// report      by wang → reported
	// file        by zhao → filed
	// dispatch    by zhao → dispatched 320104001/law-enforcement
	// due Tue 2025-09-30 17:30
	// accept      by chen → handling 320104001/law-enforcement
	// report-back by chen → handled 320104001/law-enforcement
	// verify      by wang refused: roles.reporter-may-not-verify
	// verify      by li   → verified 320104001/law-enforcement
	// close       by zhao → closed 320104001/law-enforcement
}

// A street's platform dispatches within its jurisdiction (管辖): its own subtree, the
// units routing gives the case, and units it holds the policy's dispatch right over.
// Another street's bureau and grid head lie outside it.
func ExamplePolicy_Apply_jurisdiction() {
	p := escalation.QinhuaiPolicy()
	env := escalation.Env{Tree: exampleTree(), Calendar: calendar.Default()}
	at := time.Date(2025, 9, 22, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var c, filed escalation.Case
	for i, s := range []struct {
		who hierarchy.PersonID
		cmd escalation.Command
	}{
		{"wang", escalation.Report{ID: "C1", Source: escalation.SourcePatrol, Category: "E05", Location: escalation.Location{Unit: "G01"}}},
		{"zhao", escalation.File{}},
		{"zhao", escalation.Dispatch{To: "320104002/law-enforcement"}},
		{"zhao", escalation.Dispatch{To: "320104001/law-enforcement", Assignee: "zhou"}},
		{"zhao", escalation.Dispatch{To: "320104001/law-enforcement", Assignee: "chen"}},
	} {
		env.Actor = who(s.who)
		next, _, err := p.Apply(c, s.cmd, at.Add(time.Duration(i)*time.Minute), env)
		if err != nil {
			fmt.Printf("%-8s by %s refused: %s\n", s.cmd.Action(), s.who, gridgov.RuleOf(err))
			continue
		}
		c = next
		if c.State == escalation.Filed {
			filed = c
		}
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-8s by %s → %s %s %s", s.cmd.Action(), s.who, c.State, c.Owner, c.Assignee)))
	}

	// Role rules fail closed: without a rule for dispatch, nobody dispatches.
	q := escalation.QinhuaiPolicy()
	delete(q.Roles, escalation.ActionDispatch)
	env.Actor = who("zhao")
	_, _, err := q.Apply(filed, escalation.Dispatch{}, at.Add(time.Hour), env)
	fmt.Println("dispatch without a role rule:", gridgov.RuleOf(err))
	// Output:
	// report   by wang → reported
	// file     by zhao → filed
	// dispatch by zhao refused: auth.jurisdiction
	// dispatch by zhao refused: auth.jurisdiction
	// dispatch by zhao → dispatched 320104001/law-enforcement chen
	// dispatch without a role rule: auth.role
}

// Extension classes (扩展部件, 扩展事件) load with the minor classes; IsExtension tells a
// district's classes from the standard's.
func ExampleParseCategories_extension() {
	cats, err := escalation.ParseCategories(strings.NewReader(`
- {code: E07, name: 扩展事件, english: extension events}
- {code: E0701, name: 共享单车乱停放, english: shared bicycles parked astray}
- {code: E0501, name: 无照经营游商, english: unlicensed street vendor}
`))
	if err != nil {
		panic(err)
	}
	for _, c := range cats {
		fmt.Println(c.Code, c.Name, c.Kind(), "extension:", escalation.IsExtension(c.Code))
	}
	// Output:
	// E07 扩展事件 event extension: true
	// E0701 共享单车乱停放 event extension: true
	// E0501 无照经营游商 event extension: false
}

// A scheduler drives warnings and escalations: DueFor lists what is due, with the
// command that does it. The case was dispatched on Monday at 09:20 with three working
// days (due Thursday 17:30): it warns at 80% of that time and rises a level at 100%,
// 150% and 200%.
func ExamplePolicy_DueFor() {
	p := escalation.QinhuaiPolicy()
	env := escalation.Env{Tree: exampleTree(), Calendar: calendar.Default()}
	cst := time.FixedZone("CST", 8*3600)
	mon := time.Date(2025, 11, 3, 9, 0, 0, 0, cst)
	var c escalation.Case
	for i, s := range []struct {
		who hierarchy.PersonID
		cmd escalation.Command
	}{
		{"wang", escalation.Report{ID: "C2", Source: escalation.SourcePatrol, Category: "E05", Location: escalation.Location{Unit: "G01"}}},
		{"zhao", escalation.File{}},
		{"zhao", escalation.Dispatch{}},
		{"chen", escalation.Accept{}},
	} {
		env.Actor = who(s.who)
		c, _, _ = p.Apply(c, s.cmd, mon.Add(time.Duration(i)*10*time.Minute), env)
	}
	env.Actor = hierarchy.Actor{} // the system
	for now := mon; now.Before(mon.AddDate(0, 0, 14)); now = now.Add(30 * time.Minute) {
		for _, d := range p.DueFor(c, now, env) {
			c, _, _ = p.Apply(c, d.Command, now, env)
			fmt.Println(strings.TrimSpace(fmt.Sprint(d.At.Format("Mon 01-02 15:04"), " ", d.Kind, " ", d.Level)))
		}
	}
	// Output:
	// Thu 11-06 10:10 warn
	// Thu 11-06 17:30 escalate community
	// Mon 11-10 17:05 escalate street
	// Wed 11-12 16:40 escalate district
}

// Rates are exact integer pairs, rounded only when shown.
func ExampleRate() {
	closure := escalation.Rate{Num: 911, Den: 972}
	onTime := escalation.Rate{Num: 737, Den: 972}
	fmt.Println(closure, onTime)
	fmt.Println(closure.Percent(0), onTime.Percent(1))
	// Output:
	// 911/972 (93.72%) 737/972 (75.82%)
	// 94 758
}

// A service stores cases and saves every decision with compare-and-swap; the embedding
// system's scheduler calls RunDue.
func ExampleService() {
	ctx := context.Background()
	cst := time.FixedZone("CST", 8*3600)
	clock := gridgov.NewManualClock(time.Date(2025, 11, 3, 9, 0, 0, 0, cst))
	ps, _ := escalation.NewPolicySet(escalation.QinhuaiPolicy())
	s, err := escalation.NewService(memstore.New(), ps, exampleTree(), calendar.Default(),
		&escalation.ServiceOptions{Clock: clock, IDs: gridgov.NewSeededIDGenerator(1)})
	if err != nil {
		panic(err)
	}
	c, _, _ := s.Report(ctx, who("wang"), escalation.Report{Source: escalation.SourcePatrol, Category: "E05", Location: escalation.Location{Unit: "G01"}})
	clock.Advance(time.Hour)
	s.Do(ctx, c.ID, who("zhao"), escalation.File{})
	s.Do(ctx, c.ID, who("zhao"), escalation.Dispatch{})
	s.Do(ctx, c.ID, who("chen"), escalation.Accept{})

	done, _ := s.RunDue(ctx, time.Date(2025, 11, 7, 12, 0, 0, 0, cst))
	for _, d := range done {
		fmt.Println(d.Kind, d.Level)
	}
	m, _ := s.Metrics(ctx, escalation.MetricsOptions{Period: escalation.Period{From: clock.Now().AddDate(0, 0, -1), To: clock.Now().AddDate(0, 1, 0)}})
	fmt.Println("reported", m.Total.Reported, "escalations", m.Total.Escalations, "closure", m.Total.Closure)
	// Output:
	// escalate community
	// reported 1 escalations 1 closure 0/1 (0.00%)
}
