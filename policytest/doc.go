// Package policytest is a policy test kit (政策测试): scenario files, written in YAML
// by a district without Go, that run a profile's rules — the closed loop (闭环处置),
// its deadlines on the working calendar, the escalation ladder (逐级上报), the
// whistle (吹哨报到), refusals by role and jurisdiction, pay (薪酬) — and state what
// must come out, in the spirit of OpenFGA's .fga.yaml tests.
//
// A file gives the world (a profile, a division register, the units and people to
// add) and lists scenarios; each scenario is a sequence of timed steps, each step one
// action and, under then, what is expected after it:
//
//	given:
//	  profile: qinhuai              # a shipped profile, or a file next to this one
//	  tree: qinhuai-divisions.csv   # the division register the tree is built from
//	  units:                        # units below the register: grids, beats
//	    - {id: "320104002005001", name: 乌衣巷第一网格, level: grid, parent: "320104002005"}
//	  posts:                        # a post's id (default: the person) is what "as" names
//	    - {person: wang, unit: "320104002005001", role: grid-worker}
//	    - {person: zhao, unit: 320104002/command, role: dispatcher}
//	    - {person: chen, unit: 320104002/law-enforcement, role: enforcement-officer}
//	scenarios:
//	  - name: the finder may not verify
//	    given:                      # added to the file's given for this scenario only
//	      posts:
//	        - {person: li, unit: "320104002005001", role: grid-head, start: 2025-01-01}
//	    when:
//	      - at: 2025-09-30T10:00+08:00
//	        as: wang
//	        report: {id: C1, source: grid-patrol, category: E05, unit: "320104002005001"}
//	        then: {state: reported, level: grid}
//	      - as: zhao                # one minute after the previous step
//	        file: {}
//	      - as: zhao
//	        dispatch: {}            # routed by the profile's table
//	        then: {owner: 320104002/law-enforcement, deadline: 2025-10-11T17:30+08:00}
//	      - {as: chen, accept: {}}
//	      - {at: 2025-10-09T09:00+08:00, as: chen, report_back: {note: stall cleared}}
//	      - as: wang
//	        verify: {passed: true}
//	        then: {refused_by: roles.reporter-may-not-verify}
//	      - {as: li, verify: {passed: true}, then: {state: verified}}
//	      - at: 2025-10-13T09:00+08:00
//	        run_due: true           # the scheduler, and nobody closed the case (4h office)
//	        then: {escalations: 3, level: district}
//	  - name: pay
//	    when:
//	      - at: 2025-03-15T00:00+08:00
//	        payslip:
//	          worker: {id: p-1, start: 2025-01-01, posts: [{post: staff, from: 2025-01-01}]}
//	          band: A
//	        then: {grade: staff/1, amount: "¥8,980"}
//
// # Steps
//
// Actions on cases: report, file, dispatch, accept, return, report_back, verify,
// close, void, whistle, summon, report_in (each the escalation command of that name,
// issued by the post "as" names, on the case "case" names or the scenario's last
// reported one); run_due (the scheduler, [escalation.Service.RunDue], at the step's
// time); payslip (a worker's month under the profile's pay scale); open_fund, claim
// and approve (a report-reward fund, a reward claim and its approval, through
// [rewards.Service]); settle (the fund pays its approved claims, 结算); rate (a
// rating under the evaluation policy's rules: a community's reverse evaluation,
// 反向评价, of a person or unit seconded to it, or a street's rating of a whistle or a
// case, through [evaluation.Service]). The given may name a grid layer (grids, a
// GeoJSON file validated through the grid package under the profile's grid policy,
// each grid becoming a unit of its community) and secondments (下沉); a report may
// then give a point (point: {lon, lat}, datum) instead of a unit, located to its
// grid and refused by grid.unassigned when it lies in none. A step's at defaults to one minute after the previous step's
// and never goes back; the first step needs one. Times carry their zone (2025-09-26T10:00+08:00), or are dates
// (midnight China Standard Time). Money is yuan as in a profile (¥500, 500.00; quote
// amounts with a comma inside {…}).
//
// # Expectations
//
// state, level and owner of the case; deadline, the exact instant of the deadline of
// the step in progress; refused_by, the [gridgov.Error] Rule a refused step must have
// been refused by (and only that rule: a refusal by another rule fails); escalations,
// the number of escalations a run_due made; amount and grade (a number, or post/grade)
// of a payslip; state and amount of a reward claim; grid, the grid a report was
// located to; score, a rating's score as a share (97.5%); amount (paid), paid (claims
// paid) and balance (the fund's, also after open_fund) of a settlement. A step refused without
// refused_by fails, and so does a step accepted with it. A failure prints the
// position of the expectation:
//
//	testdata/failing/wrong.yaml:21:26 scenario "wrong deadline" step 3 (dispatch by zhao): deadline expected=2025-10-10T17:30:00+08:00 got=2025-10-11T17:30:00+08:00
//
// # Fail closed
//
// A scenario file is read strictly, as a profile is: an unknown key, a duplicate key,
// an expectation of an unknown kind or one that does not apply to its step (an amount
// after a report), a scenario that expects nothing, a glob that matches no file are
// errors ([profile.ErrorList], each at file:line:col with the source line), never a
// silent pass.
//
// # Running
//
// Under go test, [Run] reports each failure as a test error and logs the passes per
// kind and the coverage:
//
//	func TestPolicy(t *testing.T) { policytest.Run(t, "testdata/*.yaml") }
//
// Outside it, [Check] returns a [Report], and "gridgov test scenarios/*.yaml" prints
// it (exit 1 on any failure; --format json for CI). Each scenario runs on a fresh
// in-memory store, a manual clock and a seeded ID generator, so runs are
// deterministic.
//
// # Coverage
//
// [Coverage] lists which role rules (action × role of the escalation policy's roles)
// and deadline rows the scenarios used, and which refusal rules, pay rules and
// scheduler actions they hit; gridgov test --min-coverage fails a run below a
// percentage of role rules and deadline rows.
//
// # Replay
//
// [Replay] runs the scenarios again under a changed profile and lists, step by step,
// each deadline, escalation count, level, state, refusal, amount and grade the change
// decides differently ("gridgov test --replay new.yaml scenarios/*.yaml").
//
// A history (history.jsonl, one JSON object a line) records commands and the decisions
// made on them: a world line starts each run (the register, units and posts, and the
// fingerprint and policy version of the profile that decided), then one line per
// command, timed, with its actor, its inputs as a step writes them and the decision
// (see [HistoryWorld] and [HistoryCommand]). [Record] writes the history of scenario
// runs ("gridgov test --record history.jsonl scenarios/*.yaml"); [ExportCase] writes a
// case of a running system's store, each event turned back into the command that made
// it and decided again under the recording profile to check that it reproduces the
// stored case. [ReplayHistory] reruns every command under a changed profile on a fresh
// fake clock and lists, case by case and with the history's line, what it decides
// differently ("gridgov replay --profile new.yaml history.jsonl"): how a district
// previews a rule change on what was decided. A malformed history (a line that is not
// UTF-8 or not one JSON object, an unknown field, a time going back) is refused whole,
// every problem with its line.
package policytest
