package ledger

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func counterIDs() func() (string, error) {
	n := 0
	return func() (string, error) { n++; return fmt.Sprintf("E%04d", n), nil }
}

func deposit(key string, amount int64) Posting {
	return Posting{Key: key, Kind: "deposit", Cause: "ref-" + key, Debit: "source:budget", Credit: "fund:F", Amount: amount}
}

func pay(key string, amount int64) Posting {
	return Posting{Key: key, Kind: "pay", Cause: "claim-" + key, Debit: "fund:F", Credit: "worker:w1", Amount: amount}
}

func newTestBook(t testing.TB) Book {
	t.Helper()
	b, err := NewBook("F", "fund:F", nil)
	require.NoError(t, err)
	return b
}

func TestBook_Apply(t *testing.T) {
	base, _, err := newTestBook(t).Apply([]Posting{deposit("d1", 10000), pay("p1", 3000)}, t0, counterIDs(), nil)
	require.NoError(t, err)

	tests := []struct {
		name        string
		ps          []Posting
		wantResults []Result
		wantBalance int64
		wantKind    error
		wantRule    string
		reason      string
	}{
		{"OK", []Posting{pay("p2", 2000)}, []Result{{Seq: 3, Amount: 2000}}, 5000, nil, "",
			"a payment within the balance debits the fund"},
		{"Duplicate", []Posting{pay("p1", 3000)}, []Result{{Seq: 2, Duplicate: true}}, 7000, nil, "",
			"the same key again moves nothing and names the first entry"},
		{"DuplicateInBatch", []Posting{pay("p2", 1000), pay("p2", 1000)}, []Result{{Seq: 3, Amount: 1000}, {Seq: 3, Duplicate: true}}, 6000, nil, "",
			"a key repeated inside one batch is posted once"},
		{"ExactBalance", []Posting{pay("p2", 7000)}, []Result{{Seq: 3, Amount: 7000}}, 0, nil, "",
			"the balance may reach zero"},
		{"ErrOverdraft", []Posting{pay("p2", 7001)}, nil, 7000, gridgov.ErrPrecondition, RuleNoOverdraft,
			"one fen more than the balance is refused"},
		{"Partial", []Posting{{Key: "p2", Kind: "pay", Cause: "c", Debit: "fund:F", Credit: "worker:w2", Amount: 9000, Partial: true}}, []Result{{Seq: 3, Amount: 7000}}, 0, nil, "",
			"a partial posting takes what is left"},
		{"ErrBatchAtomic", []Posting{pay("p2", 5000), pay("p3", 5000)}, nil, 7000, gridgov.ErrPrecondition, RuleNoOverdraft,
			"the second posting overdraws, so the first is not posted either"},
		{"Reversal", []Posting{{Key: "r1", Kind: "clawback", Cause: "claim-p1", Amount: 3000, Reverses: "p1"}}, []Result{{Seq: 3, Amount: 3000}}, 10000, nil, "",
			"a reversal with empty accounts swaps the original's"},
		{"ReversalInBatch", []Posting{pay("p2", 2000), {Key: "r2", Kind: "clawback", Cause: "c", Amount: 500, Reverses: "p2"}}, []Result{{Seq: 3, Amount: 2000}, {Seq: 4, Amount: 500}}, 5500, nil, "",
			"an entry posted earlier in the same batch can be reversed in it"},
		{"ErrReverseInBatchTooMuch", []Posting{pay("p2", 2000), {Key: "r2", Kind: "clawback", Cause: "c", Amount: 2001, Reverses: "p2"}}, nil, 7000, gridgov.ErrPrecondition, RuleReverseAtMost,
			"a reversal inside the batch may not exceed its entry either"},
		{"ErrMaxInt64Deposit", []Posting{{Key: "d2", Kind: "deposit", Cause: "c", Debit: "source:x", Credit: "fund:F", Amount: math.MaxInt64}}, nil, 7000, gridgov.ErrInvalid, RuleWellFormed,
			"a deposit of MaxInt64 is refused: no posting exceeds MaxAmount"},
		{"ErrReverseTooMuch", []Posting{{Key: "r1", Kind: "clawback", Cause: "c", Amount: 3001, Reverses: "p1"}}, nil, 7000, gridgov.ErrPrecondition, RuleReverseAtMost,
			"a reversal may not exceed the original"},
		{"ErrReverseTwice", []Posting{{Key: "r1", Kind: "clawback", Cause: "c", Amount: 2000, Reverses: "p1"}, {Key: "r2", Kind: "clawback", Cause: "c", Amount: 1001, Reverses: "p1"}}, nil, 7000, gridgov.ErrPrecondition, RuleReverseAtMost,
			"two reversals together may not exceed the original"},
		{"ErrReverseMirror", []Posting{{Key: "r1", Kind: "clawback", Cause: "c", Debit: "worker:w9", Credit: "fund:F", Amount: 100, Reverses: "p1"}}, nil, 7000, gridgov.ErrInvalid, RuleReverseMirrors,
			"a reversal must come back from the account that was paid"},
		{"ErrReverseUnknown", []Posting{{Key: "r1", Kind: "clawback", Cause: "c", Amount: 100, Reverses: "nope"}}, nil, 7000, gridgov.ErrNotFound, RuleReverseKnown,
			"only a posted key can be reversed"},
		{"ErrOwnAccount", []Posting{{Key: "x", Kind: "pay", Cause: "c", Debit: "fund:G", Credit: "worker:w1", Amount: 1}}, nil, 7000, gridgov.ErrInvalid, RuleOwnAccount,
			"a book only records movements of its own account"},
		{"ErrPipe", []Posting{{Key: "a|b", Kind: "pay", Cause: "c", Debit: "fund:F", Credit: "worker:w1", Amount: 1}}, nil, 7000, gridgov.ErrInvalid, RuleWellFormed,
			"a '|' would make the canonical line ambiguous"},
		{"ErrZero", []Posting{pay("p2", 0)}, nil, 7000, gridgov.ErrInvalid, RuleWellFormed,
			"an amount must be positive"},
		{"ErrNoCause", []Posting{{Key: "k", Kind: "pay", Debit: "fund:F", Credit: "worker:w1", Amount: 5}}, nil, 7000, gridgov.ErrInvalid, RuleWellFormed,
			"no entry without its cause"},
		{"ErrSameAccount", []Posting{{Key: "k", Kind: "pay", Cause: "c", Debit: "fund:F", Credit: "fund:F", Amount: 5}}, nil, 7000, gridgov.ErrInvalid, RuleWellFormed,
			"an entry moves money between two accounts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := fmt.Sprint(base)
			got, results, err := base.Apply(tc.ps, t0.Add(time.Hour), counterIDs(), nil)
			if fmt.Sprint(base) != before {
				t.Fatalf("Apply changed its receiver (%s)", tc.reason)
			}
			if tc.wantKind != nil {
				if !errors.Is(err, tc.wantKind) || gridgov.RuleOf(err) != tc.wantRule {
					t.Fatalf("Apply() error = %v, want kind %v rule %s (%s)", err, tc.wantKind, tc.wantRule, tc.reason)
				}
				if got.Balance() != tc.wantBalance || got.Seq != base.Seq {
					t.Errorf("refused Apply() returned balance %d seq %d, want the unchanged book (%s)", got.Balance(), got.Seq, tc.reason)
				}
				return
			}
			require.NoError(t, err, tc.reason)
			if diff := cmp.Diff(tc.wantResults, results); diff != "" {
				t.Errorf("Apply() results mismatch (-want +got) (%s):\n%s", tc.reason, diff)
			}
			if got.Balance() != tc.wantBalance {
				t.Errorf("Apply() balance = %d, want %d (%s)", got.Balance(), tc.wantBalance, tc.reason)
			}
			if r := Verify(got, nil); !r.OK() {
				t.Errorf("Verify() after Apply = %v, want no problems (%s)", r.Problems, tc.reason)
			}
		})
	}
}

func TestEntry_CanonicalRoundTrip(t *testing.T) {
	e := Entry{Book: "F", Seq: 7, ID: "01J", At: t0, Kind: "pay", Key: "pay:c1", Cause: "claim:c1",
		Debit: "fund:F", Credit: "worker:w1", Amount: 2000, Reverses: 3, Prev: "ab"}
	got, err := ParseEntry("F", e.Canonical())
	require.NoError(t, err)
	e.Hash = hashLine([]byte(e.Canonical()))
	if diff := cmp.Diff(e, got); diff != "" {
		t.Errorf("ParseEntry(Canonical()) mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "v2|1|x|0|k|k|c|a|b|1|0|p", "v1|x|x|0|k|k|c|a|b|1|0|p", "v1|1|x|0|k|k|c|a|b|1|0"} {
		if _, err := ParseEntry("F", bad); !errors.Is(err, gridgov.ErrInvalid) {
			t.Errorf("ParseEntry(%q) error = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestVerify_DetectsTampering(t *testing.T) {
	b := newTestBook(t)
	ps := []Posting{deposit("d1", 10000)}
	for i := range 9 {
		ps = append(ps, pay(fmt.Sprintf("p%d", i), 100))
	}
	b, _, err := b.Apply(ps, t0, counterIDs(), nil)
	require.NoError(t, err)
	b, chunks, err := b.seal(4, t0, func(first uint64) (string, error) { return fmt.Sprint("c", first), nil })
	require.NoError(t, err)
	if r := Verify(b, chunks); !r.OK() {
		t.Fatalf("Verify(untouched) = %v, want OK", r.Problems)
	}
	edit := func(line string) string {
		e, err := ParseEntry("F", line)
		require.NoError(t, err)
		e.Amount += 1
		return e.Canonical()
	}
	tests := []struct {
		name     string
		tamper   func(b *Book, cs []Chunk)
		wantRule string
		wantSeq  uint64
		reason   string
	}{
		{"ChunkEntry", func(b *Book, cs []Chunk) { cs[1].Lines[1] = edit(cs[1].Lines[1]) }, RuleChain, 7,
			"an amount edited in a sealed chunk breaks the link from the next entry"},
		{"TailEntry", func(b *Book, cs []Chunk) { b.Tail[1] = edit(b.Tail[1]) }, RuleChain, 0,
			"an edit of the last entry breaks the head hash"},
		{"HeadBalance", func(b *Book, cs []Chunk) { b.Debits -= 100 }, RuleBalance, 0,
			"a head whose totals disagree with the entries"},
		{"DroppedKey", func(b *Book, cs []Chunk) { b.Keys = strings.Replace(b.Keys, "p3\n", "", 1) }, RuleKeys, 0,
			"an idempotency key missing from the index would let a payment repeat"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb := b
			tb.Tail = append([]string(nil), b.Tail...)
			tcs := make([]Chunk, len(chunks))
			for i, c := range chunks {
				tcs[i] = c
				tcs[i].Lines = append([]string(nil), c.Lines...)
			}
			tc.tamper(&tb, tcs)
			r := Verify(tb, tcs)
			found := false
			for _, p := range r.Problems {
				if p.Rule == tc.wantRule && p.Seq == tc.wantSeq {
					found = true
				}
			}
			if !found {
				t.Errorf("Verify() problems = %v, want rule %s at entry %d (%s)", r.Problems, tc.wantRule, tc.wantSeq, tc.reason)
			}
		})
	}
}

// TestBook_NoOverflow is rule ledger.no-overflow: credits that would pass the int64
// range are refused, so a balance never wraps negative.
func TestBook_NoOverflow(t *testing.T) {
	b, err := NewBook("F", "fund:F", nil)
	require.NoError(t, err)
	b.Credits = math.MaxInt64 - 5 // as if thousands of maximal deposits had been posted
	_, _, err = b.Apply([]Posting{{Key: "d", Kind: "deposit", Cause: "c", Debit: "source:x", Credit: "fund:F", Amount: 10}}, t0, counterIDs(), nil)
	if !errors.Is(err, gridgov.ErrInvalid) || gridgov.RuleOf(err) != RuleNoOverflow {
		t.Errorf("Apply(credits MaxInt64−5 + 10) error = %v, want ErrInvalid by %s", err, RuleNoOverflow)
	}
	next, _, err := b.Apply([]Posting{{Key: "d", Kind: "deposit", Cause: "c", Debit: "source:x", Credit: "fund:F", Amount: 5}}, t0, counterIDs(), nil)
	if err != nil || next.Credits != math.MaxInt64 || next.Balance() < 0 {
		t.Errorf("Apply(to exactly MaxInt64) = credits %d balance %d, %v; want MaxInt64 and no error", next.Credits, next.Balance(), err)
	}
}
