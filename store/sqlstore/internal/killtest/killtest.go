// Package killtest checks that a backend keeps every acknowledged write and no partial
// one when the writing process is killed: a child process writes a stream of
// aggregates, reporting each one the backend acknowledged, and is sent SIGKILL in the
// middle of the stream; the parent then reopens the database and checks what it holds.
package killtest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/gridgov/gridgov/store"
)

// EnvChild names the environment variable that turns a test binary into the writer.
const EnvChild = "GRIDGOV_KILLTEST_CHILD"

const (
	coll         = "killtest"
	eventsPerAgg = 3
)

// Backend is what the test needs of a backend.
type Backend interface {
	store.Appender
}

// Child runs the writer when the process was started as one, and then exits; call it
// first in TestMain. open opens the backend named by the arg the parent passed.
func Child(open func(ctx context.Context, arg string) (Backend, error)) {
	arg := os.Getenv(EnvChild)
	if arg == "" {
		return
	}
	ctx := context.Background()
	b, err := open(ctx, arg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	var counter int64
	for i := 1; ; i++ {
		id := fmt.Sprintf("agg%06d", i)
		evs := make([][]byte, eventsPerAgg)
		for j := range evs {
			evs[j] = []byte(fmt.Sprintf("%s/%d", id, j+1))
		}
		head := store.Document{Collection: coll, ID: id, Data: []byte(id), Index: map[string][]string{"k": {"v"}}}
		if _, _, err := b.Append(ctx, head, 0, evs); err != nil {
			fmt.Fprintln(os.Stderr, "append:", err)
			os.Exit(4)
		}
		v, err := b.Put(ctx, store.Document{Collection: coll, ID: "counter", Data: []byte(strconv.Itoa(i))}, counter)
		if err != nil {
			fmt.Fprintln(os.Stderr, "counter:", err)
			os.Exit(5)
		}
		counter = v
		fmt.Fprintf(out, "ack %d\n", i)
		out.Flush()
	}
}

// Run starts the writer with arg, kills it after at least acks acknowledged writes, and
// checks the database that open(arg) reopens.
func Run(t *testing.T, arg string, acks int, open func(ctx context.Context, arg string) (Backend, error)) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), EnvChild+"="+arg)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := 0
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack "))
		if err != nil {
			t.Fatalf("writer said %q", sc.Text())
		}
		acked = n
		if acked >= acks {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Acknowledgements still in the pipe were made before the kill: they count too.
	for sc.Scan() {
		if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack ")); err == nil {
			acked = n
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("writer ended with %v before it was killed", err)
	}
	if acked < acks {
		t.Fatalf("writer acknowledged only %d writes", acked)
	}

	ctx := t.Context()
	b, err := open(ctx, arg)
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	c, err := b.Get(ctx, coll, "counter")
	if err != nil {
		t.Fatalf("counter after the kill: %v", err)
	}
	if n, _ := strconv.Atoi(string(c.Data)); n < acked || c.Version != int64(n) {
		t.Errorf("counter = %q at version %d, want >= %d acknowledged and version = value", c.Data, c.Version, acked)
	}
	indexed := map[string]bool{}
	for d, err := range b.Scan(ctx, store.Query{Collection: coll, Field: "k", Value: "v"}) {
		if err != nil {
			t.Fatal(err)
		}
		indexed[d.ID] = true
	}
	all := 0
	for d, err := range b.Scan(ctx, store.Query{Collection: coll}) {
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == "counter" {
			continue
		}
		all++
		// Every aggregate present is whole: head, index row and all its events.
		if string(d.Data) != d.ID || d.LastSeq != eventsPerAgg || !indexed[d.ID] {
			t.Errorf("%s after the kill: data %q, last seq %d, indexed %v: a partial write", d.ID, d.Data, d.LastSeq, indexed[d.ID])
		}
		n := 0
		for ev, err := range b.Events(ctx, coll, d.ID, 0) {
			if err != nil {
				t.Fatal(err)
			}
			n++
			if want := fmt.Sprintf("%s/%d", d.ID, n); string(ev.Data) != want || ev.Seq != int64(n) {
				t.Errorf("%s event %d = %q seq %d, want %q", d.ID, n, ev.Data, ev.Seq, want)
			}
		}
		if n != eventsPerAgg {
			t.Errorf("%s has %d events, want %d: a partial append", d.ID, n, eventsPerAgg)
		}
	}
	for i := 1; i <= acked; i++ {
		if id := fmt.Sprintf("agg%06d", i); !indexed[id] {
			t.Errorf("acknowledged %s is missing after the kill", id)
		}
	}
	if all < acked || all > acked+1 {
		t.Errorf("%d aggregates after the kill, want %d acknowledged (or one more written before its ack)", all, acked)
	}
	t.Logf("killed after %d acknowledged writes; %d aggregates found, all whole", acked, all)
}
