package evaluation

import (
	"context"
	"fmt"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
)

// CaseReader is the part of [escalation.Service] the facts adapter uses.
type CaseReader interface {
	Get(ctx context.Context, id escalation.CaseID) (escalation.Case, error)
}

// EscalationFacts reads the facts of whistles and cases from escalation: whom a whistle
// summoned, whether each reported in on time (under the whistle type's report-in limit
// of the case's policy version, on Calendar), when it was concluded, and when a case
// was closed and by whom it was handled. It copies nothing into the ratings: a rating
// keeps only the target's reference and the time of the work.
//
// It is safe for concurrent use when Cases is.
type EscalationFacts struct {
	Cases    CaseReader
	Policies *escalation.PolicySet
	Calendar *calendar.Calendar
}

var _ Facts = EscalationFacts{}

// Whistle implements [Facts].
func (f EscalationFacts) Whistle(ctx context.Context, caseID string, seq int) (WhistleFact, error) {
	c, err := f.Cases.Get(ctx, escalation.CaseID(caseID))
	if err != nil {
		return WhistleFact{}, err
	}
	if seq < 1 || seq > len(c.Whistles) {
		return WhistleFact{}, &gridgov.Error{Op: "evaluation.EscalationFacts.Whistle", Kind: gridgov.ErrNotFound,
			Msg: fmt.Sprintf("case %s has no whistle %d", caseID, seq)}
	}
	p, err := f.Policies.For(c)
	if err != nil {
		return WhistleFact{}, err
	}
	w := c.Whistles[seq-1]
	out := WhistleFact{Case: caseID, Seq: seq, By: w.By, To: w.To, Concluded: w.Concluded, Resolved: w.Resolved}
	for _, s := range w.Summons {
		out.Summons = append(out.Summons, SummonFact{Unit: s.Unit, Leader: s.Leader, At: s.At, ReportedAt: s.ReportedAt,
			OnTime: p.ReportedOnTime(w, s, f.Calendar)})
	}
	return out, nil
}

// Case implements [Facts]: the close time is that of the event that closed it.
func (f EscalationFacts) Case(ctx context.Context, caseID string) (CaseFact, error) {
	c, err := f.Cases.Get(ctx, escalation.CaseID(caseID))
	if err != nil {
		return CaseFact{}, err
	}
	out := CaseFact{ID: caseID, Unit: c.Location.Unit, Owner: c.Owner, Assignee: c.Assignee}
	if c.State == escalation.Closed {
		for i := len(c.History) - 1; i >= 0; i-- {
			if c.History[i].To == escalation.Closed {
				out.ClosedAt = c.History[i].At
				break
			}
		}
	}
	return out, nil
}
