package profile

// gridSection maps "grid" to [grid.Policy]: the grid-code format, the household band,
// worker load, nearest-grid distance, gap search and address normalisation.
func gridSection() section {
	return section{
		key:      "grid",
		target:   func(p *Profile) any { return &p.Grid },
		validate: func(p *Profile) error { return p.Grid.Validate() },
	}
}
