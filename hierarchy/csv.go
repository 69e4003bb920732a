package hierarchy

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// LoadDivisionsCSV reads a statistical division register in the shape of
// qinhuai-divisions.csv — a header naming the columns code, name, level and parent_code
// (in any order; other columns are ignored), then one unit per line — and returns a
// builder holding one territorial unit per line, with the code as both ID and Code. The
// caller may add party organisations, offices, people and grants before building.
//
// The register of one district or province does not contain the unit above its top
// unit (Qinhuai's parent, 3201 Nanjing): the one line whose parent is not in the file
// becomes the root and its parent is dropped. Every other problem is reported at once,
// each as a [*LineError] naming the line: a malformed code (not digits, a wrong length,
// too few or too many significant digits for its level), a duplicate code, an unknown
// level, a parent not in the file when the root is already known, a level not allowed
// under its parent's, a code not extending its parent's, and a wrong number of columns.
// Each wraps [gridgov.ErrInvalid].
func LoadDivisionsCSV(r io.Reader, s Schema) (*Builder, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, &LineError{Line: 1, Err: invalid("LoadDivisionsCSV", RuleCSV, "cannot read the header: %v", err)}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	var missing []string
	for _, h := range []string{"code", "name", "level", "parent_code"} {
		if _, ok := col[h]; !ok {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return nil, &LineError{Line: 1, Err: invalid("LoadDivisionsCSV", RuleCSV, "header lacks column(s) %s", strings.Join(missing, ", "))}
	}
	width := len(header)
	type row struct {
		line               int
		code, name, parent string
		level              LevelSpec
		ok                 bool
		stem               string
	}
	var rows []row
	var errs []error
	bad := func(line int, rule, format string, args ...any) {
		errs = append(errs, &LineError{Line: line, Err: invalid("LoadDivisionsCSV", rule, format, args...)})
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			errs = append(errs, &LineError{Line: line, Err: invalid("LoadDivisionsCSV", RuleCSV, "%v", err)})
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != width {
			bad(line, RuleCSV, "has %d columns, the header %d", len(rec), width)
			continue
		}
		rw := row{line: line, code: strings.TrimSpace(rec[col["code"]]), name: strings.TrimSpace(rec[col["name"]]),
			parent: strings.TrimSpace(rec[col["parent_code"]])}
		level := Level(strings.TrimSpace(rec[col["level"]]))
		spec, ok := s.level(level)
		rw.ok = true
		switch {
		case !ok:
			bad(line, RuleLevel, "unknown level %q", level)
			rw.ok = false
		case spec.CodeDigits != 0:
			stem, problem := divisionStem(rw.code, spec.CodeDigits)
			if problem != "" {
				bad(line, RuleCode, "code %q %s", rw.code, problem)
				rw.ok = false
			}
			rw.stem = stem
		case rw.code == "":
			bad(line, RuleCode, "code is empty")
			rw.ok = false
		}
		if rw.name == "" {
			bad(line, RuleMissing, "unit %q has no name", rw.code)
		}
		rw.level = spec
		rows = append(rows, rw)
	}
	byCode := make(map[string]int, len(rows))
	for i, rw := range rows {
		if j, dup := byCode[rw.code]; dup {
			if rw.code != "" {
				bad(rw.line, RuleDuplicateCode, "code %q already appears on line %d", rw.code, rows[j].line)
			}
			continue
		}
		byCode[rw.code] = i
	}
	root := -1
	for i := range rows {
		rw := &rows[i]
		p, ok := byCode[rw.parent]
		if !ok || rw.parent == "" {
			if root < 0 {
				root = i
				if len(rw.level.Under) > 0 && rw.ok {
					bad(rw.line, RuleLevel, "the root (its parent %q is not in the file) is a %s, which the schema does not allow as a root", rw.parent, rw.level.Level)
				}
				rw.parent = ""
				continue
			}
			bad(rw.line, RuleDangling, "parent %q of %q is not in the file (only the root, line %d, may have its parent outside)", rw.parent, rw.code, rows[root].line)
			continue
		}
		pr := rows[p]
		if !rw.ok || !pr.ok {
			continue
		}
		if !slices.Contains(rw.level.Under, pr.level.Level) {
			bad(rw.line, RuleLevel, "a %s cannot sit under %q, a %s (line %d)", rw.level.Level, pr.code, pr.level.Level, pr.line)
		}
		if rw.stem != "" && pr.stem != "" && !extends(rw.stem, pr.stem) {
			bad(rw.line, RuleCode, "code %q does not extend its parent's code %q (line %d)", rw.code, pr.code, pr.line)
		}
	}
	if len(rows) == 0 {
		bad(1, RuleRoot, "the file has no units")
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("hierarchy: division CSV: %w", errors.Join(errs...))
	}
	b := NewBuilder(s)
	b.units = make([]Unit, 0, len(rows))
	for _, rw := range rows {
		b.AddUnit(Unit{ID: UnitID(rw.code), Code: rw.code, Name: rw.name, Level: rw.level.Level, Kind: KindTerritorial, Parent: UnitID(rw.parent)})
	}
	return b, nil
}
