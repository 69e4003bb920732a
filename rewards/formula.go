package rewards

import (
	"fmt"
	"reflect"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
)

// FormulaExpr is the pay formula kind of a district's own monthly base formula.
const FormulaExpr = "expr"

// FormulaEnv is everything a district [Formula] can see, typed: money in fen, rates in
// basis points (10000 = 1), all integers.
type FormulaEnv struct {
	Grade        int    `expr:"grade"`
	Post         string `expr:"post"`
	Coefficient  int    `expr:"coefficient"` // the grade's coefficient, 0 when the scale lists none
	CityWage     int    `expr:"city_wage"`   // previous year's city average monthly wage, 0 when unknown
	Uplift       int    `expr:"uplift"`
	Certificate  string `expr:"certificate"`
	Result       string `expr:"result"` // the assessment result in effect, "" before the first
	CreditMonths int    `expr:"credit_months"`
}

// Formula is a district's monthly base pay formula written in expr-lang
// (github.com/expr-lang/expr), for rules the coefficient and fixed formulas cannot
// express. It is compiled once, when parsed, against [FormulaEnv] and must yield an
// integer number of fen; it runs sandboxed: no I/O, no clock (now() is disabled), at
// most 256 syntax nodes, expr's memory budget. '/' yields a float and is therefore
// refused: scale money with rate(amount, bp…) or
// portion(amount, part, whole), which round once through [RoundDiv].
//
//	rate(city_wage, uplift, coefficient) + (result == "excellent" ? 30000 : 0)
//
// A Formula is safe for concurrent use. Its zero value is "no formula".
type Formula struct {
	src  string
	prog *vm.Program
}

const formulaMaxNodes = 256

// ParseFormula compiles src. A syntax or type error wraps ErrInvalid.
func ParseFormula(src string) (Formula, error) {
	prog, err := expr.Compile(src,
		expr.Env(FormulaEnv{}),
		expr.AsInt64(),
		expr.MaxNodes(formulaMaxNodes),
		expr.DisableBuiltin("now"),
		expr.Function("rate", func(params ...any) (any, error) {
			a := Fen(params[0].(int))
			rs := make([]Rate, len(params)-1)
			for i, p := range params[1:] {
				rs[i] = Rate(p.(int))
			}
			v, err := MulRate(a, rs...)
			return int(v), err
		}, new(func(int, ...int) int)),
		expr.Function("portion", func(params ...any) (any, error) {
			whole := params[2].(int)
			if whole <= 0 {
				return nil, fmt.Errorf("portion: whole %d must be > 0", whole)
			}
			v, err := Portion(Fen(params[0].(int)), int64(params[1].(int)), int64(whole))
			return int(v), err
		}, new(func(int, int, int) int)),
	)
	if err == nil {
		// AsInt64 would truncate a float result: money never passes through a float.
		var v noFloats
		node := prog.Node()
		ast.Walk(&node, &v)
		err = v.err
	}
	if err != nil {
		return Formula{}, &gridgov.Error{Op: "rewards.ParseFormula", Kind: gridgov.ErrInvalid, Rule: RulePayData, Msg: fmt.Sprintf("%q", src), Err: err}
	}
	return Formula{src: src, prog: prog}, nil
}

// noFloats finds the first sub-expression of float type.
type noFloats struct{ err error }

func (v *noFloats) Visit(n *ast.Node) {
	if v.err != nil {
		return
	}
	if t := (*n).Type(); t != nil && (t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32) {
		v.err = fmt.Errorf("%s is a float: use rate() or portion() for money", (*n).String())
	}
}

// IsZero reports whether f is no formula.
func (f Formula) IsZero() bool { return f.prog == nil }

// String returns the formula's source.
func (f Formula) String() string { return f.src }

// MarshalText implements [encoding.TextMarshaler]: the source.
func (f Formula) MarshalText() ([]byte, error) { return []byte(f.src), nil }

// UnmarshalText compiles the source.
func (f *Formula) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*f = Formula{}
		return nil
	}
	g, err := ParseFormula(string(b))
	if err != nil {
		return err
	}
	*f = g
	return nil
}

// UnmarshalYAML compiles a YAML scalar.
func (f *Formula) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("rewards: line %d: a formula must be a scalar: %w", n.Line, gridgov.ErrInvalid)
	}
	return f.UnmarshalText([]byte(n.Value))
}

// MarshalYAML writes the source.
func (f Formula) MarshalYAML() (any, error) { return f.src, nil }

// Eval runs the formula. A run-time failure wraps ErrInvalid.
func (f Formula) Eval(env FormulaEnv) (Fen, error) {
	if f.prog == nil {
		return 0, &gridgov.Error{Op: "rewards.Formula.Eval", Kind: gridgov.ErrInvalid, Rule: RulePayData, Msg: "no formula"}
	}
	out, err := expr.Run(f.prog, env)
	if err != nil {
		return 0, &gridgov.Error{Op: "rewards.Formula.Eval", Kind: gridgov.ErrInvalid, Rule: RulePayData, Msg: fmt.Sprintf("%q", f.src), Err: err}
	}
	v, ok := out.(int64)
	if !ok {
		return 0, &gridgov.Error{Op: "rewards.Formula.Eval", Kind: gridgov.ErrInvalid, Rule: RulePayData, Msg: fmt.Sprintf("%q yielded %v", f.src, out)}
	}
	return Fen(v), nil
}
