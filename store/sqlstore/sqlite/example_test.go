package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/sqlstore/sqlite"
)

// qinhuaiTree is the real division register of Qinhuai with one grid of 乌衣巷社区 and
// the people of the closed loop.
func qinhuaiTree() *hierarchy.Tree {
	f, err := os.Open(filepath.Join("..", "..", "..", "testdata", "qinhuai-divisions.csv"))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	b, err := hierarchy.LoadDivisionsCSV(f, hierarchy.QinhuaiSchema())
	if err != nil {
		panic(err)
	}
	b.AddOffices() // each street's command sub-centre and law-enforcement team
	b.AddUnit(hierarchy.Unit{ID: "320104002005001", Name: "乌衣巷第一网格", Level: hierarchy.LevelGrid, Parent: "320104002005"})
	for _, p := range []struct {
		id   hierarchy.PersonID
		unit hierarchy.UnitID
		role hierarchy.Role
	}{
		{"wang", "320104002005001", hierarchy.RoleGridWorker}, // finds
		{"li", "320104002005001", hierarchy.RoleGridHead},     // verifies
		{"zhao", "320104002/command", hierarchy.RoleDispatcher},
		{"chen", "320104002/law-enforcement", hierarchy.RoleEnforcementOfficer},
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

func actor(p hierarchy.PersonID) hierarchy.Actor {
	return hierarchy.Actor{Person: p, Post: hierarchy.PostID(p)}
}

// A case through the closed loop (闭环处置) on one SQLite file: every command is a
// compare-and-swap write of the case's head and its new events, and a second
// service over the reopened file reads the same case back.
func Example_escalationService() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gridgov-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "qinhuai.db")

	tree, cal := qinhuaiTree(), calendar.Default()
	ps, err := escalation.NewPolicySet(escalation.QinhuaiPolicy())
	if err != nil {
		panic(err)
	}
	at := time.Date(2025, 9, 30, 10, 0, 0, 0, cal.Location()) // the day before the National Day holiday
	clock := gridgov.NewManualClock(at)
	opts := &escalation.ServiceOptions{Clock: clock, IDs: gridgov.NewSeededIDGenerator(1)}

	db, err := sqlite.Open(ctx, file, nil)
	if err != nil {
		panic(err)
	}
	svc, err := escalation.NewService(db, ps, tree, cal, opts)
	if err != nil {
		panic(err)
	}
	c, _, err := svc.Report(ctx, actor("wang"), escalation.Report{Source: escalation.SourcePatrol, Category: "E05",
		Summary: "a stall blocks the lane", Location: escalation.Location{Unit: "320104002005001"}})
	if err != nil {
		panic(err)
	}
	for _, s := range []struct {
		who   hierarchy.PersonID
		after time.Duration
		cmd   escalation.Command
	}{
		{"zhao", 10 * time.Minute, escalation.File{}},
		{"zhao", 5 * time.Minute, escalation.Dispatch{}}, // routed by the policy's table
		{"chen", 30 * time.Minute, escalation.Accept{}},
		{"chen", 9 * 24 * time.Hour, escalation.ReportBack{Note: "stall moved to the market"}},
		{"li", time.Hour, escalation.Verify{Passed: true}},
		{"zhao", time.Hour, escalation.Close{}},
	} {
		clock.Advance(s.after)
		if c, _, err = svc.Do(ctx, c.ID, actor(s.who), s.cmd); err != nil {
			panic(err)
		}
		if s.cmd.Action() == escalation.ActionDispatch {
			tl := ps.Current().Timeline(c, escalation.Env{Tree: tree, Calendar: cal})
			if d, ok := tl.Resolution(); ok {
				// Three working days: 1–8 October are holidays and Saturday 11 October
				// is worked in lieu (调休).
				fmt.Println("dispatched to", c.Owner, "due", d.Deadline.Format(time.DateTime))
			}
		}
	}
	if err := db.Close(); err != nil {
		panic(err)
	}

	// The file is all the state there is: reopen it and read the case back.
	db, err = sqlite.Open(ctx, file, nil)
	if err != nil {
		panic(err)
	}
	defer db.Close()
	svc, err = escalation.NewService(db, ps, tree, cal, opts)
	if err != nil {
		panic(err)
	}
	got, err := svc.Get(ctx, c.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(got.State, "after", len(got.History), "events; summary:", got.Summary)
	// Output:
	// dispatched to 320104002/law-enforcement due 2025-10-11 17:30:00
	// closed after 7 events; summary: a stall blocks the lane
}
