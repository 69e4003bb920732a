package evaluation

import (
	"fmt"
	"reflect"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"

	"github.com/gridgov/gridgov"
)

// Limits of a district formula: syntax nodes when compiled, and the expr virtual
// machine's memory budget (in its own units of allocation) when run.
const (
	FormulaMaxNodes     = 256
	FormulaMemoryBudget = 10_000
)

// Formula is a district formula (区级公式), written in expr-lang
// (github.com/expr-lang/expr), in one of two places. A card's formula sees, as
// integers in hundredths of a point, each indicator's points under its ID, the
// weighted sum as total and the card's top score as max, and must yield an integer
// number of hundredths: the decided score, clamped to 0..max. An indicator's formula
// normaliser sees its input as num, den, sample and ppm and yields the credit in
// millionths, clamped to 0..1 000 000: ppm >= 900000 ? 1000000 : portion(ppm, 9, 10). '/' yields a float and is refused; portion(a, part, whole) scales
// a by part/whole rounding half up, the package's one rounding rule.
//
//	portion(street_rating, 1, 3) + portion(targets, 2, 3)
//
// It is compiled once (when the policy is compiled) with at most [FormulaMaxNodes]
// nodes, runs with at most [FormulaMemoryBudget] memory and without now(). A formula
// that does not compile is a policy error naming the card or the indicator
// (scorecards.street.indicators[1].normaliser.formula). A Formula is safe for
// concurrent use.
type Formula struct {
	src  string
	prog *vm.Program
}

// reserved names of the formula environment.
var formulaReserved = map[string]bool{"total": true, "max": true, "portion": true}

func compileFormula(path string, c *Scorecard) (*Formula, error) {
	env := map[string]any{"total": 0, "max": 0}
	for _, in := range c.Indicators {
		if formulaReserved[in.ID] {
			return nil, &gridgov.Error{Op: "evaluation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
				Msg: fmt.Sprintf("%s.formula: indicator %q has a reserved name", path, in.ID)}
		}
		env[in.ID] = 0
	}
	return compileExpr(path+".formula", c.Formula, env)
}

// compileIndicatorFormula compiles the formula normaliser of indicator in; path names
// the indicator in errors.
func compileIndicatorFormula(path string, in Indicator) (*Formula, error) {
	if in.Normaliser.Formula == "" {
		return nil, &gridgov.Error{Op: "evaluation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
			Msg: fmt.Sprintf("%s: indicator %s has a formula normaliser without a formula", path, in.ID)}
	}
	return compileExpr(path, in.Normaliser.Formula, map[string]any{"num": 0, "den": 0, "sample": 0, "ppm": 0})
}

func compileExpr(path, src string, env map[string]any) (*Formula, error) {
	prog, err := expr.Compile(src,
		expr.Env(env),
		expr.AsInt64(),
		expr.MaxNodes(FormulaMaxNodes),
		expr.DisableBuiltin("now"),
		expr.Function("portion", func(params ...any) (any, error) {
			a, part, whole := int64(params[0].(int)), int64(params[1].(int)), int64(params[2].(int))
			if whole <= 0 {
				return nil, fmt.Errorf("portion: whole %d must be > 0", whole)
			}
			return int(roundDiv(a*part, whole)), nil
		}, new(func(int, int, int) int)),
	)
	if err == nil {
		var v noFloats
		node := prog.Node()
		ast.Walk(&node, &v)
		err = v.err
	}
	if err != nil {
		return nil, &gridgov.Error{Op: "evaluation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: RulePolicy,
			Msg: fmt.Sprintf("%s: %q does not compile", path, src), Err: err}
	}
	return &Formula{src: src, prog: prog}, nil
}

type noFloats struct{ err error }

// Visit implements ast.Visitor.
func (v *noFloats) Visit(n *ast.Node) {
	if v.err != nil {
		return
	}
	if t := (*n).Type(); t != nil && (t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32) {
		v.err = fmt.Errorf("%s is a float: grades are decided on integers, use portion()", (*n).String())
	}
}

// String returns the formula's source.
func (f *Formula) String() string { return f.src }

// eval runs the formula on env.
func (f *Formula) eval(env map[string]any) (int64, error) {
	m := vm.VM{MemoryBudget: FormulaMemoryBudget}
	out, err := m.Run(f.prog, env)
	if err != nil {
		return 0, err
	}
	v, ok := out.(int64)
	if !ok {
		return 0, fmt.Errorf("yielded %v, not an integer", out)
	}
	return v, nil
}
