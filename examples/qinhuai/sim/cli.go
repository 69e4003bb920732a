package sim

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/profile"
	"github.com/gridgov/gridgov/store"
)

// Flags are the command-line flags the qinhuai programs share.
type Flags struct {
	Seed    int64
	Profile string
	Scale   int
	Out     string
	DB      string
	Months  int
	Year    int
	Serial  bool
	// CPUProfile and MemProfile name files for runtime/pprof profiles of the run.
	CPUProfile string
	MemProfile string
}

// Register adds the flags to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.Int64Var(&f.Seed, "seed", 1, "seed of the simulated year")
	fs.StringVar(&f.Profile, "profile", "", "profile `FILE` of the district's rules (default: the embedded Qinhuai profile)")
	fs.IntVar(&f.Scale, "scale", 1, fmt.Sprintf("simulate a city of `N` districts, each a copy of Qinhuai (1–%d)", MaxScale))
	fs.StringVar(&f.Out, "out", "", "also write report.html and report.json into `DIR`")
	fs.StringVar(&f.DB, "db", "mem", "store: mem, sqlite:FILE or postgres://…")
	fs.IntVar(&f.Months, "months", 0, "simulate this many months from where the store stopped (0: to the end of the year)")
	fs.IntVar(&f.Year, "year", 2025, "the simulated year")
	fs.BoolVar(&f.Serial, "serial", false, "run each day's lanes one after another instead of at once (the report is the same)")
	fs.StringVar(&f.CPUProfile, "cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof)")
	fs.StringVar(&f.MemProfile, "memprofile", "", "write a heap profile (allocations) at the end of the run to `FILE`")
}

// Opener opens the store a -db value names, with a function that closes it. The
// root module's program opens only "mem"; the SQL programs open the rest.
type Opener func(ctx context.Context, db string) (store.Backend, func() error, error)

// ErrNoDriver is returned for a -db value the program cannot open.
var ErrNoDriver = errors.New("sim: no driver for this -db")

// Main runs the year as the flags say: the text report on stdout, a progress line on
// stderr, report.html and report.json under -out.
func Main(ctx context.Context, f Flags, open Opener, stdout, stderr io.Writer) error {
	o := Options{Seed: f.Seed, Scale: f.Scale, Months: f.Months, Year: f.Year, Serial: f.Serial, Progress: stderr, Now: time.Now}
	if f.Profile != "" {
		p, err := profile.LoadFile(f.Profile)
		if err != nil {
			return err
		}
		o.Profile = p
	}
	if f.DB != "" && f.DB != "mem" {
		b, closeDB, err := open(ctx, f.DB)
		if err != nil {
			return err
		}
		defer closeDB()
		o.Backend = b
	}
	if f.CPUProfile != "" {
		pf, err := os.Create(f.CPUProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := Run(ctx, o)
	if err != nil {
		return err
	}
	if f.MemProfile != "" {
		pf, err := os.Create(f.MemProfile)
		if err != nil {
			return err
		}
		// The allocation profile, not the live heap: what the run allocated is what
		// costs its time.
		werr := pprof.Lookup("allocs").WriteTo(pf, 0)
		if err := errors.Join(werr, pf.Close()); err != nil {
			return err
		}
	}
	if err := rep.WriteText(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "simulated in %s\n", rep.Elapsed.Round(time.Millisecond))
	if f.Out != "" {
		if err := os.MkdirAll(f.Out, 0o755); err != nil {
			return err
		}
		js, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(f.Out, "report.json"), append(js, '\n'), 0o644); err != nil {
			return err
		}
		var html strings.Builder
		if err := rep.WriteHTML(&html); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(f.Out, "report.html"), []byte(html.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// MemOnly is the Opener of the root module's program: it has no SQL driver, so it
// names the program that does.
func MemOnly(_ context.Context, db string) (store.Backend, func() error, error) {
	return nil, nil, fmt.Errorf("%w %q: the root module imports no SQL driver; run the same flags with "+
		"(cd store/sqlstore && go run ./cmd/qinhuai -db %s): %w", ErrNoDriver, db, db, gridgov.ErrInvalid)
}
