package hierarchy

import (
	"time"

	"github.com/gridgov/gridgov/identity"
)

// UnitID identifies a unit: a territorial unit (usually its statistical division code),
// a party organisation, a department, a police station or any other organisation.
type UnitID string

// PersonID identifies a person.
type PersonID string

// PostID identifies a post: one person's appointment to one role in one unit.
type PostID string

// Level names a territorial level of a [Schema] ("district", "community"). Levels are
// data: a district defines its own.
type Level string

// The levels of Qinhuai's schema ([QinhuaiSchema]).
const (
	LevelDistrict  Level = "district"  // 区
	LevelStreet    Level = "street"    // 街道
	LevelZone      Level = "zone"      // functional zone, 功能区 (e.g. a scenic belt or a high-tech park)
	LevelCommunity Level = "community" // 社区 (residents' committee, 居委会)
	LevelGrid      Level = "grid"      // 网格
	LevelBuilding  Level = "building"  // 楼栋
	LevelHousehold Level = "household" // 户
)

// Kind says what a unit is. Territorial units form the levels of the schema; every other
// kind is attached to a territorial unit (or to another non-territorial unit) where the
// schema allows it. Kinds are data: a schema may declare more.
type Kind string

// The kinds of unit gridgov's packages know.
const (
	KindTerritorial   Kind = "territorial"    // a unit of a schema level
	KindPartyOrg      Kind = "party-org"      // 党组织: 街道党工委, 社区党委, 网格党支部, 楼栋党小组, 党员中心户
	KindDepartment    Kind = "department"     // a district department, 区职能部门
	KindStreetOffice  Kind = "street-office"  // one of the street's 五部一局两中心
	KindPoliceStation Kind = "police-station" // 派出所
	KindPoliceBeat    Kind = "police-beat"    // 警格 / 警务区, the responsibility area of community police
	KindCommandCentre Kind = "command-centre" // a command platform or sub-centre of 1+12+N, 指挥中心
	KindActionBranch  Kind = "action-branch"  // 行动党支部, members drawn from several organisations
	KindMediationRoom Kind = "mediation-room" // 调解工作室
	KindOrganisation  Kind = "organisation"   // an outside organisation: enterprise, "two new" organisation, property company
)

// Role is what a post holder does in its unit. Roles are data; these are the ones
// gridgov's packages refer to.
type Role string

// Roles of posts.
const (
	RoleSecretary          Role = "secretary"             // 书记 of a party organisation or community
	RoleDeputySecretary    Role = "deputy-secretary"      // 副书记
	RoleDirector           Role = "director"              // 主任 of a community or head of an office
	RoleDeputyHead         Role = "deputy-head"           // 副主任 / street deputy head leading an office
	RoleCommander          Role = "commander"             // 指挥长: a community has two (双指挥长)
	RoleGridWorker         Role = "grid-worker"           // full-time grid worker, 专职网格员
	RoleGridWorkerPartTime Role = "grid-worker-part-time" // 兼职网格员
	RoleGridHead           Role = "grid-head"             // 网格长
	RoleCommunityPolice    Role = "community-police"      // 社区民警
	RoleMediator           Role = "mediator"              // 调解员
	RoleLegalOfficer       Role = "legal-officer"         // 政法网格员 (police, judge, prosecutor, lawyer)
	RolePartTimeMember     Role = "part-time-member"      // 兼职委员 from an outside organisation
	RoleFirstSecretary     Role = "first-secretary"       // 第一书记 sent by a department
	RoleMember             Role = "member"                // member of an action party branch
	RoleLeader             Role = "leader"                // district leader (standing committee member, deputy head)
	RoleStaff              Role = "staff"                 // 工作人员
	RoleDispatcher         Role = "dispatcher"            // 调度员 of a command centre
	RoleInspector          Role = "inspector"             // 核查员 / 督查员
	RoleEnforcementOfficer Role = "enforcement-officer"   // 执法队员
)

// Right is a power one unit or person holds over another. Rights are data, not a closed
// set; these are the ones Qinhuai's grants name.
type Right string

// Rights of Qinhuai's streets over district departments (街道六权) and of communities over
// the units and people sent down to them.
const (
	RightBeInformed      Right = "be-informed"      // 知情权
	RightAdvise          Right = "advise"           // 建议权
	RightParticipate     Right = "participate"      // 参与权 in district decisions
	RightCoordinate      Right = "coordinate"       // 统筹协调权 / 指挥调度权
	RightAppraise        Right = "appraise"         // 考核评价权, appraisal
	RightPersonnelAdvise Right = "personnel-advise" // 人事建议权
	RightReverseEvaluate Right = "reverse-evaluate" // 反向评价权
	RightSummon          Right = "summon"           // blowing the whistle, 吹哨: calling units to report in
)

// RefKind says what a [Ref] points at.
type RefKind string

// Kinds of reference.
const (
	RefUnit   RefKind = "unit"
	RefPerson RefKind = "person"
)

// Ref points at a unit or a person: the holder or subject of a right, the one seconded.
// The zero Ref points at nothing.
//
// Ref is a plain value, safe for concurrent use.
type Ref struct {
	Kind RefKind `json:"kind" yaml:"kind"`
	ID   string  `json:"id" yaml:"id"`
}

// UnitRef returns a reference to unit id.
func UnitRef(id UnitID) Ref { return Ref{Kind: RefUnit, ID: string(id)} }

// PersonRef returns a reference to person id.
func PersonRef(id PersonID) Ref { return Ref{Kind: RefPerson, ID: string(id)} }

// IsZero reports whether r points at nothing.
func (r Ref) IsZero() bool { return r == Ref{} }

// String returns "unit:ID" or "person:ID".
func (r Ref) String() string {
	if r.IsZero() {
		return ""
	}
	return string(r.Kind) + ":" + r.ID
}

// Unit is a node of the organisation tree: a territorial unit at a schema level, or a
// non-territorial unit attached to one. It is a plain value.
type Unit struct {
	ID UnitID `json:"id" yaml:"id"`
	// Code is the unit's official code when it has one: the statistical division code of
	// a territorial unit (checked against its parent's), a grid code, a department code.
	// Codes are unique within a tree.
	Code string `json:"code,omitempty" yaml:"code,omitempty"`
	Name string `json:"name" yaml:"name"`
	// Level is set for territorial units and empty for the others.
	Level Level `json:"level,omitempty" yaml:"level,omitempty"`
	// Kind is the unit's kind; empty means KindTerritorial.
	Kind Kind `json:"kind,omitempty" yaml:"kind,omitempty"`
	// Parent is the unit this one sits under; empty only for the root.
	Parent UnitID `json:"parent,omitempty" yaml:"parent,omitempty"`
	// CreditCode is an outside organisation's unified social credit code (GB 32100).
	CreditCode identity.CreditCode `json:"credit_code,omitempty" yaml:"credit_code,omitempty"`
}

// Person is someone who holds posts. Resident ID and phone print masked (see
// [identity]); the person's record in a [HistoryStore] keeps them in full.
//
// Person is a plain value, safe for concurrent use.
type Person struct {
	ID          PersonID            `json:"id" yaml:"id"`
	Name        string              `json:"name" yaml:"name"`
	ResidentID  identity.ResidentID `json:"resident_id,omitzero" yaml:"resident_id,omitempty"`
	Phone       identity.Phone      `json:"phone,omitzero" yaml:"phone,omitempty"`
	PartyMember bool                `json:"party_member,omitempty" yaml:"party_member,omitempty"`
}

// Post is one person's appointment to one role in one unit for a period. A person may
// hold several posts in several units at once.
//
// Post is a plain value, safe for concurrent use.
type Post struct {
	ID     PostID   `json:"id" yaml:"id"`
	Person PersonID `json:"person" yaml:"person"`
	Unit   UnitID   `json:"unit" yaml:"unit"`
	Role   Role     `json:"role" yaml:"role"`
	// FullTime distinguishes full-time from part-time posts (专职/兼职).
	FullTime bool `json:"full_time,omitempty" yaml:"full_time,omitempty"`
	// From is the organisation the holder comes from or represents, when that is not
	// Unit: the department of a part-time committee member or first secretary, the
	// police station or property company of an action-branch member.
	From UnitID `json:"from,omitempty" yaml:"from,omitempty"`
	// Start and End bound the post: it is active at t when Start <= t < End. A zero Start
	// means since always, a zero End means open-ended.
	Start time.Time `json:"start,omitzero" yaml:"start,omitempty"`
	End   time.Time `json:"end,omitzero" yaml:"end,omitempty"`
}

// ActiveAt reports whether the post is held at t.
func (p Post) ActiveAt(t time.Time) bool { return activeAt(p.Start, p.End, t) }

func activeAt(start, end, t time.Time) bool {
	return !t.Before(start) && (end.IsZero() || t.Before(end))
}

// Actor is who issues a command, and in which post. Rules check that the post is the
// person's and active ([Tree.ActorPost]) and then what the post allows.
//
// Actor is a plain value, safe for concurrent use.
type Actor struct {
	Person PersonID `json:"person" yaml:"person"`
	Post   PostID   `json:"post" yaml:"post"`
}

// Secondment is the sending down (下沉) of a person or a whole unit from its home unit to
// serve in another for a period, with the units that hold the secondee's party
// relations, attendance and appraisal. In Qinhuai the enforcement officers sent to the
// streets have all three held by the street.
//
// Secondment is a plain value, safe for concurrent use.
type Secondment struct {
	ID      string `json:"id" yaml:"id"`
	Subject Ref    `json:"subject" yaml:"subject"` // the person or unit sent down
	Home    UnitID `json:"home" yaml:"home"`       // the sending unit
	Serving UnitID `json:"serving" yaml:"serving"` // the unit served
	// PartyRelations, Attendance and Appraisal name the unit that manages each; empty
	// means the home unit.
	PartyRelations UnitID    `json:"party_relations,omitempty" yaml:"party_relations,omitempty"`
	Attendance     UnitID    `json:"attendance,omitempty" yaml:"attendance,omitempty"`
	Appraisal      UnitID    `json:"appraisal,omitempty" yaml:"appraisal,omitempty"`
	Start          time.Time `json:"start,omitzero" yaml:"start,omitempty"`
	End            time.Time `json:"end,omitzero" yaml:"end,omitempty"`
}

// ActiveAt reports whether the secondment is in force at t (Start <= t < End).
func (s Secondment) ActiveAt(t time.Time) bool { return activeAt(s.Start, s.End, t) }

// AppraisalUnit returns the unit that appraises the secondee: Appraisal, or Home when
// it is empty.
func (s Secondment) AppraisalUnit() UnitID { return orHome(s.Appraisal, s.Home) }

// AttendanceUnit returns the unit that keeps the secondee's attendance.
func (s Secondment) AttendanceUnit() UnitID { return orHome(s.Attendance, s.Home) }

// PartyRelationsUnit returns the unit that holds the secondee's party relations.
func (s Secondment) PartyRelationsUnit() UnitID { return orHome(s.PartyRelations, s.Home) }

func orHome(u, home UnitID) UnitID {
	if u == "" {
		return home
	}
	return u
}

// Pairing is the pairing (结对) of a department's party organisation with a community's:
// the department helps the community and the two are assessed as a bundle (捆绑式考核).
//
// Pairing is a plain value, safe for concurrent use.
type Pairing struct {
	ID         string    `json:"id" yaml:"id"`
	Department UnitID    `json:"department" yaml:"department"` // the department or its party organisation
	Community  UnitID    `json:"community" yaml:"community"`   // the community or its party organisation
	Start      time.Time `json:"start,omitzero" yaml:"start,omitempty"`
	End        time.Time `json:"end,omitzero" yaml:"end,omitempty"`
}

// ActiveAt reports whether the pairing is in force at t.
func (p Pairing) ActiveAt(t time.Time) bool { return activeAt(p.Start, p.End, t) }

// AssignmentType distinguishes the two ways district leaders take responsibility.
type AssignmentType string

// Assignment types.
const (
	AssignArea   AssignmentType = "area"   // 包块: a standing committee leader takes a street
	AssignSector AssignmentType = "sector" // 包条: a government leader takes a line of work
)

// Assignment makes a district leader responsible for a street (包块) or a sector (包条).
// When the whistle blows (吹哨) in a street, the leaders assigned to it report in.
//
// Assignment is a plain value, safe for concurrent use.
type Assignment struct {
	ID     string         `json:"id" yaml:"id"`
	Leader PersonID       `json:"leader" yaml:"leader"`
	Type   AssignmentType `json:"type" yaml:"type"`
	// Unit is the street of an area assignment, or the lead department of a sector.
	Unit UnitID `json:"unit" yaml:"unit"`
	// Sector names the line of work of a sector assignment ("urban-management").
	Sector string    `json:"sector,omitempty" yaml:"sector,omitempty"`
	Start  time.Time `json:"start,omitzero" yaml:"start,omitempty"`
	End    time.Time `json:"end,omitzero" yaml:"end,omitempty"`
}

// ActiveAt reports whether the assignment is in force at t.
func (a Assignment) ActiveAt(t time.Time) bool { return activeAt(a.Start, a.End, t) }

// Scope says how far a grant reaches from the unit it names.
type Scope string

// Scopes.
const (
	ScopeSubtree Scope = ""     // the unit and every unit below it (the default)
	ScopeSelf    Scope = "self" // the unit alone
)

// Relation makes a grant's subjects those related to the holder, instead of a fixed
// subject: "a community may reverse-evaluate the units and people seconded to it".
type Relation string

// Relations a grant may name.
const (
	// RelationWithin: the subject (a unit, or a person posted in a unit) is the holder
	// unit or below it — "a street may appraise its own communities".
	RelationWithin Relation = "within"
	// RelationSeconded: the subject (a person or unit, or a person posted in a unit) is
	// seconded, at the time asked, to the holder unit or a unit below it.
	RelationSeconded Relation = "seconded"
	// RelationAppraises: the holder unit is the appraisal unit of a secondment of the
	// subject in force at the time asked.
	RelationAppraises Relation = "appraises"
	// RelationPaired: the subject (or the unit of a post the subject holds) is within a
	// unit paired with the holder unit at the time asked.
	RelationPaired Relation = "paired"
)

// Grant gives a right to a holder over subjects for a period. It is data: Qinhuai's
// streets' powers over district departments and its communities' powers over the people
// sent down to them are grants ([QinhuaiGrants]), and a district adds or ends grants
// without code.
//
// A grant held at a unit covers the unit's subtree unless HolderScope is ScopeSelf, and
// HolderLevel and HolderKind narrow it to the units of one level or kind in that scope.
// A person holds a unit's right while holding an active post in a covered unit, with one
// of HolderRoles when given. The subjects are Subject (a unit with its subtree unless
// SubjectScope is ScopeSelf, and the people posted in those units; or one person) or,
// when Relation is set, those related to the holder unit that holds it. SubjectLevel
// and SubjectKind narrow the subject units in both cases; they do not apply to a person
// reached directly (a person subject, a seconded person). The grant is in force when Start <= t < End; an expired grant, like an
// ended secondment, grants nothing, with no clean-up needed.
//
// Grant is a plain value, safe for concurrent use.
type Grant struct {
	ID           string    `json:"id" yaml:"id"`
	Right        Right     `json:"right" yaml:"right"`
	Holder       Ref       `json:"holder" yaml:"holder"`
	HolderScope  Scope     `json:"holder_scope,omitempty" yaml:"holder_scope,omitempty"`
	HolderLevel  Level     `json:"holder_level,omitempty" yaml:"holder_level,omitempty"`
	HolderKind   Kind      `json:"holder_kind,omitempty" yaml:"holder_kind,omitempty"`
	HolderRoles  []Role    `json:"holder_roles,omitempty" yaml:"holder_roles,omitempty"`
	Subject      Ref       `json:"subject,omitzero" yaml:"subject,omitempty"`
	SubjectScope Scope     `json:"subject_scope,omitempty" yaml:"subject_scope,omitempty"`
	SubjectLevel Level     `json:"subject_level,omitempty" yaml:"subject_level,omitempty"`
	SubjectKind  Kind      `json:"subject_kind,omitempty" yaml:"subject_kind,omitempty"`
	Relation     Relation  `json:"relation,omitempty" yaml:"relation,omitempty"`
	Start        time.Time `json:"start,omitzero" yaml:"start,omitempty"`
	End          time.Time `json:"end,omitzero" yaml:"end,omitempty"`
}

// ActiveAt reports whether the grant is in force at t.
func (g Grant) ActiveAt(t time.Time) bool { return activeAt(g.Start, g.End, t) }
