package evaluation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
)

type caseMap map[escalation.CaseID]escalation.Case

func (m caseMap) Get(_ context.Context, id escalation.CaseID) (escalation.Case, error) {
	c, ok := m[id]
	if !ok {
		return c, gridgov.ErrNotFound
	}
	return c, nil
}

func TestEscalationFacts(t *testing.T) {
	ps, err := escalation.NewPolicySet(escalation.QinhuaiPolicy())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 5, 6, 10, 0, 0, 0, cst)
	c := escalation.Case{ID: "C9", State: escalation.Closed, Owner: deptUM, Location: escalation.Location{Unit: zhongpai},
		History: []escalation.Event{{Seq: 1, At: at.Add(-time.Hour), To: escalation.Reported}, {Seq: 2, At: at.Add(48 * time.Hour), To: escalation.Closed}},
		Whistles: []escalation.Whistle{{Seq: 1, Type: escalation.WhistleEmergency, By: zhongpai, To: qinhong, At: at,
			Concluded: at.Add(3 * time.Hour), Resolved: true,
			Summons: []escalation.Summons{
				{Unit: deptUM, At: at, ReportedAt: at.Add(20 * time.Minute)},
				{Unit: deptMS, At: at, ReportedAt: at.Add(time.Hour)},
			}}}}
	f := evaluation.EscalationFacts{Cases: caseMap{"C9": c}, Policies: ps, Calendar: calendar.Default()}
	w, err := f.Whistle(context.Background(), "C9", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := evaluation.WhistleFact{Case: "C9", Seq: 1, By: zhongpai, To: qinhong, Concluded: at.Add(3 * time.Hour), Resolved: true,
		Summons: []evaluation.SummonFact{
			{Unit: deptUM, At: at, ReportedAt: at.Add(20 * time.Minute), OnTime: true}, // within the emergency whistle's 30 minutes
			{Unit: deptMS, At: at, ReportedAt: at.Add(time.Hour), OnTime: false},       // an hour: late
		}}
	if diff := cmp.Diff(want, w); diff != "" {
		t.Errorf("Whistle() mismatch (-want +got):\n%s", diff)
	}
	k, err := f.Case(context.Background(), "C9")
	if err != nil || !k.ClosedAt.Equal(at.Add(48*time.Hour)) || k.Owner != deptUM || k.Unit != zhongpai {
		t.Errorf("Case() = %+v, %v; want closed two days after the whistle by %s", k, err, deptUM)
	}
	if _, err := f.Whistle(context.Background(), "C9", 2); !errors.Is(err, gridgov.ErrNotFound) {
		t.Errorf("Whistle(C9#2) = %v, want not found", err)
	}
	if _, err := f.Case(context.Background(), "C10"); !errors.Is(err, gridgov.ErrNotFound) {
		t.Errorf("Case(C10) = %v, want not found", err)
	}
}
