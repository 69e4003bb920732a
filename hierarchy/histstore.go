package hierarchy

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/identity"
	"github.com/gridgov/gridgov/store"
)

// HistoryCollection is the collection of a [store.Backend] in which a [HistoryStore]
// keeps change sets.
const HistoryCollection = "hierarchy.changesets"

// HistoryStore persists histories through the storage port: every change set is one
// document, created once and never rewritten, with ID "<history>/<sequence>" (the
// sequence zero-padded to eight digits) and the index field "history". A history is
// loaded by replaying its change sets. Two writers appending to the same history race on
// creating the same sequence number: the loser's create fails the compare-and-swap and
// it reloads and tries again.
//
// A HistoryStore is safe for concurrent use when its backend is. The zero value is not
// usable; use [NewHistoryStore].
type HistoryStore struct {
	col *store.Collection[changeSetRecord]
}

// changeSetRecord is the stored form of a change set. People are stored with their full
// resident ID and phone number, which Person's own JSON masks.
type changeSetRecord struct {
	History string `json:"history"`
	Seq     int    `json:"seq"`
	ChangeSet
	Persons []personRecord `json:"persons,omitempty"`
}

type personRecord struct {
	ID          PersonID `json:"id"`
	Name        string   `json:"name"`
	ResidentID  string   `json:"resident_id,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	PartyMember bool     `json:"party_member,omitempty"`
}

// NewHistoryStore returns a store of histories in backend b.
func NewHistoryStore(b store.Backend) *HistoryStore {
	return &HistoryStore{col: store.NewCollection(b, HistoryCollection, &store.CollectionOptions[changeSetRecord]{
		Indexes: map[string]func(changeSetRecord) []string{
			"history": func(r changeSetRecord) []string { return []string{r.History} },
		},
	})}
}

func recordID(history string, seq int) string { return fmt.Sprintf("%s/%08d", history, seq) }

// Load replays the stored change sets of history name into a [History] of schema s. A
// history never written loads empty. A change set that no longer applies (the schema
// changed under it) fails the load with its error.
func (hs *HistoryStore) Load(ctx context.Context, name string, s Schema) (*History, error) {
	h := NewHistory(s)
	seq := 0
	for v, err := range hs.col.Scan(ctx, "history", name) {
		if err != nil {
			return nil, fmt.Errorf("hierarchy: load history %q: %w", name, err)
		}
		seq++
		if v.Value.Seq != seq || v.ID != recordID(name, seq) {
			return nil, fmt.Errorf("hierarchy: load history %q: document %s out of sequence (want %d): %w", name, v.ID, seq, gridgov.ErrInvalid)
		}
		cs, err := v.Value.decode()
		if err != nil {
			return nil, fmt.Errorf("hierarchy: load history %q: %w", name, err)
		}
		if h, err = h.Apply(cs); err != nil {
			return nil, fmt.Errorf("hierarchy: load history %q: replay %d: %w", name, seq, err)
		}
	}
	return h, nil
}

// Apply loads history name, applies cs to it ([History.Apply] checks it) and stores cs as
// the next change set, retrying when another writer appended first. It returns the new
// history. Applying a change set whose ID is already stored with the same effective time
// is a no-op that returns the stored history, so a caller may retry after losing the
// reply; with another effective time it fails with [gridgov.ErrConflict].
func (hs *HistoryStore) Apply(ctx context.Context, name string, s Schema, cs ChangeSet) (*History, error) {
	const attempts = 32
	var last error
	for range attempts {
		h, err := hs.Load(ctx, name, s)
		if err != nil {
			return nil, err
		}
		for _, old := range h.sets {
			if old.ID == cs.ID {
				if old.Effective.Equal(cs.Effective) {
					return h, nil
				}
				return nil, fmt.Errorf("hierarchy: history %q: change set %q is stored with another effective time: %w", name, cs.ID, gridgov.ErrConflict)
			}
		}
		next, err := h.Apply(cs)
		if err != nil {
			return nil, err
		}
		seq := next.Len()
		rec, err := encodeRecord(name, seq, cs)
		if err != nil {
			return nil, err
		}
		_, err = hs.col.Put(ctx, recordID(name, seq), rec, 0)
		if err == nil {
			return next, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("hierarchy: history %q: %w", name, err)
		}
		last = err
	}
	return nil, fmt.Errorf("hierarchy: history %q: gave up after %d attempts: %w", name, attempts, last)
}

func encodeRecord(name string, seq int, cs ChangeSet) (changeSetRecord, error) {
	rec := changeSetRecord{History: name, Seq: seq, ChangeSet: cs}
	rec.ChangeSet.Persons = nil
	for _, p := range cs.Persons {
		rec.Persons = append(rec.Persons, personRecord{ID: p.ID, Name: p.Name, ResidentID: p.ResidentID.Reveal(),
			Phone: p.Phone.Reveal(), PartyMember: p.PartyMember})
	}
	return rec, nil
}

func (r changeSetRecord) decode() (ChangeSet, error) {
	cs := r.ChangeSet
	cs.Persons = nil
	for _, p := range r.Persons {
		person := Person{ID: p.ID, Name: p.Name, PartyMember: p.PartyMember}
		var err error
		if p.ResidentID != "" {
			if person.ResidentID, err = identity.ParseResidentID(p.ResidentID); err != nil {
				return ChangeSet{}, fmt.Errorf("change set %q person %q: %w", cs.ID, p.ID, err)
			}
		}
		if p.Phone != "" {
			if person.Phone, err = identity.ParsePhone(p.Phone); err != nil {
				return ChangeSet{}, fmt.Errorf("change set %q person %q: %w", cs.ID, p.ID, err)
			}
		}
		cs.Persons = append(cs.Persons, person)
	}
	return cs, nil
}
