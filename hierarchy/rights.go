package hierarchy

import (
	"slices"
	"time"
)

// cgrant is a grant compiled against the tree: units as preorder numbers, levels and
// kinds as small integers, so that checking one costs a few comparisons.
type cgrant struct {
	holder       int32 // preorder number, -1 when held by a person
	person       PersonID
	holderSelf   bool
	holderLevel  uint16 // 0 = any
	holderKind   uint16
	roles        []Role
	subject      int32 // preorder number, -1 when none or a person
	subjectP     PersonID
	subjectSelf  bool
	subjectLevel uint16
	subjectKind  uint16
	relation     Relation
	start, end   time.Time
}

func (t *Tree) compile(g Grant, c *checker) cgrant {
	cg := cgrant{
		holder: -1, subject: -1,
		holderSelf:   g.HolderScope == ScopeSelf,
		holderLevel:  c.levelIdx[g.HolderLevel],
		holderKind:   c.kindIdx[g.HolderKind],
		roles:        g.HolderRoles,
		subjectSelf:  g.SubjectScope == ScopeSelf,
		subjectLevel: c.levelIdx[g.SubjectLevel],
		subjectKind:  c.kindIdx[g.SubjectKind],
		relation:     g.Relation,
		start:        g.Start, end: g.End,
	}
	if g.Holder.Kind == RefUnit {
		cg.holder = t.byID[UnitID(g.Holder.ID)]
	} else {
		cg.person = PersonID(g.Holder.ID)
	}
	switch g.Subject.Kind {
	case RefUnit:
		cg.subject = t.byID[UnitID(g.Subject.ID)]
	case RefPerson:
		cg.subjectP = PersonID(g.Subject.ID)
	}
	return cg
}

// holds reports whether unit x is covered by the grant's holder side.
func (t *Tree) holds(g *cgrant, x unitLK) bool {
	if g.holder < 0 {
		return false
	}
	if g.holderSelf {
		if x.x != g.holder {
			return false
		}
	} else if !t.contains(g.holder, x.x) {
		return false
	}
	return (g.holderLevel == 0 || x.level == g.holderLevel) && (g.holderKind == 0 || x.kind == g.holderKind)
}

// unitLK is a unit (its preorder number x, -1 for none) with what a grant check reads of
// its node: a unit resolved through the code index comes with them, and on a national
// register reading the node would be a cache miss of its own.
type unitLK struct {
	x, end      int32
	level, kind uint16
}

// noUnit is the holder side of a grant held by a person directly.
var noUnit = unitLK{x: -1}

// lkOf returns unit x with its node's data.
func (t *Tree) lkOf(x int32) unitLK {
	nd := &t.nodes[x]
	return unitLK{x: x, end: nd.end, level: nd.level, kind: nd.kind}
}

// subjectUnit reports whether unit y is a fixed subject of the grant.
func (t *Tree) subjectUnit(g *cgrant, y unitLK) bool {
	if g.subject < 0 {
		return false
	}
	if g.subjectSelf {
		if y.x != g.subject {
			return false
		}
	} else if !t.contains(g.subject, y.x) {
		return false
	}
	return filter(g, y)
}

// filter applies the grant's subject level and kind to unit y.
func filter(g *cgrant, y unitLK) bool {
	return (g.subjectLevel == 0 || y.level == g.subjectLevel) && (g.subjectKind == 0 || y.kind == g.subjectKind)
}

// reaches reports whether the grant, held at unit h, reaches unit y by its subject or
// relation.
func (t *Tree) reaches(g *cgrant, h, y unitLK, at time.Time) bool {
	switch g.relation {
	case "":
		return t.subjectUnit(g, y)
	case RelationWithin:
		return h.x >= 0 && h.x <= y.x && y.x < h.end && filter(g, y)
	case RelationSeconded:
		return t.secondedWithin(UnitRef(t.units[y.x].ID), h.x, at) && filter(g, y)
	case RelationPaired:
		return t.pairedWith(h.x, y.x, at) && filter(g, y)
	}
	return false
}

// subj is a resolved subject: a unit, or a person reached through the units of the
// posts they hold at the time asked.
type subj struct {
	ref    Ref
	unit   unitLK // x is -1 for a person
	person PersonID
}

// covers reports whether the grant, held at unit h ([noUnit] for a grant held by a
// person directly), reaches subject s at time at: a unit directly, a person directly (a
// person subject, their own secondment) or through the unit of a post they hold at that
// time.
func (t *Tree) covers(g *cgrant, h unitLK, s *subj, at time.Time) bool {
	x := h.x
	if s.unit.x >= 0 {
		return t.reaches(g, h, s.unit, at)
	}
	switch g.relation {
	case "":
		if g.subjectP != "" {
			return s.person == g.subjectP
		}
	case RelationSeconded:
		if t.secondedWithin(s.ref, x, at) {
			return true
		}
	case RelationAppraises:
		for _, i := range t.secondmentsOf(s.ref) {
			if t.secAppraise[i] == x && t.secondments[i].ActiveAt(at) {
				return true
			}
		}
		return false
	}
	for _, k := range t.postsOf[s.person] {
		if t.posts[k].ActiveAt(at) && t.reaches(g, h, t.lkOf(t.postUnit[k]), at) {
			return true
		}
	}
	return false
}

// secondedWithin reports whether r is seconded, at time at, to unit x or below it.
func (t *Tree) secondedWithin(r Ref, x int32, at time.Time) bool {
	if x < 0 {
		return false
	}
	for _, i := range t.secondmentsOf(r) {
		if t.contains(x, t.secServing[i]) && t.secondments[i].ActiveAt(at) {
			return true
		}
	}
	return false
}

// pairedWith reports whether unit x (or the unit of party organisation x) is paired, at
// time at, with a unit containing y.
func (t *Tree) pairedWith(x, y int32, at time.Time) bool {
	if x < 0 {
		return false
	}
	x = t.pairSide(x)
	for _, i := range t.pairsOf[x] {
		sides := t.pairSides[i]
		other := sides[1]
		if other == x {
			other = sides[0]
		}
		if t.contains(other, y) && t.pairings[i].ActiveAt(at) {
			return true
		}
	}
	return false
}

// HasRight reports whether holder has right over subject at time at, under the grants of
// the tree: a unit holds it when a grant in force covers the unit and reaches the
// subject; a person holds it through a grant naming them or through an active post in a
// unit holding it (with a role the grant allows). A person subject is reached through the
// units of the posts they hold at that time, or through their secondments. Unknown
// holders, subjects and rights hold nothing.
//
// It allocates nothing and costs a few map lookups plus, per grant of the right, a few
// integer comparisons; it is meant to be called on every command. On a tree whose IDs
// are division codes, a unit asking about a unit for a right whose grants all reach
// within their holders is refused from the two IDs' digits, without a lookup, when the
// holder's code is not a prefix of the subject's.
func (t *Tree) HasRight(holder Ref, right Right, subject Ref, at time.Time) bool {
	rg := t.rightOf(right)
	if rg == nil {
		return false
	}
	gs := rg.grants
	if holder.Kind == RefUnit && subject.Kind == RefUnit {
		// The common question, a unit over a unit, without the subject's general form.
		if rg.unitsWithin && t.codeFind {
			x, y, found, handled := t.codes.containsLK(holder.ID, subject.ID)
			if handled {
				return found && t.unitOverUnit(gs, x, y, at)
			}
		}
		y, ok := t.findLK(UnitID(subject.ID))
		if !ok {
			return false
		}
		x, ok := t.findLK(UnitID(holder.ID))
		return ok && t.unitOverUnit(gs, x, y, at)
	}
	s, ok := t.resolve(subject)
	if !ok {
		return false
	}
	switch holder.Kind {
	case RefUnit:
		x, ok := t.findLK(UnitID(holder.ID))
		if !ok {
			return false
		}
		for i := range gs {
			g := &gs[i]
			if activeAt(g.start, g.end, at) && t.holds(g, x) && t.covers(g, x, &s, at) {
				return true
			}
		}
	case RefPerson:
		p := PersonID(holder.ID)
		posts := t.postsOf[p]
		for i := range gs {
			g := &gs[i]
			if !activeAt(g.start, g.end, at) {
				continue
			}
			if g.person == p {
				if t.covers(g, noUnit, &s, at) {
					return true
				}
				continue
			}
			for _, k := range posts {
				post := &t.posts[k]
				if !post.ActiveAt(at) || len(g.roles) > 0 && !slices.Contains(g.roles, post.Role) {
					continue
				}
				if x := t.lkOf(t.postUnit[k]); t.holds(g, x) && t.covers(g, x, &s, at) {
					return true
				}
			}
		}
	}
	return false
}

// unitOverUnit reports whether one of the grants gs, held by unit x, reaches unit y at
// time at.
func (t *Tree) unitOverUnit(gs []cgrant, x, y unitLK, at time.Time) bool {
	for i := range gs {
		g := &gs[i]
		if !t.holds(g, x) || !activeAt(g.start, g.end, at) {
			continue
		}
		if g.relation == RelationWithin { // reaches's case, without the call
			if x.x <= y.x && y.x < x.end && filter(g, y) {
				return true
			}
		} else if t.reaches(g, x, y, at) {
			return true
		}
	}
	return false
}

func (t *Tree) resolve(r Ref) (subj, bool) {
	switch r.Kind {
	case RefUnit:
		y, ok := t.findLK(UnitID(r.ID))
		return subj{ref: r, unit: y}, ok
	case RefPerson:
		if _, ok := t.personIdx[PersonID(r.ID)]; !ok {
			return subj{}, false
		}
		return subj{ref: r, unit: noUnit, person: PersonID(r.ID)}, true
	}
	return subj{}, false
}

// HoldersOf returns the units and people that hold right over subject at time at, in
// preorder of units then in the order of the grants naming people. People who hold the
// right only through a post in a holding unit are not listed; [Tree.PostsIn] finds them.
// Unlike HasRight it may visit every unit a grant's holder side covers.
func (t *Tree) HoldersOf(right Right, subject Ref, at time.Time) []Ref {
	s, ok := t.resolve(subject)
	if !ok {
		return nil
	}
	var units []int32
	var people []Ref
	gs := t.grantsOf(right)
	for i := range gs {
		g := &gs[i]
		if !activeAt(g.start, g.end, at) {
			continue
		}
		if g.holder < 0 {
			if t.covers(g, noUnit, &s, at) && !slices.Contains(people, PersonRef(g.person)) {
				people = append(people, PersonRef(g.person))
			}
			continue
		}
		lo, hi := g.holder, t.nodes[g.holder].end
		if g.holderSelf {
			hi = lo + 1
		}
		for x := lo; x < hi; x++ {
			if u := t.lkOf(x); t.holds(g, u) && t.covers(g, u, &s, at) {
				units = append(units, x)
			}
		}
	}
	slices.Sort(units)
	units = slices.Compact(units)
	out := make([]Ref, 0, len(units)+len(people))
	for _, x := range units {
		out = append(out, UnitRef(t.units[x].ID))
	}
	return append(out, people...)
}

// rightGrants are the compiled grants of one right.
type rightGrants struct {
	right  Right
	grants []cgrant
	// unitsWithin is set when every grant of the right that a unit holds reaches only
	// units within the holder (RelationWithin), as the grants of appraisal, supervision
	// and most others do: a unit then holds the right over a unit only when it contains
	// it, which for two division codes shows in their digits before either is looked up.
	unitsWithin bool
}

// maxScannedRights is the number of distinct rights up to which grantsOf compares the
// right asked with each instead of probing byRight: comparing a few short strings,
// most of them of another length, costs a fraction of hashing one. Qinhuai's grants
// name eight rights.
const maxScannedRights = 16

// rightOf returns the compiled grants of right r, nil when it has none.
func (t *Tree) rightOf(r Right) *rightGrants {
	if len(t.rights) <= maxScannedRights {
		for i := range t.rights {
			if t.rights[i].right == r {
				return &t.rights[i]
			}
		}
		return nil
	}
	return t.byRight[r]
}

// grantsOf returns the compiled grants of right r.
func (t *Tree) grantsOf(r Right) []cgrant {
	if rg := t.rightOf(r); rg != nil {
		return rg.grants
	}
	return nil
}

// findLK resolves unit id with what a grant check reads of its node.
func (t *Tree) findLK(id UnitID) (unitLK, bool) {
	if t.codeFind {
		if u, ok, handled := t.codes.findLK(string(id)); handled {
			return u, ok
		}
	}
	x, ok := t.byID[id]
	if !ok {
		return unitLK{}, false
	}
	return t.lkOf(x), true
}
