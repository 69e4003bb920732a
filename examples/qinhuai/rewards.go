package main

import (
	"errors"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/rewards"
	"github.com/gridgov/gridgov/store/memstore"
)

// rewards runs scene 5: 王芳's police-matter report of scene 3 earns its reward from
// the beat's fund, a second report of the same matter earns nothing, and 王芳's
// payslip on the 三岗十八级 scale is explained.
func (s *story) rewards() {
	s.section(5, "Rewards: 一案一奖 from the beat's fund, and the 三岗十八级 payslip")
	clock := gridgov.NewManualClock(s.cst(2025, 10, 10, 9, 0))
	svc := must(rewards.NewService(memstore.New(), rewards.QinhuaiPolicy(), s.tree, clock,
		gridgov.NewSeededIDGenerator(110), nil))

	// The police station funds each responsibility area with at least ¥35,000 a year;
	// district leader 周宏 signs the appropriation. Every command names the actor's post.
	leader := act(zhouHong, district)
	_, err := svc.OpenFund(s.ctx, leader, rewards.FundOpening{Area: beat, Year: 2025, Amount: rewards.Yuan(30000), Ref: "秦公(2025)12号"})
	if !errors.Is(err, gridgov.ErrInvalid) {
		check(errors.Join(errors.New("a fund below the floor was not refused"), err))
	}
	s.printf("open the fund of %s with %v: refused by rule %s\n", s.unitName(beat), rewards.Yuan(30000), gridgov.RuleOf(err))
	fund := must(svc.OpenFund(s.ctx, leader, rewards.FundOpening{Area: beat, Year: 2025, Amount: rewards.Yuan(35000), Ref: "秦公(2025)12号"}))
	s.printf("fund %s opened with %v\n", fund.ID, fund.Balance)

	// The claim comes from the verified, closed case D; the same incident was also
	// reported in the 秦淮e员 app by 孙丽, twenty minutes later.
	d := s.policeCase
	if d.State != escalation.Closed {
		check(errors.New("the police matter was not closed in scene 3"))
	}
	first := rewards.ClaimInput{Source: rewards.Source{Kind: "case", ID: string(d.ID)}, Worker: d.Reporter.Person,
		Area: beat, Unit: d.Location.Unit, Category: rewards.CategoryPolice, Outcome: rewards.OutcomeCaptureByReport,
		Contribution: rewards.ContributionDirect, Matter: "110-20251009-0457", ReportedAt: d.ReportedAt}
	second := first
	second.Source = rewards.Source{Kind: "report", ID: "e-20251009-1432"}
	second.Worker, second.Unit, second.ReportedAt = sunLi, grid2, d.ReportedAt.Add(20*time.Minute)

	claim := must(svc.Submit(s.ctx, act(wangFang, grid1), first))
	s.printf("claim %s by %s: %s, scheduled %v\n", claim.ID, s.name(claim.Worker), claim.State, claim.Amount)
	clock.Advance(time.Hour)
	_, err = svc.Approve(s.ctx, claim.ID, act(wangFang, grid1))
	if !errors.Is(err, gridgov.ErrForbidden) {
		check(errors.Join(errors.New("a grid worker approved her own claim"), err))
	}
	s.printf("  approval by %s herself: refused by rule %s\n", s.name(wangFang), gridgov.RuleOf(err))
	claim = must(svc.Approve(s.ctx, claim.ID, act(zhangWei, beat)))
	s.printf("  approved by %s: %s, granted %v\n", s.name(zhangWei), claim.State, claim.Granted)
	dup := must(svc.Submit(s.ctx, act(sunLi, grid2), second))
	s.printf("claim %s by %s: %s by rule %s\n  %s\n", dup.ID, s.name(dup.Worker), dup.State, dup.Rule, dup.Reason)

	clock.Advance(time.Hour)
	settled := must(svc.Settle(s.ctx, fund.ID, act(zhangWei, beat)))
	fund = must(svc.Fund(s.ctx, fund.ID))
	s.printf("settled %d claim(s), %v; the fund holds %v\n", len(settled.Paid), settled.Total, fund.Balance)
	rec := must(svc.Reconcile(s.ctx, clock.Now()))
	s.printf("reconcile: ledger and claims agree: %v (%d fund book(s), %d problem(s))\n", rec.OK(), len(rec.Books), len(rec.Problems))

	// 王芳's pay for October: a staff post (其他工作人员, grades 1–12) since July 2021,
	// a bachelor's degree counted as three years, an assistant social worker's
	// certificate, four annual assessments. Her grid's on-time closure rate from scene
	// 3 decides the timeliness bonus.
	start := s.cst(2021, 7, 1, 0, 0)
	w := rewards.Worker{ID: wangFang, Start: start, Education: "bachelor",
		Posts:        []rewards.PostSpell{{Post: "staff", From: start}},
		Certificates: []rewards.Certificate{{Level: rewards.CertAssistant, From: s.cst(2023, 6, 1, 0, 0)}},
		Assessments: []rewards.Assessment{{Year: 2021, Result: rewards.ResultCompetent},
			{Year: 2022, Result: rewards.ResultExcellent}, {Year: 2023, Result: rewards.ResultCompetent},
			{Year: 2024, Result: rewards.ResultCompetent}},
	}
	onTime := s.gridOnTime
	ev := rewards.Evaluation{Band: "A", HasOnTime: onTime.Defined(),
		// Floored to a basis point, so that a rate never rounds up into a better band.
		OnTimeRate: rewards.Rate(onTime.Num * int64(rewards.One) / max(onTime.Den, 1))}
	x := must(rewards.QinhuaiPolicy().PayScale.Explain(w, s.cst(2025, 10, 1, 0, 0), ev))
	s.printf("payslip of %s, grid %s on-time closure %v:\n", s.name(wangFang), grid1, onTime)
	for _, line := range strings.Split(strings.TrimRight(x.String(), "\n"), "\n") {
		s.printf("  %s\n", line)
	}
}
