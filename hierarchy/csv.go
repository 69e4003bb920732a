package hierarchy

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
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
//
// The file must be UTF-8 text (a leading byte-order mark is allowed). Before any line
// is parsed, a file holding bytes that are not UTF-8, NUL or other control characters
// (C0 except tab, CR and LF; DEL; C1), U+FFFD (the mark of an earlier failed
// conversion) or a byte-order mark after the start is refused with one [*LineError] of
// rule [RuleEncoding] per offending line, so no garbled name is ever stored. When the
// bytes that are not UTF-8 read as GBK/GB18030 Chinese text — the encoding registers
// exported from older Windows tools use — the error says so: decode such a file first,
// for example through golang.org/x/text/encoding/simplifiedchinese.GB18030.NewDecoder().Reader.
func LoadDivisionsCSV(r io.Reader, s Schema) (*Builder, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("hierarchy: division CSV: %w", &LineError{Line: bytes.Count(data, []byte{'\n'}) + 1,
			Err: invalid("LoadDivisionsCSV", RuleCSV, "cannot read the file: %v", err)})
	}
	if errs := checkText(data); len(errs) > 0 {
		return nil, fmt.Errorf("hierarchy: division CSV: %w", errors.Join(errs...))
	}
	cr := csv.NewReader(bytes.NewReader(data))
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

// maxTextErrors bounds the per-line encoding errors of one file: a whole file in the
// wrong encoding would otherwise yield one error per line.
const maxTextErrors = 20

// checkText reports, one error per line, what makes data unfit to be read as UTF-8
// text of names and codes.
func checkText(data []byte) []error {
	var errs []error
	more, firstMore := 0, 0
	line, lineStart := 1, 0
	reported := 0 // the last line reported
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		var problem string
		switch {
		case r == utf8.RuneError && size == 1:
			problem = fmt.Sprintf("is not valid UTF-8 (byte 0x%02X at byte %d of the line)", data[i], i-lineStart+1)
			if reported != line && len(errs) < maxTextErrors && looksGBK(lineAt(data, lineStart)) {
				problem += "; the file looks like GBK/GB18030: convert it to UTF-8 (e.g. through golang.org/x/text/encoding/simplifiedchinese.GB18030) before loading it"
			}
		case r == 0:
			problem = fmt.Sprintf("holds a NUL byte (at byte %d of the line)", i-lineStart+1)
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f, r >= 0x80 && r <= 0x9f:
			problem = fmt.Sprintf("holds control character %U (at byte %d of the line)", r, i-lineStart+1)
		case r == utf8.RuneError:
			problem = "holds U+FFFD, the replacement character an earlier failed conversion leaves in place of the original text"
		case r == 0xfeff && i != 0:
			problem = "holds a byte-order mark (U+FEFF) after the start of the file"
		case r == '\n':
			line++
			lineStart = i + 1
		}
		if problem != "" && reported != line {
			reported = line
			if len(errs) < maxTextErrors {
				errs = append(errs, &LineError{Line: line, Err: invalid("LoadDivisionsCSV", RuleEncoding, "%s", problem)})
			} else {
				if more == 0 {
					firstMore = line
				}
				more++
			}
		}
		i += size
	}
	if more > 0 {
		errs = append(errs, &LineError{Line: firstMore, Err: invalid("LoadDivisionsCSV", RuleEncoding,
			"and %d more lines from this one on are not clean UTF-8 text", more)})
	}
	return errs
}

// lineAt returns the line of data that starts at byte start, without its end of line.
func lineAt(data []byte, start int) []byte {
	line := data[start:]
	if k := bytes.IndexByte(line, '\n'); k >= 0 {
		line = line[:k]
	}
	return line
}

// looksGBK reports whether the bytes of data that are not ASCII read as GBK/GB18030
// Chinese text: every one belongs to a well-formed two-byte (lead 0x81–0xFE, trail
// 0x40–0xFE but 0x7F) or four-byte GB18030 sequence, and most two-byte sequences fall in
// GB2312's rows of symbols and hanzi (lead 0xA1–0xA9 or 0xB0–0xF7, trail 0xA1–0xFE),
// where the characters of division names lie.
func looksGBK(data []byte) bool {
	pairs, common := 0, 0
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c < 0x80:
			i++
			continue
		case c == 0x80 || c == 0xff || i+1 >= len(data):
			return false
		}
		t := data[i+1]
		switch {
		case t >= 0x30 && t <= 0x39: // four-byte GB18030
			if i+3 >= len(data) || data[i+2] < 0x81 || data[i+2] > 0xfe || data[i+3] < 0x30 || data[i+3] > 0x39 {
				return false
			}
			i += 4
		case t >= 0x40 && t <= 0xfe && t != 0x7f:
			pairs++
			if (c >= 0xa1 && c <= 0xa9 || c >= 0xb0 && c <= 0xf7) && t >= 0xa1 {
				common++
			}
			i += 2
		default:
			return false
		}
	}
	return pairs > 0 && common*5 >= pairs*4
}
