package hierarchy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Builder collects the units, people, posts, relations and grants of a tree and checks
// them all at once in [Builder.Build]. Add methods never fail: every problem is reported
// by Build, together.
//
// A Builder is not safe for concurrent use. The zero value is not usable; use
// [NewBuilder] or [NewBuilderFrom].
type Builder struct {
	schema      Schema
	units       []Unit
	persons     []Person
	posts       []Post
	secondments []Secondment
	pairings    []Pairing
	assignments []Assignment
	grants      []Grant
}

// NewBuilder returns an empty builder for trees of schema s.
func NewBuilder(s Schema) *Builder { return &Builder{schema: s} }

// NewBuilderFrom returns a builder holding everything in t, to build a changed copy.
func NewBuilderFrom(t *Tree) *Builder {
	return &Builder{
		schema:      t.schema,
		units:       slices.Clone(t.units),
		persons:     slices.Clone(t.persons),
		posts:       slices.Clone(t.posts),
		secondments: slices.Clone(t.secondments),
		pairings:    slices.Clone(t.pairings),
		assignments: slices.Clone(t.assignments),
		grants:      cloneGrants(t.grants),
	}
}

func cloneGrants(gs []Grant) []Grant {
	out := slices.Clone(gs)
	for i := range out {
		out[i].HolderRoles = slices.Clone(out[i].HolderRoles)
	}
	return out
}

// Schema returns the builder's schema.
func (b *Builder) Schema() Schema { return b.schema }

// Len returns the number of units added so far.
func (b *Builder) Len() int { return len(b.units) }

// AddUnit adds a unit. An empty Kind means KindTerritorial.
func (b *Builder) AddUnit(u Unit) { b.units = append(b.units, u) }

// AddPerson adds a person.
func (b *Builder) AddPerson(p Person) { b.persons = append(b.persons, p) }

// AddPost adds a post.
func (b *Builder) AddPost(p Post) { b.posts = append(b.posts, p) }

// AddSecondment adds a secondment (下沉).
func (b *Builder) AddSecondment(s Secondment) { b.secondments = append(b.secondments, s) }

// AddPairing adds a pairing (结对).
func (b *Builder) AddPairing(p Pairing) { b.pairings = append(b.pairings, p) }

// AddAssignment adds a leader assignment (包块/包条).
func (b *Builder) AddAssignment(a Assignment) { b.assignments = append(b.assignments, a) }

// AddGrant adds a grant of a right.
func (b *Builder) AddGrant(g Grant) {
	g.HolderRoles = slices.Clone(g.HolderRoles)
	b.grants = append(b.grants, g)
}

// AddPartyOrgs adds, under every territorial unit whose level names a party
// organisation, a unit of KindPartyOrg with ID "<unit>/party" and the unit's name
// followed by the level's PartyOrgSuffix, unless a unit with that ID was already added.
func (b *Builder) AddPartyOrgs() {
	have := b.ids()
	for _, u := range b.units[:len(b.units):len(b.units)] {
		if !isTerritorial(u) {
			continue
		}
		spec, ok := b.schema.level(u.Level)
		if !ok || spec.PartyOrg == "" {
			continue
		}
		id := PartyOrgID(u.ID)
		if have[id] {
			continue
		}
		have[id] = true
		b.units = append(b.units, Unit{ID: id, Name: u.Name + spec.PartyOrgSuffix, Kind: KindPartyOrg, Parent: u.ID})
	}
}

// AddOffices adds, under every territorial unit whose level lists standard offices (the
// street's 五部一局两中心), one unit per office with ID "<unit>/<key>", unless a unit
// with that ID was already added.
func (b *Builder) AddOffices() {
	have := b.ids()
	for _, u := range b.units[:len(b.units):len(b.units)] {
		if !isTerritorial(u) {
			continue
		}
		spec, _ := b.schema.level(u.Level)
		for _, o := range spec.Offices {
			id := UnitID(string(u.ID) + "/" + o.Key)
			if have[id] {
				continue
			}
			have[id] = true
			b.units = append(b.units, Unit{ID: id, Name: u.Name + " " + o.Name, Kind: o.Kind, Parent: u.ID})
		}
	}
}

// PartyOrgID returns the ID [Builder.AddPartyOrgs] gives the party organisation of u.
func PartyOrgID(u UnitID) UnitID { return u + "/party" }

func (b *Builder) ids() map[UnitID]bool {
	m := make(map[UnitID]bool, len(b.units))
	for _, u := range b.units {
		m[u.ID] = true
	}
	return m
}

func isTerritorial(u Unit) bool { return u.Kind == "" || u.Kind == KindTerritorial }

// Build checks everything added and returns the immutable tree, or every problem found,
// joined with [errors.Join]: an invalid schema, empty or duplicate IDs and codes, no root
// or several, cycles, a level or kind not allowed under its parent, a division code that
// does not extend its parent's, a malformed credit code, references to units, people or
// posts that do not exist, ends before starts and malformed grants. Each problem is a
// [*gridgov.Error] wrapping [gridgov.ErrInvalid] whose Rule is one of the Rule*
// constants. The builder may be used again afterwards; the tree shares nothing with it.
func (b *Builder) Build() (*Tree, error) {
	if err := b.schema.Validate(); err != nil {
		return nil, err
	}
	c := newChecker(b.schema)
	c.units(b.units)
	c.others(b)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return c.tree(b), nil
}

// checker validates a builder's content and keeps what it learns for the tree.
type checker struct {
	schema   Schema
	errs     []error
	levelIdx map[Level]uint16 // 1-based
	kindIdx  map[Kind]uint16  // 1 = territorial, then schema kinds
	byID     map[UnitID]int32 // input index, later preorder
	byCode   map[string]int32
	parent   []int32 // input index of the parent; -1 root, -2 unresolved
	root     int32
	persons  map[PersonID]int32
}

func newChecker(s Schema) *checker {
	c := &checker{schema: s, levelIdx: map[Level]uint16{}, kindIdx: map[Kind]uint16{KindTerritorial: 1}}
	for i, l := range s.Levels {
		c.levelIdx[l.Level] = uint16(i + 1)
	}
	for i, k := range s.Kinds {
		c.kindIdx[k.Kind] = uint16(i + 2)
	}
	return c
}

func (c *checker) fail(rule, format string, args ...any) {
	c.errs = append(c.errs, invalid("Build", rule, format, args...))
}

func (c *checker) units(units []Unit) {
	n := len(units)
	c.byID = make(map[UnitID]int32, n)
	c.byCode = map[string]int32{}
	c.parent = make([]int32, n)
	if n == 0 {
		c.fail(RuleRoot, "the tree has no units")
		return
	}
	for i := range units {
		u := &units[i]
		if u.ID == "" {
			c.fail(RuleMissing, "unit #%d (%q) has no ID", i, u.Name)
		} else if j, dup := c.byID[u.ID]; dup {
			c.fail(RuleDuplicateID, "unit ID %q is used twice (units #%d and #%d)", u.ID, j, i)
			if u.Code != "" && u.Code == string(u.ID) && units[j].Code == u.Code {
				c.fail(RuleDuplicateCode, "code %q is used by units %q and %q", u.Code, units[j].ID, u.ID)
			}
		} else {
			c.byID[u.ID] = int32(i)
		}
		// A unit whose code is its ID (a register's usual case) is found by code through
		// the ID map; only the other codes need a map of their own, which keeps a
		// national register's build to one large map.
		if u.Code != "" && u.Code != string(u.ID) {
			if j, dup := c.byCode[u.Code]; dup {
				c.fail(RuleDuplicateCode, "code %q is used by units %q and %q", u.Code, units[j].ID, u.ID)
			} else {
				c.byCode[u.Code] = int32(i)
			}
		}
		if u.CreditCode != "" {
			if err := u.CreditCode.Validate(); err != nil {
				c.fail(RuleCode, "unit %q: %v", u.ID, err)
			}
		}
	}
	for j := range units {
		if code := units[j].Code; code != "" && code != string(units[j].ID) {
			if i, ok := c.byID[UnitID(code)]; ok && units[i].Code == code {
				c.fail(RuleDuplicateCode, "code %q is used by units %q and %q", code, units[i].ID, units[j].ID)
			}
		}
	}
	var roots []int32
	for i := range units {
		u := &units[i]
		switch p, ok := c.byID[u.Parent]; {
		case u.Parent == "":
			c.parent[i] = -1
			roots = append(roots, int32(i))
		case !ok:
			c.parent[i] = -2
			c.fail(RuleDangling, "unit %q: parent %q does not exist", u.ID, u.Parent)
		default:
			c.parent[i] = p
		}
	}
	switch len(roots) {
	case 0:
		c.fail(RuleRoot, "no unit is without a parent, so the tree has no root")
		c.root = -1
	case 1:
		c.root = roots[0]
	default:
		ids := make([]string, len(roots))
		for k, r := range roots {
			ids[k] = fmt.Sprintf("%q", units[r].ID)
		}
		c.fail(RuleRoot, "the tree has %d roots, units without a parent: %s", len(roots), strings.Join(ids, ", "))
		c.root = -1
	}
	c.cycles(units)
	for i := range units {
		c.placement(units, i)
	}
}

// cycles reports every cycle of parent links once, starting from its smallest ID.
func (c *checker) cycles(units []Unit) {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]uint8, len(units))
	var path []int32
	for i := range units {
		if state[i] != unseen {
			continue
		}
		path = path[:0]
		j := int32(i)
		for j >= 0 && state[j] == unseen {
			state[j] = onPath
			path = append(path, j)
			j = c.parent[j]
		}
		if j >= 0 && state[j] == onPath {
			start := slices.Index(path, j)
			cyc := path[start:]
			m := 0
			for k := range cyc {
				if units[cyc[k]].ID < units[cyc[m]].ID {
					m = k
				}
			}
			var sb strings.Builder
			for k := range cyc {
				fmt.Fprintf(&sb, "%q → ", units[cyc[(m+k)%len(cyc)]].ID)
			}
			fmt.Fprintf(&sb, "%q", units[cyc[m]].ID)
			c.fail(RuleCycle, "units form a cycle through their parents: %s", sb.String())
		}
		for _, k := range path {
			state[k] = done
		}
	}
}

// placement checks unit i's level or kind against its parent and its division code
// against its parent's.
func (c *checker) placement(units []Unit, i int) {
	u := &units[i]
	var parent *Unit
	if p := c.parent[i]; p >= 0 {
		parent = &units[p]
	} else if p == -2 {
		return // dangling parent, reported
	}
	if isTerritorial(*u) {
		spec, ok := c.schema.level(u.Level)
		if !ok {
			c.fail(RuleLevel, "unit %q: unknown level %q", u.ID, u.Level)
			return
		}
		switch {
		case parent == nil && len(spec.Under) > 0:
			c.fail(RuleLevel, "unit %q: a %s cannot be the root (it belongs under %v)", u.ID, u.Level, spec.Under)
		case parent != nil && !isTerritorial(*parent):
			c.fail(RuleLevel, "unit %q: a %s cannot sit under %q, a %s", u.ID, u.Level, parent.ID, parent.Kind)
		case parent != nil && !slices.Contains(spec.Under, parent.Level):
			c.fail(RuleLevel, "unit %q: a %s cannot sit under %q, a %s", u.ID, u.Level, parent.ID, parent.Level)
		}
		if spec.CodeDigits != 0 && u.Code != "" {
			c.divisionCode(u, spec, parent)
		}
		return
	}
	if u.Level != "" {
		c.fail(RuleLevel, "unit %q: a %s is not territorial and cannot have level %q", u.ID, u.Kind, u.Level)
	}
	var spec *KindSpec
	for k := range c.schema.Kinds {
		if c.schema.Kinds[k].Kind == u.Kind {
			spec = &c.schema.Kinds[k]
		}
	}
	switch {
	case spec == nil:
		c.fail(RuleLevel, "unit %q: unknown kind %q", u.ID, u.Kind)
	case parent == nil:
		c.fail(RuleLevel, "unit %q: a %s cannot be the root", u.ID, u.Kind)
	case len(spec.UnderLevels) == 0 && len(spec.UnderKinds) == 0:
		if !isTerritorial(*parent) {
			c.fail(RuleLevel, "unit %q: a %s must sit under a territorial unit, not %q, a %s", u.ID, u.Kind, parent.ID, parent.Kind)
		}
	case isTerritorial(*parent) && !slices.Contains(spec.UnderLevels, parent.Level):
		c.fail(RuleLevel, "unit %q: a %s cannot sit under %q, a %s", u.ID, u.Kind, parent.ID, parent.Level)
	case !isTerritorial(*parent) && !slices.Contains(spec.UnderKinds, parent.Kind):
		c.fail(RuleLevel, "unit %q: a %s cannot sit under %q, a %s", u.ID, u.Kind, parent.ID, parent.Kind)
	}
}

func (c *checker) divisionCode(u *Unit, spec LevelSpec, parent *Unit) {
	stem, err := divisionStem(u.Code, spec.CodeDigits)
	if err != "" {
		c.fail(RuleCode, "unit %q: division code %q %s", u.ID, u.Code, err)
		return
	}
	if parent == nil || parent.Code == "" {
		return
	}
	pspec, _ := c.schema.level(parent.Level)
	if pspec.CodeDigits == 0 {
		return
	}
	pstem, perr := divisionStem(parent.Code, pspec.CodeDigits)
	if perr == "" && !extends(stem, pstem) {
		c.fail(RuleCode, "unit %q: division code %q does not extend its parent %q's code %q", u.ID, u.Code, parent.ID, parent.Code)
	}
}

// divisionStem returns the significant digits of a statistical division code — the code
// without the trailing zero groups of the 2-2-2-3-3 layout, so "320104001" and
// "320104001000" have the same stem — and checks that it has want digits. The problem is
// returned as a phrase for the caller's message.
func divisionStem(code string, want int) (string, string) {
	if !slices.Contains(divisionLengths, len(code)) {
		return "", "must have 2, 4, 6, 9 or 12 digits"
	}
	for i := range len(code) {
		if code[i] < '0' || code[i] > '9' {
			return "", "must be digits"
		}
	}
	stem := code
	for k := len(divisionLengths) - 1; k > 0; k-- {
		b := divisionLengths[k-1]
		if len(stem) == divisionLengths[k] && strings.Trim(stem[b:], "0") == "" {
			stem = stem[:b]
		}
	}
	if len(stem) != want {
		return "", fmt.Sprintf("must have %d significant digits for its level, has %d", want, len(stem))
	}
	return stem, ""
}

func extends(stem, parent string) bool {
	return len(stem) > len(parent) && strings.HasPrefix(stem, parent)
}

// others checks people, posts, relations and grants against the units.
func (c *checker) others(b *Builder) {
	unit := func(what string, id UnitID) {
		if _, ok := c.byID[id]; !ok {
			c.fail(RuleDangling, "%s: unit %q does not exist", what, id)
		}
	}
	optUnit := func(what string, id UnitID) {
		if id != "" {
			unit(what, id)
		}
	}
	dates := func(what string, start, end time.Time) {
		if !end.IsZero() && end.Before(start) {
			c.fail(RuleDates, "%s: ends %s before it starts %s", what, end.Format(time.DateOnly), start.Format(time.DateOnly))
		}
	}
	c.persons = make(map[PersonID]int32, len(b.persons))
	residents := map[string]PersonID{}
	for i, p := range b.persons {
		if p.ID == "" {
			c.fail(RuleMissing, "person #%d has no ID", i)
			continue
		}
		if _, dup := c.persons[p.ID]; dup {
			c.fail(RuleDuplicateID, "person ID %q is used twice", p.ID)
			continue
		}
		c.persons[p.ID] = int32(i)
		if !p.ResidentID.IsZero() {
			if other, dup := residents[p.ResidentID.Reveal()]; dup {
				c.fail(RuleDuplicateID, "people %q and %q have the same resident ID %v", other, p.ID, p.ResidentID)
			}
			residents[p.ResidentID.Reveal()] = p.ID
		}
	}
	person := func(what string, id PersonID) {
		if _, ok := c.persons[id]; !ok {
			c.fail(RuleDangling, "%s: person %q does not exist", what, id)
		}
	}
	ref := func(what string, r Ref) {
		switch r.Kind {
		case RefUnit:
			unit(what, UnitID(r.ID))
		case RefPerson:
			person(what, PersonID(r.ID))
		default:
			c.fail(RuleDangling, "%s: reference %q is neither a unit nor a person", what, r)
		}
	}
	ids := map[string]bool{}
	id := func(kind, id string) (string, bool) {
		what := kind + " " + fmt.Sprintf("%q", id)
		if id == "" {
			c.fail(RuleMissing, "a %s has no ID", kind)
			return what, false
		}
		if ids[kind+"\x00"+id] {
			c.fail(RuleDuplicateID, "%s ID %q is used twice", kind, id)
			return what, false
		}
		ids[kind+"\x00"+id] = true
		return what, true
	}
	for _, p := range b.posts {
		what, ok := id("post", string(p.ID))
		if !ok {
			continue
		}
		person(what, p.Person)
		unit(what, p.Unit)
		optUnit(what+" from", p.From)
		if p.Role == "" {
			c.fail(RuleMissing, "%s has no role", what)
		}
		dates(what, p.Start, p.End)
	}
	for _, s := range b.secondments {
		what, ok := id("secondment", s.ID)
		if !ok {
			continue
		}
		ref(what+" subject", s.Subject)
		unit(what+" home", s.Home)
		unit(what+" serving", s.Serving)
		optUnit(what+" party relations", s.PartyRelations)
		optUnit(what+" attendance", s.Attendance)
		optUnit(what+" appraisal", s.Appraisal)
		dates(what, s.Start, s.End)
	}
	for _, p := range b.pairings {
		what, ok := id("pairing", p.ID)
		if !ok {
			continue
		}
		unit(what+" department", p.Department)
		unit(what+" community", p.Community)
		dates(what, p.Start, p.End)
	}
	for _, a := range b.assignments {
		what, ok := id("assignment", a.ID)
		if !ok {
			continue
		}
		person(what+" leader", a.Leader)
		unit(what, a.Unit)
		if a.Type != AssignArea && a.Type != AssignSector {
			c.fail(RuleMissing, "%s: type must be %q or %q, got %q", what, AssignArea, AssignSector, a.Type)
		}
		dates(what, a.Start, a.End)
	}
	for _, g := range b.grants {
		what, ok := id("grant", g.ID)
		if !ok {
			continue
		}
		c.grant(what, g, ref)
		dates(what, g.Start, g.End)
	}
}

func (c *checker) grant(what string, g Grant, ref func(string, Ref)) {
	if g.Right == "" {
		c.fail(RuleGrant, "%s names no right", what)
	}
	ref(what+" holder", g.Holder)
	scope := func(field string, s Scope) {
		if s != ScopeSubtree && s != ScopeSelf {
			c.fail(RuleGrant, "%s: %s must be %q or empty, got %q", what, field, ScopeSelf, s)
		}
	}
	scope("holder_scope", g.HolderScope)
	scope("subject_scope", g.SubjectScope)
	level := func(field string, l Level) {
		if _, ok := c.levelIdx[l]; l != "" && !ok {
			c.fail(RuleGrant, "%s: %s %q is not a level of the schema", what, field, l)
		}
	}
	kind := func(field string, k Kind) {
		if _, ok := c.kindIdx[k]; k != "" && !ok {
			c.fail(RuleGrant, "%s: %s %q is not a kind of the schema", what, field, k)
		}
	}
	level("holder_level", g.HolderLevel)
	level("subject_level", g.SubjectLevel)
	kind("holder_kind", g.HolderKind)
	kind("subject_kind", g.SubjectKind)
	if g.Holder.Kind == RefPerson && (g.HolderScope != "" || g.HolderLevel != "" || g.HolderKind != "" || len(g.HolderRoles) > 0) {
		c.fail(RuleGrant, "%s: a grant held by a person cannot narrow its holder by scope, level, kind or role", what)
	}
	switch g.Relation {
	case "":
		if g.Subject.IsZero() {
			c.fail(RuleGrant, "%s names neither a subject nor a relation", what)
		} else {
			ref(what+" subject", g.Subject)
		}
	case RelationWithin, RelationSeconded, RelationAppraises, RelationPaired:
		if !g.Subject.IsZero() || g.SubjectScope != "" {
			c.fail(RuleGrant, "%s names both a subject and relation %q", what, g.Relation)
		}
		if g.Holder.Kind == RefPerson {
			c.fail(RuleGrant, "%s: relation %q needs a unit holder", what, g.Relation)
		}
	default:
		c.fail(RuleGrant, "%s: unknown relation %q", what, g.Relation)
	}
	if g.Subject.Kind == RefPerson && (g.SubjectScope != "" || g.SubjectLevel != "" || g.SubjectKind != "") {
		c.fail(RuleGrant, "%s: a person subject cannot be narrowed by scope, level or kind", what)
	}
	for i, r := range g.HolderRoles {
		if r == "" {
			c.fail(RuleGrant, "%s: holder_roles[%d] is empty", what, i)
		}
	}
}
