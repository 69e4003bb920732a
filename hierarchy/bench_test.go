package hierarchy

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The national register's shape: 31 provinces, 340 cities, 3,000 counties, 41,000
// townships and 620,000 villages under one country root, with real 2-2-2-3-3 codes.
var nationalShape = []struct {
	level Level
	n     int
	width int // digits this level adds to its parent's code
}{
	{"province", 31, 2}, {"city", 340, 2}, {"county", 3000, 2}, {"township", 41000, 3}, {"village", 620000, 3},
}

func nationalSchema() Schema {
	s := Schema{Name: "national", Levels: []LevelSpec{{Level: "country"}}}
	digits := 0
	for i, l := range nationalShape {
		digits += l.width
		parent := Level("country")
		if i > 0 {
			parent = nationalShape[i-1].level
		}
		s.Levels = append(s.Levels, LevelSpec{Level: l.level, Under: []Level{parent}, CodeDigits: digits})
	}
	s.Kinds = []KindSpec{{Kind: KindDepartment}}
	return s
}

// nationalUnits spreads each level evenly over the level above, in order, so that the
// i-th unit of a level with m units under n parents has parent i*n/m.
func nationalUnits() []Unit {
	units := []Unit{{ID: "CN", Name: "中国", Level: "country"}}
	parents := []Unit{units[0]}
	for li, l := range nationalShape {
		level := make([]Unit, 0, l.n)
		seq := make([]int, len(parents))
		for i := range l.n {
			p := i * len(parents) / l.n
			seq[p]++
			code := fmt.Sprintf("%0*d", l.width, seq[p])
			if li == 0 {
				code = strconv.Itoa(11 + i)
			} else {
				code = parents[p].Code + code
			}
			level = append(level, Unit{ID: UnitID(code), Code: code, Name: string(l.level[0]) + code, Level: l.level, Parent: parents[p].ID})
		}
		units = append(units, level...)
		parents = level
	}
	return units
}

// naiveTree is the plain parent-pointer representation the preorder numbering is
// compared with.
type naiveTree struct{ byID map[UnitID]*naiveNode }

type naiveNode struct {
	id     UnitID
	parent *naiveNode
}

func newNaive(units []Unit) *naiveTree {
	t := &naiveTree{byID: make(map[UnitID]*naiveNode, len(units))}
	for _, u := range units {
		t.byID[u.ID] = &naiveNode{id: u.ID}
	}
	for _, u := range units {
		t.byID[u.ID].parent = t.byID[u.Parent]
	}
	return t
}

func (t *naiveTree) isAncestor(a, b UnitID) bool {
	na, nb := t.byID[a], t.byID[b]
	if na == nil || nb == nil {
		return false
	}
	for p := nb.parent; p != nil; p = p.parent {
		if p == na {
			return true
		}
	}
	return false
}

func (t *naiveTree) ancestors(id UnitID) []UnitID {
	n := t.byID[id]
	if n == nil {
		return nil
	}
	var out []UnitID
	for p := n.parent; p != nil; p = p.parent {
		out = append(out, p.id)
	}
	return out
}

var national struct {
	once     sync.Once
	units    []Unit
	tree     *Tree
	naive    *naiveTree
	pairs    [][2]UnitID // (ancestor candidate, village), half true, half false
	villages []UnitID
}

// nationalData builds the synthetic register once, only when a benchmark asks for it.
func nationalData(b *testing.B) {
	national.once.Do(func() {
		national.units = nationalUnits()
		bld := NewBuilder(nationalSchema())
		for _, u := range national.units {
			bld.AddUnit(u)
		}
		t, err := bld.Build()
		if err != nil {
			b.Fatal(err)
		}
		national.tree = t
		national.naive = newNaive(national.units)
		rng := rand.New(rand.NewPCG(1, 2))
		villages := t.ByLevel("village")
		provinces := t.ByLevel("province")
		for i := range 4096 {
			v := villages[rng.IntN(len(villages))]
			anc := t.Ancestors(v)
			a := anc[len(anc)-2] // the village's province
			if i%2 == 1 {
				a = provinces[rng.IntN(len(provinces))]
			}
			national.pairs = append(national.pairs, [2]UnitID{a, v})
			national.villages = append(national.villages, v)
		}
	})
	if national.tree == nil {
		b.Fatal("national tree failed to build")
	}
	runtime.GC() // so the set-up's garbage is not collected during the measurement
}

// BenchmarkBuild builds the national tree from its units and reports the heap the tree
// keeps per unit beyond the strings, which exist before the build and are shared.
func BenchmarkBuild(b *testing.B) {
	units := nationalUnits()
	build := func() *Tree {
		bld := NewBuilder(nationalSchema())
		for _, u := range units {
			bld.AddUnit(u)
		}
		t, err := bld.Build()
		if err != nil {
			b.Fatal(err)
		}
		return t
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	perUnit := float64(after.HeapAlloc-before.HeapAlloc) / float64(t.Len())
	n := t.Len()
	runtime.KeepAlive(t)
	t = nil
	b.ReportAllocs()
	for b.Loop() {
		build()
	}
	// Reported after the loop: b.Loop resets user metrics when it starts.
	b.ReportMetric(perUnit, "B/unit")
	b.ReportMetric(float64(n), "units")
}

var sinkBool bool
var sinkIDs []UnitID

// BenchmarkIsAncestor compares the preorder test with a parent-pointer walk, both from
// unit IDs (two map lookups each) and on node numbers alone.
func BenchmarkIsAncestor(b *testing.B) {
	nationalData(b)
	t, naive, pairs := national.tree, national.naive, national.pairs
	b.Run("preorder", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := pairs[i&4095]
			sinkBool = t.IsAncestor(p[0], p[1])
			i++
		}
	})
	b.Run("parent-walk", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := pairs[i&4095]
			sinkBool = naive.isAncestor(p[0], p[1])
			i++
		}
	})
	// The two ID lookups alone, which both of the above pay.
	b.Run("id-lookups-only", func(b *testing.B) {
		i := 0
		for b.Loop() {
			p := pairs[i&4095]
			_, ok1 := t.byID[p[0]]
			_, ok2 := t.byID[p[1]]
			sinkBool = ok1 && ok2
			i++
		}
	})
	// Units resolved beforehand with Tree.Node: the cost of the test itself.
	ns := make([][2]Node, len(pairs))
	for k, p := range pairs {
		ns[k] = [2]Node{t.Node(p[0]), t.Node(p[1])}
	}
	b.Run("preorder-Node", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := ns[i&4095]
			sinkBool = p[0].IsAncestorOf(p[1])
			i++
		}
	})
	xs := make([][2]int32, len(pairs))
	for k, p := range pairs {
		xs[k] = [2]int32{t.byID[p[0]], t.byID[p[1]]}
	}
	b.Run("parent-walk-int32", func(b *testing.B) {
		i := 0
		for b.Loop() {
			p := xs[i&4095]
			ok := false
			for q := t.nodes[p[1]].parent; q >= 0; q = t.nodes[q].parent {
				if q == p[0] {
					ok = true
					break
				}
			}
			sinkBool = ok
			i++
		}
	})
}

// BenchmarkAncestors lists the ancestors of a village.
func BenchmarkAncestors(b *testing.B) {
	nationalData(b)
	t, naive, vs := national.tree, national.naive, national.villages
	b.Run("preorder", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkIDs = t.Ancestors(vs[i&4095])
			i++
		}
	})
	b.Run("parent-walk", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkIDs = naive.ancestors(vs[i&4095])
			i++
		}
	})
}

// rightsData is a district-sized tree with Qinhuai's grants, 2,000 people with posts and
// 1,000 secondments, for HasRight.
var rightsData struct {
	once    sync.Once
	tree    *Tree
	queries []rightQuery
}

type rightQuery struct {
	holder, subject Ref
	right           Right
}

func buildRightsData(b *testing.B) {
	rightsData.once.Do(func() {
		bld := NewBuilder(QinhuaiSchema())
		bld.AddUnit(Unit{ID: "D", Code: "320104", Name: "district", Level: LevelDistrict})
		var communities, grids, depts []UnitID
		for d := range 20 {
			id := UnitID(fmt.Sprintf("dept-%02d", d))
			bld.AddUnit(Unit{ID: id, Name: string(id), Kind: KindDepartment, Parent: "D"})
			depts = append(depts, id)
		}
		for s := 1; s <= 12; s++ {
			sc := fmt.Sprintf("320104%03d", s)
			bld.AddUnit(Unit{ID: UnitID(sc), Code: sc, Name: sc, Level: LevelStreet, Parent: "D"})
			for c := 1; c <= 9; c++ {
				cc := fmt.Sprintf("%s%03d", sc, c)
				bld.AddUnit(Unit{ID: UnitID(cc), Code: cc, Name: cc, Level: LevelCommunity, Parent: UnitID(sc)})
				communities = append(communities, UnitID(cc))
				for g := 1; g <= 12; g++ {
					gid := UnitID(fmt.Sprintf("%s-G%02d", cc, g))
					bld.AddUnit(Unit{ID: gid, Name: string(gid), Level: LevelGrid, Parent: UnitID(cc)})
					grids = append(grids, gid)
				}
			}
		}
		rng := rand.New(rand.NewPCG(3, 4))
		start, end := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 2000 {
			pid := PersonID(fmt.Sprintf("p%04d", i))
			bld.AddPerson(Person{ID: pid, Name: string(pid)})
			unit := grids[rng.IntN(len(grids))]
			role := RoleGridWorker
			if i%4 == 0 {
				unit, role = communities[rng.IntN(len(communities))], RoleSecretary
			}
			if i%8 == 1 {
				unit, role = depts[rng.IntN(len(depts))], RoleEnforcementOfficer
			}
			bld.AddPost(Post{ID: PostID(fmt.Sprintf("post%04d", i)), Person: pid, Unit: unit, Role: role})
			if i%2 == 1 {
				serving := communities[rng.IntN(len(communities))]
				street, _ := UnitID(serving[:9]), 0
				bld.AddSecondment(Secondment{ID: fmt.Sprintf("sec%04d", i), Subject: PersonRef(pid), Home: unit,
					Serving: serving, Appraisal: street, Start: start, End: end})
			}
		}
		for _, g := range QinhuaiGrants("D") {
			bld.AddGrant(g)
		}
		t, err := bld.Build()
		if err != nil {
			b.Fatal(err)
		}
		rightsData.tree = t
		at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
		for i := range 1024 {
			subject := PersonRef(PersonID(fmt.Sprintf("p%04d", 2*rng.IntN(1000)+1)))
			var q rightQuery
			switch i % 4 {
			case 0: // the community the subject serves: true
				s := t.SecondmentsOf(subject, at)[0]
				q = rightQuery{UnitRef(s.Serving), subject, RightReverseEvaluate}
			case 1: // another community: mostly false
				q = rightQuery{UnitRef(communities[rng.IntN(len(communities))]), subject, RightReverseEvaluate}
			case 2: // a secretary acting through a post
				q = rightQuery{PersonRef(PersonID(fmt.Sprintf("p%04d", 4*rng.IntN(500)))), subject, RightReverseEvaluate}
			case 3: // a street over a department
				q = rightQuery{UnitRef(UnitID(fmt.Sprintf("320104%03d", 1+rng.IntN(12)))), UnitRef(depts[rng.IntN(len(depts))]), RightAdvise}
			}
			rightsData.queries = append(rightsData.queries, q)
		}
	})
}

var benchAt = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkHasRight asks a mix of questions: a community over an officer seconded to it
// and over one seconded elsewhere, a community secretary acting through a post, a street
// over a department.
func BenchmarkHasRight(b *testing.B) {
	buildRightsData(b)
	t, qs := rightsData.tree, rightsData.queries
	kinds := []string{"community-unit-hit", "community-unit-other", "secretary-person", "street-department"}
	for k, name := range kinds {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			i := k
			hits := 0
			for b.Loop() {
				q := qs[i&1023]
				if t.HasRight(q.holder, q.right, q.subject, benchAt) {
					hits++
				}
				i += 4
			}
			b.ReportMetric(float64(hits)/float64(b.N), "true/op")
		})
	}
}

// BenchmarkIsAncestorDistrict repeats the comparison on a district-sized tree (one
// district, 12 streets, 108 communities, 1,296 grids, 20 departments), whose ID map stays
// in cache: grid against its street (true) or another street (false).
func BenchmarkIsAncestorDistrict(b *testing.B) {
	buildRightsData(b)
	t := rightsData.tree
	units := make([]Unit, 0, t.Len())
	for u := range t.Units() {
		units = append(units, u)
	}
	naive := newNaive(units)
	grids := t.ByLevel(LevelGrid)
	streets := t.ByLevel(LevelStreet)
	rng := rand.New(rand.NewPCG(5, 6))
	pairs := make([][2]UnitID, 4096)
	for i := range pairs {
		g := grids[rng.IntN(len(grids))]
		s, _ := t.AncestorAt(g, LevelStreet)
		if i%2 == 1 {
			s = streets[rng.IntN(len(streets))]
		}
		pairs[i] = [2]UnitID{s, g}
	}
	runtime.GC()
	b.Run("preorder", func(b *testing.B) {
		i := 0
		for b.Loop() {
			p := pairs[i&4095]
			sinkBool = t.IsAncestor(p[0], p[1])
			i++
		}
	})
	b.Run("parent-walk", func(b *testing.B) {
		i := 0
		for b.Loop() {
			p := pairs[i&4095]
			sinkBool = naive.isAncestor(p[0], p[1])
			i++
		}
	})
}
