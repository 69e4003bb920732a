package rewards

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/memstore"
)

// settleSet is a settlement's worth of approved claims, one slice per fund, with the
// pending payment markers Settle writes before posting. Built once per size: a million
// claims take a moment and a few hundred megabytes.
type settleSet struct {
	once  sync.Once
	funds []string
	by    [][]Claim
}

var settleSets sync.Map // "funds×per" → *settleSet

func settleClaims(funds, per int) *settleSet {
	v, _ := settleSets.LoadOrStore(fmt.Sprint(funds, "x", per), &settleSet{})
	s := v.(*settleSet)
	s.once.Do(func() {
		s.funds = make([]string, funds)
		s.by = make([][]Claim, funds)
		for f := range funds {
			s.funds[f] = FundID(hierarchy.UnitID(fmt.Sprintf("beat-%04d", f)), 2025)
			cs := make([]Claim, per)
			for i := range cs {
				id := fmt.Sprintf("report:%04d-%06d", f, i)
				cs[i] = Claim{ID: id, ClaimInput: ClaimInput{Worker: hierarchy.PersonID(fmt.Sprintf("w%04d-%03d", f, i%200))},
					Fund: s.funds[f], State: StateApproved, Granted: Yuan(20),
					Pending: &Pending{ID: "batch", Op: "pay", Fund: s.funds[f], Amount: Yuan(20)}}
			}
			s.by[f] = cs
		}
	})
	return s
}

// benchTrees holds the trees of the benchmarks: the areas and workers they use.
var benchTree = sync.OnceValue(func() *hierarchy.Tree {
	var areas, workers []string
	for f := range 1000 {
		areas = append(areas, fmt.Sprintf("beat-%04d", f))
	}
	for f := range 10 {
		areas = append(areas, fmt.Sprintf("beat-%02d", f))
		for i := range 200 {
			workers = append(workers, fmt.Sprintf("w%02d-%03d", f, i))
		}
	}
	areas = append(areas, "beat")
	for i := range 1000 {
		workers = append(workers, fmt.Sprint("w", i))
	}
	return buildTree(areas, workers)
})

func benchService(b *testing.B) *Service {
	b.Helper()
	s, err := NewService(memstore.New(), QinhuaiPolicy(), benchTree(), gridgov.NewManualClock(t0), gridgov.NewSeededIDGenerator(1), nil)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSettle_Ledger measures the money path of settlement: every fund's approved
// claims posted to its ledger book in one batch (plan against the balance inside the
// compare-and-swap, hash-chain the entries, seal chunks, write the head once).
func BenchmarkSettle_Ledger(b *testing.B) {
	for _, size := range []struct{ funds, per int }{{10, 1000}, {1000, 1000}} {
		for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
			name := fmt.Sprintf("claims=%d/funds=%d/workers=%d", size.funds*size.per, size.funds, workers)
			b.Run(name, func(b *testing.B) { benchSettleLedger(b, size.funds, size.per, workers, false) })
		}
	}
	// The comparison: a fund's 1,000 claims posted one by one, a head rewrite each.
	b.Run("claims=1000/funds=1/one-by-one", func(b *testing.B) { benchSettleLedger(b, 1, 1000, 1, true) })
}

func benchSettleLedger(b *testing.B, funds, per, workers int, oneByOne bool) {
	set := settleClaims(funds, per)
	ctx := context.Background()
	var cpu time.Duration
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := benchService(b)
		for i := range set.funds {
			if _, err := s.OpenFund(ctx, chief, FundOpening{Area: hierarchy.UnitID(fmt.Sprintf("beat-%04d", i)), Year: 2025, Amount: Yuan(35000), Ref: "open"}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		cpu0 := cpuTime()
		// Funds are independent aggregates: a settlement run spreads them over workers.
		next := make(chan []Claim)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for cs := range next {
					step := len(cs)
					if oneByOne {
						step = 1
					}
					for i := 0; i < len(cs); i += step {
						paid, err := s.postPayments(ctx, cs[i:i+step], t0)
						if err != nil || len(paid) != step || slices.Contains(paid, notPosted) {
							b.Errorf("postPayments: %d paid, %v", len(paid), err)
						}
					}
				}
			}()
		}
		for _, cs := range set.by {
			next <- cs
		}
		close(next)
		wg.Wait()
		cpu += cpuTime() - cpu0
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*funds*per), "ns/claim")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkService_Settle measures Settle end to end on stored claims: scan the due
// claims, mark each pending, post one batch per fund, mark each paid.
func BenchmarkService_Settle(b *testing.B) {
	const funds, per = 10, 1000
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := benchService(b)
		for f := range funds {
			area := hierarchy.UnitID(fmt.Sprintf("beat-%02d", f))
			if _, err := s.OpenFund(ctx, chief, FundOpening{Area: area, Year: 2025, Amount: Yuan(35000), Ref: "open"}); err != nil {
				b.Fatal(err)
			}
			for i := range per {
				in := ClaimInput{Source: Source{Kind: "report", ID: fmt.Sprintf("%02d-%04d", f, i)}, Worker: hierarchy.PersonID(fmt.Sprintf("w%02d-%03d", f, i%200)),
					Area: area, Unit: "grid-1", Category: CategoryPolice, Outcome: OutcomeVerified, Contribution: ContributionDirect, ReportedAt: t0}
				c, err := s.Submit(ctx, head, in)
				if err == nil {
					_, err = s.Approve(ctx, c.ID, officer)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
		for f := range funds {
			st, err := s.Settle(ctx, FundID(hierarchy.UnitID(fmt.Sprintf("beat-%02d", f)), 2025), officer)
			if err != nil || len(st.Paid) != per {
				b.Fatalf("Settle: %d paid, %v", len(st.Paid), err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*funds*per), "ns/claim")
}

// BenchmarkService_PayOne is one claim paid on its own: mark, post, finish.
func BenchmarkService_PayOne(b *testing.B) {
	ctx := context.Background()
	s := benchService(b)
	if _, err := s.OpenFund(ctx, chief, FundOpening{Area: "beat", Year: 2025, Amount: Yuan(10_000_000), Ref: "open"}); err != nil {
		b.Fatal(err)
	}
	var ids []string
	prepare := func(n int) {
		for i := range n {
			// ids grows inside this loop, so len(ids) alone numbers the next report.
			in := ClaimInput{Source: Source{Kind: "report", ID: fmt.Sprint(len(ids))}, Worker: hierarchy.PersonID(fmt.Sprint("w", i%1000)),
				Area: "beat", Unit: "grid-1", Category: CategoryEpidemic, Outcome: OutcomeVerified, ReportedAt: t0}
			c, err := s.Submit(ctx, head, in)
			if err == nil {
				c, err = s.Approve(ctx, c.ID, officer)
			}
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
	}
	prepare(2000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(ids) {
			b.StopTimer()
			prepare(2000)
			b.StartTimer()
		}
		if _, err := s.Pay(ctx, ids[i], officer); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

var payrollOnce sync.Once
var payrollWorkers []Worker

func workers10k() []Worker {
	payrollOnce.Do(func() {
		payrollWorkers = make([]Worker, 10_000)
		posts := []string{"head", "deputy", "staff", "staff", "staff"}
		results := []string{ResultCompetent, ResultExcellent, ResultCompetent, ResultBasic, ResultCompetent, ResultFail}
		edu := []string{"", "bachelor", "bachelor", "master", "doctorate"}
		for i := range payrollWorkers {
			start := time.Date(2012+i%10, time.Month(1+i%12), 1, 0, 0, 0, 0, cst)
			w := Worker{ID: hierarchy.PersonID(fmt.Sprintf("p%05d", i)), Start: start, PriorService: i % 7, Education: edu[i%len(edu)],
				Posts: []PostSpell{{Post: posts[i%len(posts)], From: start}}}
			if i%9 == 0 {
				w.Posts = append(w.Posts, PostSpell{Post: "deputy", From: start.AddDate(4, 0, 0)})
			}
			if i%3 == 0 {
				w.Certificates = []Certificate{{Level: CertAssistant, From: start.AddDate(1, 0, 0)}, {Level: CertSocial, From: start.AddDate(5, 0, 0)}}
			}
			for y := start.Year(); y < 2025; y++ {
				w.Assessments = append(w.Assessments, Assessment{Year: y, Result: results[(i+y)%len(results)]})
			}
			payrollWorkers[i] = w
		}
	})
	return payrollWorkers
}

// BenchmarkPayroll computes a month's payslips for 10,000 workers, each derived from
// their whole history (placement, every assessment, post change and certificate).
func BenchmarkPayroll(b *testing.B) {
	ws := workers10k()
	evals := map[hierarchy.PersonID]Evaluation{}
	for i, w := range ws {
		evals[w.ID] = Evaluation{Band: []string{"A", "B", "C"}[i%3], OnTimeRate: Rate(8800 + i%1200), HasOnTime: true}
	}
	exprScale := QinhuaiPayScale()
	exprScale.Pay.Kind = FormulaExpr
	f, err := ParseFormula(`rate(city_wage, uplift, coefficient) + (result == "excellent" ? 30000 : 0)`)
	if err != nil {
		b.Fatal(err)
	}
	exprScale.Pay.Expr = f
	for _, sc := range []struct {
		name  string
		scale PayScale
	}{{"coefficient", QinhuaiPayScale()}, {"fixed", FixedYuanPayScale()}, {"expr", exprScale}} {
		b.Run("workers=10000/"+sc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				slips, total, err := sc.scale.Payroll(ws, time.Date(2025, 6, 15, 0, 0, 0, 0, cst), evals)
				if err != nil || len(slips) != len(ws) || total <= 0 {
					b.Fatalf("Payroll: %d slips, %v, %v", len(slips), total, err)
				}
			}
		})
	}
}

// BenchmarkService_SubmitApprove is one claim presented and approved on a fund whose
// book already holds a district beat's year of payments (600 entries), against the
// same service: the fund's book head, which grows with every payment, is read once,
// not on every claim.
func BenchmarkService_SubmitApprove(b *testing.B) {
	ctx := context.Background()
	s := benchService(b)
	if _, err := s.OpenFund(ctx, chief, FundOpening{Area: "beat", Year: 2025, Amount: Yuan(10_000_000), Ref: "open"}); err != nil {
		b.Fatal(err)
	}
	n := 0
	claim := func() {
		in := ClaimInput{Source: Source{Kind: "report", ID: fmt.Sprint(n)}, Worker: hierarchy.PersonID(fmt.Sprint("w", n%1000)),
			Area: "beat", Unit: "grid-1", Category: CategoryEpidemic, Outcome: OutcomeVerified, ReportedAt: t0}
		n++
		c, err := s.Submit(ctx, head, in)
		if err == nil {
			_, err = s.Approve(ctx, c.ID, officer)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	for range 600 {
		claim()
	}
	if st, err := s.Settle(ctx, FundID("beat", 2025), officer); err != nil || len(st.Paid) != 600 {
		b.Fatalf("Settle: %d paid, %v", len(st.Paid), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		claim()
	}
}

// BenchmarkService_StatsEach is the statistics of a year's report over 10,000 claims
// of one beat, 6,000 of them paid: every claim is read from the store as a summary.
func BenchmarkService_StatsEach(b *testing.B) {
	ctx := context.Background()
	s := benchService(b)
	if _, err := s.OpenFund(ctx, chief, FundOpening{Area: "beat", Year: 2025, Amount: Yuan(10_000_000), Ref: "open"}); err != nil {
		b.Fatal(err)
	}
	const claims, paid = 10_000, 6_000
	for n := range claims {
		in := ClaimInput{Source: Source{Kind: "report", ID: fmt.Sprint(n)}, Worker: hierarchy.PersonID(fmt.Sprint("w", n%1000)),
			Area: "beat", Unit: "grid-1", Category: CategoryEpidemic, Outcome: OutcomeVerified, ReportedAt: t0}
		c, err := s.Submit(ctx, head, in)
		if err == nil && n < paid {
			_, err = s.Approve(ctx, c.ID, officer)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if st, err := s.Settle(ctx, FundID("beat", 2025), officer); err != nil || len(st.Paid) != paid {
		b.Fatalf("Settle: %d paid, %v", len(st.Paid), err)
	}
	qs := []StatsQuery{{By: []Dimension{ByArea}}, {By: []Dimension{ByCategory}}}
	b.ReportAllocs()
	for b.Loop() {
		st, err := s.StatsEach(ctx, qs...)
		if err != nil || len(st) != 2 || st[0].Total.Reports != claims || st[0].Total.Rewarded != paid {
			b.Fatalf("StatsEach: %+v, %v", st, err)
		}
	}
}
