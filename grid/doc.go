// Package grid models grid management (网格化管理): the district is tiled into grids
// (网格), each belonging to exactly one community (社区), served by a grid head (网格长),
// full-time grid workers (专职网格员) and part-time or specialist workers, and overlaid by
// the police beats (警格) of community police officers ("网格+警格"). Comprehensive grids
// (综合网格) tile a community; exclusive grids (专属网格) sit over a school, a hospital, a
// mall, a park or an enterprise and win over the comprehensive grid beneath them.
//
// An [Atlas] holds the plain data — grids, beats, community boundaries, buildings and
// households — in one coordinate datum. [NewIndex] compiles it into an immutable [Index]
// that answers, safely from any number of goroutines:
//
//   - point → grid ([Index.Locate]), with one documented tie-break for points on shared
//     boundaries and a nearest-grid fallback within a policy distance;
//   - address → grid ([Index.Address]) after normalisation ([AddressRules.Normalize]);
//     building → grid and household → grid; grid → community → street through a
//     hierarchy.Tree ([Index.Street]);
//   - point → police beat → community police officer ([Index.LocateBeat]) and the overlay
//     of beats on grids ([Index.BeatsOf]);
//   - validation of the grid layer against the district's [Policy] ([Index.Validate]) and
//     reassignment proposals when a worker leaves ([Index.Reassign]).
//
// # Boundaries
//
// Geometry libraries disagree about points on a boundary: orb's planar.PolygonContains
// counts them inside every polygon that has the edge, so two neighbouring grids would both
// claim a point on their shared edge. This package decides with symbolic perturbation: a
// point belongs to the polygon containing the point moved an infinitesimal distance west,
// then an even smaller distance south. A point on a north–south edge goes to the grid to
// its west, a point on an east–west edge to the grid to its south, and a vertex shared by
// several grids to exactly one of them. The crossing-number test implementing it uses
// exact orientation predicates (floating-point expansions, no allocation), so neighbours
// agree however each stores or subdivides the shared edge. When grids tile an area, every
// point of it belongs to exactly one grid.
//
// # Coordinates
//
// Points and polygons arrive in WGS-84 (GPS), GCJ-02 (Amap, Tencent; most Chinese GIS) or
// BD-09 (Baidu): see [Datum] and [Convert]. An index works in one datum (IndexOptions.Datum);
// the atlas is converted once at build time and each looked-up point on the way in.
// Distances and areas are metres on a local equirectangular projection (mean Earth
// radius), accurate to well under a metre across a district.
//
// # Spatial index
//
// Point lookups go through a cell index: a uniform grid of cells over the layer, in which
// every edge of every ring — outer rings, holes, each part of a multipolygon — is listed
// under the cells it meets, as runs of consecutive edges read in place. A cell no edge of
// a grid meets is wholly inside or wholly outside that grid, which is settled at build
// time; for the grids whose edges do cross a cell, a precomputed parity bit turns the
// crossing test into a count over those few edges only, with the same exact predicates
// and tie-break as the plain test (see cells in buckets.go). So a lookup reads one cell
// head in a grid's interior and a handful of edges near boundaries, whatever the size of
// the polygons. A point in no grid is checked against the nearest boundaries by a search
// over the cells within Policy.NearestWithinM, and only the point's own cell when that
// distance is 0. For box queries (overlay, validation), and as the fallback for layers
// the cells do not suit, a static packed R-tree (Hilbert-sorted, fan-out 16) serves.
// Lookups do not allocate. Vertices are copied into flat arrays at build time, so later
// changes to the caller's geometry do not reach the index.
//
// # Boundaries that are refused
//
// [NewIndex] and the GeoJSON readers check every boundary before using it and refuse an
// invalid one with a *gridgov.Error wrapping gridgov.ErrInvalid whose Rule names the
// rule and whose message names the record (`grids[3] (code "…")`, `feature 3 (id "…")`),
// the polygon, ring and position. The rules: a Polygon or MultiPolygon; RFC 7946 rings —
// closed (first position equal to the last) and of at least four positions, three of
// them distinct; finite coordinates within longitude −180..180 and latitude −90..90
// (every supported datum is geographic; projected coordinates in metres are refused, not
// misread as degrees); no two edges crossing, within a ring (self-intersection, 自相交)
// or between rings of a polygon; holes inside their outer ring and not inside one
// another. Crossings are found by a sweep over the edges sorted by longitude with exact
// orientation predicates, so a ring of thousands of edges costs little more than
// sorting them. A ring that
// touches itself at a vertex or doubles back along a zero-width spike is accepted (it
// changes neither the interior nor the area, and quantised data such as Nanjing's
// district outlines is full of them) unless [GeometryOptions] Strict asks for OGC simple
// rings. Nothing is repaired unless asked: CloseRings closes an open ring.
//
// # Validation
//
// [Index.Validate] computes overlaps (重叠) between comprehensive grids, gaps (缝隙) in
// each community (each connected gap one finding) and the parts of grids outside their
// community exactly, by a trapezoidal sweep over the edges (clip.go): the plane is cut
// into slabs at every vertex and crossing, and each trapezoid between consecutive edges
// is covered by the shapes whose edges below it are odd in number. Every finding carries
// its area in square metres and a point inside it. Two neighbours storing their shared
// border alike produce trapezoids of height exactly zero, so a shared border is never an
// overlap; areas below [AreaToleranceM2] (1 dm², far above the rounding of a T-junction
// and far below any real overlap) are not reported, nor gaps below
// Policy.Gaps.MinAreaM2. The cost grows with the number of vertices, not with the area
// of a community. Validate takes a context and returns ctx.Err() when cancelled.
package grid
