// Package bench holds benchmarks that compare gridgov with outside libraries. It is a
// module of its own so that those libraries never become dependencies of gridgov.
//
//	cd bench && go test -run '^$' -bench . -benchmem
package bench
