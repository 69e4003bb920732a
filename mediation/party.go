package mediation

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/identity"
)

// PartyID identifies a party within its case ("p1", "p2", ...).
type PartyID string

// PartyRole is a party's side in the dispute.
type PartyRole string

// The roles of a party.
const (
	RoleApplicant  PartyRole = "applicant"  // 申请人
	RoleRespondent PartyRole = "respondent" // 被申请人
	RoleOther      PartyRole = "other"      // 其他当事人
)

// Party is one party to a dispute. Its resident ID number and phone are personal data
// that never print in full:
//
//   - String, every fmt verb (%v, %+v, %#v, %s, %q), LogValue (slog) and
//     encoding/json (the JSON meant for logs and APIs) show them masked, as
//     [identity.ResidentID] and [identity.Phone] do;
//   - the full values come only from IDNumber.Reveal() and Phone.Reveal(), and are
//     persisted only by the storage form the [Service] writes (see [MarshalRecord]),
//     which is never the value's own JSON.
//
// So json.Marshal of a [Case] is safe to log; it is not a storage format and does not
// decode back. A Party is a plain value, safe for concurrent reads.
type Party struct {
	ID   PartyID   `json:"id"`
	Role PartyRole `json:"role"`
	Name string    `json:"name"`
	// IDNumber is the party's resident ID (居民身份证号码), if known.
	IDNumber identity.ResidentID `json:"id_number,omitzero"`
	// Phone is the party's contact phone, if known.
	Phone identity.Phone `json:"phone,omitzero"`
	// CreditCode is the unified social credit code when the party is an organisation
	// (an employer, a property company); it is public and prints in full.
	CreditCode identity.CreditCode `json:"credit_code,omitempty"`
	// Person is the party's ID in the organisation tree when it has one (a resident
	// who is also a grid worker): such a person may never mediate the case.
	Person hierarchy.PersonID `json:"person,omitempty"`
	// Relations are the people the party declares a tie with (a relative on the
	// room's roster, a mediator with an interest): they may not mediate the case.
	Relations []Relation `json:"relations,omitempty"`
}

// Relation is a tie between a party and a person that makes the person recuse (回避).
type Relation struct {
	Person hierarchy.PersonID `json:"person"`
	Ground RecusalGround      `json:"ground"`
	Note   string             `json:"note,omitempty"`
}

// String returns the party with its resident ID and phone masked.
func (p Party) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", p.Role, p.ID, p.Name)
	if !p.IDNumber.IsZero() {
		b.WriteString(" id:" + p.IDNumber.String())
	}
	if !p.Phone.IsZero() {
		b.WriteString(" phone:" + p.Phone.String())
	}
	if p.CreditCode != "" {
		b.WriteString(" credit:" + string(p.CreditCode))
	}
	return b.String()
}

// Format makes every verb print the masked [Party.String]: %#v must not fall back to
// printing the struct's fields, whatever their types do.
func (p Party) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", p.String())
	default:
		_, _ = f.Write([]byte("{" + p.String() + "}"))
	}
}

// LogValue implements [slog.LogValuer] with the resident ID and phone masked.
func (p Party) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("id", string(p.ID)),
		slog.String("role", string(p.Role)),
		slog.String("name", p.Name),
	}
	if !p.IDNumber.IsZero() {
		attrs = append(attrs, slog.String("id_number", p.IDNumber.String()))
	}
	if !p.Phone.IsZero() {
		attrs = append(attrs, slog.String("phone", p.Phone.String()))
	}
	return slog.GroupValue(attrs...)
}

// partyRecord is the storage form of a Party: the only place the full resident ID and
// phone are written. It never leaves the package except as bytes from MarshalRecord.
type partyRecord struct {
	ID         PartyID             `json:"id"`
	Role       PartyRole           `json:"role"`
	Name       string              `json:"name"`
	IDNumber   string              `json:"id_number,omitempty"`
	Phone      string              `json:"phone,omitempty"`
	CreditCode identity.CreditCode `json:"credit_code,omitempty"`
	Person     hierarchy.PersonID  `json:"person,omitempty"`
	Relations  []Relation          `json:"relations,omitempty"`
}

func (p Party) record() partyRecord {
	return partyRecord{
		ID: p.ID, Role: p.Role, Name: p.Name,
		IDNumber: p.IDNumber.Reveal(), Phone: p.Phone.Reveal(),
		CreditCode: p.CreditCode, Person: p.Person, Relations: p.Relations,
	}
}

func (r partyRecord) party() (Party, error) {
	p := Party{ID: r.ID, Role: r.Role, Name: r.Name, CreditCode: r.CreditCode, Person: r.Person, Relations: r.Relations}
	if r.IDNumber != "" {
		id, err := identity.ParseResidentID(r.IDNumber)
		if err != nil {
			return Party{}, fmt.Errorf("party %s: %w", r.ID, err)
		}
		p.IDNumber = id
	}
	if r.Phone != "" {
		ph, err := identity.ParsePhone(r.Phone)
		if err != nil {
			return Party{}, fmt.Errorf("party %s: %w", r.ID, err)
		}
		p.Phone = ph
	}
	return p, nil
}
