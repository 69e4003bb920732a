package escalation

// Action names what a command does. Each command type has one action, except [Verify],
// whose action is ActionVerify when it passes and ActionRework when it fails.
type Action string

// Actions.
const (
	ActionReport          Action = "report"           // 上报
	ActionFile            Action = "file"             // 立案
	ActionVoid            Action = "void"             // 作废
	ActionSelfHandle      Action = "self-handle"      // 自行处置
	ActionDispatch        Action = "dispatch"         // 派遣
	ActionAccept          Action = "accept"           // 签收
	ActionReturn          Action = "return"           // 退回
	ActionAssist          Action = "assist"           // 协办: pull another unit in
	ActionReportBack      Action = "report-back"      // 反馈 (处置完成)
	ActionVerify          Action = "verify"           // 核查通过
	ActionRework          Action = "rework"           // 核查不通过, 返工
	ActionClose           Action = "close"            // 结案
	ActionPark            Action = "park"             // 挂账
	ActionResume          Action = "resume"           // 解除挂账
	ActionSupervise       Action = "supervise"        // 督查
	ActionReclassify      Action = "reclassify"       // change category or complexity
	ActionWarn            Action = "warn"             // 预警 (system)
	ActionEscalate        Action = "escalate"         // 升级 (system)
	ActionWhistle         Action = "whistle"          // 吹哨
	ActionSummon          Action = "summon"           // 召集报到
	ActionReportIn        Action = "report-in"        // 报到
	ActionConcludeWhistle Action = "conclude-whistle" // 办结吹哨
	ActionEscalateWhistle Action = "escalate-whistle" // an overdue whistle goes up (system)
	ActionComplain        Action = "complain"         // complaint after closing: opens a follow-up
	ActionRebase          Action = "rebase"           // move to a newer policy version
)

// Actions returns every action, in the order of the closed loop.
func Actions() []Action {
	return []Action{ActionReport, ActionFile, ActionVoid, ActionSelfHandle, ActionDispatch, ActionAccept,
		ActionReturn, ActionAssist, ActionReportBack, ActionVerify, ActionRework, ActionClose, ActionPark,
		ActionResume, ActionSupervise, ActionReclassify, ActionWarn, ActionEscalate, ActionWhistle, ActionSummon,
		ActionReportIn, ActionConcludeWhistle, ActionEscalateWhistle, ActionComplain, ActionRebase}
}

// States returns every state, the empty state of a case not yet reported first.
func States() []State {
	return []State{"", Reported, Filed, Dispatched, Handling, Handled, Verified, Closed, Voided, Parked}
}

// System reports whether only the system (the zero [hierarchy.Actor]) issues a: the
// scheduler's warnings and escalations.
func (a Action) System() bool {
	return a == ActionWarn || a == ActionEscalate || a == ActionEscalateWhistle
}

// BeforeParking marks, as a Transition's To, "the state the case was in before it was parked".
const BeforeParking State = "(before parking)"

// Transition is one row of the state table: in state From, a command with Action
// moves the case to To. Guards the table cannot express (roles, scope, the policy) may
// still refuse a command the table allows.
type Transition struct {
	From   State  `json:"from"`
	Action Action `json:"action"`
	To     State  `json:"to"`
}

// Next returns the state a command with action a moves a case in state from to, and
// whether the table allows it at all. For ActionResume it returns [BeforeParking]: the case
// goes back to its ParkedFrom state.
func Next(from State, a Action) (State, bool) {
	switch a {
	case ActionReport:
		return Reported, from == ""
	case ActionFile:
		return Filed, from == Reported
	case ActionVoid:
		return Voided, from == Reported || from == Filed
	case ActionSelfHandle:
		return Closed, from == Reported
	case ActionDispatch:
		return Dispatched, from == Filed
	case ActionAccept:
		return Handling, from == Dispatched
	case ActionReturn:
		return Filed, from == Dispatched || from == Handling
	case ActionAssist:
		return Handling, from == Handling
	case ActionReportBack:
		return Handled, from == Handling
	case ActionVerify:
		return Verified, from == Handled
	case ActionRework:
		return Handling, from == Handled
	case ActionClose:
		return Closed, from == Verified
	case ActionPark:
		return Parked, from == Filed || from == Dispatched || from == Handling
	case ActionResume:
		return BeforeParking, from == Parked
	case ActionSupervise, ActionEscalate:
		return from, from.Open()
	case ActionReclassify:
		return from, from == Reported || from == Filed || from == Dispatched || from == Handling || from == Parked
	case ActionWarn:
		return from, from.Open() && from != Parked
	case ActionWhistle:
		return from, from == Filed || from == Dispatched || from == Handling || from == Parked
	case ActionSummon, ActionReportIn, ActionConcludeWhistle, ActionEscalateWhistle:
		return from, from.Open() && from != Reported
	case ActionComplain:
		return Closed, from == Closed
	case ActionRebase:
		return from, from.Open()
	}
	return "", false
}

// Transitions returns the whole state table: every (state, action) pair [Next] allows,
// by state then action. The slice is the caller's.
func Transitions() []Transition {
	var ts []Transition
	for _, s := range States() {
		for _, a := range Actions() {
			if to, ok := Next(s, a); ok {
				ts = append(ts, Transition{From: s, Action: a, To: to})
			}
		}
	}
	return ts
}
