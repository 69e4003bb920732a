package hierarchy_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
)

// TestLoadDivisionsCSV_UTF8Only: a division file must be clean UTF-8 text; anything else
// is refused before a name is stored, with an error naming the line, and a file in
// GBK says that it looks like GBK.
func TestLoadDivisionsCSV_UTF8Only(t *testing.T) {
	const head = "code,name,level,parent_code\n"
	const base = head + "320104,秦淮区,district,3201\n" // line 2
	tests := []struct {
		name, csv string
		line      int
		gbk       bool
		reason    string
	}{
		{"ErrGBKName", base + "320104001,\xc7\xd8\xba\xe7\xbd\xd6\xb5\xc0,street,320104\n", 3, true,
			"秦虹街道 in GBK bytes: not UTF-8, and they read as GBK"},
		{"ErrInvalidUTF8", base + "320104001,秦虹\xff街道,street,320104\n", 3, false,
			"0xFF is never UTF-8 and never GBK"},
		{"ErrLatin1", base + "320104001,Caf\xe9,street,320104\n", 3, false,
			"a Latin-1 é is not UTF-8 and its next byte is no GBK trail byte"},
		{"ErrTruncatedUTF8", base + "320104001,秦虹街\xe9\x81,street,320104\n", 3, false,
			"a UTF-8 sequence cut short"},
		{"ErrNUL", base + "320104001,秦虹\x00街道,street,320104\n", 3, false, "NUL inside a name"},
		{"ErrNULInCode", base + "320104001\x00,秦虹街道,street,320104\n", 3, false, "NUL inside a code"},
		{"ErrControl", base + "320104001,秦虹\x1b[31m街道,street,320104\n", 3, false, "an escape sequence"},
		{"ErrDEL", base + "320104001,秦虹\x7f,street,320104\n", 3, false, "DEL"},
		{"ErrC1", base + "320104001,秦虹\u0085街道,street,320104\n", 3, false, "a C1 control (NEL)"},
		{"ErrReplacementChar", base + "320104001,秦虹\ufffd\ufffd,street,320104\n", 3, false,
			"U+FFFD left by an earlier failed conversion is garbled text"},
		{"ErrBOMInside", base + "\ufeff320104001,秦虹街道,street,320104\n", 3, false,
			"a byte-order mark of a concatenated file"},
		{"ErrHeaderGBK", "code,\xc3\xfb\xb3\xc6,level,parent_code\n", 1, true, "名称 in GBK in the header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := hierarchy.LoadDivisionsCSV(strings.NewReader(tt.csv), hierarchy.QinhuaiSchema())
			if !errors.Is(err, gridgov.ErrInvalid) || b != nil {
				t.Fatalf("LoadDivisionsCSV() = %v, %v; want ErrInvalid (%s)", b, err, tt.reason)
			}
			if diff := cmp.Diff([]problem{{hierarchy.RuleEncoding, tt.line}}, problems(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got) (%s):\n%s\nerror: %v", tt.reason, diff, err)
			}
			if got := strings.Contains(err.Error(), "looks like GBK"); got != tt.gbk {
				t.Errorf("error says GBK: %v, want %v (%s): %v", got, tt.gbk, tt.reason, err)
			}
		})
	}
}

// TestLoadDivisionsCSV_UTF8Only_RealGBKFile: Qinhuai's real register saved in GBK is
// refused as GBK, line by line up to a bound, and the same register in UTF-8 loads.
func TestLoadDivisionsCSV_UTF8Only_RealGBKFile(t *testing.T) {
	_, err := hierarchy.LoadDivisionsCSV(openTestdata(t, "qinhuai-divisions-gbk.csv"), hierarchy.QinhuaiSchema())
	ps := problems(err)
	if len(ps) != 21 || ps[0] != (problem{hierarchy.RuleEncoding, 2}) || ps[20].Line != 22 {
		t.Fatalf("GBK register: problems %v, want lines 2…21 and a summary from line 22", ps)
	}
	if !strings.Contains(err.Error(), "looks like GBK") || !strings.Contains(err.Error(), "and 105 more lines") {
		t.Errorf("GBK register error = %v", err)
	}
	if _, err := hierarchy.LoadDivisionsCSV(openTestdata(t, "qinhuai-divisions.csv"), hierarchy.QinhuaiSchema()); err != nil {
		t.Errorf("the UTF-8 register: %v", err)
	}
}

// FuzzLoadDivisionsCSV: no input makes the loader panic; every refusal is ErrInvalid and
// every problem in it names a line of the file; whatever is accepted holds only clean
// UTF-8 names and codes, and building it does not panic either.
func FuzzLoadDivisionsCSV(f *testing.F) {
	for _, name := range []string{"qinhuai-divisions.csv", "qinhuai-divisions-gbk.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		// The head of the real register, in UTF-8 and in GBK: the whole file makes each
		// mutation's minimisation slow.
		lines := bytes.SplitAfter(b, []byte("\n"))
		f.Add(bytes.Join(lines[:12], nil))
	}
	f.Add([]byte("code,name,level,parent_code\n320104,秦淮区,district,3201\n"))              // one clean line
	f.Add([]byte("code,name,level,parent_code\n320104,\xc7\xd8\xbb\xb4,district,\n"))     // a GBK name
	f.Add([]byte("code,name,level,parent_code\n320104,a\x00b,district,\n"))               // NUL
	f.Add([]byte("\ufeffcode,name,level,parent_code\n\"320104\",\"a\"\"b\",district,\n")) // BOM, quotes
	f.Add([]byte("code,name,level,parent_code\n320104,\"open,district,\n"))               // an open quote
	f.Add([]byte(""))                                                                     // nothing
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := hierarchy.LoadDivisionsCSV(strings.NewReader(string(data)), hierarchy.QinhuaiSchema())
		if err != nil {
			if !errors.Is(err, gridgov.ErrInvalid) || b != nil {
				t.Fatalf("refusal %v is not ErrInvalid or returned a builder", err)
			}
			for _, p := range problems(err) {
				if p.Line < 1 || strings.HasPrefix(p.Rule, "?") {
					t.Fatalf("problem %+v names no line of the file: %v", p, err)
				}
			}
			return
		}
		tr, err := b.Build()
		if err != nil {
			return
		}
		for u := range tr.Units() {
			for _, s := range []string{u.Name, u.Code, string(u.ID)} {
				if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }) {
					t.Fatalf("accepted unit %+v with text that is not clean UTF-8", u)
				}
			}
		}
	})
}
