package grid

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov/hierarchy"
)

// FindingKind names what a validation finding is about. Each kind is one rule of the
// grid layer; [Report] lists findings in the order the kinds are declared here.
type FindingKind string

// The kinds of finding [Index.Validate] reports.
const (
	// FindingCode: a grid code does not follow Policy.Code for its community.
	FindingCode FindingKind = "code"
	// FindingOverlap: two comprehensive grids overlap over more than AreaToleranceM2
	// (sharing an edge or a vertex is not an overlap).
	FindingOverlap FindingKind = "overlap"
	// FindingGap: a connected part of a community (its known boundary), of at least
	// Policy.Gaps.MinAreaM2, is covered by none of its grids.
	FindingGap FindingKind = "gap"
	// FindingOutsideCommunity: more than AreaToleranceM2 of a grid lies outside its
	// community's boundary.
	FindingOutsideCommunity FindingKind = "outside-community"
	// FindingHouseholds: a comprehensive grid's household count is outside
	// Policy.Households.
	FindingHouseholds FindingKind = "households"
	// FindingNoFullTimeWorker: a comprehensive grid has no post in Policy.FullTimeRoles.
	FindingNoFullTimeWorker FindingKind = "no-full-time-worker"
	// FindingWorkerLoad: a full-time worker serves more grids or households than
	// Policy.Load allows.
	FindingWorkerLoad FindingKind = "worker-load"
	// FindingNoOfficer: the beat overlay leaves a grid without a community police officer
	// (no beat covers it, or its beats are vacant). Checked only when the atlas has beats.
	FindingNoOfficer FindingKind = "no-officer"
)

var findingOrder = []FindingKind{FindingCode, FindingOverlap, FindingGap, FindingOutsideCommunity,
	FindingHouseholds, FindingNoFullTimeWorker, FindingWorkerLoad, FindingNoOfficer}

// Finding is one problem of the grid layer.
type Finding struct {
	Kind      FindingKind        `json:"kind"`
	Grids     []string           `json:"grids,omitempty"`     // the codes of the grids involved, sorted
	Community hierarchy.UnitID   `json:"community,omitempty"` // the community concerned
	Person    hierarchy.PersonID `json:"person,omitempty"`    // FindingWorkerLoad: the worker
	Beats     []string           `json:"beats,omitempty"`     // FindingNoOfficer: the vacant beats
	// AreaM2 is the area in square metres of the overlap (FindingOverlap), the gap
	// (FindingGap) or the part of the grid outside its community
	// (FindingOutsideCommunity).
	AreaM2 float64 `json:"area_m2,omitempty"`
	// At is a point inside the overlap or the gap, in the index's datum.
	At  orb.Point `json:"at,omitzero"`
	Msg string    `json:"msg"`
}

// Report is the outcome of [Index.Validate]: every finding, ordered by kind, then grid
// codes, community and person. It is a plain value, not safe for concurrent modification.
type Report struct {
	Findings []Finding `json:"findings"`
}

// OK reports whether there are no findings.
func (r Report) OK() bool { return len(r.Findings) == 0 }

// Of returns the findings of one kind.
func (r Report) Of(k FindingKind) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

// String lists the findings one per line.
func (r Report) String() string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s [%s]: %s\n", f.Kind, strings.Join(f.Grids, " "), f.Msg)
	}
	return b.String()
}

// Validate checks the grid layer against the index's policy and returns every finding
// (see [FindingKind] for the rules). Areas are in square metres on the local
// equirectangular projection described in this package's doc, computed exactly (up to
// floating-point rounding) by a trapezoidal sweep over the polygons' edges: overlaps,
// gaps and the parts of grids outside their community are reported with their area
// when it exceeds [AreaToleranceM2] (gaps also only from Policy.Gaps.MinAreaM2), so
// neighbours that only share a border are never reported. The cost grows with the
// number of vertices, not with the area.
//
// Validate is a pure function of the index. It returns ctx.Err() (and no report) as
// soon as it sees ctx cancelled.
func (ix *Index) Validate(ctx context.Context) (Report, error) {
	var fs []Finding
	p := ix.policy
	commCode := func(id hierarchy.UnitID) string {
		if ci, ok := ix.commByID[id]; ok {
			return ix.comms[ci].c.code()
		}
		return string(id)
	}
	for gi := range ix.grids {
		g := &ix.grids[gi].g
		if msg := ix.code.check(g.Code, commCode(g.Community)); msg != "" {
			fs = append(fs, Finding{Kind: FindingCode, Grids: []string{g.Code}, Community: g.Community, Msg: msg})
		}
	}

	// Gaps, grids outside their community and overlaps between its grids, one sweep per
	// community with a boundary.
	ov := &overlay{}
	members := make([][]int32, len(ix.comms))
	for gi := range ix.grids {
		r := &ix.grids[gi]
		if ci, ok := ix.commByID[r.g.Community]; ok && r.shape >= 0 && ix.comms[ci].shape >= 0 {
			members[ci] = append(members[ci], int32(gi))
		}
	}
	for ci := range ix.comms {
		if ix.comms[ci].shape < 0 {
			continue
		}
		cf, err := ix.community(ctx, int32(ci), members[ci], ov)
		if err != nil {
			return Report{}, err
		}
		fs = append(fs, cf...)
	}

	// Overlaps between comprehensive grids: the area of each intersecting pair. Pairs of
	// one community with a boundary were measured by its sweep above.
	swept := func(r *gridRec) bool {
		ci, ok := ix.commByID[r.g.Community]
		return ok && ix.comms[ci].shape >= 0
	}
	for gi := range ix.grids {
		if err := ctx.Err(); err != nil {
			return Report{}, err
		}
		a := &ix.grids[gi]
		if a.shape < 0 || a.g.Kind != Comprehensive {
			continue
		}
		var c rcursor
		ix.gridTree.cursor(&c, ix.geo.bound[a.shape])
		for it := ix.gridTree.next(&c); it >= 0; it = ix.gridTree.next(&c) {
			gj := ix.treeGrid[it]
			b := &ix.grids[gj]
			if gj <= int32(gi) || b.g.Kind != Comprehensive || (a.g.Community == b.g.Community && swept(a)) {
				continue
			}
			area, at, err := ix.geo.intersectionArea(ctx, a.shape, b.shape, ov)
			if err != nil {
				return Report{}, err
			}
			if area > AreaToleranceM2 {
				fs = append(fs, overlapFinding(a, b, area, at))
			}
		}
	}

	// Households, full-time workers, load.
	type load struct {
		grids      []string
		households int
	}
	loads := map[hierarchy.PersonID]*load{}
	for gi := range ix.grids {
		r := &ix.grids[gi]
		if r.g.Kind == Comprehensive && !p.Households.Contains(r.households) {
			band := fmt.Sprintf("%d–%d", p.Households.Min, p.Households.Max)
			if p.Households.Max == 0 {
				band = fmt.Sprintf("at least %d", p.Households.Min)
			}
			fs = append(fs, Finding{Kind: FindingHouseholds, Grids: []string{r.g.Code}, Community: r.g.Community,
				Msg: fmt.Sprintf("grid %s has %d households, policy band %s", r.g.Code, r.households, band)})
		}
		has := false
		seen := map[hierarchy.PersonID]bool{}
		for _, post := range r.g.Posts {
			if !p.fullTime(post.Role) {
				continue
			}
			has = true
			if seen[post.Person] {
				continue
			}
			seen[post.Person] = true
			l := loads[post.Person]
			if l == nil {
				l = &load{}
				loads[post.Person] = l
			}
			l.grids = append(l.grids, r.g.Code)
			l.households += r.households
		}
		if r.g.Kind == Comprehensive && !has {
			fs = append(fs, Finding{Kind: FindingNoFullTimeWorker, Grids: []string{r.g.Code}, Community: r.g.Community,
				Msg: fmt.Sprintf("comprehensive grid %s has no full-time grid worker", r.g.Code)})
		}
	}
	for person, l := range loads {
		var why []string
		if p.Load.MaxGrids > 0 && len(l.grids) > p.Load.MaxGrids {
			why = append(why, fmt.Sprintf("%d grids (max %d)", len(l.grids), p.Load.MaxGrids))
		}
		if p.Load.MaxHouseholds > 0 && l.households > p.Load.MaxHouseholds {
			why = append(why, fmt.Sprintf("%d households (max %d)", l.households, p.Load.MaxHouseholds))
		}
		if len(why) > 0 {
			slices.Sort(l.grids)
			fs = append(fs, Finding{Kind: FindingWorkerLoad, Grids: l.grids, Person: person,
				Msg: fmt.Sprintf("worker %s serves %s", person, strings.Join(why, " and "))})
		}
	}

	// Police beats.
	if len(ix.beats) > 0 {
		for gi := range ix.grids {
			r := &ix.grids[gi]
			if r.shape < 0 {
				continue
			}
			bs := ix.gridBeats[gi]
			if len(bs) == 0 {
				fs = append(fs, Finding{Kind: FindingNoOfficer, Grids: []string{r.g.Code}, Community: r.g.Community,
					Msg: fmt.Sprintf("grid %s lies in no police beat", r.g.Code)})
				continue
			}
			var vacant []string
			for _, bi := range bs {
				if ix.beats[bi].b.Officer == "" {
					vacant = append(vacant, ix.beats[bi].b.Code)
				} else {
					vacant = nil
					break
				}
			}
			if len(vacant) > 0 {
				fs = append(fs, Finding{Kind: FindingNoOfficer, Grids: []string{r.g.Code}, Community: r.g.Community, Beats: vacant,
					Msg: fmt.Sprintf("grid %s: its beats %s have no community police officer", r.g.Code, strings.Join(vacant, ", "))})
			}
		}
	}

	rank := map[FindingKind]int{}
	for i, k := range findingOrder {
		rank[k] = i
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(rank[a.Kind], rank[b.Kind]),
			slices.Compare(a.Grids, b.Grids),
			cmp.Compare(a.Community, b.Community),
			cmp.Compare(a.Person, b.Person),
			cmp.Compare(a.At[1], b.At[1]),
			cmp.Compare(a.At[0], b.At[0]),
		)
	})
	return Report{Findings: fs}, nil
}

// community sweeps community ci with its grids gs and reports its gaps (each connected
// piece of the community in none of its grids), the grids that extend outside it and
// the overlaps between its comprehensive grids.
func (ix *Index) community(ctx context.Context, ci int32, gs []int32, ov *overlay) ([]Finding, error) {
	cr := &ix.comms[ci]
	cb := ix.geo.bound[cr.shape]
	ov.reset(cb.Min, (cb.Min[1]+cb.Max[1])/2)
	ov.add(&ix.geo, cr.shape)
	for _, gi := range gs {
		ov.add(&ix.geo, ix.grids[gi].shape)
	}
	inside := make([]float64, ov.nShapes)
	outside := make([]float64, ov.nShapes)
	gaps := newRegion()
	type pairArea struct {
		area, best float64
		at         orb.Point
	}
	pairs := map[[2]int32]*pairArea{}
	var comp []int32
	err := ov.sweep(ctx, func(t *trap) {
		if len(ov.on) > 2 || (len(ov.on) == 2 && ov.cover[0] == 0) {
			comp = comp[:0]
			for _, s := range ov.on {
				if s != 0 && ix.grids[gs[s-1]].g.Kind == Comprehensive {
					comp = append(comp, s)
				}
			}
			for i := range comp {
				for j := i + 1; j < len(comp); j++ {
					k := [2]int32{min(comp[i], comp[j]), max(comp[i], comp[j])}
					pa := pairs[k]
					if pa == nil {
						pa = &pairArea{}
						pairs[k] = pa
					}
					pa.area += t.area
					if t.area > pa.best {
						pa.best, pa.at = t.area, ov.point(t.cx, t.cy)
					}
				}
			}
		}
		in := ov.cover[0] > 0
		if in && len(ov.on) == 1 {
			gaps.add(t, ov.point(t.cx, t.cy))
			return
		}
		gaps.skip()
		for _, s := range ov.on {
			if s == 0 {
				continue
			}
			if in {
				inside[s] += t.area
			} else {
				outside[s] += t.area
			}
		}
	}, gaps.endSlab)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for k, pa := range pairs {
		a, b := &ix.grids[gs[k[0]-1]], &ix.grids[gs[k[1]-1]]
		// Rescale to the projection at the pair's latitude, as for pairs measured alone
		// (intersectionArea): the projection scales longitude only.
		ba, bb := ix.geo.bound[a.shape], ix.geo.bound[b.shape]
		kx, _ := localScale((max(ba.Min[1], bb.Min[1]) + min(ba.Max[1], bb.Max[1])) / 2)
		if area := pa.area * kx / ov.kx; area > AreaToleranceM2 {
			out = append(out, overlapFinding(a, b, area, pa.at))
		}
	}
	for _, pc := range gaps.pieces() {
		if pc.areaM2 <= AreaToleranceM2 || pc.areaM2 < ix.policy.Gaps.MinAreaM2 {
			continue
		}
		out = append(out, Finding{Kind: FindingGap, Community: cr.c.ID, AreaM2: pc.areaM2, At: pc.at,
			Msg: fmt.Sprintf("community %s: %s near (%.6f, %.6f) is in none of its grids", cr.c.ID, areaText(pc.areaM2), pc.at[0], pc.at[1])})
	}
	for k, gi := range gs {
		s := int32(k + 1)
		if outside[s] <= AreaToleranceM2 {
			continue
		}
		g := &ix.grids[gi].g
		msg := fmt.Sprintf("grid %s extends %s outside community %s", g.Code, areaText(outside[s]), g.Community)
		if inside[s] <= AreaToleranceM2 {
			msg = fmt.Sprintf("grid %s lies entirely outside community %s", g.Code, g.Community)
		}
		out = append(out, Finding{Kind: FindingOutsideCommunity, Grids: []string{g.Code}, Community: g.Community, AreaM2: outside[s], Msg: msg})
	}
	return out, nil
}

func overlapFinding(a, b *gridRec, area float64, at orb.Point) Finding {
	codes := []string{a.g.Code, b.g.Code}
	slices.Sort(codes)
	return Finding{Kind: FindingOverlap, Grids: codes, Community: a.g.Community, AreaM2: area, At: at,
		Msg: fmt.Sprintf("comprehensive grids %s and %s overlap by %s near (%.6f, %.6f)", codes[0], codes[1], areaText(area), at[0], at[1])}
}

// areaText writes an area for a message: m² with a precision that suits its size.
func areaText(a float64) string {
	switch {
	case a >= 1e6:
		return fmt.Sprintf("%.3f km²", a/1e6)
	case a >= 10:
		return fmt.Sprintf("%.0f m²", a)
	}
	return fmt.Sprintf("%.2f m²", a)
}
