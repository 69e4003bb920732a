package evaluation

import (
	"fmt"
	"slices"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Project is one livelihood project (民生项目) led by a first secretary (第一书记).
type Project struct {
	ID        string             `json:"id"`
	Leader    hierarchy.PersonID `json:"leader"`
	Community hierarchy.UnitID   `json:"community"`
	Year      int                `json:"year"`
	Completed bool               `json:"completed"`
}

// FlagFewProjects marks a first secretary leading fewer projects than the policy asks.
const FlagFewProjects = "projects.below-minimum"

// AddProjects sets each first secretary's project input for year: projects completed
// over the larger of those led and the policy's minimum, so that leading too few
// cannot score full marks, and completion is what counts. A secretary leading fewer
// than the minimum is flagged. leaders lists every first secretary to assess: one
// with no project reads 0 of the minimum.
func (in *Inputs) AddProjects(projects []Project, leaders []hierarchy.PersonID, year, perYear int) {
	type tally struct{ led, done int64 }
	t := map[hierarchy.PersonID]*tally{}
	for _, l := range leaders {
		t[l] = &tally{}
	}
	for _, p := range projects {
		if p.Year != year || t[p.Leader] == nil {
			continue
		}
		t[p.Leader].led++
		if p.Completed {
			t[p.Leader].done++
		}
	}
	for _, l := range leaders {
		x := t[l]
		v := Value{Ratio: Ratio{Num: x.done, Den: max(x.led, int64(perYear))}, Sample: x.led,
			Note: fmt.Sprintf("%d of %d projects completed in %d (minimum %d)", x.done, x.led, year, perYear)}
		if x.led < int64(perYear) {
			v.Flags = []string{FlagFewProjects}
		}
		in.Set(hierarchy.PersonRef(l), Source{Kind: SourceProjects}, v)
	}
}

// AttendanceRecord is one day a cadre spent in a community (下沉).
type AttendanceRecord struct {
	Person    hierarchy.PersonID `json:"person"`
	Community hierarchy.UnitID   `json:"community"`
	Day       time.Time          `json:"day"`
}

// Compliance is one cadre's (or department's) sunk-down compliance: the windows of
// the rule in which they reached the minimum, over the windows of the period.
type Compliance struct {
	Subject hierarchy.Ref `json:"subject"`
	Windows Ratio         `json:"windows"`
	// Missed lists the starts of the windows short of the minimum.
	Missed []time.Time `json:"missed,omitempty"`
}

// Attendance measures sunk-down compliance over period p under rule r: for each
// cadre, the windows of r.WindowDays days counted from p.From (a last, shorter window
// counts too) in which they spent at least r.MinDays distinct days in a community; and
// for each department, the sum over its cadres. cadres maps each cadre to their
// department. A record naming an unknown cadre or a day outside the period is an
// error naming it.
func (r AttendanceRule) Attendance(p Period, cadres map[hierarchy.PersonID]hierarchy.UnitID, records []AttendanceRecord) ([]Compliance, []Compliance, error) {
	if r.WindowDays <= 0 || r.MinDays <= 0 {
		return nil, nil, &gridgov.Error{Op: "evaluation.Attendance", Kind: gridgov.ErrInvalid, Rule: RulePolicy, Msg: "attendance rule is not set"}
	}
	windowOf := func(t time.Time) int {
		return int(t.Sub(p.From) / (time.Duration(r.WindowDays) * 24 * time.Hour))
	}
	n := windowOf(p.To.Add(-time.Nanosecond)) + 1
	days := map[hierarchy.PersonID][]map[string]bool{}
	for i, rec := range records {
		if _, ok := cadres[rec.Person]; !ok {
			return nil, nil, &gridgov.Error{Op: "evaluation.Attendance", Kind: gridgov.ErrInvalid, Rule: RuleUnknown,
				Msg: fmt.Sprintf("records[%d]: %s is not a cadre to assess", i, rec.Person)}
		}
		if !p.Contains(rec.Day) {
			return nil, nil, &gridgov.Error{Op: "evaluation.Attendance", Kind: gridgov.ErrInvalid, Rule: "attendance.period",
				Msg: fmt.Sprintf("records[%d]: %s is outside %s", i, rec.Day.In(cst).Format(time.DateOnly), p.ID)}
		}
		if days[rec.Person] == nil {
			days[rec.Person] = make([]map[string]bool, n)
		}
		w := windowOf(rec.Day)
		if days[rec.Person][w] == nil {
			days[rec.Person][w] = map[string]bool{}
		}
		days[rec.Person][w][rec.Day.In(cst).Format(time.DateOnly)] = true
	}
	people := make([]hierarchy.PersonID, 0, len(cadres))
	for c := range cadres {
		people = append(people, c)
	}
	slices.Sort(people)
	var perCadre []Compliance
	depts := map[hierarchy.UnitID]*Compliance{}
	var deptOrder []hierarchy.UnitID
	for _, c := range people {
		x := Compliance{Subject: hierarchy.PersonRef(c), Windows: Ratio{Den: int64(n)}}
		for w := range n {
			if d := days[c]; d != nil && len(d[w]) >= r.MinDays {
				x.Windows.Num++
			} else {
				x.Missed = append(x.Missed, p.From.Add(time.Duration(w*r.WindowDays)*24*time.Hour))
			}
		}
		perCadre = append(perCadre, x)
		d := cadres[c]
		if depts[d] == nil {
			depts[d] = &Compliance{Subject: hierarchy.UnitRef(d)}
			deptOrder = append(deptOrder, d)
		}
		depts[d].Windows.Num += x.Windows.Num
		depts[d].Windows.Den += x.Windows.Den
	}
	slices.Sort(deptOrder)
	perDept := make([]Compliance, 0, len(deptOrder))
	for _, d := range deptOrder {
		perDept = append(perDept, *depts[d])
	}
	return perCadre, perDept, nil
}

// AddAttendance sets the attendance input of each compliance's subject.
func (in *Inputs) AddAttendance(cs []Compliance) {
	for _, c := range cs {
		in.Set(c.Subject, Source{Kind: SourceAttendance}, Value{Ratio: c.Windows, Sample: c.Windows.Den,
			Note: fmt.Sprintf("%d of %d windows with the minimum days in a community", c.Windows.Num, c.Windows.Den)})
	}
}
