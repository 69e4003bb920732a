// Package mediation models people's mediation (人民调解) under the People's Mediation
// Law of 2010 as Qinhuai district runs it: 168 mediation rooms (调解室) hosted by
// departments, streets, communities, police stations and police service points, all
// under one brand (苔花调解工作室) and one numbering, forming a network that links up and
// down and helps sideways (多方联调).
//
// # The network
//
// A [Room] is hosted by a unit of the [hierarchy.Tree] and has a roster of mediators:
// people's mediators (人民调解员), grid legal officers (政法网格员), the "three officials and
// one lawyer" (三官一律: police officer, judge, prosecutor, lawyer), experts; relatives
// and neighbours join single cases by invitation. Each room's committee must have 3 to 9
// members including a woman (art. 8). [NewNetwork] checks every room against the
// [Policy] and reports each rule each room breaks ([CheckRooms]).
//
// # The case
//
// A [Case] is one aggregate carrying its whole history. Its lifecycle is the pure
// function [Policy.Apply]: a case is applied for (申请) or initiated by the committee
// (主动调解), then accepted (受理) or refused (不予受理) on a ground — a party refuses,
// the dispute is already before a court or an arbitrator, or it is outside the scope of
// people's mediation. Mediators are appointed by the room or chosen by the parties
// (arts. 19–20); a mediator related to a party or with an interest steps aside (回避)
// and can never act on the case again. Sessions are public or private (art. 23) with
// attendees and minutes. Mediation ends in an agreement — written, effective when every
// party and a mediator have signed and the room has sealed it (art. 29), or oral,
// effective when recorded (art. 30) — or fails with advice on arbitration and court
// (art. 26), or the case goes to the police when the dispute may become a public-order
// or criminal case (art. 25). A case may be referred up (community → street → district,
// through the hosting units of the tree) or sideways to a specialist room, keeping its
// history.
//
// # Time limits
//
// Time limits are [Span] values of the [Policy], counted on the working calendar
// ([calendar.Calendar]): a case should conclude within one month of acceptance,
// extendable with every party's consent. The judicial-confirmation window (司法确认, art.
// 33) is 30 calendar days from the agreement taking effect, as the law says days, not
// working days: the National Day holiday inside the window does not lengthen it, but a
// last day that falls on a holiday moves to the next working day, as Chinese procedural
// law counts periods. Return visits (回访) are scheduled at the policy's offsets after
// the agreement takes effect; what they find, and any breach, is recorded.
//
// # Personal data
//
// Parties' resident ID numbers and phones ([identity.ResidentID], [identity.Phone])
// never print in full: [Party] and [Case] mask them in String, every fmt verb, slog and
// encoding/json, which is therefore a log format, not a storage format. The full values
// come only from Reveal and are stored only through the storage form the [Service]
// writes ([MarshalRecord] for other persistence).
//
// # Concurrency
//
// Everything but [Service] is a plain value or an immutable snapshot ([Network]):
// safe for concurrent reads, and never modified by the package once handed to it.
// [Service] is safe for concurrent use.
//
// # Service and statistics
//
// [Service] runs commands over a [store.Backend] with compare-and-swap saves and checks
// that only the room's mediators act on its cases ([Authorize]). [Summarize] and
// [Service.Report] give per-room, per-mediator and per-unit-subtree statistics for a
// period: cases, success and on-time rates, average duration, referrals, court
// confirmations, breaches found on return visits, and the legal consultations and
// trainings ([Activity]) of grid legal officers.
package mediation
