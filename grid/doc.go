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
// # Validation
//
// [Index.Validate] decides overlaps, grids outside their community and the beat overlay
// exactly, from how boundaries meet (a shared edge is not an overlap), without clipping
// polygons; gaps are found by probing each community's area on a lattice of
// Policy.Gaps.SampleM metres, so their areas are estimates.
package grid
