package grid

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
)

func TestAddressRules_Normalize(t *testing.T) {
	r := QinhuaiPolicy().Address
	tests := []struct {
		in, want string
		reason   string
	}{
		{"龙蟠中路218号3栋", "龙蟠中路218号3栋", "already canonical"},
		{"江苏省南京市秦淮区龙蟠中路218号3栋", "龙蟠中路218号3栋", "province, city and district prefixes stripped"},
		{"南京市 江苏省龙蟠中路218号3栋", "龙蟠中路218号3栋", "prefixes in any order, with spaces"},
		{"龙蟠中路２１８号３幢", "龙蟠中路218号3栋", "full-width digits; 幢 is 栋"},
		{"龙蟠中路 218 號 3 棟", "龙蟠中路218号3栋", "spaces removed; traditional 號 and 棟"},
		{"龙蟠中路218号3号楼", "龙蟠中路218号3栋", "号楼 is 栋"},
		{"龙蟠中路218号3#楼", "龙蟠中路218号3栋", "#楼 is 栋"},
		{"龙蟠中路218#", "龙蟠中路218号", "# is 号"},
		{"龙蟠中路二百一十八号三栋二单元", "龙蟠中路218号3栋2单元", "Chinese numerals before markers"},
		{"龙蟠中路十二号", "龙蟠中路12号", "十二 is 12"},
		{"龙蟠中路218号3栋二单元三〇一室", "龙蟠中路218号3栋2单元301室", "digit-by-digit numerals"},
		{"三山街8号", "三山街8号", "numerals in names stay (三山街)"},
		{"龙蟠中路218号3-2-301", "龙蟠中路218号3栋2单元301室", "dash form building-unit-room"},
		{"龙蟠中路218号3－301", "龙蟠中路218号3栋301室", "full-width dash, building-room"},
		{"龙蟠中路218号ａ座", "龙蟠中路218号A座", "full-width, lower-case letter"},
		{"　龙蟠中路218号\t\n", "龙蟠中路218号", "ideographic space, tab and newline removed"},
	}
	for _, tc := range tests {
		if got := r.Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q (%s)", tc.in, got, tc.want, tc.reason)
		}
	}
}

func TestIndex_Address(t *testing.T) {
	ix := mustIndex(t, testWorld(), nil)
	tests := []struct {
		addr   string
		want   AddressMatch
		err    error
		reason string
	}{
		{"龙蟠中路218号1栋", AddressMatch{Grid: "320104002001001", Building: "b1", Normalized: "龙蟠中路218号1栋"}, nil, "exact"},
		{"江苏省南京市秦淮区龙蟠中路２１８号二幢3单元501室", AddressMatch{Grid: "320104002001002", Building: "b2", Normalized: "龙蟠中路218号2栋3单元501室"}, nil,
			"prefixes, full width, numerals, 幢; unit and room ignored"},
		{"龙蟠中路218号2-1-101", AddressMatch{Grid: "320104002001002", Building: "b2", Normalized: "龙蟠中路218号2栋1单元101室"}, nil, "dash form"},
		{"中华路1号3栋", AddressMatch{Grid: "320104002001001", Building: "b4", Normalized: "中华路1号3栋"}, nil, "registered as 3幢"},
		{"龙蟠中路220号601室", AddressMatch{Grid: "320104002001003", Building: "b3", Normalized: "龙蟠中路220号601室"}, nil, "a single-building address with a room"},
		{"中华路5号", AddressMatch{Grid: "320104002001002", Building: "b5", Normalized: "中华路5号"}, nil, "a building placed by its location"},
		{"龙蟠中路218号", AddressMatch{Normalized: "龙蟠中路218号"}, gridgov.ErrInvalid, "the compound has buildings in two grids: ambiguous"},
		{"龙蟠中路218号9栋", AddressMatch{Normalized: "龙蟠中路218号9栋"}, gridgov.ErrNotFound, "no building 9"},
		{"长乐路1号", AddressMatch{Normalized: "长乐路1号"}, gridgov.ErrNotFound, "unknown street"},
		{"", AddressMatch{}, gridgov.ErrNotFound, "empty"},
	}
	for _, tc := range tests {
		got, err := ix.Address(tc.addr)
		if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
			t.Errorf("Address(%q) error = %v, want %v (%s)", tc.addr, err, tc.err, tc.reason)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Address(%q) mismatch (-want +got):\n%s(%s)", tc.addr, diff, tc.reason)
		}
	}
	_, err := ix.Address("龙蟠中路218号")
	if err == nil || !strings.Contains(err.Error(), "320104002001001, 320104002001002") {
		t.Errorf("the ambiguity error should name both grids: %v", err)
	}
}

func TestIndex_Address_Compound(t *testing.T) {
	w := testWorld()
	w.Grids[1].Buildings = nil // A002 lets go of b2...
	w.Grids[0].Buildings = append(w.Grids[0].Buildings, "b2")
	ix := mustIndex(t, w, nil)
	got, err := ix.Address("龙蟠中路218号")
	if err != nil {
		t.Fatalf("Address(compound) error = %v", err)
	}
	want := AddressMatch{Grid: "320104002001001", Normalized: "龙蟠中路218号"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Address(compound in one grid) mismatch (-want +got):\n%s", diff)
	}
}
