// Package sim simulates a year of Nanjing's Qinhuai district (秦淮区) through the
// gridgov services and reports each simulated figure beside the one the district
// published.
//
// # The district
//
// The organisation tree (组织架构) is the real statistical division register: the
// district, its 12 streets (街道), 4 functional zones and 104 residents' committees
// (社区), with the party organisations, the streets' five departments, one bureau and
// two centres (五部一局两中心), 60 district departments and units, a police station per
// street and the rights Qinhuai's reform sent down (赋权). The grid layer (网格) is
// synthetic but laid inside the district's real outline: 1,026 comprehensive grids
// (综合网格) of about 220 m, cells of a lattice whose centres fall inside the outline,
// grouped along a Hilbert curve into the communities so that each community and each
// street is one compact patch, and 308 exclusive grids (专属网格) over schools, malls,
// hospitals and parks inside them; the layer passes grid validation. 158 police
// beats (警务区, "网格+警格") group the grids; 1,117 full-time grid workers, 107 first
// secretaries (第一书记), each seconded (下沉) from a department to a community paired
// (结对) with it, and 168 mediation rooms of the 苔花调解工作室 network complete it. The layout does not depend on the seed.
//
// # The year
//
// Each simulated day draws its events from its own random source, derived from the
// seed, the district and the date: grid events found on patrol, whistles (吹哨),
// police-relevant reports (警情), epidemic reports, disputes and legal consultations,
// sized so that the year matches the report's figures (which add up several years;
// see [Published]). Each item becomes a script of commands, each by a person in a real
// post of the tree at that time, run in time order through the services: grid
// assignment of the reported point ([grid.Index.Locate]), the closed loop of
// escalation (发现→立案→派遣→处置→核查→结案) with the scheduler's RunDue every half hour
// escalating late cases, whistles and report-ins (吹哨报到) with the district leader
// holding the street (包块), the streets' ratings of departments (一哨一考核), each
// community's quarterly reverse rating (反向评价) of the first secretary seconded to it,
// mediation
// (人民调解) to a signed and sealed agreement or failure, report rewards (一案一奖) from
// the beats' funds of at least ¥35,000, and at the end of the year the overall
// evaluation (综合评价), the scorecards, the grades and next year's pay (三岗十八级).
// A refusal by any service stops the run with the rule that refused: the simulation
// never skips a command it meant to succeed.
//
// # Lanes
//
// A district's streams run in three lanes, each with a clock, an ID source, services
// and an agenda of its own, and each writing records no other lane writes:
//
//   - events: the grid events' closed loop with its whistles and the streets'
//     ratings of them, the communities' reverse ratings, the disputes and the legal
//     activities (the evaluation service reads the events' cases, so it is here);
//   - police: the police matters' and the epidemic reports' cases;
//   - rewards: those cases' claims and approvals, and the beats' funds.
//
// A script moves to the rewards lane when its case has closed and its claim is next.
// The rewards lane runs a day behind the others, so on the day it simulates every
// claim of that day has already been handed to it. The lanes of a day run at once,
// one goroutine each, while the next day's items are drawn; a lane's commands
// depend only on the scripts it is given, never on how the lanes interleave, so the
// report and every stored record are the same when the lanes run one after another
// ([Options.Serial]). On two cores shared with other work the year takes a fifth to
// a quarter less time than in turn, less when other tenants keep the cores busy.
//
// # Determinism and resuming
//
// Time is a manual clock per lane; IDs come from a generator per lane seeded per
// day: the services are opened once per run and the entropy their generator reads
// is reset to the seed of the day and the lane, so a day issues the IDs a fresh
// generator of that seed would. What is still under way when a run stops (the
// remaining steps of each script) is stored with the progress in the backend, so a
// run continued on the same store — [Options.Months] or [Options.Days] at a time —
// reports exactly what one uninterrupted run reports.
//
// # The report
//
// Every simulated figure is computed by the library from the stored records:
// escalation metrics ([escalation.Compute]), reward statistics, mediation reports,
// evaluation results and the payroll. Satisfaction surveys, first secretaries'
// projects and their days in the communities, which no record of the simulation
// holds, are drawn from the seed as the scorecards' inputs.
package sim
