package grid

import (
	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/hierarchy"
)

// Kind says whether a grid is a comprehensive grid (综合网格), the territorial layer that
// tiles a community, or an exclusive grid (专属网格) laid over one institution — a school,
// a hospital, a mall, a park, an enterprise — whose own staff handle what happens inside.
// An exclusive grid wins over the comprehensive grid beneath it.
type Kind string

// The two kinds of grid.
const (
	Comprehensive Kind = "comprehensive" // 综合网格
	Exclusive     Kind = "exclusive"     // 专属网格
)

// Subkind says what an exclusive grid covers. The set is open: districts add their own
// (a transport hub, a market); these are the common ones.
type Subkind string

// Common subkinds of exclusive grids.
const (
	School     Subkind = "school"     // 学校
	Hospital   Subkind = "hospital"   // 医院
	Mall       Subkind = "mall"       // 商场
	Park       Subkind = "park"       // 公园、景区
	Enterprise Subkind = "enterprise" // 企业、园区
	Government Subkind = "government" // 机关
)

// Grid is one grid (网格): the smallest territorial unit of grassroots governance. It
// belongs to exactly one community, has a code in the district's code format (see
// [CodeRule]), a kind, a boundary and/or a list of buildings, a household count and its
// posts.
//
// Grid is a plain value, not safe for concurrent modification; an [Index] copies what it
// needs, so changing a Grid after building an index does not change the index.
type Grid struct {
	// Code identifies the grid within the index, e.g. "320104001001001" (the community's
	// 12-digit code + a 3-digit sequence by default).
	Code string `json:"code"`
	// Name is the grid's display name, e.g. "钓鱼台社区第1网格".
	Name string `json:"name,omitempty"`
	// Community is the community (社区) the grid belongs to.
	Community hierarchy.UnitID `json:"community"`
	// Kind is Comprehensive or Exclusive.
	Kind Kind `json:"kind"`
	// Subkind says what an exclusive grid covers; empty for comprehensive grids.
	Subkind Subkind `json:"subkind,omitempty"`
	// Boundary is an orb.Polygon or orb.MultiPolygon (holes allowed), in the datum of the
	// [Atlas] holding the grid; nil for a grid defined only by its buildings.
	Boundary orb.Geometry `json:"-"`
	// Buildings lists the IDs of the buildings (楼栋) registered to the grid.
	Buildings []string `json:"buildings,omitempty"`
	// Households is the declared number of households (户); zero means "derive it from the
	// buildings' household counts".
	Households int `json:"households,omitempty"`
	// Posts are the people serving the grid.
	Posts []Post `json:"posts,omitempty"`
}

// Post is one person's post on a grid: the grid head (网格长, [hierarchy.RoleGridHead]),
// a full-time grid worker (专职网格员, [hierarchy.RoleGridWorker]), a part-time worker
// (兼职网格员) or a specialist (police, property manager, …). Which roles count as
// full-time is policy ([Policy.FullTimeRoles]).
type Post struct {
	Person hierarchy.PersonID `json:"person"`
	Role   hierarchy.Role     `json:"role"`
}

// Beat is a police beat (警格), the community police officer's (社区民警) area. Beats are a
// second layer of polygons over the grids ("网格+警格"): the overlay gives each grid its
// beat(s), and through them its officer.
type Beat struct {
	Code     string             `json:"code"`
	Name     string             `json:"name,omitempty"`
	Station  hierarchy.UnitID   `json:"station,omitempty"` // the police station (派出所)
	Officer  hierarchy.PersonID `json:"officer,omitempty"` // the community police officer; empty = vacant
	Boundary orb.Geometry       `json:"-"`                 // orb.Polygon or orb.MultiPolygon
}

// Community is a community's boundary, when known; it lets validation find gaps and grids
// outside their community. Code is the community's statistical code; empty means the ID
// is the code.
type Community struct {
	ID       hierarchy.UnitID `json:"id"`
	Code     string           `json:"code,omitempty"`
	Name     string           `json:"name,omitempty"`
	Boundary orb.Geometry     `json:"-"`
}

// code returns the community's statistical code.
func (c Community) code() string {
	if c.Code != "" {
		return c.Code
	}
	return string(c.ID)
}

// Building is a building (楼栋) with its address as registered, e.g. "龙蟠中路218号3栋".
// Buildings belong to the grid that lists them in [Grid.Buildings]; a building no grid
// lists but with a Location is placed in the grid containing that point.
type Building struct {
	ID      string `json:"id"`
	Address string `json:"address"`
	// Location is a point of the building in the atlas's datum; the zero point means
	// unknown.
	Location   orb.Point `json:"location,omitzero"`
	Households int       `json:"households,omitempty"`
}

// Household is a household (户) registered at a building.
type Household struct {
	ID       string `json:"id"`
	Building string `json:"building"`
	Room     string `json:"room,omitempty"`
}

// Atlas is the plain data an [Index] is built from: grids, police beats, community
// boundaries, buildings and households, all in one datum. Geometry travels as GeoJSON
// ([GridsFromGeoJSON], [BeatsFromGeoJSON], [CommunitiesFromGeoJSON]); the JSON tags of
// Grid, Beat and Community are the feature properties. An Atlas is not safe for
// concurrent modification.
type Atlas struct {
	Datum       Datum // of every geometry in the atlas; zero = WGS-84
	Communities []Community
	Grids       []Grid
	Beats       []Beat
	Buildings   []Building
	Households  []Household
}
