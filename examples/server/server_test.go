package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store/memstore"
)

var cst = time.FixedZone("CST", 8*3600)

// Points in WGS-84, as a phone's GPS gives them.
var (
	inGrid1     = [2]string{"32.023346", "118.780996"} // the lane west of 夫子庙: GCJ-02 (118.7862, 32.0213), grid 1
	inQinhuai   = [2]string{"32.04", "118.79"}         // in the district, outside every grid of the layer
	outOfQinhua = [2]string{"32.0", "118.0"}           // west of Nanjing, outside the district
)

type fixture struct {
	t     *testing.T
	d     *District
	srv   *Server
	clock *gridgov.ManualClock
	// lastID is the request a test moves through its loop.
	lastID string
}

// newFixture builds the district and the server at Friday 26 September 2025 09:00.
func newFixture(t *testing.T, o Options, intakeEnd time.Time) *fixture {
	t.Helper()
	b := memstore.New()
	clock := gridgov.NewManualClock(time.Date(2025, 9, 26, 9, 0, 0, 0, cst))
	d, err := NewDistrict(b, clock, gridgov.NewSeededIDGenerator(311), intakeEnd)
	require.NoError(t, err)
	if o.Jurisdiction == "" {
		o.Jurisdiction = "320104"
	}
	if o.Intake == (hierarchy.Actor{}) {
		o.Intake = intake
	}
	o.Clock = clock
	srv, err := NewServer(d, b, o)
	require.NoError(t, err)
	return &fixture{t: t, d: d, srv: srv, clock: clock}
}

// do serves one request in process and returns its status and body.
func (f *fixture) do(method, target, contentType string, body io.Reader) (int, []byte) {
	f.t.Helper()
	r := httptest.NewRequest(method, target, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		f.t.Errorf("%s %s: Content-Type %q, want JSON in UTF-8", method, target, ct)
	}
	return w.Code, w.Body.Bytes()
}

func (f *fixture) get(target string) (int, []byte) { return f.do(http.MethodGet, target, "", nil) }

func (f *fixture) postForm(v url.Values) (int, []byte) {
	return f.do(http.MethodPost, "/requests.json", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
}

// post files a request that must succeed and returns its ID.
func (f *fixture) post(v url.Values) string {
	f.t.Helper()
	code, body := f.postForm(v)
	if code != http.StatusOK {
		f.t.Fatalf("POST %v = %d %s, want 200", v, code, body)
	}
	got := checkArray(f.t, body, postedShape)
	if len(got) != 1 {
		f.t.Fatalf("POST returned %d elements, want 1", len(got))
	}
	return got[0]["service_request_id"].(string)
}

// request fetches one request, checked against the spec's shape.
func (f *fixture) request(id string) map[string]any {
	f.t.Helper()
	code, body := f.get("/requests/" + id + ".json")
	if code != http.StatusOK {
		f.t.Fatalf("GET request %s = %d %s", id, code, body)
	}
	rs := checkArray(f.t, body, requestShape)
	if len(rs) != 1 {
		f.t.Fatalf("GET request %s returned %d elements, want 1", id, len(rs))
	}
	return rs[0]
}

// stored is everything the server has stored: each case and request record with
// its version, so that a refused request can be shown to have changed nothing.
func (f *fixture) stored() []string {
	f.t.Helper()
	ctx := context.Background()
	cases, err := f.d.Cases.List(ctx, escalation.Query{})
	require.NoError(f.t, err)
	var out []string
	for _, c := range cases {
		out = append(out, fmt.Sprintf("case %s %s %d events", c.ID, c.State, len(c.History)))
	}
	metas, err := f.srv.meta.All(ctx, "", "")
	require.NoError(f.t, err)
	for _, m := range metas {
		out = append(out, fmt.Sprintf("meta %s v%d", m.ID, m.Version))
	}
	return out
}

func report(code string, at [2]string, extra ...string) url.Values {
	v := url.Values{"service_code": {code}, "lat": {at[0]}, "long": {at[1]}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func TestServices(t *testing.T) {
	f := newFixture(t, Options{}, time.Time{})
	// An empty jurisdiction_id is the same as none: the spec's optional arguments
	// answer alike whether left out or sent empty.
	for _, target := range []string{"/services.json", "/services.json?jurisdiction_id=320104", "/services.json?jurisdiction_id="} {
		code, body := f.get(target)
		if code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, code, body)
		}
		var codes []string
		for _, s := range checkArray(t, body, serviceShape) {
			codes = append(codes, s["service_code"].(string))
		}
		var want []string
		for _, c := range escalation.MajorClasses() {
			want = append(want, c.Code)
		}
		if diff := cmp.Diff(want, codes); diff != "" {
			t.Errorf("GET %s service codes mismatch (-want +got):\n%s", target, diff)
		}
	}
}

func TestServiceDefinition(t *testing.T) {
	f := newFixture(t, Options{}, time.Time{})
	code, body := f.get("/services/E05.json")
	if code != http.StatusOK {
		t.Fatalf("GET /services/E05.json = %d %s", code, body)
	}
	var raw json.RawMessage = body
	def := checkObject(t, "", raw, definitionShape)
	if def["service_code"] != "E05" {
		t.Errorf("service_code = %v, want E05", def["service_code"])
	}
	attrs := def["attributes"].([]any)
	if len(attrs) == 0 || attrs[0].(map[string]any)["code"] != attrComplexity {
		t.Errorf("attributes = %v, want the complexity attribute first", attrs)
	}

	for _, tc := range []struct {
		target string
		status int
		reason string
	}{
		{"/services/X99.json", http.StatusNotFound, "a code outside the taxonomy is not a service"},
		{"/services/e05.json", http.StatusNotFound, "codes are case-sensitive: no silent folding"},
		{"/services/E05.xml", http.StatusBadRequest, "only JSON is served"},
		{"/services/E05", http.StatusNotFound, "the format suffix is part of the resource"},
		{"/services/E05.json?jurisdiction_id=320105", http.StatusNotFound, "another district's jurisdiction is not served here"},
		{"/services.json?jurisdiction_id=320105", http.StatusNotFound, "the spec's 404: jurisdiction_id provided was not found"},
		{"/services.json?jurisdiction_id=320104&jurisdiction_id=320105", http.StatusBadRequest, "two jurisdictions are ambiguous"},
	} {
		code, body := f.get(tc.target)
		if code != tc.status {
			t.Errorf("GET %s = %d %s, want %d: %s", tc.target, code, body, tc.status, tc.reason)
			continue
		}
		checkError(t, code, body)
	}
}

func TestPost_FiledThroughGridAndIntake(t *testing.T) {
	f := newFixture(t, Options{}, time.Time{})
	f.clock.Set(time.Date(2025, 9, 26, 9, 10, 0, 0, cst))
	id := f.post(report("E05", inGrid1, "description", "占道经营, a stall blocks the lane",
		"media_url", "https://example.org/stall.jpg", "email", "resident@example.org", "attribute[complexity]", "ordinary"))

	c, err := f.d.Cases.Get(context.Background(), escalation.CaseID(id))
	require.NoError(t, err)
	want := escalation.Location{Unit: grid1, Point: escalation.Point{Lon: 118.780996, Lat: 32.023346}, Datum: escalation.DatumWGS84}
	if diff := cmp.Diff(want, c.Location); diff != "" {
		t.Errorf("case location mismatch (-want +got):\n%s", diff)
	}
	if c.Reporter != intake || c.Source != escalation.SourceResident || c.Category != "E05" || c.State != escalation.Reported {
		t.Errorf("case = reporter %v source %s category %s state %s, want the intake post, resident, E05, reported",
			c.Reporter, c.Source, c.Category, c.State)
	}

	r := f.request(id)
	for k, v := range map[string]any{
		"service_request_id": id, "status": "open", "service_code": "E05", "service_name": "街面秩序",
		"description": "占道经营, a stall blocks the lane", "media_url": "https://example.org/stall.jpg",
		"requested_datetime": "2025-09-26T09:10:00+08:00", "lat": json.Number("32.023346"), "long": json.Number("118.780996"),
		"expected_datetime": nil,
	} {
		if r[k] != v {
			t.Errorf("request %s = %v, want %v", k, r[k], v)
		}
	}
	if !strings.HasPrefix(r["status_notes"].(string), "reported") {
		t.Errorf("status_notes = %q, want the fine state reported", r["status_notes"])
	}

	// The same report as JSON, lat and long as numbers, attributes as an object.
	code, body := f.do(http.MethodPost, "/requests.json", "application/json", strings.NewReader(
		`{"jurisdiction_id":"320104","service_code":"G04","lat":32.023346,"long":118.780996,"attribute":{"complexity":"complex"},"account_id":"acc-7"}`))
	if code != http.StatusOK {
		t.Fatalf("POST JSON = %d %s", code, body)
	}
	p := checkArray(t, body, postedShape)
	if p[0]["account_id"] != "acc-7" {
		t.Errorf("account_id = %v, want the one sent", p[0]["account_id"])
	}
	c2, err := f.d.Cases.Get(context.Background(), escalation.CaseID(p[0]["service_request_id"].(string)))
	require.NoError(t, err)
	if c2.Complexity != escalation.Complex || c2.Location.Unit != grid1 {
		t.Errorf("JSON case = complexity %s unit %s, want complex in grid 1", c2.Complexity, c2.Location.Unit)
	}

	// An optional attribute sent empty, as FixMyStreet sends unanswered ones, is absent.
	c4, err := f.d.Cases.Get(context.Background(), escalation.CaseID(f.post(report("E05", inGrid1, "attribute[complexity]", ""))))
	require.NoError(t, err)
	if c4.Complexity != escalation.Ordinary {
		t.Errorf("complexity sent empty = %q, want the default ordinary", c4.Complexity)
	}

	// An address the grid layer knows stands in for a point.
	id3 := f.post(url.Values{"service_code": {"G01"}, "address_string": {"南京市秦淮区平江府路８号三栋二单元301室"}})
	c3, err := f.d.Cases.Get(context.Background(), escalation.CaseID(id3))
	require.NoError(t, err)
	if c3.Location.Unit != grid2 {
		t.Errorf("address case unit = %s, want grid 2, which holds 平江府路8号3栋", c3.Location.Unit)
	}
	if r := f.request(id3); r["lat"] != nil || r["address"] != "南京市秦淮区平江府路８号三栋二单元301室" {
		t.Errorf("address request lat %v address %v, want no point and the address sent", r["lat"], r["address"])
	}
}

// TestPost_BadInputStoresNothing: every refused POST answers in the spec's error
// shape with its status, and the store is unchanged.
// TestPost_FixMyStreetAttributes: FixMyStreet sends attributes of its own beside the
// definition's (its report ID, British grid coordinates, the report's URL and title).
// They are accepted and not kept; the definition's are still checked and applied, and
// the response says what was left out.
func TestPost_FixMyStreetAttributes(t *testing.T) {
	f := newFixture(t, Options{}, time.Time{})
	v := report("E05", inGrid1, "description", "title: stall\n\ndetail: a stall blocks the lane",
		"first_name", "Ann", "last_name", "Lee", "attribute[complexity]", "complex",
		"attribute[fixmystreet_id]", "4242", "attribute[easting]", "530000", "attribute[northing]", "180000",
		"attribute[report_url]", "https://www.fixmystreet.com/report/4242", "attribute[title]", "stall",
		"attribute[closest_address]", "", "attribute[photos][]", "a.jpg")
	code, body := f.postForm(v)
	if code != http.StatusOK {
		t.Fatalf("POST = %d %s", code, body)
	}
	p := checkArray(t, body, postedShape)
	want := "not kept, as service E05 defines no such attribute: closest_address, easting, fixmystreet_id, northing, photos, report_url, title"
	if n := p[0]["service_notice"].(string); !strings.HasSuffix(n, want) {
		t.Errorf("service_notice = %q, want it to end %q", n, want)
	}
	id := p[0]["service_request_id"].(string)
	c, err := f.d.Cases.Get(context.Background(), escalation.CaseID(id))
	require.NoError(t, err)
	if c.Complexity != escalation.Complex {
		t.Errorf("complexity = %q, want complex: the definition's attribute still applies", c.Complexity)
	}
	// Nothing of the ignored attributes is kept: the case is the only record (no
	// media_url was sent, so no metadata either).
	if got := f.stored(); len(got) != 1 {
		t.Errorf("stored %v, want the case alone", got)
	}
	if strings.Contains(f.request(id)["description"].(string), "4242") {
		t.Errorf("an ignored attribute reached the request")
	}

	// Many ignored attributes: the notice stays short.
	many := report("E05", inGrid1)
	for i := range 20 {
		many.Set(fmt.Sprintf("attribute[x%02d%s]", i, strings.Repeat("长", 50)), "1")
	}
	code, body = f.postForm(many)
	if code != http.StatusOK {
		t.Fatalf("POST = %d %s", code, body)
	}
	if n := checkArray(t, body, postedShape)[0]["service_notice"].(string); !strings.HasSuffix(n, "… and 12 more") || len(n) > 2000 {
		t.Errorf("service_notice of %d bytes = %q, want eight names cut short and a count", len(n), n)
	}
}

func TestDuplicateKey(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{`{"a":1,"b":2}`, ""},
		{`{"a":1,"a":2}`, "a"},
		{`{"a":{"b":1,"c":[1,{"d":1}]},"e":{}}`, ""},
		{`{"a":{"b":1},"a":2}`, "a"},
		{`{"a":{"b":1,"b":2}}`, "b"},
		{`{"a":[{"b":1},{"b":2}],"c":1}`, ""}, // equal keys of two objects are no duplicate
		{`{"a":[{"b":1,"b":2}]}`, "b"},
		{`{"a":[],"b":{},"a":0}`, "a"},
	} {
		got, ok := duplicateKey([]byte(tc.in))
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("duplicateKey(%s) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestPost_BadInputStoresNothing(t *testing.T) {
	form := "application/x-www-form-urlencoded"
	huge := strings.Repeat("x", MaxBody+1)
	for _, tc := range []struct {
		name, ctype, body string
		status            int
		reason            string
	}{
		{"MalformedJSON", "application/json", `{"service_code":"E05",`, 400, "a truncated JSON body"},
		{"JSONNotObject", "application/json", `["E05"]`, 400, "the body is an object of fields"},
		{"JSONTwoValues", "application/json", `{"service_code":"E05"}{"x":1}`, 400, "trailing data after the object"},
		{"JSONNestedValue", "application/json", `{"service_code":"E05","lat":[32],"long":118.78}`, 400, "fields are strings or numbers"},
		{"JSONBoolAttribute", "application/json", `{"service_code":"E05","lat":32.023346,"long":118.780996,"attribute":{"complexity":true}}`, 400, "attribute values are strings"},
		{"MalformedForm", form, "service_code=%zz", 400, "a bad percent-encoding"},
		{"UnsupportedType", "text/plain", "service_code=E05", 400, "neither a form nor JSON (the spec: 400 for any other error)"},
		{"JSONDuplicateKey", "application/json", `{"service_code":"E05","lat":32.023346,"long":118.780996,"lat":31.9}`, 400, "which lat is meant?"},
		{"JSONDuplicateAttribute", "application/json", `{"service_code":"E05","lat":32.023346,"long":118.780996,"attribute":{"complexity":"complex","complexity":"ordinary"}}`, 400, "which complexity is meant?"},
		{"JSONAttributeTwice", "application/json", `{"service_code":"E05","lat":32.023346,"long":118.780996,"attribute[complexity]":"complex","attribute":{"complexity":"ordinary"}}`, 400, "one attribute in both forms"},
		{"MissingServiceCode", form, "lat=32.023346&long=118.780996", 400, "service_code is required"},
		{"UnknownServiceCode", form, "service_code=E99&lat=32.023346&long=118.780996", 404, "not a service of the taxonomy"},
		{"MinorClassAsService", form, "service_code=E0501&lat=32.023346&long=118.780996", 404, "minor classes are attributes, not services"},
		{"MissingLocation", form, "service_code=E05", 400, "no lat/long and no address"},
		{"AddressIDOnly", form, "service_code=E05&address_id=42", 400, "address IDs are not served"},
		{"LatWithoutLong", form, "service_code=E05&lat=32.023346", 400, "lat and long go together"},
		{"LatNaN", form, "service_code=E05&lat=NaN&long=118.780996", 400, "not a finite latitude"},
		{"LatOutOfRange", form, "service_code=E05&lat=91&long=118.780996", 400, "beyond the pole"},
		{"LongGarbled", form, "service_code=E05&lat=32.02&long=118,78", 400, "a decimal comma"},
		{"OutsideDistrict", form, "service_code=E05&lat=32.0&long=118.0", 400, "a point outside Qinhuai"},
		{"OutsideEveryGrid", form, "service_code=E05&lat=32.04&long=118.79", 400, "in Qinhuai but in no grid of the layer"},
		{"UnknownAddress", form, "service_code=E05&address_string=" + url.QueryEscape("火星路1号"), 400, "no building matches"},
		{"WrongJurisdiction", form, "jurisdiction_id=320105&service_code=E05&lat=32.023346&long=118.780996", 404, "the spec's 404: jurisdiction_id was not found"},
		{"TwoJurisdictions", form, "jurisdiction_id=320104&jurisdiction_id=320105&service_code=E05&lat=32.023346&long=118.780996", 400, "an ambiguous jurisdiction"},
		{"RepeatedField", form, "service_code=E05&service_code=E01&lat=32.023346&long=118.780996", 400, "which service is meant?"},
		{"MalformedAttributeKey", form, "service_code=E05&lat=32.023346&long=118.780996&attribute[complexity=complex", 400, "no closing bracket"},
		{"EmptyAttributeCode", form, "service_code=E05&lat=32.023346&long=118.780996&attribute[]=complex", 400, "an attribute without a code"},
		{"NestedAttributeKey", form, "service_code=E05&lat=32.023346&long=118.780996&attribute[complexity][x]=complex", 400, "not the spec's attribute[code][]"},
		{"MultiValueForSingle", form, "service_code=E05&lat=32.023346&long=118.780996&attribute[complexity][]=complex", 400, "complexity is a singlevaluelist"},
		{"BadAttributeValue", form, "service_code=E05&lat=32.023346&long=118.780996&attribute[complexity]=huge", 400, "not one of the values"},
		{"UnknownAttributeBadLocation", form, "service_code=E05&lat=32.04&long=118.79&attribute[fixmystreet_id]=42", 400, "an ignored attribute does not rescue a bad request"},
		{"BadMediaURL", form, "service_code=E05&lat=32.023346&long=118.780996&media_url=javascript:alert(1)", 400, "not an http(s) URL"},
		{"BadEmail", form, "service_code=E05&lat=32.023346&long=118.780996&email=nobody", 400, "not an address"},
		{"DescriptionTooLong", form, "service_code=E05&lat=32.023346&long=118.780996&description=" + strings.Repeat("长", MaxDescription+1), 400, "over the spec's 4,000 characters"},
		{"OversizedForm", form, "service_code=E05&lat=32.023346&long=118.780996&description=" + huge, 400, "over the 1 MiB body limit"},
		{"OversizedJSON", "application/json", `{"service_code":"E05","description":"` + huge + `"}`, 400, "over the 1 MiB body limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, Options{}, time.Time{})
			f.post(report("E05", inGrid1)) // something stored already, which must stay as it is
			before := f.stored()
			code, body := f.do(http.MethodPost, "/requests.json", tc.ctype, strings.NewReader(tc.body))
			if code != tc.status {
				t.Fatalf("POST = %d %s, want %d: %s", code, body, tc.status, tc.reason)
			}
			// Refusals with the same status must still say which rule refused them.
			says := map[string]string{
				"OutsideDistrict":        "lies outside 秦淮区",
				"OutsideEveryGrid":       "lies in 秦淮区 but outside every grid",
				"UnknownServiceCode":     `service_code "E99" not found`,
				"MissingLocation":        "a location is required",
				"WrongJurisdiction":      `jurisdiction_id "320105"`,
				"OversizedForm":          "larger than 1048576 bytes",
				"OversizedJSON":          "larger than 1048576 bytes",
				"JSONDuplicateKey":       `key "lat" given twice`,
				"JSONDuplicateAttribute": `key "complexity" given twice`,
				"JSONAttributeTwice":     "attribute[complexity] given 2 times",
				"MultiValueForSingle":    "singlevaluelist",
			}[tc.name]
			if d := checkError(t, code, body); !strings.Contains(d, says) {
				t.Errorf("error %q does not say %q", d, says)
			}
			if diff := cmp.Diff(before, f.stored()); diff != "" {
				t.Errorf("store changed by a refused POST (-before +after):\n%s", diff)
			}
		})
	}
}

func TestPost_APIKey(t *testing.T) {
	f := newFixture(t, Options{APIKey: "k-311"}, time.Time{})
	for _, v := range []url.Values{report("E05", inGrid1), report("E05", inGrid1, "api_key", "wrong")} {
		code, body := f.postForm(v)
		if code != http.StatusForbidden { // the one 403 of the spec
			t.Errorf("POST with api_key %q = %d %s, want 403", v.Get("api_key"), code, body)
		}
		checkError(t, code, body)
	}
	if got := f.stored(); len(got) != 0 {
		t.Errorf("stored %v, want nothing", got)
	}
	f.post(report("E05", inGrid1, "api_key", "k-311"))
}

// TestPost_IntakeFailsClosed: with the intake post ended, no report is filed: the
// library's post check refuses it and the server answers 400, the spec's general
// service error (403 is the client's api_key), naming the rule.
func TestPost_IntakeFailsClosed(t *testing.T) {
	ended := time.Date(2025, 9, 1, 0, 0, 0, 0, cst)
	f := newFixture(t, Options{}, ended)
	code, body := f.postForm(report("E05", inGrid1))
	if code != http.StatusBadRequest {
		t.Fatalf("POST with an ended intake post = %d %s, want 400", code, body)
	}
	if d := checkError(t, code, body); !strings.Contains(d, "auth.post") {
		t.Errorf("error %q does not name the rule auth.post", d)
	}
	// An actor the tree does not know cannot file either.
	g := newFixture(t, Options{Intake: act("nobody", "320104001/command")}, time.Time{})
	code, body = g.postForm(report("E05", inGrid1))
	if code != http.StatusBadRequest {
		t.Fatalf("POST by an actor without a post = %d %s, want 400", code, body)
	}
	checkError(t, code, body)
	if len(f.stored())+len(g.stored()) != 0 {
		t.Errorf("refused reports were stored: %v %v", f.stored(), g.stored())
	}
}

// TestRequest_FollowsTheClosedLoop: status and status_notes follow the case, and
// expected_datetime is its resolution deadline (处置时限).
func TestRequest_FollowsTheClosedLoop(t *testing.T) {
	f := newFixture(t, Options{}, time.Time{})
	ctx := context.Background()
	step := func(at time.Time, actor hierarchy.Actor, cmd escalation.Command) {
		t.Helper()
		f.clock.Set(at)
		_, _, err := f.d.Cases.Do(ctx, escalation.CaseID(f.lastID), actor, cmd)
		require.NoError(t, err)
	}
	f.clock.Set(time.Date(2025, 9, 26, 9, 10, 0, 0, cst))
	f.lastID = f.post(report("E05", inGrid1, "description", "占道经营"))
	step(time.Date(2025, 9, 26, 9, 25, 0, 0, cst), dispatcher, escalation.File{})
	step(time.Date(2025, 9, 26, 9, 30, 0, 0, cst), dispatcher, escalation.Dispatch{})
	step(time.Date(2025, 9, 26, 10, 0, 0, 0, cst), enforcer, escalation.Accept{})

	r := f.request(f.lastID)
	if r["status"] != "open" || !strings.HasPrefix(r["status_notes"].(string), "handling") {
		t.Errorf("status %v notes %v, want open, handling", r["status"], r["status_notes"])
	}
	if r["agency_responsible"] != "夫子庙街道 comprehensive law-enforcement bureau" {
		t.Errorf("agency_responsible = %v, want the street's law-enforcement bureau", r["agency_responsible"])
	}
	// Three working days from Friday 26 September end on Tuesday 30 September: Sunday
	// 28 is worked in lieu (调休) and 1–8 October are the National Day holiday.
	exp, ok := r["expected_datetime"].(string)
	if !ok {
		t.Fatalf("expected_datetime = %v, want the resolution deadline", r["expected_datetime"])
	}
	got, err := time.Parse(time.RFC3339, exp)
	require.NoError(t, err)
	c, err := f.d.Cases.Get(ctx, escalation.CaseID(f.lastID))
	require.NoError(t, err)
	p, _ := f.d.Cases.Policies().Get(c.PolicyVersion)
	res, ok := p.Timeline(c, escalation.Env{Tree: f.d.Tree, Calendar: f.d.Cal}).Resolution()
	if !ok || !got.Equal(res.Deadline) {
		t.Errorf("expected_datetime %s, want the timeline's resolution deadline %v", exp, res.Deadline)
	}
	if d := got.In(cst).Format(time.DateOnly); d != "2025-09-30" {
		t.Errorf("expected_datetime falls on %s, want 2025-09-30", d)
	}

	step(time.Date(2025, 9, 28, 10, 30, 0, 0, cst), enforcer, escalation.ReportBack{})
	step(time.Date(2025, 9, 28, 11, 5, 0, 0, cst), gridHead, escalation.Verify{Passed: true})
	step(time.Date(2025, 9, 28, 14, 0, 0, 0, cst), dispatcher, escalation.Close{})
	r = f.request(f.lastID)
	if r["status"] != "closed" || !strings.HasPrefix(r["status_notes"].(string), "closed") ||
		r["expected_datetime"] != nil || r["updated_datetime"] != "2025-09-28T14:00:00+08:00" {
		t.Errorf("closed request = status %v notes %v expected %v updated %v", r["status"], r["status_notes"],
			r["expected_datetime"], r["updated_datetime"])
	}
}

func TestRequests_List(t *testing.T) {
	f := newFixture(t, Options{}, time.Time{})
	// An empty store lists an empty array, not null (FixMyStreet reads an array).
	code, body := f.get("/requests.json")
	if code != http.StatusOK || len(checkArray(t, body, requestShape)) != 0 {
		t.Fatalf("GET /requests.json on an empty store = %d %s, want []", code, body)
	}
	at := func(m time.Month, d int) { f.clock.Set(time.Date(2025, m, d, 10, 0, 0, 0, cst)) }
	at(5, 6)
	old := f.post(report("E05", inGrid1)) // more than 90 days before "now"
	at(9, 26)
	stall := f.post(report("E05", inGrid1))
	f.clock.Advance(time.Hour)
	lamp := f.post(report("C01", inGrid1))
	at(9, 29)
	police := f.post(report("G04", inGrid1))
	f.lastID = police
	ctx := context.Background()
	_, _, err := f.d.Cases.Do(ctx, escalation.CaseID(police), dispatcher, escalation.Void{Reason: "duplicate"})
	require.NoError(t, err)
	at(10, 9)

	for _, tc := range []struct {
		query  string
		want   []string
		reason string
	}{
		{"", []string{police, lamp, stall}, "the last 90 days by default, newest first"},
		{"?status=open", []string{lamp, stall}, "a voided case is closed"},
		{"?status=closed", []string{police}, "only the voided one"},
		{"?status=open,closed", []string{police, lamp, stall}, "both states"},
		{"?service_code=E05", []string{stall}, "one service"},
		{"?service_code=E05,C01", []string{lamp, stall}, "a comma-separated list of services"},
		{"?start_date=2025-05-01T00:00:00%2B08:00&end_date=2025-06-01T00:00:00%2B08:00", []string{old}, "an older window"},
		{"?start_date=2025-09-27T00:00:00Z", []string{police}, "start only: the 90 days after it"},
		{"?end_date=2025-09-27T00:00:00Z", []string{lamp, stall}, "end only: the 90 days before it"},
		{"?service_request_id=" + old + "," + police + ",nope", []string{old, police}, "IDs override the other filters; unknown IDs are skipped"},
		{"?jurisdiction_id=320104&status=closed", []string{police}, "the right jurisdiction"},
	} {
		code, body := f.get("/requests.json" + tc.query)
		if code != http.StatusOK {
			t.Errorf("GET /requests.json%s = %d %s: %s", tc.query, code, body, tc.reason)
			continue
		}
		var got []string
		for _, r := range checkArray(t, body, requestShape) {
			id := r["service_request_id"].(string)
			got = append(got, id)
			if want := map[bool]string{true: "closed", false: "open"}[id == police]; r["status"] != want {
				t.Errorf("GET /requests.json%s: %s has status %v, want %s (a voided case is closed)", tc.query, id, r["status"], want)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("GET /requests.json%s mismatch (-want +got): %s\n%s", tc.query, tc.reason, diff)
		}
	}

	for _, tc := range []struct {
		query  string
		status int
		reason string
	}{
		{"?start_date=2025-06-01T00:00:00Z&end_date=2025-09-01T00:00:01Z", 400, "a day over the 90-day cap"},
		{"?start_date=2025-09-01T00:00:00Z&end_date=2025-08-01T00:00:00Z", 400, "end before start"},
		{"?start_date=2025-09-01", 400, "a date without a time and zone"},
		{"?end_date=yesterday", 400, "not a date"},
		{"?status=pending", 400, "open or closed only"},
		{"?service_code=X01", 400, "not a service"},
		{"?jurisdiction_id=320105", 404, "another jurisdiction"},
	} {
		before := f.stored()
		code, body := f.get("/requests.json" + tc.query)
		if code != tc.status {
			t.Errorf("GET /requests.json%s = %d %s, want %d: %s", tc.query, code, body, tc.status, tc.reason)
			continue
		}
		checkError(t, code, body)
		if diff := cmp.Diff(before, f.stored()); diff != "" {
			t.Errorf("store changed by a GET (-before +after):\n%s", diff)
		}
	}
	if c, err := f.d.Cases.Get(ctx, escalation.CaseID(police)); err != nil || c.State != escalation.Voided {
		t.Fatalf("police case = %v %v, want voided", c.State, err)
	}
}

func TestRoutes_AnswerInTheErrorShape(t *testing.T) {
	f := newFixture(t, Options{}, time.Time{})
	for _, tc := range []struct {
		method, target string
		status         int
		reason         string
	}{
		{http.MethodGet, "/requests/01ZZZZZZZZZZZZZZZZZZZZZZZZ.json", 404, "an unknown request"},
		{http.MethodGet, "/requests/x.xml", 400, "XML is not served"},
		{http.MethodGet, "/services.xml", 400, "XML is not served, whichever resource"},
		{http.MethodPost, "/requests.xml", 400, "XML is not served, whichever method"},
		{http.MethodGet, "/discovery.json", 404, "no such resource"},
		{http.MethodDelete, "/requests.json", 400, "requests are not deleted (the spec: 400 for any other error)"},
		{http.MethodPut, "/services.json", 400, "services are read-only"},
		{http.MethodGet, "/requests/" + "x.json?jurisdiction_id=1", 404, "another jurisdiction"},
	} {
		code, body := f.do(tc.method, tc.target, "", nil)
		if code != tc.status {
			t.Errorf("%s %s = %d %s, want %d: %s", tc.method, tc.target, code, body, tc.status, tc.reason)
			continue
		}
		checkError(t, code, body)
	}
}

// TestRun_Loopback runs the command itself on a loopback port and talks to it with a
// real HTTP client.
func TestRun_Loopback(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "k"}, io.Discard, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run ended before listening: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("listening on %s, want loopback", addr)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	base := "http://" + addr
	read := func(resp *http.Response, err error) (int, []byte) {
		t.Helper()
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
		require.NoError(t, err)
		return resp.StatusCode, body
	}

	code, body := read(client.Get(base + "/services.json"))
	if code != http.StatusOK || len(checkArray(t, body, serviceShape)) != len(escalation.MajorClasses()) {
		t.Fatalf("GET /services.json = %d %s", code, body)
	}
	code, body = read(client.PostForm(base+"/requests.json", report("E05", inGrid1, "api_key", "k", "description", "占道经营")))
	if code != http.StatusOK {
		t.Fatalf("POST = %d %s", code, body)
	}
	id := checkArray(t, body, postedShape)[0]["service_request_id"].(string)
	code, body = read(client.Get(base + "/requests/" + id + ".json"))
	if code != http.StatusOK || checkArray(t, body, requestShape)[0]["status"] != "open" {
		t.Fatalf("GET request = %d %s", code, body)
	}
	for _, v := range []url.Values{
		report("E05", outOfQinhua, "api_key", "k"),
		report("E05", inQinhuai, "api_key", "k"),
		report("E05", inGrid1),
	} {
		code, body = read(client.PostForm(base+"/requests.json", v))
		if code != http.StatusBadRequest && code != http.StatusForbidden {
			t.Errorf("POST %v = %d %s, want a refusal", v, code, body)
		}
		checkError(t, code, body)
	}
	big := strings.NewReader(`{"service_code":"E05","description":"` + strings.Repeat("x", 2*MaxBody) + `"}`)
	code, body = read(client.Post(base+"/requests.json", "application/json", big))
	if code != http.StatusBadRequest {
		t.Errorf("POST of 2 MiB = %d, want 400", code)
	}
	checkError(t, code, body)
	code, body = read(client.Get(base + "/requests.json"))
	if rs := checkArray(t, body, requestShape); code != http.StatusOK || len(rs) != 1 {
		t.Errorf("GET /requests.json = %d, %d requests, want the one filed", code, len(rs))
	}
}

// TestPost_Concurrent files requests from many clients at once over loopback: every
// one is stored once, under its own ID.
func TestPost_Concurrent(t *testing.T) {
	f := newFixture(t, Options{}, time.Time{})
	ts := httptest.NewServer(f.srv) // listens on 127.0.0.1
	t.Cleanup(ts.Close)
	client := ts.Client()
	client.Timeout = 10 * time.Second
	const n = 24
	ids := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			resp, err := client.PostForm(ts.URL+"/requests.json", report("E05", inGrid1, "description", fmt.Sprint("stall ", i)))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			var out []posted
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || len(out) != 1 {
				errs <- fmt.Errorf("POST %d: status %d, %v", i, resp.StatusCode, err)
				return
			}
			ids <- out[0].ServiceRequestID
		}()
	}
	seen := map[string]bool{}
	for range n {
		select {
		case id := <-ids:
			if seen[id] {
				t.Errorf("ID %s issued twice", id)
			}
			seen[id] = true
		case err := <-errs:
			t.Error(err)
		}
	}
	if got := len(f.stored()); got != len(seen) || got != n {
		t.Errorf("stored %d cases, %d distinct IDs answered, want %d", got, len(seen), n)
	}
}
