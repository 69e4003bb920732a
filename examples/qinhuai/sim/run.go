package sim

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/identity"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/profile"
	"github.com/gridgov/gridgov/rewards"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

// Options configure Run. The zero value simulates Qinhuai's year 2025 on the
// embedded profile, in memory, with seed 0.
type Options struct {
	// Seed drives every random draw of the year; the same seed gives the same year.
	Seed int64
	// Profile holds the district's rules; nil means the embedded Qinhuai profile
	// (profile.Default).
	Profile *profile.Profile
	// Scale is the number of districts simulated, each a copy of Qinhuai under one of
	// Nanjing's district codes (a city of N districts); 0 or 1 means Qinhuai alone,
	// at most [MaxScale].
	Scale int
	// Backend stores every record; nil means a new in-memory store. A backend that
	// already holds a run's progress continues it (see Months).
	Backend store.Backend
	// Progress, when set, receives a progress line (ending in "\r") as each simulated
	// week ends, and a last line ending in "\n".
	Progress io.Writer
	// Year is the simulated year; default 2025. It must be one the profile's calendar
	// covers.
	Year int
	// Months is how many months this run simulates, from where the stored progress
	// stopped (January on a fresh store); 0 means to the end of the year. A run on a
	// store whose year is complete simulates nothing and reports what is stored.
	Months int
	// Days, when set, simulates this many days from where the stored progress stopped
	// instead of Months: a short period for tests and trials.
	Days int
	// Now is the wall clock used only to time the run for Report.Elapsed; nil leaves
	// Elapsed zero. The simulated time is the simulation's own clock.
	Now func() time.Time
	// Serial runs a day's lanes (see the package documentation, Lanes) one after
	// another on the calling goroutine instead of one goroutine each; the report and
	// the stored records are the same either way.
	Serial bool
}

// schedulerTick is how often the district's scheduler calls RunDue.
const schedulerTick = 30 * time.Minute

// progressCollection holds one document per district: the last simulated day and the
// scripts still under way.
const progressCollection = "sim.progress"

// progress is what a run leaves for the next one on the same store.
type progress struct {
	Seed    int64     `json:"seed"`
	Year    int       `json:"year"`
	Profile string    `json:"profile"`
	Done    time.Time `json:"done"` // midnight after the last simulated day
	Seq     int64     `json:"seq"`
	// Evaluated is set once the complete year's overall evaluations are recorded.
	Evaluated bool      `json:"evaluated,omitempty"`
	Pending   []*script `json:"pending"`
}

// services are one district's services over the backend.
type services struct {
	events, police, epidemic *escalation.Service
	mediation                *mediation.Service
	rewards                  *rewards.Service
	evaluation               *evaluation.Service
}

// runner simulates one district: its lanes simulate the days, and its own clock and
// services record and read the year end.
type runner struct {
	d     *district
	b     store.Backend
	seed  int64
	year  int
	clock *gridgov.ManualClock
	prog  progress
	lanes [nLanes]*lane
	// drawn are the scripts of the next day, drawn while the lanes run a day.
	drawn []*script
	svc   services
	ps    *escalation.PolicySet
	// entropy feeds the year end's ID generator; reseed points it at a day's seed.
	entropy *bufio.Reader
	// listed holds the events' cases as the year end read them (see yearCases).
	listed *listedCases
}

// Run simulates the year (or the part Months asks for) and returns the report of
// everything the backend holds. It fails on the first command a service refuses
// that the simulation meant to succeed: a refusal is a finding, never skipped.
func Run(ctx context.Context, o Options) (*Report, error) {
	var start time.Time
	if o.Now != nil {
		start = o.Now()
	}
	p := o.Profile
	if p == nil {
		var err error
		if p, err = profile.Default(); err != nil {
			return nil, err
		}
	}
	scale := o.Scale
	if scale == 0 {
		scale = 1
	}
	if scale < 1 || scale > MaxScale {
		return nil, fmt.Errorf("sim: scale %d: must be 1–%d: %w", o.Scale, MaxScale, gridgov.ErrInvalid)
	}
	if o.Months < 0 || o.Months > 12 {
		return nil, fmt.Errorf("sim: months %d: must be 0–12: %w", o.Months, gridgov.ErrInvalid)
	}
	year := o.Year
	if year == 0 {
		year = 2025
	}
	b := o.Backend
	if b == nil {
		b = memstore.New()
	}
	var runners []*runner
	for n := range scale {
		d, err := buildDistrict(p, n)
		if err != nil {
			return nil, err
		}
		r, err := newRunner(ctx, d, b, o.Seed, year)
		if err != nil {
			return nil, err
		}
		runners = append(runners, r)
	}
	yearStart := time.Date(year, 1, 1, 0, 0, 0, 0, runners[0].d.cal.Location())
	yearEnd := yearStart.AddDate(1, 0, 0)
	from := runners[0].prog.Done
	for _, r := range runners[1:] {
		if !r.prog.Done.Equal(from) {
			return nil, fmt.Errorf("sim: stored progress differs between districts (%s, %s): %w",
				from.Format(time.DateOnly), r.prog.Done.Format(time.DateOnly), gridgov.ErrInvalid)
		}
	}
	to := yearEnd
	if o.Days < 0 {
		return nil, fmt.Errorf("sim: days %d: must not be negative: %w", o.Days, gridgov.ErrInvalid)
	}
	if o.Days > 0 {
		to = from.AddDate(0, 0, o.Days)
		if to.After(yearEnd) {
			to = yearEnd
		}
	} else if o.Months > 0 {
		to = time.Date(from.Year(), from.Month()+time.Month(o.Months), 1, 0, 0, 0, 0, from.Location())
		if to.After(yearEnd) {
			to = yearEnd
		}
	}
	days := int(yearEnd.Sub(yearStart).Hours()/24 + 0.5)
	// Round day runs each lane on its day: day itself, or a day before for a lane that
	// runs behind; meanwhile it draws the next day's items, which depend on nothing
	// the lanes write. The rounds after the last day let the lagging lanes catch up,
	// so that every lane stops at to.
	if from.Before(to) {
		for _, r := range runners {
			if err := r.generate(from, days); err != nil {
				return nil, err
			}
		}
	}
	var work []func() error
	for day := from; day.Before(to.AddDate(0, 0, maxLag)); day = day.AddDate(0, 0, 1) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		work = work[:0]
		for _, r := range runners {
			r.give()
			for _, l := range r.lanes {
				if ld := day.AddDate(0, 0, -laneLag[l.n]); !ld.Before(from) && ld.Before(to) {
					work = append(work, func() error { return r.runDay(ctx, l, ld) })
				}
			}
			if next := day.AddDate(0, 0, 1); next.Before(to) {
				work = append(work, func() error { return r.generate(next, days) })
			}
		}
		if err := runRound(work, o.Serial); err != nil {
			return nil, err
		}
		for _, r := range runners {
			if err := r.handOver(); err != nil {
				return nil, err
			}
		}
		if o.Progress != nil && day.Before(to) && (day.Weekday() == time.Sunday || !day.AddDate(0, 0, 1).Before(to)) {
			fmt.Fprintf(o.Progress, "\rsimulating %d district(s): %s, %3d%% of the year", scale, day.Format(time.DateOnly),
				int(day.Sub(yearStart).Hours()/24+1)*100/days)
		}
	}
	for _, r := range runners {
		// The year end's IDs come from a seed of their own, the same in a resumed run.
		r.reseed(r.d.seedFor(r.seed, to))
	}
	pre := make([]*reads, len(runners))
	for i, r := range runners {
		pre[i] = r.startReads(ctx, yearStart, to)
	}
	for _, r := range runners {
		if to.Equal(yearEnd) && !r.prog.Evaluated {
			if err := r.recordOverall(ctx, yearStart, yearEnd); err != nil {
				return nil, err
			}
			r.prog.Evaluated = true
		}
		if err := r.save(ctx, to); err != nil {
			return nil, err
		}
	}
	if o.Progress != nil {
		fmt.Fprintln(o.Progress)
	}
	rep, err := report(ctx, runners, yearStart, to, pre)
	if err != nil {
		return nil, err
	}
	if o.Now != nil {
		rep.Elapsed = o.Now().Sub(start)
	}
	return rep, nil
}

// newRunner opens a district's services and reads its stored progress.
func newRunner(ctx context.Context, d *district, b store.Backend, seed int64, year int) (*runner, error) {
	yearStart := time.Date(year, 1, 1, 0, 0, 0, 0, d.cal.Location())
	if !d.cal.Covers(yearStart) || !d.cal.Covers(yearStart.AddDate(1, 0, -1)) {
		return nil, fmt.Errorf("sim: year %d is not covered by the calendar of profile %s: %w", year, d.prof.Name, gridgov.ErrInvalid)
	}
	r := &runner{d: d, b: b, seed: seed, year: year, clock: gridgov.NewManualClock(yearStart)}
	ps, err := escalation.NewPolicySet(d.prof.Escalation)
	if err != nil {
		return nil, err
	}
	r.ps = ps
	col := store.NewCollection[progress](b, progressCollection, nil)
	v, err := col.Get(ctx, d.code)
	switch {
	case errors.Is(err, store.ErrNotFound):
		r.prog = progress{Seed: seed, Year: year, Profile: d.prof.Name, Done: yearStart}
	case err != nil:
		return nil, fmt.Errorf("sim: read progress: %w", err)
	default:
		r.prog = v.Value
		if r.prog.Seed != seed || r.prog.Year != year || r.prog.Profile != d.prof.Name {
			return nil, fmt.Errorf("sim: the store holds a run of seed %d, year %d, profile %s; this run asks for seed %d, year %d, profile %s: %w",
				r.prog.Seed, r.prog.Year, r.prog.Profile, seed, year, d.prof.Name, gridgov.ErrInvalid)
		}
		r.prog.Done = r.prog.Done.In(d.cal.Location())
	}
	if err := r.open(); err != nil {
		return nil, err
	}
	for _, s := range r.prog.Pending {
		if s.Next < 0 || s.Next >= len(s.Steps) {
			return nil, fmt.Errorf("sim: stored progress: script %d of stream %s is at step %d of %d: %w",
				s.Seq, s.Stream, s.Next, len(s.Steps), gridgov.ErrInvalid)
		}
		r.lanes[laneOf(s)].ag.add(s)
	}
	r.prog.Pending = nil
	return r, nil
}

// seedFor derives the seed of one simulated day from the run's seed, the district
// and the day, so that a run resumed on that day draws what an uninterrupted one
// would.
func (d *district) seedFor(seed int64, day time.Time) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s/%s", seed, d.code, day.Format(time.DateOnly))
	return h.Sum64()
}

// dayEntropy is the byte stream of gridgov.NewSeededIDGenerator(seed): each byte the
// low byte of one PCG draw.
type dayEntropy struct{ r *rand.Rand }

func (e dayEntropy) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e.r.Uint32())
	}
	return len(p), nil
}

// reseed makes the services' IDs come from seed from now on, as a generator made by
// gridgov.NewSeededIDGenerator(seed) would issue them. Each day starts from its own
// seed, so a resumed run issues the same IDs as an uninterrupted one, while the
// services (and the caches they keep) live for the whole run: reopening them every
// day threw away their caches of fund books and case heads 365 times a year. The
// ULID generator buffers its entropy in the *bufio.Reader it is given (it reuses one
// of the default size rather than wrapping it again), so resetting that reader drops
// what the previous day had read ahead.
func (r *runner) reseed(seed uint64) {
	r.entropy.Reset(dayEntropy{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))})
}

// open opens the district's services once for the run, the year end's and each
// lane's; reseed sets their ID source for each day.
func (r *runner) open() error {
	r.entropy = bufio.NewReaderSize(dayEntropy{}, 4096)
	var err error
	if r.svc, err = r.openServices(r.clock, gridgov.NewIDGenerator(r.entropy)); err != nil {
		return err
	}
	for n := range r.lanes {
		if r.lanes[n], err = r.newLane(n, r.prog.Done); err != nil {
			return err
		}
	}
	return nil
}

// openServices opens the district's services on clock and ids.
func (r *runner) openServices(clock *gridgov.ManualClock, ids *gridgov.IDGenerator) (services, error) {
	d := r.d
	prefix := d.code + "."
	var svc services
	var err error
	esc := func(name string) (*escalation.Service, error) {
		return escalation.NewService(r.b, r.ps, d.tree, d.cal, &escalation.ServiceOptions{Clock: clock, IDs: ids,
			Beats: d.beatsByUnit, Collection: prefix + "escalation." + name})
	}
	if svc.events, err = esc(streamEvents); err != nil {
		return svc, err
	}
	if svc.police, err = esc(streamPolice); err != nil {
		return svc, err
	}
	if svc.epidemic, err = esc(streamEpidemic); err != nil {
		return svc, err
	}
	if svc.mediation, err = mediation.NewService(r.b, d.prof.Mediation, d.network, d.cal, &mediation.ServiceOptions{
		Clock: clock, IDs: ids, Cases: prefix + "mediation.cases", Activities: prefix + "mediation.activities"}); err != nil {
		return svc, err
	}
	if svc.rewards, err = rewards.NewService(r.b, d.prof.Rewards, d.tree, clock, ids,
		&rewards.ServiceOptions{Prefix: prefix + "rewards."}); err != nil {
		return svc, err
	}
	if svc.evaluation, err = r.evaluationService(clock, svc.events); err != nil {
		return svc, err
	}
	return svc, nil
}

// save stores the progress: the day the run reached and what is still under way.
func (r *runner) save(ctx context.Context, done time.Time) error {
	r.prog.Done = done
	r.prog.Pending = nil
	for _, l := range r.lanes {
		r.prog.Pending = append(r.prog.Pending, l.ag.scripts()...)
	}
	col := store.NewCollection[progress](r.b, progressCollection, nil)
	_, err := col.Update(ctx, r.d.code, func(progress, bool) (progress, error) { return r.prog, nil })
	if err != nil {
		return fmt.Errorf("sim: save progress: %w", err)
	}
	return nil
}

// generate draws the day's new items, for give.
func (r *runner) generate(day time.Time, days int) error {
	seed := r.d.seedFor(r.seed, day)
	g := &dayGen{d: r.d, r: rand.New(rand.NewPCG(seed, uint64(r.seed))), day: day, year: r.year, days: days,
		seq: &r.prog.Seq}
	if err := g.generate(); err != nil {
		return err
	}
	r.drawn = g.out
	return nil
}

// give gives each script generate drew to the lane of its first step.
func (r *runner) give() {
	for _, s := range r.drawn {
		r.lanes[laneOf(s)].ag.add(s)
	}
	r.drawn = nil
}

// do runs the script's next step through lane l's service.
func (r *runner) do(ctx context.Context, l *lane, s *script) error {
	st := s.Steps[s.Next]
	switch s.Stream {
	case streamEvents, streamPolice, streamEpidemic:
		svc := l.svc.events
		switch s.Stream {
		case streamPolice:
			svc = l.svc.police
		case streamEpidemic:
			svc = l.svc.epidemic
		}
		switch st.Op {
		case opReport:
			c, _, err := svc.Report(ctx, st.Actor, *s.Report)
			if err != nil {
				return err
			}
			s.Case = string(c.ID)
			return nil
		case opClaim:
			in := *s.Claim
			in.Source = rewards.Source{Kind: "case", ID: s.Case}
			c, err := l.svc.rewards.Submit(ctx, st.Actor, in)
			if err != nil {
				return err
			}
			s.ClaimID = c.ID
			if c.State == rewards.StateRejected {
				s.Steps = s.Steps[:s.Next+1] // a duplicate: nothing to approve
			}
			return nil
		case opApprove:
			_, err := l.svc.rewards.Approve(ctx, s.ClaimID, st.Actor)
			return err
		case opRate:
			answers := map[string]string{}
			for i, c := range []string{"response", "cooperation", "results", "attitude"} {
				answers[c] = answerKeys[st.Kind[i]]
			}
			_, err := l.svc.evaluation.Rate(ctx, evaluation.RatingInput{Rule: evaluation.RuleStreetWhistle, Rater: st.Actor,
				Subject: hierarchy.UnitRef(st.Units[0]), Answers: answers,
				Target: evaluation.Target{Kind: evaluation.TargetWhistle, Case: s.Case, Whistle: 1}})
			return err
		}
		cmd, err := r.command(s, st)
		if err != nil {
			return err
		}
		_, _, err = svc.Do(ctx, escalation.CaseID(s.Case), st.Actor, cmd)
		return err
	case streamFunds:
		switch st.Op {
		case opOpenFund:
			f, err := l.svc.rewards.OpenFund(ctx, st.Actor, *s.Fund)
			s.FundID = f.ID
			return err
		case opSettle:
			_, err := l.svc.rewards.Settle(ctx, s.FundID, st.Actor)
			if errors.Is(err, gridgov.ErrNotFound) {
				return fmt.Errorf("fund %s was never opened: %w", s.FundID, err)
			}
			return err
		}
	case streamActivity:
		a := *s.Activity
		a.By, a.At = st.Actor.Person, st.At
		_, err := l.svc.mediation.RecordActivity(ctx, st.Actor, a)
		return err
	case streamSecondees:
		return r.reverseRate(ctx, l, s, st)
	case streamDispute:
		if st.Op == opOpen {
			o := *s.Open
			o.Parties = slices.Clone(o.Parties)
			for k := range o.Parties {
				// The parties' resident IDs are drawn from the script's sequence when the
				// case opens, never stored with the progress: a party's ID number is
				// personal data that only the mediation store keeps.
				id, err := identity.ParseResidentID(residentID(r.d.code, s.Seq, k))
				if err != nil {
					return err
				}
				o.Parties[k].IDNumber = id
			}
			c, err := l.svc.mediation.Open(ctx, st.Actor, o)
			s.Case = string(c.ID)
			return err
		}
		var cmd mediation.Command
		switch st.Op {
		case opMAccept:
			cmd = mediation.Accept{}
		case opAssign:
			cmd = mediation.Assign{Person: st.Who, How: mediation.Chosen, ChosenBy: []mediation.PartyID{"p1", "p2"}}
		case opSession:
			cmd = mediation.HoldSession{Parties: []mediation.PartyID{"p1", "p2"}, Mediators: []hierarchy.PersonID{st.Who},
				Minutes: "听取双方陈述"}
		case opDraft:
			cmd = *s.Draft
		case opSignParty:
			cmd = mediation.Sign{Party: mediation.PartyID(st.Party)}
		case opSignMed:
			cmd = mediation.Sign{Mediator: st.Who}
		case opSeal:
			cmd = mediation.Seal{}
		case opFail:
			cmd = mediation.Fail{Reason: mediation.FailNoAgreement}
		default:
			return fmt.Errorf("unknown op %q", st.Op)
		}
		_, _, err := l.svc.mediation.Do(ctx, mediation.CaseID(s.Case), st.Actor, cmd)
		return err
	}
	return fmt.Errorf("unknown op %q of stream %q", st.Op, s.Stream)
}

// command is the escalation command of a step.
func (r *runner) command(s *script, st step) (escalation.Command, error) {
	switch st.Op {
	case opFile:
		return escalation.File{}, nil
	case opDispatch:
		return escalation.Dispatch{}, nil
	case opAccept:
		return escalation.Accept{}, nil
	case opReportBack:
		return escalation.ReportBack{}, nil
	case opVerify:
		if !st.OK {
			return escalation.Verify{Reason: "not done as reported"}, nil
		}
		return escalation.Verify{Passed: true}, nil
	case opClose:
		return escalation.Close{}, nil
	case opWhistle:
		return escalation.BlowWhistle{Type: escalation.WhistleType(st.Kind), Reason: "needs district departments"}, nil
	case opSummon:
		return escalation.Summon{Units: st.Units}, nil
	case opReportIn:
		return escalation.ReportIn{}, nil
	case opConclude:
		outcome := "solved"
		if !st.OK {
			outcome = "not solved at this level"
		}
		return escalation.ConcludeWhistle{Resolved: st.OK, Outcome: outcome}, nil
	}
	return nil, fmt.Errorf("unknown op %q", st.Op)
}

// residentID is a synthetic but well-formed resident ID (GB 11643) of party k of
// script seq: the district's area code, a birth date between 1940 and 2004, a
// sequence and the ISO 7064 MOD 11-2 check character.
func residentID(area string, seq int64, k int) string {
	h := uint64(seq)*2654435761 + uint64(k)*40503
	birth := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(h%23000))
	body := fmt.Sprintf("%s%s%03d", area, birth.Format("20060102"), (h/23000)%1000)
	sum := 0
	for i, c := range body {
		w := 1
		for range 17 - i {
			w = w * 2 % 11
		}
		sum += int(c-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}
