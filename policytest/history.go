package policytest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/profile"
)

// HistoryWorld is the first line of each run of a history (history.jsonl), under the
// key "world": the world its commands ran in and what decided them. Every run starts
// afresh (an empty store, a fake clock at its first command, the same seeded IDs as a
// scenario), so a history holds any number of independent runs, one a scenario.
//
//	{"world":{"scenario":"pay","source":"qinhuai.yaml","profile":"qinhuai",
//	  "fingerprint":"sha256:…","policy":"qinhuai-2025","tree":"qinhuai-divisions.csv",
//	  "tree_sha256":"…","units":[…],"posts":[…]}}
//
// Tree is the division register the tree is built from, relative to the history's
// directory ([HistoryOptions].Dir) unless absolute; TreeSHA256, when set, is its
// digest at recording time, and a replay refuses a register that has changed since.
// Grids, GridsDatum and GridsSHA256 are the grid layer likewise, when the run had
// one. Units, posts and secondments are those of a scenario's given (see [Given]). Profile and
// Fingerprint name the profile that decided the commands ([profile.Profile.Fingerprint]);
// Policy is its escalation policy version. HistoryWorld is a plain value.
type HistoryWorld struct {
	Scenario    string     `json:"scenario"`
	Source      string     `json:"source,omitempty"`
	Profile     string     `json:"profile,omitempty"`
	Fingerprint string     `json:"fingerprint,omitempty"`
	Policy      string     `json:"policy,omitempty"`
	Tree        string     `json:"tree"`
	TreeSHA256  string     `json:"tree_sha256,omitempty"`
	Grids       string     `json:"grids,omitempty"`
	GridsDatum  string     `json:"grids_datum,omitempty"`
	GridsSHA256 string     `json:"grids_sha256,omitempty"`
	Units       []UnitSpec `json:"units,omitempty"`
	Posts       []PostSpec `json:"posts,omitempty"`
	// Secondments are those of the given (see [SecondmentSpec]).
	Secondments []SecondmentSpec `json:"secondments,omitempty"`
}

// HistoryCommand is every other line of a history: one command, timed, with its actor
// and inputs as a scenario step writes them (the action's key and its fields: "report":
// {"id":…,"category":…}, "dispatch":{}, "run_due":true, "payslip":{…}), and the decision
// the recording profile made, under "decision", in the canonical notation of
// expectations (see [Kinds]): state, level, owner, deadline, refused_by, escalations,
// amount, grade, as apply to the action. Policy is the escalation policy version the
// command was decided under; Profile the recording profile's fingerprint, when known.
//
//	{"at":"2025-09-30T10:01:00+08:00","as":"zhao","person":"zhao","case":"C1",
//	  "dispatch":{},"decision":{"deadline":"2025-10-11T17:30:00+08:00","level":"grid",
//	  "owner":"320104002/law-enforcement","refused_by":"(accepted)","state":"dispatched"},
//	  "policy":"qinhuai-2025","profile":"sha256:…"}
//
// Unlike a scenario step, every command carries its time (with its zone), and times
// never go back within a run. Money in inputs is yuan, as in a profile ("¥500.00").
type HistoryCommand struct {
	Step
	Person   string            `json:"person,omitempty"`
	Decision map[string]string `json:"decision"`
	Policy   string            `json:"policy"`
	Profile  string            `json:"profile,omitempty"`
}

// historyLine is one line as decoded: a world or a command, never both.
type historyLine struct {
	World *HistoryWorld `json:"world,omitempty"`
	HistoryCommand
}

// HistoryWriter writes a history, one JSON object a line. It is not safe for
// concurrent use.
type HistoryWriter struct {
	w   io.Writer
	err error
}

// NewHistoryWriter returns a writer of a history to w.
func NewHistoryWriter(w io.Writer) *HistoryWriter { return &HistoryWriter{w: w} }

func (hw *HistoryWriter) line(v any) error {
	if hw.err != nil {
		return hw.err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		hw.err = fmt.Errorf("policytest: history: %w", err)
		return hw.err
	}
	if _, err := hw.w.Write(b.Bytes()); err != nil {
		hw.err = fmt.Errorf("policytest: history: %w", err)
	}
	return hw.err
}

// World starts a run.
func (hw *HistoryWriter) World(w HistoryWorld) error {
	return hw.line(struct {
		World HistoryWorld `json:"world"`
	}{w})
}

// Command writes one command of the current run.
func (hw *HistoryWriter) Command(c HistoryCommand) error {
	if _, n := c.action(); n != 1 {
		return fmt.Errorf("policytest: history: a command has one action, this one has %d: %w", n, gridgov.ErrInvalid)
	}
	if c.Then != nil {
		return fmt.Errorf("policytest: history: a command records its decision, not expectations: %w", gridgov.ErrInvalid)
	}
	return hw.line(c)
}

// RecordOptions are the options of [Record]; nil means the defaults.
type RecordOptions struct {
	// Dir is the directory the history will be read from: the register and profile
	// paths it records are written relative to it. Default: the current directory.
	Dir string
}

// Record runs the scenario files as [Check] does and writes, to w, the history of
// every scenario: a world line, then each step as a command with the decision the
// scenario's profile made (see [HistoryCommand]). The history replays under a changed
// profile with [ReplayHistory]. Nothing is written when the files cannot be run.
func Record(w io.Writer, files []string, opts *RecordOptions) (Report, error) {
	var o RecordOptions
	if opts != nil {
		o = *opts
	}
	var outs []Outcome
	r, _, err := check(files, nil, &outs)
	if err != nil {
		return r, err
	}
	dir, err := filepath.Abs(cmpOr(o.Dir, "."))
	if err != nil {
		return r, fmt.Errorf("policytest: record: %w", err)
	}
	rel := func(p string) string {
		abs, err := filepath.Abs(p)
		if err != nil {
			return p
		}
		if r, err := filepath.Rel(dir, abs); err == nil {
			return filepath.ToSlash(r)
		}
		return abs
	}
	var buf bytes.Buffer
	hw := NewHistoryWriter(&buf)
	var sc *Scenario
	for _, oc := range outs {
		wd := oc.world
		if oc.scenario != sc {
			sc = oc.scenario
			g := wd.file.Given
			pname := cmpOr(g.Profile, "qinhuai")
			if !slices.Contains(profile.Embedded(), pname) {
				pname = rel(resolve(filepath.Dir(wd.file.Path), pname))
			}
			sum := sha256.Sum256(wd.register)
			var grids, gridsSum string
			if g.Grids != "" {
				gs := sha256.Sum256(wd.gridsData)
				grids, gridsSum = rel(resolve(filepath.Dir(wd.file.Path), g.Grids)), hex.EncodeToString(gs[:])
			}
			hw.World(HistoryWorld{
				Grids: grids, GridsDatum: g.GridsDatum, GridsSHA256: gridsSum,
				Secondments: slices.Concat(g.Secondments, sc.Given.Secondments),
				Scenario:    sc.Name, Source: rel(wd.file.Path), Profile: pname,
				Fingerprint: wd.profile.Fingerprint(), Policy: wd.profile.Escalation.Version,
				Tree: rel(resolve(filepath.Dir(wd.file.Path), g.Tree)), TreeSHA256: hex.EncodeToString(sum[:]),
				Units: slices.Concat(g.Units, sc.Given.Units), Posts: slices.Concat(g.Posts, sc.Given.Posts),
			})
		}
		st := *oc.step
		st.At, st.Then = oc.at, nil
		if oc.Action != "report" {
			st.Case = oc.caseID
		}
		if err := hw.Command(HistoryCommand{Step: st, Person: oc.person, Decision: oc.Values,
			Policy: wd.profile.Escalation.Version, Profile: wd.profile.Fingerprint()}); err != nil {
			return r, err
		}
	}
	if hw.err != nil {
		return r, hw.err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return r, fmt.Errorf("policytest: record: %w", err)
	}
	return r, nil
}

// HistoryOptions are the options of [ReplayHistory]; nil means the defaults.
type HistoryOptions struct {
	// Name names the history in errors and differences. Default "history.jsonl".
	Name string
	// Dir is the directory relative register paths are read from. Default: the
	// current directory.
	Dir string
}

// historyRun is one run of a history as parsed.
type historyRun struct {
	world     HistoryWorld
	line      int
	steps     []Step
	decisions []map[string]string
}

// parseHistory reads a history strictly: a line that is not UTF-8, not one JSON
// object, repeats a key, holds an unknown field or a wrong type, a command before any
// world, a command without a time or with one before the previous command's, with no
// action or two, without an actor where its action needs one, a decision of an
// unknown kind or one that does not apply to the action — each is a [profile.Error]
// at the line (and, for JSON syntax, the column), all returned at once as a
// [profile.ErrorList].
func parseHistory(name string, src []byte) ([]historyRun, error) {
	var errs profile.ErrorList
	fail := func(line, col int, path, format string, args ...any) {
		errs = append(errs, &profile.Error{File: name, Line: line, Col: col, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	var runs []historyRun
	var last time.Time
	lines := bytes.Split(src, []byte("\n"))
	if n := len(lines); n > 0 && len(lines[n-1]) == 0 {
		lines = lines[:n-1] // the newline that ends the last line
	}
	if len(lines) == 0 {
		fail(1, 1, "", "empty history: it must start with a world line")
	}
	for i, raw := range lines {
		ln := i + 1
		if !utf8.Valid(raw) {
			fail(ln, invalidUTF8(raw)+1, "", "not UTF-8")
			continue
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			fail(ln, 1, "", "empty line: every line is one JSON object")
			continue
		}
		if key, off, ok := duplicateKey(raw); ok {
			fail(ln, off+1, "", "duplicate key %q", key)
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var hl historyLine
		if err := dec.Decode(&hl); err != nil {
			fail(ln, jsonCol(raw, err), "", "%s", jsonMsg(err))
			continue
		}
		if dec.More() || dec.InputOffset() < int64(len(bytes.TrimRight(raw, " \t\r"))) {
			fail(ln, int(dec.InputOffset())+1, "", "one JSON object a line: something follows it")
			continue
		}
		if hl.World != nil {
			if _, n := hl.action(); n > 0 || hl.Decision != nil || hl.Policy != "" || !hl.At.IsZero() {
				fail(ln, 1, "world", "a world line holds only the world")
				continue
			}
			if hl.World.Tree == "" {
				fail(ln, 1, "world.tree", "a world needs the division register (tree) its tree is built from")
			}
			runs = append(runs, historyRun{world: *hl.World, line: ln})
			last = time.Time{}
			continue
		}
		st := hl.Step
		st.Pos = Pos{Line: ln, Col: 1}
		action, n := st.action()
		switch {
		case len(runs) == 0:
			fail(ln, 1, "", "a command before any world line: the history must start with one")
			continue
		case n != 1:
			fail(ln, 1, "", "a command has one action, this one has %d", n)
			continue
		case st.At.IsZero():
			fail(ln, 1, "at", "a command needs its time (at)")
			continue
		case st.At.Before(last):
			fail(ln, 1, "at", "at %s goes back before the previous command's %s", formatTime(st.At), formatTime(last))
			continue
		case st.As == "" && action != "run_due" && action != "payslip":
			fail(ln, 1, "as", "%s needs an actor: as names a post of the world", action)
			continue
		case st.RunDue != nil && !*st.RunDue:
			fail(ln, 1, "run_due", "run_due: false does nothing")
			continue
		case hl.Decision == nil:
			fail(ln, 1, "decision", "a command records the decision it was given")
			continue
		case hl.Policy == "":
			fail(ln, 1, "policy", "a command records the policy version it was decided under")
			continue
		}
		bad := false
		for _, k := range slices.Sorted(maps.Keys(hl.Decision)) {
			if !isExpectKind(k) {
				fail(ln, 1, "decision."+k, "unknown decision %q%s (want one of %s)", k, suggest(k, expectKinds), strings.Join(expectKinds, ", "))
				bad = true
			} else if !appliesTo(k, action) {
				fail(ln, 1, "decision."+k, "decision %q does not apply to a %s command", k, action)
				bad = true
			}
		}
		if bad {
			continue
		}
		last = st.At
		r := &runs[len(runs)-1]
		r.steps = append(r.steps, st)
		r.decisions = append(r.decisions, hl.Decision)
	}
	for _, r := range runs {
		if len(r.steps) == 0 {
			fail(r.line, 1, "world", "run %q has no commands", r.world.Scenario)
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *profile.Error) int { return a.Line - b.Line })
		return nil, errs
	}
	return runs, nil
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

func jsonCol(raw []byte, err error) int {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return int(se.Offset)
	case errors.As(err, &te):
		return int(te.Offset)
	}
	if k, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if i := bytes.Index(raw, []byte(k)); i >= 0 {
			return i + 1
		}
	}
	return 1
}

func jsonMsg(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: want %s, got %s", te.Field, te.Type, te.Value)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field") {
		return msg
	}
	if strings.HasPrefix(err.Error(), "parsing time") {
		return "time: " + err.Error() + " (want RFC 3339 with its zone)"
	}
	return "not a JSON object: " + msg
}

// ReplayHistory reruns every command of a recorded history (see [HistoryWorld] and
// [HistoryCommand]) under changed, each run on a fresh store, fake clock and seeded
// IDs, and returns what changed decides differently from what the history records:
// deadline, escalations, level, state, owner, refusal, amount, grade, each with the
// history's line, the run's scenario and the case. Differences are grouped by case, in
// the order cases first appear; within a case, a changed value is reported at the
// command that first shows it, not again while it stays the same. Only the kinds a
// command's decision records are compared. Under the profile that recorded the
// history, replay finds no difference.
//
// The whole history is read and checked before anything runs, and every run must
// complete: a malformed line (see the errors of the format on [HistoryCommand]) is
// returned as a [profile.ErrorList] naming every bad line at once, and a register that
// is missing or changed since recording, or a command that cannot be issued at all, as
// an error naming its line; no difference is returned with an error.
func ReplayHistory(r io.Reader, changed *profile.Profile, opts *HistoryOptions) ([]Difference, error) {
	if changed == nil {
		return nil, fmt.Errorf("policytest: replay: no changed profile: %w", gridgov.ErrInvalid)
	}
	var o HistoryOptions
	if opts != nil {
		o = *opts
	}
	name := cmpOr(o.Name, "history.jsonl")
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("policytest: replay %s: %w", name, err)
	}
	runs, err := parseHistory(name, src)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(cmpOr(o.Dir, "."))
	if err != nil {
		return nil, fmt.Errorf("policytest: replay %s: %w", name, err)
	}
	loaded := map[string]*loadedProfile{}
	worlds := map[string]*world{}
	registers := map[string][]byte{}
	cov := newCoverage()
	var out []Difference
	for ri := range runs {
		run := &runs[ri]
		tree := resolve(dir, run.world.Tree)
		reg, ok := registers[tree]
		if !ok {
			if reg, err = os.ReadFile(tree); err != nil {
				return nil, fmt.Errorf("policytest: %s:%d world.tree: %w", name, run.line, err)
			}
			registers[tree] = reg
		}
		if want := run.world.TreeSHA256; want != "" {
			if sum := sha256.Sum256(reg); hex.EncodeToString(sum[:]) != want {
				return nil, fmt.Errorf("policytest: %s:%d world.tree: %s has changed since the history was recorded (sha256 %s, recorded %s): %w",
					name, run.line, run.world.Tree, hex.EncodeToString(sum[:]), want, gridgov.ErrInvalid)
			}
		}
		// Runs of the same world (register, units, posts) share its tree, as the
		// scenarios of a file do.
		grids := ""
		if run.world.Grids != "" {
			grids = resolve(dir, run.world.Grids)
		}
		key, _ := json.Marshal([]any{tree, grids, run.world.GridsDatum, run.world.Units, run.world.Posts, run.world.Secondments})
		w, ok := worlds[string(key)]
		if !ok {
			f := &File{Path: name, Given: Given{Tree: tree, Grids: grids, GridsDatum: run.world.GridsDatum, Units: run.world.Units,
				Posts: run.world.Posts, Secondments: run.world.Secondments, Pos: Pos{Line: run.line, Col: 1}}}
			if w, err = newWorld(f, loaded, changed); err != nil {
				return nil, err
			}
			if want := run.world.GridsSHA256; want != "" {
				if sum := sha256.Sum256(w.gridsData); hex.EncodeToString(sum[:]) != want {
					return nil, fmt.Errorf("policytest: %s:%d world.grids: %s has changed since the history was recorded: %w",
						name, run.line, run.world.Grids, gridgov.ErrInvalid)
				}
			}
			worlds[string(key)] = w
		}
		sc := &Scenario{Name: run.world.Scenario, When: run.steps, Pos: Pos{Line: run.line, Col: 1}}
		var outs []Outcome
		rep := Report{Passes: map[string]int{}}
		if err := w.run(sc, &rep, cov, &outs); err != nil {
			return nil, err
		}
		out = append(out, diffRun(run, outs)...)
	}
	return out, nil
}

// diffRun compares the outcomes of a run's commands with the decisions recorded, and
// orders the differences case by case, in the order cases first appear, line order
// within a case.
func diffRun(run *historyRun, outs []Outcome) []Difference {
	var out []Difference
	last := map[string]Difference{}
	for i, o := range outs {
		rec := run.decisions[i]
		for _, k := range expectKinds {
			nv, applies := o.Values[k]
			if !applies {
				continue
			}
			// A kind the history did not record (one added to the kit after it was
			// written) is not compared: there is nothing to compare it with.
			ov, recorded := rec[k]
			if !recorded {
				continue
			}
			key := o.caseID + "\x00" + k
			if ov == nv {
				delete(last, key)
				continue
			}
			d := Difference{File: o.File, Line: o.Line, Scenario: run.world.Scenario, Step: i + 1, Action: o.Action, Case: o.caseID, Kind: k, Old: ov, New: nv}
			if prev, ok := last[key]; ok && prev.Old == d.Old && prev.New == d.New {
				continue
			}
			last[key] = d
			out = append(out, d)
		}
	}
	first := map[string]int{}
	for i, d := range out {
		if _, ok := first[d.Case]; !ok {
			first[d.Case] = i
		}
	}
	slices.SortStableFunc(out, func(a, b Difference) int { return first[a.Case] - first[b.Case] })
	return out
}

// fundJSON is a [FundSpec] in a history: the amount in yuan, as everywhere money is
// written by hand or read by district staff.
type fundJSON struct {
	Area   string `json:"area,omitempty"`
	Year   int    `json:"year,omitempty"`
	Amount string `json:"amount"`
	Ref    string `json:"ref,omitempty"`
}

// MarshalJSON writes the fund's amount in yuan ("¥50,000.00").
func (f FundSpec) MarshalJSON() ([]byte, error) {
	return json.Marshal(fundJSON{Area: f.Area, Year: f.Year, Amount: f.Amount.String(), Ref: f.Ref})
}

// UnmarshalJSON reads a fund with its amount in yuan, strictly.
func (f *FundSpec) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var j fundJSON
	if err := dec.Decode(&j); err != nil {
		return err
	}
	fen, err := parseMoney(j.Amount)
	if err != nil {
		return err
	}
	*f = FundSpec{Area: j.Area, Year: j.Year, Amount: fen, Ref: j.Ref}
	return nil
}

// FormatHistoryDifferences prints the differences of a replayed history case by case:
// a heading for each case (or each command on no case: a payslip), then one line per
// difference, "history.jsonl:12 dispatch: deadline old → new", and a count.
func FormatHistoryDifferences(ds []Difference) string {
	var b strings.Builder
	head := ""
	for _, d := range ds {
		h := fmt.Sprintf("run %q", d.Scenario)
		if d.Case != "" {
			h = fmt.Sprintf("case %s (run %q)", d.Case, d.Scenario)
		}
		if h != head {
			head = h
			b.WriteString(h + ":\n")
		}
		fmt.Fprintf(&b, "  %s:%d %s: %s %s → %s\n", d.File, d.Line, d.Action, d.Kind, d.Old, d.New)
	}
	fmt.Fprintf(&b, "%d difference(s)\n", len(ds))
	return b.String()
}

// duplicateKey finds a key repeated within one JSON object of a line, at any depth,
// and its byte offset: encoding/json would keep the last silently, and a history
// whose line says two things is refused, as a scenario file with a repeated key is.
// It reports nothing for a line that is not JSON; the decoder names that.
func duplicateKey(raw []byte) (string, int, bool) {
	// A byte scan rather than json.Decoder.Token, which allocates for every token:
	// this runs on every line of a history before it is decoded.
	type frame struct {
		obj  bool
		keys [][]byte
	}
	var stack []frame
	expectKey := false
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '{':
			stack = append(stack, frame{obj: true})
			expectKey = true
		case '[':
			stack = append(stack, frame{})
			expectKey = false
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			expectKey = false
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1].obj
		case '"':
			j := i + 1
			for j < len(raw) && raw[j] != '"' {
				if raw[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(raw) {
				return "", 0, false
			}
			if expectKey && len(stack) > 0 {
				k := raw[i+1 : j]
				f := &stack[len(stack)-1]
				for _, seen := range f.keys {
					if bytes.EqualFold(seen, k) {
						return string(k), i, true
					}
				}
				f.keys = append(f.keys, k)
				expectKey = false
			}
			i = j
		}
	}
	return "", 0, false
}
