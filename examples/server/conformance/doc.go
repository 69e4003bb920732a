// Package conformance checks the Open311 GeoReport v2 intake of examples/server from
// the outside: its test builds the server command, runs it on a loopback port and
// validates every response against a JSON Schema of the GeoReport v2 shapes
// (georeport-v2.schema.json beside this file) with a maintained JSON Schema
// validator. It is a module of its own so that the validator stays out of the root
// module's dependencies.
package conformance
