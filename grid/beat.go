package grid

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/hierarchy"
)

// LocateBeat says which police beat (警格) holds p, given in datum d, and so which
// community police officer (社区民警) answers for it. Boundaries follow the same tie-break
// as [Index.Locate]; overlapping beats are decided by the smaller code. There is no
// nearest-beat fallback: a point outside every beat returns ok == false. The Beat's
// Boundary is nil; use [Index.Beat] for the geometry. LocateBeat does not allocate.
func (ix *Index) LocateBeat(p orb.Point, d Datum) (b Beat, ok bool) {
	p = Convert(p, d, ix.datum)
	if !finite(p) {
		return Beat{}, false
	}
	best := int32(-1)
	var c rcursor
	ix.beatTree.cursor(&c, orb.Bound{Min: p, Max: p})
	for it := ix.beatTree.next(&c); it >= 0; it = ix.beatTree.next(&c) {
		if best >= 0 && ix.beats[it].b.Code > ix.beats[best].b.Code {
			continue
		}
		if ix.geo.contains(ix.beats[it].shape, p) {
			best = it
		}
	}
	if best < 0 {
		return Beat{}, false
	}
	return ix.beats[best].b, true
}

// Officer returns the community police officer answering for p: the officer of the beat
// holding it. ok is false outside every beat or when the beat is vacant.
func (ix *Index) Officer(p orb.Point, d Datum) (hierarchy.PersonID, bool) {
	b, ok := ix.LocateBeat(p, d)
	if !ok || b.Officer == "" {
		return "", false
	}
	return b.Officer, true
}

// Beat returns the beat with the given code, its boundary in the index's datum.
func (ix *Index) Beat(code string) (Beat, bool) {
	bi, ok := ix.beatByCode[code]
	if !ok {
		return Beat{}, false
	}
	b := ix.beats[bi].b
	b.Boundary = ix.geo.geometry(ix.beats[bi].shape)
	return b, true
}

// BeatsOf returns the codes of the beats overlaying grid code ("网格+警格"), sorted: the
// beats whose interior meets the grid's interior. A grid merely touching a beat along an
// edge or at a vertex is not in it. A grid without a boundary has none.
func (ix *Index) BeatsOf(code string) []string {
	gi, ok := ix.byCode[code]
	if !ok {
		return nil
	}
	out := make([]string, 0, len(ix.gridBeats[gi]))
	for _, bi := range ix.gridBeats[gi] {
		out = append(out, ix.beats[bi].b.Code)
	}
	return out
}

// GridsOf returns the codes of the grids beat code overlays, sorted.
func (ix *Index) GridsOf(beat string) []string {
	bi, ok := ix.beatByCode[beat]
	if !ok {
		return nil
	}
	out := make([]string, 0, len(ix.beatGrids[bi]))
	for _, gi := range ix.beatGrids[bi] {
		out = append(out, ix.grids[gi].g.Code)
	}
	return out
}

// OfficersOf returns the community police officers of the beats overlaying grid code,
// sorted and without duplicates; vacant beats contribute none.
func (ix *Index) OfficersOf(code string) []hierarchy.PersonID {
	var out []hierarchy.PersonID
	for _, bc := range ix.BeatsOf(code) {
		if o := ix.beats[ix.beatByCode[bc]].b.Officer; o != "" {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// overlay computes the grid–beat overlay once, at build time.
func (ix *Index) overlay() {
	ix.gridBeats = make([][]int32, len(ix.grids))
	ix.beatGrids = make([][]int32, len(ix.beats))
	if len(ix.beats) == 0 {
		return
	}
	var buf sweepBuf
	for gi := range ix.grids {
		gs := ix.grids[gi].shape
		if gs < 0 {
			continue
		}
		var c rcursor
		ix.beatTree.cursor(&c, ix.geo.bound[gs])
		for bi := ix.beatTree.next(&c); bi >= 0; bi = ix.beatTree.next(&c) {
			if ix.geo.relate(gs, ix.beats[bi].shape, &buf).interiorsMeet() {
				ix.gridBeats[gi] = append(ix.gridBeats[gi], bi)
				ix.beatGrids[bi] = append(ix.beatGrids[bi], int32(gi))
			}
		}
	}
	for gi := range ix.gridBeats {
		slices.SortFunc(ix.gridBeats[gi], func(a, b int32) int { return cmp.Compare(ix.beats[a].b.Code, ix.beats[b].b.Code) })
	}
	for bi := range ix.beatGrids {
		slices.SortFunc(ix.beatGrids[bi], func(a, b int32) int { return cmp.Compare(ix.grids[a].g.Code, ix.grids[b].g.Code) })
	}
}
