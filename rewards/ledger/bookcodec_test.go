package ledger

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBookCodec: appendBook writes the bytes json.Marshal writes for books with every
// field set, with about half of them (so that a field Book gains without appendBook
// fails here), and with empty maps and slices, which encoding/json omits like nil ones.
func TestBookCodec(t *testing.T) {
	cases := []Book{{}, {Labels: map[string]string{}, Reversed: map[string]int64{}, Chunks: []ChunkRef{}, Tail: []string{}}}
	for seed := range uint64(300) {
		var b Book
		fillBook(rand.New(rand.NewPCG(seed, 11)), &b, seed%2 == 1)
		cases = append(cases, b)
	}
	for i, b := range cases {
		want, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendBook([]byte("prefix"), b)
		if err != nil {
			t.Fatalf("case %d: appendBook = %v", i, err)
		}
		if diff := cmp.Diff(string(want), string(got[len("prefix"):])); diff != "" {
			t.Fatalf("case %d: appendBook differs from json.Marshal (-want +got):\n%s", i, diff)
		}
	}
}
