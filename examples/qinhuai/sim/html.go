package sim

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// WriteHTML writes the report as one self-contained HTML page: the figures' table and
// inline SVG charts of the monthly events by category, the escalation funnel, the
// reward distribution and the street ranking. It loads nothing from anywhere.
func (r *Report) WriteHTML(w io.Writer) error {
	var b strings.Builder
	e := html.EscapeString
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A year of Qinhuai, seed %d</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font-size:11px}</style></head><body>
`, r.Seed)
	p("<h1>A year of 秦淮区 (Qinhuai, Nanjing) simulated through the services</h1>\n")
	p("<p>Seed %d · year %d · %d district(s) · profile %s · %s to %s%s.</p>\n", r.Seed, r.Year, r.Scale, e(r.Profile),
		e(r.From), e(r.To), map[bool]string{true: "", false: " (part of the year)"}[r.Complete])
	p("<p>The published column is the %s: it adds up several years; the simulated year is sized to it.</p>\n", e(Published))
	p("<table><tr><th>figure</th><th>simulated</th><th>published</th><th>computed by</th></tr>\n")
	for _, f := range r.Figures {
		p("<tr><td>%s</td><td class=n>%s</td><td class=n>%s</td><td>%s</td></tr>\n", e(f.Name), e(f.Simulated),
			e(f.Published), e(f.Source))
	}
	p("</table>\n")

	p("<h2>Grid events per month, by major class</h2>\n")
	cats := monthlyCategories(r.Monthly)
	var series [][]float64
	for _, m := range r.Monthly {
		var row []float64
		for _, c := range cats {
			row = append(row, float64(m.ByCategory[c]))
		}
		series = append(series, row)
	}
	var months []string
	for _, m := range r.Monthly {
		months = append(months, m.Month[5:])
	}
	stacked(&b, months, cats, series)

	p("<h2>Escalation funnel</h2>\n")
	var labels []string
	var values []float64
	for _, s := range r.Funnel {
		labels, values = append(labels, s.Name), append(values, float64(s.Count))
	}
	bars(&b, labels, values, "#4a7fb5")

	p("<h2>Report rewards per grid worker</h2>\n")
	labels, values = nil, nil
	for _, k := range r.Rewards {
		labels, values = append(labels, k.Label), append(values, float64(k.Workers))
	}
	bars(&b, labels, values, "#b5834a")

	if len(r.Streets) > 0 {
		p("<h2>Street ranking (%s)</h2>\n", e(rankingBasis(r)))
		labels, values = nil, nil
		for _, s := range r.Streets {
			labels, values = append(labels, fmt.Sprintf("%d. %s %s", s.Place, s.Name, s.Grade)), append(values, s.Value)
		}
		bars(&b, labels, values, "#5a9a5a")
	}
	if len(r.Departments) > 0 {
		p("<h2>Department ranking</h2><table><tr><th>place</th><th>department</th><th>score</th><th>grade</th></tr>\n")
		for _, d := range r.Departments {
			p("<tr><td class=n>%d</td><td>%s</td><td class=n>%s</td><td>%s</td></tr>\n", d.Place, e(d.Name), e(d.Score), e(d.Grade))
		}
		p("</table>\n")
	}
	if r.Pay != nil {
		p("<h2>Pay bill (三岗十八级)</h2><p>%d workers on the scale: %s %s (mean grade %.2f); %s on this year's grades %s "+
			"(mean grade %.2f, %d workers a grade up), of which the scorecards' bonuses %s.</p>\n",
			r.Pay.Workers, e(r.Pay.Month), e(r.Pay.MonthTotal), r.Pay.MeanGrade, e(r.Pay.NextMonth), e(r.Pay.NextTotal),
			r.Pay.NextMeanGrade, r.Pay.GradesUp, e(r.Pay.NextBonus))
	}
	p("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// bars draws a horizontal bar chart.
func bars(b *strings.Builder, labels []string, values []float64, colour string) {
	const left, width, row = 260, 420, 20
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	if top == 0 {
		top = 1
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">`, left+width+80, row*len(labels)+10)
	for i, l := range labels {
		y := i*row + 4
		wv := values[i] / top * width
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, left-6, y+13, html.EscapeString(l))
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, left, y, wv, row-6, colour)
		fmt.Fprintf(b, `<text x="%.1f" y="%d">%s</text>`, float64(left)+wv+4, y+13, trimFloat(values[i]))
	}
	b.WriteString("</svg>\n")
}

// stacked draws a stacked column chart: one column per x, one colour per series.
func stacked(b *strings.Builder, xs, names []string, rows [][]float64) {
	const h, col, left = 220, 40, 50
	palette := []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
		"#9c755f", "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8"}
	top := 0.0
	for _, r := range rows {
		s := 0.0
		for _, v := range r {
			s += v
		}
		top = max(top, s)
	}
	if top == 0 {
		top = 1
	}
	width := left + col*len(xs) + 120
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">`, width, h+40)
	fmt.Fprintf(b, `<text x="%d" y="12" text-anchor="end">%s</text>`, left-4, trimFloat(top))
	for i, r := range rows {
		y := float64(h + 10)
		for k, v := range r {
			hv := v / top * h
			y -= hv
			fmt.Fprintf(b, `<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`,
				left+i*col, y, col-6, hv, palette[k%len(palette)], html.EscapeString(xs[i]), html.EscapeString(names[k]), trimFloat(v))
		}
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`, left+i*col+4, h+26, html.EscapeString(xs[i]))
	}
	for k, n := range names {
		y := 14 + k*14
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`,
			left+col*len(xs)+10, y, palette[k%len(palette)], left+col*len(xs)+24, y+9, html.EscapeString(n))
	}
	b.WriteString("</svg>\n")
}

func trimFloat(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}
