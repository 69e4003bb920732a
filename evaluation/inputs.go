package evaluation

import (
	"github.com/gridgov/gridgov/hierarchy"
)

// Value is one input of an indicator for one subject: a ratio (a rate, an average in
// millionths over the ratings, a survey's satisfied share) or, for a SourceEvents input,
// a count in Num with Den 1. Sample is the number of cases, ratings or respondents
// behind it, shown beside every score; Flags mark what a reader must know (a survey
// sample below the minimum).
type Value struct {
	Ratio  Ratio    `json:"ratio"`
	Sample int64    `json:"sample"`
	Flags  []string `json:"flags,omitempty"`
	Note   string   `json:"note,omitempty"`

	ratings []ratingRef // where in Inputs the ratings behind an average are
}

// ratingRef locates a rating in Inputs: chunk 0 holds the ratings added one by one,
// the others are the slices given to AddRatings, kept without copying.
type ratingRef struct{ chunk, i int32 }

// Inputs are the facts scorecards read for one period: a value per subject and
// source, and the raw ratings the rating averages came from, kept so that every score
// can be explained down to each rating.
//
// Inputs is not safe for concurrent writes; build it, then score.
type Inputs struct {
	Period   Period
	values   map[hierarchy.Ref]map[string]*Value
	chunks   [][]Rating
	ruleKeys map[string]string
}

// NewInputs returns empty inputs for period p.
func NewInputs(p Period) *Inputs {
	return &Inputs{Period: p, values: make(map[hierarchy.Ref]map[string]*Value), chunks: [][]Rating{nil},
		ruleKeys: map[string]string{}}
}

func (in *Inputs) rating(r ratingRef) *Rating { return &in.chunks[r.chunk][r.i] }

func (in *Inputs) slot(subject hierarchy.Ref, key string) *Value {
	m := in.values[subject]
	if m == nil {
		m = make(map[string]*Value, 4)
		in.values[subject] = m
	}
	v := m[key]
	if v == nil {
		v = &Value{}
		m[key] = v
	}
	return v
}

// Set sets the input of source s for subject, replacing any.
func (in *Inputs) Set(subject hierarchy.Ref, s Source, v Value) {
	*in.slot(subject, s.Key()) = v
}

// Value returns the input of source s for subject.
func (in *Inputs) Value(subject hierarchy.Ref, s Source) (Value, bool) {
	v, ok := in.values[subject][s.Key()]
	if !ok {
		return Value{}, false
	}
	return *v, true
}

// AddRating adds one rating to the average of its rule for its subject. Ratings with
// no applicable criterion (Scored false) and ratings of targets outside the period
// (periods other than Period.ID; whistles and cases whose work lies outside it) are
// kept out of averages.
func (in *Inputs) AddRating(r Rating) {
	if in.counts(&r) {
		in.chunks[0] = append(in.chunks[0], r)
		in.add(&r, ratingRef{0, int32(len(in.chunks[0]) - 1)})
	}
}

// AddRatings adds many ratings as [Inputs.AddRating] does, keeping rs itself (not a
// copy) for explanations: the caller must not modify rs afterwards.
func (in *Inputs) AddRatings(rs []Rating) {
	c := int32(len(in.chunks))
	in.chunks = append(in.chunks, rs)
	for i := range rs {
		if in.counts(&rs[i]) {
			in.add(&rs[i], ratingRef{c, int32(i)})
		}
	}
}

func (in *Inputs) add(r *Rating, ref ratingRef) {
	key, ok := in.ruleKeys[r.Rule]
	if !ok {
		key = string(SourceRating) + ":" + r.Rule
		in.ruleKeys[r.Rule] = key
	}
	v := in.slot(r.Subject, key)
	v.Ratio.Num += r.Score
	v.Ratio.Den += Full
	v.Sample++
	v.ratings = append(v.ratings, ref)
}

// counts reports whether r counts in the period's averages.
func (in *Inputs) counts(r *Rating) bool {
	if !r.Scored {
		return false
	}
	if r.Target.Kind == TargetPeriod {
		return r.Target.Period == in.Period.ID
	}
	return in.Period.Contains(r.WorkAt)
}

// Survey is the result of one third-party satisfaction survey (群众满意度第三方调查) of a
// unit: respondents, and the credit of their answers in millionths summed (a satisfied
// respondent 1 000 000, a basically satisfied one 900 000 under Qinhuai's scale).
type Survey struct {
	Name        string           `json:"name"`
	Unit        hierarchy.UnitID `json:"unit"`
	Respondents int64            `json:"respondents"`
	Credit      int64            `json:"credit"`
}

// FlagSmallSample marks a survey whose sample is below the policy's minimum.
const FlagSmallSample = "survey.sample-below-minimum"

// AddSurvey records a survey's satisfaction; a sample below minSample is flagged, and
// the flag travels with every score that reads it.
func (in *Inputs) AddSurvey(s Survey, minSample int64) {
	v := Value{Ratio: Ratio{Num: s.Credit, Den: s.Respondents * Full}, Sample: s.Respondents, Note: "third-party survey " + s.Name}
	if s.Respondents < minSample {
		v.Flags = append(v.Flags, FlagSmallSample)
	}
	in.Set(hierarchy.UnitRef(s.Unit), Source{Kind: SourceSurvey, Name: s.Name}, v)
}
