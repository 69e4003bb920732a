package ledger

import (
	"slices"
	"strconv"

	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// appendBook appends b as json.Marshal writes it, maps in key order (encoding/json sorts
// them). A book's head is written on every post and holds the year's keys, which
// encoding/json's reflection escaped a byte at a time.
func appendBook(dst []byte, b Book) ([]byte, error) {
	// One allocation for the head, which outgrows the collection's pooled buffers once
	// a book holds a few thousand keys: each key's line feed is written as two bytes
	// (a key is rarely under eight), and each chunk reference takes about 150.
	n := 256 + len(b.Keys) + len(b.Keys)/8 + 160*len(b.Chunks)
	for _, line := range b.Tail {
		n += len(line) + 8
	}
	dst = slices.Grow(dst, n)
	dst = append(dst, '{')
	dst = jsonbytes.AppendString(jsonbytes.Key(dst, "id"), b.ID)
	dst = jsonbytes.AppendString(jsonbytes.Key(dst, "account"), string(b.Account))
	dst = jsonbytes.OptMap(dst, "labels", b.Labels, jsonbytes.AppendString)
	dst = strconv.AppendUint(jsonbytes.Key(dst, "seq"), b.Seq, 10)
	dst = strconv.AppendInt(jsonbytes.Key(dst, "credits"), b.Credits, 10)
	dst = strconv.AppendInt(jsonbytes.Key(dst, "debits"), b.Debits, 10)
	dst = jsonbytes.AppendString(jsonbytes.Key(dst, "head"), b.Head)
	dst = jsonbytes.OptString(dst, "keys", b.Keys)
	dst = jsonbytes.OptMap(dst, "reversed", b.Reversed, func(dst []byte, v int64) []byte { return strconv.AppendInt(dst, v, 10) })
	if len(b.Chunks) > 0 {
		dst = append(jsonbytes.Key(dst, "chunks"), '[')
		for i, c := range b.Chunks {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '{')
			dst = jsonbytes.AppendString(jsonbytes.Key(dst, "id"), c.ID)
			dst = strconv.AppendUint(jsonbytes.Key(dst, "first"), c.First, 10)
			dst = strconv.AppendInt(jsonbytes.Key(dst, "count"), int64(c.Count), 10)
			dst = jsonbytes.AppendString(jsonbytes.Key(dst, "hash"), c.Hash)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	dst = jsonbytes.OptStrings(dst, "tail", b.Tail)
	return append(dst, '}'), nil
}

// appendChunk appends c as json.Marshal writes it. A settlement writes a chunk for every
// 64 entries, each a canonical line of some 200 bytes, and their encoding was a fifth
// of a batch's posting time.
func appendChunk(dst []byte, c Chunk) ([]byte, error) {
	n := 96 + len(c.Book)
	for _, line := range c.Lines {
		n += len(line) + 8
	}
	dst = slices.Grow(dst, n)
	dst = append(dst, '{')
	dst = jsonbytes.AppendString(jsonbytes.Key(dst, "book"), c.Book)
	dst = strconv.AppendUint(jsonbytes.Key(dst, "first"), c.First, 10)
	dst = jsonbytes.Key(dst, "lines")
	if c.Lines == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, line := range c.Lines {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsonbytes.AppendString(dst, line)
		}
		dst = append(dst, ']')
	}
	var err error
	if dst, err = jsonbytes.AppendTime(jsonbytes.Key(dst, "created"), c.Created); err != nil {
		return nil, err
	}
	return append(dst, '}'), nil
}
