package mediation

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// RoomID identifies a mediation room (调解室) by its brand number, e.g. "QHTH-001".
type RoomID string

// MediatorKind says what a mediator is. The set is data ([Policy.MediatorKinds]); the
// constants are the kinds Qinhuai uses.
type MediatorKind string

// The kinds of mediator in Qinhuai's network.
const (
	KindPeoplesMediator  MediatorKind = "peoples-mediator"   // 人民调解员
	KindGridLegalOfficer MediatorKind = "grid-legal-officer" // 政法网格员
	// The "three officials and one lawyer" (三官一律).
	KindPoliceOfficer MediatorKind = "police-officer" // 警官
	KindJudge         MediatorKind = "judge"          // 法官
	KindProsecutor    MediatorKind = "prosecutor"     // 检察官
	KindLawyer        MediatorKind = "lawyer"         // 律师
	// Invited to a case, with the parties' consent (邀请参与调解, art. 20).
	KindRelative     MediatorKind = "invited-relative"     // 当事人的亲属
	KindNeighbour    MediatorKind = "invited-neighbour"    // 邻里
	KindColleague    MediatorKind = "invited-colleague"    // 同事
	KindExpert       MediatorKind = "invited-expert"       // 具有专门知识、特定经验的人员
	KindOrganisation MediatorKind = "invited-organisation" // 有关社会组织的人员
)

// DisputeType is the type of a dispute, and what a room may specialise in. The set is
// data ([Policy.DisputeTypes]).
type DisputeType string

// Qinhuai's dispute types.
const (
	DisputeNeighbour DisputeType = "neighbour"           // 邻里纠纷
	DisputeFamily    DisputeType = "family"              // 婚姻家庭纠纷
	DisputeProperty  DisputeType = "property-management" // 物业纠纷
	DisputeLabour    DisputeType = "labour"              // 劳动争议
	DisputeConsumer  DisputeType = "consumer"            // 消费纠纷
	DisputeTraffic   DisputeType = "traffic"             // 交通事故纠纷
	DisputeMedical   DisputeType = "medical"             // 医疗纠纷
	DisputeOther     DisputeType = "other"
)

// Mediator is one person on a room's roster.
type Mediator struct {
	Person hierarchy.PersonID `json:"person" yaml:"person"`
	Name   string             `json:"name" yaml:"name"`
	Kind   MediatorKind       `json:"kind" yaml:"kind"`
	// Post, when set, is the post of the tree in which the person mediates in this
	// room: they may act on the room's cases only in it, while it is in force. When
	// empty, any post of theirs in force at the command's time (or a grant of
	// [RightMediate]) gives them authority. [CheckRooms] checks the post exists and is
	// the person's.
	Post hierarchy.PostID `json:"post,omitempty" yaml:"post,omitempty"`
	// Woman counts towards the committee's woman rule.
	Woman bool `json:"woman,omitempty" yaml:"woman,omitempty"`
	// Minority says the person belongs to one of the smaller ethnic groups (人数较少
	// 民族), for the rule on committees of multi-ethnic areas ([Room.MultiEthnic]).
	Minority bool `json:"minority,omitempty" yaml:"minority,omitempty"`
	// Committee says the mediator is a member of the room's committee; the committee
	// rules count only members.
	Committee bool `json:"committee,omitempty" yaml:"committee,omitempty"`
	// Chair says the member is the committee's chair (主任); a committee has exactly
	// one (设主任一人, People's Mediation Law art. 8).
	Chair bool `json:"chair,omitempty" yaml:"chair,omitempty"`
	// Elected is when a committee member was elected (推选产生) to the current term,
	// which lasts [TermYears] years (每届任期三年，可以连选连任, art. 9). Required for
	// committee members.
	Elected time.Time `json:"elected,omitzero" yaml:"elected,omitempty"`
	// Qualifications are the qualifications the room has on record for the person;
	// every one the policy lists is required ([Policy.Qualifications], art. 14).
	Qualifications []Qualification `json:"qualifications,omitempty" yaml:"qualifications,omitempty"`
}

// TermYears is the length of a committee member's term: three years, renewable by
// re-election (People's Mediation Law art. 9).
const TermYears = 3

// Qualification is one requirement a people's mediator meets. The set is data
// ([Policy.Qualifications]); the constants are those of People's Mediation Law art.
// 14 (人民调解员应当由公道正派、热心人民调解工作，并具有一定文化水平、政策水平和法律知识的
// 成年公民担任).
type Qualification string

// The qualifications of art. 14.
const (
	QualAdultCitizen   Qualification = "adult-citizen"   // 成年公民
	QualImpartial      Qualification = "impartial"       // 公道正派
	QualDedicated      Qualification = "dedicated"       // 热心人民调解工作
	QualEducation      Qualification = "education"       // 一定文化水平
	QualPolicyLiteracy Qualification = "policy-literacy" // 政策水平
	QualLegalKnowledge Qualification = "legal-knowledge" // 法律知识
)

// Art14 returns the qualifications People's Mediation Law art. 14 requires of every
// people's mediator.
func Art14() []Qualification {
	return []Qualification{QualAdultCitizen, QualImpartial, QualDedicated, QualEducation, QualPolicyLiteracy, QualLegalKnowledge}
}

// Room is a mediation room: hosted by a unit of the tree, carrying the brand, with its
// roster and the dispute types it specialises in (a room with none takes any dispute
// but is not a specialist room for sideways referral). It is a plain value, safe for
// concurrent reads.
type Room struct {
	ID   RoomID `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
	// Host is the unit hosting the room, or the room's own unit of kind
	// [hierarchy.KindMediationRoom] when the tree models rooms as units; the hosting
	// unit is then that unit's parent.
	Host         hierarchy.UnitID `json:"host" yaml:"host"`
	Specialities []DisputeType    `json:"specialities,omitempty" yaml:"specialities,omitempty"`
	Mediators    []Mediator       `json:"mediators" yaml:"mediators"`
	// MultiEthnic says the room's committee serves an area where several ethnic groups
	// live (多民族居住的地区): its committee must then have a member of a smaller ethnic
	// group (应当有人数较少民族的成员, People's Mediation Law art. 8).
	MultiEthnic bool `json:"multi_ethnic,omitempty" yaml:"multi_ethnic,omitempty"`
}

// Mediator returns the roster entry of person p.
func (r Room) Mediator(p hierarchy.PersonID) (Mediator, bool) {
	for _, m := range r.Mediators {
		if m.Person == p {
			return m, true
		}
	}
	return Mediator{}, false
}

// Specialises reports whether the room lists d among its specialities.
func (r Room) Specialises(d DisputeType) bool { return slices.Contains(r.Specialities, d) }

// Violation is one rule a room breaks. It wraps [gridgov.ErrInvalid].
type Violation struct {
	Room RoomID // the room, or "" for a problem of the network as a whole
	Path string // where in the room, e.g. "mediators[2].kind"
	Rule string // the policy rule, e.g. "committee.woman"
	Msg  string
}

// Error says which room breaks which rule, where.
func (v Violation) Error() string {
	return fmt.Sprintf("mediation: room %s: %s: %s (rule %s)", v.Room, v.Path, v.Msg, v.Rule)
}

// Unwrap makes a Violation match [gridgov.ErrInvalid].
func (v Violation) Unwrap() error { return gridgov.ErrInvalid }

// CheckRooms reports every rule each room breaks at time at, in room order: the brand's
// name and numbering, unique numbers, a host unit that exists in the tree and is of a
// kind that may host a room, known mediator kinds and dispute types, no person twice on
// a roster, a roster post that exists and is the person's, every qualification the
// policy lists (art. 14, rule "mediators.qualification"), no invited kind on the
// committee, and the committee rules of People's Mediation Law arts. 8 and 9: its size
// and women ("committee.size", "committee.woman"), exactly one chair who is a member
// ("committee.chair"), a member of a smaller ethnic group in a multi-ethnic area
// ("committee.minority"), and every member elected to a term ("committee.term-elected")
// that has not run its [TermYears] years by at ("committee.term-expired"; a zero at
// skips this, as [NewNetwork] does, because terms run out while a network serves).
func CheckRooms(p Policy, tree *hierarchy.Tree, rooms []Room, at time.Time) []Violation {
	var out []Violation
	seen := make(map[RoomID]bool, len(rooms))
	for _, r := range rooms {
		add := func(path, rule, format string, args ...any) {
			out = append(out, Violation{Room: r.ID, Path: path, Rule: rule, Msg: fmt.Sprintf(format, args...)})
		}
		if _, err := p.Brand.Parse(r.ID); err != nil {
			add("id", "brand.numbering", "number does not follow %q", p.Brand.Number(1))
		}
		if seen[r.ID] {
			add("id", "brand.unique-number", "number used by another room")
		}
		seen[r.ID] = true
		if !strings.Contains(r.Name, p.Brand.Name) {
			add("name", "brand.name", "name %q does not carry the brand %q", r.Name, p.Brand.Name)
		}
		if host, ok := hostOf(tree, r.Host); !ok {
			add("host", "host.unknown-unit", "unit %q is not in the tree", r.Host)
		} else if u, _ := tree.Unit(host); !p.AnyHostKind && !slices.Contains(p.HostKinds, u.Kind) {
			add("host", "host.kind", "unit %s is a %q, which may not host a room (allowed: %v)", host, u.Kind, p.HostKinds)
		}
		for i, d := range r.Specialities {
			if !slices.Contains(p.DisputeTypes, d) {
				add(fmt.Sprintf("specialities[%d]", i), "dispute-types.unknown", "unknown dispute type %q", d)
			}
		}
		members, women, minority, chairs := 0, 0, 0, 0
		people := make(map[hierarchy.PersonID]bool, len(r.Mediators))
		for i, m := range r.Mediators {
			path := fmt.Sprintf("mediators[%d]", i)
			if m.Person == "" {
				add(path+".person", "mediators.person-required", "person is required")
			} else if people[m.Person] {
				add(path+".person", "mediators.unique", "%s is on the roster twice", m.Person)
			}
			people[m.Person] = true
			if m.Post != "" {
				if post, ok := tree.Post(m.Post); !ok {
					add(path+".post", "mediators.post", "post %q is not in the tree", m.Post)
				} else if post.Person != m.Person {
					add(path+".post", "mediators.post", "post %s is held by %s, not %s", m.Post, post.Person, m.Person)
				}
			}
			if !slices.Contains(p.MediatorKinds, m.Kind) {
				add(path+".kind", "mediators.kind", "kind %q is not in mediator_kinds", m.Kind)
			}
			var missing []string
			for _, q := range p.Qualifications {
				if !slices.Contains(m.Qualifications, q) {
					missing = append(missing, string(q))
				}
			}
			if len(missing) > 0 {
				add(path+".qualifications", "mediators.qualification", "%s lacks %s on record (art. 14)", m.Person, strings.Join(missing, ", "))
			}
			for j, q := range m.Qualifications {
				if !slices.Contains(p.Qualifications, q) {
					add(fmt.Sprintf("%s.qualifications[%d]", path, j), "mediators.qualification-unknown", "%q is not among the policy's qualifications", q)
				}
			}
			if m.Chair && !m.Committee {
				add(path+".chair", "committee.chair-not-member", "the chair must be a committee member")
			}
			if !m.Committee {
				continue
			}
			if slices.Contains(p.InvitedKinds, m.Kind) {
				add(path+".committee", "committee.invited-member", "an invited %s may not sit on the committee", m.Kind)
			}
			members++
			if m.Woman {
				women++
			}
			if m.Minority {
				minority++
			}
			if m.Chair {
				chairs++
			}
			switch {
			case m.Elected.IsZero():
				add(path+".elected", "committee.term-elected", "committee member %s has no election date (推选产生, art. 9)", m.Person)
			case !at.IsZero() && m.Elected.After(at):
				add(path+".elected", "committee.term-elected", "committee member %s is elected only on %s", m.Person, m.Elected.Format(time.DateOnly))
			case !at.IsZero() && !at.Before(m.Elected.AddDate(TermYears, 0, 0)):
				add(path+".elected", "committee.term-expired", "the %d-year term of %s, elected %s, ended %s (art. 9)",
					TermYears, m.Person, m.Elected.Format(time.DateOnly), m.Elected.AddDate(TermYears, 0, 0).Format(time.DateOnly))
			}
		}
		c := p.Committee
		if members < c.MinMembers || members > c.MaxMembers {
			add("mediators", "committee.size", "%d committee members, need %d to %d", members, c.MinMembers, c.MaxMembers)
		}
		if women < c.MinWomen {
			add("mediators", "committee.woman", "%d women on the committee, need at least %d", women, c.MinWomen)
		}
		if chairs != 1 {
			add("mediators", "committee.chair", "%d chairs on the committee, need exactly one (设主任一人, art. 8)", chairs)
		}
		if r.MultiEthnic && minority == 0 {
			add("mediators", "committee.minority", "a committee of a multi-ethnic area needs a member of a smaller ethnic group (art. 8)")
		}
	}
	return out
}

// hostOf returns the unit hosting a room whose Host is id: id itself, or its parent when
// id is the room's own mediation-room unit.
func hostOf(tree *hierarchy.Tree, id hierarchy.UnitID) (hierarchy.UnitID, bool) {
	u, ok := tree.Unit(id)
	if !ok {
		return "", false
	}
	if u.Kind == hierarchy.KindMediationRoom {
		return tree.Parent(id)
	}
	return id, true
}

// Network is the validated set of a district's rooms over its organisation tree. It is
// immutable and safe for concurrent use. The zero value is not usable; use
// [NewNetwork].
type Network struct {
	tree   *hierarchy.Tree
	rooms  map[RoomID]Room
	order  []RoomID                    // by number
	hosts  map[RoomID]hierarchy.UnitID // each room's hosting unit
	byHost map[hierarchy.UnitID][]RoomID
}

// NewNetwork validates the rooms against the policy and the tree and returns the
// network, or every [Violation] joined, each wrapping [gridgov.ErrInvalid]. The rooms
// are copied.
func NewNetwork(p Policy, tree *hierarchy.Tree, rooms []Room) (*Network, error) {
	if tree == nil {
		return nil, fmt.Errorf("mediation: new network: nil tree: %w", gridgov.ErrInvalid)
	}
	if vs := CheckRooms(p, tree, rooms, time.Time{}); len(vs) > 0 {
		errs := make([]error, len(vs))
		for i, v := range vs {
			errs[i] = v
		}
		return nil, fmt.Errorf("mediation: new network: %w", errors.Join(errs...))
	}
	n := &Network{
		tree: tree, rooms: make(map[RoomID]Room, len(rooms)),
		hosts: make(map[RoomID]hierarchy.UnitID, len(rooms)), byHost: make(map[hierarchy.UnitID][]RoomID),
	}
	for _, r := range rooms {
		r.Specialities = slices.Clone(r.Specialities)
		r.Mediators = slices.Clone(r.Mediators)
		for i := range r.Mediators {
			r.Mediators[i].Qualifications = slices.Clone(r.Mediators[i].Qualifications)
		}
		host, _ := hostOf(tree, r.Host)
		n.rooms[r.ID] = r
		n.hosts[r.ID] = host
		n.order = append(n.order, r.ID)
		n.byHost[host] = append(n.byHost[host], r.ID)
	}
	slices.Sort(n.order)
	for _, ids := range n.byHost {
		slices.Sort(ids)
	}
	return n, nil
}

// Check reports every rule the network's rooms break at time at ([CheckRooms]): run it
// periodically, for the committee terms that run out while the network serves.
func (n *Network) Check(p Policy, at time.Time) []Violation {
	rooms := make([]Room, len(n.order))
	for i, id := range n.order {
		rooms[i] = n.rooms[id]
	}
	return CheckRooms(p, n.tree, rooms, at)
}

// Tree returns the organisation tree the network was built on.
func (n *Network) Tree() *hierarchy.Tree { return n.tree }

// Room returns room id. The returned value shares its slices with the network: do not
// modify them.
func (n *Network) Room(id RoomID) (Room, bool) {
	r, ok := n.rooms[id]
	return r, ok
}

// Rooms returns the IDs of every room, by number.
func (n *Network) Rooms() []RoomID { return slices.Clone(n.order) }

// Host returns the unit hosting room id (for a room modelled as its own unit, that
// unit's parent).
func (n *Network) Host(id RoomID) (hierarchy.UnitID, bool) {
	h, ok := n.hosts[id]
	return h, ok
}

// HostedBy returns the rooms hosted by unit u itself, by number.
func (n *Network) HostedBy(u hierarchy.UnitID) []RoomID { return slices.Clone(n.byHost[u]) }

// Up returns the room a case of room from is referred up to: a room hosted by the
// nearest ancestor of from's host unit that hosts any (community → street → district).
// Among several rooms of that unit it prefers one that specialises in d, then the
// lowest number.
func (n *Network) Up(from RoomID, d DisputeType) (RoomID, bool) {
	host, ok := n.hosts[from]
	if !ok {
		return "", false
	}
	for _, a := range n.tree.Ancestors(host) {
		if ids := n.byHost[a]; len(ids) > 0 {
			return n.pick(ids, d), true
		}
	}
	return "", false
}

// Specialists returns the rooms other than from that specialise in d, nearest first:
// those whose host shares the deepest common ancestor with from's host, then by
// number.
func (n *Network) Specialists(from RoomID, d DisputeType) []RoomID {
	host, ok := n.hosts[from]
	if !ok {
		return nil
	}
	chain := append([]hierarchy.UnitID{host}, n.tree.Ancestors(host)...)
	dist := func(u hierarchy.UnitID) int {
		for i, a := range chain {
			if n.tree.Contains(a, u) {
				return i
			}
		}
		return len(chain)
	}
	var out []RoomID
	for _, id := range n.order {
		if id != from && n.rooms[id].Specialises(d) {
			out = append(out, id)
		}
	}
	slices.SortStableFunc(out, func(a, b RoomID) int {
		return cmp.Compare(dist(n.hosts[a]), dist(n.hosts[b]))
	})
	return out
}

func (n *Network) pick(ids []RoomID, d DisputeType) RoomID {
	for _, id := range ids {
		if n.rooms[id].Specialises(d) {
			return id
		}
	}
	return ids[0]
}
