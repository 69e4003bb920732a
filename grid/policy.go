package grid

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// Policy holds a district's grid rules. Everything a district may set differently —
// the code format, the household band, the worker load, how far outside every grid a
// point may still be assigned — is here as data. The zero Policy is not usable; start
// from [QinhuaiPolicy] and check changes with [Policy.Validate]. A Policy is a plain
// value: safe for concurrent use as long as nobody modifies it.
type Policy struct {
	// Code is the format of grid codes.
	Code CodeRule `json:"code" yaml:"code"`
	// Households is the band of households per comprehensive grid. Qinhuai's default
	// 300–500 is a typical urban value no primary source confirmed [unverified].
	Households Band `json:"households" yaml:"households"`
	// FullTimeRoles are the post roles that count as a full-time grid worker (专职网格员)
	// for the "every comprehensive grid has one" rule, for load and for reassignment.
	FullTimeRoles []hierarchy.Role `json:"full_time_roles" yaml:"full_time_roles"`
	// Load caps what one full-time worker may serve.
	Load WorkerLoad `json:"load" yaml:"load"`
	// NearestWithinM is how far (metres) outside every grid a point may lie and still be
	// assigned to the nearest grid; farther points are unassigned. 0 assigns only points
	// inside a grid (or on the outer edge of the grid layer).
	NearestWithinM float64 `json:"nearest_within_m" yaml:"nearest_within_m"`
	// Gaps says which community area not covered by its grids is reported.
	Gaps GapRule `json:"gaps" yaml:"gaps"`
	// Address says how addresses are normalised before matching.
	Address AddressRules `json:"address" yaml:"address"`
}

// CodeRule is a grid code format: a regular expression the whole code must match and the
// number of leading characters that must equal the community's statistical code. The
// standards in use are all expressible:
//   - 15 digits, community code + 3-digit sequence (default): `^[0-9]{15}$`, prefix 12;
//   - 14 digits (county + street + community + 2-digit grid, GB/T 30428-style unit
//     grids): `^[0-9]{14}$`, prefix 12;
//   - 20 digits (community code + 8-digit block/grid sequence): `^[0-9]{20}$`, prefix 12;
//   - free-form local codes: any pattern, prefix 0.
type CodeRule struct {
	Pattern         string `json:"pattern" yaml:"pattern"`
	CommunityPrefix int    `json:"community_prefix" yaml:"community_prefix"`
}

// Band is an inclusive range; Max 0 means no upper limit.
type Band struct {
	Min int `json:"min" yaml:"min"`
	Max int `json:"max" yaml:"max"`
}

// Contains reports whether n lies in the band.
func (b Band) Contains(n int) bool { return n >= b.Min && (b.Max == 0 || n <= b.Max) }

// WorkerLoad caps one full-time worker's load; 0 means no limit.
type WorkerLoad struct {
	// MaxGrids is the most grids one person may serve as full-time worker
	// (Qinhuai: 1,117 full-time workers for 1,334 grids; default 2 [unverified]).
	MaxGrids int `json:"max_grids" yaml:"max_grids"`
	// MaxHouseholds is the most households across those grids (default 1,000
	// [unverified]).
	MaxHouseholds int `json:"max_households" yaml:"max_households"`
}

// GapRule says which parts of a community covered by none of its grids are reported.
// Gaps are computed exactly from the boundaries (see [Index.Validate]); each connected
// gap is one finding with its area.
type GapRule struct {
	MinAreaM2 float64 `json:"min_area_m2" yaml:"min_area_m2"` // smaller gaps are not reported
}

// AddressRules configures address normalisation (see [AddressRules.Normalize]).
type AddressRules struct {
	// StripPrefixes are removed from the start of an address, repeatedly, in any order:
	// the province, city and district every local address shares.
	StripPrefixes []string `json:"strip_prefixes" yaml:"strip_prefixes"`
}

// QinhuaiPolicy returns Qinhuai district's rules; the values marked [unverified] in the
// field docs are typical values, to be confirmed by the district.
func QinhuaiPolicy() Policy {
	return Policy{
		Code:           CodeRule{Pattern: `^[0-9]{15}$`, CommunityPrefix: 12},
		Households:     Band{Min: 300, Max: 500},
		FullTimeRoles:  []hierarchy.Role{hierarchy.RoleGridWorker},
		Load:           WorkerLoad{MaxGrids: 2, MaxHouseholds: 1000},
		NearestWithinM: 50,
		Gaps:           GapRule{MinAreaM2: 100},
		Address:        AddressRules{StripPrefixes: []string{"江苏省", "南京市", "秦淮区"}},
	}
}

// Validate reports every problem of the policy at once, each with its path; every error
// wraps [gridgov.ErrInvalid].
func (p Policy) Validate() error {
	var errs []error
	bad := func(path, msg string) {
		errs = append(errs, fmt.Errorf("grid: policy: %s: %s: %w", path, msg, gridgov.ErrInvalid))
	}
	if p.Code.Pattern == "" {
		bad("code.pattern", "must not be empty")
	} else if _, err := regexp.Compile(p.Code.Pattern); err != nil {
		bad("code.pattern", err.Error())
	}
	if p.Code.CommunityPrefix < 0 {
		bad("code.community_prefix", "must be >= 0")
	}
	if p.Households.Min < 0 {
		bad("households.min", "must be >= 0")
	}
	if p.Households.Max < 0 {
		bad("households.max", "must be >= 0")
	} else if p.Households.Max != 0 && p.Households.Max < p.Households.Min {
		bad("households.max", "must be >= households.min or 0 (no limit)")
	}
	if len(p.FullTimeRoles) == 0 {
		bad("full_time_roles", "must not be empty")
	}
	for i, r := range p.FullTimeRoles {
		if strings.TrimSpace(string(r)) == "" {
			bad(fmt.Sprintf("full_time_roles[%d]", i), "must not be empty")
		}
	}
	if p.Load.MaxGrids < 0 {
		bad("load.max_grids", "must be >= 0")
	}
	if p.Load.MaxHouseholds < 0 {
		bad("load.max_households", "must be >= 0")
	}
	if !(p.NearestWithinM >= 0) || p.NearestWithinM > 100000 {
		bad("nearest_within_m", "must be between 0 and 100000")
	}
	if !(p.Gaps.MinAreaM2 >= 0) {
		bad("gaps.min_area_m2", "must be >= 0")
	}
	for i, s := range p.Address.StripPrefixes {
		if s == "" {
			bad(fmt.Sprintf("address.strip_prefixes[%d]", i), "must not be empty")
		}
	}
	return errors.Join(errs...)
}

// fullTime reports whether role counts as a full-time worker.
func (p Policy) fullTime(role hierarchy.Role) bool {
	for _, r := range p.FullTimeRoles {
		if r == role {
			return true
		}
	}
	return false
}

// compiledCode is a CodeRule ready to check codes.
type compiledCode struct {
	re     *regexp.Regexp
	prefix int
}

func (r CodeRule) compile() (compiledCode, error) {
	re, err := regexp.Compile(r.Pattern)
	if err != nil {
		return compiledCode{}, err
	}
	return compiledCode{re: re, prefix: r.CommunityPrefix}, nil
}

// check returns why code does not follow the rule for a grid of a community whose
// statistical code is community, or "".
func (c compiledCode) check(code, community string) string {
	if !c.re.MatchString(code) {
		return fmt.Sprintf("code %q does not match %s", code, c.re)
	}
	if c.prefix > 0 {
		if len(community) < c.prefix || len(code) < c.prefix || code[:c.prefix] != community[:c.prefix] {
			return fmt.Sprintf("code %q does not start with the first %d characters of community code %q", code, c.prefix, community)
		}
	}
	return ""
}

// CheckCode reports whether code follows the rule for a grid of the community whose
// statistical code is community; the error wraps [gridgov.ErrInvalid] and says why.
func (r CodeRule) CheckCode(code, community string) error {
	c, err := r.compile()
	if err != nil {
		return fmt.Errorf("grid: code rule: %v: %w", err, gridgov.ErrInvalid)
	}
	if msg := c.check(code, community); msg != "" {
		return &gridgov.Error{Op: "grid.CheckCode", Kind: gridgov.ErrInvalid, Rule: "code", Msg: msg}
	}
	return nil
}
