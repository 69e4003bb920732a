package mediation_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
)

// A fuzz input is a sequence of 5-byte commands: op, actor, two arguments and a time
// step. decodeCommand maps each byte onto a small world (the test network's rooms, its
// mediators, parties p1–p3 of which p3 does not exist) so that random bytes reach every
// command, most of them refused.
var (
	fuzzActors  = []hierarchy.PersonID{"m3a", "m3c", "m3d", "m2a", "m1a", "m5a", "m4a", ""}
	fuzzPeople  = []hierarchy.PersonID{"m3a", "m3b", "m3c", "m3d", "m2a", "m2b", "m1a", "m5a", "n1"}
	fuzzParties = []mediation.PartyID{"p1", "p2", "p3"}
	fuzzRooms   = []mediation.RoomID{rDistrict, rFZM, rLZY, rDSG, rPolice, rJudicial, rQH}
)

func fuzzCmd(op, actor, a, b, dt byte) []byte { return []byte{op, actor, a, b, dt} }

func decodeCommand(in []byte) (mediation.Command, hierarchy.PersonID, time.Duration) {
	op, a, b := in[0]%18, in[2], in[3]
	by := fuzzActors[int(in[1])%len(fuzzActors)]
	dt := time.Duration(in[4]) * 53 * time.Minute
	if in[4] == 255 {
		dt = -time.Hour // a command dated before the last event
	}
	party := func(x byte) mediation.PartyID { return fuzzParties[int(x)%len(fuzzParties)] }
	person := func(x byte) hierarchy.PersonID { return fuzzPeople[int(x)%len(fuzzPeople)] }
	some := func(x byte) []mediation.PartyID {
		if x%2 == 1 {
			return []mediation.PartyID{"p1", "p2"}
		}
		return []mediation.PartyID{party(x >> 1)}
	}
	text := "文本"
	if b == 255 {
		text = ""
	}
	var cmd mediation.Command
	switch op {
	case 0:
		cmd = mediation.Accept{}
	case 1:
		grounds := []mediation.RefusalGround{mediation.GroundOutsideScope, mediation.GroundPartyRefuses, mediation.GroundAcceptedByPolice, ""}
		cmd = mediation.Refuse{Ground: grounds[a%4], Party: party(b), Note: text}
	case 2:
		hows := []mediation.Appointment{mediation.Appointed, mediation.Chosen, mediation.Invited}
		kinds := []mediation.MediatorKind{mediation.KindRelative, mediation.KindNeighbour, mediation.KindExpert, mediation.KindJudge}
		cmd = mediation.Assign{Person: person(a), How: hows[b%3], ChosenBy: some(b >> 2), ConsentedBy: some(b >> 2), Kind: kinds[(b>>3)%4], Name: text}
	case 3:
		grounds := []mediation.RecusalGround{mediation.RecusalRelated, mediation.RecusalInterest, "bias"}
		cmd = mediation.Recuse{Person: person(a), Ground: grounds[b%3], Party: party(b >> 2)}
	case 4:
		cmd = mediation.HoldSession{Parties: some(b), Mediators: []hierarchy.PersonID{person(a)}, Minutes: text, Public: b&8 != 0}
	case 5:
		cmd = mediation.Extend{Consents: some(a)}
	case 6:
		if b%2 == 0 {
			d := written(text)
			d.Terms = text
			cmd = d
		} else {
			cmd = mediation.DraftAgreement{Terms: text} // lacks the 2002 rules art. 35 items
		}
	case 7:
		if b%2 == 0 {
			cmd = mediation.Sign{Party: party(a)}
		} else {
			cmd = mediation.Sign{Mediator: person(a)}
		}
	case 8:
		cmd = mediation.Seal{}
	case 9:
		cmd = mediation.RecordOralAgreement{Terms: text, ChosenBy: some(b + 1)}
	case 10:
		reasons := []mediation.FailReason{mediation.FailNoAgreement, mediation.FailWithdrawn, mediation.FailTimeLimit, mediation.FailTakenOver, "?"}
		cmd = mediation.Fail{Reason: reasons[a%5], Party: party(b), Note: text}
	case 11:
		cmd = mediation.ReportToPolice{To: uPolice, Reason: text}
	case 12:
		dir := mediation.Up
		if b%2 == 1 {
			dir = mediation.Sideways
		}
		cmd = mediation.Refer{To: fuzzRooms[int(a)%len(fuzzRooms)], Direction: dir, Reason: text}
	case 13:
		cmd = mediation.ApplyConfirmation{Parties: some(a), Court: text}
	case 14:
		cmd = mediation.RecordConfirmation{Confirmed: a%2 == 0}
	case 15:
		findings := []mediation.Finding{mediation.Performed, mediation.Performing, mediation.Breached, "?"}
		cmd = mediation.RecordVisit{Visit: int(a % 3), Finding: findings[b%4], Party: party(b >> 2)}
	case 16:
		cmd = mediation.RecordBreach{Party: party(a)}
	default:
		cmd = openCmd(rLZY, mediation.DisputeNeighbour)
	}
	return cmd, by, dt
}

func concat(cmds ...[]byte) []byte {
	var out []byte
	for _, c := range cmds {
		out = append(out, c...)
	}
	return out
}

// fuzzSeeds are the seed corpus of FuzzApply, each with the state its sequence ends in
// (checked by TestFuzzSeeds, so the comments stay true).
var fuzzSeeds = []struct {
	name string
	data []byte
	want mediation.State
}{
	{name: "written agreement, signed by both parties and m3a, sealed; a Fail refused; confirmation and a visit",
		data: concat(fuzzCmd(0, 0, 0, 0, 1), fuzzCmd(2, 0, 0, 0, 1), fuzzCmd(4, 0, 0, 1, 30),
			fuzzCmd(6, 0, 0, 0, 1), fuzzCmd(7, 0, 0, 0, 1), fuzzCmd(7, 0, 1, 0, 1), fuzzCmd(7, 0, 0, 1, 1),
			fuzzCmd(8, 0, 0, 0, 1), fuzzCmd(10, 0, 0, 0, 1), fuzzCmd(13, 0, 1, 0, 30), fuzzCmd(14, 0, 0, 0, 40),
			fuzzCmd(15, 0, 0, 2, 10)),
		want: mediation.StateAgreed},
	{name: "refused because p2 refuses; accepting, mediating and agreeing then refused",
		data: concat(fuzzCmd(1, 0, 1, 1, 1), fuzzCmd(0, 0, 0, 0, 1), fuzzCmd(4, 0, 0, 1, 1), fuzzCmd(9, 0, 0, 0, 1)),
		want: mediation.StateRefused},
	{name: "referred up to the street, accepted there by m2a, assigned, referred up to the district and accepted by m1a",
		data: concat(fuzzCmd(0, 0, 0, 0, 1), fuzzCmd(2, 0, 0, 0, 1), fuzzCmd(12, 0, 1, 0, 5),
			fuzzCmd(0, 3, 0, 0, 1), fuzzCmd(2, 3, 4, 0, 1), fuzzCmd(12, 3, 0, 0, 5), fuzzCmd(0, 4, 0, 0, 1)),
		want: mediation.StateAccepted},
	{name: "the only mediator recuses, then tries to hold a session",
		data: concat(fuzzCmd(0, 0, 0, 0, 1), fuzzCmd(2, 0, 0, 0, 1), fuzzCmd(3, 0, 0, 1, 1), fuzzCmd(4, 0, 0, 1, 1)),
		want: mediation.StateAccepted},
	{name: "time running backwards, then an oral agreement, a breached visit and a breach",
		data: concat(fuzzCmd(0, 0, 0, 0, 255), fuzzCmd(0, 0, 0, 0, 2), fuzzCmd(2, 0, 0, 0, 1), fuzzCmd(4, 0, 0, 1, 1),
			fuzzCmd(9, 0, 0, 0, 200), fuzzCmd(15, 0, 1, 2, 200), fuzzCmd(16, 0, 0, 0, 1)),
		want: mediation.StateAgreed},
	{name: "nothing but the opening", data: []byte{}, want: mediation.StateApplied},
}

// replay applies a fuzz input to a newly opened case, skipping refused commands.
func replay(tb testing.TB, w world, data []byte) (mediation.Case, int) {
	tb.Helper()
	at := day(2025, 9, 1, 9, 0)
	c, _, err := w.policy.Apply(mediation.Case{}, openCmd(rLZY, mediation.DisputeNeighbour), at, w.env("m3a"))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	refused := 0
	for i := 0; i+5 <= len(data); i += 5 {
		cmd, by, dt := decodeCommand(data[i : i+5])
		at = at.Add(dt)
		next, _, err := w.policy.Apply(c, cmd, at, w.env(by))
		if err != nil {
			refused++
			continue
		}
		c = next
	}
	return c, refused
}

func TestFuzzSeeds(t *testing.T) {
	w := newWorld(t)
	for _, s := range fuzzSeeds {
		c, _ := replay(t, w, s.data)
		if c.State != s.want {
			t.Errorf("seed %q ends in %s, want %s", s.name, c.State, s.want)
		}
	}
	c, refused := replay(t, w, fuzzSeeds[0].data)
	if !c.Confirmation.Confirmed || c.Visits[0].Finding != mediation.Breached || refused != 1 {
		t.Errorf("seed 0: confirmation %+v, visit %+v, %d refused; want confirmed, a breach found and only the Fail refused", c.Confirmation, c.Visits[0], refused)
	}
}

// FuzzApply runs random command sequences on a case opened in 莲子营 and checks, after
// every command:
//   - Apply never modifies its input;
//   - a refusal is a *gridgov.Error naming its rule, and returns no case;
//   - the history only grows: the old history is a prefix of the new, sequence numbers
//     run on without gaps;
//   - an agreed case stays agreed (it cannot fail or be refused) and its agreement's
//     effective time never changes;
//   - a refused or failed case accepts no command at all, so a refused case is never
//     mediated;
//   - an agreed written agreement carries every party's signature and the seal.
func FuzzApply(f *testing.F) {
	for _, seed := range fuzzSeeds {
		f.Add(seed.data)
	}
	w := newWorld(f)
	start := day(2025, 9, 1, 9, 0)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _, err := w.policy.Apply(mediation.Case{}, openCmd(rLZY, mediation.DisputeNeighbour), start, w.env("m3a"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		at := start
		for i := 0; i+5 <= len(data) && i < 5*64; i += 5 {
			cmd, by, dt := decodeCommand(data[i : i+5])
			at = at.Add(dt)
			before := deepCopy(t, c)
			next, evs, err := w.policy.Apply(c, cmd, at, w.env(by))
			if diff := cmp.Diff(before, c, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("command %d %T modified its input (-before +after):\n%s", i/5, cmd, diff)
			}
			if err != nil {
				var ge *gridgov.Error
				if !errors.As(err, &ge) || ge.Rule == "" || ge.Kind == nil {
					t.Fatalf("command %d %T: error %v is not a *gridgov.Error with a rule and kind", i/5, cmd, err)
				}
				if next.State != "" || evs != nil {
					t.Fatalf("command %d %T: refused but returned a case in %s", i/5, cmd, next.State)
				}
				continue
			}
			checkStep(t, i/5, cmd, c, next, evs)
			c = next
		}
	})
}

func checkStep(t *testing.T, i int, cmd mediation.Command, c, next mediation.Case, evs []mediation.Event) {
	t.Helper()
	switch c.State {
	case mediation.StateRefused, mediation.StateFailed:
		t.Fatalf("command %d %T succeeded on a %s case", i, cmd, c.State)
	case mediation.StateAgreed:
		if next.State != mediation.StateAgreed || !next.Agreement.EffectiveAt.Equal(c.Agreement.EffectiveAt) {
			t.Fatalf("command %d %T moved an agreed case to %s (effective %v → %v)", i, cmd, next.State, c.Agreement.EffectiveAt, next.Agreement.EffectiveAt)
		}
	}
	if len(evs) == 0 || len(next.History) != len(c.History)+len(evs) {
		t.Fatalf("command %d %T: %d events, history %d → %d", i, cmd, len(evs), len(c.History), len(next.History))
	}
	if diff := cmp.Diff(c.History, next.History[:len(c.History)], cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("command %d %T rewrote history (-old +new):\n%s", i, cmd, diff)
	}
	for j, e := range next.History {
		if e.Seq != j+1 {
			t.Fatalf("command %d %T: History[%d].Seq = %d", i, cmd, j, e.Seq)
		}
	}
	if len(next.Sessions) < len(c.Sessions) || len(next.Referrals) < len(c.Referrals) || len(next.Breaches) < len(c.Breaches) {
		t.Fatalf("command %d %T removed sessions, referrals or breaches", i, cmd)
	}
	switch next.State {
	case mediation.StateAccepted, mediation.StateMediating, mediation.StateDrafted:
		if next.Deadline.IsZero() {
			t.Fatalf("command %d %T: %s case without a deadline", i, cmd, next.State)
		}
	case mediation.StateAgreed:
		ag := next.Agreement
		if ag.EffectiveAt.IsZero() || len(next.Sessions) == 0 {
			t.Fatalf("command %d %T: agreed without an effective time or a session: %+v", i, cmd, ag)
		}
		if ag.Form == mediation.Written {
			signed := map[mediation.PartyID]bool{}
			for _, s := range ag.Signatures {
				signed[s.Party] = true
			}
			if ag.SealedAt.IsZero() || !signed["p1"] || !signed["p2"] {
				t.Fatalf("command %d %T: written agreement in effect without every signature and the seal: %+v", i, cmd, ag)
			}
		}
	}
	if next.State == mediation.StateMediating || next.State == mediation.StateDrafted {
		for _, s := range next.Sessions[len(c.Sessions):] {
			for _, m := range s.Mediators {
				if next.Recused(m) {
					t.Fatalf("command %d %T: recused mediator %s attended a session", i, cmd, m)
				}
			}
		}
	}
}
