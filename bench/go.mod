module github.com/gridgov/gridgov/bench

go 1.24

replace github.com/gridgov/gridgov => ../

require (
	github.com/golang/geo v0.0.0-20260818125358-b200a1149890
	github.com/gridgov/gridgov v0.0.0-00010101000000-000000000000
	github.com/looplab/fsm v1.0.3
	github.com/paulmach/orb v0.14.0
	github.com/qmuntal/stateless v1.7.2
	github.com/tidwall/rtree v1.10.0
)

require (
	github.com/oklog/ulid/v2 v2.1.2 // indirect
	github.com/tidwall/geoindex v1.7.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)
