package profile

// calendarSection maps "calendar" to [calendar.Options]: the time zone, office hours,
// and the days that add to or correct the embedded State Council schedule (extra
// years, local overrides).
func calendarSection() section {
	return section{
		key:      "calendar",
		target:   func(p *Profile) any { return &p.Calendar },
		validate: func(p *Profile) error { return p.Calendar.Validate() },
	}
}
