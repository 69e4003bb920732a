package identity_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov/identity"
)

// The constant-key scramble the package used before its key was drawn per process: the
// packed digits multiplied by a published odd constant, undone by its inverse.
const (
	oldScrambleMul = 0x9E3779B97F4A7C15
	oldScrambleInv = 0xF1DE83E19937733D
)

// holder keeps a person's numbers in unexported fields, where fmt cannot call their
// Format methods and prints the fields by reflection.
type holder struct {
	name  string
	id    identity.ResidentID
	phone identity.Phone
}

func reflectionForms() string {
	h := holder{"Li", identity.MustParseResidentID(idBeijing), identity.MustParsePhone("13812345678")}
	return fmt.Sprintf("%v\n%+v\n%#v", h, h, h)
}

func packed(digits string) uint64 {
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		panic(err)
	}
	return n
}

// TestSealed_ReflectionFormHidesNumber: what a reflection printer shows of a number in
// an unexported field contains neither the number nor anything the old published
// constant turns back into it.
func TestSealed_ReflectionFormHidesNumber(t *testing.T) {
	out := reflectionForms()
	if os.Getenv("IDENTITY_PRINT_REFLECTION") != "" {
		fmt.Print("<<" + out + ">>")
		return
	}
	for _, s := range []string{idBeijing, idBeijing[:17], "19491231", "13812345678", "12345678"} {
		if strings.Contains(out, s) {
			t.Errorf("reflection form contains %q:\n%s", s, out)
		}
	}
	numbers := map[string]uint64{"resident ID": packed(idBeijing[:17]), "phone": packed("13812345678")}
	for what, n := range numbers {
		old := strconv.FormatUint(n*oldScrambleMul, 10)
		if strings.Contains(out, old) {
			t.Errorf("reflection form contains the old constant-key scramble %s of the %s:\n%s", old, what, out)
		}
		for _, f := range regexp.MustCompile(`[0-9]+`).FindAllString(out, -1) {
			x, err := strconv.ParseUint(f, 10, 64)
			if err == nil && (x == n || x*oldScrambleInv == n) {
				t.Errorf("printed integer %s turns back into the %s", f, what)
			}
		}
	}
}

// TestSealed_KeyedPerProcess: two runs of the same program print different sealed forms
// of the same numbers, so one run's output (or this source) gives no way to read
// another's.
func TestSealed_KeyedPerProcess(t *testing.T) {
	if os.Getenv("IDENTITY_PRINT_REFLECTION") != "" {
		t.Skip("child process")
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	child := func() string {
		cmd := exec.Command(exe, "-test.run=^TestSealed_ReflectionFormHidesNumber$", "-test.count=1")
		cmd.Env = append(os.Environ(), "IDENTITY_PRINT_REFLECTION=1")
		b, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", b)
		m := regexp.MustCompile(`(?s)<<(.*)>>`).FindSubmatch(b)
		require.NotNil(t, m, "child printed %s", b)
		return string(m[1])
	}
	here, a, b := reflectionForms(), child(), child()
	if a == b || a == here || b == here {
		t.Errorf("the sealed forms of the same numbers repeat across processes:\nhere %s\nrun 1 %s\nrun 2 %s", here, a, b)
	}
}

// TestSealed_EqualityWithinProcess: sealing is deterministic within a process, so equal
// numbers are ==, Equal and the same map key, and different numbers are not.
func TestSealed_EqualityWithinProcess(t *testing.T) {
	a, b := identity.MustParseResidentID(idBeijing), identity.MustParseResidentID(strings.ToLower(idBeijing))
	c := identity.MustParseResidentID(idGuangdong)
	if a != b || !a.Equal(b) || a == c || a.Equal(c) {
		t.Errorf("equality of resident IDs: a==b %v, a==c %v", a == b, a == c)
	}
	m := map[identity.ResidentID]int{a: 1}
	if m[b] != 1 || m[c] != 0 {
		t.Error("resident IDs as map keys")
	}
	p, q := identity.MustParsePhone("138 1234 5678"), identity.MustParsePhone("+8613812345678")
	if p != q || p == identity.MustParsePhone("13812345679") {
		t.Error("equality of phones")
	}
	var zero identity.ResidentID
	if !zero.IsZero() || a.IsZero() || a.Reveal() != idBeijing {
		t.Error("zero value and Reveal")
	}
}
