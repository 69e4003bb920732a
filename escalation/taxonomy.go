package escalation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov"
)

// CategoryKind is the family of a category: GB/T 30428 components and events, or the
// governance matters grid workers also report.
//
// Which codes are the standard's, this library's or a district's is set out in the
// package documentation (Taxonomy); [IsExtension] tells a district's extension
// classes from the standard's.
type CategoryKind string

// Category kinds. The first letter of a category code gives its kind: C, E or G.
const (
	Component  CategoryKind = "component"  // 部件: a physical asset with an owner (a manhole cover, a street lamp)
	EventKind  CategoryKind = "event"      // 事件: something happening (an unlicensed stall, construction noise)
	Governance CategoryKind = "governance" // 社会治理事项: disputes, hazards, livelihood requests, police matters
)

// Category is one class of the taxonomy. Codes are hierarchical: a minor class's code
// extends its major class's ("C0101" under "C01"), so that routing and deadline rules
// can name a whole branch by a prefix. Category is a plain value.
type Category struct {
	// Code identifies the category: "C01"–"C06" and "E01"–"E06" are the GB/T 30428
	// major classes of components and events, "G01"–"G04" this library's governance
	// categories, "C07"–"C99" and "E07"–"E99" a district's extension classes; minor
	// classes extend a major or extension class by at least one more character. Codes
	// hold no white space.
	Code string `json:"code" yaml:"code"`
	// Name is the category's name as the district's standard writes it (Chinese).
	Name string `json:"name" yaml:"name"`
	// English is an English gloss, for documentation and logs.
	English string `json:"english,omitempty" yaml:"english,omitempty"`
}

// Kind returns the family of the category, from its code's first letter, or "" when
// the code starts with none of C, E and G.
func (c Category) Kind() CategoryKind { return KindOf(c.Code) }

// KindOf returns the family of a category code: [Component] for "C…", [EventKind]
// for "E…", [Governance] for "G…", else "".
func KindOf(code string) CategoryKind {
	if code == "" {
		return ""
	}
	switch code[0] {
	case 'C':
		return Component
	case 'E':
		return EventKind
	case 'G':
		return Governance
	}
	return ""
}

// Major returns the major class code of a category code: its first three characters
// ("E0501" → "E05"), or code itself when shorter.
func Major(code string) string {
	if len(code) <= 3 {
		return code
	}
	return code[:3]
}

// MajorClasses returns the built-in major classes: the six component classes and six
// event classes of GB/T 30428 (formerly CJ/T 214) and this library's four governance
// categories of grid governance. Extension classes are a district's data, in
// [Policy].Categories. The slice is the caller's.
func MajorClasses() []Category {
	return []Category{
		{Code: "C01", Name: "公用设施", English: "public facilities"},
		{Code: "C02", Name: "道路交通", English: "roads and traffic"},
		{Code: "C03", Name: "市容环境", English: "city appearance"},
		{Code: "C04", Name: "园林绿化", English: "landscaping"},
		{Code: "C05", Name: "房屋土地", English: "buildings and land"},
		{Code: "C06", Name: "其他设施", English: "other facilities"},
		{Code: "E01", Name: "市容环境", English: "city appearance"},
		{Code: "E02", Name: "宣传广告", English: "advertising"},
		{Code: "E03", Name: "施工管理", English: "construction"},
		{Code: "E04", Name: "突发事件", English: "emergencies"},
		{Code: "E05", Name: "街面秩序", English: "street order"},
		{Code: "E06", Name: "其他事件", English: "other events"},
		{Code: "G01", Name: "矛盾纠纷", English: "disputes"},
		{Code: "G02", Name: "安全隐患", English: "safety hazards"},
		{Code: "G03", Name: "民生诉求", English: "livelihood requests"},
		{Code: "G04", Name: "治安警情", English: "police matters"},
	}
}

// IsExtension reports whether code is an extension class's code ("C07"–"C99",
// "E07"–"E99": 扩展部件, 扩展事件) or extends one: a class the district defines, not
// the standard.
func IsExtension(code string) bool { return len(code) >= 3 && isExtensionMajor(code[:3]) }

func isExtensionMajor(code string) bool {
	if len(code) != 3 || (code[0] != 'C' && code[0] != 'E') || code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9' {
		return false
	}
	return (code[1]-'0')*10+(code[2]-'0') >= 7
}

func isMajor(code string) bool {
	if len(code) != 3 {
		return false
	}
	switch code[0] {
	case 'C', 'E':
		return code[1] == '0' && code[2] >= '1' && code[2] <= '6'
	case 'G':
		return code[1] == '0' && code[2] >= '1' && code[2] <= '4'
	}
	return false
}

// ParseCategories reads extension classes (扩展部件, 扩展事件) and minor classes (细类)
// as a YAML or JSON list:
//
//   - {code: C0101, name: 上水井盖, english: water supply manhole cover}
//   - {code: E0501, name: 无照经营游商, english: unlicensed street vendor}
//   - {code: E07, name: 扩展事件, english: extension events}
//   - {code: E0701, name: 共享单车乱停放, english: shared bicycles parked astray}
//
// Unknown keys are errors. The list is checked as [ValidateCategories] checks it, and
// every problem is reported at once with its position, wrapping [gridgov.ErrInvalid].
func ParseCategories(r io.Reader) ([]Category, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("escalation: read categories: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var cats []Category
	if err := dec.Decode(&cats); err != nil && !errors.Is(err, io.EOF) {
		return nil, &gridgov.Error{Op: "escalation.ParseCategories", Kind: gridgov.ErrInvalid, Rule: "taxonomy.syntax", Err: err}
	}
	if err := ValidateCategories(cats); err != nil {
		return nil, err
	}
	return cats, nil
}

// ValidateCategories checks a list of extension and minor classes: each has a name
// and a code that is an extension class's ("C07"–"C99", "E07"–"E99") or extends a
// built-in major class or an extension class the list defines; no code appears twice
// or repeats a built-in major class.
// Every problem is reported, joined, each a [*gridgov.Error] wrapping
// [gridgov.ErrInvalid] with rule "taxonomy.code", "taxonomy.name" or
// "taxonomy.duplicate" and the entry's path ("categories[3].code").
func ValidateCategories(cats []Category) error {
	return errors.Join(validateCategories("categories", cats)...)
}

func validateCategories(path string, cats []Category) []error {
	var errs []error
	bad := func(rule, p, format string, args ...any) {
		errs = append(errs, &gridgov.Error{Op: "escalation.Policy.Validate", Kind: gridgov.ErrInvalid, Rule: rule,
			Msg: p + ": " + fmt.Sprintf(format, args...)})
	}
	ext := map[string]bool{}
	for _, c := range cats {
		if isExtensionMajor(c.Code) {
			ext[c.Code] = true
		}
	}
	seen := make(map[string]int, len(cats))
	for i, c := range cats {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case c.Code == "":
			bad("taxonomy.code", p+".code", "required")
		case isMajor(c.Code):
			bad("taxonomy.duplicate", p+".code", "%q is a built-in major class", c.Code)
		case isExtensionMajor(c.Code):
			// an extension class (扩展部件, 扩展事件)
		case len(c.Code) == 3:
			bad("taxonomy.code", p+".code", "%q is neither a built-in major class nor an extension class (C07–C99, E07–E99)", c.Code)
		case len(c.Code) < 3 || !(isMajor(c.Code[:3]) || ext[c.Code[:3]]):
			bad("taxonomy.code", p+".code", "%q does not extend a major class (C01–C06, E01–E06, G01–G04) or an extension class the list defines", c.Code)
		case strings.ContainsAny(c.Code, " \t\n\r"):
			bad("taxonomy.code", p+".code", "%q contains white space", c.Code)
		}
		if c.Name == "" {
			bad("taxonomy.name", p+".name", "required")
		}
		if j, dup := seen[c.Code]; dup && c.Code != "" {
			bad("taxonomy.duplicate", p+".code", "%q repeats %s[%d]", c.Code, path, j)
		} else {
			seen[c.Code] = i
		}
	}
	return errs
}

// Category returns the category with code: a built-in major class or one of the
// policy's extension or minor classes.
func (p *Policy) Category(code string) (Category, bool) {
	if isMajor(code) {
		for _, c := range MajorClasses() {
			if c.Code == code {
				return c, true
			}
		}
	}
	for _, c := range p.Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// knownCategory is Category without building the major list.
func (p *Policy) knownCategory(code string) bool {
	if isMajor(code) {
		return true
	}
	for i := range p.Categories {
		if p.Categories[i].Code == code {
			return true
		}
	}
	return false
}

// hasPrefix reports whether category code falls under prefix ("" matches every code).
func hasPrefix(code, prefix string) bool { return strings.HasPrefix(code, prefix) }

func matchesAny(code string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}
