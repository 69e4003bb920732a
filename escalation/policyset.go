package escalation

import (
	"fmt"

	"github.com/gridgov/gridgov"
)

// PolicySet is a registry of policy versions: the current one, under which new cases
// are filed, and the earlier ones, under which older cases are still decided. It is
// immutable and safe for concurrent use; [PolicySet.With] returns a new set.
type PolicySet struct {
	current string
	order   []string
	byVer   map[string]*Policy
}

// NewPolicySet validates each policy and returns a set holding them; the last is
// current. Versions must be unique. Every problem is reported, wrapping
// [gridgov.ErrInvalid].
func NewPolicySet(policies ...Policy) (*PolicySet, error) {
	s := &PolicySet{byVer: make(map[string]*Policy, len(policies))}
	for _, p := range policies {
		if err := s.add(p); err != nil {
			return nil, err
		}
	}
	if len(policies) == 0 {
		return nil, &gridgov.Error{Op: "escalation.NewPolicySet", Kind: gridgov.ErrInvalid, Rule: "policy.version", Msg: "no policy"}
	}
	return s, nil
}

func (s *PolicySet) add(p Policy) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("escalation: policy %q: %w", p.Version, err)
	}
	if _, dup := s.byVer[p.Version]; dup {
		return &gridgov.Error{Op: "escalation.PolicySet", Kind: gridgov.ErrInvalid, Rule: "policy.version",
			Msg: fmt.Sprintf("version %q is already registered", p.Version)}
	}
	pp := p
	s.byVer[p.Version] = &pp
	s.order = append(s.order, p.Version)
	s.current = p.Version
	return nil
}

// With returns a new set with p added as the current version. s is unchanged.
func (s *PolicySet) With(p Policy) (*PolicySet, error) {
	n := &PolicySet{current: s.current, order: append([]string(nil), s.order...), byVer: make(map[string]*Policy, len(s.byVer)+1)}
	for k, v := range s.byVer {
		n.byVer[k] = v
	}
	if err := n.add(p); err != nil {
		return nil, err
	}
	return n, nil
}

// Current returns the current policy. Callers must not modify it.
func (s *PolicySet) Current() *Policy { return s.byVer[s.current] }

// Get returns the policy of version v. Callers must not modify it.
func (s *PolicySet) Get(v string) (*Policy, bool) {
	p, ok := s.byVer[v]
	return p, ok
}

// Versions returns the registered versions, oldest first.
func (s *PolicySet) Versions() []string { return append([]string(nil), s.order...) }

// For returns the policy case c is decided under: the version it was filed under, or
// the current one for a case not yet reported. A version the set does not hold is
// [gridgov.ErrNotFound] with rule "policy.version".
func (s *PolicySet) For(c Case) (*Policy, error) {
	if c.PolicyVersion == "" {
		return s.Current(), nil
	}
	p, ok := s.byVer[c.PolicyVersion]
	if !ok {
		return nil, &gridgov.Error{Op: "escalation.PolicySet", Kind: gridgov.ErrNotFound, Rule: "policy.version",
			Msg: fmt.Sprintf("case %s was filed under version %q, which is not registered", c.ID, c.PolicyVersion)}
	}
	return p, nil
}
