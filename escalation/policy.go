package escalation

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Step is a timed stretch of the closed loop. Each has a time limit (by category and
// complexity) and a timer in [Policy.Timeline].
type Step string

// Steps, in the order of the loop.
const (
	StepFile     Step = "file"     // report → filed or voided
	StepDispatch Step = "dispatch" // filed (or returned) → dispatched
	StepRespond  Step = "respond"  // dispatched → accepted or returned: the first response
	StepHandle   Step = "handle"   // dispatch (or rework) → reported back: the resolution deadline
	StepVerify   Step = "verify"   // reported back → verified or sent to rework
	StepClose    Step = "close"    // verified → closed
)

// Steps returns every step in loop order.
func Steps() []Step {
	return []Step{StepFile, StepDispatch, StepRespond, StepHandle, StepVerify, StepClose}
}

func (s Step) valid() bool { return slices.Contains(Steps(), s) }

// Duration is a [time.Duration] written as text ("4h", "30m", "1h30m") in JSON and YAML.
type Duration time.Duration

// MarshalText writes the duration as [time.Duration.String] does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a duration as [time.ParseDuration] does.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("escalation: duration %q: %w", b, gridgov.ErrInvalid)
	}
	*d = Duration(v)
	return nil
}

// Limit is a time limit. Exactly one field is set:
//
//   - WorkingDays: until the end of office hours of the n-th working day after the day
//     the step starts (三个工作日: a case dispatched on Friday 2025-09-26 is due on
//     Tuesday 30 September at 17:30, Sunday 28 being worked in lieu), at most
//     [MaxWorkingDays];
//   - WorkingTime: that much office time on working days, at most [MaxLimitTime];
//   - ClockTime: that much elapsed time, nights and holidays included (emergencies),
//     at most [MaxLimitTime].
type Limit struct {
	WorkingDays int      `json:"working_days,omitempty" yaml:"working_days,omitempty"`
	WorkingTime Duration `json:"working_time,omitempty" yaml:"working_time,omitempty"`
	ClockTime   Duration `json:"clock_time,omitempty" yaml:"clock_time,omitempty"`
}

// IsZero reports whether no field is set.
func (l Limit) IsZero() bool { return l.WorkingDays == 0 && l.WorkingTime == 0 && l.ClockTime == 0 }

// Clock reports whether the limit runs on the wall clock rather than office hours.
func (l Limit) Clock() bool { return l.ClockTime != 0 }

// WorkingDaysLimit returns a limit of n working days.
func WorkingDaysLimit(n int) Limit { return Limit{WorkingDays: n} }

// WorkingTimeLimit returns a limit of d of office time.
func WorkingTimeLimit(d time.Duration) Limit { return Limit{WorkingTime: Duration(d)} }

// ClockTimeLimit returns a limit of d of elapsed time.
func ClockTimeLimit(d time.Duration) Limit { return Limit{ClockTime: Duration(d)} }

// Bounds of a policy's numbers. No rule of grassroots governance runs for ten years,
// so a larger limit is a typing error ("working_days: 1000000000"), not a choice; the
// bounds also keep every instant Apply computes (a limit times the highest escalation
// point) far inside what [time.Duration] and the calendars can hold.
const (
	// MaxWorkingDays is the longest limit in working days: 3650, about fourteen years
	// of working days and more than any case is given.
	MaxWorkingDays = 3650
	// MaxLimitTime is the longest working or clock time limit: 3650 days.
	MaxLimitTime = 3650 * 24 * time.Hour
	// MaxEscalationPoint is the highest escalation point, in percent of a step's
	// limit: a case rises for the last time by ten times its limit.
	MaxEscalationPoint = 1000
)

func (l Limit) validate(p string, bad func(rule, path, format string, args ...any)) {
	n := 0
	if l.WorkingDays != 0 {
		n++
		if l.WorkingDays < 0 {
			bad("policy.limit", p+".working_days", "must be > 0, got %d", l.WorkingDays)
		} else if l.WorkingDays > MaxWorkingDays {
			bad("policy.limit", p+".working_days", "must be <= %d, got %d", MaxWorkingDays, l.WorkingDays)
		}
	}
	if l.WorkingTime != 0 {
		n++
		if l.WorkingTime < 0 {
			bad("policy.limit", p+".working_time", "must be > 0, got %s", time.Duration(l.WorkingTime))
		} else if time.Duration(l.WorkingTime) > MaxLimitTime {
			bad("policy.limit", p+".working_time", "must be <= %s, got %s", MaxLimitTime, time.Duration(l.WorkingTime))
		}
	}
	if l.ClockTime != 0 {
		n++
		if l.ClockTime < 0 {
			bad("policy.limit", p+".clock_time", "must be > 0, got %s", time.Duration(l.ClockTime))
		} else if time.Duration(l.ClockTime) > MaxLimitTime {
			bad("policy.limit", p+".clock_time", "must be <= %s, got %s", MaxLimitTime, time.Duration(l.ClockTime))
		}
	}
	if n != 1 {
		bad("policy.limit", p, "set exactly one of working_days, working_time and clock_time (%d set)", n)
	}
}

// DeadlineRule sets the time limit of a step for the cases it matches. Category is a
// code prefix ("" matches every category) and Complexity one complexity ("" matches
// every complexity). Of the rules matching a case, one naming the complexity beats one
// that does not (a major emergency's limit holds whatever its category), and then the
// longest Category wins; two rules with the same step, category and complexity are an
// error.
type DeadlineRule struct {
	Step       Step       `json:"step" yaml:"step"`
	Category   string     `json:"category,omitempty" yaml:"category,omitempty"`
	Complexity Complexity `json:"complexity,omitempty" yaml:"complexity,omitempty"`
	Limit      Limit      `json:"limit" yaml:"limit"`
}

// EscalationRules say when a late step warns and escalates, and through which levels.
type EscalationRules struct {
	// Levels are the territorial levels a case climbs, lowest first (grid, community,
	// street, district). A case starts at the level of its location unit (the lowest of
	// Levels at or above it); a major emergency starts at the top.
	Levels []hierarchy.Level `json:"levels" yaml:"levels"`
	// At are the points, in percent of a step's time limit, at which the case rises one
	// more level above the level it had when the step started: [100, 150, 200] rises at
	// the deadline, half the limit later and a whole limit later. Ascending, each in
	// 100..[MaxEscalationPoint], one per level above the first.
	At []int `json:"at" yaml:"at"`
	// WarnAt is the point, in percent of the time limit, at which a step warns (80);
	// 0 means no warnings.
	WarnAt int `json:"warn_at" yaml:"warn_at"`
}

// Separation are the role-separation rules of the closed loop (巡办分离). Each is a
// guard on the state table; the error of a refusal names it.
type Separation struct {
	// FinderMayNotHandle: the reporter may not accept or report back the case
	// (rule "roles.finder-may-not-handle"); self-handling is the policy's exception.
	FinderMayNotHandle bool `json:"finder_may_not_handle" yaml:"finder_may_not_handle"`
	// HandlerMayNotVerify: who accepted or reported back may not verify or close
	// (rule "roles.handler-may-not-verify").
	HandlerMayNotVerify bool `json:"handler_may_not_verify" yaml:"handler_may_not_verify"`
	// ReporterMayNotVerify: who reported may not verify (rule
	// "roles.reporter-may-not-verify").
	ReporterMayNotVerify bool `json:"reporter_may_not_verify" yaml:"reporter_may_not_verify"`
}

// SelfHandling says when a finder may close a case solved on the spot (自行处置).
type SelfHandling struct {
	Allowed bool `json:"allowed" yaml:"allowed"`
	// Categories are the category prefixes allowed; empty means every category.
	Categories []string `json:"categories,omitempty" yaml:"categories,omitempty"`
	// Complexities allowed; empty means ordinary cases only.
	Complexities []Complexity `json:"complexities,omitempty" yaml:"complexities,omitempty"`
}

// FirstReceiverRules hold first-receiver responsibility (首接责任).
type FirstReceiverRules struct {
	// Complexities are the complexities of the cases the first receiving unit may not
	// return; it may only pull others in.
	Complexities []Complexity `json:"complexities" yaml:"complexities"`
}

// WhistleTypeRule are the time limits of one whistle type.
type WhistleTypeRule struct {
	// ReportIn is the time a summoned unit or leader has to report in.
	ReportIn Limit `json:"report_in" yaml:"report_in"`
	// Resolve is the time the whistle has before it goes up a level unresolved.
	Resolve Limit `json:"resolve" yaml:"resolve"`
}

// WhistleRules configure whistle and report-in (吹哨报到).
type WhistleRules struct {
	// From is the level that may blow the whistle (community); it is blown to the next
	// of the escalation levels above it.
	From hierarchy.Level `json:"from" yaml:"from"`
	// Types are the whistle types and their limits.
	Types map[WhistleType]WhistleTypeRule `json:"types" yaml:"types"`
	// LeadersFor are the complexities for which the district leaders assigned to the
	// street (包块) are summoned with the first summons.
	LeadersFor []Complexity `json:"leaders_for,omitempty" yaml:"leaders_for,omitempty"`
	// SummonRight is the right of the hierarchy by which a unit may summon units outside
	// its own subtree (the street over district departments).
	SummonRight hierarchy.Right `json:"summon_right" yaml:"summon_right"`
}

// Policy is one version of a district's rules for event cases: the minor classes of
// its taxonomy, routing, time limits, escalation, who may do what, and the whistle.
// Policies are data: a district changes the file, not the code; every case keeps the
// Version it was filed under.
//
// A Policy is a plain value, safe for concurrent use as long as nobody modifies it
// (or its slices and maps) after handing it to [NewPolicySet] or [Policy.Apply].
type Policy struct {
	// Version names this version of the rules ("qinhuai-2025"). Required.
	Version string `json:"version" yaml:"version"`
	// Categories are the minor classes (细类) loaded as data; the major classes are
	// built in ([MajorClasses]).
	Categories []Category `json:"categories,omitempty" yaml:"categories,omitempty"`
	// Routing is the routing table.
	Routing Routing `json:"routing" yaml:"routing"`
	// Deadlines are the time limits; every step needs a rule matching every case (a
	// rule with empty category and complexity).
	Deadlines []DeadlineRule `json:"deadlines" yaml:"deadlines"`
	// Escalation says when late steps warn and escalate.
	Escalation EscalationRules `json:"escalation" yaml:"escalation"`
	// Roles lists, per action, the roles whose holders may issue it. Role rules fail
	// closed: an action listed neither here nor in AnyRole is refused to every person
	// (rule "auth.role"), so a misspelt or missing key never widens who may act, and
	// a policy with no role rule at all does not validate. System actions (warn,
	// escalate, escalate-whistle) may not be listed.
	Roles map[Action][]hierarchy.Role `json:"roles,omitempty" yaml:"roles,omitempty"`
	// AnyRole lists the actions a holder of any role may issue: the explicit way to
	// leave an action without a role limit ("any_role: [report, accept]"). Scope,
	// ownership and separation still apply. An action may not be in both Roles and
	// AnyRole.
	AnyRole []Action `json:"any_role,omitempty" yaml:"any_role,omitempty"`
	// Separation are the role-separation guards.
	Separation Separation `json:"separation" yaml:"separation"`
	// SelfHandling says when the finder may close a case on the spot.
	SelfHandling SelfHandling `json:"self_handling" yaml:"self_handling"`
	// FirstReceiver holds first-receiver responsibility.
	FirstReceiver FirstReceiverRules `json:"first_receiver" yaml:"first_receiver"`
	// Whistle configures whistle and report-in.
	Whistle WhistleRules `json:"whistle" yaml:"whistle"`
}

// QinhuaiPolicy returns Qinhuai district's defaults, version "qinhuai-default":
//
//   - no minor classes (a district loads its own, see [ParseCategories]);
//   - routing by the territory table of [QinhuaiRouting];
//   - time limits: file within 2 working hours, dispatch within 1, first response within
//     2; handle ordinary cases in 3 working days, complex ones in 10, major emergencies
//     in 4 clock hours, emergencies (E04) in 1 working day and police matters (G04) in
//     2 clock hours; verify within 1 working day, close within 4 working hours;
//   - escalation grid → community → street → district at 100%, 150% and 200% of a
//     step's limit, warning at 80%;
//   - a role rule for every action a person issues: platform roles (dispatcher,
//     director, deputy head, secretary, commander) file, void, dispatch, park, resume,
//     reclassify, close, rebase and enter complaints, and with inspectors and leaders
//     supervise; inspectors, grid workers, grid heads, dispatchers and directors verify
//     (and send back for rework); grid workers and grid heads self-handle; community
//     directors, secretaries and commanders blow the whistle; the street's platform
//     roles summon and conclude; any role reports, accepts, returns, calls for
//     assistance, reports back and reports in (scope and ownership decide who);
//   - every separation rule on; self-handling of ordinary city-appearance (E01),
//     street-order (E05), dispute (G01) and livelihood (G03) cases;
//   - first-receiver responsibility for complex cases;
//   - whistles from the community: routine (report in within 1 working day, resolve in
//     5), special (4 working hours, 10 working days), emergency (30 clock minutes, 24
//     clock hours); district leaders summoned for complex cases and major emergencies.
//
// The Qinhuai report fixes none of these numbers [unverified]: they are defaults a
// district edits as data.
func QinhuaiPolicy() Policy {
	platform := []hierarchy.Role{hierarchy.RoleDispatcher, hierarchy.RoleDirector, hierarchy.RoleDeputyHead,
		hierarchy.RoleSecretary, hierarchy.RoleCommander}
	community := []hierarchy.Role{hierarchy.RoleDirector, hierarchy.RoleSecretary, hierarchy.RoleCommander}
	verifiers := []hierarchy.Role{hierarchy.RoleInspector, hierarchy.RoleGridWorker, hierarchy.RoleGridHead,
		hierarchy.RoleDispatcher, hierarchy.RoleDirector}
	wd := WorkingDaysLimit
	wt := func(d time.Duration) Limit { return WorkingTimeLimit(d) }
	ct := func(d time.Duration) Limit { return ClockTimeLimit(d) }
	return Policy{
		Version: "qinhuai-default",
		Routing: QinhuaiRouting(),
		Deadlines: []DeadlineRule{
			{Step: StepFile, Limit: wt(2 * time.Hour)},
			{Step: StepDispatch, Limit: wt(time.Hour)},
			{Step: StepRespond, Limit: wt(2 * time.Hour)},
			{Step: StepHandle, Limit: wd(3)},
			{Step: StepHandle, Complexity: Complex, Limit: wd(10)},
			{Step: StepHandle, Complexity: MajorEmergency, Limit: ct(4 * time.Hour)},
			{Step: StepHandle, Category: "E04", Limit: wd(1)},
			{Step: StepHandle, Category: "G04", Limit: ct(2 * time.Hour)},
			{Step: StepVerify, Limit: wd(1)},
			{Step: StepClose, Limit: wt(4 * time.Hour)},
		},
		Escalation: EscalationRules{
			Levels: []hierarchy.Level{hierarchy.LevelGrid, hierarchy.LevelCommunity, hierarchy.LevelStreet, hierarchy.LevelDistrict},
			At:     []int{100, 150, 200},
			WarnAt: 80,
		},
		// Anyone in scope reports; whoever works in the unit a case is dispatched to
		// (or the person it is dispatched to) handles it; who reports in is decided by
		// the summons.
		AnyRole: []Action{ActionReport, ActionAccept, ActionReturn, ActionAssist, ActionReportBack, ActionReportIn},
		Roles: map[Action][]hierarchy.Role{
			ActionFile:            platform,
			ActionVoid:            platform,
			ActionDispatch:        platform,
			ActionPark:            platform,
			ActionResume:          platform,
			ActionReclassify:      platform,
			ActionClose:           platform,
			ActionComplain:        platform,
			ActionRebase:          platform,
			ActionSupervise:       append(slices.Clone(platform), hierarchy.RoleInspector, hierarchy.RoleLeader),
			ActionVerify:          verifiers,
			ActionRework:          verifiers,
			ActionSelfHandle:      {hierarchy.RoleGridWorker, hierarchy.RoleGridWorkerPartTime, hierarchy.RoleGridHead},
			ActionWhistle:         community,
			ActionSummon:          platform,
			ActionConcludeWhistle: platform,
		},
		Separation:    Separation{FinderMayNotHandle: true, HandlerMayNotVerify: true, ReporterMayNotVerify: true},
		SelfHandling:  SelfHandling{Allowed: true, Categories: []string{"E01", "E05", "G01", "G03"}, Complexities: []Complexity{Ordinary}},
		FirstReceiver: FirstReceiverRules{Complexities: []Complexity{Complex, MajorEmergency}},
		Whistle: WhistleRules{
			From: hierarchy.LevelCommunity,
			Types: map[WhistleType]WhistleTypeRule{
				WhistleRoutine:   {ReportIn: wd(1), Resolve: wd(5)},
				WhistleSpecial:   {ReportIn: wt(4 * time.Hour), Resolve: wd(10)},
				WhistleEmergency: {ReportIn: ct(30 * time.Minute), Resolve: ct(24 * time.Hour)},
			},
			LeadersFor:  []Complexity{Complex, MajorEmergency},
			SummonRight: hierarchy.RightSummon,
		},
	}
}

// Validate reports every problem of the policy at once, each a [*gridgov.Error]
// wrapping [gridgov.ErrInvalid] whose message starts with the path of the field
// ("deadlines[3].limit.working_days: must be > 0"), joined with [errors.Join].
func (p *Policy) Validate() error {
	var errs []error
	bad := func(rule, path, format string, args ...any) {
		errs = append(errs, &gridgov.Error{Op: "escalation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: rule,
			Msg: path + ": " + fmt.Sprintf(format, args...)})
	}
	if p.Version == "" {
		bad("policy.version", "version", "required")
	}
	errs = append(errs, validateCategories("categories", p.Categories)...)
	p.Routing.validate("routing", bad)
	p.validateRoutingCategories(bad)

	type dkey struct {
		step       Step
		cat        string
		complexity Complexity
	}
	seen := map[dkey]int{}
	for i, r := range p.Deadlines {
		path := fmt.Sprintf("deadlines[%d]", i)
		if !r.Step.valid() {
			bad("policy.deadline", path+".step", "unknown step %q", r.Step)
		}
		if r.Complexity != "" && !r.Complexity.valid() {
			bad("policy.deadline", path+".complexity", "unknown complexity %q", r.Complexity)
		}
		if r.Category != "" && !p.knownCategory(r.Category) {
			bad("policy.deadline", path+".category", "unknown category %q", r.Category)
		}
		r.Limit.validate(path+".limit", bad)
		k := dkey{r.Step, r.Category, r.Complexity}
		if j, dup := seen[k]; dup {
			bad("policy.deadline", path, "repeats deadlines[%d] (same step, category and complexity)", j)
		} else {
			seen[k] = i
		}
	}
	for _, s := range Steps() {
		if _, ok := seen[dkey{s, "", ""}]; !ok {
			bad("policy.deadline", "deadlines", "no default rule for step %q (one with empty category and complexity)", s)
		}
	}

	e := p.Escalation
	if len(e.Levels) == 0 {
		bad("policy.escalation", "escalation.levels", "required")
	}
	for i, l := range e.Levels {
		if l == "" {
			bad("policy.escalation", fmt.Sprintf("escalation.levels[%d]", i), "empty level")
		} else if slices.Index(e.Levels, l) != i {
			bad("policy.escalation", fmt.Sprintf("escalation.levels[%d]", i), "repeats level %q", l)
		}
	}
	if len(e.Levels) > 1 && len(e.At) < len(e.Levels)-1 {
		bad("policy.escalation", "escalation.at", "needs %d points for %d levels, got %d", len(e.Levels)-1, len(e.Levels), len(e.At))
	}
	if len(e.At) > len(e.Levels)-1 && len(e.Levels) > 0 {
		bad("policy.escalation", "escalation.at", "has %d points for %d levels: a point past the top level is never reached", len(e.At), len(e.Levels))
	}
	for i, a := range e.At {
		path := fmt.Sprintf("escalation.at[%d]", i)
		switch {
		case a < 100:
			bad("policy.escalation", path, "must be >= 100 (the deadline), got %d", a)
		case a > MaxEscalationPoint:
			bad("policy.escalation", path, "must be <= %d, got %d", MaxEscalationPoint, a)
		case i > 0 && a <= e.At[i-1]:
			bad("policy.escalation", path, "must be greater than escalation.at[%d] (%d), got %d", i-1, e.At[i-1], a)
		}
	}
	if e.WarnAt < 0 || e.WarnAt >= 100 {
		bad("policy.escalation", "escalation.warn_at", "must be in 0..99, got %d", e.WarnAt)
	}

	known := map[Action]bool{}
	for _, a := range Actions() {
		known[a] = true
	}
	if len(p.Roles) == 0 && len(p.AnyRole) == 0 {
		bad("policy.roles", "roles", "no role rules: every person's command would be refused (list the roles per action, or the action under any_role)")
	}
	for i, a := range p.AnyRole {
		path := fmt.Sprintf("any_role[%d]", i)
		switch {
		case !known[a]:
			bad("policy.roles", path, "unknown action %q", a)
		case a.System():
			bad("policy.roles", path, "%q is issued by the system only", a)
		case slices.Index(p.AnyRole, a) != i:
			bad("policy.roles", path, "repeats %q", a)
		}
		if _, ok := p.Roles[a]; ok {
			bad("policy.roles", path, "%q also has a role rule in roles: keep one", a)
		}
	}
	for _, a := range sortedActions(p.Roles) {
		path := fmt.Sprintf("roles[%s]", a)
		switch {
		case !known[a]:
			bad("policy.roles", path, "unknown action %q", a)
		case a.System():
			bad("policy.roles", path, "%q is issued by the system only", a)
		case len(p.Roles[a]) == 0:
			bad("policy.roles", path, "empty list (list the action under any_role to allow every role)")
		}
		for j, r := range p.Roles[a] {
			if r == "" {
				bad("policy.roles", fmt.Sprintf("%s[%d]", path, j), "empty role")
			}
		}
	}

	for i, c := range p.SelfHandling.Categories {
		if !p.knownCategory(c) {
			bad("policy.self-handling", fmt.Sprintf("self_handling.categories[%d]", i), "unknown category %q", c)
		}
	}
	for i, c := range p.SelfHandling.Complexities {
		if !c.valid() {
			bad("policy.self-handling", fmt.Sprintf("self_handling.complexities[%d]", i), "unknown complexity %q", c)
		}
	}
	for i, c := range p.FirstReceiver.Complexities {
		if !c.valid() {
			bad("policy.first-receiver", fmt.Sprintf("first_receiver.complexities[%d]", i), "unknown complexity %q", c)
		}
	}

	w := p.Whistle
	if w.From == "" {
		bad("policy.whistle", "whistle.from", "required")
	} else if i := slices.Index(e.Levels, w.From); i < 0 || i == len(e.Levels)-1 {
		bad("policy.whistle", "whistle.from", "%q must be an escalation level below the top", w.From)
	}
	for _, t := range []WhistleType{WhistleRoutine, WhistleSpecial, WhistleEmergency} {
		r, ok := w.Types[t]
		if !ok {
			bad("policy.whistle", "whistle.types", "no rule for type %q", t)
			continue
		}
		r.ReportIn.validate(fmt.Sprintf("whistle.types[%s].report_in", t), bad)
		r.Resolve.validate(fmt.Sprintf("whistle.types[%s].resolve", t), bad)
	}
	for t := range w.Types {
		if t != WhistleRoutine && t != WhistleSpecial && t != WhistleEmergency {
			bad("policy.whistle", fmt.Sprintf("whistle.types[%s]", t), "unknown whistle type")
		}
	}
	for i, c := range w.LeadersFor {
		if !c.valid() {
			bad("policy.whistle", fmt.Sprintf("whistle.leaders_for[%d]", i), "unknown complexity %q", c)
		}
	}
	if w.SummonRight == "" {
		bad("policy.whistle", "whistle.summon_right", "required")
	}
	return errors.Join(errs...)
}

// mayIssue reports whether a holder of role may issue action a under the role rules:
// the action is under AnyRole, or role is listed for it. An action with no rule is
// refused (fail closed).
func (p *Policy) mayIssue(a Action, role hierarchy.Role) bool {
	if roles, ok := p.Roles[a]; ok {
		return slices.Contains(roles, role)
	}
	return slices.Contains(p.AnyRole, a)
}

// roleRefusal is the refusal of role for action a, saying which rule is missing.
func (p *Policy) roleRefusal(a Action, post hierarchy.Post) error {
	if roles, ok := p.Roles[a]; ok {
		return forbidden(a, RuleRole, "role %q of post %s may not %s (allowed: %v)", post.Role, post.ID, a, roles)
	}
	return forbidden(a, RuleRole, "the policy has no role rule for %s, so no role may issue it (list the roles under roles, or the action under any_role)", a)
}

func sortedActions(m map[Action][]hierarchy.Role) []Action {
	as := make([]Action, 0, len(m))
	for a := range m {
		as = append(as, a)
	}
	slices.Sort(as)
	return as
}

// LimitFor returns the time limit of step for a case of category and complexity: of
// the matching rules, one naming the complexity first, then the longest category
// prefix (see [DeadlineRule]). ok is false when no rule matches (a policy that passed Validate always
// has one).
func (p *Policy) LimitFor(step Step, category string, complexity Complexity) (Limit, bool) {
	best, bestLen, bestCx := -1, -1, false
	for i := range p.Deadlines {
		r := &p.Deadlines[i]
		if r.Step != step || !hasPrefix(category, r.Category) || (r.Complexity != "" && r.Complexity != complexity) {
			continue
		}
		l, cx := len(r.Category), r.Complexity != ""
		if (cx && !bestCx) || (cx == bestCx && l > bestLen) {
			best, bestLen, bestCx = i, l, cx
		}
	}
	if best < 0 {
		return Limit{}, false
	}
	return p.Deadlines[best].Limit, true
}

// levelIndex returns the position of l in the escalation levels, or -1.
func (p *Policy) levelIndex(l hierarchy.Level) int {
	for i, x := range p.Escalation.Levels {
		if x == l {
			return i
		}
	}
	return -1
}
