package ledger

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/internal/jsonbytes/jsontest"
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

// TestChunkCodec: appendChunk writes the bytes json.Marshal writes for chunks with every
// field set, with about half of them, and with no lines (nil and empty), and refuses
// the instants json.Marshal refuses.
func TestChunkCodec(t *testing.T) {
	cases := []Chunk{{}, {Lines: []string{}}}
	for seed := range uint64(200) {
		var c Chunk
		jsontest.Fill(rand.New(rand.NewPCG(seed, 13)), reflect.ValueOf(&c).Elem(), seed%2 == 1, bookTexts, nil)
		cases = append(cases, c)
	}
	for i, c := range cases {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendChunk([]byte("prefix"), c)
		if err != nil {
			t.Fatalf("case %d: appendChunk = %v", i, err)
		}
		if diff := cmp.Diff(string(want), string(got[len("prefix"):])); diff != "" {
			t.Fatalf("case %d: appendChunk differs from json.Marshal (-want +got):\n%s", i, diff)
		}
	}
	if _, err := appendChunk(nil, Chunk{Created: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}); err == nil {
		t.Error("appendChunk took the year 10000, which json.Marshal refuses")
	}
}
