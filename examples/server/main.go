// Command server is an Open311 GeoReport v2 intake (受理) for Nanjing's Qinhuai district
// (秦淮区): residents' apps and systems such as FixMyStreet post service requests, which
// become event cases (事件) of the escalation package, located in a grid (网格) by their
// WGS-84 point, and follow them through the closed loop (闭环处置) by status.
//
//	go run ./examples/server -addr 127.0.0.1:8311
//
// The district is the real division tree and outline with the illustrative grids of
// 乌衣巷社区 next to 夫子庙 (as examples/qinhuai lays them out); cases are kept in
// memory and lost when the server stops. See README.md for the mapping and curl
// examples.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/store/memstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run parses the flags, listens and serves until ctx ends; ready, when not nil,
// receives the address listened on.
func run(ctx context.Context, args []string, log io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(log)
	addr := fs.String("addr", "127.0.0.1:8311", "address to listen on")
	jurisdiction := fs.String("jurisdiction", "320104", "the jurisdiction_id served (Qinhuai's division code)")
	apiKey := fs.String("api-key", "", "when set, the api_key every POST must send")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	b := memstore.New()
	clock := gridgov.SystemClock{}
	d, err := NewDistrict(b, clock, gridgov.NewIDGenerator(nil), time.Time{})
	if err != nil {
		return err
	}
	h, err := NewServer(d, b, Options{Jurisdiction: *jurisdiction, APIKey: *apiKey, Intake: intake, Clock: clock})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	fmt.Fprintf(log, "Open311 GeoReport v2 for jurisdiction %s on http://%s/services.json\n", *jurisdiction, ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
