package profile

// mediationSection maps "mediation" to [mediation.Policy]: the rooms' brand, committee
// rules, kinds, refusal grounds, time limits and return visits.
func mediationSection() section {
	return section{
		key:      "mediation",
		target:   func(p *Profile) any { return &p.Mediation },
		validate: func(p *Profile) error { return p.Mediation.Validate() },
	}
}
