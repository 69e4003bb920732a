package hierarchy

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"time"

	"github.com/gridgov/gridgov"
)

// ChangeSet is one decision changing the organisation: streets merged or renumbered, a
// grid split, posts filled, secondments started, grants ended. It takes effect at
// Effective and produces a new version of the tree. Items in the put lists replace the
// item with the same ID or are added; items named in the remove lists must exist and
// are removed. A change set is a plain value with JSON and YAML tags.
//
// Dated items (posts, secondments, grants…) usually change by an upsert that sets their
// End rather than by removal, so that earlier questions keep their answers.
//
// ChangeSet is a plain value, safe for concurrent use.
type ChangeSet struct {
	ID        string    `json:"id" yaml:"id"`
	Effective time.Time `json:"effective" yaml:"effective"`
	Note      string    `json:"note,omitempty" yaml:"note,omitempty"`

	Units             []Unit       `json:"units,omitempty" yaml:"units,omitempty"`
	RemoveUnits       []UnitID     `json:"remove_units,omitempty" yaml:"remove_units,omitempty"`
	Persons           []Person     `json:"persons,omitempty" yaml:"persons,omitempty"`
	RemovePersons     []PersonID   `json:"remove_persons,omitempty" yaml:"remove_persons,omitempty"`
	Posts             []Post       `json:"posts,omitempty" yaml:"posts,omitempty"`
	RemovePosts       []PostID     `json:"remove_posts,omitempty" yaml:"remove_posts,omitempty"`
	Secondments       []Secondment `json:"secondments,omitempty" yaml:"secondments,omitempty"`
	RemoveSecondments []string     `json:"remove_secondments,omitempty" yaml:"remove_secondments,omitempty"`
	Pairings          []Pairing    `json:"pairings,omitempty" yaml:"pairings,omitempty"`
	RemovePairings    []string     `json:"remove_pairings,omitempty" yaml:"remove_pairings,omitempty"`
	Assignments       []Assignment `json:"assignments,omitempty" yaml:"assignments,omitempty"`
	RemoveAssignments []string     `json:"remove_assignments,omitempty" yaml:"remove_assignments,omitempty"`
	Grants            []Grant      `json:"grants,omitempty" yaml:"grants,omitempty"`
	RemoveGrants      []string     `json:"remove_grants,omitempty" yaml:"remove_grants,omitempty"`
}

// ChangeSet returns a change set that builds t from nothing, to start a [History] from a
// tree made with a Builder.
func (t *Tree) ChangeSet(id string, effective time.Time) ChangeSet {
	return ChangeSet{
		ID: id, Effective: effective,
		Units:       slices.Clone(t.units),
		Persons:     slices.Clone(t.persons),
		Posts:       slices.Clone(t.posts),
		Secondments: slices.Clone(t.secondments),
		Pairings:    slices.Clone(t.pairings),
		Assignments: slices.Clone(t.assignments),
		Grants:      cloneGrants(t.grants),
	}
}

// Apply returns the tree that results from applying cs to t, checked like a Builder's:
// every problem is reported at once and t is unchanged. The new tree's Version and
// Effective are those of t; a [History] numbers versions.
func (t *Tree) Apply(cs ChangeSet) (*Tree, error) { return apply(t.schema, t, cs) }

func apply(s Schema, base *Tree, cs ChangeSet) (*Tree, error) {
	b := NewBuilder(s)
	if base != nil {
		b = NewBuilderFrom(base)
	}
	var errs []error
	b.units = merge(b.units, cs.Units, cs.RemoveUnits, func(u Unit) UnitID { return u.ID }, "unit", &errs)
	b.persons = merge(b.persons, cs.Persons, cs.RemovePersons, func(p Person) PersonID { return p.ID }, "person", &errs)
	b.posts = merge(b.posts, cs.Posts, cs.RemovePosts, func(p Post) PostID { return p.ID }, "post", &errs)
	b.secondments = merge(b.secondments, cs.Secondments, cs.RemoveSecondments, func(x Secondment) string { return x.ID }, "secondment", &errs)
	b.pairings = merge(b.pairings, cs.Pairings, cs.RemovePairings, func(x Pairing) string { return x.ID }, "pairing", &errs)
	b.assignments = merge(b.assignments, cs.Assignments, cs.RemoveAssignments, func(x Assignment) string { return x.ID }, "assignment", &errs)
	b.grants = merge(b.grants, cloneGrants(cs.Grants), cs.RemoveGrants, func(x Grant) string { return x.ID }, "grant", &errs)
	t, err := b.Build()
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("hierarchy: change set %q: %w", cs.ID, errors.Join(errs...))
	}
	return t, nil
}

// merge removes the items named in removes (each must exist) and then replaces or
// appends puts, keeping the order of the items that stay.
func merge[T any, K comparable](list, puts []T, removes []K, key func(T) K, what string, errs *[]error) []T {
	if len(puts) == 0 && len(removes) == 0 {
		return list
	}
	pos := make(map[K]int, len(list))
	for i, x := range list {
		pos[key(x)] = i
	}
	gone := make(map[int]bool, len(removes))
	for _, k := range removes {
		i, ok := pos[k]
		if !ok || gone[i] {
			*errs = append(*errs, invalid("Apply", RuleDangling, "cannot remove %s %v: it does not exist", what, k))
			continue
		}
		gone[i] = true
	}
	out := make([]T, 0, len(list)+len(puts))
	for i, x := range list {
		if !gone[i] {
			out = append(out, x)
		}
	}
	pos = make(map[K]int, len(out))
	for i, x := range out {
		pos[key(x)] = i
	}
	for _, x := range puts {
		if i, ok := pos[key(x)]; ok {
			out[i] = x
			continue
		}
		pos[key(x)] = len(out)
		out = append(out, x)
	}
	return out
}

// History is the sequence of versions of one organisation tree: each [ChangeSet], in the
// order of its effective time, produces the next version. AsOf answers with the tree in
// force at any past or future time, so a decision taken in March is re-checked against
// March's tree.
//
// Every version is a full [Tree] sharing nothing with the others, which suits a district
// (thousands of units, tens of versions a year); a national register with many versions
// would rather keep a few snapshots and replay change sets.
//
// A History is immutable and safe for concurrent use; Apply returns a new one. The zero
// value is not usable; use [NewHistory].
type History struct {
	schema Schema
	sets   []ChangeSet
	trees  []*Tree
}

// NewHistory returns an empty history of trees of schema s. Its first change set must
// build the whole tree; [Tree.ChangeSet] turns a built tree into one.
func NewHistory(s Schema) *History { return &History{schema: s} }

// Schema returns the history's schema.
func (h *History) Schema() Schema { return h.schema }

// Len returns the number of versions.
func (h *History) Len() int { return len(h.trees) }

// Apply returns the history with cs applied to the latest version. It refuses a change
// set without ID or effective time, with an ID already applied, or effective before the
// latest version (rule [RuleBackDated], kind [gridgov.ErrPrecondition]: a correction is a
// new change set, so that decisions already taken on the later versions stay
// explainable), and every problem the resulting tree would have. h is unchanged.
func (h *History) Apply(cs ChangeSet) (*History, error) {
	switch {
	case cs.ID == "":
		return nil, invalid("History.Apply", RuleMissing, "change set has no ID")
	case cs.Effective.IsZero():
		return nil, invalid("History.Apply", RuleMissing, "change set %q has no effective time", cs.ID)
	case slices.ContainsFunc(h.sets, func(x ChangeSet) bool { return x.ID == cs.ID }):
		return nil, invalid("History.Apply", RuleDuplicateID, "change set %q is already applied", cs.ID)
	}
	var base *Tree
	if n := len(h.trees); n > 0 {
		base = h.trees[n-1]
		if cs.Effective.Before(base.effective) {
			return nil, &gridgov.Error{Op: "hierarchy.History.Apply", Kind: gridgov.ErrPrecondition, Rule: RuleBackDated,
				Msg: fmt.Sprintf("change set %q is effective %s, before version %d effective %s", cs.ID,
					cs.Effective.Format(time.RFC3339), n, base.effective.Format(time.RFC3339))}
		}
	}
	t, err := apply(h.schema, base, cs)
	if err != nil {
		return nil, err
	}
	t.version = len(h.trees) + 1
	t.effective = cs.Effective
	return &History{
		schema: h.schema,
		sets:   append(slices.Clip(h.sets), cs),
		trees:  append(slices.Clip(h.trees), t),
	}, nil
}

// Latest returns the last version, whatever its effective time.
func (h *History) Latest() (*Tree, bool) {
	if len(h.trees) == 0 {
		return nil, false
	}
	return h.trees[len(h.trees)-1], true
}

// Version returns version n, counted from 1.
func (h *History) Version(n int) (*Tree, bool) {
	if n < 1 || n > len(h.trees) {
		return nil, false
	}
	return h.trees[n-1], true
}

// AsOf returns the version in force at t: the last one effective at or before t. ok is
// false before the first version.
func (h *History) AsOf(t time.Time) (*Tree, bool) {
	i := sort.Search(len(h.trees), func(i int) bool { return h.trees[i].effective.After(t) })
	if i == 0 {
		return nil, false
	}
	return h.trees[i-1], true
}

// ChangeSets returns the applied change sets in order; the i-th produced version i+1.
func (h *History) ChangeSets() []ChangeSet { return slices.Clone(h.sets) }

// DeltaOp says how an item differs between two versions.
type DeltaOp string

// Delta operations.
const (
	Added   DeltaOp = "added"
	Removed DeltaOp = "removed"
	Changed DeltaOp = "changed"
)

// Delta is one item that differs between two versions: Before is the zero value for an
// added item, After for a removed one.
//
// Delta is a plain value, safe for concurrent use.
type Delta[T any] struct {
	Op     DeltaOp `json:"op"`
	Before T       `json:"before,omitzero"`
	After  T       `json:"after,omitzero"`
}

// TreeDiff lists what differs between two trees, item by item, matched by ID.
//
// TreeDiff is a plain value, safe for concurrent use.
type TreeDiff struct {
	Units       []Delta[Unit]       `json:"units,omitempty"`
	Persons     []Delta[Person]     `json:"persons,omitempty"`
	Posts       []Delta[Post]       `json:"posts,omitempty"`
	Secondments []Delta[Secondment] `json:"secondments,omitempty"`
	Pairings    []Delta[Pairing]    `json:"pairings,omitempty"`
	Assignments []Delta[Assignment] `json:"assignments,omitempty"`
	Grants      []Delta[Grant]      `json:"grants,omitempty"`
}

// IsEmpty reports whether the two trees had the same content.
func (d TreeDiff) IsEmpty() bool {
	return len(d.Units)+len(d.Persons)+len(d.Posts)+len(d.Secondments)+len(d.Pairings)+len(d.Assignments)+len(d.Grants) == 0
}

// Diff returns what changed from tree a to tree b: removed and changed items in a's
// order, then added items in b's order. A nil tree counts as empty. Units are compared in
// preorder, so a unit that moved shows as changed (its Parent differs).
func Diff(a, b *Tree) TreeDiff {
	var ta, tb Tree
	if a != nil {
		ta = *a
	}
	if b != nil {
		tb = *b
	}
	return TreeDiff{
		Units:       diff(ta.units, tb.units, func(u Unit) UnitID { return u.ID }, func(x, y Unit) bool { return x == y }),
		Persons:     diff(ta.persons, tb.persons, func(p Person) PersonID { return p.ID }, func(x, y Person) bool { return x == y }),
		Posts:       diff(ta.posts, tb.posts, func(p Post) PostID { return p.ID }, samePost),
		Secondments: diff(ta.secondments, tb.secondments, func(s Secondment) string { return s.ID }, sameSecondment),
		Pairings:    diff(ta.pairings, tb.pairings, func(p Pairing) string { return p.ID }, samePairing),
		Assignments: diff(ta.assignments, tb.assignments, func(x Assignment) string { return x.ID }, sameAssignment),
		Grants:      diff(ta.grants, tb.grants, func(g Grant) string { return g.ID }, sameGrant),
	}
}

func diff[T any, K comparable](a, b []T, key func(T) K, same func(T, T) bool) []Delta[T] {
	inB := make(map[K]int, len(b))
	for i, x := range b {
		inB[key(x)] = i
	}
	inA := make(map[K]bool, len(a))
	var out []Delta[T]
	for _, x := range a {
		inA[key(x)] = true
		j, ok := inB[key(x)]
		switch {
		case !ok:
			out = append(out, Delta[T]{Op: Removed, Before: x})
		case !same(x, b[j]):
			out = append(out, Delta[T]{Op: Changed, Before: x, After: b[j]})
		}
	}
	for _, y := range b {
		if !inA[key(y)] {
			out = append(out, Delta[T]{Op: Added, After: y})
		}
	}
	return out
}

// The same* functions compare with time.Time.Equal, since == on times also compares
// locations and monotonic readings.

func sameSpan(s1, e1, s2, e2 time.Time) bool { return s1.Equal(s2) && e1.Equal(e2) }

func samePost(x, y Post) bool {
	ok := sameSpan(x.Start, x.End, y.Start, y.End)
	x.Start, x.End, y.Start, y.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return ok && x == y
}

func sameSecondment(x, y Secondment) bool {
	ok := sameSpan(x.Start, x.End, y.Start, y.End)
	x.Start, x.End, y.Start, y.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return ok && x == y
}

func samePairing(x, y Pairing) bool {
	ok := sameSpan(x.Start, x.End, y.Start, y.End)
	x.Start, x.End, y.Start, y.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return ok && x == y
}

func sameAssignment(x, y Assignment) bool {
	ok := sameSpan(x.Start, x.End, y.Start, y.End)
	x.Start, x.End, y.Start, y.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return ok && x == y
}

func sameGrant(x, y Grant) bool {
	ok := sameSpan(x.Start, x.End, y.Start, y.End) && slices.Equal(x.HolderRoles, y.HolderRoles)
	x.Start, x.End, y.Start, y.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	x.HolderRoles, y.HolderRoles = nil, nil
	return ok && reflect.DeepEqual(x, y)
}
