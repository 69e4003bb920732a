package mediation_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
)

const dayLen = 24 * time.Hour

// statsCases builds six cases whose September 2025 counts are worked out by hand in
// TestSummarize.
func statsCases(t *testing.T, w world) []mediation.Case {
	both := []mediation.PartyID{"p1", "p2"}
	open := func(id mediation.CaseID, room mediation.RoomID, d mediation.DisputeType) mediation.Open {
		o := openCmd(room, d)
		o.ID = id
		return o
	}
	session := func(m hierarchy.PersonID) mediation.HoldSession {
		return mediation.HoldSession{Parties: both, Mediators: []hierarchy.PersonID{m}, Minutes: "调解"}
	}
	return []mediation.Case{
		// A: 莲子营, accepted 1 Sep 10:00, oral agreement 5 Sep 10:00 (4 days, on time),
		// confirmed by the court, a breach found on the first visit and one reported.
		w.run(t, mediation.Case{}, []step{
			{by: "m3a", at: day(2025, 9, 1, 9, 0), cmd: open("A", rLZY, mediation.DisputeNeighbour)},
			{by: "m3a", at: day(2025, 9, 1, 10, 0), cmd: mediation.Accept{}},
			{by: "m3a", at: day(2025, 9, 1, 10, 0), cmd: mediation.Assign{Person: "m3a", How: mediation.Appointed}},
			{by: "m3a", at: day(2025, 9, 3, 10, 0), cmd: session("m3a")},
			{by: "m3a", at: day(2025, 9, 5, 10, 0), cmd: oral("赔偿")},
			{by: "m3a", at: day(2025, 9, 8, 10, 0), cmd: mediation.ApplyConfirmation{Parties: both, Court: "秦淮区人民法院"}},
			{by: "m3a", at: day(2025, 9, 10, 10, 0), cmd: mediation.RecordConfirmation{Confirmed: true}},
			{by: "m3a", at: day(2025, 9, 12, 10, 0), cmd: mediation.RecordVisit{Visit: 0, Finding: mediation.Breached, Party: "p2"}},
			{by: "m3a", at: day(2025, 9, 15, 10, 0), cmd: mediation.RecordBreach{Party: "p2"}},
		}),
		// B: 莲子营 accepts 2 Sep 09:00, m3b refers it up on 3 Sep, 夫子庙 fails it on
		// 8 Sep 09:00 (6 days from the first acceptance, on time).
		w.run(t, mediation.Case{}, []step{
			{by: "m3a", at: day(2025, 9, 2, 9, 0), cmd: open("B", rLZY, mediation.DisputeFamily)},
			{by: "m3a", at: day(2025, 9, 2, 9, 0), cmd: mediation.Accept{}},
			{by: "m3a", at: day(2025, 9, 2, 9, 0), cmd: mediation.Assign{Person: "m3b", How: mediation.Appointed}},
			{by: "m3b", at: day(2025, 9, 3, 9, 0), cmd: mediation.Refer{To: rFZM, Direction: mediation.Up, Reason: "复杂"}},
			{by: "m2a", at: day(2025, 9, 3, 10, 0), cmd: mediation.Accept{}},
			{by: "m2a", at: day(2025, 9, 3, 10, 0), cmd: mediation.Assign{Person: "m2a", How: mediation.Appointed}},
			{by: "m2a", at: day(2025, 9, 5, 10, 0), cmd: session("m2a")},
			{by: "m2a", at: day(2025, 9, 8, 9, 0), cmd: mediation.Fail{Reason: mediation.FailNoAgreement}},
		}),
		// C: 东水关 refuses on 2 Sep.
		w.run(t, mediation.Case{}, []step{
			{by: "m4a", at: day(2025, 9, 2, 9, 0), cmd: open("C", rDSG, mediation.DisputeLabour)},
			{by: "m4a", at: day(2025, 9, 2, 11, 0), cmd: mediation.Refuse{Ground: mediation.GroundOutsideScope}},
		}),
		// D: 莲子营 accepts 20 Sep, reports it to the police on 23 Sep; still mediating.
		w.run(t, mediation.Case{}, []step{
			{by: "m3a", at: day(2025, 9, 20, 9, 0), cmd: open("D", rLZY, mediation.DisputeNeighbour)},
			{by: "m3a", at: day(2025, 9, 20, 9, 0), cmd: mediation.Accept{}},
			{by: "m3a", at: day(2025, 9, 20, 9, 0), cmd: mediation.Assign{Person: "m3a", How: mediation.Appointed}},
			{by: "m3a", at: day(2025, 9, 22, 9, 0), cmd: session("m3a")},
			{by: "m3a", at: day(2025, 9, 23, 9, 0), cmd: mediation.ReportToPolice{To: uPolice, Reason: "扬言动手"}},
		}),
		// E: 东水关 accepted 25 July (deadline 25 August), fails on 2 September: late,
		// 39 days.
		w.run(t, mediation.Case{}, []step{
			{by: "m4a", at: day(2025, 7, 25, 9, 0), cmd: open("E", rDSG, mediation.DisputeProperty)},
			{by: "m4a", at: day(2025, 7, 25, 9, 0), cmd: mediation.Accept{}},
			{by: "m4a", at: day(2025, 7, 25, 9, 0), cmd: mediation.Assign{Person: "m4a", How: mediation.Appointed}},
			{by: "m4a", at: day(2025, 8, 1, 9, 0), cmd: session("m4a")},
			{by: "m4a", at: day(2025, 9, 2, 9, 0), cmd: mediation.Fail{Reason: mediation.FailTimeLimit}},
		}),
		// F: the police station's room accepts a traffic case on 25 Sep; agreed in October.
		w.run(t, mediation.Case{}, []step{
			{by: "m5a", at: day(2025, 9, 25, 9, 0), cmd: open("F", rPolice, mediation.DisputeTraffic)},
			{by: "m5a", at: day(2025, 9, 25, 9, 0), cmd: mediation.Accept{}},
			{by: "m5a", at: day(2025, 9, 25, 9, 0), cmd: mediation.Assign{Person: "m5a", How: mediation.Appointed}},
			{by: "m5a", at: day(2025, 9, 26, 9, 0), cmd: session("m5a")},
			{by: "m5a", at: day(2025, 10, 2, 9, 0), cmd: oral("赔偿")},
		}),
	}
}

func statsActivities() []mediation.Activity {
	return []mediation.Activity{
		{ID: "a1", Kind: mediation.Consultation, Room: rLZY, By: "m3b", At: day(2025, 9, 10, 9, 0), Topic: "租赁合同", People: 1},
		{ID: "a2", Kind: mediation.Training, Room: rLZY, By: "m3b", At: day(2025, 9, 11, 9, 0), Topic: "民法典进社区", People: 40},
		{ID: "a3", Kind: mediation.Consultation, Room: rDistrict, By: "m1b", At: day(2025, 10, 5, 9, 0), Topic: "继承", People: 2},
	}
}

func TestSummarize(t *testing.T) {
	w := newWorld(t)
	sept := mediation.Period{From: day(2025, 9, 1, 0, 0), To: day(2025, 10, 1, 0, 0)}
	got := mediation.Summarize(w.net, sept, statsCases(t, w), statsActivities())

	// 莲子营: A, B, D accepted; A agreed; B referred up; D reported to the police; A's
	// confirmation and breaches; m3b's consultation and training.
	lzy := mediation.Stats{Cases: 3, Concluded: 1, Agreed: 1, OnTime: 1, TotalDuration: 4 * dayLen,
		ReferredUp: 1, ReportedToPolice: 1, Confirmed: 1, VisitBreaches: 1, Breaches: 2, Consultations: 1, Trainings: 1}
	fzm := mediation.Stats{Cases: 1, Concluded: 1, Failed: 1, OnTime: 1, TotalDuration: 6 * dayLen, ReferredIn: 1}
	dsg := mediation.Stats{Refused: 1, Concluded: 1, Failed: 1, TotalDuration: 39 * dayLen}
	police := mediation.Stats{Cases: 1}
	// The street's subtree holds every room that saw September's work; B counts once in
	// its Cases though two of its rooms accepted it.
	street := mediation.Stats{Cases: 4, Refused: 1, Concluded: 3, Agreed: 1, Failed: 2, OnTime: 2, TotalDuration: 49 * dayLen,
		ReferredUp: 1, ReferredIn: 1, ReportedToPolice: 1, Confirmed: 1, VisitBreaches: 1, Breaches: 2, Consultations: 1, Trainings: 1}
	want := mediation.Report{
		Period: sept,
		Total:  street,
		Rooms:  map[mediation.RoomID]mediation.Stats{rLZY: lzy, rFZM: fzm, rDSG: dsg, rPolice: police},
		Units: map[hierarchy.UnitID]mediation.Stats{
			uLZY: lzy, uFZM: street, uDSG: dsg, uPolice: police, uDistrict: street,
		},
		Mediators: map[hierarchy.PersonID]mediation.Stats{
			"m3a": {Cases: 2, Concluded: 1, Agreed: 1, OnTime: 1, TotalDuration: 4 * dayLen, ReportedToPolice: 1, Confirmed: 1, VisitBreaches: 1, Breaches: 2},
			"m3b": {Cases: 1, ReferredUp: 1, Consultations: 1, Trainings: 1},
			"m2a": {Cases: 1, Concluded: 1, Failed: 1, OnTime: 1, TotalDuration: 6 * dayLen},
			"m4a": {Concluded: 1, Failed: 1, TotalDuration: 39 * dayLen},
			"m5a": {Cases: 1},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summarize(September) mismatch (-want +got):\n%s", diff)
	}

	total := got.Total
	if r := total.SuccessRate(); r != 1.0/3 {
		t.Errorf("SuccessRate() = %v, want 1/3", r)
	}
	if r := total.OnTimeRate(); r != 2.0/3 {
		t.Errorf("OnTimeRate() = %v, want 2/3", r)
	}
	if d := total.AverageDuration(); d != 16*dayLen+8*time.Hour {
		t.Errorf("AverageDuration() = %v, want 16d8h", d)
	}
	var zero mediation.Stats
	if zero.SuccessRate() != 0 || zero.OnTimeRate() != 0 || zero.AverageDuration() != 0 {
		t.Errorf("rates of nothing are not 0")
	}

	// All time: every acceptance and conclusion, including E's July and F's October.
	all := mediation.Summarize(w.net, mediation.Period{}, statsCases(t, w), statsActivities()).Total
	if all.Cases != 5 || all.Concluded != 4 || all.Agreed != 2 || all.Consultations != 2 {
		t.Errorf("all-time Total = %+v, want 5 cases, 4 concluded, 2 agreed, 2 consultations", all)
	}
}

func TestPeriod_Contains(t *testing.T) {
	p := mediation.Period{From: day(2025, 9, 1, 0, 0), To: day(2025, 10, 1, 0, 0)}
	for _, tt := range []struct {
		at     time.Time
		want   bool
		reason string
	}{
		{day(2025, 9, 1, 0, 0), true, "From is inside"},
		{day(2025, 10, 1, 0, 0), false, "To is outside"},
		{day(2025, 8, 31, 23, 59), false, "before"},
	} {
		if got := p.Contains(tt.at); got != tt.want {
			t.Errorf("Contains(%v) = %t, want %t (%s)", tt.at, got, tt.want, tt.reason)
		}
	}
	if !(mediation.Period{}).Contains(time.Time{}) {
		t.Errorf("the open period does not contain the zero time")
	}
}

func TestPolicy_CheckActivity(t *testing.T) {
	w := newWorld(t)
	ok := statsActivities()[0]
	tests := []struct {
		name   string
		reason string
		edit   func(*mediation.Activity)
		rule   string
		kind   error
	}{
		{name: "OK", reason: "a grid legal officer's consultation", edit: func(*mediation.Activity) {}},
		{name: "ErrKind", reason: "consultations and trainings only", edit: func(a *mediation.Activity) { a.Kind = "banquet" }, rule: "activity.kind", kind: gridgov.ErrInvalid},
		{name: "ErrTime", reason: "an activity happens at a time", edit: func(a *mediation.Activity) { a.At = time.Time{} }, rule: "activity.at", kind: gridgov.ErrInvalid},
		{name: "ErrPeople", reason: "nobody advised is no consultation", edit: func(a *mediation.Activity) { a.People = 0 }, rule: "activity.people", kind: gridgov.ErrInvalid},
		{name: "ErrTopic", reason: "the topic is recorded", edit: func(a *mediation.Activity) { a.Topic = "" }, rule: "activity.topic", kind: gridgov.ErrInvalid},
		{name: "ErrRoom", reason: "a room of the network", edit: func(a *mediation.Activity) { a.Room = "QHTH-900" }, rule: "room.unknown", kind: gridgov.ErrInvalid},
		{name: "ErrNotOnRoster", reason: "given by the room's own people", edit: func(a *mediation.Activity) { a.By = "m4b" }, rule: "auth.room-mediator", kind: gridgov.ErrForbidden},
		{name: "ErrNotLegalOfficer", reason: "a people's mediator's talk does not count as a legal officer's", edit: func(a *mediation.Activity) { a.By = "m3a" }, rule: "activity.legal-officer", kind: gridgov.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.edit(&a)
			err := w.policy.CheckActivity(a, w.net)
			if tt.rule == "" {
				if err != nil {
					t.Errorf("CheckActivity = %v", err)
				}
				return
			}
			if gridgov.RuleOf(err) != tt.rule || !errors.Is(err, tt.kind) {
				t.Errorf("CheckActivity = %v, want rule %s kind %v", err, tt.rule, tt.kind)
			}
		})
	}
}
