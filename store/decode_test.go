package store_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/memstore"
)

// recorder is a decoder that counts its calls, refuses data holding "bad" and
// otherwise decodes with encoding/json, marking what it decoded so that a test sees
// its result reach the caller.
type recorder[T any] struct {
	calls int
	mark  func(*T)
}

var errRefused = errors.New("refused by the decoder")

func (r *recorder[T]) decode(data []byte, v *T) error {
	r.calls++
	if strings.Contains(string(data), "bad") {
		return errRefused
	}
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	r.mark(v)
	return nil
}

func TestCollection_Decode(t *testing.T) {
	ctx := t.Context()
	dec := &recorder[head]{mark: func(h *head) { h.N += 1000 }}
	c := store.NewCollection(memstore.New(), "heads", &store.CollectionOptions[head]{
		Indexes: map[string]func(head) []string{"state": func(h head) []string { return []string{h.State} }},
		Decode:  dec.decode,
	})
	if _, err := c.Put(ctx, "a", head{"open", 1}, 0); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(head{"open", 1001}, got.Value); diff != "" {
		t.Errorf("Get mismatch (-want +got):\n%s", diff)
	}
	all, err := c.All(ctx, "state", "open")
	if err != nil || len(all) != 1 || all[0].Value.N != 1001 {
		t.Errorf("All = %+v, %v; want the decoder's value", all, err)
	}
	if dec.calls != 2 {
		t.Errorf("decoder called %d times, want 2", dec.calls)
	}
	if _, err := c.Put(ctx, "b", head{"bad", 1}, 0); err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(ctx, "b")
	if !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "heads/b") {
		t.Errorf("Get(b) = %v, want the decoder's error naming heads/b", err)
	}
	if _, err := c.All(ctx, "", ""); !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "heads/b") {
		t.Errorf("All = %v, want the decoder's error naming heads/b", err)
	}
}

func TestLog_Decode(t *testing.T) {
	for _, tc := range []struct {
		name    string
		backend store.Backend
	}{
		{"Appender", memstore.New()},
		{"AppenderWithoutHandoff", appendOnly{memstore.New()}},
		{"OneDocument", putOnly{memstore.New()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			heads := &recorder[head]{mark: func(h *head) { h.N += 1000 }}
			events := &recorder[event]{mark: func(e *event) { e.Kind += "!" }}
			l := store.NewLogWith(tc.backend, "cases", &store.LogOptions[head, event]{
				Head:        store.CollectionOptions[head]{Decode: heads.decode},
				DecodeEvent: events.decode,
			})
			if _, err := l.Append(ctx, "c1", head{"open", 1}, 0, event{"report"}, event{"dispatch"}); err != nil {
				t.Fatal(err)
			}
			h, err := l.Get(ctx, "c1")
			if err != nil || h.Value != (head{"open", 1001}) {
				t.Errorf("Get = %+v, %v; want the decoder's head", h, err)
			}
			hist, err := l.History(ctx, "c1", 0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]event{{"report!"}, {"dispatch!"}}, hist); diff != "" {
				t.Errorf("History mismatch (-want +got):\n%s", diff)
			}
			if heads.calls != 1 || events.calls != 2 {
				t.Errorf("decoders called %d and %d times, want 1 and 2", heads.calls, events.calls)
			}
			if _, err := l.Append(ctx, "c2", head{"bad", 1}, 0, event{"bad"}); err != nil {
				t.Fatal(err)
			}
			if _, err := l.Get(ctx, "c2"); !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "cases/c2") {
				t.Errorf("Get(c2) = %v, want the decoder's error naming cases/c2", err)
			}
			var scanErr error
			for _, err := range l.Scan(ctx, "", "") {
				if err != nil {
					scanErr = err
				}
			}
			if !errors.Is(scanErr, errRefused) || !strings.Contains(scanErr.Error(), "cases/c2") {
				t.Errorf("Scan error = %v, want the decoder's error naming cases/c2", scanErr)
			}
			if _, err := l.History(ctx, "c2", 0); !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "cases/c2") {
				t.Errorf("History(c2) = %v, want the decoder's error naming cases/c2", err)
			}
		})
	}
}
