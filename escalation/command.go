package escalation

import (
	"fmt"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Command is what an actor asks of a case. The set is closed: the commands are the
// types of this package, each decided by [Policy.Apply].
type Command interface {
	// Action names the command's action (for Verify, its outcome).
	Action() Action
}

// Report creates a case (上报). The zero Case is its only valid input. A report whose
// route is direct — a police matter found on patrol, a non-police item from the
// police, a major emergency — is filed and dispatched by the system at once.
type Report struct {
	ID         CaseID     `json:"id"`
	Source     Source     `json:"source"`
	Category   string     `json:"category"`
	Complexity Complexity `json:"complexity,omitempty"` // empty means Ordinary
	Summary    string     `json:"summary,omitempty"`
	Location   Location   `json:"location"`
	// FollowUpOf is the closed case a complaint opened this case about.
	FollowUpOf CaseID `json:"follow_up_of,omitempty"`
	// SelfHandled reports a case the finder already solved on the spot (自行处置): the
	// case is reported and closed in one step, where the policy allows it.
	SelfHandled bool   `json:"self_handled,omitempty"`
	Note        string `json:"note,omitempty"`
}

// File files a reported case (立案), optionally correcting its category or complexity.
type File struct {
	Category   string     `json:"category,omitempty"`
	Complexity Complexity `json:"complexity,omitempty"`
	Note       string     `json:"note,omitempty"`
}

// Void cancels a reported or filed case as invalid (作废). A reason is required.
type Void struct {
	Reason string `json:"reason"`
}

// SelfHandle closes a reported case its finder solved on the spot (自行处置).
type SelfHandle struct {
	Note string `json:"note,omitempty"`
}

// Dispatch sends a filed case to a unit (派遣). An empty To routes the case by the
// policy's routing table ([Policy.Route]).
type Dispatch struct {
	To       hierarchy.UnitID   `json:"to,omitempty"`
	Assignee hierarchy.PersonID `json:"assignee,omitempty"`
	Note     string             `json:"note,omitempty"`
}

// Accept is the owner unit's acceptance of a dispatched case (签收): the first response.
type Accept struct {
	Note string `json:"note,omitempty"`
}

// Return sends a wrongly dispatched case back for re-dispatch (退回). A reason is
// required. The first receiver of a complex case may not return it (首接责任).
type Return struct {
	Reason string `json:"reason"`
}

// Assist pulls other units in to help the owner (协办) without handing the case over.
type Assist struct {
	Units  []hierarchy.UnitID `json:"units"`
	Reason string             `json:"reason,omitempty"`
}

// ReportBack reports the case handled (处置完成, 反馈).
type ReportBack struct {
	Note string `json:"note,omitempty"`
}

// Verify records the verification of a handled case (核查). When it fails the case goes
// back to the owner for rework (返工), which starts a new cycle; a reason is then
// required.
type Verify struct {
	Passed bool   `json:"passed"`
	Reason string `json:"reason,omitempty"`
}

// Close closes a verified case (结案).
type Close struct {
	Note string `json:"note,omitempty"`
}

// Park parks a case that cannot move for objective reasons (挂账): its clocks stop until
// it is resumed. A reason is required.
type Park struct {
	Reason string `json:"reason"`
}

// Resume takes a parked case back to the state it was parked in.
type Resume struct {
	Note string `json:"note,omitempty"`
}

// Supervise puts an open case under supervision (督查). A reason is required.
type Supervise struct {
	Reason string `json:"reason"`
}

// Reclassify changes an open case's category or complexity (one may be empty). The
// time limits of a step already running keep the classification it started with.
type Reclassify struct {
	Category   string     `json:"category,omitempty"`
	Complexity Complexity `json:"complexity,omitempty"`
	Reason     string     `json:"reason"`
}

// Warn records the warning that a step is about to run late (预警). Only the system
// issues it, when [DueFor] lists it.
type Warn struct {
	Step  Step `json:"step"`
	Cycle int  `json:"cycle"`
}

// Escalate raises an overdue case one level (升级). Only the system issues it, when
// [DueFor] lists it; To must be the level above the case's.
type Escalate struct {
	To hierarchy.Level `json:"to"`
}

// BlowWhistle blows the whistle for a case (吹哨): the community holding the case calls
// on its street.
type BlowWhistle struct {
	Type   WhistleType `json:"type"`
	Reason string      `json:"reason"`
}

// Summon calls units (and, for complex cases, the district leaders assigned to the
// street) to report in for the open whistle (召集报到). The unit the whistle was blown
// to issues it.
type Summon struct {
	Units   []hierarchy.UnitID   `json:"units,omitempty"`
	Leaders []hierarchy.PersonID `json:"leaders,omitempty"`
}

// ReportIn records that a summoned unit or leader reported in (报到). The actor's post
// must be in a summoned unit, or the actor a summoned leader.
type ReportIn struct {
	Note string `json:"note,omitempty"`
}

// ConcludeWhistle ends the open whistle with its outcome. An unresolved whistle goes up:
// the unit it was blown to blows one to the next level, and the case rises with it.
type ConcludeWhistle struct {
	Resolved bool   `json:"resolved"`
	Outcome  string `json:"outcome"`
}

// EscalateWhistle sends a whistle unresolved past its time limit up a level. Only the
// system issues it, when [DueFor] lists it.
type EscalateWhistle struct {
	Whistle int `json:"whistle"`
}

// Complain records a complaint about a closed case. The closed case stays closed: the
// complaint is handled as the follow-up case FollowUp, reported separately with
// [Report.FollowUpOf] (see [Service.Complain]).
type Complain struct {
	FollowUp CaseID `json:"follow_up"`
	Reason   string `json:"reason"`
}

// Rebase moves an open case to another version of the policy: an explicit
// re-evaluation after a policy change. Apply it with the target policy.
type Rebase struct {
	Version string `json:"version"`
	Reason  string `json:"reason,omitempty"`
}

// Action implements [Command].
func (Report) Action() Action { return ActionReport }

// Action implements [Command].
func (File) Action() Action { return ActionFile }

// Action implements [Command].
func (Void) Action() Action { return ActionVoid }

// Action implements [Command].
func (SelfHandle) Action() Action { return ActionSelfHandle }

// Action implements [Command].
func (Dispatch) Action() Action { return ActionDispatch }

// Action implements [Command].
func (Accept) Action() Action { return ActionAccept }

// Action implements [Command].
func (Return) Action() Action { return ActionReturn }

// Action implements [Command].
func (Assist) Action() Action { return ActionAssist }

// Action implements [Command].
func (ReportBack) Action() Action { return ActionReportBack }

// Action implements [Command]: ActionVerify when the verification passed, else
// ActionRework.
func (v Verify) Action() Action {
	if v.Passed {
		return ActionVerify
	}
	return ActionRework
}

// Action implements [Command].
func (Close) Action() Action { return ActionClose }

// Action implements [Command].
func (Park) Action() Action { return ActionPark }

// Action implements [Command].
func (Resume) Action() Action { return ActionResume }

// Action implements [Command].
func (Supervise) Action() Action { return ActionSupervise }

// Action implements [Command].
func (Reclassify) Action() Action { return ActionReclassify }

// Action implements [Command].
func (Warn) Action() Action { return ActionWarn }

// Action implements [Command].
func (Escalate) Action() Action { return ActionEscalate }

// Action implements [Command].
func (BlowWhistle) Action() Action { return ActionWhistle }

// Action implements [Command].
func (Summon) Action() Action { return ActionSummon }

// Action implements [Command].
func (ReportIn) Action() Action { return ActionReportIn }

// Action implements [Command].
func (ConcludeWhistle) Action() Action { return ActionConcludeWhistle }

// Action implements [Command].
func (EscalateWhistle) Action() Action { return ActionEscalateWhistle }

// Action implements [Command].
func (Complain) Action() Action { return ActionComplain }

// Action implements [Command].
func (Rebase) Action() Action { return ActionRebase }

// check validates what cmd says on its own, before any decision reads the case: the
// command is one of this package's, every field names something that exists in the
// policy's vocabulary, points are finite coordinates, reasons that are required are
// given. A refusal is a [*gridgov.Error] of kind [gridgov.ErrInvalid] whatever the
// state of the case, so a malformed command is never reported as a precondition.
// What needs the tree or the case (a unit that exists, a category that changes) is
// decided by Apply.
func (p *Policy) check(cmd Command) error {
	a := cmd.Action()
	bad := func(rule, format string, args ...any) error {
		return &gridgov.Error{Op: opOf(a), Kind: gridgov.ErrInvalid, Rule: rule, Msg: fmt.Sprintf(format, args...)}
	}
	category := func(rule, c string) error {
		if c != "" && !p.knownCategory(c) {
			return bad(rule, "unknown category %q", c)
		}
		return nil
	}
	complexity := func(rule string, c Complexity) error {
		if c != "" && !c.valid() {
			return bad(rule, "unknown complexity %q", c)
		}
		return nil
	}
	required := func(rule, what, v string) error {
		if v == "" {
			return bad(rule, "%s is required", what)
		}
		return nil
	}
	switch c := cmd.(type) {
	case Report:
		switch {
		case c.ID == "":
			return bad("report.id", "a case ID is required")
		case !c.Source.valid():
			return bad("report.source", "unknown source %q", c.Source)
		case !p.knownCategory(c.Category):
			return bad("report.category", "unknown category %q", c.Category)
		case c.FollowUpOf == c.ID:
			return bad("report.follow-up", "case %s cannot follow up itself", c.ID)
		}
		if err := complexity("report.complexity", c.Complexity); err != nil {
			return err
		}
		return c.Location.check(bad)
	case File:
		if err := category("file.category", c.Category); err != nil {
			return err
		}
		return complexity("file.complexity", c.Complexity)
	case Void:
		return required("void.reason", "a reason", c.Reason)
	case Return:
		return required("return.reason", "a reason", c.Reason)
	case Assist:
		if len(c.Units) == 0 {
			return bad("assist.units", "name at least one unit")
		}
		for i, u := range c.Units {
			if u == "" {
				return bad("assist.units", "units[%d] is empty", i)
			}
		}
	case Verify:
		if !c.Passed {
			return required("verify.reason", "a failed verification's reason", c.Reason)
		}
	case Park:
		return required("park.reason", "a reason", c.Reason)
	case Supervise:
		return required("supervise.reason", "a reason", c.Reason)
	case Reclassify:
		if err := required("reclassify.reason", "a reason", c.Reason); err != nil {
			return err
		}
		if err := category("reclassify.category", c.Category); err != nil {
			return err
		}
		return complexity("reclassify.complexity", c.Complexity)
	case Warn:
		if !c.Step.valid() || c.Cycle < 0 {
			return bad("warn.step", "unknown timer: step %q, cycle %d", c.Step, c.Cycle)
		}
	case Escalate:
		return required("escalate.one-level", "the level to rise to", string(c.To))
	case BlowWhistle:
		if _, ok := p.Whistle.Types[c.Type]; !ok {
			return bad("whistle.type", "unknown whistle type %q", c.Type)
		}
		return required("whistle.reason", "a reason", c.Reason)
	case Summon:
		for i, u := range c.Units {
			if u == "" {
				return bad("whistle.unit", "units[%d] is empty", i)
			}
		}
		for i, l := range c.Leaders {
			if l == "" {
				return bad("whistle.summon-leader", "leaders[%d] is empty", i)
			}
		}
	case ConcludeWhistle:
		return required("whistle.outcome", "an outcome", c.Outcome)
	case EscalateWhistle:
		if c.Whistle < 1 {
			return bad("whistle.number", "whistle numbers start at 1, got %d", c.Whistle)
		}
	case Complain:
		if err := required("complain.follow-up", "the follow-up case", string(c.FollowUp)); err != nil {
			return err
		}
		return required("complain.reason", "a reason", c.Reason)
	case Rebase:
		return required("rebase.version", "the target version", c.Version)
	case SelfHandle, Dispatch, Accept, ReportBack, Close, Resume, ReportIn:
		// Nothing to check on their own: Apply checks the units and people they name.
	default:
		return bad("command.unknown", "unknown command %T (action %q): the command set is closed", cmd, a)
	}
	return nil
}
