package grid

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/hierarchy"
)

// Reassignment is the answer of [Index.Reassign]: what a worker's departure leaves
// uncovered and who could take it over. It is a plain value.
type Reassignment struct {
	Leaving hierarchy.PersonID `json:"leaving"`
	// Uncovered are the grids where the leaving person was the only full-time worker,
	// sorted by code.
	Uncovered []string `json:"uncovered"`
	// Proposals give a cover for each uncovered grid that has one, in Uncovered's order.
	Proposals []Cover `json:"proposals"`
	// Unresolved are the uncovered grids no worker of the same community can take within
	// Policy.Load.
	Unresolved []string `json:"unresolved"`
}

// Cover proposes Person as full-time worker of Grid; DistanceM is the distance between
// Grid and the nearest grid Person already serves (centroid to centroid), or -1 when
// either has no geometry.
type Cover struct {
	Grid      string             `json:"grid"`
	Person    hierarchy.PersonID `json:"person"`
	DistanceM float64            `json:"distance_m"`
}

// Reassign says which grids lose their last full-time worker when person leaves, and
// proposes a cover for each by the nearest full-time worker of the same community whose
// load would stay within Policy.Load. It is deterministic:
//
//   - uncovered grids are handled in code order, each taking the load the previous
//     proposals added;
//   - a candidate's distance is from the uncovered grid's centroid to the nearest centroid
//     of the grids the candidate serves now (a grid without a boundary uses the mean of
//     its buildings' locations; with neither, the distance is unknown and ranks last);
//   - ties go to the candidate serving fewer grids, then to the smaller person ID.
//
// Reassign does not change the index; apply the proposals by building a new atlas.
func (ix *Index) Reassign(person hierarchy.PersonID) Reassignment {
	p := ix.policy
	out := Reassignment{Leaving: person, Uncovered: []string{}, Proposals: []Cover{}, Unresolved: []string{}}
	type worker struct {
		grids      []int32
		households int
	}
	workers := map[hierarchy.PersonID]*worker{}
	var uncovered []int32
	for gi := range ix.grids {
		r := &ix.grids[gi]
		leaving, others := false, false
		for _, post := range r.g.Posts {
			if !p.fullTime(post.Role) {
				continue
			}
			if post.Person == person {
				leaving = true
				continue
			}
			others = true
			w := workers[post.Person]
			if w == nil {
				w = &worker{}
				workers[post.Person] = w
			}
			if !slices.Contains(w.grids, int32(gi)) {
				w.grids = append(w.grids, int32(gi))
				w.households += r.households
			}
		}
		if leaving && !others {
			uncovered = append(uncovered, int32(gi))
		}
	}
	slices.SortFunc(uncovered, func(a, b int32) int { return cmp.Compare(ix.grids[a].g.Code, ix.grids[b].g.Code) })
	centres := map[int32]orb.Point{}
	centre := func(gi int32) (orb.Point, bool) {
		if c, ok := centres[gi]; ok {
			return c, true
		}
		c, ok := ix.centre(gi)
		if ok {
			centres[gi] = c
		}
		return c, ok
	}
	persons := make([]hierarchy.PersonID, 0, len(workers))
	for id := range workers {
		persons = append(persons, id)
	}
	slices.Sort(persons)
	for _, gi := range uncovered {
		g := &ix.grids[gi]
		out.Uncovered = append(out.Uncovered, g.g.Code)
		here, hereOK := centre(gi)
		best, bestD, bestN := hierarchy.PersonID(""), math.Inf(1), 0
		found := false
		for _, id := range persons {
			w := workers[id]
			same := false
			for _, wg := range w.grids {
				if ix.grids[wg].g.Community == g.g.Community {
					same = true
					break
				}
			}
			if !same {
				continue
			}
			if p.Load.MaxGrids > 0 && len(w.grids)+1 > p.Load.MaxGrids {
				continue
			}
			if p.Load.MaxHouseholds > 0 && w.households+g.households > p.Load.MaxHouseholds {
				continue
			}
			d := math.Inf(1)
			if hereOK {
				for _, wg := range w.grids {
					if c, ok := centre(wg); ok {
						d = math.Min(d, distanceM(here, c))
					}
				}
			}
			n := len(w.grids)
			if !found || d < bestD || (d == bestD && n < bestN) {
				best, bestD, bestN, found = id, d, n, true
			}
		}
		if !found {
			out.Unresolved = append(out.Unresolved, g.g.Code)
			continue
		}
		w := workers[best]
		w.grids = append(w.grids, gi)
		w.households += g.households
		if math.IsInf(bestD, 1) {
			bestD = -1
		}
		out.Proposals = append(out.Proposals, Cover{Grid: g.g.Code, Person: best, DistanceM: bestD})
	}
	return out
}

// centre is grid gi's centroid, or the mean location of its located buildings.
func (ix *Index) centre(gi int32) (orb.Point, bool) {
	r := &ix.grids[gi]
	if r.shape >= 0 {
		return ix.geo.centroid(r.shape), true
	}
	var sx, sy float64
	n := 0
	for _, bid := range r.g.Buildings {
		b := ix.buildings[ix.buildingByID[bid]]
		if b.Location != (orb.Point{}) {
			sx += b.Location[0]
			sy += b.Location[1]
			n++
		}
	}
	if n == 0 {
		return orb.Point{}, false
	}
	return orb.Point{sx / float64(n), sy / float64(n)}, true
}
