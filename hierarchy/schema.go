package hierarchy

import (
	"errors"
	"fmt"
	"slices"
)

// Schema is the configurable shape of an organisation tree: its territorial levels, which
// level may sit under which, and where non-territorial kinds of unit may attach. A rural
// county's four levels or a province's register are schemas written as data; see
// [QinhuaiSchema] for the default. A Schema is a plain value; do not modify one after
// passing it to [NewBuilder].
type Schema struct {
	Name   string      `json:"name" yaml:"name"`
	Levels []LevelSpec `json:"levels" yaml:"levels"`
	Kinds  []KindSpec  `json:"kinds,omitempty" yaml:"kinds,omitempty"`
}

// LevelSpec describes one territorial level.
//
// LevelSpec is a plain value, safe for concurrent use.
type LevelSpec struct {
	Level Level `json:"level" yaml:"level"`
	// Under lists the levels a unit of this level may sit under. Empty means the level is
	// a root level: its units sit at the top of the tree.
	Under []Level `json:"under,omitempty" yaml:"under,omitempty"`
	// CodeDigits, when non-zero, says the unit's Code is a statistical division code
	// (统计用区划代码) whose significant part has this many digits (2 province, 4 city,
	// 6 county, 9 township, 12 village); it must then extend its parent's code.
	CodeDigits int `json:"code_digits,omitempty" yaml:"code_digits,omitempty"`
	// PartyOrg names the party organisation a unit of this level carries (街道党工委,
	// 社区党委, 网格党支部 …); [Builder.AddPartyOrgs] adds one per unit, named after the
	// unit with PartyOrgSuffix.
	PartyOrg       string `json:"party_org,omitempty" yaml:"party_org,omitempty"`
	PartyOrgSuffix string `json:"party_org_suffix,omitempty" yaml:"party_org_suffix,omitempty"`
	// Offices are the standard non-territorial units every unit of this level has (the
	// street's five departments, one bureau and two centres); [Builder.AddOffices] adds
	// them.
	Offices []OfficeSpec `json:"offices,omitempty" yaml:"offices,omitempty"`
}

// OfficeSpec is a standard office of a level. Its unit ID is the parent's ID, "/" and Key.
//
// OfficeSpec is a plain value, safe for concurrent use.
type OfficeSpec struct {
	Key  string `json:"key" yaml:"key"`
	Name string `json:"name" yaml:"name"`
	Kind Kind   `json:"kind" yaml:"kind"`
}

// KindSpec describes where a non-territorial kind of unit may attach.
//
// KindSpec is a plain value, safe for concurrent use.
type KindSpec struct {
	Kind Kind `json:"kind" yaml:"kind"`
	// UnderLevels and UnderKinds list the territorial levels and non-territorial kinds a
	// unit of this kind may sit under. Both empty means under any territorial unit.
	UnderLevels []Level `json:"under_levels,omitempty" yaml:"under_levels,omitempty"`
	UnderKinds  []Kind  `json:"under_kinds,omitempty" yaml:"under_kinds,omitempty"`
}

// Validate reports every problem of the schema at once, each with its path
// ("levels[2].under[0]: unknown level \"x\""), joined with [errors.Join]. Each wraps
// [gridgov.ErrInvalid].
func (s Schema) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, invalidf("schema", "%s: "+format, append([]any{path}, args...)...))
	}
	levels := map[Level]bool{}
	roots := 0
	for i, l := range s.Levels {
		p := fmt.Sprintf("levels[%d]", i)
		switch {
		case l.Level == "":
			bad(p+".level", "must not be empty")
		case levels[l.Level]:
			bad(p+".level", "duplicate level %q", l.Level)
		}
		levels[l.Level] = true
		if len(l.Under) == 0 {
			roots++
		}
		if l.CodeDigits != 0 && !slices.Contains(divisionLengths, l.CodeDigits) {
			bad(p+".code_digits", "must be one of 2, 4, 6, 9, 12, got %d", l.CodeDigits)
		}
	}
	if len(s.Levels) == 0 {
		bad("levels", "at least one level is needed")
	} else if roots == 0 {
		bad("levels", "no root level: every level has a non-empty under")
	}
	kinds := map[Kind]bool{}
	for i, k := range s.Kinds {
		p := fmt.Sprintf("kinds[%d]", i)
		switch {
		case k.Kind == "" || k.Kind == KindTerritorial:
			bad(p+".kind", "must be a non-territorial kind, got %q", k.Kind)
		case kinds[k.Kind]:
			bad(p+".kind", "duplicate kind %q", k.Kind)
		}
		kinds[k.Kind] = true
	}
	for i, l := range s.Levels {
		for j, u := range l.Under {
			if !levels[u] {
				bad(fmt.Sprintf("levels[%d].under[%d]", i, j), "unknown level %q", u)
			}
		}
		seen := map[string]bool{}
		for j, o := range l.Offices {
			p := fmt.Sprintf("levels[%d].offices[%d]", i, j)
			if o.Key == "" || seen[o.Key] {
				bad(p+".key", "must be non-empty and unique, got %q", o.Key)
			}
			seen[o.Key] = true
			if !kinds[o.Kind] {
				bad(p+".kind", "unknown kind %q", o.Kind)
			}
		}
	}
	for i, k := range s.Kinds {
		for j, u := range k.UnderLevels {
			if !levels[u] {
				bad(fmt.Sprintf("kinds[%d].under_levels[%d]", i, j), "unknown level %q", u)
			}
		}
		for j, u := range k.UnderKinds {
			if !kinds[u] {
				bad(fmt.Sprintf("kinds[%d].under_kinds[%d]", i, j), "unknown kind %q", u)
			}
		}
	}
	return errors.Join(errs...)
}

// divisionLengths are the significant lengths of statistical division codes.
var divisionLengths = []int{2, 4, 6, 9, 12}

// level returns the spec of l.
func (s Schema) level(l Level) (LevelSpec, bool) {
	for _, spec := range s.Levels {
		if spec.Level == l {
			return spec, true
		}
	}
	return LevelSpec{}, false
}

// QinhuaiSchema returns Qinhuai district's schema: district → street or functional zone
// → community → grid → building → household, each carrying its party organisation
// (区委, 街道党工委, 社区党委, 网格党支部, 楼栋党小组, 党员中心户), the street's five
// departments, one bureau and two centres (五部一局两中心) as standard offices, the
// district command platform of 1+12+N, and where departments, police stations and beats,
// command sub-centres, action party branches, mediation rooms and outside organisations
// attach.
func QinhuaiSchema() Schema {
	return Schema{
		Name: "qinhuai",
		Levels: []LevelSpec{
			{Level: LevelDistrict, CodeDigits: 6, PartyOrg: "district party committee", PartyOrgSuffix: "区委",
				Offices: []OfficeSpec{{Key: "command", Name: "district social-governance command platform", Kind: KindCommandCentre}}},
			{Level: LevelStreet, Under: []Level{LevelDistrict}, CodeDigits: 9,
				PartyOrg: "street party working committee", PartyOrgSuffix: "党工委",
				Offices: []OfficeSpec{
					{Key: "party-government-office", Name: "party and government office", Kind: KindStreetOffice},
					{Key: "development-services", Name: "development services department", Kind: KindStreetOffice},
					{Key: "urban-management", Name: "urban management department", Kind: KindStreetOffice},
					{Key: "livelihood-security", Name: "livelihood security department", Kind: KindStreetOffice},
					{Key: "peace-building", Name: "peace building department", Kind: KindStreetOffice},
					{Key: "law-enforcement", Name: "comprehensive law-enforcement bureau", Kind: KindStreetOffice},
					{Key: "citizen-service", Name: "citizen service centre", Kind: KindStreetOffice},
					{Key: "command", Name: "social-governance command centre", Kind: KindCommandCentre},
				}},
			{Level: LevelZone, Under: []Level{LevelDistrict}, CodeDigits: 9,
				PartyOrg: "functional zone party working committee", PartyOrgSuffix: "党工委"},
			{Level: LevelCommunity, Under: []Level{LevelStreet, LevelZone}, CodeDigits: 12,
				PartyOrg: "community party committee", PartyOrgSuffix: "社区党委"},
			{Level: LevelGrid, Under: []Level{LevelCommunity},
				PartyOrg: "grid party branch", PartyOrgSuffix: "网格党支部"},
			{Level: LevelBuilding, Under: []Level{LevelGrid},
				PartyOrg: "building party group", PartyOrgSuffix: "楼栋党小组"},
			{Level: LevelHousehold, Under: []Level{LevelBuilding},
				PartyOrg: "party-member central household", PartyOrgSuffix: "党员中心户"},
		},
		Kinds: []KindSpec{
			// Party organisations follow every territorial level and also exist in
			// departments, police stations and outside organisations (the department side of
			// a pairing is its party organisation).
			{Kind: KindPartyOrg, UnderLevels: []Level{LevelDistrict, LevelStreet, LevelZone, LevelCommunity, LevelGrid,
				LevelBuilding, LevelHousehold}, UnderKinds: []Kind{KindDepartment, KindPoliceStation, KindOrganisation}},
			{Kind: KindDepartment, UnderLevels: []Level{LevelDistrict}},
			{Kind: KindStreetOffice, UnderLevels: []Level{LevelStreet, LevelZone}},
			{Kind: KindPoliceStation, UnderLevels: []Level{LevelDistrict, LevelStreet}, UnderKinds: []Kind{KindDepartment}},
			{Kind: KindPoliceBeat, UnderKinds: []Kind{KindPoliceStation}},
			{Kind: KindCommandCentre, UnderLevels: []Level{LevelDistrict, LevelStreet, LevelZone, LevelCommunity},
				UnderKinds: []Kind{KindDepartment}},
			{Kind: KindActionBranch, UnderLevels: []Level{LevelStreet, LevelZone, LevelCommunity, LevelGrid}},
			{Kind: KindMediationRoom, UnderLevels: []Level{LevelDistrict, LevelStreet, LevelZone, LevelCommunity},
				UnderKinds: []Kind{KindDepartment, KindPoliceStation, KindPoliceBeat}},
			{Kind: KindOrganisation},
		},
	}
}
