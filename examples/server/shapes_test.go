package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// The GeoReport v2 response shapes, as the specification states them
// (wiki.open311.org/GeoReport_v2): each field with its JSON type and whether the
// server must send it. Every response a test receives is checked against its shape
// field by field, rejecting unknown fields, missing required ones and wrong types:
// a small schema of our own, checked in the test instead of with a JSON Schema
// library, so that the root module gains no dependency for an example. The nested
// module conformance validates the running command against a JSON Schema with a
// maintained validator.

// kind is the JSON type a field may hold.
type kind string

const (
	kString   kind = "string"
	kBool     kind = "bool"
	kNumber   kind = "number"
	kInt      kind = "int"
	kDatetime kind = "datetime" // a W3C date-time with a zone: a string
	kArray    kind = "array"
)

type field struct {
	kind     kind
	required bool
	nullable bool
	enum     []string // allowed values of a string, when listed
	items    shape    // the elements of an array of objects
}

type shape map[string]field

var (
	serviceShape = shape{
		"service_code": {kind: kString, required: true},
		"service_name": {kind: kString, required: true},
		"description":  {kind: kString, nullable: true},
		"metadata":     {kind: kBool, required: true},
		"type":         {kind: kString, required: true, enum: []string{"realtime", "batch", "blackbox"}},
		"keywords":     {kind: kString, nullable: true},
		"group":        {kind: kString, nullable: true},
	}
	valueShape = shape{
		"key":  {kind: kString, required: true},
		"name": {kind: kString, required: true},
	}
	attributeShape = shape{
		"variable": {kind: kBool, required: true},
		"code":     {kind: kString, required: true},
		"datatype": {kind: kString, required: true,
			enum: []string{"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}},
		"required":             {kind: kBool, required: true},
		"datatype_description": {kind: kString, nullable: true},
		"order":                {kind: kInt, required: true},
		"description":          {kind: kString, required: true},
		"values":               {kind: kArray, items: valueShape},
	}
	definitionShape = shape{
		"service_code": {kind: kString, required: true},
		"attributes":   {kind: kArray, required: true, items: attributeShape},
	}
	postedShape = shape{
		"service_request_id": {kind: kString, required: true}, // a realtime server gives the ID, not a token
		"service_notice":     {kind: kString, nullable: true},
		"account_id":         {kind: kString, nullable: true},
	}
	requestShape = shape{
		"service_request_id": {kind: kString, required: true},
		"status":             {kind: kString, required: true, enum: []string{"open", "closed"}},
		"status_notes":       {kind: kString, nullable: true},
		"service_name":       {kind: kString, nullable: true},
		"service_code":       {kind: kString, required: true},
		"description":        {kind: kString, nullable: true},
		"agency_responsible": {kind: kString, nullable: true},
		"service_notice":     {kind: kString, nullable: true},
		"requested_datetime": {kind: kDatetime, required: true},
		"updated_datetime":   {kind: kDatetime, nullable: true},
		"expected_datetime":  {kind: kDatetime, nullable: true},
		"address":            {kind: kString, nullable: true},
		"address_id":         {kind: kString, nullable: true},
		"zipcode":            {kind: kString, nullable: true},
		"lat":                {kind: kNumber, nullable: true},
		"long":               {kind: kNumber, nullable: true},
		"media_url":          {kind: kString, nullable: true},
	}
	errorShape = shape{
		"code":        {kind: kInt, required: true},
		"description": {kind: kString, required: true},
	}
)

// checkArray checks body is a JSON array of objects of shape sh and returns them.
func checkArray(tb testing.TB, body []byte, sh shape) []map[string]any {
	tb.Helper()
	var raw []json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil || dec.More() {
		tb.Fatalf("body is not one JSON array (%v): %s", err, body)
	}
	if raw == nil {
		tb.Fatalf("body is null, want an array: %s", body)
	}
	out := make([]map[string]any, 0, len(raw))
	for i, r := range raw {
		out = append(out, checkObject(tb, fmt.Sprintf("[%d]", i), r, sh))
	}
	return out
}

// checkObject checks one JSON object against sh and returns it decoded.
func checkObject(tb testing.TB, path string, r json.RawMessage, sh shape) map[string]any {
	tb.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(r, &fields); err != nil || fields == nil {
		tb.Fatalf("%s: not a JSON object (%v): %s", path, err, r)
	}
	for k := range fields {
		if _, ok := sh[k]; !ok {
			tb.Errorf("%s.%s: not a field of the shape", path, k)
		}
	}
	var out map[string]any
	d := json.NewDecoder(bytes.NewReader(r))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	for name, f := range sh {
		m, ok := fields[name]
		if !ok {
			if f.required {
				tb.Errorf("%s.%s: required, missing", path, name)
			}
			continue
		}
		p := path + "." + name
		if string(m) == "null" {
			if !f.nullable {
				tb.Errorf("%s: null, want %s", p, f.kind)
			}
			continue
		}
		v := out[name]
		switch f.kind {
		case kString, kDatetime:
			s, ok := v.(string)
			switch {
			case !ok:
				tb.Errorf("%s: %s, want a string", p, m)
			case f.enum != nil && !slices.Contains(f.enum, s):
				tb.Errorf("%s: %q, want one of %v", p, s, f.enum)
			case f.kind == kDatetime:
				if _, err := time.Parse(time.RFC3339, s); err != nil {
					tb.Errorf("%s: %q is not a W3C date-time with a zone: %v", p, s, err)
				}
			}
		case kBool:
			if _, ok := v.(bool); !ok {
				tb.Errorf("%s: %s, want a boolean", p, m)
			}
		case kNumber, kInt:
			n, ok := v.(json.Number)
			if !ok {
				tb.Errorf("%s: %s, want a number", p, m)
			} else if _, err := n.Int64(); f.kind == kInt && (err != nil || strings.ContainsAny(n.String(), ".eE")) {
				tb.Errorf("%s: %s, want an integer", p, m)
			}
		case kArray:
			var items []json.RawMessage
			if err := json.Unmarshal(m, &items); err != nil {
				tb.Errorf("%s: %s, want an array", p, m)
				continue
			}
			for i, it := range items {
				checkObject(tb, fmt.Sprintf("%s[%d]", p, i), it, f.items)
			}
		}
	}
	return out
}

// checkError checks body is the spec's error response for HTTP status: a non-empty
// array of {code, description} whose code is the status.
func checkError(tb testing.TB, status int, body []byte) string {
	tb.Helper()
	errs := checkArray(tb, body, errorShape)
	if len(errs) == 0 {
		tb.Fatalf("error response is an empty array")
	}
	var descs []string
	for _, e := range errs {
		if c := e["code"].(json.Number).String(); c != fmt.Sprint(status) {
			tb.Errorf("error code %s, want the HTTP status %d", c, status)
		}
		descs = append(descs, e["description"].(string))
	}
	return strings.Join(descs, "; ")
}

// TestShapes_RejectWhatTheSpecForbids shows the checker can fail: a malformed
// response of each kind is caught.
func TestShapes_RejectWhatTheSpecForbids(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		sh         shape
		reason     string
	}{
		{"ExtraField", `[{"code":400,"description":"x","extra":1}]`, errorShape, "fields outside the spec are refused"},
		{"MissingRequired", `[{"code":400}]`, errorShape, "description is required"},
		{"WrongType", `[{"code":"400","description":"x"}]`, errorShape, "code is an integer"},
		{"BadEnum", `[{"service_request_id":"1","status":"pending","service_code":"E05","requested_datetime":"2025-01-01T00:00:00Z"}]`, requestShape, "status is open or closed"},
		{"BadDatetime", `[{"service_request_id":"1","status":"open","service_code":"E05","requested_datetime":"2025-01-01 00:00"}]`, requestShape, "date-times carry a zone"},
		{"NullNotAllowed", `[{"service_code":null,"service_name":"x","metadata":true,"type":"realtime"}]`, serviceShape, "service_code may not be null"},
		{"NestedBad", `[{"service_code":"E05","attributes":[{"variable":true}]}]`, definitionShape, "attributes are checked too"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			func() {
				defer func() { _ = recover() }() // Fatalf ends the check early
				checkArray(rec, []byte(tc.body), tc.sh)
			}()
			if !rec.failed {
				t.Errorf("checkArray accepted %s; %s", tc.body, tc.reason)
			}
		})
	}
}

// recordingTB records failures instead of failing the test.
type recordingTB struct {
	testing.TB
	failed bool
}

func (r *recordingTB) Helper()                      {}
func (r *recordingTB) Errorf(string, ...any)        { r.failed = true }
func (r *recordingTB) Fatalf(f string, args ...any) { r.failed = true; panic(fmt.Sprintf(f, args...)) }
