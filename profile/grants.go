package profile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// grantsSection maps "grants" to the rights sent down to units ([hierarchy.Grant],
// 赋权). A grant names units of a tree, so the hierarchy checks grants only when it
// builds one: Load checks that every grant has a unique ID and a right, and
// [Profile.BuildTree] places each finding of the builder about a grant at the grant's
// line.
func grantsSection() section {
	return section{
		key:      "grants",
		target:   func(p *Profile) any { return &p.Grants },
		validate: func(p *Profile) error { return validateGrants(p.Grants) },
	}
}

func validateGrants(gs []hierarchy.Grant) error {
	var errs []error
	seen := map[string]int{}
	for i, g := range gs {
		path := fmt.Sprintf("[%d]", i)
		switch j, dup := seen[g.ID]; {
		case g.ID == "":
			errs = append(errs, fmt.Errorf("%s.id: required", path))
		case dup:
			errs = append(errs, fmt.Errorf("%s.id: %q is used by grants[%d] too", path, g.ID, j))
		}
		seen[g.ID] = i
		if g.Right == "" {
			errs = append(errs, fmt.Errorf("%s.right: required", path))
		}
	}
	return errors.Join(errs...)
}

// grantErrors turns the builder's findings that name a grant (`grant "qinhuai/x": …`)
// into positioned errors at that grant; other findings pass through unchanged.
func (p *Profile) grantErrors(err error) error {
	if err == nil {
		return nil
	}
	byID := map[string]int{}
	for i, g := range p.Grants {
		byID[g.ID] = i
	}
	var out []error
	var list ErrorList
	for _, pr := range flatten(err) {
		msg := pr.Error()
		if g, ok := pr.(*gridgov.Error); ok {
			msg = g.Msg
		}
		placed := false
		if rest, ok := strings.CutPrefix(msg, "grant "); ok {
			if q, err := strconv.QuotedPrefix(rest); err == nil {
				id, _ := strconv.Unquote(q)
				if i, ok := byID[id]; ok {
					path := fmt.Sprintf("grants[%d]", i)
					if v, found := p.index[path]; found {
						list = append(list, &Error{File: v.file, Line: v.line, Col: v.col, Path: path,
							Msg: strings.TrimLeft(rest[len(q):], ": "), Rule: gridgov.RuleOf(pr),
							Excerpt: excerpt(p.srcs[v.file], v.line, v.col)})
						placed = true
					}
				}
			}
		}
		if !placed {
			out = append(out, pr)
		}
	}
	if len(list) > 0 {
		list.sort()
		out = append(out, list)
	}
	return errors.Join(out...)
}

// flatten splits a joined error into its findings, keeping each [*gridgov.Error] whole.
func flatten(err error) []error {
	if _, leaf := err.(*gridgov.Error); !leaf {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			var out []error
			for _, e := range j.Unwrap() {
				out = append(out, flatten(e)...)
			}
			return out
		}
	}
	return []error{err}
}
