package profile

// evaluationSection maps "evaluation" to [evaluation.Policy]: the rating scales and
// rules (反向评价), the scorecards with their indicators, normalisers and grade bands,
// surveys, first-secretary projects, attendance and workload control.
func evaluationSection() section {
	return section{
		key:      "evaluation",
		target:   func(p *Profile) any { return &p.Evaluation },
		validate: func(p *Profile) error { return p.Evaluation.Validate() },
	}
}
