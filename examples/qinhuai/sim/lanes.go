package sim

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// The lanes of a district (see the package documentation, Lanes). The rewards lane
// runs a day behind: a claim is handed to it on the day its case closes.
const (
	laneEvents = iota
	lanePolice
	laneRewards
	nLanes
)

var laneNames = [nLanes]string{"events", "police", "rewards"}

// laneLag is how many days each lane runs behind the day being generated.
var laneLag = [nLanes]int{0, 0, 1}

// maxLag is the largest of laneLag: a run ends with that many days on which only the
// lagging lanes run.
const maxLag = 1

// laneOf is the lane that runs script s's next step.
func laneOf(s *script) int {
	switch s.Steps[s.Next].Op {
	case opClaim, opApprove, opOpenFund, opSettle:
		return laneRewards
	}
	switch s.Stream {
	case streamFunds:
		return laneRewards
	case streamPolice, streamEpidemic:
		return lanePolice
	}
	return laneEvents
}

// lane is one lane of a district.
type lane struct {
	n       int
	clock   *gridgov.ManualClock
	entropy *bufio.Reader
	svc     services
	// due are the services whose scheduler this lane runs.
	due  []*escalation.Service
	ag   agenda
	tick time.Time // the scheduler's next tick
	// out holds the scripts whose next step is another lane's, handed over when the
	// day's lanes have all finished.
	out []*script
}

// newLane opens lane n of runner r, its clock and scheduler at start.
func (r *runner) newLane(n int, start time.Time) (*lane, error) {
	l := &lane{n: n, clock: gridgov.NewManualClock(start), tick: start}
	l.entropy = bufio.NewReaderSize(dayEntropy{}, 4096)
	var err error
	if l.svc, err = r.openServices(l.clock, gridgov.NewIDGenerator(l.entropy)); err != nil {
		return nil, err
	}
	switch n {
	case laneEvents:
		l.due = []*escalation.Service{l.svc.events}
	case lanePolice:
		l.due = []*escalation.Service{l.svc.police, l.svc.epidemic}
	}
	return l, nil
}

// reseed makes the lane's IDs come from the day's seed and the lane from now on (see
// [runner.reseed]).
func (l *lane) reseed(daySeed uint64) {
	seed := daySeed + uint64(l.n+1)*0x9e3779b97f4a7c15
	l.entropy.Reset(dayEntropy{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))})
}

// runDay runs every step of the lane due before the midnight after day, in time
// order, with the scheduler's ticks in between. A CPU profile (-cpuprofile) labels
// its samples with the lane's name: go tool pprof -tagfocus lane=rewards.
func (r *runner) runDay(ctx context.Context, l *lane, day time.Time) (err error) {
	pprof.Do(ctx, pprof.Labels("lane", laneNames[l.n]), func(ctx context.Context) { err = r.runSteps(ctx, l, day) })
	return err
}

func (r *runner) runSteps(ctx context.Context, l *lane, day time.Time) error {
	l.reseed(r.d.seedFor(r.seed, day))
	end := day.AddDate(0, 0, 1)
	for len(l.ag) > 0 && l.ag.peek().at().Before(end) {
		s := l.ag.pop()
		at := s.at()
		if err := l.ticks(ctx, at); err != nil {
			return err
		}
		l.clock.Set(at)
		if err := r.do(ctx, l, s); err != nil {
			return fmt.Errorf("sim: %s %s step %d (%s) at %s: %w", s.Stream, s.Case, s.Next, s.Steps[s.Next].Op,
				at.Format(time.DateTime), err)
		}
		s.Next++
		if s.Next == len(s.Steps) {
			continue
		}
		if laneOf(s) == l.n {
			l.ag.add(s)
		} else {
			l.out = append(l.out, s)
		}
	}
	return l.ticks(ctx, end)
}

// ticks runs the lane's schedulers at every tick up to and including t.
func (l *lane) ticks(ctx context.Context, t time.Time) error {
	if len(l.due) == 0 {
		return nil
	}
	for ; !l.tick.After(t); l.tick = l.tick.Add(schedulerTick) {
		l.clock.Set(l.tick)
		for _, svc := range l.due {
			if _, err := svc.RunDue(ctx, l.tick); err != nil {
				return fmt.Errorf("sim: scheduler at %s: %w", l.tick.Format(time.DateTime), err)
			}
		}
	}
	return nil
}

// handOver moves the scripts the lanes passed on into the agendas of the lanes that
// run their next steps. A script may only move to a lane that runs behind its own:
// that lane has not yet simulated the day of the script's next step.
func (r *runner) handOver() error {
	for _, l := range r.lanes {
		for _, s := range l.out {
			to := r.lanes[laneOf(s)]
			if laneLag[to.n] <= laneLag[l.n] {
				return fmt.Errorf("sim: %s %s step %d (%s): lane %s hands it to lane %s, which does not run behind it",
					s.Stream, s.Case, s.Next, s.Steps[s.Next].Op, laneNames[l.n], laneNames[to.n])
			}
			to.ag.add(s)
		}
		clear(l.out)
		l.out = l.out[:0]
	}
	return nil
}

// runRound runs the round's work, at once unless serial; the error is the first one
// in the work's order, so that it does not depend on which goroutine failed first.
func runRound(work []func() error, serial bool) error {
	errs := make([]error, len(work))
	if serial {
		for i, w := range work {
			if errs[i] = w(); errs[i] != nil {
				return errs[i]
			}
		}
		return nil
	}
	var wg sync.WaitGroup
	wg.Add(len(work))
	for i, w := range work {
		go func() {
			defer wg.Done()
			errs[i] = w()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
