package grid

import (
	"cmp"
	"fmt"
	"math"
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
	// FindingOverlap: the interiors of two comprehensive grids overlap (touching along an
	// edge or at a vertex is not an overlap).
	FindingOverlap FindingKind = "overlap"
	// FindingGap: part of a community's known boundary is covered by none of its grids.
	FindingGap FindingKind = "gap"
	// FindingOutsideCommunity: part of a grid lies outside its community's boundary.
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
	AreaM2    float64            `json:"area_m2,omitempty"`   // FindingGap: estimated area
	At        orb.Point          `json:"at,omitzero"`         // FindingGap: a point of the gap, index datum
	Msg       string             `json:"msg"`
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
// equirectangular projection described in this package's doc. Validate is a pure
// function of the index.
func (ix *Index) Validate() Report {
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

	// Overlaps between comprehensive grids.
	var buf sweepBuf
	for gi := range ix.grids {
		a := &ix.grids[gi]
		if a.shape < 0 || a.g.Kind != Comprehensive {
			continue
		}
		var c rcursor
		ix.gridTree.cursor(&c, ix.geo.bound[a.shape])
		for it := ix.gridTree.next(&c); it >= 0; it = ix.gridTree.next(&c) {
			gj := ix.treeGrid[it]
			b := &ix.grids[gj]
			if gj <= int32(gi) || b.g.Kind != Comprehensive {
				continue
			}
			if ix.geo.relate(a.shape, b.shape, &buf).interiorsMeet() {
				codes := []string{a.g.Code, b.g.Code}
				slices.Sort(codes)
				fs = append(fs, Finding{Kind: FindingOverlap, Grids: codes, Community: a.g.Community,
					Msg: fmt.Sprintf("comprehensive grids %s and %s overlap", codes[0], codes[1])})
			}
		}
	}

	// Gaps and grids outside their community.
	for ci := range ix.comms {
		cr := &ix.comms[ci]
		if cr.shape < 0 {
			continue
		}
		fs = append(fs, ix.gaps(cr)...)
	}
	for gi := range ix.grids {
		r := &ix.grids[gi]
		ci, ok := ix.commByID[r.g.Community]
		if !ok || r.shape < 0 || ix.comms[ci].shape < 0 {
			continue
		}
		rel := ix.geo.relate(r.shape, ix.comms[ci].shape, &buf)
		if rel.aExceeds() {
			msg := fmt.Sprintf("grid %s extends outside community %s", r.g.Code, r.g.Community)
			if !rel.interiorsMeet() {
				msg = fmt.Sprintf("grid %s lies entirely outside community %s", r.g.Code, r.g.Community)
			}
			fs = append(fs, Finding{Kind: FindingOutsideCommunity, Grids: []string{r.g.Code}, Community: r.g.Community, Msg: msg})
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
	return Report{Findings: fs}
}

// gaps probes community cr on a lattice of Policy.Gaps.SampleM metres and reports each
// 4-connected cluster of lattice points inside the community but in none of its grids.
func (ix *Index) gaps(cr *commRec) []Finding {
	b := ix.geo.bound[cr.shape]
	lat := (b.Min[1] + b.Max[1]) / 2
	kx, ky := localScale(lat)
	step := ix.policy.Gaps.SampleM
	dx, dy := step/kx, step/ky
	nx := int(math.Ceil((b.Max[0]-b.Min[0])/dx)) + 1
	ny := int(math.Ceil((b.Max[1]-b.Min[1])/dy)) + 1
	if nx*ny > 50_000_000 {
		// A misconfigured spacing must not exhaust memory; report what cannot be checked.
		return []Finding{{Kind: FindingGap, Community: cr.c.ID,
			Msg: fmt.Sprintf("community %s: gap lattice of %d×%d points is too fine; raise gaps.sample_m", cr.c.ID, nx, ny)}}
	}
	gap := make([]bool, nx*ny)
	found := false
	for j := range ny {
		y := b.Min[1] + (float64(j)+0.5)*dy
		for i := range nx {
			p := orb.Point{b.Min[0] + (float64(i)+0.5)*dx, y}
			if !ix.geo.contains(cr.shape, p) || ix.coveredBy(p, cr.c.ID) {
				continue
			}
			gap[j*nx+i] = true
			found = true
		}
	}
	if !found {
		return nil
	}
	var out []Finding
	stack := []int{}
	for start := range gap {
		if !gap[start] {
			continue
		}
		n := 0
		gap[start] = false
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			i, j := k%nx, k/nx
			for _, nb := range [4][2]int{{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}} {
				if nb[0] >= 0 && nb[0] < nx && nb[1] >= 0 && nb[1] < ny && gap[nb[1]*nx+nb[0]] {
					gap[nb[1]*nx+nb[0]] = false
					stack = append(stack, nb[1]*nx+nb[0])
				}
			}
		}
		area := float64(n) * step * step
		if area < ix.policy.Gaps.MinAreaM2 {
			continue
		}
		at := orb.Point{b.Min[0] + (float64(start%nx)+0.5)*dx, b.Min[1] + (float64(start/nx)+0.5)*dy}
		out = append(out, Finding{Kind: FindingGap, Community: cr.c.ID, AreaM2: area, At: at,
			Msg: fmt.Sprintf("community %s: about %.0f m² near (%.6f, %.6f) is in none of its grids", cr.c.ID, area, at[0], at[1])})
	}
	return out
}

// coveredBy reports whether some grid of community id contains p.
func (ix *Index) coveredBy(p orb.Point, id hierarchy.UnitID) bool {
	var c rcursor
	ix.gridTree.cursor(&c, orb.Bound{Min: p, Max: p})
	for it := ix.gridTree.next(&c); it >= 0; it = ix.gridTree.next(&c) {
		r := &ix.grids[ix.treeGrid[it]]
		if r.g.Community == id && ix.geo.contains(r.shape, p) {
			return true
		}
	}
	return false
}
