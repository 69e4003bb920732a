package hierarchy

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The national register's shape (统计用区划代码): 31 provinces with their real codes,
// about 340 cities (among them 东莞 441900, 中山 442000 and 儋州 460400, which have no
// counties and hold their townships directly), about 2,850 counties, 38,000 townships and
// 620,000 villages under one country root (this seed: 319 cities, 2,759 counties, 37,063
// townships, 613,979 villages, 654,152 units), every unit identified by its 12-digit code
// as in the published register. Segments follow the register's patterns: counties 01–
// for districts, 21– for counties and 81– for county-level cities; townships 001– for
// streets (街道), 100– for towns (镇) and 200– for townships (乡); villages 001– for
// communities (社区居委会) and 200– for villages (村委会).
var registerProvinces = []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
	"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}

// citiesWithoutCounties hold townships directly.
var citiesWithoutCounties = map[string]bool{"4419": true, "4420": true, "4604": true}

func nationalSchema() Schema {
	return Schema{Name: "national", Levels: []LevelSpec{
		{Level: "country"},
		{Level: "province", Under: []Level{"country"}, CodeDigits: 2},
		{Level: "city", Under: []Level{"province"}, CodeDigits: 4},
		{Level: "county", Under: []Level{"city"}, CodeDigits: 6},
		{Level: "township", Under: []Level{"county", "city"}, CodeDigits: 9},
		{Level: "village", Under: []Level{"township"}, CodeDigits: 12},
	}, Kinds: []KindSpec{{Kind: KindDepartment}}}
}

// registerSegments returns n segment values in the register's pattern: runs starting at
// each of starts, split at random.
func registerSegments(rng *rand.Rand, n int, starts []int) []int {
	out := make([]int, 0, n)
	left := n
	for k, s := range starts {
		m := left
		if k < len(starts)-1 {
			m = rng.IntN(left + 1)
		}
		for i := range m {
			out = append(out, s+i)
		}
		left -= m
	}
	return out
}

// nationalUnits generates the register, seeded, in the order a register file lists it
// (each unit after its parent).
func nationalUnits() []Unit { return registerUnits(registerProvinces) }

// registerUnits generates the register of the given provinces.
func registerUnits(provinces []string) []Unit {
	rng := rand.New(rand.NewPCG(15, 665277))
	units := []Unit{{ID: "CN", Name: "中国", Level: "country"}}
	add := func(code, level string, parent UnitID) UnitID {
		full := code + "000000000000"[len(code):]
		units = append(units, Unit{ID: UnitID(full), Code: full, Name: level + code, Level: Level(level), Parent: parent})
		return UnitID(full)
	}
	villages := func(tcode string, tid UnitID) {
		for _, v := range registerSegments(rng, 4+rng.IntN(26), []int{1, 200}) {
			add(fmt.Sprintf("%s%03d", tcode, v), "village", tid)
		}
	}
	townships := func(prefix string, parent UnitID, n int) {
		for _, s := range registerSegments(rng, n, []int{1, 100, 200}) {
			code := fmt.Sprintf("%s%03d", prefix, s)
			villages(code, add(code, "township", parent))
		}
	}
	for _, p := range provinces {
		pid := add(p, "province", "CN")
		nc := 1 + rng.IntN(22) // 1–22 cities, about 340 in all
		if p == "11" || p == "12" || p == "31" || p == "50" {
			nc = 1 // the municipalities' 市辖区
		}
		for c := 1; c <= nc; c++ {
			ccode := fmt.Sprintf("%s%02d", p, c)
			if c == nc && (p == "41" || p == "42" || p == "46" || p == "65") {
				ccode = p + "90" // 省直辖县级行政区划
			}
			cid := add(ccode, "city", pid)
			if citiesWithoutCounties[ccode] {
				townships(ccode+"00", cid, 15+rng.IntN(20))
				continue
			}
			for _, k := range registerSegments(rng, 3+rng.IntN(12), []int{2, 21, 81}) {
				kcode := fmt.Sprintf("%s%02d", ccode, k)
				townships(kcode, add(kcode, "county", cid), 5+rng.IntN(18))
			}
		}
		if p == "44" || p == "46" {
			// Make sure the cities without counties exist: 东莞 and 中山 are 19 and 20.
			for _, cc := range []string{"4419", "4420", "4604"} {
				if cc[:2] == p && !hasUnit(units, UnitID(cc+"00000000")) {
					cid := add(cc, "city", pid)
					townships(cc+"00", cid, 15+rng.IntN(20))
				}
			}
		}
	}
	return units
}

func hasUnit(units []Unit, id UnitID) bool {
	for i := len(units) - 1; i >= 0; i-- {
		if units[i].ID == id {
			return true
		}
	}
	return false
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

// randomPairs is the number of keys the random-access benchmarks draw from the whole
// register; warmPairs the few the warm-cache figures cycle through.
const (
	randomPairs = 1 << 20
	warmPairs   = 1 << 12
)

var national struct {
	once     sync.Once
	units    []Unit
	tree     *Tree // with the code index
	mapOnly  *Tree // the same tree resolving every ID through the ID map
	naive    *naiveTree
	pairs    [][2]UnitID // (ancestor candidate, village), half true, half false
	villages []UnitID
	rights   []rightQuery // (county, village), half true
	// The same keys copied in the order they are asked (see keySets).
	freshPairs    [][2]UnitID
	freshVillages []UnitID
	freshRights   []rightQuery
	// The two halves of rights apart, each in the order asked: the village's own county,
	// and a county drawn at random.
	halves, freshHalves [2][]rightQuery
}

// nationalData builds the synthetic register once, only when a benchmark asks for it.
func nationalData(b *testing.B) {
	national.once.Do(func() {
		national.units = nationalUnits()
		bld := NewBuilder(nationalSchema())
		for _, u := range national.units {
			bld.AddUnit(u)
		}
		// Every county may appraise the villages within it.
		bld.AddGrant(Grant{ID: "county-appraises-villages", Right: RightAppraise, Holder: UnitRef("CN"),
			HolderLevel: "county", Relation: RelationWithin, SubjectLevel: "village"})
		t, err := bld.Build()
		if err != nil {
			b.Fatal(err)
		}
		if t.codes == nil {
			b.Fatal("the register's tree has no code index")
		}
		national.tree = t
		mo := *t
		mo.codes, mo.codeFind = nil, false
		national.mapOnly = &mo
		national.naive = newNaive(national.units)
		rng := rand.New(rand.NewPCG(1, 2))
		villages := t.ByLevel("village")
		provinces := t.ByLevel("province")
		counties := t.ByLevel("county")
		for i := range randomPairs {
			v := villages[rng.IntN(len(villages))]
			anc := t.Ancestors(v)
			a := anc[len(anc)-2] // the village's province
			if i%2 == 1 {
				a = provinces[rng.IntN(len(provinces))]
			}
			national.pairs = append(national.pairs, [2]UnitID{a, v})
			national.villages = append(national.villages, v)
			c, ok := t.AncestorAt(v, "county")
			if !ok || i%2 == 1 {
				c = counties[rng.IntN(len(counties))]
			}
			national.rights = append(national.rights, rightQuery{UnitRef(c), UnitRef(v), RightAppraise})
		}
		var ids []UnitID
		for _, p := range national.pairs {
			ids = append(ids, p[0], p[1])
		}
		ids = packIDs(ids)
		for i := range national.pairs {
			national.freshPairs = append(national.freshPairs, [2]UnitID{ids[2*i], ids[2*i+1]})
		}
		national.freshVillages = packIDs(national.villages)
		ids = ids[:0]
		for _, q := range national.rights {
			ids = append(ids, UnitID(q.holder.ID), UnitID(q.subject.ID))
		}
		ids = packIDs(ids)
		for i, q := range national.rights {
			national.freshRights = append(national.freshRights, rightQuery{UnitRef(ids[2*i]), UnitRef(ids[2*i+1]), q.right})
		}
		for h := range 2 {
			ids = ids[:0]
			for i := h; i < len(national.rights); i += 2 {
				q := national.rights[i]
				national.halves[h] = append(national.halves[h], q)
				ids = append(ids, UnitID(q.holder.ID), UnitID(q.subject.ID))
			}
			ids = packIDs(ids)
			for i, q := range national.halves[h] {
				national.freshHalves[h] = append(national.freshHalves[h], rightQuery{UnitRef(ids[2*i]), UnitRef(ids[2*i+1]), q.right})
			}
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
	all := nationalUnits()
	for _, n := range []int{10_000, 100_000, len(all)} {
		units := all[:n] // the register's order puts parents first, so a prefix is a tree
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			// Build alone: the builder is filled once, and Build leaves it unchanged.
			bld := NewBuilder(nationalSchema())
			for _, u := range units {
				bld.AddUnit(u)
			}
			build := func() *Tree {
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
			runtime.KeepAlive(t)
			t = nil
			b.ReportAllocs()
			for b.Loop() {
				build()
			}
			// Reported after the loop: b.Loop resets user metrics when it starts.
			b.ReportMetric(perUnit, "B/unit")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/unit")
		})
	}
}

var sinkBool bool
var sinkIDs []UnitID

// keySets are the ways a lookup benchmark draws its keys: at random from the whole
// register, the key strings being the units' own IDs scattered over the heap (the
// figure that counts); the same random keys copied one after another in the order they
// are asked, as IDs just parsed from a stream of requests lie in the caller's memory
// (so reading them costs no miss of its own, and what remains is the lookup's); and a
// few thousand that stay in cache (warm).
var keySets = []keySet{{"random", randomPairs, false}, {"random-fresh-keys", randomPairs, true}, {"warm", warmPairs, false}}

type keySet struct {
	name  string
	n     int
	fresh bool
}

func (ks keySet) pairs() [][2]UnitID {
	if ks.fresh {
		return national.freshPairs
	}
	return national.pairs
}

func (ks keySet) villages() []UnitID {
	if ks.fresh {
		return national.freshVillages
	}
	return national.villages
}

func (ks keySet) rights() []rightQuery {
	if ks.fresh {
		return national.freshRights
	}
	return national.rights
}

// half returns half h of rights (0: the village's own county, 1: a county at random).
func (ks keySet) half(h int) []rightQuery {
	if ks.fresh {
		return national.freshHalves[h]
	}
	return national.halves[h]
}

// packIDs copies ids into one string in order and returns them as its substrings.
func packIDs(ids []UnitID) []UnitID {
	var sb strings.Builder
	for _, id := range ids {
		sb.WriteString(string(id))
	}
	all := sb.String()
	out := make([]UnitID, len(ids))
	off := 0
	for i, id := range ids {
		out[i] = UnitID(all[off : off+len(id)])
		off += len(id)
	}
	return out
}

// BenchmarkIsAncestor compares, by unit ID, the tree with its code index, the same tree
// through the ID map alone, and a parent-pointer walk; then the test itself on resolved
// node numbers.
func BenchmarkIsAncestor(b *testing.B) {
	nationalData(b)
	naive := national.naive
	for _, ks := range keySets {
		mask, pairs := ks.n-1, ks.pairs()
		for _, tc := range []struct {
			name string
			t    *Tree
		}{{"code-index", national.tree}, {"id-map", national.mapOnly}} {
			b.Run(ks.name+"/"+tc.name, func(b *testing.B) {
				t := tc.t
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					p := pairs[i&mask]
					sinkBool = t.IsAncestor(p[0], p[1])
					i++
				}
			})
		}
		b.Run(ks.name+"/parent-walk", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pairs[i&mask]
				sinkBool = naive.isAncestor(p[0], p[1])
				i++
			}
		})
		// Reading the two keys' bytes, which every lookup by ID must do: the floor of
		// the figures above.
		b.Run(ks.name+"/read-keys-only", func(b *testing.B) {
			i := 0
			var sum byte
			for b.Loop() {
				p := pairs[i&mask]
				sum += p[0][len(p[0])-1] + p[1][len(p[1])-1]
				i++
			}
			sinkBool = sum == 0
		})
		t := national.tree
		ns := make([][2]Node, ks.n)
		for k := range ns {
			ns[k] = [2]Node{t.Node(pairs[k][0]), t.Node(pairs[k][1])}
		}
		b.Run(ks.name+"/resolved-Node", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := ns[i&mask]
				sinkBool = p[0].IsAncestorOf(p[1])
				i++
			}
		})
	}
}

// BenchmarkAncestors lists the ancestors of a village.
func BenchmarkAncestors(b *testing.B) {
	nationalData(b)
	for _, ks := range keySets {
		mask, vs := ks.n-1, ks.villages()
		for _, tc := range []struct {
			name string
			t    *Tree
		}{{"code-index", national.tree}, {"id-map", national.mapOnly}} {
			b.Run(ks.name+"/"+tc.name, func(b *testing.B) {
				t := tc.t
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					sinkIDs = t.Ancestors(vs[i&mask])
					i++
				}
			})
		}
		// The same through AppendAncestors into one reused slice: no allocation.
		b.Run(ks.name+"/code-index-append", func(b *testing.B) {
			t := national.tree
			buf := make([]UnitID, 0, 8)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				buf = t.AppendAncestors(buf[:0], vs[i&mask])
				i++
			}
			sinkIDs = buf
		})
		b.Run(ks.name+"/parent-walk", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sinkIDs = national.naive.ancestors(vs[i&mask])
				i++
			}
		})
	}
}

// BenchmarkHasRightNational asks whether a county may appraise a village (its own
// county's half the time) on the national register, by unit IDs: through the code
// index, and through the ID map alone (the same tree with its index switched off).
func BenchmarkHasRightNational(b *testing.B) {
	nationalData(b)
	for _, ks := range keySets {
		mask, qs := ks.n-1, ks.rights()
		for _, tc := range []struct {
			name string
			t    *Tree
		}{{"code-index", national.tree}, {"id-map", national.mapOnly}} {
			b.Run(ks.name+"/"+tc.name, func(b *testing.B) {
				t := tc.t
				b.ReportAllocs()
				i, hits := 0, 0
				for b.Loop() {
					q := qs[i&mask]
					if t.HasRight(q.holder, q.right, q.subject, benchAt) {
						hits++
					}
					i++
				}
				b.ReportMetric(float64(hits)/float64(b.N), "true/op")
			})
		}
		// The halves apart: the county of the village (true, unless the village is
		// absent) and a county drawn at random (false but for one in 2,900), whose
		// answer the digits give before any lookup.
		for h, name := range []string{"own-county", "other-county"} {
			qs, mask := ks.half(h), ks.n/2-1
			b.Run(ks.name+"/code-index/"+name, func(b *testing.B) {
				t := national.tree
				b.ReportAllocs()
				i, hits := 0, 0
				for b.Loop() {
					q := qs[i&mask]
					if t.HasRight(q.holder, q.right, q.subject, benchAt) {
						hits++
					}
					i++
				}
				b.ReportMetric(float64(hits)/float64(b.N), "true/op")
			})
		}
	}
}

// BenchmarkMemoryLatency chases pointers through a random single cycle of cache-line
// sized slots from 256 KB (the L2 cache) to 256 MB (far beyond the 32 MB L3): each
// step is one dependent load, so ns/op is this machine's latency to the cache level or
// memory that size spills into. The lookup figures above are read against it.
func BenchmarkMemoryLatency(b *testing.B) {
	for _, kb := range []int{256, 1 << 10, 2 << 10, 4 << 10, 8 << 10, 32 << 10, 256 << 10} {
		name := fmt.Sprintf("%dKB", kb)
		if kb >= 1<<10 {
			name = fmt.Sprintf("%dMB", kb>>10)
		}
		b.Run(name, func(b *testing.B) {
			type slot struct {
				next uint32
				_    [60]byte
			}
			n := kb << 10 / 64
			s := make([]slot, n)
			perm := make([]uint32, n)
			for i := range perm {
				perm[i] = uint32(i)
			}
			rng := rand.New(rand.NewPCG(7, 8))
			for i := n - 1; i > 0; i-- { // Sattolo: one cycle through every slot
				j := rng.IntN(i)
				perm[i], perm[j] = perm[j], perm[i]
			}
			for i := range n {
				s[perm[i]].next = perm[(i+1)%n]
			}
			perm = nil
			x := uint32(0)
			for b.Loop() {
				x = s[x].next
			}
			sinkBool = x == 0
		})
	}
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

// BenchmarkCodeLookupParts takes random IsAncestor by ID on the national register
// apart, to show where the time goes: reading the caller's two key strings (scattered
// over the heap, as the units' own IDs are), parsing their digits, the code index's
// walk on segments parsed beforehand (the index's own memory touches, the keys not
// read), the whole IsAncestor, and one probe of the ID map for the village alone.
func BenchmarkCodeLookupParts(b *testing.B) {
	nationalData(b)
	t := national.tree
	type parsed struct {
		p uint64
		d int
	}
	pre := make([]parsed, randomPairs)
	for i, p := range national.pairs {
		s, d, _ := parseCode(string(p[1]))
		pre[i] = parsed{s, d}
	}
	for _, ks := range keySets {
		mask, pairs := ks.n-1, ks.pairs()
		b.Run(ks.name+"/read-keys", func(b *testing.B) {
			i := 0
			var sum byte
			for b.Loop() {
				p := pairs[i&mask]
				sum += p[0][len(p[0])-1] + p[1][len(p[1])-1]
				i++
			}
			sinkBool = sum == 0
		})
		b.Run(ks.name+"/parse-keys", func(b *testing.B) {
			i, sum := 0, 0
			for b.Loop() {
				p := pairs[i&mask]
				_, da, _ := parseCode(string(p[0]))
				_, db, _ := parseCode(string(p[1]))
				sum += da + db
				i++
			}
			sinkBool = sum == 0
		})
		b.Run(ks.name+"/walk-parsed", func(b *testing.B) {
			i, sum := 0, 0
			for b.Loop() {
				q := &pre[i&mask]
				if _, _, _, _, in := t.codes.locate(q.p, q.d, 12); in {
					sum++
				}
				i++
			}
			sinkBool = sum == 0
		})
		b.Run(ks.name+"/IsAncestor", func(b *testing.B) {
			i := 0
			for b.Loop() {
				p := pairs[i&mask]
				sinkBool = t.IsAncestor(p[0], p[1])
				i++
			}
		})
		b.Run(ks.name+"/map-probe-village", func(b *testing.B) {
			i, sum := 0, int32(0)
			for b.Loop() {
				sum += t.byID[pairs[i&mask][1]]
				i++
			}
			sinkBool = sum == 0
		})
	}
}
