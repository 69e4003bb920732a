package rewards

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
)

func TestFormula_PayslipFromProfile(t *testing.T) {
	// A district tops the coefficient formula up by ¥300 for an excellent year.
	var pay PayFormula
	dec := yaml.NewDecoder(strings.NewReader(`
kind: expr
city_wages: {2024: 987654}
uplift: "1.15"
coefficients: [0.80, 0.84, 0.88, 0.92, 0.96, 1.00, 1.04, 1.08, 1.12, 1.16, 1.20, 1.24, 1.28, 1.32, 1.36, 1.40, 1.44, 1.48]
expr: 'rate(city_wage, uplift, coefficient) + (result == "excellent" ? 30000 : 0)'
`))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&pay))
	s := QinhuaiPayScale()
	s.Pay = pay
	require.NoError(t, s.Validate())
	start := day(2020, 3, 1)
	w := Worker{ID: "p", Start: start, PriorService: 6, Posts: []PostSpell{{Post: "head", From: start}},
		Certificates: []Certificate{{Level: CertSocial, From: start}}}
	for _, tc := range []struct {
		result string
		want   Fen
		reason string
	}{
		{ResultCompetent, 1_362_963, "987654 × 1.15 × 1.20, rounded once, as the coefficient formula"},
		{ResultExcellent, 1_362_963 + 30_000, "plus ¥300 for an excellent year"},
	} {
		w.Assessments = []Assessment{{Year: 2024, Result: tc.result}}
		ps, err := s.Payslip(w, day(2025, 3, 1), Evaluation{})
		require.NoError(t, err)
		if ps.Total != tc.want {
			t.Errorf("Payslip(%s).Total = %d, want %d (%s)", tc.result, ps.Total, tc.want, tc.reason)
		}
	}
	b, err := json.Marshal(pay)
	require.NoError(t, err)
	var back PayFormula
	require.NoError(t, json.Unmarshal(b, &back))
	if back.Expr.String() != pay.Expr.String() || back.Expr.IsZero() {
		t.Errorf("JSON round trip of the formula = %q, want %q compiled", back.Expr, pay.Expr)
	}
}

func TestParseFormula_Errors(t *testing.T) {
	tests := []struct {
		src, want, reason string
	}{
		{"city_wage * ", "unexpected", "a syntax error"},
		{"city_wage / 2", "is a float", "'/' yields a float: money must go through rate() or portion()"},
		{"int(city_wage * 1.1)", "is a float", "a float literal is refused even when converted back"},
		{"now()", "now", "no clock: a formula is a pure function of its inputs"},
		{"salary + 1", "unknown name salary", "only FormulaEnv's fields exist"},
		{strings.Repeat("1 + ", 300) + "1", "exceeds maximum allowed nodes", "the node budget bounds the cost"},
	}
	for _, tc := range tests {
		_, err := ParseFormula(tc.src)
		if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseFormula(%.30q) error = %v, want ErrInvalid containing %q (%s)", tc.src, err, tc.want, tc.reason)
		}
	}
	f, err := ParseFormula("portion(city_wage, 1, grade - grade)")
	require.NoError(t, err)
	if _, err := f.Eval(FormulaEnv{Grade: 3, CityWage: 100}); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("Eval(division by zero whole) error = %v, want ErrInvalid", err)
	}
	s := QinhuaiPayScale()
	s.Pay = PayFormula{Kind: FormulaExpr}
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "pay.expr: must give the formula") {
		t.Errorf("Validate(expr kind without a formula) = %v", err)
	}
}
