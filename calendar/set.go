package calendar

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// ParentFunc returns the parent of a unit, and false for a root or an unknown unit.
// A Set used from several goroutines calls it from each, so it must then be safe for
// concurrent use (hierarchy.Tree is).
// Adapt a hierarchy tree with a one-line closure:
//
//	parent := func(id string) (string, bool) { p, ok := tree.Parent(hierarchy.UnitID(id)); return string(p), ok }
type ParentFunc func(id string) (parent string, ok bool)

// Set maps units of the organisation tree to their own calendars; a unit without one
// inherits the calendar of its nearest ancestor that has one, and the fallback above
// them all. It is immutable and safe for concurrent use. The zero value is not usable;
// use [NewSet].
type Set struct {
	fallback *Calendar
	units    map[string]*Calendar
}

// NewSet returns a set in which units[id] is the calendar of unit id and its
// descendants, and fallback (nil means [Default]) the calendar of every other unit.
// The map is copied; nil calendars in it are ignored.
func NewSet(fallback *Calendar, units map[string]*Calendar) *Set {
	if fallback == nil {
		fallback = Default()
	}
	s := &Set{fallback: fallback, units: make(map[string]*Calendar, len(units))}
	for id, c := range units {
		if c != nil {
			s.units[id] = c
		}
	}
	return s
}

// SetOptions configure a [Set] as data: the options of the fallback calendar (nil
// means [Default]) and of each unit that runs its own, keyed by unit ID. It is a plain
// value.
type SetOptions struct {
	Default *Options            `json:"default,omitempty" yaml:"default,omitempty"`
	Units   map[string]*Options `json:"units,omitempty" yaml:"units,omitempty"`
}

// NewSetFromOptions builds the calendars of o and returns their set. It reports every
// problem at once with its path ("units[3201040010].hours[0].end: ..."), wrapping
// [gridgov.ErrInvalid].
func NewSetFromOptions(o SetOptions) (*Set, error) {
	var errs []error
	var fallback *Calendar
	if o.Default != nil {
		c, err := New(o.Default)
		if err != nil {
			errs = append(errs, fmt.Errorf("default: %w", err))
		}
		fallback = c
	}
	units := make(map[string]*Calendar, len(o.Units))
	for _, id := range slices.Sorted(maps.Keys(o.Units)) {
		c, err := New(o.Units[id])
		if err != nil {
			errs = append(errs, fmt.Errorf("units[%s]: %w", id, err))
			continue
		}
		units[id] = c
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return NewSet(fallback, units), nil
}

// For returns the calendar of unit id: its own, else its nearest ancestor's (walking
// up through parent), else the fallback. A parent function that loops is cut off
// when the walk returns to a unit it has seen, and the fallback applies.
func (s *Set) For(id string, parent ParentFunc) *Calendar {
	if owner, ok := s.Owner(id, parent); ok {
		return s.units[owner]
	}
	return s.fallback
}

// Owner returns the unit whose calendar applies to unit id (id itself or an ancestor);
// ok is false when the fallback applies.
func (s *Set) Owner(id string, parent ParentFunc) (owner string, ok bool) {
	// Brent's cycle detection: no allocation, and a cyclic parent function still ends.
	tortoise, hare := id, id
	power, lam := 1, 1
	for {
		if _, ok := s.units[hare]; ok {
			return hare, true
		}
		if parent == nil {
			return "", false
		}
		p, ok := parent(hare)
		if !ok {
			return "", false
		}
		hare = p
		if hare == tortoise {
			return "", false
		}
		if power == lam {
			tortoise = hare
			power *= 2
			lam = 0
		}
		lam++
	}
}

// Fallback returns the calendar of units that neither have nor inherit their own.
func (s *Set) Fallback() *Calendar { return s.fallback }

// Units returns the IDs of the units that have their own calendar, sorted.
func (s *Set) Units() []string { return slices.Sorted(maps.Keys(s.units)) }
