package policytest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/policytest"
	"github.com/gridgov/gridgov/profile"
	"github.com/gridgov/gridgov/store/memstore"
)

// exportWorld is the world of the exported cases: Qinhuai's real register with a grid
// below 乌衣巷 community and the posts that work the closed loop there.
var exportWorld = policytest.HistoryWorld{
	Tree:  "qinhuai-divisions.csv",
	Units: []policytest.UnitSpec{{ID: "320104002005001", Name: "乌衣巷第一网格", Level: "grid", Parent: "320104002005"}},
	Posts: []policytest.PostSpec{
		{Person: "wang", Unit: "320104002005001", Role: "grid-worker"},
		{Person: "li", Unit: "320104002005001", Role: "grid-head"},
		{Person: "zhao", Unit: "320104002/command", Role: "dispatcher"},
		{Person: "chen", Unit: "320104002/law-enforcement", Role: "enforcement-officer"},
		{Person: "ma", Unit: "320104002005", Role: "director"},
	},
}

// liveService is a running system's escalation service on that world: the tree built
// as an embedding system builds it, a manual clock, the store it exports from.
func liveService(t *testing.T, p *profile.Profile) (*escalation.Service, *gridgov.ManualClock) {
	t.Helper()
	reg, err := os.Open("testdata/qinhuai-divisions.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	b, err := hierarchy.LoadDivisionsCSV(reg, p.Hierarchy)
	if err != nil {
		t.Fatal(err)
	}
	b.AddPartyOrgs()
	b.AddOffices()
	for _, g := range p.Grants {
		b.AddGrant(g)
	}
	for _, u := range exportWorld.Units {
		b.AddUnit(hierarchy.Unit{ID: hierarchy.UnitID(u.ID), Name: u.Name, Level: hierarchy.Level(u.Level), Parent: hierarchy.UnitID(u.Parent)})
	}
	for _, ps := range exportWorld.Posts {
		b.AddPerson(hierarchy.Person{ID: hierarchy.PersonID(ps.Person), Name: ps.Person})
		b.AddPost(hierarchy.Post{ID: hierarchy.PostID(ps.Person), Person: hierarchy.PersonID(ps.Person), Unit: hierarchy.UnitID(ps.Unit), Role: hierarchy.Role(ps.Role)})
	}
	tree, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New(&p.Calendar)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := escalation.NewPolicySet(p.Escalation)
	if err != nil {
		t.Fatal(err)
	}
	clock := gridgov.NewManualClock(time.Date(2025, 9, 22, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	svc, err := escalation.NewService(memstore.New(), ps, tree, cal, &escalation.ServiceOptions{Clock: clock, IDs: gridgov.NewSeededIDGenerator(7)})
	if err != nil {
		t.Fatal(err)
	}
	return svc, clock
}

func as(p string) hierarchy.Actor {
	return hierarchy.Actor{Person: hierarchy.PersonID(p), Post: hierarchy.PostID(p)}
}

// TestExportCase exports two cases of a live store — a closed loop across the
// National Day holiday, and an unanswered dispatch the scheduler escalates after the
// community blew the whistle — and replays the history: the same rules find nothing,
// a five-working-day handle limit moves the holiday case's deadline on its dispatch
// line and nothing of the other case but its deadline.
func TestExportCase(t *testing.T) {
	ctx := context.Background()
	p := mustDefault(t)
	svc, clock := liveService(t, p)
	cst := time.FixedZone("CST", 8*3600)
	at := func(s string) {
		t.Helper()
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
		if err != nil {
			t.Fatal(err)
		}
		clock.Set(tm)
	}
	do := func(id escalation.CaseID, who string, cmd escalation.Command) {
		t.Helper()
		if _, _, err := svc.Do(ctx, id, as(who), cmd); err != nil {
			t.Fatalf("%s %T: %v", who, cmd, err)
		}
	}
	report := func(id escalation.CaseID) {
		t.Helper()
		if _, _, err := svc.Report(ctx, as("wang"), escalation.Report{ID: id, Source: escalation.SourcePatrol, Category: "E05",
			Location: escalation.Location{Unit: "320104002005001"}}); err != nil {
			t.Fatal(err)
		}
	}
	at("2025-09-22 09:00")
	report("W1")
	at("2025-09-22 09:01")
	do("W1", "zhao", escalation.File{})
	at("2025-09-22 09:02")
	do("W1", "zhao", escalation.Dispatch{})
	at("2025-09-22 09:03")
	do("W1", "ma", escalation.BlowWhistle{Type: escalation.WhistleRoutine, Reason: "three departments meet here"})
	at("2025-09-22 14:45")
	if _, err := svc.RunDue(ctx, time.Date(2025, 9, 22, 14, 45, 0, 0, cst)); err != nil {
		t.Fatal(err)
	}
	at("2025-09-30 10:00")
	report("H1")
	at("2025-09-30 10:01")
	do("H1", "zhao", escalation.File{})
	at("2025-09-30 10:02")
	do("H1", "zhao", escalation.Dispatch{})
	at("2025-09-30 10:03")
	do("H1", "chen", escalation.Accept{})
	at("2025-10-09 09:00")
	do("H1", "chen", escalation.ReportBack{Note: "stall cleared"})
	at("2025-10-09 09:01")
	do("H1", "li", escalation.Verify{Passed: true})
	at("2025-10-09 09:02")
	do("H1", "zhao", escalation.Close{})

	var h bytes.Buffer
	hw := policytest.NewHistoryWriter(&h)
	for _, id := range []escalation.CaseID{"W1", "H1"} {
		c, err := svc.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := policytest.ExportCase(hw, exportWorld, c, p, &policytest.ExportOptions{Dir: "testdata"}); err != nil {
			t.Fatal(err)
		}
	}
	src := h.String()
	for _, want := range []string{`"dispatch":{}`, `"run_due":true`, `"escalations":"1"`, `"whistle":{"type":"routine"`, `"policy":"qinhuai-default"`, `"fingerprint":"` + p.Fingerprint()} {
		if !strings.Contains(src, want) {
			t.Errorf("exported history lacks %s:\n%s", want, src)
		}
	}
	replay := func(q *profile.Profile) []policytest.Difference {
		t.Helper()
		ds, err := policytest.ReplayHistory(strings.NewReader(src), q, &policytest.HistoryOptions{Name: "export.jsonl", Dir: "testdata"})
		if err != nil {
			t.Fatalf("ReplayHistory: %v\n%s", err, src)
		}
		return ds
	}
	if ds := replay(p); len(ds) != 0 {
		t.Errorf("replay under the recording profile:\n%s", policytest.FormatHistoryDifferences(ds))
	}
	slower, err := profile.LoadFile("testdata/replay/slower.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type diff struct{ Case, Action, Kind, Old, New string }
	var got []diff
	for _, d := range replay(slower) {
		got = append(got, diff{d.Case, d.Action, d.Kind, d.Old, d.New})
	}
	want := []diff{
		{"W1", "dispatch", "deadline", "2025-09-25T17:30:00+08:00", "2025-09-28T17:30:00+08:00"},
		{"H1", "dispatch", "deadline", "2025-10-11T17:30:00+08:00", "2025-10-14T17:30:00+08:00"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("replay under five working days (-want +got):\n%s\n%s", d, src)
	}
}

// A case the history format cannot hold whole, or one its recording profile did not
// decide, is refused naming the event, and nothing is written.
func TestExportCase_Refused(t *testing.T) {
	ctx := context.Background()
	p := mustDefault(t)
	svc, clock := liveService(t, p)
	cst := time.FixedZone("CST", 8*3600)
	clock.Set(time.Date(2025, 9, 22, 9, 0, 0, 0, cst))
	if _, _, err := svc.Report(ctx, as("wang"), escalation.Report{ID: "P1", Source: escalation.SourcePatrol, Category: "E05",
		Location: escalation.Location{Unit: "320104002005001"}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2025, 9, 22, 9, 1, 0, 0, cst))
	if _, _, err := svc.Do(ctx, "P1", as("zhao"), escalation.File{}); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2025, 9, 22, 9, 2, 0, 0, cst))
	if _, _, err := svc.Do(ctx, "P1", as("zhao"), escalation.Dispatch{To: "320104002/law-enforcement"}); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Get(ctx, "P1")
	if err != nil {
		t.Fatal(err)
	}
	tampered := c.Clone()
	tampered.History[0].Level = "community" // a start level Qinhuai does not give a grid's case
	parked := c.Clone()
	parked.History = append(parked.History, escalation.Event{Seq: 4, At: c.History[2].At.Add(time.Hour), Action: escalation.ActionPark, From: escalation.Dispatched, To: escalation.Parked, Actor: as("zhao")})
	other := c.Clone()
	other.PolicyVersion = "qinhuai-2024"
	for _, tc := range []struct {
		name   string
		c      escalation.Case
		world  policytest.HistoryWorld
		want   string
		reason string
	}{
		{"Parked", parked, exportWorld, "event 4 (park", "park has no command in a history"},
		{"Tampered", tampered, exportWorld, `after event 1 (report) the stored case has level "community"`, "a history its profile did not decide"},
		{"OtherPolicy", other, exportWorld, `filed under policy "qinhuai-2024"`, "decisions under another version are not the recording profile's"},
		{"NoTree", c, policytest.HistoryWorld{Posts: exportWorld.Posts}, "no division register", "a world to replay in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			err := policytest.ExportCase(policytest.NewHistoryWriter(&b), tc.world, tc.c, p, &policytest.ExportOptions{Dir: "testdata"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, gridgov.ErrInvalid) {
				t.Errorf("ExportCase = %v, want an ErrInvalid naming %q (%s)", err, tc.want, tc.reason)
			}
			if b.Len() != 0 {
				t.Errorf("ExportCase wrote %d bytes with its error", b.Len())
			}
		})
	}
}
