package gridbeat

import (
	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
)

// Resolver returns the beat resolver of ix: the officer and beat unit of a location's
// point, or of its grid when it has no point (see the package documentation). The
// resolver is safe for concurrent use, as ix is; a nil ix finds nothing.
func Resolver(ix *grid.Index) escalation.BeatFunc {
	return func(loc escalation.Location) (hierarchy.PersonID, hierarchy.UnitID, bool) {
		if ix == nil {
			return "", "", false
		}
		if loc.Point != (escalation.Point{}) {
			return byPoint(ix, loc)
		}
		return byGrid(ix, string(loc.Unit))
	}
}

func byPoint(ix *grid.Index, loc escalation.Location) (hierarchy.PersonID, hierarchy.UnitID, bool) {
	var d grid.Datum
	if err := d.UnmarshalText([]byte(loc.Datum)); err != nil {
		// An unknown datum would locate the point hundreds of metres off: refuse.
		return "", "", false
	}
	b, ok := ix.LocateBeat(orb.Point{loc.Point.Lon, loc.Point.Lat}, d)
	if !ok || b.Officer == "" {
		return "", "", false
	}
	return b.Officer, hierarchy.UnitID(b.Code), true
}

func byGrid(ix *grid.Index, code string) (hierarchy.PersonID, hierarchy.UnitID, bool) {
	if code == "" {
		return "", "", false
	}
	var (
		officer hierarchy.PersonID
		beat    string
	)
	for _, bc := range ix.BeatsOf(code) {
		b, ok := ix.Beat(bc)
		if !ok || b.Officer == "" {
			continue
		}
		if beat != "" {
			return "", "", false // split between staffed beats: no single officer
		}
		officer, beat = b.Officer, bc
	}
	if beat == "" {
		return "", "", false
	}
	return officer, hierarchy.UnitID(beat), true
}
