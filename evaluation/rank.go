package evaluation

import (
	"cmp"
	"slices"
	"time"

	"github.com/gridgov/gridgov/hierarchy"
)

// rank orders a card's results best first and gives each its place in its peer group
// under standard competition ranking ("1224"): equal scores share a place and the next
// place skips as many as shared it (scores 95, 90, 90, 80 rank 1, 2, 2, 4). Results
// with equal scores are listed in subject order, which decides nothing. Unscored
// results are listed last without a rank.
func rank(tree *hierarchy.Tree, c *Scorecard, rs []Result, at time.Time) {
	for i := range rs {
		rs[i].Group = peerGroup(tree, c, rs[i].Subject, at)
	}
	slices.SortFunc(rs, func(a, b Result) int {
		if a.Scored != b.Scored {
			if a.Scored {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Subject.Kind, b.Subject.Kind), cmp.Compare(a.Subject.ID, b.Subject.ID))
	})
	type state struct {
		n, place int
		last     Points
	}
	groups := map[string]*state{}
	for i := range rs {
		if !rs[i].Scored {
			continue
		}
		g := groups[rs[i].Group]
		if g == nil {
			g = &state{}
			groups[rs[i].Group] = g
		}
		g.n++
		if g.n == 1 || rs[i].Score != g.last {
			g.place = g.n
		}
		g.last = rs[i].Score
		rs[i].Rank = g.place
	}
	for i := range rs {
		if g := groups[rs[i].Group]; g != nil && rs[i].Scored {
			rs[i].GroupSize = g.n
		}
	}
}

// peerGroup is the unit at the card's RankWithin level above the subject (for a
// person, above the unit of their first post in force), or "" for one group.
func peerGroup(tree *hierarchy.Tree, c *Scorecard, s hierarchy.Ref, at time.Time) string {
	if c.RankWithin == "" || tree == nil {
		return ""
	}
	u := hierarchy.UnitID(s.ID)
	if s.Kind == hierarchy.RefPerson {
		posts := tree.PostsOf(hierarchy.PersonID(s.ID), at)
		if len(posts) == 0 {
			return ""
		}
		u = posts[0].Unit
	}
	a, _ := tree.AncestorAt(u, c.RankWithin)
	return string(a)
}

// Top returns the first n ranked results of card in group (every group when group
// is ""), best first: the red list (红榜). Ties at the cut are all included, so the
// list may be longer than n.
func (rs *Results) Top(card, group string, n int) []Result {
	var ranked []Result
	for _, r := range rs.Cards[card] {
		if r.Scored && (group == "" || r.Group == group) {
			ranked = append(ranked, r)
		}
	}
	return cut(ranked, n)
}

// Bottom returns the last n ranked results of card in group, worst first: the black
// list (黑榜). Ties at the cut are all included.
func (rs *Results) Bottom(card, group string, n int) []Result {
	var ranked []Result
	for _, r := range rs.Cards[card] {
		if r.Scored && (group == "" || r.Group == group) {
			ranked = append(ranked, r)
		}
	}
	slices.Reverse(ranked)
	return cut(ranked, n)
}

func cut(rs []Result, n int) []Result {
	if n <= 0 {
		return nil
	}
	if len(rs) <= n {
		return rs
	}
	end := n
	for end < len(rs) && rs[end].Score == rs[n-1].Score {
		end++
	}
	return rs[:end]
}

// SubjectsOf returns the subjects card c scores in tree at time at: the units of its
// level or kind, or the people holding a post of its role, in preorder.
func SubjectsOf(tree *hierarchy.Tree, c *Scorecard, at time.Time) []hierarchy.Ref {
	var out []hierarchy.Ref
	seen := map[hierarchy.PersonID]bool{}
	for u := range tree.Units() {
		if c.Role != "" {
			for _, p := range tree.PostsIn(u.ID, c.Role, at) {
				if !seen[p.Person] {
					seen[p.Person] = true
					out = append(out, hierarchy.PersonRef(p.Person))
				}
			}
			continue
		}
		kind := u.Kind
		if kind == "" {
			kind = hierarchy.KindTerritorial
		}
		if (c.Level == "" || u.Level == c.Level) && (c.Kind == "" || kind == c.Kind) && (c.Level != "" || c.Kind != "") {
			out = append(out, hierarchy.UnitRef(u.ID))
		}
	}
	return out
}
