package calendar_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
)

// parents is a small tree: district → street A (24×7 command centre) → community A1 →
// grid A1-1; district → street B (summer hours) → community B1; district → street C.
var parents = map[string]string{
	"street-a": "district", "community-a1": "street-a", "grid-a1-1": "community-a1",
	"street-b": "district", "community-b1": "street-b",
	"street-c": "district",
}

func parentOf(id string) (string, bool) { p, ok := parents[id]; return p, ok }

func TestSet_For(t *testing.T) {
	allDay := mustNew(t, &calendar.Options{AllDay: true})
	summer := mustNew(t, &calendar.Options{Hours: []calendar.Span{{Start: "08:00", End: "12:00"}, {Start: "15:00", End: "18:00"}}})
	grid := mustNew(t, &calendar.Options{Hours: []calendar.Span{{Start: "07:00", End: "19:00"}}})
	s := calendar.NewSet(nil, map[string]*calendar.Calendar{
		"street-a": allDay, "street-b": summer, "grid-a1-1": grid, "ignored": nil,
	})
	tests := []struct {
		unit      string
		want      *calendar.Calendar
		wantOwner string
		reason    string
	}{
		{"street-a", allDay, "street-a", "its own calendar"},
		{"community-a1", allDay, "street-a", "inherited from the street"},
		{"grid-a1-1", grid, "grid-a1-1", "a descendant's own calendar wins over the inherited one"},
		{"community-b1", summer, "street-b", "inherited from street B"},
		{"street-c", calendar.Default(), "", "no calendar on the way up: the fallback"},
		{"district", calendar.Default(), "", "the root"},
		{"unknown", calendar.Default(), "", "a unit the parent function does not know"},
	}
	for _, tt := range tests {
		t.Run(tt.unit, func(t *testing.T) {
			if got := s.For(tt.unit, parentOf); got != tt.want {
				t.Errorf("For(%q) = %p, want %p (%s)", tt.unit, got, tt.want, tt.reason)
			}
			owner, ok := s.Owner(tt.unit, parentOf)
			if owner != tt.wantOwner || ok != (tt.wantOwner != "") {
				t.Errorf("Owner(%q) = %q, %v; want %q (%s)", tt.unit, owner, ok, tt.wantOwner, tt.reason)
			}
		})
	}
	if got, want := strings.Join(s.Units(), ","), "grid-a1-1,street-a,street-b"; got != want {
		t.Errorf("Units() = %s, want %s (nil calendars ignored)", got, want)
	}
	if s.Fallback() != calendar.Default() {
		t.Errorf("Fallback() is not Default() for a nil fallback")
	}
	if got := s.For("community-a1", nil); got != calendar.Default() {
		t.Errorf("For(community-a1, nil parent) = %p, want the fallback: without a parent function nothing is inherited", got)
	}
}

func TestSet_For_Cycle(t *testing.T) {
	own := mustNew(t, &calendar.Options{AllDay: true})
	s := calendar.NewSet(nil, map[string]*calendar.Calendar{"root": own})
	cycles := []struct {
		name   string
		parent calendar.ParentFunc
	}{
		{"Self", func(id string) (string, bool) { return id, true }},
		{"Two", func(id string) (string, bool) { return map[string]string{"a": "b", "b": "a"}[id], true }},
		{"Tail", func(id string) (string, bool) {
			return map[string]string{"x": "y", "y": "z", "z": "p", "p": "q", "q": "r", "r": "z"}[id], true
		}},
	}
	for _, tt := range cycles {
		t.Run(tt.name, func(t *testing.T) {
			for _, start := range []string{"a", "x"} {
				if got := s.For(start, tt.parent); got != calendar.Default() {
					t.Errorf("For(%q) on a cyclic parent function = %p, want the fallback", start, got)
				}
			}
		})
	}
}

func TestNewSetFromOptions(t *testing.T) {
	s, err := calendar.NewSetFromOptions(calendar.SetOptions{
		Default: calendar.DefaultOptions(),
		Units:   map[string]*calendar.Options{"street-a": {AllDay: true}},
	})
	if err != nil {
		t.Fatalf("NewSetFromOptions: %v", err)
	}
	if got := s.For("grid-a1-1", parentOf); !got.IsWorkday(at(2025, 10, 1, 9, 0)) {
		t.Errorf("grid-a1-1 should inherit street A's 24×7 calendar and work on 1 October")
	}
	if got := s.For("street-c", parentOf); got.IsWorkday(at(2025, 10, 1, 9, 0)) {
		t.Errorf("street-c should use the default calendar, off on 1 October")
	}

	_, err = calendar.NewSetFromOptions(calendar.SetOptions{
		Default: &calendar.Options{Location: "Nowhere"},
		Units: map[string]*calendar.Options{
			"street-a": {Hours: []calendar.Span{{Start: "12:00", End: "08:00"}}},
			"street-b": {AllDay: true},
		},
	})
	if !errors.Is(err, gridgov.ErrInvalid) {
		t.Fatalf("NewSetFromOptions(bad) = %v, want an error wrapping gridgov.ErrInvalid", err)
	}
	for _, w := range []string{"default: calendar: invalid: location", "units[street-a]: calendar: invalid: hours[0].end"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("NewSetFromOptions error\n%v\ndoes not contain %q", err, w)
		}
	}
}
