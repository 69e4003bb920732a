package profile

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/gridgov/gridgov/evaluation"
)

// evaluationSection maps "evaluation" to [evaluation.Policy]: the rating scales and
// rules (反向评价), the scorecards with their indicators, normalisers and grade bands,
// surveys, first-secretary projects, attendance and workload control.
//
// Shares — the credit an answer of a rating scale or a band of a normaliser earns,
// and a normaliser's floor, target, threshold, step and band minimums when its
// indicator's input is a ratio — are written as a percentage or a decimal ("90%",
// "0.9"; see parseShare) and held in millionths, as the evaluation package counts
// them. A normaliser of an events input counts events: its values are whole numbers.
func evaluationSection() section {
	return section{
		key:      "evaluation",
		target:   func(p *Profile) any { return &p.Evaluation },
		validate: func(p *Profile) error { return p.Evaluation.Validate() },
		paths: []pathHook{
			{regexp.MustCompile(`^evaluation\.(scales\.[^.]+\[\d+\]|.*\.normaliser\.bands\[\d+\])\.credit$`), shareHook},
			{normaliserValue, normaliserHook},
		},
		after: checkNormaliserNotation,
	}
}

// normaliserValue matches the values of a normaliser that are a share of a ratio
// input or a count of events, by the indicator's source.
var normaliserValue = regexp.MustCompile(`^(evaluation\..*)\.normaliser\.(floor|target|threshold|step|bands\[\d+\]\.min)$`)

func shareHook(v *value, out reflect.Value) (string, bool, error) {
	if v.kind != scalarKind {
		return "", false, fmt.Errorf("want a share such as 90%% or 0.9, got %s", v.kind)
	}
	ppm, err := parseShare(v.str)
	if err != nil {
		return "", false, err
	}
	out.SetInt(ppm)
	return formatShare(ppm), true, nil
}

// normaliserHook reads a share ("90%", "0.9") or a whole number of events; which of
// the two the indicator's source calls for is checked once the section is decoded.
func normaliserHook(v *value, out reflect.Value) (string, bool, error) {
	if v.kind != scalarKind {
		return "", false, fmt.Errorf("want a share such as 90%% or a number of events, got %s", v.kind)
	}
	if !isShareNotation(v.str) {
		n, err := strconv.ParseInt(strings.TrimSpace(v.str), 10, 64)
		if err != nil || v.quoted {
			return "", false, fmt.Errorf("want a share such as 90%% or 0.9, or a whole number of events, got %q", v.str)
		}
		out.SetInt(n)
		return strconv.FormatInt(n, 10), true, nil
	}
	return shareHook(v, out)
}

func isShareNotation(s string) bool { return strings.ContainsAny(s, "%.") }

// checkNormaliserNotation refuses a normaliser value written in the notation of the
// other kind of input: a bare number on a ratio (it would be read as millionths), a
// share on a count of events.
func checkNormaliserNotation(d *decoder) {
	for _, l := range d.leaves {
		m := normaliserValue.FindStringSubmatch(l.path)
		if m == nil {
			continue
		}
		kind := ""
		if k := d.index[m[1]+".source.kind"]; k != nil {
			kind = k.str
		}
		share := isShareNotation(l.value.str)
		switch {
		case kind == string(evaluation.SourceEvents) && share:
			d.fail(l.value, l.path, "%s counts events: write a whole number, not the share %s", m[1], l.value.str)
		case kind != string(evaluation.SourceEvents) && !share && strings.TrimSpace(l.value.str) != "0":
			d.fail(l.value, l.path, "the input of %s is a ratio: write a share such as 90%% or 0.9, not the bare number %s", m[1], l.value.str)
		}
	}
}
