package escalation

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Route is one row of the routing table (1+12+N): cases whose category starts with
// Category ("" for all, "C", "E", "G" for a whole family) located in the subtree of
// Within ("" for anywhere) are owned by Owner (the department responsible, 权属或主管单位)
// and answered on the ground by the territorial unit at Level above the case, or by
// its office Office (the street's "law-enforcement" bureau, "urban-management"
// department …) when that unit has it. A case takes each of the three fields from the
// most specific matching row that sets it: the longest Category, then the deepest
// Within.
//
// Office is a key, not a unit ID: the office of territorial unit u is the unit with ID
// "<u>/<Office>" ("320104001/law-enforcement" for Office "law-enforcement" in street
// 320104001), the shape [hierarchy.Builder.AddOffices] gives the street's offices. A
// tree built by hand must use the same shape, or the territory answers itself.
type Route struct {
	Category string           `json:"category,omitempty" yaml:"category,omitempty"`
	Within   hierarchy.UnitID `json:"within,omitempty" yaml:"within,omitempty"`
	Owner    hierarchy.UnitID `json:"owner,omitempty" yaml:"owner,omitempty"`
	Level    hierarchy.Level  `json:"level,omitempty" yaml:"level,omitempty"`
	Office   string           `json:"office,omitempty" yaml:"office,omitempty"`
}

// Routing is the routing policy: the table, the asset layer and the special channels.
type Routing struct {
	// Table is the category × territory table.
	Table []Route `json:"table,omitempty" yaml:"table,omitempty"`
	// Level is the territorial level that answers for a case when no row sets one.
	Level hierarchy.Level `json:"level" yaml:"level"`
	// Assets and Roads are the asset layer: an asset ID or a road name owned by a
	// department inside someone else's territory, and that owner. For components they
	// override the table.
	Assets map[string]hierarchy.UnitID `json:"assets,omitempty" yaml:"assets,omitempty"`
	Roads  map[string]hierarchy.UnitID `json:"roads,omitempty" yaml:"roads,omitempty"`
	// PoliceCategories are the category prefixes of police matters (G04).
	PoliceCategories []string `json:"police_categories" yaml:"police_categories"`
	// PoliceSources are the sources whose police matters go at once to the community
	// police officer of the beat (grid patrol).
	PoliceSources []Source `json:"police_sources" yaml:"police_sources"`
	// PoliceTransferLevel is the level of the territorial unit that receives
	// non-police items from the police (community).
	PoliceTransferLevel hierarchy.Level `json:"police_transfer_level" yaml:"police_transfer_level"`
	// EmergencyCentre receives major emergencies; empty means the command centre of the
	// tree's root (the district command platform).
	EmergencyCentre hierarchy.UnitID `json:"emergency_centre,omitempty" yaml:"emergency_centre,omitempty"`
	// DispatchRight is the right of the hierarchy by which a territory may dispatch
	// cases to units, and assign people, outside its own subtree and outside what the
	// routing decides for the case (a street over district departments: 统筹协调权,
	// [hierarchy.RightCoordinate]). Empty means no such reach: a territory dispatches
	// within its subtree and to the units routing names (see [Policy.Authorize],
	// rule "auth.jurisdiction").
	DispatchRight hierarchy.Right `json:"dispatch_right,omitempty" yaml:"dispatch_right,omitempty"`
}

// QinhuaiRouting returns Qinhuai's routing defaults: the street answers for cases
// (components through its urban-management department, events through its
// comprehensive law-enforcement bureau, emergencies through its command centre,
// safety hazards and police matters not from patrol through its peace-building
// department), disputes and livelihood requests go to the community; police matters
// found on patrol go to the beat's officer; non-police items from the police to the
// community. A street dispatches beyond its subtree and its routes only where it
// holds the coordination right (统筹协调权) over the unit, as [hierarchy.QinhuaiGrants]
// gives it over the district departments. It names no department, asset or road: those are the district's data
// (see [Policy.CheckTree]).
func QinhuaiRouting() Routing {
	return Routing{
		Table: []Route{
			{Category: "C", Office: "urban-management"},
			{Category: "E", Office: "law-enforcement"},
			{Category: "E04", Office: "command"},
			{Category: "G01", Level: hierarchy.LevelCommunity},
			{Category: "G02", Office: "peace-building"},
			{Category: "G03", Level: hierarchy.LevelCommunity},
			{Category: "G04", Office: "peace-building"},
		},
		Level:               hierarchy.LevelStreet,
		PoliceCategories:    []string{"G04"},
		PoliceSources:       []Source{SourcePatrol},
		PoliceTransferLevel: hierarchy.LevelCommunity,
		DispatchRight:       hierarchy.RightCoordinate,
	}
}

func validPrefix(p *Policy, c string) bool {
	return c == "C" || c == "E" || c == "G" || p.knownCategory(c)
}

func (r *Routing) validate(path string, bad func(rule, path, format string, args ...any)) {
	if r.Level == "" {
		bad("policy.routing", path+".level", "required")
	}
	type rkey struct {
		cat    string
		within hierarchy.UnitID
	}
	seen := map[rkey]int{}
	for i, row := range r.Table {
		p := fmt.Sprintf("%s.table[%d]", path, i)
		if strings.Contains(row.Office, "/") {
			bad("policy.routing", p+".office", "%q: an office key may not contain \"/\"", row.Office)
		}
		if row.Owner == "" && row.Level == "" && row.Office == "" {
			bad("policy.routing", p, "sets none of owner, level and office")
		}
		k := rkey{row.Category, row.Within}
		if j, dup := seen[k]; dup {
			bad("policy.routing", p, "repeats %s.table[%d] (same category and within)", path, j)
		} else {
			seen[k] = i
		}
	}
	for _, k := range sortedKeys(r.Assets) {
		if k == "" || r.Assets[k] == "" {
			bad("policy.routing", fmt.Sprintf("%s.assets[%s]", path, k), "empty asset ID or owner")
		}
	}
	for _, k := range sortedKeys(r.Roads) {
		if k == "" || r.Roads[k] == "" {
			bad("policy.routing", fmt.Sprintf("%s.roads[%s]", path, k), "empty road name or owner")
		}
	}
	for i, s := range r.PoliceSources {
		if !s.valid() {
			bad("policy.routing", fmt.Sprintf("%s.police_sources[%d]", path, i), "unknown source %q", s)
		}
	}
	if r.PoliceTransferLevel == "" {
		bad("policy.routing", path+".police_transfer_level", "required")
	}
}

// validateCategoryPrefixes checks the category prefixes of the routing table; it needs
// the policy's minor classes, so Policy.Validate calls it.
func (p *Policy) validateRoutingCategories(bad func(rule, path, format string, args ...any)) {
	for i, row := range p.Routing.Table {
		if row.Category != "" && !validPrefix(p, row.Category) {
			bad("policy.routing", fmt.Sprintf("routing.table[%d].category", i), "unknown category %q", row.Category)
		}
	}
	for i, c := range p.Routing.PoliceCategories {
		if !validPrefix(p, c) {
			bad("policy.routing", fmt.Sprintf("routing.police_categories[%d]", i), "unknown category %q", c)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// CheckTree reports every unit and level the policy names that tree t does not know:
// the routing table's owners and territories, the asset layer's owners, the emergency
// centre, the routing, escalation and whistle levels. Each problem is a
// [*gridgov.Error] wrapping [gridgov.ErrInvalid] with rule "policy.tree", joined.
func (p *Policy) CheckTree(t *hierarchy.Tree) error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, &gridgov.Error{Op: "escalation.Policy.CheckTree", Kind: gridgov.ErrInvalid, Rule: "policy.tree",
			Msg: path + ": " + fmt.Sprintf(format, args...)})
	}
	unit := func(path string, id hierarchy.UnitID) {
		if id == "" {
			return
		}
		if _, ok := t.Unit(id); !ok {
			bad(path, "unit %q is not in the tree", id)
		}
	}
	levels := map[hierarchy.Level]bool{}
	for _, l := range t.Schema().Levels {
		levels[l.Level] = true
	}
	level := func(path string, l hierarchy.Level) {
		if l != "" && !levels[l] {
			bad(path, "level %q is not in the tree's schema", l)
		}
	}
	r := &p.Routing
	for i, row := range r.Table {
		unit(fmt.Sprintf("routing.table[%d].within", i), row.Within)
		unit(fmt.Sprintf("routing.table[%d].owner", i), row.Owner)
		level(fmt.Sprintf("routing.table[%d].level", i), row.Level)
	}
	for _, k := range sortedKeys(r.Assets) {
		unit(fmt.Sprintf("routing.assets[%s]", k), r.Assets[k])
	}
	for _, k := range sortedKeys(r.Roads) {
		unit(fmt.Sprintf("routing.roads[%s]", k), r.Roads[k])
	}
	unit("routing.emergency_centre", r.EmergencyCentre)
	level("routing.level", r.Level)
	level("routing.police_transfer_level", r.PoliceTransferLevel)
	for i, l := range p.Escalation.Levels {
		level(fmt.Sprintf("escalation.levels[%d]", i), l)
	}
	level("whistle.from", p.Whistle.From)
	return errors.Join(errs...)
}

// BeatResolver says which community police officer (社区民警) answers for a location: the
// officer of the police beat (警格) containing its point or grid, and the unit of the
// beat (or of the officer's police station). A grid index provides one; this package
// does not depend on it. ok is false outside every beat or for a vacant beat.
//
// Implementations must be safe for concurrent use.
type BeatResolver interface {
	BeatOfficer(loc Location) (officer hierarchy.PersonID, beat hierarchy.UnitID, ok bool)
}

// BeatFunc adapts a function to a [BeatResolver].
type BeatFunc func(loc Location) (hierarchy.PersonID, hierarchy.UnitID, bool)

// BeatOfficer calls f.
func (f BeatFunc) BeatOfficer(loc Location) (hierarchy.PersonID, hierarchy.UnitID, bool) {
	return f(loc)
}

// Beat is a police beat's unit and its officer.
type Beat struct {
	Unit    hierarchy.UnitID   `json:"unit" yaml:"unit"`
	Officer hierarchy.PersonID `json:"officer" yaml:"officer"`
}

// BeatsByUnit is a [BeatResolver] from a table of territorial unit IDs (grids, as
// [Location].Unit names them) to their beat: it answers for Location.Unit. It is safe for concurrent use if not modified.
type BeatsByUnit map[hierarchy.UnitID]Beat

// BeatOfficer returns the beat of loc.Unit.
func (m BeatsByUnit) BeatOfficer(loc Location) (hierarchy.PersonID, hierarchy.UnitID, bool) {
	b, ok := m[loc.Unit]
	if !ok || b.Officer == "" {
		return "", "", false
	}
	return b.Officer, b.Unit, true
}

// Routing rules named by a [RouteDecision].
const (
	RuleRouteEmergency      = "routing.emergency"       // a major emergency: the district command centre
	RuleRoutePoliceBeat     = "routing.police-beat"     // a police matter found on patrol: the beat's officer
	RuleRoutePoliceTransfer = "routing.police-transfer" // a non-police item from the police: the community
	RuleRouteAsset          = "routing.asset"           // the asset layer's owner of the asset
	RuleRouteRoad           = "routing.road"            // the asset layer's owner of the road
	RuleRouteOwner          = "routing.owner"           // the table's owner of the category
	RuleRouteTerritory      = "routing.territory"       // the territorial unit (or its office)
)

// RouteDecision is where a case goes and why.
type RouteDecision struct {
	Unit   hierarchy.UnitID   `json:"unit"`
	Person hierarchy.PersonID `json:"person,omitempty"`
	// Rule is the routing rule that decided, one of the RuleRoute* constants.
	Rule string `json:"rule"`
	// Direct routes are filed and dispatched by the system on report, without waiting
	// for the platform: emergencies, police matters found on patrol, police transfers.
	Direct bool `json:"direct,omitempty"`
}

// Route decides where case c goes at time at under the policy's routing (1+12+N):
//
//  1. a major emergency goes to the emergency centre (default: the district command
//     platform);
//  2. a police matter from a police source (found on patrol) goes to the officer
//     env.Beats names for the location, when it names one;
//  3. a non-police item from the police goes to the territorial unit at
//     PoliceTransferLevel (the community owning the grid);
//  4. otherwise the table decides: components go to their owner (the asset layer's
//     owner of the asset or road, else the table's owner) and then to the territory,
//     events and governance matters to the territory and then to the owner.
//
// A case nothing routes is a [*gridgov.Error] of kind [gridgov.ErrNotFound] with rule
// "routing.no-route".
func (p *Policy) Route(c Case, at time.Time, env Env) (RouteDecision, error) {
	return p.route(&c, at, env, nil)
}

// route is Route on a case it only reads. With alt set, a table route also keeps
// in *alt the unit the table gives second (the territory of a component, the owner of
// an event), which jurisdiction counts as routed too.
func (p *Policy) route(c *Case, at time.Time, env Env, alt *RouteDecision) (RouteDecision, error) {
	t := env.Tree
	if t == nil {
		return RouteDecision{}, &gridgov.Error{Op: "escalation.Route", Kind: gridgov.ErrInvalid, Rule: "env.required", Msg: "no tree"}
	}
	r := &p.Routing
	loc := c.Location
	if c.Complexity == MajorEmergency {
		u := r.EmergencyCentre
		if u == "" {
			u, _ = t.Nearest(t.Root(), hierarchy.KindCommandCentre)
		}
		if u != "" {
			return RouteDecision{Unit: u, Rule: RuleRouteEmergency, Direct: true}, nil
		}
	}
	police := matchesAny(c.Category, r.PoliceCategories)
	if police && slices.Contains(r.PoliceSources, c.Source) && env.Beats != nil {
		if officer, beat, ok := env.Beats.BeatOfficer(loc); ok {
			if beat == "" {
				for _, post := range t.PostsOf(officer, at) {
					if post.Role == hierarchy.RoleCommunityPolice {
						beat = post.Unit
						break
					}
				}
			}
			if beat != "" {
				return RouteDecision{Unit: beat, Person: officer, Rule: RuleRoutePoliceBeat, Direct: true}, nil
			}
		}
	}
	if !police && c.Source == SourcePolice {
		if u, ok := t.AncestorAt(loc.Unit, r.PoliceTransferLevel); ok {
			return RouteDecision{Unit: u, Rule: RuleRoutePoliceTransfer, Direct: true}, nil
		}
	}

	owner, level, office := p.tableFields(c.Category, loc.Unit, t)
	if level == "" {
		level = r.Level
	}
	ownerD := RouteDecision{}
	switch {
	case loc.Asset != "" && r.Assets[loc.Asset] != "":
		ownerD = RouteDecision{Unit: r.Assets[loc.Asset], Rule: RuleRouteAsset}
	case loc.Road != "" && r.Roads[loc.Road] != "":
		ownerD = RouteDecision{Unit: r.Roads[loc.Road], Rule: RuleRouteRoad}
	case owner != "":
		ownerD = RouteDecision{Unit: owner, Rule: RuleRouteOwner}
	}
	terrD := RouteDecision{}
	if u, ok := t.AncestorAt(loc.Unit, level); ok {
		terrD = RouteDecision{Unit: u, Rule: RuleRouteTerritory}
		if office != "" {
			if ou := hierarchy.UnitID(string(u) + "/" + office); hasUnit(t, ou) {
				terrD.Unit = ou
			}
		}
	}
	first, second := terrD, ownerD
	if KindOf(c.Category) == Component {
		first, second = ownerD, terrD
	}
	if first.Unit != "" {
		if alt != nil {
			*alt = second
		}
		return first, nil
	}
	if second.Unit != "" {
		return second, nil
	}
	return RouteDecision{}, &gridgov.Error{Op: "escalation.Route", Kind: gridgov.ErrNotFound, Rule: "routing.no-route",
		Msg: fmt.Sprintf("no unit answers for category %s at %s", c.Category, loc.Unit)}
}

func hasUnit(t *hierarchy.Tree, id hierarchy.UnitID) bool {
	_, ok := t.Unit(id)
	return ok
}

// tableFields merges the matching rows of the routing table, each field from the most
// specific row that sets it.
func (p *Policy) tableFields(category string, unit hierarchy.UnitID, t *hierarchy.Tree) (owner hierarchy.UnitID, level hierarchy.Level, office string) {
	type best struct {
		catLen, depth int
		set           bool
	}
	var bo, bl, bf best
	better := func(b *best, catLen, depth int) bool {
		return !b.set || catLen > b.catLen || (catLen == b.catLen && depth > b.depth)
	}
	for i := range p.Routing.Table {
		row := &p.Routing.Table[i]
		if !hasPrefix(category, row.Category) {
			continue
		}
		depth := -1
		if row.Within != "" {
			if !t.Contains(row.Within, unit) {
				continue
			}
			depth, _ = t.Depth(row.Within)
		}
		cl := len(row.Category)
		if row.Owner != "" && better(&bo, cl, depth) {
			owner, bo = row.Owner, best{cl, depth, true}
		}
		if row.Level != "" && better(&bl, cl, depth) {
			level, bl = row.Level, best{cl, depth, true}
		}
		if row.Office != "" && better(&bf, cl, depth) {
			office, bf = row.Office, best{cl, depth, true}
		}
	}
	return owner, level, office
}
