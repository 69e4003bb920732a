package ledger

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/store"
)

// Options configures a [Ledger]. A nil *Options means defaults.
type Options struct {
	// Prefix names the two collections, Prefix+"books" and Prefix+"chunks".
	// Default "ledger.".
	Prefix string
	// ChunkSize is the number of entries sealed into one chunk document. Default 64.
	ChunkSize int
	// MaxRetries bounds the compare-and-swap attempts of one post. Default 1000: many
	// writers on one book retry often but each attempt is short.
	MaxRetries int
}

// Ledger stores books over a [store.Backend]. It is safe for concurrent use.
//
// It keeps in memory the idempotency-key index of the last head it read of each book it
// posts to, up to 4,096 books, at some 65 bytes a key with the keys copied (measured on
// 10,000 keys of 30 bytes), so that a post extends the index by the keys posted since
// instead of indexing the whole year's again. Another process writing the same books
// is fine: an index whose keys do not begin the stored book's is rebuilt.
type Ledger struct {
	books   *store.Collection[Book]
	chunks  *store.Collection[Chunk]
	ids     *gridgov.IDGenerator
	size    int
	retries int

	// keys holds, per book, the key index of the last head this Ledger read or wrote,
	// with the Keys it covers, so that the next post extends it by the keys posted
	// since instead of indexing the year's keys again. It only saves work: an index
	// whose Keys are not a prefix of the head's is not used.
	mu   sync.Mutex
	keys map[string]cachedIndex
}

// cachedIndex is a book's key index and the Keys string it covers.
type cachedIndex struct {
	keys string
	idx  *keyIndex
}

// maxCachedIndexes bounds the books whose key index a Ledger keeps: a district's funds
// are a few hundred; beyond the bound an arbitrary one is dropped and rebuilt when next
// posted to.
const maxCachedIndexes = 4096

// New returns a ledger writing to b, naming entries and chunks with ids.
func New(b store.Backend, ids *gridgov.IDGenerator, opts *Options) *Ledger {
	o := Options{Prefix: "ledger.", ChunkSize: 64, MaxRetries: 1000}
	if opts != nil {
		if opts.Prefix != "" {
			o.Prefix = opts.Prefix
		}
		if opts.ChunkSize > 0 {
			o.ChunkSize = opts.ChunkSize
		}
		if opts.MaxRetries > 0 {
			o.MaxRetries = opts.MaxRetries
		}
	}
	return &Ledger{
		books: store.NewCollection(b, o.Prefix+"books", &store.CollectionOptions[Book]{Encode: appendBook, Decode: decodeBook}),
		chunks: store.NewCollection(b, o.Prefix+"chunks", &store.CollectionOptions[Chunk]{
			Indexes: map[string]func(Chunk) []string{"book": func(c Chunk) []string { return []string{c.Book} }},
			Encode:  appendChunk,
		}),
		ids: ids, size: o.ChunkSize, retries: o.MaxRetries,
		keys: make(map[string]cachedIndex),
	}
}

// Open creates the empty book id of account, or returns it if it exists with that
// account. An existing book with another account is an error wrapping ErrConflict.
func (l *Ledger) Open(ctx context.Context, id string, account Account, labels map[string]string) (Book, error) {
	nb, err := NewBook(id, account, labels)
	if err != nil {
		return Book{}, err
	}
	v, err := l.books.Update(ctx, id, func(cur Book, exists bool) (Book, error) {
		if !exists {
			return nb, nil
		}
		if cur.Account != account {
			return Book{}, fmt.Errorf("ledger: open %s: exists for account %s, not %s: %w", id, cur.Account, account, gridgov.ErrConflict)
		}
		return Book{}, errExists
	})
	if errors.Is(err, errExists) {
		return l.Book(ctx, id)
	}
	if err != nil {
		return Book{}, err
	}
	return v.Value, nil
}

var errExists = errors.New("exists")

// Book returns the head of book id, or an error wrapping ErrNotFound.
func (l *Ledger) Book(ctx context.Context, id string) (Book, error) {
	v, err := l.books.Get(ctx, id)
	if err != nil {
		return Book{}, fmt.Errorf("ledger: book %s: %w", id, err)
	}
	return v.Value, nil
}

// Books returns every book, in ID order.
func (l *Ledger) Books(ctx context.Context) ([]Book, error) {
	all, err := l.books.All(ctx, "", "")
	if err != nil {
		return nil, fmt.Errorf("ledger: books: %w", err)
	}
	out := make([]Book, len(all))
	for i, v := range all {
		out[i] = v.Value
	}
	return out, nil
}

// Post posts ps to book id at time at, atomically; see [Book.Apply] for the rules.
func (l *Ledger) Post(ctx context.Context, id string, at time.Time, ps ...Posting) (Book, []Result, error) {
	return l.PostFunc(ctx, id, at, func(Book) ([]Posting, error) { return ps, nil })
}

// PostFunc posts what plan decides from the current head of book id ([Book.SeqOf] is
// O(1) on it). plan runs inside
// the compare-and-swap loop, so it sees exactly the balance and keys the post will be
// applied to (a settlement decides there who can still be paid); it may run several
// times and must have no side effects. An error from plan is returned as is.
func (l *Ledger) PostFunc(ctx context.Context, id string, at time.Time, plan func(Book) ([]Posting, error)) (Book, []Result, error) {
	var last error
	for range l.retries {
		cur, err := l.books.Get(ctx, id)
		if err != nil {
			return Book{}, nil, fmt.Errorf("ledger: post to %s: %w", id, err)
		}
		head := l.indexed(cur.Value)
		ps, err := plan(head)
		if err != nil {
			return Book{}, nil, err
		}
		next, results, err := head.Apply(ps, at, l.entryID(at), l.lookup(ctx, head))
		if err != nil {
			return Book{}, nil, err
		}
		if next.Seq == head.Seq {
			return head, results, nil // all duplicates: nothing to write
		}
		next, chunks, err := next.seal(l.size, at, l.chunkID(id, at))
		if err != nil {
			return Book{}, nil, fmt.Errorf("ledger: post to %s: seal: %w", id, err)
		}
		written, err := l.writeChunks(ctx, next.Chunks[len(next.Chunks)-len(chunks):], chunks)
		if err == nil {
			_, err = l.books.Put(ctx, id, next, cur.Version)
			if err == nil {
				// The head's index stays cached: the next post extends it by this
				// batch's keys, if there is a next post (a settlement posts to each
				// fund once).
				return next, results, nil
			}
		}
		// The head did not move: the chunks just written belong to no book. Removing
		// them is a courtesy; Sweep finds any that a crash leaves behind.
		l.dropChunks(ctx, written)
		if !errors.Is(err, store.ErrConflict) {
			return Book{}, nil, fmt.Errorf("ledger: post to %s: %w", id, err)
		}
		last = err
		runtime.Gosched()
	}
	return Book{}, nil, fmt.Errorf("ledger: post to %s: gave up after %d attempts: %w", id, l.retries, last)
}

// indexed returns b with its key index: the cached one of its book, extended by the
// keys posted since, when b's Keys begin with the ones it covers; else built anew.
func (l *Ledger) indexed(b Book) Book {
	l.mu.Lock()
	c, ok := l.keys[b.ID]
	l.mu.Unlock()
	if ok && len(c.keys) <= len(b.Keys) && b.Keys[:len(c.keys)] == c.keys {
		b.idx = c.idx.extend(b.Keys)
	} else {
		b.idx = nil
	}
	b = b.indexed()
	l.remember(b)
	return b
}

// remember caches the key index of b, which must cover all of b.Keys.
func (l *Ledger) remember(b Book) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.keys[b.ID]; !ok && len(l.keys) >= maxCachedIndexes {
		for id := range l.keys {
			delete(l.keys, id)
			break
		}
	}
	l.keys[b.ID] = cachedIndex{keys: b.Keys, idx: b.idx}
}

func (l *Ledger) writeChunks(ctx context.Context, refs []ChunkRef, chunks []Chunk) ([]string, error) {
	var written []string
	for i, c := range chunks {
		if _, err := l.chunks.Put(ctx, refs[i].ID, c, 0); err != nil {
			return written, err
		}
		written = append(written, refs[i].ID)
	}
	return written, nil
}

func (l *Ledger) dropChunks(ctx context.Context, ids []string) {
	for _, id := range ids {
		_ = l.chunks.Delete(context.WithoutCancel(ctx), id, 1)
	}
}

func (l *Ledger) entryID(at time.Time) func() (string, error) {
	return func() (string, error) { return l.ids.NewString(at) }
}

func (l *Ledger) chunkID(book string, at time.Time) func(uint64) (string, error) {
	return func(first uint64) (string, error) {
		u, err := l.ids.NewString(at)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s/%012d/%s", book, first, u), nil
	}
}

// lookup loads sealed entries of b for reversals.
func (l *Ledger) lookup(ctx context.Context, b Book) Lookup {
	return func(seq uint64) (Entry, error) {
		i := sort.Search(len(b.Chunks), func(i int) bool { return b.Chunks[i].First+uint64(b.Chunks[i].Count) > seq })
		if i == len(b.Chunks) || seq < b.Chunks[i].First {
			return Entry{}, fmt.Errorf("ledger: entry %d of %s: %w", seq, b.ID, gridgov.ErrNotFound)
		}
		c, err := l.chunks.Get(ctx, b.Chunks[i].ID)
		if err != nil {
			return Entry{}, fmt.Errorf("ledger: entry %d of %s: %w", seq, b.ID, err)
		}
		off := seq - c.Value.First
		if off >= uint64(len(c.Value.Lines)) {
			return Entry{}, fmt.Errorf("ledger: entry %d of %s: chunk %s is short: %w", seq, b.ID, b.Chunks[i].ID, gridgov.ErrNotFound)
		}
		return ParseEntry(b.ID, c.Value.Lines[off])
	}
}

// Entry returns the entry of book id posted under key, or an error wrapping
// ErrNotFound.
func (l *Ledger) Entry(ctx context.Context, id, key string) (Entry, error) {
	b, err := l.Book(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	seq, ok := b.SeqOf(key)
	if !ok {
		return Entry{}, fmt.Errorf("ledger: entry %q of %s: %w", key, id, gridgov.ErrNotFound)
	}
	return b.entry(seq, l.lookup(ctx, b))
}

// Entries yields the entries of book id in Seq order, as of one read of its head.
func (l *Ledger) Entries(ctx context.Context, id string) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		b, err := l.Book(ctx, id)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		for _, ref := range b.Chunks {
			c, err := l.chunks.Get(ctx, ref.ID)
			if err != nil {
				yield(Entry{}, fmt.Errorf("ledger: entries of %s: %w", id, err))
				return
			}
			for _, line := range c.Value.Lines {
				e, err := ParseEntry(id, line)
				if !yield(e, err) || err != nil {
					return
				}
			}
		}
		for _, line := range b.Tail {
			e, err := ParseEntry(id, line)
			if !yield(e, err) || err != nil {
				return
			}
		}
	}
}

// Verify loads book id with its chunks and checks it with [Verify]; it also lists the
// book's orphan chunks.
func (l *Ledger) Verify(ctx context.Context, id string) (Report, error) {
	b, err := l.Book(ctx, id)
	if err != nil {
		return Report{}, err
	}
	chunks := make([]Chunk, len(b.Chunks))
	referenced := make(map[string]bool, len(b.Chunks))
	for i, ref := range b.Chunks {
		referenced[ref.ID] = true
		c, err := l.chunks.Get(ctx, ref.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return Report{}, fmt.Errorf("ledger: verify %s: %w", id, err)
		}
		chunks[i] = c.Value // a missing chunk verifies as empty and is reported
	}
	r := Verify(b, chunks)
	for c, err := range l.chunks.Scan(ctx, "book", id) {
		if err != nil {
			return Report{}, fmt.Errorf("ledger: verify %s: %w", id, err)
		}
		if !referenced[c.ID] {
			r.Orphans = append(r.Orphans, c.ID)
		}
	}
	return r, nil
}

// Sweep deletes the orphan chunks of book id created before cutoff and returns their
// IDs. Pass a cutoff no later than the start of any post that may still be running:
// a running post's chunks are orphans until its head write lands.
func (l *Ledger) Sweep(ctx context.Context, id string, cutoff time.Time) ([]string, error) {
	b, err := l.Book(ctx, id)
	if err != nil {
		return nil, err
	}
	referenced := make(map[string]bool, len(b.Chunks))
	for _, ref := range b.Chunks {
		referenced[ref.ID] = true
	}
	var swept []string
	for c, err := range l.chunks.Scan(ctx, "book", id) {
		if err != nil {
			return swept, fmt.Errorf("ledger: sweep %s: %w", id, err)
		}
		if referenced[c.ID] || !c.Value.Created.Before(cutoff) {
			continue
		}
		if err := l.chunks.Delete(ctx, c.ID, c.Version); err != nil && !errors.Is(err, store.ErrNotFound) {
			return swept, fmt.Errorf("ledger: sweep %s: %w", id, err)
		}
		swept = append(swept, c.ID)
	}
	return swept, nil
}
