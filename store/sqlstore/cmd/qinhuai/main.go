// Command qinhuai simulates a year of Nanjing's Qinhuai district (秦淮区) as the
// root module's examples/qinhuai does, on a SQL store: -db sqlite:FILE (the embedded
// SQLite backend) or -db postgres://… (PostgreSQL). It lives in this nested module
// because only this module imports the SQL drivers.
//
// A run records how far it got in the store, so a second run on the same file
// continues where the first stopped; with -months the year is simulated in parts:
//
//	cd store/sqlstore
//	go run ./cmd/qinhuai -db sqlite:qinhuai.db -months 6   # January–June
//	go run ./cmd/qinhuai -db sqlite:qinhuai.db -months 6   # July–December, report of the year
//
// On SQLite the whole year takes about five minutes on a 2-core machine and leaves a
// file of about 1.1 GB; its report is the same as the year's in memory.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gridgov/gridgov/examples/qinhuai/sim"
	"github.com/gridgov/gridgov/store"
	"github.com/gridgov/gridgov/store/sqlstore/postgres"
	"github.com/gridgov/gridgov/store/sqlstore/sqlite"
)

func main() {
	if err := command(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "qinhuai:", err)
		os.Exit(1)
	}
}

func command(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("qinhuai", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f sim.Flags
	f.Register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return sim.Main(ctx, f, open, stdout, stderr)
}

// open opens the store a -db value names.
func open(ctx context.Context, db string) (store.Backend, func() error, error) {
	switch {
	case strings.HasPrefix(db, "sqlite:"):
		path := strings.TrimPrefix(db, "sqlite:")
		if path == "" {
			return nil, nil, fmt.Errorf("-db sqlite: names no file")
		}
		s, err := sqlite.Open(ctx, path, &sqlite.Options{Synchronous: "NORMAL"})
		if err != nil {
			return nil, nil, err
		}
		return s, s.Close, nil
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		p, err := postgres.Open(ctx, db, nil)
		if err != nil {
			return nil, nil, err
		}
		return p, p.Close, nil
	}
	return nil, nil, fmt.Errorf("-db %q: want mem, sqlite:FILE or postgres://…", db)
}
