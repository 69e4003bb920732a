package gridgov

import (
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// IDGenerator issues the ULIDs of records created at run time (cases, claims, ledger
// entries). IDs issued within one millisecond are strictly increasing, so sorting by ID
// sorts by creation. The zero value is not usable; use [NewIDGenerator] or
// [NewSeededIDGenerator]. It is safe for concurrent use.
type IDGenerator struct {
	mu      sync.Mutex
	entropy *ulid.MonotonicEntropy
}

// NewIDGenerator returns a generator drawing entropy from r, or from crypto/rand when r
// is nil.
func NewIDGenerator(r io.Reader) *IDGenerator {
	if r == nil {
		r = rand.Reader
	}
	return &IDGenerator{entropy: ulid.Monotonic(r, 0)}
}

// NewSeededIDGenerator returns a deterministic generator: the same seed and the same
// sequence of times give the same IDs, which keeps tests and simulations repeatable.
func NewSeededIDGenerator(seed uint64) *IDGenerator {
	return NewIDGenerator(seededReader{mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))})
}

// New returns a ULID for time at. It fails only when more IDs are asked for within one
// millisecond than the monotonic entropy can order (about 2^80), or when at is before
// the Unix epoch.
func (g *IDGenerator) New(at time.Time) (ulid.ULID, error) {
	if at.Before(time.Unix(0, 0)) {
		return ulid.ULID{}, fmt.Errorf("gridgov: ID time %v is before 1970: %w", at, ErrInvalid)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return ulid.New(ulid.Timestamp(at), g.entropy)
}

// NewString is New as a string, the form records carry.
func (g *IDGenerator) NewString(at time.Time) (string, error) {
	id, err := g.New(at)
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

type seededReader struct{ r *mrand.Rand }

func (s seededReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(s.r.Uint32())
	}
	return len(p), nil
}
