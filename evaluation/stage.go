package evaluation

import (
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
)

// OverallEvaluation is the seventh stage of the standard closed loop, overall
// evaluation (综合评价): a periodic, per-unit record of the loop's rates for a period,
// derived from escalation's metrics and stored, which the scorecards then read as
// their metric source. Recording it fixes what a period's scores were computed from:
// rescoring reads the record, not cases that may have moved since.
//
// Rates are keyed by the metric's name ("closure", "on_time_closure", "in_grid",
// "rework", "accurate_dispatch", "whistle_resolution", "report_in_on_time"; a hotline
// system adds "response", "resolution", "satisfaction"); Counts likewise ("reported",
// "closed" …).
type OverallEvaluation struct {
	Unit       hierarchy.UnitID `json:"unit"`
	Period     string           `json:"period"`
	Rates      map[string]Ratio `json:"rates"`
	Counts     map[string]int64 `json:"counts,omitempty"`
	RecordedAt time.Time        `json:"recorded_at,omitzero"`
	RecordedBy hierarchy.Actor  `json:"recorded_by,omitzero"`
}

// ID returns the record's key, "unit/period".
func (o OverallEvaluation) ID() string { return string(o.Unit) + "/" + o.Period }

// OverallFromMetrics derives the overall evaluation of unit for period from its
// escalation metrics.
func OverallFromMetrics(unit hierarchy.UnitID, period string, m escalation.Metrics) OverallEvaluation {
	r := func(x escalation.Rate) Ratio { return Ratio{Num: x.Num, Den: x.Den} }
	return OverallEvaluation{Unit: unit, Period: period,
		Rates: map[string]Ratio{
			"in_grid": r(m.InGrid), "closure": r(m.Closure), "on_time_closure": r(m.OnTimeClosure), "rework": r(m.Rework),
			"accurate_dispatch": r(m.AccurateDispatch), "whistle_resolution": r(m.WhistleResolution),
			"report_in_on_time": r(m.ReportInOnTime),
		},
		Counts: map[string]int64{"reported": m.Reported, "voided": m.Voided, "closed": m.Closed, "self_handled": m.SelfHandled,
			"escalations": m.Escalations, "whistles": m.Whistles},
	}
}

// OverallFromReport derives the overall evaluation of every unit of a metrics report
// (computed with a tree, so each unit's metrics include its subtree), in unit order.
func OverallFromReport(period string, rep escalation.MetricsReport) []OverallEvaluation {
	out := make([]OverallEvaluation, 0, len(rep.Units))
	for u, m := range rep.Units {
		out = append(out, OverallFromMetrics(u, period, *m))
	}
	slices.SortFunc(out, func(a, b OverallEvaluation) int { return strings.Compare(string(a.Unit), string(b.Unit)) })
	return out
}

// AddOverall sets the metric inputs of subject (the unit itself, or a person whose
// cases it measures) from an overall evaluation record.
func (in *Inputs) AddOverall(subject hierarchy.Ref, o OverallEvaluation) {
	for k, r := range o.Rates {
		in.Set(subject, Source{Kind: SourceMetric, Name: k}, Value{Ratio: r, Sample: r.Den, Note: "overall evaluation " + o.ID()})
	}
}

// MediationCounts are the mediation statistics a scorecard reads, copied by the caller
// from [mediation.Stats] (its Agreed, Failed and OnTime counts): a small struct, so a
// change to mediation's statistics touches one line of the caller's code.
type MediationCounts struct {
	Concluded int64 `json:"concluded"`
	Agreed    int64 `json:"agreed"`
	OnTime    int64 `json:"on_time"`
}

// MediationFromStats takes the counts from mediation's statistics of a room, a
// mediator or a unit's subtree.
func MediationFromStats(s mediation.Stats) MediationCounts {
	return MediationCounts{Concluded: int64(s.Concluded), Agreed: int64(s.Agreed), OnTime: int64(s.OnTime)}
}

// AddMediation sets subject's mediation inputs: "success" (调解成功率, agreed over
// concluded) and "on_time" (concluded on time over concluded), as exact ratios.
func (in *Inputs) AddMediation(subject hierarchy.Ref, m MediationCounts) {
	in.Set(subject, Source{Kind: SourceMediation, Name: "success"}, Value{Ratio: Ratio{Num: m.Agreed, Den: m.Concluded}, Sample: m.Concluded})
	in.Set(subject, Source{Kind: SourceMediation, Name: "on_time"}, Value{Ratio: Ratio{Num: m.OnTime, Den: m.Concluded}, Sample: m.Concluded})
}
