package ledger

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestKeyIndex_Layers: an index extended post by post, by batches of any size, finds
// every key at its Seq and no other key, stays within about log₂ of its keys in
// layers, and leaves every earlier version answering exactly for its own keys.
func TestKeyIndex_Layers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var keys strings.Builder
	var x *keyIndex
	type version struct {
		idx *keyIndex
		n   int
	}
	var versions []version
	n := 0
	for range 400 {
		for range 1 + r.IntN(r.IntN(40)+1) {
			n++
			fmt.Fprintf(&keys, "claim:%d\n", n)
		}
		x = x.extend(keys.String())
		if x.seq != uint64(n) || x.keysLen != keys.Len() {
			t.Fatalf("after %d keys: seq %d, keysLen %d of %d", n, x.seq, x.keysLen, keys.Len())
		}
		if d, max := x.depth(), bits.Len(uint(n))+1; d > max {
			t.Fatalf("after %d keys: %d layers, want at most %d", n, d, max)
		}
		versions = append(versions, version{x, n})
	}
	for _, v := range versions {
		for _, k := range []int{1, v.n, 1 + r.IntN(v.n), v.n + 1, n} {
			seq, ok := v.idx.lookup(fmt.Sprint("claim:", k))
			if want := k <= v.n; ok != want || ok && seq != uint64(k) {
				t.Fatalf("version of %d keys: lookup(claim:%d) = %d, %v; want %d, %v", v.n, k, seq, ok, k, want)
			}
		}
		if _, ok := v.idx.lookup("claim:0"); ok {
			t.Fatalf("version of %d keys finds a key never posted", v.n)
		}
	}
	if again := x.extend(keys.String()); again != x {
		t.Error("extending by no keys built a new index")
	}
}

// TestBook_SeqOfWithStaleIndex: a book whose index covers fewer keys than it holds (a
// copy made before a post) scans its Keys instead of trusting the index.
func TestBook_SeqOfWithStaleIndex(t *testing.T) {
	b := Book{Seq: 1, Keys: "a\n"}.indexed()
	b.Seq, b.Keys = 2, "a\nb\n"
	if seq, ok := b.SeqOf("b"); !ok || seq != 2 {
		t.Errorf("SeqOf(b) = %d, %v on a book past its index, want 2, true", seq, ok)
	}
	if b = b.indexed(); b.idx.seq != 2 {
		t.Errorf("indexed() kept the stale index of %d keys", b.idx.seq)
	}
}

// depth is the number of layers of x.
func (x *keyIndex) depth() int {
	n := 0
	for ; x != nil; x = x.below {
		n++
	}
	return n
}
