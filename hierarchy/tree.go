package hierarchy

import (
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
)

// Tree is an immutable snapshot of the organisation tree with its people, posts,
// relations and grants, built by a [Builder] or by applying a [ChangeSet].
//
// Units are numbered in depth-first preorder, so a unit's subtree is a contiguous range
// of numbers: IsAncestor is two comparisons after the ID lookups and Subtree is a slice
// walk. When the tree follows its statistical division codes — every unit whose ID is
// a division code (2, 4, 6, 9 or 12 digits) sits under the unit whose code is the
// longest prefix of its own, as a register loaded with [LoadDivisionsCSV] does — every
// lookup by such an ID goes through a small index keyed by the code's digits instead of
// the ID map (about 2.2 MB for a national register, of which an existence check reads
// about 480 KB, against tens of megabytes for the map, so that it stays in cache):
// IsAncestor and Contains of two codes compare their digits and check that the lower
// unit exists, its walk also checking the upper one, without resolving either;
// HasRight reads a unit's level, kind and subtree from the index; Ancestors of a code
// unit copies a shared chain of IDs instead of walking the tree. Any other ID, and every ID of a tree
// that does not follow its codes, works through the ID map; the answers are the same.
// Returned slices are fresh copies the caller may keep or change; AppendAncestors
// appends to the caller's own instead.
//
// A Tree is safe for concurrent use by any number of goroutines: nothing changes it
// after Build. The zero value is not usable.
type Tree struct {
	schema    Schema
	version   int
	effective time.Time

	units  []Unit // in preorder; units[0] is the root
	nodes  []node // parallel to units
	byID   map[UnitID]int32
	byCode map[string]int32 // the codes that are not their unit's ID
	codes  *codeIndex       // nil unless the tree's structure follows its division codes
	// codeFind is set when single lookups (find) go through codes rather than byID: on
	// trees too small for the map to leave the cache, a probe of the map is cheaper.
	codeFind bool

	levels  []Level // levelIdx-1 → level
	kinds   []Kind  // kindIdx-1 → kind
	byLevel [][]int32

	persons     []Person
	personIdx   map[PersonID]int32
	posts       []Post
	postIdx     map[PostID]int32
	postsOf     map[PersonID][]int32
	postsIn     map[int32][]int32
	postUnit    []int32 // parallel to posts
	secondments []Secondment
	secServing  []int32 // parallel to secondments
	secAppraise []int32
	secIdx      map[string]int32
	secOfPerson map[PersonID][]int32 // two maps rather than one keyed by Ref: string keys hash faster
	secOfUnit   map[UnitID][]int32
	secTo       map[int32][]int32
	pairings    []Pairing
	pairIdx     map[string]int32
	pairsOf     map[int32][]int32 // by side, party organisations counted as their unit
	pairSides   [][2]int32
	assignments []Assignment
	asgIdx      map[string]int32
	asgIn       map[int32][]int32
	grants      []Grant
	grantIdx    map[string]int32
	byRight     map[Right]*rightGrants // into rights
	rights      []rightGrants          // sorted by right; rightOf scans it when it is short
}

// node is the per-unit index data, kept apart from Unit so the hot ancestor checks touch
// 16 bytes per unit.
type node struct {
	parent int32  // preorder number of the parent, -1 for the root
	end    int32  // one past the last preorder number of the subtree
	depth  uint16 // 0 for the root
	level  uint16 // 1-based index of the schema level, 0 for non-territorial units
	kind   uint16 // 1 territorial, 2… the schema's kinds
}

// tree assembles the snapshot once the checker found no problem.
func (c *checker) tree(b *Builder) *Tree {
	n := len(b.units)
	// Children of each unit in input order, as offsets into one slice.
	start := make([]int32, n+1)
	for _, p := range c.parent {
		if p >= 0 {
			start[p+1]++
		}
	}
	for i := range n {
		start[i+1] += start[i]
	}
	kids := make([]int32, n)
	fill := slices.Clone(start[:n])
	for i, p := range c.parent {
		if p >= 0 {
			kids[fill[p]] = int32(i)
			fill[p]++
		}
	}
	fill = nil
	// Depth-first preorder, first child first.
	order := make([]int32, 0, n)
	stack := []int32{c.root}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		order = append(order, x)
		for k := start[x+1] - 1; k >= start[x]; k-- {
			stack = append(stack, kids[k])
		}
	}
	pre := kids // reuse: pre[input index] = preorder number
	for p, x := range order {
		pre[x] = int32(p)
	}
	t := &Tree{
		schema: b.schema,
		units:  make([]Unit, n),
		nodes:  make([]node, n),
		byID:   c.byID,
		byCode: c.byCode,
	}
	for _, l := range b.schema.Levels {
		t.levels = append(t.levels, l.Level)
	}
	t.kinds = append(t.kinds, KindTerritorial)
	for _, k := range b.schema.Kinds {
		t.kinds = append(t.kinds, k.Kind)
	}
	t.byLevel = make([][]int32, len(t.levels)+1)
	for p, x := range order {
		u := b.units[x]
		if u.Kind == "" {
			u.Kind = KindTerritorial
		}
		t.units[p] = u
		nd := node{parent: -1, end: int32(p) + 1, kind: c.kindIdx[u.Kind]}
		if q := c.parent[x]; q >= 0 {
			nd.parent = pre[q]
			nd.depth = t.nodes[nd.parent].depth + 1
		}
		if u.Kind == KindTerritorial {
			nd.level = c.levelIdx[u.Level]
			t.byLevel[nd.level] = append(t.byLevel[nd.level], int32(p))
		}
		t.nodes[p] = nd
	}
	for p := n - 1; p > 0; p-- {
		if q := t.nodes[p].parent; t.nodes[p].end > t.nodes[q].end {
			t.nodes[q].end = t.nodes[p].end
		}
	}
	// Rewriting values of existing keys is cheaper than filling new maps.
	for id, x := range t.byID {
		t.byID[id] = pre[x]
	}
	for code, x := range t.byCode {
		t.byCode[code] = pre[x]
	}
	t.codes = newCodeIndex(t)
	t.codeFind = t.codes != nil && n >= codeFindMin
	t.index(b, c)
	return t
}

// codeFindMin is the size from which single lookups go through the code index. Below
// it the ID map stays in cache: measured on a district (1,457 units), a probe of the map
// took 65–95 ns where the index took 145–200 ns for the same HasRight, while on the
// national register the index is 1.5–5× faster than the map.
const codeFindMin = 1 << 16

// find returns the preorder number of unit id: from the code index's digits when id is
// a division code the index holds and the tree is large, else from the ID map.
func (t *Tree) find(id UnitID) (int32, bool) {
	if t.codeFind {
		if x, ok, handled := t.codes.find(string(id)); handled {
			return x, ok
		}
	}
	x, ok := t.byID[id]
	return x, ok
}

// index builds the lookups of people, posts, relations and grants.
func (t *Tree) index(b *Builder, c *checker) {
	t.persons = slices.Clone(b.persons)
	t.personIdx = c.persons
	t.posts = slices.Clone(b.posts)
	t.postIdx = make(map[PostID]int32, len(t.posts))
	t.postsOf = map[PersonID][]int32{}
	t.postsIn = map[int32][]int32{}
	t.postUnit = make([]int32, len(t.posts))
	for i, p := range t.posts {
		t.postIdx[p.ID] = int32(i)
		t.postsOf[p.Person] = append(t.postsOf[p.Person], int32(i))
		u := t.byID[p.Unit]
		t.postsIn[u] = append(t.postsIn[u], int32(i))
		t.postUnit[i] = u
	}
	t.secondments = slices.Clone(b.secondments)
	t.secIdx = make(map[string]int32, len(t.secondments))
	t.secOfPerson = map[PersonID][]int32{}
	t.secOfUnit = map[UnitID][]int32{}
	t.secTo = map[int32][]int32{}
	t.secServing = make([]int32, len(t.secondments))
	t.secAppraise = make([]int32, len(t.secondments))
	for i, s := range t.secondments {
		t.secIdx[s.ID] = int32(i)
		switch s.Subject.Kind {
		case RefPerson:
			p := PersonID(s.Subject.ID)
			t.secOfPerson[p] = append(t.secOfPerson[p], int32(i))
		case RefUnit:
			u := UnitID(s.Subject.ID)
			t.secOfUnit[u] = append(t.secOfUnit[u], int32(i))
		}
		u := t.byID[s.Serving]
		t.secTo[u] = append(t.secTo[u], int32(i))
		t.secServing[i] = u
		t.secAppraise[i] = t.byID[s.AppraisalUnit()]
	}
	t.pairings = slices.Clone(b.pairings)
	t.pairIdx = make(map[string]int32, len(t.pairings))
	t.pairsOf = map[int32][]int32{}
	t.pairSides = make([][2]int32, len(t.pairings))
	for i, p := range t.pairings {
		t.pairIdx[p.ID] = int32(i)
		sides := [2]int32{t.pairSide(t.byID[p.Department]), t.pairSide(t.byID[p.Community])}
		t.pairSides[i] = sides
		for _, x := range sides {
			t.pairsOf[x] = append(t.pairsOf[x], int32(i))
		}
	}
	t.assignments = slices.Clone(b.assignments)
	t.asgIdx = make(map[string]int32, len(t.assignments))
	t.asgIn = map[int32][]int32{}
	for i, a := range t.assignments {
		t.asgIdx[a.ID] = int32(i)
		x := t.byID[a.Unit]
		t.asgIn[x] = append(t.asgIn[x], int32(i))
	}
	t.grants = cloneGrants(b.grants)
	t.grantIdx = make(map[string]int32, len(t.grants))
	compiled := map[Right][]cgrant{}
	for i, g := range t.grants {
		t.grantIdx[g.ID] = int32(i)
		compiled[g.Right] = append(compiled[g.Right], t.compile(g, c))
	}
	for r, gs := range compiled {
		rg := rightGrants{right: r, grants: gs, unitsWithin: true}
		for i := range gs {
			if gs[i].holder >= 0 && gs[i].relation != RelationWithin {
				rg.unitsWithin = false
			}
		}
		t.rights = append(t.rights, rg)
	}
	slices.SortFunc(t.rights, func(a, b rightGrants) int { return strings.Compare(string(a.right), string(b.right)) })
	t.byRight = make(map[Right]*rightGrants, len(t.rights))
	for i := range t.rights {
		t.byRight[t.rights[i].right] = &t.rights[i]
	}
}

// pairSide returns the unit a party organisation belongs to, so that a pairing recorded
// between party organisations binds their units too.
func (t *Tree) pairSide(x int32) int32 {
	if t.units[x].Kind == KindPartyOrg {
		return t.nodes[x].parent
	}
	return x
}

// Schema returns the tree's schema.
func (t *Tree) Schema() Schema { return t.schema }

// Version returns the tree's version number in its [History], or 0 for a tree built
// directly by a Builder.
func (t *Tree) Version() int { return t.version }

// Effective returns the time from which this version is in force, or the zero time for
// a tree built directly by a Builder.
func (t *Tree) Effective() time.Time { return t.effective }

// Len returns the number of units.
func (t *Tree) Len() int { return len(t.units) }

// Root returns the root unit's ID.
func (t *Tree) Root() UnitID { return t.units[0].ID }

// Units yields every unit in depth-first preorder, the root first.
func (t *Tree) Units() iter.Seq[Unit] {
	return func(yield func(Unit) bool) {
		for _, u := range t.units {
			if !yield(u) {
				return
			}
		}
	}
}

// Unit returns the unit id.
func (t *Tree) Unit(id UnitID) (Unit, bool) {
	x, ok := t.find(id)
	if !ok {
		return Unit{}, false
	}
	return t.units[x], true
}

// ByCode returns the unit with the given code.
func (t *Tree) ByCode(code string) (Unit, bool) {
	if x, ok := t.byCode[code]; ok {
		return t.units[x], true
	}
	// Units whose code is their ID are not in byCode.
	if x, ok := t.find(UnitID(code)); ok && t.units[x].Code == code {
		return t.units[x], true
	}
	return Unit{}, false
}

// ByLevel returns the territorial units of level l in preorder.
func (t *Tree) ByLevel(l Level) []UnitID {
	i := slices.Index(t.levels, l)
	if i < 0 {
		return nil
	}
	return t.idsOf(t.byLevel[i+1])
}

func (t *Tree) idsOf(xs []int32) []UnitID {
	out := make([]UnitID, len(xs))
	for i, x := range xs {
		out[i] = t.units[x].ID
	}
	return out
}

// Parent returns the parent of id; ok is false for the root and for an unknown unit.
func (t *Tree) Parent(id UnitID) (UnitID, bool) {
	x, ok := t.find(id)
	if !ok || x == 0 {
		return "", false
	}
	return t.units[t.nodes[x].parent].ID, true
}

// Children returns the units directly under id, in the order they were added.
func (t *Tree) Children(id UnitID) []UnitID {
	x, ok := t.find(id)
	if !ok {
		return nil
	}
	var out []UnitID
	for c := x + 1; c < t.nodes[x].end; c = t.nodes[c].end {
		out = append(out, t.units[c].ID)
	}
	return out
}

// Depth returns the number of units above id (0 for the root).
func (t *Tree) Depth(id UnitID) (int, bool) {
	x, ok := t.find(id)
	if !ok {
		return 0, false
	}
	return int(t.nodes[x].depth), true
}

// IsAncestor reports whether a is strictly above b. It takes constant time.
func (t *Tree) IsAncestor(a, b UnitID) bool {
	if t.codes != nil {
		if above, handled := t.codes.isAncestor(string(a), string(b), true); handled {
			return above
		}
	}
	x, ok := t.find(a)
	if !ok {
		return false
	}
	y, ok := t.find(b)
	return ok && x < y && y < t.nodes[x].end
}

// Contains reports whether b is a or below it. It takes constant time.
func (t *Tree) Contains(a, b UnitID) bool {
	if t.codes != nil {
		if in, handled := t.codes.isAncestor(string(a), string(b), false); handled {
			return in
		}
	}
	x, ok := t.find(a)
	if !ok {
		return false
	}
	y, ok := t.find(b)
	return ok && t.contains(x, y)
}

func (t *Tree) contains(x, y int32) bool { return x <= y && y < t.nodes[x].end }

// Ancestors returns the units above id, nearest first; empty for the root or an unknown
// unit.
func (t *Tree) Ancestors(id UnitID) []UnitID {
	return t.AppendAncestors(nil, id)
}

// AppendAncestors appends the units above id to dst, nearest first, and returns the
// extended slice; dst unchanged for the root or an unknown unit. A caller that asks for
// many units' ancestors reuses one slice (dst[:0]) and allocates nothing.
func (t *Tree) AppendAncestors(dst []UnitID, id UnitID) []UnitID {
	if t.codes != nil {
		if out, handled := t.codes.appendAncestors(dst, string(id)); handled {
			return out
		}
	}
	x, ok := t.find(id)
	if !ok || x == 0 {
		return dst
	}
	dst = slices.Grow(dst, int(t.nodes[x].depth))
	for p := t.nodes[x].parent; p >= 0; p = t.nodes[p].parent {
		dst = append(dst, t.units[p].ID)
	}
	return dst
}

// AncestorAt returns the territorial unit of level l at or above id: the street of a
// grid, the community of a household. ok is false when there is none.
func (t *Tree) AncestorAt(id UnitID, l Level) (UnitID, bool) {
	x, ok := t.find(id)
	i := slices.Index(t.levels, l)
	if !ok || i < 0 {
		return "", false
	}
	for ; x >= 0; x = t.nodes[x].parent {
		if t.nodes[x].level == uint16(i+1) {
			return t.units[x].ID, true
		}
	}
	return "", false
}

// Subtree yields id and every unit below it in depth-first preorder. It yields nothing
// for an unknown unit.
func (t *Tree) Subtree(id UnitID) iter.Seq[UnitID] {
	return func(yield func(UnitID) bool) {
		x, ok := t.find(id)
		if !ok {
			return
		}
		for _, u := range t.units[x:t.nodes[x].end] {
			if !yield(u.ID) {
				return
			}
		}
	}
}

// SubtreeSize returns the number of units in id's subtree, id included.
func (t *Tree) SubtreeSize(id UnitID) int {
	x, ok := t.find(id)
	if !ok {
		return 0
	}
	return int(t.nodes[x].end - x)
}

// LCA returns the lowest common ancestor of a and b: the deepest unit containing both.
func (t *Tree) LCA(a, b UnitID) (UnitID, bool) {
	x, ok := t.find(a)
	if !ok {
		return "", false
	}
	y, ok := t.find(b)
	if !ok {
		return "", false
	}
	return t.units[t.lca(x, y)].ID, true
}

func (t *Tree) lca(x, y int32) int32 {
	for !t.contains(x, y) {
		x = t.nodes[x].parent
	}
	return x
}

// Path returns the units from a to b through their lowest common ancestor, both ends
// included: up from a, then down to b.
func (t *Tree) Path(a, b UnitID) []UnitID {
	x, ok := t.find(a)
	if !ok {
		return nil
	}
	y, ok := t.find(b)
	if !ok {
		return nil
	}
	l := t.lca(x, y)
	var up, down []UnitID
	for ; x != l; x = t.nodes[x].parent {
		up = append(up, t.units[x].ID)
	}
	for ; y != l; y = t.nodes[y].parent {
		down = append(down, t.units[y].ID)
	}
	up = append(up, t.units[l].ID)
	slices.Reverse(down)
	return append(up, down...)
}

// Attached returns the units of kind k directly under id: its party organisation, the
// street's offices, a police station's beats.
func (t *Tree) Attached(id UnitID, k Kind) []UnitID {
	x, ok := t.find(id)
	ki := slices.Index(t.kinds, k)
	if !ok || ki < 0 {
		return nil
	}
	var out []UnitID
	for c := x + 1; c < t.nodes[x].end; c = t.nodes[c].end {
		if t.nodes[c].kind == uint16(ki+1) {
			out = append(out, t.units[c].ID)
		}
	}
	return out
}

// Nearest returns the nearest unit of kind k serving id: id itself if it is of kind k,
// else the first unit of kind k attached to id or to one of its ancestors, nearest
// first. It answers "which command centre handles this grid" (1+12+N) and "which party
// organisation leads this unit".
func (t *Tree) Nearest(id UnitID, k Kind) (UnitID, bool) {
	x, ok := t.find(id)
	ki := slices.Index(t.kinds, k)
	if !ok || ki < 0 {
		return "", false
	}
	want := uint16(ki + 1)
	if t.nodes[x].kind == want {
		return id, true
	}
	for ; x >= 0; x = t.nodes[x].parent {
		for c := x + 1; c < t.nodes[x].end; c = t.nodes[c].end {
			if t.nodes[c].kind == want {
				return t.units[c].ID, true
			}
		}
	}
	return "", false
}

// PartyOrg returns the party organisation attached to unit id, if it has one.
func (t *Tree) PartyOrg(id UnitID) (UnitID, bool) {
	if ids := t.Attached(id, KindPartyOrg); len(ids) > 0 {
		return ids[0], true
	}
	return "", false
}

// Person returns person id.
func (t *Tree) Person(id PersonID) (Person, bool) {
	x, ok := t.personIdx[id]
	if !ok {
		return Person{}, false
	}
	return t.persons[x], true
}

// Post returns post id.
func (t *Tree) Post(id PostID) (Post, bool) {
	x, ok := t.postIdx[id]
	if !ok {
		return Post{}, false
	}
	return t.posts[x], true
}

// PostsOf returns the posts person p holds at time at.
func (t *Tree) PostsOf(p PersonID, at time.Time) []Post {
	return t.activePosts(t.postsOf[p], "", at)
}

// PostsIn returns the posts of unit u held at time at with role r; an empty r means any
// role. A community's two commanders are PostsIn(community, RoleCommander, at).
func (t *Tree) PostsIn(u UnitID, r Role, at time.Time) []Post {
	x, ok := t.find(u)
	if !ok {
		return nil
	}
	return t.activePosts(t.postsIn[x], r, at)
}

func (t *Tree) activePosts(xs []int32, r Role, at time.Time) []Post {
	var out []Post
	for _, x := range xs {
		if p := t.posts[x]; p.ActiveAt(at) && (r == "" || p.Role == r) {
			out = append(out, p)
		}
	}
	return out
}

// ActorPost returns the post an actor acts in, after checking that the post exists, is
// held by the actor's person and is active at time at. A refusal is a [*gridgov.Error]
// of kind [gridgov.ErrForbidden] with rule "hierarchy.actor-post".
func (t *Tree) ActorPost(a Actor, at time.Time) (Post, error) {
	refuse := func(msg string) (Post, error) {
		return Post{}, &gridgov.Error{Op: "hierarchy.ActorPost", Kind: gridgov.ErrForbidden, Rule: "hierarchy.actor-post", Msg: msg}
	}
	p, ok := t.Post(a.Post)
	switch {
	case !ok:
		return refuse("post " + string(a.Post) + " does not exist")
	case p.Person != a.Person:
		return refuse("post " + string(a.Post) + " is not held by " + string(a.Person))
	case !p.ActiveAt(at):
		return refuse("post " + string(a.Post) + " is not active at " + at.Format(time.RFC3339))
	}
	return p, nil
}

// Servers are the people and units serving a unit at a time: its posts and those
// seconded (下沉) to it.
//
// Servers is a plain value, safe for concurrent use.
type Servers struct {
	Posts       []Post
	Secondments []Secondment
}

// ServedBy returns who serves unit u at time at: the posts of u active then and the
// secondments to u in force then.
func (t *Tree) ServedBy(u UnitID, at time.Time) Servers {
	x, ok := t.find(u)
	if !ok {
		return Servers{}
	}
	return Servers{Posts: t.activePosts(t.postsIn[x], "", at), Secondments: t.activeSecondments(t.secTo[x], at)}
}

func (t *Tree) activeSecondments(xs []int32, at time.Time) []Secondment {
	var out []Secondment
	for _, x := range xs {
		if s := t.secondments[x]; s.ActiveAt(at) {
			out = append(out, s)
		}
	}
	return out
}

// secondmentsOf returns the indexes of the secondments of r.
func (t *Tree) secondmentsOf(r Ref) []int32 {
	switch r.Kind {
	case RefPerson:
		return t.secOfPerson[PersonID(r.ID)]
	case RefUnit:
		return t.secOfUnit[UnitID(r.ID)]
	}
	return nil
}

// Secondment returns secondment id.
func (t *Tree) Secondment(id string) (Secondment, bool) {
	x, ok := t.secIdx[id]
	if !ok {
		return Secondment{}, false
	}
	return t.secondments[x], true
}

// SecondmentsOf returns the secondments of a person or unit in force at time at.
func (t *Tree) SecondmentsOf(subject Ref, at time.Time) []Secondment {
	return t.activeSecondments(t.secondmentsOf(subject), at)
}

// ScopeOf returns the units whose subtrees person p works in at time at: the units of
// the posts p holds and the units p serves by secondment, without any unit that another
// of them contains, in preorder.
func (t *Tree) ScopeOf(p PersonID, at time.Time) []UnitID {
	var xs []int32
	for _, i := range t.postsOf[p] {
		if t.posts[i].ActiveAt(at) {
			xs = append(xs, t.postUnit[i])
		}
	}
	for _, i := range t.secOfPerson[p] {
		if t.secondments[i].ActiveAt(at) {
			xs = append(xs, t.secServing[i])
		}
	}
	slices.Sort(xs)
	var out []UnitID
	last := int32(-1)
	for _, x := range xs {
		if last >= 0 && t.contains(last, x) {
			continue
		}
		out = append(out, t.units[x].ID)
		last = x
	}
	return out
}

// InScope reports whether unit u lies in the scope of person p at time at.
func (t *Tree) InScope(p PersonID, u UnitID, at time.Time) bool {
	y, ok := t.find(u)
	if !ok {
		return false
	}
	for _, i := range t.postsOf[p] {
		if t.posts[i].ActiveAt(at) && t.contains(t.postUnit[i], y) {
			return true
		}
	}
	for _, i := range t.secOfPerson[p] {
		if t.secondments[i].ActiveAt(at) && t.contains(t.secServing[i], y) {
			return true
		}
	}
	return false
}

// Pairing returns pairing id.
func (t *Tree) Pairing(id string) (Pairing, bool) {
	x, ok := t.pairIdx[id]
	if !ok {
		return Pairing{}, false
	}
	return t.pairings[x], true
}

// PairingsOf returns the pairings in force at time at in which unit u takes part; a
// unit and its party organisation share their pairings.
func (t *Tree) PairingsOf(u UnitID, at time.Time) []Pairing {
	x, ok := t.find(u)
	if !ok {
		return nil
	}
	var out []Pairing
	for _, i := range t.pairsOf[t.pairSide(x)] {
		if p := t.pairings[i]; p.ActiveAt(at) {
			out = append(out, p)
		}
	}
	return out
}

// Assignment returns leader assignment id.
func (t *Tree) Assignment(id string) (Assignment, bool) {
	x, ok := t.asgIdx[id]
	if !ok {
		return Assignment{}, false
	}
	return t.assignments[x], true
}

// LeadersOf returns the district leaders who hold an area assignment (包块) at time at
// for unit u or a unit above it — for a community, the leaders of its street — nearest
// assignment first, each once. They are the leaders who report in when the whistle blows.
func (t *Tree) LeadersOf(u UnitID, at time.Time) []PersonID {
	x, ok := t.find(u)
	if !ok {
		return nil
	}
	var out []PersonID
	for ; x >= 0; x = t.nodes[x].parent {
		for _, i := range t.asgIn[x] {
			if a := t.assignments[i]; a.Type == AssignArea && a.ActiveAt(at) && !slices.Contains(out, a.Leader) {
				out = append(out, a.Leader)
			}
		}
	}
	return out
}

// SectorLeaders returns the leaders who hold the sector (包条) at time at, in the order
// their assignments were added.
func (t *Tree) SectorLeaders(sector string, at time.Time) []PersonID {
	var out []PersonID
	for _, a := range t.assignments {
		if a.Type == AssignSector && a.Sector == sector && a.ActiveAt(at) && !slices.Contains(out, a.Leader) {
			out = append(out, a.Leader)
		}
	}
	return out
}

// Grant returns grant id.
func (t *Tree) Grant(id string) (Grant, bool) {
	x, ok := t.grantIdx[id]
	if !ok {
		return Grant{}, false
	}
	g := t.grants[x]
	g.HolderRoles = slices.Clone(g.HolderRoles)
	return g, true
}
