package rewards

import (
	"fmt"
	"strings"
	"time"
)

// ExplainLine is one line of an [Explanation]: when, which rule, what it did.
type ExplainLine struct {
	At     time.Time `json:"at,omitzero"`
	Rule   string    `json:"rule"`
	Text   string    `json:"text"`
	Amount Fen       `json:"amount,omitempty"`
}

// Explanation says how a worker's grade and pay were derived, line by line, for a
// payslip or an appeal.
// It is a plain value: safe for concurrent use while no one modifies it.
type Explanation struct {
	Scale   string        `json:"scale"`
	Payslip Payslip       `json:"payslip"`
	Lines   []ExplainLine `json:"lines"`
}

// Explain derives w's grade and pay for the month containing at and returns every
// step: placement, each assessment, post change and certificate, the grade in effect,
// each pay line and the total.
func (s PayScale) Explain(w Worker, at time.Time, ev Evaluation) (Explanation, error) {
	ps, err := s.Payslip(w, at, ev)
	if err != nil {
		return Explanation{}, err
	}
	x := Explanation{Scale: s.Name, Payslip: ps}
	for _, st := range ps.Steps {
		x.Lines = append(x.Lines, ExplainLine{At: st.At, Rule: st.Rule, Text: st.Text})
	}
	g := ps.Grade
	x.Lines = append(x.Lines, ExplainLine{Rule: "payscale.in-effect", Text: fmt.Sprintf(
		"in effect on %s-01: post %s, grade %d, %d months banked, certificate %s, last assessment %s",
		ps.Month, g.Post, g.Grade, g.CreditMonths, orNone(g.Certificate), orNone(g.LastResult))})
	for _, l := range ps.Lines {
		x.Lines = append(x.Lines, ExplainLine{Rule: l.Rule, Text: l.Item + ": " + l.Text, Amount: l.Amount})
	}
	x.Lines = append(x.Lines, ExplainLine{Rule: "pay.total", Text: "total", Amount: ps.Total})
	return x, nil
}

// String renders the explanation as text, one line per step.
func (x Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "worker %s, pay for %s on %s\n", x.Payslip.Worker, x.Payslip.Month, x.Scale)
	for _, l := range x.Lines {
		date := "          "
		if !l.At.IsZero() {
			date = l.At.In(cst).Format(time.DateOnly)
		}
		amount := ""
		if l.Rule == "pay.total" || l.Amount != 0 || strings.HasPrefix(l.Rule, "pay.") || strings.HasPrefix(l.Rule, "bonus.") {
			amount = fmt.Sprintf("%14s  ", l.Amount)
		}
		fmt.Fprintf(&b, "%s  %-20s  %s%s\n", date, l.Rule, amount, l.Text)
	}
	return b.String()
}
