package escalation_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
)

// TestApply_CommandsValidatedFirst: a malformed command is ErrInvalid in every state,
// decided before the state, the actor or the store are looked at.
func TestApply_CommandsValidatedFirst(t *testing.T) {
	p := policy()
	at := func(mut func(l *escalation.Location)) escalation.Report {
		r := report("V1")
		mut(&r.Location)
		return r
	}
	refuse(t, &p, escalation.Case{}, t0, []refusal{
		{"NaNPoint", act("gw1"), at(func(l *escalation.Location) { l.Point = escalation.Point{Lon: math.NaN(), Lat: 32.02} }),
			gridgov.ErrInvalid, "report.point", "NaN is no coordinate; it failed only when stored, and not as ErrInvalid"},
		{"InfPoint", act("gw1"), at(func(l *escalation.Location) { l.Point = escalation.Point{Lon: 118.79, Lat: math.Inf(1)} }),
			gridgov.ErrInvalid, "report.point", "infinity is no coordinate"},
		{"LatitudeOutOfRange", act("gw1"), at(func(l *escalation.Location) { l.Point = escalation.Point{Lon: 118.79, Lat: 1000} }),
			gridgov.ErrInvalid, "report.point", "latitude lies in [-90, 90]"},
		{"UnknownDatum", act("gw1"), at(func(l *escalation.Location) { l.Point, l.Datum = escalation.Point{Lon: 118.79, Lat: 32.02}, "utm50n" }),
			gridgov.ErrInvalid, "report.datum", "a point in an unknown datum would be placed hundreds of metres off"},
		{"FollowUpOfItself", act("gw1"), func() escalation.Report { r := report("V1"); r.FollowUpOf = "V1"; return r }(),
			gridgov.ErrInvalid, "report.follow-up", "a case cannot follow up itself"},
		{"UnknownAction", act("gw1"), actionCommand("fly"), gridgov.ErrInvalid, "command.unknown",
			"an action outside the set is a malformed command, not a state precondition"},
	})
	ok := at(func(l *escalation.Location) {
		l.Point, l.Datum = escalation.Point{Lon: 118.79, Lat: 32.02}, escalation.DatumGCJ02
	})
	if _, _, err := p.Apply(escalation.Case{}, ok, t0, env(t, act("gw1"))); err != nil {
		t.Errorf("Apply(report in GCJ-02) = %v, want nil", err)
	}
	// On a closed case the state would refuse these too; the malformed command says so first.
	closed, last := caseIn(t, &p, escalation.Closed, false)
	refuse(t, &p, closed, last.Add(time.Hour), []refusal{
		{"VoidWithoutReasonWhenClosed", act("qhdisp"), escalation.Void{}, gridgov.ErrInvalid, "void.reason", "the missing reason is the first problem"},
		{"ForeignCommandWhenClosed", act("qhdisp"), actionCommand(escalation.ActionFile), gridgov.ErrInvalid, "command.unknown", "the command set is closed"},
		{"WarnUnknownStep", system, escalation.Warn{Step: "lunch"}, gridgov.ErrInvalid, "warn.step", "timers are named by real steps"},
	})
}

// actionCommand is a Command from outside the package naming action a.
type actionCommand escalation.Action

func (a actionCommand) Action() escalation.Action { return escalation.Action(a) }

// TestService_FollowUpMustExist: a follow-up names a stored, closed case; the pure
// Apply cannot look it up, the service does.
func TestService_FollowUpMustExist(t *testing.T) {
	ctx := context.Background()
	s, clock := newService(t, t0, 0)
	open, _, err := s.Report(ctx, act("gw1"), report(""))
	require.NoError(t, err)
	clock.Set(t0.Add(time.Hour))
	tests := []struct {
		name     string
		of       escalation.CaseID
		kind     error
		rule     string
		reason   string
		mutateFn func(r *escalation.Report)
	}{
		{"NoSuchCase", "01NOSUCHCASE0000000000000", gridgov.ErrNotFound, "report.follow-up", "a follow-up of nothing is a dangling link", nil},
		{"OpenCase", open.ID, gridgov.ErrPrecondition, "report.follow-up-open", "an open case is handled itself, not followed up", nil},
		{"NaNThroughService", "", gridgov.ErrInvalid, "report.point", "refused at Apply as ErrInvalid, not by the store's encoder",
			func(r *escalation.Report) { r.Location.Point = escalation.Point{Lon: math.NaN(), Lat: math.NaN()} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := report("")
			r.FollowUpOf = tt.of
			if tt.mutateFn != nil {
				tt.mutateFn(&r)
			}
			_, _, err := s.Report(ctx, act("gw1"), r)
			if !errors.Is(err, tt.kind) || gridgov.RuleOf(err) != tt.rule {
				t.Fatalf("Report(follow-up of %q) = %v, want %v by rule %s (%s)", tt.of, err, tt.kind, tt.rule, tt.reason)
			}
		})
	}
	all, err := s.List(ctx, escalation.Query{})
	require.NoError(t, err)
	if len(all) != 1 {
		t.Errorf("the refused reports stored cases: %d cases, want 1", len(all))
	}
}

// TestPolicy_ValidateBounds: absurd limits and escalation points do not validate, so
// no deadline or escalation instant can overflow or land decades away.
func TestPolicy_ValidateBounds(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		mutate func(p *escalation.Policy)
		want   string
	}{
		{"WorkingDaysHuge", "a billion working days is a typing error",
			func(p *escalation.Policy) { p.Deadlines[3].Limit = escalation.WorkingDaysLimit(1_000_000_000) },
			"deadlines[3].limit.working_days: must be <= 3650"},
		{"WorkingDaysJustOver", "the bound is exact",
			func(p *escalation.Policy) {
				p.Deadlines[3].Limit = escalation.WorkingDaysLimit(escalation.MaxWorkingDays + 1)
			},
			"deadlines[3].limit.working_days: must be <= 3650"},
		{"WorkingTimeHuge", "working time is bounded like working days",
			func(p *escalation.Policy) { p.Deadlines[0].Limit = escalation.WorkingTimeLimit(100_000 * time.Hour) },
			"deadlines[0].limit.working_time: must be <="},
		{"ClockTimeHuge", "clock time too",
			func(p *escalation.Policy) { p.Deadlines[5].Limit = escalation.ClockTimeLimit(math.MaxInt64) },
			"deadlines[5].limit.clock_time: must be <="},
		{"WhistleHuge", "whistle limits are limits",
			func(p *escalation.Policy) {
				r := p.Whistle.Types[escalation.WhistleRoutine]
				r.Resolve = escalation.WorkingDaysLimit(99999)
				p.Whistle.Types[escalation.WhistleRoutine] = r
			},
			"whistle.types[routine].resolve.working_days: must be <= 3650"},
		{"EscalationPointHuge", "a case rises for the last time by ten times its limit",
			func(p *escalation.Policy) { p.Escalation.At = []int{100, 150, 5000} },
			"escalation.at[2]: must be <= 1000"},
		{"EscalationTooManyPoints", "a point past the top level is never reached",
			func(p *escalation.Policy) { p.Escalation.At = []int{100, 150, 200, 250} },
			"escalation.at: has 4 points for 4 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := escalation.QinhuaiPolicy()
			tt.mutate(&p)
			if err := p.Validate(); !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %q (%s)", err, tt.want, tt.reason)
			}
		})
	}
	// At the bounds a policy validates and its instants stay ordered.
	p := policy()
	p.Deadlines[3].Limit = escalation.WorkingDaysLimit(escalation.MaxWorkingDays)
	p.Escalation.At = []int{100, 500, escalation.MaxEscalationPoint}
	require.NoError(t, p.Validate())
	c := run(t, &p, escalation.Case{}, loop("B1", t0)[:3]...)
	if !c.Deadline.After(t0.AddDate(10, 0, 0)) || !c.NextCheck.After(t0) {
		t.Errorf("at the bounds: Deadline %s, NextCheck %s; want a deadline over ten years on and a later check", c.Deadline, c.NextCheck)
	}
}
