package grid

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gridgov/gridgov"
)

// Normalize rewrites a Chinese street address into the canonical form used to match
// addresses to buildings (地址标准化). The same function is applied to registered
// building addresses and to queries, so two spellings of one address meet:
//
//   - full-width letters, digits and punctuation become half-width (１２Ａ → 12A), the
//     ideographic space becomes a space, and all white space is removed;
//   - letters are upper-cased; 號 → 号, 幢/棟/號樓/号楼/#楼 → 栋 (building), 單元 → 单元,
//     # → 号, dashes of every width → "-";
//   - Chinese numerals directly before 号, 栋, 单元, 室, 层, 楼, 弄 or 巷 become Arabic
//     (十二号 → 12号, 三栋 → 3栋); numerals elsewhere are part of names (三山街) and stay;
//   - a trailing "3-2-301" after 号 becomes 3栋2单元301室, and "3-301" becomes 3栋301室;
//   - the configured prefixes (province, city, district) are stripped from the front.
//
// Normalize is pure and safe for concurrent use.
func (r AddressRules) Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		switch {
		case c == 0x3000:
			continue
		case c >= 0xFF01 && c <= 0xFF5E:
			c -= 0xFEE0
		}
		if unicode.IsSpace(c) {
			continue
		}
		switch c {
		case '‐', '‑', '‒', '–', '—', '―', '－', '−', '﹣':
			c = '-'
		case '號':
			c = '号'
		case '幢', '棟':
			c = '栋'
		case '單':
			c = '单'
		}
		b.WriteRune(unicode.ToUpper(c))
	}
	out := b.String()
	out = strings.ReplaceAll(out, "#楼", "栋")
	out = strings.ReplaceAll(out, "#", "号")
	out = strings.ReplaceAll(out, "号楼", "栋")
	out = arabicNumerals(out)
	for changed := true; changed; {
		changed = false
		for _, p := range r.StripPrefixes {
			if p != "" && strings.HasPrefix(out, p) {
				out = out[len(p):]
				changed = true
			}
		}
	}
	return expandDashes(out)
}

var numeralMarkers = []string{"号", "栋", "单元", "室", "层", "楼", "弄", "巷"}

var cnDigit = map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

func isCNNumeral(c rune) bool {
	_, ok := cnDigit[c]
	return ok || c == '十' || c == '百' || c == '千'
}

// arabicNumerals converts runs of Chinese numerals followed by an address marker.
func arabicNumerals(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c, w := utf8.DecodeRuneInString(s[i:])
		if !isCNNumeral(c) {
			b.WriteString(s[i : i+w])
			i += w
			continue
		}
		j := i
		for j < len(s) {
			c2, w2 := utf8.DecodeRuneInString(s[j:])
			if !isCNNumeral(c2) {
				break
			}
			j += w2
		}
		run := s[i:j]
		marked := false
		for _, m := range numeralMarkers {
			if strings.HasPrefix(s[j:], m) {
				marked = true
				break
			}
		}
		if v, ok := parseCNNumber(run); marked && ok {
			fmt.Fprintf(&b, "%d", v)
		} else {
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

// parseCNNumber reads 十二, 二十一, 一百零五, 三〇一 (digit by digit) and the like.
func parseCNNumber(s string) (int, bool) {
	rs := []rune(s)
	positional := true
	for _, c := range rs {
		if c == '十' || c == '百' || c == '千' {
			positional = false
		}
	}
	if positional { // 三〇一 → 301
		v := 0
		for _, c := range rs {
			v = v*10 + cnDigit[c]
		}
		return v, len(rs) > 0 && len(rs) <= 6
	}
	total, cur := 0, 0
	for _, c := range rs {
		switch c {
		case '十', '百', '千':
			unit := 10
			switch c {
			case '百':
				unit = 100
			case '千':
				unit = 1000
			}
			if cur == 0 {
				cur = 1
			}
			total += cur * unit
			cur = 0
		default:
			cur = cnDigit[c]
		}
	}
	return total + cur, true
}

// expandDashes rewrites a trailing dash form after the last 号.
func expandDashes(s string) string {
	i := strings.LastIndex(s, "号")
	if i < 0 {
		return s
	}
	head, tail := s[:i+len("号")], s[i+len("号"):]
	parts := strings.Split(tail, "-")
	if len(parts) < 2 || len(parts) > 3 {
		return s
	}
	for _, p := range parts {
		if p == "" || strings.IndexFunc(p, func(c rune) bool { return c < '0' || c > '9' }) >= 0 {
			return s
		}
	}
	if len(parts) == 3 {
		return head + parts[0] + "栋" + parts[1] + "单元" + parts[2] + "室"
	}
	return head + parts[0] + "栋" + parts[1] + "室"
}

// buildingKey cuts a normalised address after its building part (…栋 or …座), dropping
// unit, floor and room; without a building part, after the last 号. It also returns the
// compound part (up to the last 号 before the building part).
func buildingKey(norm string) (key, compound string) {
	hao := strings.LastIndex(norm, "号")
	from := max(hao, 0)
	end := -1
	for _, m := range []string{"栋", "座"} {
		if j := strings.Index(norm[from:], m); j >= 0 {
			if e := from + j + len(m); end < 0 || e < end {
				end = e
			}
		}
	}
	if hao >= 0 {
		compound = norm[:hao+len("号")]
	}
	switch {
	case end >= 0:
		return norm[:end], compound
	case hao >= 0:
		return compound, compound
	}
	return norm, ""
}

// addressBook maps normalised building keys to buildings.
type addressBook struct {
	rules      AddressRules
	byKey      map[string][]int32 // building key → buildings
	byCompound map[string][]int32 // compound (…号) → buildings
}

func newAddressBook(r AddressRules, bs []Building) addressBook {
	ab := addressBook{rules: r, byKey: map[string][]int32{}, byCompound: map[string][]int32{}}
	for i, b := range bs {
		if b.Address == "" {
			continue
		}
		key, comp := buildingKey(r.Normalize(b.Address))
		ab.byKey[key] = append(ab.byKey[key], int32(i))
		if comp != "" {
			ab.byCompound[comp] = append(ab.byCompound[comp], int32(i))
		}
	}
	return ab
}

// AddressMatch is the answer of [Index.Address].
type AddressMatch struct {
	Grid       string // the grid's code
	Building   string // the building matched; empty when a whole compound matched
	Normalized string // the query as normalised
}

// Address says which grid an address belongs to, by matching it (normalised by
// [AddressRules.Normalize]) to the buildings registered in the atlas:
//
//   - the building part (…栋/…座, or the street number …号 when there is none) must match
//     a registered building; unit, floor and room are ignored;
//   - an address naming only a compound (…号) whose registered buildings all lie in one
//     grid matches that grid, with an empty Building;
//   - an address matching buildings in several grids fails with an error wrapping
//     [gridgov.ErrInvalid] that lists them: the caller must say which building;
//   - an address matching nothing fails with an error wrapping [gridgov.ErrNotFound].
func (ix *Index) Address(addr string) (AddressMatch, error) {
	norm := ix.addrs.rules.Normalize(addr)
	key, comp := buildingKey(norm)
	cands := ix.addrs.byKey[key]
	building := true
	if len(cands) == 0 && key == comp {
		cands = ix.addrs.byCompound[comp]
		building = false
	}
	if len(cands) == 0 {
		return AddressMatch{Normalized: norm}, &gridgov.Error{Op: "grid.Address", Kind: gridgov.ErrNotFound,
			Msg: fmt.Sprintf("address %q (normalised %q) matches no registered building", addr, norm)}
	}
	var grids []string
	for _, bi := range cands {
		if gi := ix.buildingGrid[bi]; gi >= 0 {
			grids = append(grids, ix.grids[gi].g.Code)
		}
	}
	slices.Sort(grids)
	grids = slices.Compact(grids)
	switch len(grids) {
	case 0:
		return AddressMatch{Normalized: norm}, &gridgov.Error{Op: "grid.Address", Kind: gridgov.ErrNotFound,
			Msg: fmt.Sprintf("address %q (normalised %q) matches buildings in no grid", addr, norm)}
	case 1:
		m := AddressMatch{Grid: grids[0], Normalized: norm}
		if building && len(cands) == 1 {
			m.Building = ix.buildings[cands[0]].ID
		}
		return m, nil
	}
	return AddressMatch{Normalized: norm}, &gridgov.Error{Op: "grid.Address", Kind: gridgov.ErrInvalid,
		Msg: fmt.Sprintf("address %q (normalised %q) is ambiguous: it matches buildings in grids %s; name the building",
			addr, norm, strings.Join(grids, ", "))}
}
