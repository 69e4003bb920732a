// Command qinhuai simulates a year of Nanjing's Qinhuai district (秦淮区) through the
// gridgov services and sets each simulated figure beside the published one (see
// package sim):
//
//	go run ./examples/qinhuai [-seed N] [-profile FILE] [-scale N] [-months N] [-out DIR]
//
// This program stores the year in memory; -db sqlite:FILE and -db postgres://… need a
// SQL driver, which only the nested module store/sqlstore imports: its program
// store/sqlstore/cmd/qinhuai takes the same flags.
//
// With -story it tells instead one story of the district through the packages, from
// the organisation tree to a grid worker's payslip:
//
//  1. the organisation tree (组织架构) built from the statistical division register,
//     with party organisations, the streets' offices, the rights sent down (赋权), a few
//     people and an enforcement officer sent down (下沉) to a community;
//  2. the grids (网格) of 乌衣巷社区 next to 夫子庙, a GPS report and an address located;
//  3. event cases through the closed loop (闭环处置), one left to run late and escalated by
//     the scheduler, one that needs the whistle (吹哨报到), and the month's metrics;
//  4. a neighbour dispute mediated (人民调解) in the community's room;
//  5. the police-matter report reward (一案一奖) and a grid worker's payslip (三岗十八级).
//
// Everything runs on the in-memory store with a manual clock and seeded IDs, so the
// story is the same on every run:
//
//	go run ./examples/qinhuai -story
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/examples/qinhuai/sim"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
)

// The real data the story starts from, embedded by package sim: Qinhuai's part of the
// national statistical division register and the district's outline in GCJ-02.
var (
	divisionsCSV   = sim.DivisionsCSV
	outlineGeoJSON = sim.OutlineGeoJSON
)

func main() {
	if err := command(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "qinhuai:", err)
		os.Exit(1)
	}
}

// command runs the year, or the story with -story.
func command(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("qinhuai", flag.ContinueOnError)
	fs.SetOutput(stderr)
	story := fs.Bool("story", false, "tell the story of four cases, a dispute and a payslip instead of simulating the year")
	var f sim.Flags
	f.Register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *story {
		return run(stdout)
	}
	return sim.Main(ctx, f, sim.MemOnly, stdout, stderr)
}

// story is what the scenes share: the district as built in the first scenes and the
// facts a later scene picks up (the police matter the reward is paid for).
type story struct {
	ctx  context.Context
	w    io.Writer
	werr error // the first write error: the report is incomplete
	cal  *calendar.Calendar
	tree *hierarchy.Tree
	ix   *grid.Index

	address    grid.AddressMatch // the neighbours' address, located in scene 2
	policeCase escalation.Case   // closed in scene 3, rewarded in scene 5
	gridOnTime escalation.Rate   // grid 1's on-time closure in scene 3, paid for in scene 5
}

// run tells the whole story to w. The first error ends it.
func run(w io.Writer) (err error) {
	// The scenes call must on steps that are expected to succeed, so that they read as
	// the story they tell; a failure unwinds to here and becomes run's error. Steps
	// that are expected to be refused check their error in place.
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(failure)
			if !ok {
				panic(r)
			}
			err = f.err
		}
	}()
	s := &story{ctx: context.Background(), w: w, cal: calendar.Default()}
	s.printf("gridgov · a month in 秦淮区 (Qinhuai district, Nanjing), autumn 2025\n")
	s.organisation()
	s.grids()
	s.cases()
	s.mediation()
	s.rewards()
	return s.werr
}

// failure carries an unexpected error from must to run.
type failure struct{ err error }

// must returns v, or ends the story with err.
func must[T any](v T, err error) T {
	check(err)
	return v
}

// check ends the story with err when it is not nil.
func check(err error) {
	if err != nil {
		panic(failure{err})
	}
}

// printf writes to the report; after a failed write it writes nothing more and run
// returns the error.
func (s *story) printf(format string, args ...any) {
	if s.werr == nil {
		_, s.werr = fmt.Fprintf(s.w, format, args...)
	}
}

// section starts scene n of the report.
func (s *story) section(n int, title string) {
	s.printf("\n%d. %s\n", n, title)
}

// name is a person's name as the tree knows it.
func (s *story) name(p hierarchy.PersonID) string {
	if person, ok := s.tree.Person(p); ok {
		return person.Name
	}
	return string(p)
}

// unitName is a unit's name as the tree knows it.
func (s *story) unitName(u hierarchy.UnitID) string {
	if unit, ok := s.tree.Unit(u); ok {
		return unit.Name
	}
	return string(u)
}

// cst builds an instant in Qinhuai's time zone.
func (s *story) cst(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, s.cal.Location())
}

// stamp formats an instant the way the report shows it: "Fri 09-26 09:10".
func stamp(t time.Time) string { return t.Format("Mon 01-02 15:04") }

// found ends the story when a lookup in data the story itself built comes back empty.
func found(ok bool, what string) {
	if !ok {
		check(fmt.Errorf("%s: %w", what, gridgov.ErrNotFound))
	}
}

// pad pads s with spaces to w columns as a terminal shows them: Chinese characters take
// two columns, so fmt's %-*s, which counts runes, would misalign the report's columns.
func pad(s string, w int) string {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x2e80 && r <= 0x9fff || r >= 0xf900 && r <= 0xfaff || r >= 0xff00 && r <= 0xff60 {
			n++ // CJK radicals, punctuation and ideographs; full-width forms
		}
	}
	return s + strings.Repeat(" ", max(0, w-n))
}
