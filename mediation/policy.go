package mediation

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Policy is one district's rules for its mediation network: the brand and numbering of
// its rooms, the committee rules, which kinds of mediator and dispute it knows, the
// grounds on which a room may refuse a case, the time limits and the return visits.
// Policies are data: a district changes the file, not the code.
//
// A Policy is a plain value; it is safe for concurrent use as long as nobody modifies
// it (or the slices it holds) after handing it to [NewNetwork] or [NewService].
type Policy struct {
	// Brand is the one name and numbering every room carries (苔花调解工作室 in Qinhuai).
	Brand Brand `json:"brand" yaml:"brand"`
	// Committee are the rules on the members of each room's committee (人民调解委员会
	// 组成: 3 to 9 members including a woman, People's Mediation Law art. 8). The rules
	// the law fixes outright — one chair, a member of a smaller ethnic group in a
	// multi-ethnic area (art. 8), three-year terms (art. 9) — are not policy values;
	// [CheckRooms] applies them to every room.
	Committee CommitteeRules `json:"committee" yaml:"committee"`
	// HostKinds lists the kinds of hierarchy unit that may host a room (departments,
	// streets, communities, police stations, police service points). The list fails
	// closed: an empty list is a policy error (a misspelt key in a district's file must
	// not let any unit host a room) unless AnyHostKind says so explicitly.
	HostKinds []hierarchy.Kind `json:"host_kinds,omitempty" yaml:"host_kinds,omitempty"`
	// AnyHostKind lets a unit of any kind host a room; HostKinds must then be empty.
	AnyHostKind bool `json:"any_host_kind,omitempty" yaml:"any_host_kind,omitempty"`
	// MediatorKinds lists every kind of mediator a room may have on its roster.
	MediatorKinds []MediatorKind `json:"mediator_kinds" yaml:"mediator_kinds"`
	// Qualifications lists what every mediator on a roster must have on record: the
	// qualifications of People's Mediation Law art. 14 ([Art14]) or a district's
	// stricter list. It must not be empty.
	Qualifications []Qualification `json:"qualifications" yaml:"qualifications"`
	// InvitedKinds lists the kinds that join a case by invitation (邀请): relatives,
	// neighbours, experts. They may take part in a case without being on the room's
	// roster, never sit on a committee and never act on a case on their own.
	InvitedKinds []MediatorKind `json:"invited_kinds" yaml:"invited_kinds"`
	// LegalOfficerKinds lists the kinds whose legal consultations and trainings count as
	// the work of grid legal officers (政法网格员 and the "three officials and one
	// lawyer" 三官一律).
	LegalOfficerKinds []MediatorKind `json:"legal_officer_kinds" yaml:"legal_officer_kinds"`
	// DisputeTypes lists the dispute types a case may have and a room may specialise in.
	DisputeTypes []DisputeType `json:"dispute_types" yaml:"dispute_types"`
	// RefusalGrounds lists the grounds on which a room may refuse (不予受理) a case:
	// those of the 2010 law (art. 17) and the 2002 rules (art. 22), and any local ground
	// the district adds ([GroundBeforeArbitration]).
	RefusalGrounds []RefusalGround `json:"refusal_grounds" yaml:"refusal_grounds"`
	// LinkedSources lists the sources whose cases must carry the ID of the record they
	// came from (the grid report, the police call, the court file, the 12345 ticket,
	// the escalation case).
	LinkedSources []SourceKind `json:"linked_sources" yaml:"linked_sources"`
	// OralAgreements allows oral agreements (口头协议): the parties' choice when they
	// see no need for a written one (People's Mediation Law art. 28), effective when
	// reached and recorded (art. 30). Since the law leaves the choice to the parties,
	// false is a local restriction a district should be able to justify.
	OralAgreements bool `json:"oral_agreements" yaml:"oral_agreements"`
	// WrittenContent is what a written agreement must state ([ContentRule]).
	WrittenContent ContentRule `json:"written_content" yaml:"written_content"`
	// FailureAdvice is the advice recorded when mediation fails or is terminated (art.
	// 26: the parties are told they may seek arbitration, administrative or judicial
	// remedies). A Fail command may replace it.
	FailureAdvice string `json:"failure_advice" yaml:"failure_advice"`
	// Limits are the time limits, counted on the working calendar.
	Limits Limits `json:"limits" yaml:"limits"`
	// ReturnVisits are the offsets, from the agreement taking effect, at which the room
	// visits the parties again (回访) to check the agreement is performed.
	ReturnVisits []Span `json:"return_visits" yaml:"return_visits"`
}

// Brand is the shared name and numbering of the network's rooms.
type Brand struct {
	// Name is the brand every room's name carries, e.g. "苔花调解工作室".
	Name string `json:"name" yaml:"name"`
	// Prefix starts every room number, e.g. "QHTH" gives "QHTH-001".
	Prefix string `json:"prefix" yaml:"prefix"`
	// Digits is the width of the zero-padded sequence after the prefix.
	Digits int `json:"digits" yaml:"digits"`
}

// Number returns the room number of sequence seq, e.g. "QHTH-007".
func (b Brand) Number(seq int) RoomID {
	return RoomID(fmt.Sprintf("%s-%0*d", b.Prefix, b.Digits, seq))
}

// Parse returns the sequence of a room number, or an error wrapping
// [gridgov.ErrInvalid] when id does not follow the brand's numbering.
func (b Brand) Parse(id RoomID) (int, error) {
	rest, ok := strings.CutPrefix(string(id), b.Prefix+"-")
	if !ok || len(rest) != b.Digits {
		return 0, fmt.Errorf("mediation: room number %q does not follow %q: %w", id, b.Number(0), gridgov.ErrInvalid)
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || strings.ContainsAny(rest, "+-") {
		return 0, fmt.Errorf("mediation: room number %q does not follow %q: %w", id, b.Number(0), gridgov.ErrInvalid)
	}
	return n, nil
}

// CommitteeRules are the rules on a room's committee members.
type CommitteeRules struct {
	// MinMembers and MaxMembers bound the number of committee members (3 and 9).
	MinMembers int `json:"min_members" yaml:"min_members"`
	MaxMembers int `json:"max_members" yaml:"max_members"`
	// MinWomen is the least number of women among the members (1).
	MinWomen int `json:"min_women" yaml:"min_women"`
}

// Limits are the time limits of a case.
type Limits struct {
	// Conclude is the time from acceptance (受理) in which a case should be concluded.
	// The source is soft: a committee "generally" settles a dispute within one month
	// (一般在一个月内调结, 人民调解工作若干规定 2002 art. 33); the 2010 law sets no limit.
	// A room that takes a case over by referral starts its own.
	Conclude Span `json:"conclude" yaml:"conclude"`
	// ExtensionRule says whether and how the limit may be extended. No national text
	// fixes it: every rule is a local choice ([ExtensionRule]).
	ExtensionRule ExtensionRule `json:"extension_rule" yaml:"extension_rule"`
	// Extension is how much one extension adds to the deadline in force. It is zero
	// exactly when ExtensionRule is [ExtendNone].
	Extension Span `json:"extension,omitzero" yaml:"extension,omitempty"`
	// Confirmation is the window, from the agreement taking effect, in which the
	// parties may jointly apply to a court for judicial confirmation (司法确认): 30
	// calendar days (People's Mediation Law art. 33), the last day moving past a
	// holiday.
	Confirmation Span `json:"confirmation" yaml:"confirmation"`
}

// ExtensionRule is a district's rule on extending a case's time limit. Neither the
// 2010 law nor the 2002 rules provide for an extension (art. 33 says only "generally
// within one month"), so each rule is a local choice, and a policy must name one: an
// empty rule does not validate.
type ExtensionRule string

// The extension rules.
const (
	// ExtendNone allows no extension.
	ExtendNone ExtensionRule = "none"
	// ExtendOnceWithConsent allows one extension, by Limits.Extension (one month in
	// Qinhuai's default), with every party's consent.
	ExtendOnceWithConsent ExtensionRule = "once-with-consent"
	// ExtendWhilePartiesAgree lets mediation continue, one Limits.Extension at a time,
	// for as long as every party consents to each extension (as provincial rules put
	// it: 经纠纷双方当事人同意可以继续调解).
	ExtendWhilePartiesAgree ExtensionRule = "while-parties-agree"
)

var knownExtensionRules = []ExtensionRule{ExtendNone, ExtendOnceWithConsent, ExtendWhilePartiesAgree}

// ContentRule is what a written agreement must contain before it can be signed.
type ContentRule string

// The content rules.
const (
	// ContentFree checks only that the agreement has terms. The 2010 law lists what a
	// written agreement "may" state (可以载明, art. 29) without requiring any of it.
	ContentFree ContentRule = "free"
	// ContentRules2002 requires the five items a written agreement "shall" state
	// (调解协议应当载明, 人民调解工作若干规定 2002 art. 35): (1) the parties' basic
	// particulars (双方当事人基本情况: here, every party's name and resident ID or
	// credit code); (2) the brief facts of the dispute, the matters in dispute and each
	// side's responsibility (纠纷简要事实、争议事项及双方责任: [DraftAgreement.Facts]);
	// (3) the parties' rights and obligations (双方当事人的权利和义务:
	// [DraftAgreement.Terms]); (4) the manner, place and time limit of performance
	// (履行协议的方式、地点、期限: [DraftAgreement.Performance]); (5) the parties'
	// signatures, the presiding mediator's signature and the committee's seal
	// (当事人签名，调解主持人签名，人民调解委员会印章: [Sign] and [Seal], without which
	// no written agreement takes effect, art. 29 of the 2010 law).
	ContentRules2002 ContentRule = "rules-2002-art35"
)

var knownContentRules = []ContentRule{ContentFree, ContentRules2002}

// QinhuaiPolicy returns Qinhuai district's rules: the 苔花调解工作室 brand, committees of
// 3–9 members with at least one woman (People's Mediation Law art. 8), the mediator
// qualifications of art. 14, the refusal grounds of art. 17 and the 2002 rules art.
// 22, conclusion "generally within one month" (2002 rules art. 33), the five items of
// a written agreement (2002 rules art. 35), the 30-day judicial-confirmation window
// (art. 33), and return visits at 7 days and 1 month.
//
// Local choices, set by no national text, which a district should check: one
// extension of one month with every party's consent ([ExtendOnceWithConsent]), the
// return-visit offsets and the numbering prefix [unverified against the district's
// own rules].
func QinhuaiPolicy() Policy {
	return Policy{
		Brand:     Brand{Name: "苔花调解工作室", Prefix: "QHTH", Digits: 3},
		Committee: CommitteeRules{MinMembers: 3, MaxMembers: 9, MinWomen: 1},
		HostKinds: []hierarchy.Kind{
			hierarchy.KindDepartment, hierarchy.KindStreetOffice, hierarchy.KindTerritorial,
			hierarchy.KindPoliceStation, hierarchy.KindPoliceBeat,
		},
		MediatorKinds: []MediatorKind{
			KindPeoplesMediator, KindGridLegalOfficer, KindPoliceOfficer, KindJudge,
			KindProsecutor, KindLawyer, KindExpert,
		},
		Qualifications:    Art14(),
		InvitedKinds:      []MediatorKind{KindRelative, KindNeighbour, KindColleague, KindExpert, KindOrganisation},
		LegalOfficerKinds: []MediatorKind{KindGridLegalOfficer, KindPoliceOfficer, KindJudge, KindProsecutor, KindLawyer},
		DisputeTypes: []DisputeType{
			DisputeNeighbour, DisputeFamily, DisputeProperty, DisputeLabour, DisputeConsumer,
			DisputeTraffic, DisputeMedical, DisputeOther,
		},
		RefusalGrounds: []RefusalGround{
			GroundPartyRefuses, GroundSpecialisedOrgan, GroundMediationBarred, GroundAcceptedByCourt,
			GroundAcceptedByPolice, GroundAcceptedByAdministration, GroundOutsideScope,
		},
		LinkedSources:  []SourceKind{SourceGrid, SourcePolice, SourceCourt, Source12345, SourceEscalation},
		OralAgreements: true,
		WrittenContent: ContentRules2002,
		FailureAdvice:  "调解不成，当事人可以依法通过仲裁、行政、司法等途径维护自己的权利。(Mediation failed: the parties may seek arbitration, administrative or judicial remedies.)",
		Limits: Limits{
			Conclude:      Span{Months: 1, RollOver: true},
			ExtensionRule: ExtendOnceWithConsent,
			Extension:     Span{Months: 1, RollOver: true},
			Confirmation:  Span{Days: 30, RollOver: true},
		},
		ReturnVisits: []Span{{Days: 7, RollOver: true}, {Months: 1, RollOver: true}},
	}
}

// Validate reports every problem of the policy at once, each with its path
// ("limits.conclude: ..."), joined with [errors.Join]. Each problem wraps
// [gridgov.ErrInvalid].
func (p Policy) Validate() error {
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, &fieldError{path: path, msg: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(p.Brand.Name) == "" {
		add("brand.name", "required")
	}
	if p.Brand.Prefix == "" || strings.ContainsAny(p.Brand.Prefix, "- \t") {
		add("brand.prefix", "must be non-empty, without spaces or '-'")
	}
	if p.Brand.Digits < 1 || p.Brand.Digits > 9 {
		add("brand.digits", "must be between 1 and 9, got %d", p.Brand.Digits)
	}
	c := p.Committee
	if c.MinMembers < 1 {
		add("committee.min_members", "must be >= 1, got %d", c.MinMembers)
	}
	if c.MaxMembers < c.MinMembers {
		add("committee.max_members", "must be >= min_members (%d), got %d", c.MinMembers, c.MaxMembers)
	}
	if c.MinWomen < 0 || (c.MaxMembers > 0 && c.MinWomen > c.MaxMembers) {
		add("committee.min_women", "must be between 0 and max_members, got %d", c.MinWomen)
	}
	switch {
	case p.AnyHostKind && len(p.HostKinds) > 0:
		add("host_kinds", "must be empty when any_host_kind is set")
	case !p.AnyHostKind && len(p.HostKinds) == 0:
		add("host_kinds", "must list the kinds of unit that may host a room, or set any_host_kind explicitly")
	}
	checkSet(add, "host_kinds", p.HostKinds, false)
	checkSet(add, "mediator_kinds", p.MediatorKinds, true)
	checkSet(add, "invited_kinds", p.InvitedKinds, false)
	checkSet(add, "qualifications", p.Qualifications, true)
	for i, k := range p.LegalOfficerKinds {
		if !slices.Contains(p.MediatorKinds, k) {
			add(fmt.Sprintf("legal_officer_kinds[%d]", i), "%q is not in mediator_kinds", k)
		}
	}
	checkSet(add, "dispute_types", p.DisputeTypes, true)
	checkSet(add, "refusal_grounds", p.RefusalGrounds, true)
	for i, g := range p.RefusalGrounds {
		if by, ok := renamedGrounds[g]; ok {
			add(fmt.Sprintf("refusal_grounds[%d]", i), "ground %q is in neither the 2010 law nor the 2002 rules; use %s", g, by)
		} else if !slices.Contains(knownGrounds, g) {
			add(fmt.Sprintf("refusal_grounds[%d]", i), "unknown ground %q (known: %v)", g, knownGrounds)
		}
	}
	for i, s := range p.LinkedSources {
		if !slices.Contains(knownSources, s) {
			add(fmt.Sprintf("linked_sources[%d]", i), "unknown source %q (known: %v)", s, knownSources)
		}
	}
	if strings.TrimSpace(p.FailureAdvice) == "" {
		add("failure_advice", "required: a failed mediation must tell the parties where to turn")
	}
	p.Limits.Conclude.check(add, "limits.conclude", true)
	switch l := p.Limits; {
	case !slices.Contains(knownExtensionRules, l.ExtensionRule):
		add("limits.extension_rule", "must be one of %v (a local choice, but a choice), got %q", knownExtensionRules, l.ExtensionRule)
	case l.ExtensionRule == ExtendNone && !l.Extension.IsZero():
		add("limits.extension", "must be zero when extension_rule is %q", ExtendNone)
	case l.ExtensionRule != ExtendNone:
		l.Extension.check(add, "limits.extension", true)
	}
	if !slices.Contains(knownContentRules, p.WrittenContent) {
		add("written_content", "must be one of %v, got %q", knownContentRules, p.WrittenContent)
	}
	p.Limits.Confirmation.check(add, "limits.confirmation", true)
	for i, s := range p.ReturnVisits {
		s.check(add, fmt.Sprintf("return_visits[%d]", i), true)
	}
	return errors.Join(errs...)
}

func checkSet[T ~string](add func(path, format string, args ...any), path string, set []T, required bool) {
	if required && len(set) == 0 {
		add(path, "must list at least one value")
	}
	seen := make(map[T]bool, len(set))
	for i, v := range set {
		switch {
		case strings.TrimSpace(string(v)) == "":
			add(fmt.Sprintf("%s[%d]", path, i), "empty value")
		case seen[v]:
			add(fmt.Sprintf("%s[%d]", path, i), "duplicate %q", v)
		}
		seen[v] = true
	}
}

// fieldError is one problem of a policy or a network, at a path.
type fieldError struct {
	path string
	msg  string
}

func (e *fieldError) Error() string { return "mediation: " + e.path + ": " + e.msg }
func (e *fieldError) Unwrap() error { return gridgov.ErrInvalid }
