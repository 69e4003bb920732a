package policytest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/profile"
)

// Coverage says which rules of the profiles the scenarios exercised. Role rules are
// the (action, role) pairs of the escalation and rewards policies' roles tables
// ("qinhuai-default roles.dispatch=dispatcher", "qinhuai rewards.roles.approve=director"),
// deadline rows the
// rows of its deadlines table (matched as [escalation.Policy.LimitFor] matches them);
// together they are the denominator of Percent. Refusals, pay lines and scheduler
// actions hit are listed beside, without a denominator: a profile does not list the
// rules that may refuse. Coverage is a plain value, safe for concurrent reads.
type Coverage struct {
	Roles     RuleSet  `json:"roles"`
	Deadlines RuleSet  `json:"deadlines"`
	Refusals  []string `json:"refusals"`
	Pay       []string `json:"pay,omitempty"`
	Due       []string `json:"due,omitempty"`
	Ratings   []string `json:"ratings,omitempty"` // rating rules of the evaluation policy a rate step used
	Grids     []string `json:"grids,omitempty"`   // grids of the given layer a report's point was located to
	Percent   float64  `json:"percent"`           // of role rules and deadline rows together, 0–100
}

// RuleSet is the rules of one table that were used and those that were not.
type RuleSet struct {
	Used   []string `json:"used"`
	Unused []string `json:"unused"`
}

// String prints the coverage, one table a line, unused rules listed.
func (c Coverage) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "coverage %.1f%% of role rules and deadline rows\n", c.Percent)
	fmt.Fprintf(&b, "  role rules %d/%d used; unused: %s\n", len(c.Roles.Used), len(c.Roles.Used)+len(c.Roles.Unused), list(c.Roles.Unused))
	fmt.Fprintf(&b, "  deadline rows %d/%d used; unused: %s\n", len(c.Deadlines.Used), len(c.Deadlines.Used)+len(c.Deadlines.Unused), list(c.Deadlines.Unused))
	fmt.Fprintf(&b, "  refusals hit: %s\n", list(c.Refusals))
	fmt.Fprintf(&b, "  pay rules hit: %s\n", list(c.Pay))
	fmt.Fprintf(&b, "  scheduler actions hit: %s\n", list(c.Due))
	fmt.Fprintf(&b, "  rating rules used: %s\n", list(c.Ratings))
	fmt.Fprintf(&b, "  grids located: %s\n", list(c.Grids))
	return b.String()
}

func list(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

type coverage struct {
	all  map[string]map[string]bool // table → rule → used
	hits map[string]map[string]bool // refusal, pay, due → rule
}

func newCoverage() *coverage {
	return &coverage{all: map[string]map[string]bool{"roles": {}, "deadlines": {}}, hits: map[string]map[string]bool{}}
}

// add registers the rules of a file's profile. Rules are named with the profile's
// name, so that files under different profiles do not share rows.
func (c *coverage) add(p *profile.Profile) {
	for a, roles := range p.Escalation.Roles {
		for _, r := range roles {
			k := roleKey(p.Escalation.Version, a, r)
			if _, ok := c.all["roles"][k]; !ok {
				c.all["roles"][k] = false
			}
		}
	}
	for a, roles := range p.Rewards.Roles {
		for _, r := range roles {
			k := rewardRoleKey(p.Name, string(a), r)
			if _, ok := c.all["roles"][k]; !ok {
				c.all["roles"][k] = false
			}
		}
	}
	for i := range p.Escalation.Deadlines {
		k := deadlineKey(&p.Escalation, i)
		if _, ok := c.all["deadlines"][k]; !ok {
			c.all["deadlines"][k] = false
		}
	}
}

func roleKey(version string, a escalation.Action, r hierarchy.Role) string {
	return fmt.Sprintf("%s roles.%s=%s", version, a, r)
}

func rewardRoleKey(profileName, a string, r hierarchy.Role) string {
	return fmt.Sprintf("%s rewards.roles.%s=%s", profileName, a, r)
}

// rewardRole marks the reward role rule an accepted reward command was allowed by.
func (c *coverage) rewardRole(profileName string, t *hierarchy.Tree, a hierarchy.Actor, action string, at time.Time) {
	post, err := t.ActorPost(a, at)
	if err != nil {
		return
	}
	k := rewardRoleKey(profileName, strings.ReplaceAll(action, "_", "-"), post.Role)
	switch action {
	case "claim":
		k = rewardRoleKey(profileName, "submit", post.Role)
	case "settle":
		k = rewardRoleKey(profileName, "pay", post.Role)
	}
	if _, listed := c.all["roles"][k]; listed {
		c.all["roles"][k] = true
	}
}

func deadlineKey(p *escalation.Policy, i int) string {
	r := p.Deadlines[i]
	return fmt.Sprintf("%s deadlines[%d] %s %s %s", p.Version, i, r.Step, cmpOr(r.Category, "*"), cmpOr(string(r.Complexity), "*"))
}

func (c *coverage) hit(kind, rule string) {
	if c.hits[kind] == nil {
		c.hits[kind] = map[string]bool{}
	}
	c.hits[kind][rule] = true
}

// role marks the role rule an accepted command was allowed by.
func (c *coverage) role(p escalation.Policy, t *hierarchy.Tree, a hierarchy.Actor, action string, cs escalation.Case, at time.Time) {
	post, err := t.ActorPost(a, at)
	if err != nil {
		return
	}
	ev, ok := cs.Last()
	if !ok {
		return
	}
	k := roleKey(p.Version, ev.Action, post.Role)
	if _, listed := c.all["roles"][k]; listed {
		c.all["roles"][k] = true
	}
}

// deadlines marks the deadline rows of the timers a case has run.
func (c *coverage) deadlines(p *escalation.Policy, cs escalation.Case, env escalation.Env) {
	tl := p.Timeline(cs, env)
	for _, tm := range tl.Timers {
		if i := rowFor(p, tm.Step, cs.Category, cs.Complexity); i >= 0 {
			c.all["deadlines"][deadlineKey(p, i)] = true
		}
	}
}

// rowFor is the row [escalation.Policy.LimitFor] takes: of the matching rows, one
// naming the complexity first, then the longest category prefix.
func rowFor(p *escalation.Policy, step escalation.Step, category string, cx escalation.Complexity) int {
	best, bestLen, bestCx := -1, -1, false
	for i := range p.Deadlines {
		r := &p.Deadlines[i]
		if r.Step != step || !strings.HasPrefix(category, r.Category) || (r.Complexity != "" && r.Complexity != cx) {
			continue
		}
		l, hasCx := len(r.Category), r.Complexity != ""
		if (hasCx && !bestCx) || (hasCx == bestCx && l > bestLen) {
			best, bestLen, bestCx = i, l, hasCx
		}
	}
	return best
}

func (c *coverage) report() Coverage {
	var out Coverage
	sets := map[string]*RuleSet{"roles": &out.Roles, "deadlines": &out.Deadlines}
	used, total := 0, 0
	for table, rules := range c.all {
		s := sets[table]
		for k, u := range rules {
			total++
			if u {
				used++
				s.Used = append(s.Used, k)
			} else {
				s.Unused = append(s.Unused, k)
			}
		}
		slices.Sort(s.Used)
		slices.Sort(s.Unused)
	}
	if total > 0 {
		out.Percent = float64(used) * 100 / float64(total)
	}
	keys := func(m map[string]bool) []string {
		var s []string
		for k := range m {
			s = append(s, k)
		}
		slices.Sort(s)
		return s
	}
	out.Refusals = keys(c.hits["refusal"])
	out.Pay = keys(c.hits["pay"])
	out.Due = keys(c.hits["due"])
	out.Ratings = keys(c.hits["rating"])
	out.Grids = keys(c.hits["grid"])
	return out
}
