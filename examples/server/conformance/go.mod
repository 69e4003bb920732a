module github.com/gridgov/gridgov/examples/server/conformance

go 1.24

replace github.com/gridgov/gridgov => ../../..

require (
	github.com/gridgov/gridgov v0.0.0-00010101000000-000000000000
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
)

require (
	github.com/oklog/ulid/v2 v2.1.2 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/text v0.14.0 // indirect
)
