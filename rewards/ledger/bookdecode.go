package ledger

import (
	"strconv"

	"github.com/gridgov/gridgov/internal/jsonbytes"
)

// A book's head is read on every post, and its Keys, one line per entry of the year,
// grow with the book: through encoding/json a post to a book of a few thousand entries
// spent most of its time validating and unquoting that one string. decodeBook reads
// the shape encoding/json writes for a Book (members in any order, each once) with a
// [jsonbytes.Reader], and hands any other document to encoding/json whole: an unknown
// or repeated member, whitespace, an escaped name, a number that does not fit. So the
// value and the error-ness are encoding/json's for every input, which a fuzz test
// checks; a test fills every field, so a field added to Book without being added here
// fails it.

func decodeBook(data []byte, b *Book) error { return jsonbytes.Decode(data, b, readBook) }

func readBook(r *jsonbytes.Reader, b *Book) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "id":
			r.Seen(&seen, 0)
			b.ID = r.String()
		case "account":
			r.Seen(&seen, 1)
			b.Account = Account(r.String())
		case "labels":
			r.Seen(&seen, 2)
			b.Labels = readMap(r, b.Labels, (*jsonbytes.Reader).String)
		case "seq":
			r.Seen(&seen, 3)
			b.Seq = r.Uint(64)
		case "credits":
			r.Seen(&seen, 4)
			b.Credits = r.Int(64)
		case "debits":
			r.Seen(&seen, 5)
			b.Debits = r.Int(64)
		case "head":
			r.Seen(&seen, 6)
			b.Head = r.String()
		case "keys":
			r.Seen(&seen, 7)
			b.Keys = r.String()
		case "reversed":
			r.Seen(&seen, 8)
			b.Reversed = readMap(r, b.Reversed, func(r *jsonbytes.Reader) int64 { return r.Int(64) })
		case "chunks":
			r.Seen(&seen, 9)
			b.Chunks = jsonbytes.Slice(r, readChunkRef)
		case "tail":
			r.Seen(&seen, 10)
			b.Tail = jsonbytes.Strings[string](r)
		default:
			r.Fail()
		}
	}
}

// readMap reads an object of plain member names into m as encoding/json does: a null
// leaves m as it is, and an object makes a map when m is nil. A member name that
// needs unescaping fails (see [jsonbytes.Reader.Member]).
func readMap[V any](r *jsonbytes.Reader, m map[string]V, elem func(*jsonbytes.Reader) V) map[string]V {
	if !r.Object() {
		return m
	}
	if m == nil {
		m = make(map[string]V)
	}
	for {
		k, ok := r.Member()
		if !ok {
			return m
		}
		m[string(k)] = elem(r)
	}
}

func readChunkRef(r *jsonbytes.Reader, c *ChunkRef) {
	if !r.Object() {
		return
	}
	var seen uint64
	for {
		k, ok := r.Member()
		if !ok {
			return
		}
		switch string(k) {
		case "id":
			r.Seen(&seen, 0)
			c.ID = r.String()
		case "first":
			r.Seen(&seen, 1)
			c.First = r.Uint(64)
		case "count":
			r.Seen(&seen, 2)
			c.Count = int(r.Int(strconv.IntSize))
		case "hash":
			r.Seen(&seen, 3)
			c.Hash = r.String()
		default:
			r.Fail()
		}
	}
}
