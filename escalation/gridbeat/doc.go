// Package gridbeat connects the grid index to event routing: it answers, for a case's
// location, which community police officer (社区民警) of which police beat (警格) a police
// matter found on patrol goes to ("网格+警格", the grid and the beat overlaid).
//
// Grid workers patrol grids (网格); community police officers answer for beats, drawn by
// the public-security side and overlaying the grids. When a grid worker reports a police
// matter, the escalation package routes it at once to the officer of the beat holding
// the point, through an [escalation.BeatResolver]. [Resolver] builds that resolver from a
// [grid.Index]:
//
//   - a location with a point is decided by the point alone: the beat holding it
//     ([grid.Index.LocateBeat], after converting from the location's datum, empty
//     meaning WGS-84); a point outside every beat, in a vacant beat, or in a datum the
//     grid package does not know is not found, and the routing table decides instead;
//   - a location without a point is decided by its grid: the unit is read as a grid
//     code, and the case goes to the beat overlaying that grid ([grid.Index.BeatsOf])
//     when exactly one staffed beat does. A grid split between several staffed beats is
//     not found: which officer answers depends on where in the grid the matter is, and
//     guessing would send it to the wrong one.
//
// The beat's unit is its code read as a unit ID of the organisation tree, as in
// Qinhuai's data, where beats are units under their police station.
package gridbeat
