package policytest

import (
	"fmt"
	"os"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov/profile"
	"github.com/gridgov/gridgov/rewards"
)

// Pos is a 1-based line and column in a scenario file.
type Pos struct {
	Line, Col int
}

// File is one scenario file: what is given to every scenario, and the scenarios.
// It and the types it holds are plain values, safe for concurrent reads.
type File struct {
	Path      string     `yaml:"-" json:"-"`
	Given     Given      `yaml:"given" json:"given,omitempty"`
	Scenarios []Scenario `yaml:"scenarios" json:"scenarios,omitempty"`
}

// Given is the world a scenario runs in. At file level: the profile (a shipped name,
// default "qinhuai", or a path relative to the scenario file), the division register
// CSV the tree is built from (relative to the file), and the units and posts added to
// it. A scenario's own given adds units and posts to the file's (it may not change
// the profile or the tree).
//
// Grids is a GeoJSON FeatureCollection of the grid layer (网格) (relative to the
// file; see [grid.GridsFromGeoJSON] for its properties), in the datum GridsDatum
// (wgs84, the default, gcj02 or bd09). It is validated through the grid package under
// the profile's grid policy, each grid becomes a unit of the tree below its community
// (unless the units list it already), and a report may then give a point instead of a
// unit: the point is located to its grid. Secondments send people or units down (下沉)
// to the unit they serve, which a rate step's reverse evaluation (反向评价) needs. Both
// are file-level; a scenario may add secondments.
type Given struct {
	Profile     string           `yaml:"profile" json:"profile,omitempty"`
	Tree        string           `yaml:"tree" json:"tree,omitempty"`
	Grids       string           `yaml:"grids" json:"grids,omitempty"`
	GridsDatum  string           `yaml:"grids_datum" json:"grids_datum,omitempty"`
	Units       []UnitSpec       `yaml:"units" json:"units,omitempty"`
	Posts       []PostSpec       `yaml:"posts" json:"posts,omitempty"`
	Secondments []SecondmentSpec `yaml:"secondments" json:"secondments,omitempty"`
	Pos         Pos              `yaml:"-" json:"-"`
}

// SecondmentSpec sends a person (or a unit) from its home unit down to the unit it
// serves, from Start until End (zero: open-ended).
type SecondmentSpec struct {
	ID      string    `yaml:"id" json:"id,omitempty"`
	Person  string    `yaml:"person" json:"person,omitempty"`
	Unit    string    `yaml:"unit" json:"unit,omitempty"`
	Home    string    `yaml:"home" json:"home,omitempty"`
	Serving string    `yaml:"serving" json:"serving,omitempty"`
	Start   time.Time `yaml:"start" json:"start,omitzero"`
	End     time.Time `yaml:"end" json:"end,omitzero"`
	Pos     Pos       `yaml:"-" json:"-"`
}

// UnitSpec adds a unit below the register (a grid, a police beat).
type UnitSpec struct {
	ID     string `yaml:"id" json:"id,omitempty"`
	Code   string `yaml:"code" json:"code,omitempty"`
	Name   string `yaml:"name" json:"name,omitempty"`
	Level  string `yaml:"level" json:"level,omitempty"`
	Kind   string `yaml:"kind" json:"kind,omitempty"`
	Parent string `yaml:"parent" json:"parent,omitempty"`
	Pos    Pos    `yaml:"-" json:"-"`
}

// PostSpec appoints a person (created when first named) to a role in a unit. The
// post's ID is what a step's "as" names; it defaults to the person's ID.
type PostSpec struct {
	ID     string    `yaml:"id" json:"id,omitempty"`
	Person string    `yaml:"person" json:"person,omitempty"`
	Name   string    `yaml:"name" json:"name,omitempty"`
	Unit   string    `yaml:"unit" json:"unit,omitempty"`
	Role   string    `yaml:"role" json:"role,omitempty"`
	Start  time.Time `yaml:"start" json:"start,omitzero"`
	End    time.Time `yaml:"end" json:"end,omitzero"`
	Pos    Pos       `yaml:"-" json:"-"`
}

// Scenario is a named sequence of steps.
type Scenario struct {
	Name  string `yaml:"name" json:"name,omitempty"`
	Given Given  `yaml:"given" json:"given,omitempty"`
	When  []Step `yaml:"when" json:"when,omitempty"`
	Pos   Pos    `yaml:"-" json:"-"`
}

// Step is one timed action and what is expected of it. Exactly one action is set.
// At is the time of the step; it defaults to one minute after the previous step and
// may never go back. As names the post of the actor (see [PostSpec]); Case names the
// case (default: the scenario's last reported case).
type Step struct {
	At   time.Time `yaml:"at" json:"at,omitzero"`
	As   string    `yaml:"as" json:"as,omitempty"`
	Case string    `yaml:"case" json:"case,omitempty"`

	Report     *ReportSpec  `yaml:"report" json:"report,omitempty"`
	File       *CaseFile    `yaml:"file" json:"file,omitempty"`
	Dispatch   *DispatchSpc `yaml:"dispatch" json:"dispatch,omitempty"`
	Accept     *NoteSpec    `yaml:"accept" json:"accept,omitempty"`
	Return     *ReasonSpec  `yaml:"return" json:"return,omitempty"`
	ReportBack *NoteSpec    `yaml:"report_back" json:"report_back,omitempty"`
	Verify     *VerifySpec  `yaml:"verify" json:"verify,omitempty"`
	Close      *NoteSpec    `yaml:"close" json:"close,omitempty"`
	Void       *ReasonSpec  `yaml:"void" json:"void,omitempty"`
	Whistle    *WhistleSpec `yaml:"whistle" json:"whistle,omitempty"`
	Summon     *SummonSpec  `yaml:"summon" json:"summon,omitempty"`
	ReportIn   *NoteSpec    `yaml:"report_in" json:"report_in,omitempty"`
	RunDue     *bool        `yaml:"run_due" json:"run_due,omitempty"`
	Payslip    *PayslipSpec `yaml:"payslip" json:"payslip,omitempty"`
	OpenFund   *FundSpec    `yaml:"open_fund" json:"open_fund,omitempty"`
	Claim      *ClaimSpec   `yaml:"claim" json:"claim,omitempty"`
	Approve    *ApproveSpec `yaml:"approve" json:"approve,omitempty"`
	Settle     *SettleSpec  `yaml:"settle" json:"settle,omitempty"`
	Rate       *RateSpec    `yaml:"rate" json:"rate,omitempty"`

	Then *Then `yaml:"then" json:"-"`
	Pos  Pos   `yaml:"-" json:"-"`
}

// ReportSpec reports a case (上报) at a location unit, or at a point (longitude and
// latitude in Datum, default wgs84) that the given grid layer locates to its grid.
type ReportSpec struct {
	ID         string `yaml:"id" json:"id,omitempty"`
	Source     string `yaml:"source" json:"source,omitempty"`
	Category   string `yaml:"category" json:"category,omitempty"`
	Complexity string `yaml:"complexity" json:"complexity,omitempty"`
	Unit       string `yaml:"unit" json:"unit,omitempty"`
	Summary    string `yaml:"summary" json:"summary,omitempty"`
	// Asset and Road are the location's asset and road, which the routing table's
	// asset layer may route by (see [escalation.Location]).
	Asset       string     `yaml:"asset" json:"asset,omitempty"`
	Road        string     `yaml:"road" json:"road,omitempty"`
	Point       *PointSpec `yaml:"point" json:"point,omitempty"`
	Datum       string     `yaml:"datum" json:"datum,omitempty"`
	SelfHandled bool       `yaml:"self_handled" json:"self_handled,omitempty"`
}

// CaseFile files a case (立案), optionally correcting its classification.
type CaseFile struct {
	Category   string `yaml:"category" json:"category,omitempty"`
	Complexity string `yaml:"complexity" json:"complexity,omitempty"`
}

// DispatchSpc dispatches a case (派遣); an empty To routes it by the table.
type DispatchSpc struct {
	To       string `yaml:"to" json:"to,omitempty"`
	Assignee string `yaml:"assignee" json:"assignee,omitempty"`
}

// NoteSpec is an action that takes only an optional note.
type NoteSpec struct {
	Note string `yaml:"note" json:"note,omitempty"`
}

// ReasonSpec is an action that takes a reason.
type ReasonSpec struct {
	Reason string `yaml:"reason" json:"reason,omitempty"`
}

// VerifySpec records a verification (核查).
type VerifySpec struct {
	Passed bool   `yaml:"passed" json:"passed,omitempty"`
	Reason string `yaml:"reason" json:"reason,omitempty"`
}

// WhistleSpec blows the whistle (吹哨).
type WhistleSpec struct {
	Type   string `yaml:"type" json:"type,omitempty"`
	Reason string `yaml:"reason" json:"reason,omitempty"`
}

// SummonSpec calls units and leaders to report in (报到).
type SummonSpec struct {
	Units   []string `yaml:"units" json:"units,omitempty"`
	Leaders []string `yaml:"leaders" json:"leaders,omitempty"`
}

// FundSpec opens a police responsibility area's report-reward fund (奖励基金) for a
// year with an opening deposit in yuan.
type FundSpec struct {
	Area   string      `yaml:"area" json:"area,omitempty"`
	Year   int         `yaml:"year" json:"year,omitempty"`
	Amount rewards.Fen `yaml:"amount" json:"amount,omitempty"`
	Ref    string      `yaml:"ref" json:"ref,omitempty"`
}

// ClaimSpec submits a verified report for its reward (一案一奖). The claim's ID is
// source:id ("report:E-1001"), what approve names.
type ClaimSpec struct {
	Source       string    `yaml:"source" json:"source,omitempty"` // "report" (default) or "case"
	ID           string    `yaml:"id" json:"id,omitempty"`
	Worker       string    `yaml:"worker" json:"worker,omitempty"`
	Area         string    `yaml:"area" json:"area,omitempty"`
	Unit         string    `yaml:"unit" json:"unit,omitempty"`
	Category     string    `yaml:"category" json:"category,omitempty"`
	Outcome      string    `yaml:"outcome" json:"outcome,omitempty"`
	Contribution string    `yaml:"contribution" json:"contribution,omitempty"`
	Matter       string    `yaml:"matter" json:"matter,omitempty"`
	ReportedAt   time.Time `yaml:"reported_at" json:"reported_at,omitzero"`
}

// PointSpec is a longitude and latitude in degrees.
type PointSpec struct {
	Lon float64 `yaml:"lon" json:"lon"`
	Lat float64 `yaml:"lat" json:"lat"`
}

// SettleSpec settles a report-reward fund (结算): every approved claim it can pay,
// oldest first. Fund is the fund's ID (area/year, "320104/public-security/…/2025");
// default: the scenario's last opened fund.
type SettleSpec struct {
	Fund string `yaml:"fund" json:"fund,omitempty"`
}

// RateSpec submits a rating under a rule of the profile's evaluation policy: a
// community's reverse evaluation (反向评价) of a person or unit seconded to it for a
// period (2025-Q3), or a street's rating of a whistle or a case (the scenario's last
// reported case unless Case names one). The rater is the post "as" names; Answers
// give each criterion an answer key of its scale (satisfied, basic, …) or "n/a".
type RateSpec struct {
	Rule    string            `yaml:"rule" json:"rule"`
	Person  string            `yaml:"person" json:"person,omitempty"`
	Unit    string            `yaml:"unit" json:"unit,omitempty"`
	Period  string            `yaml:"period" json:"period,omitempty"`
	Case    string            `yaml:"case" json:"case,omitempty"`
	Whistle int               `yaml:"whistle" json:"whistle,omitempty"`
	Answers map[string]string `yaml:"answers" json:"answers"`
	Comment string            `yaml:"comment" json:"comment,omitempty"`
}

// ApproveSpec approves a claim (default: the scenario's last submitted claim).
type ApproveSpec struct {
	Claim string `yaml:"claim" json:"claim,omitempty"`
}

// PayslipSpec computes a worker's payslip for the month of the step under the
// profile's pay scale (薪酬等级), with the month's evaluation band and assessment.
type PayslipSpec struct {
	Worker     WorkerSpec `yaml:"worker" json:"worker,omitempty"`
	Band       string     `yaml:"band" json:"band,omitempty"`
	Assessment string     `yaml:"assessment" json:"assessment,omitempty"`
}

// WorkerSpec is a [rewards.Worker] as a scenario writes it.
type WorkerSpec struct {
	ID           string           `yaml:"id" json:"id,omitempty"`
	Start        time.Time        `yaml:"start" json:"start,omitzero"`
	PriorService int              `yaml:"prior_service" json:"prior_service,omitempty"`
	Education    string           `yaml:"education" json:"education,omitempty"`
	Posts        []SpellSpec      `yaml:"posts" json:"posts,omitempty"`
	Certificates []CertSpec       `yaml:"certificates" json:"certificates,omitempty"`
	Assessments  []AssessmentSpec `yaml:"assessments" json:"assessments,omitempty"`
}

// SpellSpec is a post held from a date.
type SpellSpec struct {
	Post     string    `yaml:"post" json:"post,omitempty"`
	From     time.Time `yaml:"from" json:"from,omitzero"`
	DualRole bool      `yaml:"dual_role" json:"dual_role,omitempty"`
}

// CertSpec is a social-work certificate obtained on a date.
type CertSpec struct {
	Level string    `yaml:"level" json:"level,omitempty"`
	From  time.Time `yaml:"from" json:"from,omitzero"`
}

// AssessmentSpec is one year's assessment result.
type AssessmentSpec struct {
	Year   int    `yaml:"year" json:"year,omitempty"`
	Result string `yaml:"result" json:"result,omitempty"`
}

// Then is the expectations of a step, in file order.
type Then struct {
	Expects []Expect
	Pos     Pos
}

// Expect is one expectation: a kind (see [Kinds]) and the value wanted, in its
// canonical notation (a deadline as RFC 3339, an amount as ¥1,234.00).
type Expect struct {
	Kind string
	Want string
	Pos  Pos
	time time.Time
}

// The kinds of expectation, and the actions each applies to.
var expectKinds = []string{"state", "level", "owner", "deadline", "refused_by", "amount", "grade", "escalations", "grid", "score", "balance", "paid"}

// Kinds returns the kinds of expectation a step's then may hold.
func Kinds() []string { return slices.Clone(expectKinds) }

func isExpectKind(k string) bool { return slices.Contains(expectKinds, k) }

func (w WorkerSpec) worker() rewards.Worker {
	out := rewards.Worker{ID: personID(w.ID), Start: w.Start, PriorService: w.PriorService, Education: w.Education}
	for _, p := range w.Posts {
		out.Posts = append(out.Posts, rewards.PostSpell{Post: p.Post, From: p.From, DualRole: p.DualRole})
	}
	for _, c := range w.Certificates {
		out.Certificates = append(out.Certificates, rewards.Certificate{Level: c.Level, From: c.From})
	}
	for _, a := range w.Assessments {
		out.Assessments = append(out.Assessments, rewards.Assessment{Year: a.Year, Result: a.Result})
	}
	return out
}

// action returns the name of the step's action and how many actions it sets.
func (s *Step) action() (string, int) {
	name, n := "", 0
	for _, a := range []struct {
		name string
		set  bool
	}{
		{"report", s.Report != nil}, {"file", s.File != nil}, {"dispatch", s.Dispatch != nil},
		{"accept", s.Accept != nil}, {"return", s.Return != nil}, {"report_back", s.ReportBack != nil},
		{"verify", s.Verify != nil}, {"close", s.Close != nil}, {"void", s.Void != nil},
		{"whistle", s.Whistle != nil}, {"summon", s.Summon != nil}, {"report_in", s.ReportIn != nil},
		{"run_due", s.RunDue != nil}, {"payslip", s.Payslip != nil},
		{"open_fund", s.OpenFund != nil}, {"claim", s.Claim != nil}, {"approve", s.Approve != nil},
		{"settle", s.Settle != nil}, {"rate", s.Rate != nil},
	} {
		if a.set {
			name, n = a.name, n+1
		}
	}
	return name, n
}

// appliesTo says which expectations make sense after which actions: an expectation
// that cannot be checked is an error, never a silent pass.
func appliesTo(kind, action string) bool {
	reward := action == "claim" || action == "approve"
	onCase := action != "payslip" && action != "open_fund" && action != "settle" && action != "rate" && !reward
	switch kind {
	case "amount":
		return action == "payslip" || reward || action == "settle"
	case "grade":
		return action == "payslip"
	case "state":
		return onCase || reward
	case "escalations":
		return action == "run_due"
	case "refused_by":
		return action != "run_due"
	case "grid":
		return action == "report"
	case "score":
		return action == "rate"
	case "balance":
		return action == "settle" || action == "open_fund"
	case "paid":
		return action == "settle"
	}
	return onCase
}

// ParseFile reads a scenario file strictly: every problem (unknown or duplicate keys,
// wrong kinds, bad times or amounts, steps with no or two actions, expectations that
// do not apply to their step, a file with no expectation at all) is a [profile.Error]
// at its line and column, all returned at once as a [profile.ErrorList].
func ParseFile(path string) (*File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policytest: %w", err)
	}
	return Parse(path, src)
}

// Parse is [ParseFile] on a file's contents; path names it in errors and anchors the
// relative paths it gives.
func Parse(path string, src []byte) (*File, error) {
	d := &decoder{file: path, src: src}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, profile.ErrorList{{File: path, Line: 1, Col: 1, Msg: "not YAML: " + err.Error()}}
	}
	f := &File{Path: path}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, profile.ErrorList{{File: path, Line: 1, Col: 1, Msg: "empty scenario file: it must list scenarios"}}
	}
	root := doc.Content[0]
	d.decode(root, reflectValue(f), "")
	d.decoded = len(d.errs) == 0
	d.check(root, f) // on what decoded, so that every problem is reported at once
	if len(d.errs) > 0 {
		slices.SortStableFunc(d.errs, func(a, b *profile.Error) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Col - b.Col
		})
		return nil, d.errs
	}
	return f, nil
}

func (d *decoder) at(p Pos, path, format string, args ...any) {
	d.fail(&yaml.Node{Line: p.Line, Column: p.Col}, path, format, args...)
}

func (d *decoder) check(root *yaml.Node, f *File) {
	if len(f.Scenarios) == 0 {
		d.fail(root, "scenarios", "the file has no scenarios")
	}
	expects := 0
	names := map[string]bool{}
	for i, sc := range f.Scenarios {
		sp := fmt.Sprintf("scenarios[%d]", i)
		if sc.Name == "" {
			d.at(sc.Pos, sp+".name", "a scenario needs a name")
		} else if names[sc.Name] {
			d.at(sc.Pos, sp+".name", "duplicate scenario name %q", sc.Name)
		}
		names[sc.Name] = true
		if sc.Given.Profile != "" || sc.Given.Tree != "" || sc.Given.Grids != "" || sc.Given.GridsDatum != "" {
			d.at(sc.Given.Pos, sp+".given", "a scenario may add units, posts and secondments; profile, tree and grids are given for the whole file")
		}
		if len(sc.When) == 0 {
			d.at(sc.Pos, sp+".when", "scenario %q has no steps", sc.Name)
		}
		scExpects := 0
		for j, st := range sc.When {
			p := fmt.Sprintf("%s.when[%d]", sp, j)
			action, n := st.action()
			if st.Then != nil {
				scExpects += len(st.Then.Expects)
			}
			switch {
			case n == 0 && !d.decoded:
				continue // a misspelt action has its own error
			case n == 0:
				d.at(st.Pos, p, "a step needs one action (report, file, dispatch, accept, return, report_back, verify, close, void, whistle, summon, report_in, run_due, payslip, open_fund, claim, approve, settle, rate)")
				continue
			case n > 1:
				d.at(st.Pos, p, "a step has one action, this one has %d", n)
				continue
			}
			if j == 0 && st.At.IsZero() && d.decoded {
				d.at(st.Pos, p+".at", "the first step needs a time (at)")
			}
			if st.As == "" && action != "run_due" && action != "payslip" {
				d.at(st.Pos, p+".as", "%s needs an actor: as names a post of the given", action)
			}
			if r := st.Report; r != nil && r.Point != nil && r.Unit != "" {
				d.at(st.Pos, p+".report", "a report gives a unit or a point to locate, not both")
			}
			if r := st.Rate; r != nil {
				switch {
				case r.Rule == "":
					d.at(st.Pos, p+".rate.rule", "a rating names its rule")
				case (r.Person == "") == (r.Unit == ""):
					d.at(st.Pos, p+".rate", "a rating rates one subject: a person or a unit")
				case r.Period != "" && (r.Case != "" || r.Whistle != 0):
					d.at(st.Pos, p+".rate", "a rating is about a period, or a case (and its whistle), not both")
				case len(r.Answers) == 0:
					d.at(st.Pos, p+".rate.answers", "a rating answers its criteria")
				}
			}
			if st.RunDue != nil && !*st.RunDue {
				d.at(st.Pos, p+".run_due", "run_due: false does nothing; write run_due: true or remove the step")
			}
			if st.Then == nil {
				continue
			}
			for _, e := range st.Then.Expects {
				if !appliesTo(e.Kind, action) {
					d.at(e.Pos, p+".then."+e.Kind, "expectation %q does not apply to a %s step", e.Kind, action)
				}
			}
		}
		// A misspelt expectation already has its error; "expects nothing" would
		// only repeat it.
		if scExpects == 0 && len(sc.When) > 0 && d.decoded {
			d.at(sc.Pos, sp, "scenario %q expects nothing: give at least one step a then", sc.Name)
		}
		expects += scExpects
	}
	_ = expects
}
