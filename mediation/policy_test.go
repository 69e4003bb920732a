package mediation_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"go.yaml.in/yaml/v3"
)

func TestQinhuaiPolicy_Validate(t *testing.T) {
	if err := mediation.QinhuaiPolicy().Validate(); err != nil {
		t.Fatalf("QinhuaiPolicy().Validate() = %v", err)
	}
}

func TestPolicy_Validate(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		edit   func(*mediation.Policy)
		paths  []string // every path the error must name
	}{
		{name: "ErrBrand", reason: "a room number needs a prefix and a width; the brand a name",
			edit:  func(p *mediation.Policy) { p.Brand = mediation.Brand{Prefix: "QH-TH", Digits: 0} },
			paths: []string{"brand.name", "brand.prefix", "brand.digits"}},
		{name: "ErrCommittee", reason: "3–9 with a woman, in that order of bounds",
			edit: func(p *mediation.Policy) {
				p.Committee = mediation.CommitteeRules{MinMembers: 0, MaxMembers: -1, MinWomen: -1}
			},
			paths: []string{"committee.min_members", "committee.max_members", "committee.min_women"}},
		{name: "ErrSets", reason: "kinds, types and grounds are non-empty sets of known values",
			edit: func(p *mediation.Policy) {
				p.MediatorKinds = nil
				p.InvitedKinds = []mediation.MediatorKind{"", mediation.KindRelative, mediation.KindRelative}
				p.DisputeTypes = nil
				p.RefusalGrounds = []mediation.RefusalGround{"whim"}
				p.LinkedSources = []mediation.SourceKind{"rumour"}
				p.HostKinds = []hierarchy.Kind{hierarchy.KindDepartment, hierarchy.KindDepartment}
			},
			paths: []string{"mediator_kinds", "invited_kinds[0]", "invited_kinds[2]", "legal_officer_kinds[0]", "legal_officer_kinds[1]",
				"legal_officer_kinds[2]", "legal_officer_kinds[3]", "legal_officer_kinds[4]", "dispute_types",
				"refusal_grounds[0]", "linked_sources[0]", "host_kinds[1]"}},
		{name: "ErrRetiredGround", reason: "'before court or arbitration' is in neither the 2010 law (art. 18 lets courts suggest mediation, it bars nothing) nor the 2002 rules (art. 22): a file naming it is told what replaces it",
			edit:  func(p *mediation.Policy) { p.RefusalGrounds = append(p.RefusalGrounds, "before-court-or-arbitration") },
			paths: []string{"refusal_grounds[7]"}},
		{name: "ErrNoQualifications", reason: "art. 14's qualifications are data, but a policy without any would let anyone mediate",
			edit: func(p *mediation.Policy) { p.Qualifications = nil }, paths: []string{"qualifications"}},
		{name: "ErrHostKindsEmpty", reason: "fail closed (issue 9): a missing or misspelt host_kinds key must not let any unit host a room",
			edit: func(p *mediation.Policy) { p.HostKinds = nil }, paths: []string{"host_kinds"}},
		{name: "ErrHostKindsAndAny", reason: "any_host_kind is the explicit alternative to a list, not an addition",
			edit: func(p *mediation.Policy) { p.AnyHostKind = true }, paths: []string{"host_kinds"}},
		{name: "ErrAdvice", reason: "a failure must tell the parties where to turn (art. 26)",
			edit: func(p *mediation.Policy) { p.FailureAdvice = " " }, paths: []string{"failure_advice"}},
		{name: "ErrLimits", reason: "time limits are positive, one unit each",
			edit: func(p *mediation.Policy) {
				p.Limits.Conclude = mediation.Span{}
				p.Limits.Extension = mediation.Span{Months: 1, WorkingDays: 3}
				p.Limits.Confirmation = mediation.Span{Days: -30}
				p.ReturnVisits = []mediation.Span{{Days: 7}, {WorkingDays: 5, RollOver: true}}
			},
			paths: []string{"limits.conclude", "limits.extension", "limits.confirmation", "return_visits[1]"}},
		{name: "ErrExtensionRuleMissing", reason: "the extension rule is a local choice (no national text fixes one), but a policy must make it: a missing key does not default to any rule",
			edit: func(p *mediation.Policy) { p.Limits.ExtensionRule = "" }, paths: []string{"limits.extension_rule"}},
		{name: "ErrExtensionRuleUnknown", reason: "only none, once-with-consent and while-parties-agree",
			edit: func(p *mediation.Policy) { p.Limits.ExtensionRule = "twice" }, paths: []string{"limits.extension_rule"}},
		{name: "ErrNoneWithSpan", reason: "rule none with an extension length is contradictory",
			edit: func(p *mediation.Policy) { p.Limits.ExtensionRule = mediation.ExtendNone }, paths: []string{"limits.extension"}},
		{name: "ErrConsentWithoutSpan", reason: "an extension rule needs the length of one extension",
			edit: func(p *mediation.Policy) { p.Limits.Extension = mediation.Span{} }, paths: []string{"limits.extension"}},
		{name: "ErrWrittenContent", reason: "the agreement-content rule must be named: free (law art. 29, 可以载明) or the 2002 rules art. 35 (应当载明)",
			edit: func(p *mediation.Policy) { p.WrittenContent = "" }, paths: []string{"written_content"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mediation.QinhuaiPolicy()
			tt.edit(&p)
			err := p.Validate()
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Fatalf("Validate() = %v, want an error wrapping ErrInvalid", err)
			}
			for _, path := range tt.paths {
				if !strings.Contains(err.Error(), "mediation: "+path+": ") {
					t.Errorf("Validate() does not name %s:\n%v", path, err)
				}
			}
			if n := len(strings.Split(err.Error(), "\n")); n != len(tt.paths) {
				t.Errorf("Validate() reported %d problems, want %d:\n%v", n, len(tt.paths), err)
			}
		})
	}
	t.Run("AnyHostKindIsExplicit", func(t *testing.T) {
		p := mediation.QinhuaiPolicy()
		p.HostKinds, p.AnyHostKind = nil, true
		if err := p.Validate(); err != nil {
			t.Errorf("Validate() with any_host_kind = %v, want nil", err)
		}
	})
	t.Run("NoExtensionIsValid", func(t *testing.T) {
		p := mediation.QinhuaiPolicy()
		p.Limits.ExtensionRule, p.Limits.Extension = mediation.ExtendNone, mediation.Span{}
		if err := p.Validate(); err != nil {
			t.Errorf("Validate() with no extension = %v, want nil (extensions are a local choice)", err)
		}
	})
}

// TestPolicy_Encoding checks that the policy round-trips through the JSON and YAML a
// profile file holds.
func TestPolicy_Encoding(t *testing.T) {
	want := mediation.QinhuaiPolicy()
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	var got mediation.Policy
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
	y, err := yaml.Marshal(want)
	if err != nil {
		t.Fatalf("yaml.Marshal: %v", err)
	}
	got = mediation.Policy{}
	if err := yaml.Unmarshal(y, &got); err != nil {
		t.Fatalf("yaml.Unmarshal: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("YAML round trip mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(y), "confirmation:\n        days: 30\n        roll_over: true") {
		t.Errorf("YAML does not carry the 30-day window as data:\n%s", y)
	}
}

func TestBrand(t *testing.T) {
	b := mediation.QinhuaiPolicy().Brand
	if got := b.Number(7); got != "QHTH-007" {
		t.Errorf("Number(7) = %q, want QHTH-007", got)
	}
	tests := []struct {
		id     mediation.RoomID
		reason string
		want   int
	}{
		{"QHTH-168", "the last of Qinhuai's rooms", 168},
		{"QHTH-001", "the first", 1},
		{"QHTH-000", "numbering starts at 1", 0},
		{"QHTH-1", "too narrow", 0},
		{"QHTH-0168", "too wide", 0},
		{"XXTH-001", "another brand", 0},
		{"QHTH--01", "a sign is not a digit", 0},
		{"QHTH-+01", "a sign is not a digit", 0},
		{"QHTH-0a1", "not a number", 0},
	}
	for _, tt := range tests {
		got, err := b.Parse(tt.id)
		if tt.want == 0 {
			if !errors.Is(err, gridgov.ErrInvalid) {
				t.Errorf("Parse(%q) = %d, %v; want ErrInvalid (%s)", tt.id, got, err, tt.reason)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d (%s)", tt.id, got, err, tt.want, tt.reason)
		}
	}
}

func TestSpan_Deadline(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		name   string
		reason string
		span   mediation.Span
		from   time.Time
		want   time.Time
	}{
		{name: "Month", reason: "the corresponding day of the next month",
			span: mediation.Span{Months: 1, RollOver: true}, from: day(2025, 3, 10, 15, 0), want: endOf(2025, 4, 10)},
		{name: "MonthEndClamps", reason: "31 January + 1 month has no 31 February: the month's last day",
			span: mediation.Span{Months: 1}, from: day(2025, 1, 31, 9, 0), want: endOf(2025, 2, 28)},
		{name: "MonthEndLeapYear", reason: "2024 is a leap year",
			span: mediation.Span{Months: 1}, from: day(2024, 1, 31, 9, 0), want: endOf(2024, 2, 29)},
		{name: "MonthRollsOverWeekend", reason: "Saturday 1 November 2025 moves to Monday 3 November",
			span: mediation.Span{Months: 1, RollOver: true}, from: day(2025, 10, 1, 9, 0), want: endOf(2025, 11, 3)},
		{name: "MonthNoRollOver", reason: "without roll-over a weekend last day stays",
			span: mediation.Span{Months: 1}, from: day(2025, 10, 1, 9, 0), want: endOf(2025, 11, 1)},
		{name: "DaysAcrossSpringFestival", reason: "20 January + 10 days = 30 January, inside the 2025 Spring Festival (28 Jan–4 Feb): moves to Wednesday 5 February",
			span: mediation.Span{Days: 10, RollOver: true}, from: day(2025, 1, 20, 9, 0), want: endOf(2025, 2, 5)},
		{name: "DaysToWorkedSaturday", reason: "Saturday 8 February 2025 was worked in lieu: no move",
			span: mediation.Span{Days: 19, RollOver: true}, from: day(2025, 1, 20, 9, 0), want: endOf(2025, 2, 8)},
		{name: "StartDayNotCounted", reason: "a case accepted at 23:30 does not get that day counted",
			span: mediation.Span{Days: 1}, from: day(2025, 9, 1, 23, 30), want: endOf(2025, 9, 2)},
		{name: "OtherZone", reason: "16:30 UTC on 31 August is already 1 September in Beijing",
			span: mediation.Span{Days: 1}, from: time.Date(2025, 8, 31, 16, 30, 0, 0, time.UTC), want: endOf(2025, 9, 2)},
		{name: "WorkingDays", reason: "3 working days from Friday 26 September: Sunday 28 (in lieu), 29, 30",
			span: mediation.Span{WorkingDays: 3}, from: day(2025, 9, 26, 9, 0), want: day(2025, 9, 30, 17, 30)},
		{name: "Zero", reason: "a zero span is no time at all",
			span: mediation.Span{}, from: day(2025, 9, 26, 9, 0), want: day(2025, 9, 26, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.span.Deadline(cal, tt.from); !got.Equal(tt.want) {
				t.Errorf("%v.Deadline(%v) = %v, want %v (%s)", tt.span, tt.from, got, tt.want, tt.reason)
			}
		})
	}
}

func TestSpan_String(t *testing.T) {
	for _, tt := range []struct {
		span mediation.Span
		want string
	}{
		{mediation.Span{Months: 1}, "1 month"},
		{mediation.Span{Months: 2, Days: 3}, "2 months 3 days"},
		{mediation.Span{Months: 3}, "3 months"},
		{mediation.Span{Days: 30, RollOver: true}, "30 days (rolled over holidays)"},
		{mediation.Span{WorkingDays: 20}, "20 working days"},
	} {
		if got := tt.span.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.span, got, tt.want)
		}
	}
}

func TestCheckRooms(t *testing.T) {
	p := mediation.QinhuaiPolicy()
	tree := testTree(t)
	good := testRooms()
	if vs := mediation.CheckRooms(p, tree, good, day(2025, 9, 1, 9, 0)); len(vs) != 0 {
		t.Fatalf("CheckRooms(test rooms) = %v, want none", vs)
	}
	bad := testRooms()[:2]
	bad[0].ID = "QHTH-01"
	bad[0].Name = "秦淮区调解中心"
	bad[0].Mediators = bad[0].Mediators[:2] // two members
	bad[0].Mediators[0].Woman = false       // and no woman
	bad[0].Specialities = []mediation.DisputeType{"divorce"}
	bad[1].Host = "320104999"
	bad[1].Mediators = append(bad[1].Mediators,
		qualified(mediation.Mediator{Person: "m2a", Kind: mediation.KindPeoplesMediator}),
		qualified(mediation.Mediator{Kind: mediation.KindRelative, Committee: true}),
		qualified(mediation.Mediator{Person: "x", Kind: "astrologer"}),
	)
	for i := range 7 {
		bad[1].Mediators = append(bad[1].Mediators, qualified(mediation.Mediator{Person: hierarchy.PersonID("y" + string(rune('0'+i))), Kind: mediation.KindLawyer, Committee: true}))
	}
	dup := testRooms()[2]
	dup.ID = bad[1].ID
	dup.Host = "ORG-WY" // a property company may not host a room
	bad = append(bad, dup)
	treeWithOrg := func() *hierarchy.Tree {
		b := hierarchy.NewBuilderFrom(tree)
		b.AddUnit(hierarchy.Unit{ID: "ORG-WY", Name: "某物业公司", Kind: hierarchy.KindOrganisation, Parent: uLZY})
		t2, err := b.Build()
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		return t2
	}()
	want := []mediation.Violation{
		{Room: "QHTH-01", Path: "id", Rule: "brand.numbering"},
		{Room: "QHTH-01", Path: "name", Rule: "brand.name"},
		{Room: "QHTH-01", Path: "specialities[0]", Rule: "dispute-types.unknown"},
		{Room: "QHTH-01", Path: "mediators", Rule: "committee.size"},
		{Room: "QHTH-01", Path: "mediators", Rule: "committee.woman"},
		{Room: "QHTH-002", Path: "host", Rule: "host.unknown-unit"},
		{Room: "QHTH-002", Path: "mediators[3].person", Rule: "mediators.unique"},
		{Room: "QHTH-002", Path: "mediators[4].person", Rule: "mediators.person-required"},
		{Room: "QHTH-002", Path: "mediators[4].kind", Rule: "mediators.kind"},
		{Room: "QHTH-002", Path: "mediators[4].committee", Rule: "committee.invited-member"},
		{Room: "QHTH-002", Path: "mediators[5].kind", Rule: "mediators.kind"},
		{Room: "QHTH-002", Path: "mediators", Rule: "committee.size"},
		{Room: "QHTH-002", Path: "id", Rule: "brand.unique-number"},
		{Room: "QHTH-002", Path: "host", Rule: "host.kind"},
	}
	got := mediation.CheckRooms(p, treeWithOrg, bad, time.Time{})
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(mediation.Violation{}, "Msg")); diff != "" {
		t.Errorf("CheckRooms mismatch (-want +got):\n%s", diff)
	}
	_, err := mediation.NewNetwork(p, treeWithOrg, bad)
	if !errors.Is(err, gridgov.ErrInvalid) || !strings.Contains(err.Error(), "room QHTH-01: mediators: 0 women on the committee, need at least 1 (rule committee.woman)") {
		t.Errorf("NewNetwork(bad) = %v, want every violation wrapping ErrInvalid", err)
	}
	if _, err := mediation.NewNetwork(p, nil, good); !errors.Is(err, gridgov.ErrInvalid) {
		t.Errorf("NewNetwork(nil tree) = %v, want ErrInvalid", err)
	}
}

// TestNetwork_RoomAsUnit checks the other way to model a room: as its own unit of kind
// mediation-room under the hosting unit.
func TestNetwork_RoomAsUnit(t *testing.T) {
	b := hierarchy.NewBuilderFrom(testTree(t))
	b.AddUnit(hierarchy.Unit{ID: "MR-ZPL", Name: "中牌楼社区调解室", Kind: hierarchy.KindMediationRoom, Parent: uZPL})
	tree, err := b.Build()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	rooms := append(testRooms(), mediation.Room{ID: "QHTH-008", Name: "苔花调解工作室（中牌楼社区）", Host: "MR-ZPL", Mediators: roster(8)})
	net, err := mediation.NewNetwork(mediation.QinhuaiPolicy(), tree, rooms)
	if err != nil {
		t.Fatalf("NewNetwork: %v", err)
	}
	if h, ok := net.Host("QHTH-008"); !ok || h != uZPL {
		t.Errorf("Host(QHTH-008) = %s, %t; want %s", h, ok, uZPL)
	}
	if up, ok := net.Up("QHTH-008", mediation.DisputeFamily); !ok || up != rQH {
		t.Errorf("Up(QHTH-008) = %s, %t; want %s", up, ok, rQH)
	}
	if got := net.HostedBy(uZPL); !cmp.Equal(got, []mediation.RoomID{"QHTH-008"}) {
		t.Errorf("HostedBy(%s) = %v", uZPL, got)
	}
	if got := len(net.Rooms()); got != 8 {
		t.Errorf("len(Rooms()) = %d, want 8", got)
	}
}
