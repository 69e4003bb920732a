package sim

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText writes the report as plain text: the simulated figures beside the
// published ones, the funnel, the reward distribution, the rankings and the pay bill.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("gridgov · a year of 秦淮区 (Qinhuai district, Nanjing) simulated through the services\n")
	p("seed %d · year %d · %d district(s) · profile %s · period %s to %s", r.Seed, r.Year, r.Scale, r.Profile, r.From, r.To)
	if !r.Complete {
		p(" (part of the year)")
	}
	p("\n")
	for _, d := range r.Districts {
		p("district %s: %d units in the tree, %d streets, %d communities, %d grids (%d exclusive), %d police beats,\n"+
			"  %d mediation rooms, %d full-time grid workers, %d first secretaries; grid validation: %d finding(s)\n",
			d.Code, d.Units, d.Streets, d.Communities, d.Grids, d.Exclusive, d.Beats, d.Rooms, d.GridWorkers,
			d.FirstSecretaries, d.Findings)
	}
	p("\nThe published figures add up the years since the reform (%s);\n"+
		"the simulated year is sized to them, so each simulated figure is one year's.\n\n", Published)
	p("%s %s %s\n", pad("figure", 52), pad("simulated", 24), "published")
	for _, f := range r.Figures {
		p("%s %s %s\n", pad(f.Name, 52), pad(f.Simulated, 24), f.Published)
	}
	p("\nescalation funnel of the grid events:\n")
	for _, s := range r.Funnel {
		p("  %s %d\n", pad(s.Name, 30), s.Count)
	}
	p("\nreport rewards per grid worker (police and epidemic reports):\n")
	for _, bk := range r.Rewards {
		p("  %s %d workers\n", pad(bk.Label, 14), bk.Workers)
	}
	p("\nmonthly grid events by major class:\n")
	cats := monthlyCategories(r.Monthly)
	p("  %s", pad("month", 8))
	for _, c := range cats {
		p(" %5s", c)
	}
	p("\n")
	for _, m := range r.Monthly {
		p("  %s", pad(m.Month, 8))
		for _, c := range cats {
			p(" %5d", m.ByCategory[c])
		}
		p("\n")
	}
	if len(r.Streets) > 0 {
		p("\nstreet ranking (%s):\n", rankingBasis(r))
		for _, s := range r.Streets {
			p("  %2d. %s %s %s\n", s.Place, pad(s.Name, 14), pad(s.Score, 22), s.Grade)
		}
	}
	if len(r.Departments) > 0 {
		p("\ndepartment ranking (区职能部门考核), top and bottom five:\n")
		for i, s := range r.Departments {
			if i < 5 || i >= len(r.Departments)-5 {
				p("  %2d. %s %s %s\n", s.Place, pad(s.Name, 30), pad(s.Score, 10), s.Grade)
			} else if i == 5 {
				p("  …\n")
			}
		}
	}
	if r.Pay != nil {
		p("\npay bill (三岗十八级) of %d workers on the scale:\n  %s: %s, mean grade %.2f\n  %s, on this year's grades: %s, mean grade %.2f (%d workers a grade up), of which the scorecards' bonuses %s\n",
			r.Pay.Workers, r.Pay.Month, r.Pay.MonthTotal, r.Pay.MeanGrade, r.Pay.NextMonth, r.Pay.NextTotal,
			r.Pay.NextMeanGrade, r.Pay.GradesUp, r.Pay.NextBonus)
		for _, g := range sortedKeys(r.Pay.GradeCounts) {
			p("  grade %s: %d\n", g, r.Pay.GradeCounts[g])
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func rankingBasis(r *Report) string {
	if len(r.Streets) > 0 && r.Streets[0].Grade != "" {
		return "街道综合考核 scorecard"
	}
	return "on-time closure of the street's cases"
}

// monthlyCategories are the categories of the monthly counts, sorted.
func monthlyCategories(ms []Month) []string {
	set := map[string]int{}
	for _, m := range ms {
		for c := range m.ByCategory {
			set[c]++
		}
	}
	return sortedKeys(set)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// pad pads s with spaces to w columns as a terminal shows them: Chinese characters
// take two columns.
func pad(s string, w int) string {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x2e80 && r <= 0x9fff || r >= 0xf900 && r <= 0xfaff || r >= 0xff00 && r <= 0xff60 {
			n++
		}
	}
	return s + strings.Repeat(" ", max(0, w-n))
}
