package policytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/profile"
	"github.com/gridgov/gridgov/rewards"
	"github.com/gridgov/gridgov/store/memstore"
)

// Failure is one expectation that did not hold, or a step refused that was expected
// to pass. Its String is the documented message:
//
//	testdata/failing/wrong.yaml:21:26 scenario "wrong deadline" step 3 (dispatch by zhao): deadline expected=2025-10-10T17:30:00+08:00 got=2025-10-11T17:30:00+08:00
//
// Failure is a plain value, safe for concurrent use.
type Failure struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Scenario string `json:"scenario"`
	Step     int    `json:"step"` // 1-based
	Action   string `json:"action"`
	As       string `json:"as,omitempty"`
	Kind     string `json:"kind"` // the expectation's kind, or "step" for an unexpected refusal
	Expected string `json:"expected"`
	Got      string `json:"got"`
	Detail   string `json:"detail,omitempty"` // the refusal's message, when there was one
}

func (f Failure) String() string {
	by := ""
	if f.As != "" {
		by = " by " + f.As
	}
	s := fmt.Sprintf("%s:%d:%d scenario %q step %d (%s%s): %s expected=%s got=%s", f.File, f.Line, f.Col, f.Scenario, f.Step, f.Action, by, f.Kind, f.Expected, f.Got)
	if f.Detail != "" {
		s += " (" + f.Detail + ")"
	}
	return s
}

// Report is the outcome of a run: the expectations that held, counted per kind, the
// failures, and what of the profile the scenarios exercised. It is a plain value,
// safe for concurrent reads.
type Report struct {
	Files     int            `json:"files"`
	Scenarios int            `json:"scenarios"`
	Steps     int            `json:"steps"`
	Passes    map[string]int `json:"passes"`
	Failures  []Failure      `json:"failures,omitempty"`
	Coverage  Coverage       `json:"coverage"`
}

// OK reports whether every expectation held.
func (r *Report) OK() bool { return len(r.Failures) == 0 }

// Summary is one line: scenarios, steps, passes per kind and failures.
func (r *Report) Summary() string {
	kinds := make([]string, 0, len(r.Passes))
	for k := range r.Passes {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var parts []string
	total := 0
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d", k, r.Passes[k]))
		total += r.Passes[k]
	}
	return fmt.Sprintf("%d file(s), %d scenario(s), %d step(s): %d expectation(s) passed (%s), %d failed",
		r.Files, r.Scenarios, r.Steps, total, strings.Join(parts, ", "), len(r.Failures))
}

// Expand resolves glob patterns to files, in order and without repeats. A pattern
// that matches nothing is an error: a test run that checks nothing must not pass.
func Expand(patterns ...string) ([]string, error) {
	if len(patterns) == 0 {
		return nil, fmt.Errorf("policytest: no scenario files given: %w", gridgov.ErrInvalid)
	}
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("policytest: pattern %q: %v: %w", p, err, gridgov.ErrInvalid)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("policytest: %q matches no scenario file: %w", p, gridgov.ErrInvalid)
		}
		for _, f := range m {
			if !slices.Contains(files, f) {
				files = append(files, f)
			}
		}
	}
	return files, nil
}

// Check parses and runs the scenario files. The error is for files that cannot be run
// (unreadable, a [profile.ErrorList] of every problem of a file with its position, a
// profile or tree that does not load); expectations that do not hold are the
// report's Failures. Check keeps no state between calls: calls may run
// concurrently.
func Check(files []string) (Report, error) {
	r, _, err := check(files, nil, nil)
	return r, err
}

// check runs the files, each under its own profile or under override, recording
// each step's outcome in rec when rec is not nil.
func check(files []string, override *profile.Profile, rec *[]Outcome) (Report, []*File, error) {
	r := Report{Passes: map[string]int{}}
	if len(files) == 0 {
		return r, nil, fmt.Errorf("policytest: no scenario files given: %w", gridgov.ErrInvalid)
	}
	var parsed []*File
	var errs profile.ErrorList
	for _, f := range files {
		pf, err := ParseFile(f)
		var list profile.ErrorList
		switch {
		case errors.As(err, &list):
			errs = append(errs, list...)
			continue
		case err != nil:
			return r, nil, err
		}
		parsed = append(parsed, pf)
	}
	if len(errs) > 0 {
		return r, nil, errs
	}
	cov := newCoverage()
	loaded := map[string]*loadedProfile{}
	for _, f := range parsed {
		w, err := newWorld(f, loaded, override)
		if err != nil {
			return r, nil, err
		}
		cov.add(w.profile)
		r.Files++
		for i := range f.Scenarios {
			if err := w.run(&f.Scenarios[i], &r, cov, rec); err != nil {
				return r, nil, err
			}
		}
	}
	r.Coverage = cov.report()
	return r, parsed, nil
}

// world is what a file gives: its profile, register and base units and posts.
type world struct {
	file     *File
	profile  *profile.Profile
	register []byte
	cal      *calendar.Calendar
	// base is the tree of the file's given, built once and shared by the scenarios
	// that add nothing to it (a built tree is never modified).
	base       *hierarchy.Tree
	baseActors map[string]hierarchy.Actor
	// grids is the given grid layer, validated and indexed, and gridsData its file;
	// both nil when the file gives none.
	grids     *grid.Index
	gridList  []grid.Grid
	gridsData []byte
}

// loadedProfile is a profile and its calendar, loaded once per Check for every file
// naming it: loading dominates the run of a short file, and neither is modified.
type loadedProfile struct {
	p   *profile.Profile
	cal *calendar.Calendar
}

func newWorld(f *File, loaded map[string]*loadedProfile, override *profile.Profile) (*world, error) {
	dir := filepath.Dir(f.Path)
	g := f.Given
	w := &world{file: f}
	name := cmpOr(g.Profile, "qinhuai")
	key := "embedded:" + name
	if !slices.Contains(profile.Embedded(), name) {
		key = resolve(dir, name)
	}
	if override != nil {
		name, key = override.Name, "override"
	}
	if lp, ok := loaded[key]; ok {
		w.profile, w.cal = lp.p, lp.cal
	} else {
		var err error
		switch {
		case override != nil:
			w.profile = override
		case slices.Contains(profile.Embedded(), name):
			w.profile, err = profile.LoadEmbedded(name)
		default:
			w.profile, err = profile.LoadFile(key)
		}
		if err != nil {
			return nil, fmt.Errorf("policytest: %s: profile %s: %w", f.Path, name, err)
		}
		if w.cal, err = calendar.New(&w.profile.Calendar); err != nil {
			return nil, fmt.Errorf("policytest: %s: calendar of profile %s: %w", f.Path, name, err)
		}
		loaded[key] = &loadedProfile{p: w.profile, cal: w.cal}
	}
	var err error
	if g.Tree == "" {
		return nil, fmt.Errorf("policytest: %s:%d:%d given.tree: a division register CSV is required: %w", f.Path, g.Pos.Line, g.Pos.Col, gridgov.ErrInvalid)
	}
	if w.register, err = os.ReadFile(resolve(dir, g.Tree)); err != nil {
		return nil, fmt.Errorf("policytest: %s: given.tree: %w", f.Path, err)
	}
	if g.Grids != "" {
		if err := w.loadGrids(resolve(dir, g.Grids), g.GridsDatum); err != nil {
			return nil, fmt.Errorf("policytest: %s:%d:%d given.grids: %w", f.Path, g.Pos.Line, g.Pos.Col, err)
		}
	} else if g.GridsDatum != "" {
		return nil, fmt.Errorf("policytest: %s:%d:%d given.grids_datum: a datum without grids: %w", f.Path, g.Pos.Line, g.Pos.Col, gridgov.ErrInvalid)
	}
	return w, nil
}

// loadGrids reads and validates the grid layer through the grid package, under the
// profile's grid policy: a layer the package refuses is never used.
func (w *world) loadGrids(path, datum string) error {
	d, err := parseDatum(datum)
	if err != nil {
		return err
	}
	if w.gridsData, err = os.ReadFile(path); err != nil {
		return err
	}
	if w.gridList, err = grid.GridsFromGeoJSON(w.gridsData); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	pol := w.profile.Grid
	if w.grids, err = grid.NewIndex(grid.Atlas{Datum: d, Grids: w.gridList}, &grid.IndexOptions{Policy: &pol}); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func parseDatum(s string) (grid.Datum, error) {
	switch grid.Datum(s) {
	case "", grid.WGS84:
		return grid.WGS84, nil
	case grid.GCJ02, grid.BD09:
		return grid.Datum(s), nil
	}
	return "", fmt.Errorf("datum %q: want wgs84, gcj02 or bd09: %w", s, gridgov.ErrInvalid)
}

// resolve makes a path the file gives relative to the file's directory, unless it
// is absolute.
func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func personID(s string) hierarchy.PersonID { return hierarchy.PersonID(s) }

// tree builds the scenario's tree as [profile.Profile.BuildTree] does, with the
// file's and the scenario's units and posts added before it is built.
func (w *world) tree(sc *Scenario) (*hierarchy.Tree, map[string]hierarchy.Actor, error) {
	own := len(sc.Given.Units) > 0 || len(sc.Given.Posts) > 0
	if !own && w.base != nil {
		return w.base, w.baseActors, nil
	}
	t, actors, err := w.build(sc)
	if err == nil && !own {
		w.base, w.baseActors = t, actors
	}
	return t, actors, err
}

func (w *world) build(sc *Scenario) (*hierarchy.Tree, map[string]hierarchy.Actor, error) {
	p := w.profile
	b, err := hierarchy.LoadDivisionsCSV(bytes.NewReader(w.register), p.Hierarchy)
	if err != nil {
		return nil, nil, fmt.Errorf("policytest: %s: given.tree: %w", w.file.Path, err)
	}
	b.AddPartyOrgs()
	b.AddOffices()
	for _, g := range p.Grants {
		b.AddGrant(g)
	}
	actors := map[string]hierarchy.Actor{}
	people := map[string]bool{}
	listed := map[string]bool{}
	for _, g := range []Given{w.file.Given, sc.Given} {
		for _, u := range g.Units {
			listed[u.ID] = true
		}
	}
	// Each grid of the layer is a unit of its community, unless the units give it.
	for _, gr := range w.gridList {
		if !listed[gr.Code] {
			b.AddUnit(hierarchy.Unit{ID: hierarchy.UnitID(gr.Code), Name: cmpOr(gr.Name, gr.Code), Level: "grid", Parent: gr.Community})
		}
	}
	for _, g := range []Given{w.file.Given, sc.Given} {
		for i, s := range g.Secondments {
			subject := hierarchy.PersonRef(personID(s.Person))
			if s.Unit != "" {
				subject = hierarchy.UnitRef(hierarchy.UnitID(s.Unit))
			}
			b.AddSecondment(hierarchy.Secondment{ID: cmpOr(s.ID, fmt.Sprintf("secondment-%d-%s", i+1, subject.ID)), Subject: subject,
				Home: hierarchy.UnitID(s.Home), Serving: hierarchy.UnitID(s.Serving), Start: s.Start, End: s.End})
		}
		for _, u := range g.Units {
			b.AddUnit(hierarchy.Unit{ID: hierarchy.UnitID(u.ID), Code: u.Code, Name: cmpOr(u.Name, u.ID), Level: hierarchy.Level(u.Level), Kind: hierarchy.Kind(u.Kind), Parent: hierarchy.UnitID(u.Parent)})
		}
		for _, ps := range g.Posts {
			id := cmpOr(ps.ID, ps.Person)
			if !people[ps.Person] {
				people[ps.Person] = true
				b.AddPerson(hierarchy.Person{ID: personID(ps.Person), Name: cmpOr(ps.Name, ps.Person)})
			}
			b.AddPost(hierarchy.Post{ID: hierarchy.PostID(id), Person: personID(ps.Person), Unit: hierarchy.UnitID(ps.Unit), Role: hierarchy.Role(ps.Role), Start: ps.Start, End: ps.End})
			actors[id] = hierarchy.Actor{Person: personID(ps.Person), Post: hierarchy.PostID(id)}
		}
	}
	t, err := b.Build()
	if err != nil {
		return nil, nil, fmt.Errorf("policytest: %s: scenario %q: the given units and posts do not build a tree: %w", w.file.Path, sc.Name, err)
	}
	return t, actors, nil
}

// run runs one scenario on a fresh store, clock and ID generator.
func (w *world) run(sc *Scenario, r *Report, cov *coverage, rec *[]Outcome) error {
	tree, actors, err := w.tree(sc)
	if err != nil {
		return err
	}
	pol := w.profile.Escalation
	ps, err := escalation.NewPolicySet(pol)
	if err != nil {
		return fmt.Errorf("policytest: %s: %w", w.file.Path, err)
	}
	clock := gridgov.NewManualClock(sc.When[0].At)
	svc, err := escalation.NewService(memstore.New(), ps, tree, w.cal, &escalation.ServiceOptions{Clock: clock, IDs: gridgov.NewSeededIDGenerator(1)})
	if err != nil {
		return fmt.Errorf("policytest: %s: scenario %q: %w", w.file.Path, sc.Name, err)
	}
	rw, err := rewards.NewService(memstore.New(), w.profile.Rewards, tree, clock, gridgov.NewSeededIDGenerator(2), nil)
	if err != nil {
		return fmt.Errorf("policytest: %s: scenario %q: %w", w.file.Path, sc.Name, err)
	}
	ctx := context.Background()
	r.Scenarios++
	var ev *evaluation.Service // made on the first rate step: compiling the policy costs
	var currentClaim, currentFund string
	at := sc.When[0].At
	var current escalation.CaseID
	for i := range sc.When {
		st := &sc.When[i]
		r.Steps++
		if !st.At.IsZero() {
			if st.At.Before(at) {
				return fmt.Errorf("policytest: %s:%d:%d scenario %q step %d: at %s goes back before the previous step's %s: %w",
					w.file.Path, st.Pos.Line, st.Pos.Col, sc.Name, i+1, formatTime(st.At), formatTime(at), gridgov.ErrInvalid)
			}
			at = st.At
		} else if i > 0 {
			at = at.Add(time.Minute)
		}
		clock.Set(at)
		action, _ := st.action()
		fail := func(kind string, pos Pos, want, got, detail string) {
			r.Failures = append(r.Failures, Failure{File: w.file.Path, Line: pos.Line, Col: pos.Col, Scenario: sc.Name, Step: i + 1,
				Action: action, As: st.As, Kind: kind, Expected: want, Got: got, Detail: detail})
		}
		actor, known := actors[st.As]
		if !known {
			actor = hierarchy.Actor{Person: personID(st.As), Post: hierarchy.PostID(st.As)}
		}
		id := escalation.CaseID(cmpOr(st.Case, string(current)))

		var (
			claim   rewards.Claim
			c       escalation.Case
			slip    rewards.Payslip
			due     []escalation.Due
			rating  evaluation.Rating
			settled rewards.Settlement
			fund    rewards.Fund
			stepErr error
		)
		switch action {
		case "payslip":
			slip, stepErr = w.profile.Rewards.PayScale.Payslip(st.Payslip.Worker.worker(), at, rewards.Evaluation{Band: st.Payslip.Band, Assessment: st.Payslip.Assessment})
			if stepErr == nil {
				for _, l := range slip.Lines {
					cov.hit("pay", l.Rule)
				}
			}
		case "open_fund":
			o := st.OpenFund
			fund, stepErr = rw.OpenFund(ctx, actor, rewards.FundOpening{Area: hierarchy.UnitID(o.Area), Year: o.Year, Amount: o.Amount, Ref: o.Ref})
			currentFund = rewards.FundID(hierarchy.UnitID(o.Area), o.Year)
		case "settle":
			fid := cmpOr(st.Settle.Fund, currentFund)
			if fid == "" {
				return fmt.Errorf("policytest: %s:%d:%d scenario %q step %d: settle names no fund and none was opened before it: %w",
					w.file.Path, st.Pos.Line, st.Pos.Col, sc.Name, i+1, gridgov.ErrInvalid)
			}
			settled, stepErr = rw.Settle(ctx, fid, actor)
			if f, err := rw.Fund(ctx, fid); err == nil {
				fund = f
			}
		case "rate":
			if ev == nil {
				if ev, err = evaluation.NewService(memstore.New(), w.profile.Evaluation, tree, &evaluation.ServiceOptions{Clock: clock,
					IDs: gridgov.NewSeededIDGenerator(3), Facts: evaluation.EscalationFacts{Cases: svc, Policies: ps, Calendar: w.cal}}); err != nil {
					return fmt.Errorf("policytest: %s: scenario %q: %w", w.file.Path, sc.Name, err)
				}
			}
			rt := st.Rate
			in := evaluation.RatingInput{Rule: rt.Rule, Rater: actor, Subject: hierarchy.PersonRef(personID(rt.Person)), Answers: rt.Answers, Comment: rt.Comment}
			if rt.Unit != "" {
				in.Subject = hierarchy.UnitRef(hierarchy.UnitID(rt.Unit))
			}
			switch {
			case rt.Period != "":
				in.Target = evaluation.Target{Kind: evaluation.TargetPeriod, Period: rt.Period}
			case rt.Whistle > 0:
				in.Target = evaluation.Target{Kind: evaluation.TargetWhistle, Case: cmpOr(rt.Case, string(current)), Whistle: rt.Whistle}
			default:
				in.Target = evaluation.Target{Kind: evaluation.TargetCase, Case: cmpOr(rt.Case, string(current))}
			}
			if rating, stepErr = ev.Rate(ctx, in); stepErr == nil {
				cov.hit("rating", rt.Rule)
			}
		case "claim":
			cs := st.Claim
			claim, stepErr = rw.Submit(ctx, actor, rewards.ClaimInput{Source: rewards.Source{Kind: cmpOr(cs.Source, "report"), ID: cs.ID},
				Worker: personID(cs.Worker), Area: hierarchy.UnitID(cs.Area), Unit: hierarchy.UnitID(cs.Unit), Category: cs.Category,
				Outcome: cs.Outcome, Contribution: cs.Contribution, Matter: cs.Matter, ReportedAt: cs.ReportedAt})
			currentClaim = cmpOr(cs.Source, "report") + ":" + cs.ID
		case "approve":
			id := cmpOr(st.Approve.Claim, currentClaim)
			claim, stepErr = rw.Approve(ctx, id, actor)
			if stepErr != nil {
				if cur, err := rw.Claim(ctx, id); err == nil {
					claim = cur
				}
			}
		case "run_due":
			due, stepErr = svc.RunDue(ctx, at)
			if stepErr == nil && id != "" {
				c, stepErr = svc.Get(ctx, id)
			}
			for _, d := range due {
				cov.hit("due", string(d.Kind))
			}
		case "report":
			rs := st.Report
			loc := escalation.Location{Unit: hierarchy.UnitID(rs.Unit), Asset: rs.Asset, Road: rs.Road, Datum: rs.Datum}
			if rs.Point != nil {
				if w.grids == nil {
					return fmt.Errorf("policytest: %s:%d:%d scenario %q step %d: the report gives a point, and the file gives no grids to locate it in: %w",
						w.file.Path, st.Pos.Line, st.Pos.Col, sc.Name, i+1, gridgov.ErrInvalid)
				}
				loc.Point = escalation.Point{Lon: rs.Point.Lon, Lat: rs.Point.Lat}
				d, err := parseDatum(rs.Datum)
				if err != nil {
					return fmt.Errorf("policytest: %s:%d:%d scenario %q step %d: %w", w.file.Path, st.Pos.Line, st.Pos.Col, sc.Name, i+1, err)
				}
				a := w.grids.Locate(orb.Point{rs.Point.Lon, rs.Point.Lat}, d)
				if a.Grid == "" {
					stepErr = &gridgov.Error{Op: "policytest.report", Kind: gridgov.ErrInvalid, Rule: RuleUnassigned,
						Msg: fmt.Sprintf("the point (%v, %v) %s lies in no grid of the layer, nor within the grid policy's distance of one", rs.Point.Lon, rs.Point.Lat, d)}
					break
				}
				loc.Unit = hierarchy.UnitID(a.Grid)
				cov.hit("grid", a.Grid)
			}
			c, _, stepErr = svc.Report(ctx, actor, escalation.Report{ID: escalation.CaseID(rs.ID), Source: escalation.Source(rs.Source),
				Category: rs.Category, Complexity: escalation.Complexity(rs.Complexity), Summary: rs.Summary,
				Location: loc, SelfHandled: rs.SelfHandled})
			if stepErr == nil {
				current = c.ID
			}
		default:
			if id == "" {
				return fmt.Errorf("policytest: %s:%d:%d scenario %q step %d: %s names no case and none was reported before it: %w",
					w.file.Path, st.Pos.Line, st.Pos.Col, sc.Name, i+1, action, gridgov.ErrInvalid)
			}
			c, _, stepErr = svc.Do(ctx, id, actor, command(st, action))
		}
		reward := action == "open_fund" || action == "claim" || action == "approve" || action == "settle"
		if stepErr == nil && reward {
			cov.rewardRole(w.profile.Name, tree, actor, action, at)
		}
		if stepErr == nil && action != "payslip" && action != "run_due" && action != "rate" && !reward {
			cov.role(pol, tree, actor, action, c, at)
		}
		if c.ID != "" {
			cov.deadlines(&pol, c, escalation.Env{Tree: tree, Calendar: w.cal})
		}
		rule := gridgov.RuleOf(stepErr)
		if stepErr != nil {
			cov.hit("refusal", cmpOr(rule, "(no rule)"))
		}
		// The case as it stands after the step (a refused step leaves it unchanged).
		if stepErr != nil && action != "report" && action != "rate" && !reward && id != "" {
			if cur, err := svc.Get(ctx, id); err == nil {
				c = cur
			}
		}
		observe := func(kind string, loc *time.Location) string {
			switch kind {
			case "refused_by":
				if stepErr != nil && rule == "" {
					return "(refused without a rule: " + stepErr.Error() + ")"
				}
				return cmpOr(rule, "(accepted)")
			case "state":
				if reward {
					return string(claim.State)
				}
				return string(c.State)
			case "level":
				return string(c.Level)
			case "owner":
				return string(c.Owner)
			case "deadline":
				if c.Deadline.IsZero() {
					return "(none)"
				}
				return formatTime(c.Deadline.In(loc))
			case "escalations":
				n := 0
				for _, d := range due {
					if d.Kind == escalation.DueEscalate {
						n++
					}
				}
				return fmt.Sprint(n)
			case "amount":
				switch {
				case action == "settle":
					return settled.Total.String()
				case reward:
					return claim.Amount.String()
				}
				return slip.Total.String()
			case "grid":
				return cmpOr(string(c.Location.Unit), "(none)")
			case "score":
				switch {
				case stepErr != nil:
					return "(none)"
				case !rating.Scored:
					return "(not scored)"
				}
				return formatShare(rating.Score)
			case "balance":
				return fund.Balance.String()
			case "paid":
				return fmt.Sprint(len(settled.Paid))
			case "grade":
				return fmt.Sprint(slip.Grade.Grade)
			}
			return ""
		}
		if rec != nil {
			o := Outcome{File: w.file.Path, Line: st.Pos.Line, Scenario: sc.Name, Step: i + 1, Action: action, Values: map[string]string{},
				step: st, at: at, person: string(actor.Person), world: w, scenario: sc}
			switch {
			case c.ID != "":
				o.caseID = string(c.ID)
			case action == "report":
				o.caseID = st.Report.ID
			case !reward && action != "payslip" && action != "rate":
				o.caseID = string(id)
			}
			for _, k := range expectKinds {
				if appliesTo(k, action) {
					o.Values[k] = observe(k, cst)
				}
			}
			*rec = append(*rec, o)
		}
		var refusedExpected bool
		if st.Then != nil {
			for _, e := range st.Then.Expects {
				if e.Kind == "refused_by" {
					refusedExpected = true
				}
			}
		}
		if stepErr != nil && !refusedExpected {
			fail("step", st.Pos, "accepted", "refused_by="+cmpOr(rule, "(no rule)"), stepErr.Error())
			continue
		}
		if st.Then == nil {
			continue
		}
		for _, e := range st.Then.Expects {
			got := observe(e.Kind, e.time.Location())
			if e.Kind == "grade" && strings.Contains(e.Want, "/") {
				got = slip.Grade.Post + "/" + got
			}
			want := e.Want
			if e.Kind == "deadline" {
				want = formatTime(e.time)
			}
			if got == want {
				r.Passes[e.Kind]++
				continue
			}
			detail := ""
			if stepErr != nil && e.Kind != "refused_by" {
				detail = stepErr.Error()
			}
			fail(e.Kind, e.Pos, want, got, detail)
		}
	}
	return nil
}

// command builds the escalation command of a step on an existing case.
func command(st *Step, action string) escalation.Command {
	switch action {
	case "file":
		return escalation.File{Category: st.File.Category, Complexity: escalation.Complexity(st.File.Complexity)}
	case "dispatch":
		return escalation.Dispatch{To: hierarchy.UnitID(st.Dispatch.To), Assignee: personID(st.Dispatch.Assignee)}
	case "accept":
		return escalation.Accept{Note: st.Accept.Note}
	case "return":
		return escalation.Return{Reason: st.Return.Reason}
	case "report_back":
		return escalation.ReportBack{Note: st.ReportBack.Note}
	case "verify":
		return escalation.Verify{Passed: st.Verify.Passed, Reason: st.Verify.Reason}
	case "close":
		return escalation.Close{Note: st.Close.Note}
	case "void":
		return escalation.Void{Reason: st.Void.Reason}
	case "whistle":
		return escalation.BlowWhistle{Type: escalation.WhistleType(st.Whistle.Type), Reason: st.Whistle.Reason}
	case "summon":
		s := escalation.Summon{}
		for _, u := range st.Summon.Units {
			s.Units = append(s.Units, hierarchy.UnitID(u))
		}
		for _, l := range st.Summon.Leaders {
			s.Leaders = append(s.Leaders, personID(l))
		}
		return s
	case "report_in":
		return escalation.ReportIn{Note: st.ReportIn.Note}
	}
	panic("policytest: no command for action " + action) // action() and this switch list the same actions
}

// RuleUnassigned is the rule of a report refused because its point lies in no grid of
// the given layer (nor within the grid policy's nearest-grid distance of one).
const RuleUnassigned = "grid.unassigned"

// formatShare writes a share in millionths as a percentage: 975000 → "97.5%".
func formatShare(ppm int64) string {
	sign := ""
	if ppm < 0 {
		sign, ppm = "-", -ppm
	}
	s := fmt.Sprintf("%d.%04d", ppm/10_000, ppm%10_000)
	return sign + strings.TrimSuffix(strings.TrimRight(s, "0"), ".") + "%"
}
