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
// one lawyer" (三官一律: police officer, judge, prosecutor, lawyer), experts; relatives,
// neighbours, colleagues and experts join single cases by invitation, once the parties
// consent (在征得当事人的同意后, art. 20). Each room's committee (人民调解委员会) has 3 to 9
// members including a woman and exactly one chair (主任), and in a multi-ethnic area a
// member of a smaller ethnic group (art. 8); its members are elected for three-year
// terms (art. 9); every mediator has the qualifications of art. 14 on record, kept as
// policy data. [NewNetwork] checks every room against the [Policy] and reports each
// rule each room breaks ([CheckRooms]); [Network.Check] re-runs the rules at a later
// time, for terms that run out.
//
// # Who may act
//
// Every command names a [hierarchy.Actor]: a mediator on the roster of the room holding
// the case, acting in a post of the tree that is theirs and in force at the command's
// time (the post the roster pins, when it pins one), or holding a grant of
// [RightMediate] over the room's host unit then. An actor who names no post and holds no
// such grant is refused, so a mediator whose post ended cannot act by leaving it out.
// [Authorize] decides this inside [Policy.Apply]; refusals wrap [gridgov.ErrForbidden]
// and name the rule. Lists that limit who or what may take part fail closed: a policy
// with no host kinds, qualifications, refusal grounds or extension rule does not
// validate.
//
// # The case
//
// A [Case] is one aggregate carrying its whole history. Its lifecycle is the pure
// function [Policy.Apply]: a case is applied for (申请) or initiated by the committee
// (主动调解), then accepted (受理) or refused (不予受理) on a ground: a party clearly
// refuses (art. 17); only a specialised organ may handle the dispute or the law bars
// mediating it; a court, the police or another administrative organ has already
// accepted or resolved it (人民调解工作若干规定, the 2002 people's-mediation work rules,
// art. 22); or it is not a civil dispute (art. 2). Mediators are appointed by the room
// or chosen by the parties (art. 19); a mediator related to a party or with an interest
// steps aside (回避) and can never act on the case again. Sessions are public or private
// (art. 23) with attendees and minutes. Mediation ends in an agreement — written,
// stating the five items of the 2002 rules art. 35 when the policy asks for them, and
// effective when every party and a mediator have signed and the room has sealed it (art.
// 29); or oral, when the parties chose it (art. 28), effective when recorded (art. 30) —
// or it is terminated (终止调解) with advice on arbitration and court (art. 26). A
// dispute that may lead to a public-order or criminal case is reported to the police
// (应当及时报告, art. 25): the report leaves the case open, and ending it, if the police
// take the matter up, is a separate refusal or termination on that ground. A case may
// be referred up (community → street → district, through the hosting units of the tree)
// or sideways to a specialist room, keeping its history.
//
// # Time limits
//
// Time limits are [Span] values of the [Policy], counted on the working calendar
// ([calendar.Calendar]): a case is "generally" concluded within one month of acceptance
// (一般在一个月内调结, 2002 rules art. 33). Whether the limit may be extended is a local
// choice no national text makes ([ExtensionRule]: none, once with every party's consent,
// or on while the parties agree); Qinhuai's default is one month, once, with consent.
// The judicial-confirmation window (司法确认, art. 33 of the law) is 30 calendar days
// from the agreement taking effect, as the law says days, not working days: the National
// Day holiday inside the window does not lengthen it, but a last day that falls on a
// holiday moves to the next working day, as Chinese procedural law counts periods.
// Return visits (回访) are scheduled at the policy's offsets after the agreement takes
// effect; what they find, and any breach, is recorded.
//
// Article numbers without a source are those of the People's Mediation Law of 2010
// (人民调解法); "2002 rules" are the Ministry of Justice's 人民调解工作若干规定. Values no
// source fixes (the extension rule, return-visit offsets, the brand's numbering, the
// local refusal ground [GroundBeforeArbitration]) are marked as local choices where they
// are defined.
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
// [Service] runs commands over a [store.Backend] with compare-and-swap saves; every
// command and recorded activity passes [Authorize] at the clock's time. [Summarize]
// and [Service.Report] give per-room, per-mediator and per-unit-subtree statistics for
// a period: cases, success and on-time rates, average duration, referrals, reports to
// the police, court confirmations, breaches found on return visits, and the legal
// consultations and trainings ([Activity]) of grid legal officers.
package mediation
