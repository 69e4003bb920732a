package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gridgov/gridgov/escalation"
)

// The server command, built once from the root module by TestMain.
var serverBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "georeport-conformance")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	serverBin = filepath.Join(dir, "server")
	build := exec.Command("go", "build", "-o", serverBin, "./examples/server")
	build.Dir = filepath.Join("..", "..", "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building examples/server:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var schemas = map[string]*jsonschema.Schema{}

// schema returns the compiled definition name of georeport-v2.schema.json.
func schema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	if s, ok := schemas[name]; ok {
		return s
	}
	f, err := os.Open("georeport-v2.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // date-time is checked, not only annotated
	if err := c.AddResource("georeport-v2.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("georeport-v2.schema.json#/$defs/" + name)
	if err != nil {
		t.Fatalf("compiling %s: %v", name, err)
	}
	schemas[name] = s
	return s
}

// valid reports whether body is one JSON document valid against definition name.
func valid(t *testing.T, name string, body []byte) error {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("more than one JSON value")
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return err
	}
	return schema(t, name).Validate(inst)
}

// server is the command running on a loopback port.
type server struct {
	t    *testing.T
	base string
	c    *http.Client
}

var listening = regexp.MustCompile(`on http://(127\.0\.0\.1:[0-9]+)/services\.json`)

// start runs the server command on 127.0.0.1:0 and stops it when the test ends.
func start(t *testing.T, args ...string) *server {
	t.Helper()
	cmd := exec.Command(serverBin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	drained := make(chan struct{})
	t.Cleanup(func() {
		// The command shuts down on an interrupt; a process that cannot be signalled
		// is killed. Its stderr is read to the end before Wait, as os/exec requires.
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			_ = cmd.Process.Kill()
		}
		<-drained
		if err := cmd.Wait(); err != nil {
			t.Errorf("server: %v", err)
		}
	})
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			go func() {
				defer close(drained)
				_, _ = io.Copy(io.Discard, stderr)
			}()
			return &server{t: t, base: "http://" + m[1], c: &http.Client{Timeout: 30 * time.Second}}
		}
		t.Log("server:", lines.Text())
	}
	close(drained) // the process ended: its stderr is at its end
	t.Fatalf("server ended before listening: %v", lines.Err())
	return nil
}

// do sends one request and returns the status and the body, checking that the body
// is JSON in UTF-8 as the spec requires.
func (s *server) do(method, path, ctype string, body io.Reader) (int, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		s.t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" || !strings.EqualFold(params["charset"], "utf-8") {
		s.t.Errorf("%s %s: Content-Type %q, want application/json; charset=utf-8", method, path, resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, out
}

func (s *server) get(path string) (int, []byte) { return s.do(http.MethodGet, path, "", nil) }

func (s *server) postForm(v url.Values) (int, []byte) {
	return s.do(http.MethodPost, "/requests.json", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
}

// expect checks a response's status and validates its body: against def on success,
// against the error shape (with code equal to the status) otherwise.
func (s *server) expect(what string, status int, body []byte, want int, def string) {
	s.t.Helper()
	if status != want {
		s.t.Errorf("%s: status %d, want %d: %s", what, status, want, body)
		return
	}
	if status != http.StatusOK {
		def = "errors"
	}
	if err := valid(s.t, def, body); err != nil {
		s.t.Errorf("%s: response is not a GeoReport v2 %s: %v\n%s", what, def, err, body)
		return
	}
	if status != http.StatusOK {
		var es []struct {
			Code int `json:"code"`
		}
		_ = json.Unmarshal(body, &es)
		for _, e := range es {
			if e.Code != status {
				s.t.Errorf("%s: error code %d in a %d response", what, e.Code, status)
			}
		}
	}
}

// count is the number of requests the server lists.
func (s *server) count() int {
	s.t.Helper()
	status, body := s.get("/requests.json")
	s.expect("GET /requests.json", status, body, http.StatusOK, "requests")
	var rs []json.RawMessage
	if err := json.Unmarshal(body, &rs); err != nil {
		s.t.Fatal(err)
	}
	return len(rs)
}

// A point in grid 1 of 乌衣巷社区, in the district but outside every grid, and west of
// Nanjing, in WGS-84.
var (
	inGrid     = url.Values{"lat": {"32.023346"}, "long": {"118.780996"}}
	inNoGrid   = url.Values{"lat": {"32.04"}, "long": {"118.79"}}
	outOfRange = url.Values{"lat": {"32.0"}, "long": {"118.0"}}
)

func form(at url.Values, kv ...string) url.Values {
	v := url.Values{}
	for k, x := range at {
		v[k] = x
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestSchemaRejectsWhatTheSpecDoesNotAllow(t *testing.T) {
	for _, tc := range []struct {
		def, doc string
		ok       bool
	}{
		{"services", `[]`, true}, // an endpoint offering nothing yet: FixMyStreet must cope
		{"services", `[{"service_code":"E05","service_name":"街面秩序","metadata":true,"type":"realtime"}]`, true},
		{"services", `[{"service_name":"街面秩序","metadata":true,"type":"realtime"}]`, false},                                                                                            // no code
		{"services", `[{"service_code":"E05","service_name":"x","metadata":"true","type":"realtime"}]`, false},                                                                        // metadata a string
		{"services", `[{"service_code":"E05","service_name":"x","metadata":true,"type":"weekly"}]`, false},                                                                            // no such type
		{"services", `[{"service_code":"E05","service_name":"x","metadata":true,"type":"realtime","x":1}]`, false},                                                                    // unknown field
		{"services", `{"service_code":"E05"}`, false},                                                                                                                                 // not a list
		{"service_definition", `{"service_code":"E05","attributes":[{"variable":true,"code":"c","datatype":"singlevaluelist","required":false,"order":1,"description":"d"}]}`, false}, // a list without values
		{"requests", `[]`, true},
		{"requests", `[{"service_request_id":"1","status":"pending","service_code":"E05","requested_datetime":"2025-09-26T09:00:00+08:00"}]`, false},
		{"requests", `[{"service_request_id":"1","status":"open","service_code":"E05","requested_datetime":"2025-09-26T09:00:00"}]`, false}, // no zone
		{"requests", `[{"service_request_id":"1","status":"open","service_code":"E05","requested_datetime":"2025-09-26T09:00:00Z","lat":91}]`, false},
		{"post_response", `[{"service_notice":"x"}]`, false},                 // neither ID nor token
		{"post_response", `[{"service_request_id":"1","token":"t"}]`, false}, // both
		{"errors", `[]`, false},                                                             // an error response says what failed
		{"errors", `[{"code":"400","description":"x"}]`, false},                             // code a string
		{"errors", `{"code":400,"description":"x"}`, false},                                 // not the array
		{"errors", `[{"code":400,"description":"x"},{"code":400,"description":"y"}]`, true}, // several at once
	} {
		err := valid(t, tc.def, []byte(tc.doc))
		if (err == nil) != tc.ok {
			t.Errorf("%s %s: valid = %v, want %v", tc.def, tc.doc, err, tc.ok)
		}
	}
}

// TestConformance runs the server command over loopback and validates every response.
func TestConformance(t *testing.T) {
	s := start(t, "-api-key", "k-311")

	// The empty list: nothing filed yet is [], never null.
	status, body := s.get("/requests.json")
	s.expect("GET /requests.json before any report", status, body, http.StatusOK, "requests")
	if strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("empty listing = %s, want []", body)
	}

	// Services and each definition.
	for _, q := range []string{"", "?jurisdiction_id=320104", "?jurisdiction_id="} {
		status, body = s.get("/services.json" + q)
		s.expect("GET /services.json"+q, status, body, http.StatusOK, "services")
	}
	var services []struct {
		Code string `json:"service_code"`
	}
	if err := json.Unmarshal(body, &services); err != nil {
		t.Fatal(err)
	}
	if len(services) < len(escalation.MajorClasses()) {
		t.Errorf("%d services, want at least the %d major classes", len(services), len(escalation.MajorClasses()))
	}
	for _, sv := range services {
		status, body = s.get("/services/" + sv.Code + ".json")
		s.expect("GET service definition "+sv.Code, status, body, http.StatusOK, "service_definition")
	}

	// A report as FixMyStreet sends it: a form with its own attributes beside the
	// definition's, contact fields, the api_key and the jurisdiction.
	fms := form(inGrid, "jurisdiction_id", "320104", "api_key", "k-311", "service_code", "E05",
		"description", "title: stall\n\ndetail: a stall blocks the lane\n\nSubmitted via FixMyStreet",
		"first_name", "Ann", "last_name", "Lee", "email", "ann@example.org",
		"media_url", "https://www.fixmystreet.com/photo/4242.0.full.jpeg",
		"attribute[complexity]", "complex", "attribute[fixmystreet_id]", "4242",
		"attribute[easting]", "530000", "attribute[northing]", "180000",
		"attribute[report_url]", "https://www.fixmystreet.com/report/4242", "attribute[closest_address]", "")
	status, body = s.postForm(fms)
	s.expect("POST as FixMyStreet", status, body, http.StatusOK, "post_response")
	var posted []struct {
		ID string `json:"service_request_id"`
	}
	if err := json.Unmarshal(body, &posted); err != nil || len(posted) != 1 {
		t.Fatalf("POST response %s: %v", body, err)
	}
	// The same as JSON, without jurisdiction_id (one jurisdiction is served).
	status, body = s.do(http.MethodPost, "/requests.json", "application/json", strings.NewReader(
		`{"api_key":"k-311","service_code":"G03","lat":32.0240,"long":118.7848,"attribute":{"complexity":"ordinary"}}`))
	s.expect("POST JSON", status, body, http.StatusOK, "post_response")
	filed := 2

	status, body = s.get("/requests/" + posted[0].ID + ".json")
	s.expect("GET the request", status, body, http.StatusOK, "requests")
	status, body = s.get("/requests.json?service_request_id=" + posted[0].ID + ",01ZZZZZZZZZZZZZZZZZZZZZZZZ")
	s.expect("GET by IDs", status, body, http.StatusOK, "requests")
	for _, q := range []string{"?status=open", "?status=open,closed&service_code=E05,G03", "?jurisdiction_id=320104"} {
		status, body = s.get("/requests.json" + q)
		s.expect("GET /requests.json"+q, status, body, http.StatusOK, "requests")
	}

	// Refusals: each in the spec's error shape with the spec's status, nothing filed.
	huge := strings.Repeat("x", 2<<20)
	for _, tc := range []struct {
		name         string
		method, path string
		ctype, body  string
		want         int
	}{
		{"wrong jurisdiction on a definition", "GET", "/services/E05.json?jurisdiction_id=320105", "", "", 404},
		{"wrong jurisdiction", "GET", "/services.json?jurisdiction_id=sfgov.org", "", "", 404},
		{"wrong jurisdiction on requests", "GET", "/requests.json?jurisdiction_id=320105", "", "", 404},
		{"unknown service definition", "GET", "/services/X99.json", "", "", 404},
		{"unknown request", "GET", "/requests/01ZZZZZZZZZZZZZZZZZZZZZZZZ.json", "", "", 404},
		{"XML not served", "GET", "/services.xml", "", "", 400},
		{"range over 90 days", "GET", "/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z", "", "", 400},
		{"bad status filter", "GET", "/requests.json?status=pending", "", "", 400},
		{"another method", "DELETE", "/requests.json", "", "", 400},
		{"wrong jurisdiction on POST", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(inGrid, "api_key", "k-311", "jurisdiction_id", "320105", "service_code", "E05").Encode(), 404},
		{"missing api_key", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(inGrid, "service_code", "E05").Encode(), 403},
		{"wrong api_key", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(inGrid, "api_key", "nope", "service_code", "E05").Encode(), 403},
		{"malformed JSON", "POST", "/requests.json", "application/json", `{"api_key":"k-311","service_code":"E05",`, 400},
		{"JSON key twice", "POST", "/requests.json", "application/json",
			`{"api_key":"k-311","service_code":"E05","lat":32.023346,"long":118.780996,"service_code":"E01"}`, 400},
		{"unknown service code", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(inGrid, "api_key", "k-311", "service_code", "E99").Encode(), 404},
		{"missing service code", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(inGrid, "api_key", "k-311").Encode(), 400},
		{"missing location", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(nil, "api_key", "k-311", "service_code", "E05").Encode(), 400},
		{"outside the district", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(outOfRange, "api_key", "k-311", "service_code", "E05").Encode(), 400},
		{"outside every grid", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(inNoGrid, "api_key", "k-311", "service_code", "E05", "attribute[fixmystreet_id]", "1").Encode(), 400},
		{"bad attribute value", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(inGrid, "api_key", "k-311", "service_code", "E05", "attribute[complexity]", "huge").Encode(), 400},
		{"oversized form", "POST", "/requests.json", "application/x-www-form-urlencoded",
			form(inGrid, "api_key", "k-311", "service_code", "E05", "description", huge).Encode(), 400},
		{"oversized JSON", "POST", "/requests.json", "application/json",
			`{"api_key":"k-311","service_code":"E05","description":"` + huge + `"}`, 400},
		{"plain text", "POST", "/requests.json", "text/plain", "service_code=E05", 400},
	} {
		var rd io.Reader
		if tc.body != "" {
			rd = strings.NewReader(tc.body)
		}
		status, body := s.do(tc.method, tc.path, tc.ctype, rd)
		s.expect(tc.name, status, body, tc.want, "")
	}
	if n := s.count(); n != filed {
		t.Errorf("%d requests listed after the refusals, want the %d filed", n, filed)
	}
}
