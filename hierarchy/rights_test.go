package hierarchy_test

import (
	"time"

	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/hierarchy"
)

const (
	rightDispatch hierarchy.Right = "dispatch"      // a community's secretary or commanders task its grids
	rightBundle   hierarchy.Right = "assess-bundle" // a department assesses the community it is paired with
	rightAudit    hierarchy.Right = "audit"         // granted to one person, for one year
	rightStation  hierarchy.Right = "inspect"       // the street over one police station only
)

// rightsTree is the fixture with grants beyond Qinhuai's defaults, one per shape of
// grant.
func rightsTree(tb testing.TB) *hierarchy.Tree {
	tb.Helper()
	b := fixture(tb)
	for _, g := range []hierarchy.Grant{
		{ID: "dispatch", Right: rightDispatch, Holder: hierarchy.UnitRef(district), HolderLevel: hierarchy.LevelCommunity,
			HolderRoles: []hierarchy.Role{hierarchy.RoleSecretary, hierarchy.RoleCommander},
			Relation:    hierarchy.RelationWithin, SubjectLevel: hierarchy.LevelGrid},
		{ID: "bundle", Right: rightBundle, Holder: hierarchy.UnitRef(deptMS), HolderScope: hierarchy.ScopeSelf,
			Relation: hierarchy.RelationPaired},
		{ID: "audit", Right: rightAudit, Holder: hierarchy.PersonRef(leader), Subject: hierarchy.UnitRef(qinhong),
			Start: day(2024, 1, 1), End: day(2025, 1, 1)},
		{ID: "inspect", Right: rightStation, Holder: hierarchy.UnitRef(qinhong), HolderScope: hierarchy.ScopeSelf,
			Subject: hierarchy.UnitRef(station), SubjectScope: hierarchy.ScopeSelf},
	} {
		b.AddGrant(g)
	}
	// A property manager sent to help 康居里 for 2024, appraised by the street.
	b.AddSecondment(hierarchy.Secondment{ID: "sec-manager", Subject: hierarchy.PersonRef(manager), Home: property,
		Serving: kangju, Appraisal: qinhong, Start: day(2024, 1, 1), End: day(2025, 1, 1)})
	tr, err := b.Build()
	require.NoError(tb, err)
	return tr
}

func TestTree_HasRight(t *testing.T) {
	tr := rightsTree(t)
	u, p := hierarchy.UnitRef, hierarchy.PersonRef
	tests := []struct {
		name    string
		holder  hierarchy.Ref
		right   hierarchy.Right
		subject hierarchy.Ref
		at      string // "before", "mid" or "after" 2024
		want    bool
		reason  string
	}{
		// The community's reverse evaluation of those sent down to it.
		{"ReverseEvaluate/OK", u(zhongpai), hierarchy.RightReverseEvaluate, p(officer), "mid", true, "the officer is seconded to 中牌楼"},
		{"ReverseEvaluate/OtherCommunity", u(kangju), hierarchy.RightReverseEvaluate, p(officer), "mid", false, "seconded elsewhere"},
		{"ReverseEvaluate/Expired", u(zhongpai), hierarchy.RightReverseEvaluate, p(officer), "after", false, "the secondment ended: no clean-up needed"},
		{"ReverseEvaluate/NotYet", u(zhongpai), hierarchy.RightReverseEvaluate, p(officer), "before", false, "not yet seconded"},
		{"ReverseEvaluate/Street", u(qinhong), hierarchy.RightReverseEvaluate, p(officer), "mid", false, "the grant is for communities only"},
		{"ReverseEvaluate/Secretary", p(secretary), hierarchy.RightReverseEvaluate, p(officer), "mid", true, "acting in a post of 中牌楼"},
		{"ReverseEvaluate/Worker", p(worker), hierarchy.RightReverseEvaluate, p(officer), "mid", false, "a grid post is below the community level"},
		{"ReverseEvaluate/NotSeconded", u(zhongpai), hierarchy.RightReverseEvaluate, p(police), "mid", false, "the police officer is not seconded"},
		// Appraisal follows the secondment's appraisal unit.
		{"Appraise/Street", u(qinhong), hierarchy.RightAppraise, p(officer), "mid", true, "the street holds the officer's appraisal"},
		{"Appraise/Community", u(zhongpai), hierarchy.RightAppraise, p(officer), "mid", false, "the community serves but does not appraise"},
		{"Appraise/Manager", u(qinhong), hierarchy.RightAppraise, p(manager), "mid", true, "the secondment names the street"},
		{"Appraise/ManagerEnded", u(qinhong), hierarchy.RightAppraise, p(manager), "after", false, "the secondment ended"},
		{"Appraise/OfficerAfter", u(qinhong), hierarchy.RightAppraise, p(officer), "after", true, "still a department's staff: the street's power over departments"},
		// The street's powers over district departments (街道六权).
		{"BeInformed/Department", u(fuzimiao), hierarchy.RightBeInformed, u(deptUM), "mid", true, "every street over every department"},
		{"Advise/DepartmentStaff", u(qinhong), hierarchy.RightAdvise, p(officer), "after", true, "people posted in a department"},
		{"Advise/Community", u(qinhong), hierarchy.RightAdvise, u(zhongpai), "mid", false, "a community is not a department"},
		{"Advise/ByCommunity", u(zhongpai), hierarchy.RightAdvise, u(deptUM), "mid", false, "communities do not hold the street's powers"},
		{"Advise/ByStreetOffice", u(qinhong + "/urban-management"), hierarchy.RightAdvise, u(deptUM), "mid", false, "the level filter keeps the offices out"},
		{"Summon/Street", u(qinhong), hierarchy.RightSummon, u(deptMS), "mid", true, "吹哨报到"},
		{"Summon/PersonInStreetPartyOrg", p(streetCmd), hierarchy.RightSummon, u(deptMS), "mid", false, "a post in the party working committee is not a post in the street"},
		// A relation relative to the holder, and holder roles.
		{"Dispatch/Secretary", p(secretary), rightDispatch, u(grid1), "mid", true, "secretary of the grid's community"},
		{"Dispatch/SecondCommander", p(streetCmd), rightDispatch, u(grid2), "mid", true, "the second commander"},
		{"Dispatch/GridWorkerSubject", p(secretary), rightDispatch, p(worker), "mid", true, "the grid worker through the grid post"},
		{"Dispatch/OtherCommunity", p(secretary), rightDispatch, u(fzmComm), "mid", false, "outside the holder's subtree"},
		{"Dispatch/Building", p(secretary), rightDispatch, u(building1), "mid", false, "the subject level is grid"},
		{"Dispatch/WrongRole", p(police), rightDispatch, u(grid1), "mid", false, "no post in the community"},
		{"Dispatch/Unit", u(zhongpai), rightDispatch, u(grid1), "mid", true, "the unit itself holds it; roles only filter people"},
		// Pairing.
		{"Bundle/Paired", u(deptMS), rightBundle, u(fzmComm), "mid", true, "paired through the two party organisations"},
		{"Bundle/Below", u(deptMS), rightBundle, u(hierarchy.PartyOrgID(fzmComm)), "mid", true, "units below the paired community"},
		{"Bundle/NotPaired", u(deptMS), rightBundle, u(zhongpai), "mid", false, "another community"},
		{"Bundle/BeforePairing", u(deptMS), rightBundle, u(fzmComm), "before", false, "paired from 2024"},
		{"Bundle/FirstSecretary", p(firstSec), rightBundle, u(fzmComm), "mid", true, "acting through the department post"},
		{"Bundle/SelfScope", u(hierarchy.PartyOrgID(deptMS)), rightBundle, u(fzmComm), "mid", false, "held by the department itself only"},
		// A grant to one person, with dates.
		{"Audit/OK", p(leader), rightAudit, u(household1), "mid", true, "subject subtree"},
		{"Audit/Expired", p(leader), rightAudit, u(household1), "after", false, "the grant ended"},
		{"Audit/Other", p(secretary), rightAudit, u(household1), "mid", false, "granted to the leader only"},
		{"Audit/Outside", p(leader), rightAudit, u(fzmComm), "mid", false, "outside the subject"},
		// Self scopes.
		{"Inspect/Station", u(qinhong), rightStation, u(station), "mid", true, "exactly the station"},
		{"Inspect/Beat", u(qinhong), rightStation, u(beat), "mid", false, "subject scope self excludes the beat"},
		{"Inspect/Community", u(zhongpai), rightStation, u(station), "mid", false, "holder scope self excludes the street's communities"},
		// Unknowns.
		{"UnknownRight", u(zhongpai), "fly", p(officer), "mid", false, "no grant"},
		{"UnknownHolder", u("nowhere"), hierarchy.RightReverseEvaluate, p(officer), "mid", false, "unknown unit"},
		{"UnknownSubject", u(zhongpai), hierarchy.RightReverseEvaluate, p("nobody"), "mid", false, "unknown person"},
		{"ZeroRefs", hierarchy.Ref{}, hierarchy.RightAdvise, hierarchy.Ref{}, "mid", false, "zero references"},
	}
	at := map[string]time.Time{"before": before2024, "mid": mid2024, "after": after2024}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tr.HasRight(tt.holder, tt.right, tt.subject, at[tt.at]); got != tt.want {
				t.Errorf("HasRight(%s, %s, %s, %s) = %v, want %v (%s)", tt.holder, tt.right, tt.subject, tt.at, got, tt.want, tt.reason)
			}
		})
	}
}

func TestTree_HoldersOf(t *testing.T) {
	tr := rightsTree(t)
	tests := []struct {
		right   hierarchy.Right
		subject hierarchy.Ref
		at      time.Time
		want    []hierarchy.Ref
		reason  string
	}{
		{hierarchy.RightReverseEvaluate, hierarchy.PersonRef(officer), mid2024,
			[]hierarchy.Ref{hierarchy.UnitRef(zhongpai)}, "only the community served"},
		{hierarchy.RightReverseEvaluate, hierarchy.PersonRef(officer), after2024, []hierarchy.Ref{}, "nobody after the end"},
		{hierarchy.RightAppraise, hierarchy.PersonRef(officer), mid2024,
			[]hierarchy.Ref{hierarchy.UnitRef(qinhong), hierarchy.UnitRef(fuzimiao)},
			"the appraising street by secondment, and both streets because the officer is posted in a department"},
		{rightAudit, hierarchy.UnitRef(zhongpai), mid2024, []hierarchy.Ref{hierarchy.PersonRef(leader)}, "a person grant"},
		{rightDispatch, hierarchy.UnitRef(grid2), mid2024, []hierarchy.Ref{hierarchy.UnitRef(zhongpai)}, "the grid's own community"},
		{rightDispatch, hierarchy.UnitRef("nowhere"), mid2024, nil, "unknown subject"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tr.HoldersOf(tt.right, tt.subject, tt.at)); diff != "" {
			t.Errorf("HoldersOf(%s, %s) mismatch (-want +got) (%s):\n%s", tt.right, tt.subject, tt.reason, diff)
		}
	}
}
