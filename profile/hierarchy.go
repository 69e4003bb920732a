package profile

import (
	"io"

	"github.com/gridgov/gridgov/hierarchy"
)

// hierarchySection maps "hierarchy" to [hierarchy.Schema]: the territorial levels,
// which level sits under which, and where other kinds of unit attach.
func hierarchySection() section {
	return section{
		key:      "hierarchy",
		target:   func(p *Profile) any { return &p.Hierarchy },
		validate: func(p *Profile) error { return p.Hierarchy.Validate() },
	}
}

// BuildTree builds the organisation tree of a statistical division register (the CSV
// of [hierarchy.LoadDivisionsCSV]) under the profile's level schema, with the party
// organisation and the standard offices of every unit, and the profile's grants. A
// finding about a grant is an [*Error] at the grant's line (within an [ErrorList]).
func (p *Profile) BuildTree(register io.Reader) (*hierarchy.Tree, error) {
	b, err := hierarchy.LoadDivisionsCSV(register, p.Hierarchy)
	if err != nil {
		return nil, err
	}
	b.AddPartyOrgs()
	b.AddOffices()
	for _, g := range p.Grants {
		b.AddGrant(g)
	}
	t, err := b.Build()
	return t, p.grantErrors(err)
}
