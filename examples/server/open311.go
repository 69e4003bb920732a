package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/store"
)

// Limits of the intake.
const (
	// MaxBody bounds a request body; a larger one is refused (400, the spec's status for
	// every error that is neither a missing resource nor the api_key).
	MaxBody = 1 << 20
	// MaxSpan is the longest start_date–end_date range GET /requests.json answers, as
	// GeoReport v2 caps it; it is also the default window.
	MaxSpan = 90 * 24 * time.Hour
	// MaxResults bounds one listing, as GeoReport v2 suggests (1,000).
	MaxResults = 1000
	// MaxDescription is the spec's limit on a request's description, in characters.
	MaxDescription = 4000
)

// Options configure a [Server].
type Options struct {
	// Jurisdiction is the jurisdiction_id the server answers for. A request naming
	// another is refused; one naming none is taken as this one, since the endpoint
	// serves a single jurisdiction (the spec requires the parameter only of endpoints
	// serving several).
	Jurisdiction string
	// APIKey, when set, must be sent as api_key with every POST (403 otherwise).
	APIKey string
	// Intake is the actor every report is filed by: a post of the tree, in force at
	// the report's time, whose territory holds the location. A missing or ended post
	// refuses every report (400, naming the rule): the intake fails closed.
	Intake hierarchy.Actor
	// Clock gives "now" for the default listing window. Required.
	Clock gridgov.Clock
}

// Server is an Open311 GeoReport v2 endpoint over a [District]. It is safe for
// concurrent use: its state lives in the district's store.
type Server struct {
	d     *District
	o     Options
	meta  *store.Collection[requestMeta]
	mux   *http.ServeMux
	loc   *time.Location
	codes []escalation.Category // the services offered, by code
}

// requestMeta keeps what GeoReport v2 returns and a case does not hold.
type requestMeta struct {
	MediaURL string `json:"media_url,omitempty"`
}

// NewServer returns the endpoint, storing its request metadata in b beside the cases.
func NewServer(d *District, b store.Backend, o Options) (*Server, error) {
	if d == nil || b == nil || o.Clock == nil || o.Jurisdiction == "" {
		return nil, fmt.Errorf("open311: district, backend, clock and jurisdiction are required: %w", gridgov.ErrInvalid)
	}
	s := &Server{d: d, o: o, meta: store.NewCollection[requestMeta](b, "open311.requests", nil), loc: d.Cal.Location()}
	p := d.Cases.Policies().Current()
	s.codes = escalation.MajorClasses()
	for _, c := range p.Categories {
		if len(c.Code) == 3 { // an extension class is a service too; minor classes are attributes
			s.codes = append(s.codes, c)
		}
	}
	slices.SortFunc(s.codes, func(a, b escalation.Category) int { return cmp.Compare(a.Code, b.Code) })

	m := http.NewServeMux()
	m.HandleFunc("GET /services.json", s.services)
	m.HandleFunc("GET /services/{file}", s.definition)
	m.HandleFunc("POST /requests.json", s.post)
	m.HandleFunc("GET /requests.json", s.list)
	m.HandleFunc("GET /requests/{file}", s.get)
	// Everything else answers in the spec's error shape too, never in plain text, and
	// with the spec's statuses: 404 for what does not exist, 403 for the api_key, 400
	// for anything else, a method the resource does not take included.
	for path, allow := range map[string]string{"/services.json": "GET", "/requests.json": "GET, POST"} {
		m.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusBadRequest, fmt.Sprintf("method %s not allowed on %s (%s only)", r.Method, r.URL.Path, allow))
		})
	}
	// XML is the spec's other format: not served, said as for /services/E05.xml.
	for _, path := range []string{"/services.xml", "/requests.xml"} {
		m.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusBadRequest, "format xml is not supported: use .json")
		})
	}
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such resource: "+r.URL.Path)
	})
	s.mux = m
	return s, nil
}

// ServeHTTP implements [http.Handler].
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// apiError is one element of the spec's error response: an array of these.
type apiError struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

func writeError(w http.ResponseWriter, status int, desc string) {
	writeJSON(w, status, []apiError{{Code: status, Description: desc}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client has gone: nothing left to tell it
}

// httpError is a refusal with its HTTP status.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func fail(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

// respond writes err in the spec's shape: a refusal with its status, a library error
// by its kind, anything else as the spec's general service error without detail.
//
// GeoReport v2 fixes three statuses: 404 for a resource that does not exist (an
// unknown service_code, service_request_id or jurisdiction_id), 403 for a missing or
// wrong api_key, and 400 for every other request that cannot be fulfilled — the
// "general service error" that a failure of the server's own processing is too. So a
// refusal by the library (the intake post not in force: gridgov.ErrForbidden) is a
// 400 naming its rule, not a 403, which a client would read as its api_key.
func respond(w http.ResponseWriter, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		writeError(w, he.status, he.msg)
	case errors.Is(err, gridgov.ErrForbidden), errors.Is(err, gridgov.ErrInvalid):
		writeError(w, http.StatusBadRequest, "the intake refused the request: "+err.Error())
	case errors.Is(err, gridgov.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	default:
		writeError(w, http.StatusBadRequest, "general service error: the request was not filed; tell the district")
	}
}

// jsonFile strips the format from a path segment ("E05.json" → "E05"); only JSON is
// served.
func jsonFile(seg string) (string, error) {
	name, ok := strings.CutSuffix(seg, ".json")
	switch {
	case !ok && strings.HasSuffix(seg, ".xml"):
		return "", fail(http.StatusBadRequest, "format xml is not supported: use .json")
	case !ok || name == "":
		return "", fail(http.StatusNotFound, "no such resource: %s (use <id>.json)", seg)
	}
	return name, nil
}

// jurisdiction checks a jurisdiction_id: absent (or empty, which the spec treats as
// absent) means this endpoint's; another is "not found", 404 on every method as the
// spec lists it; two are ambiguous, 400.
func (s *Server) jurisdiction(v url.Values) error {
	j, ok := v["jurisdiction_id"]
	switch {
	case !ok || (len(j) == 1 && j[0] == ""):
		return nil
	case len(j) != 1:
		return fail(http.StatusBadRequest, "jurisdiction_id given %d times", len(j))
	case j[0] != s.o.Jurisdiction:
		return fail(http.StatusNotFound, "jurisdiction_id %q not found (this endpoint serves %q)", j[0], s.o.Jurisdiction)
	}
	return nil
}

// service is one element of GET /services.json.
type service struct {
	ServiceCode string `json:"service_code"`
	ServiceName string `json:"service_name"`
	Description string `json:"description"`
	Metadata    bool   `json:"metadata"`
	Type        string `json:"type"`
	Keywords    string `json:"keywords"`
	Group       string `json:"group"`
}

func (s *Server) services(w http.ResponseWriter, r *http.Request) {
	if err := s.jurisdiction(r.URL.Query()); err != nil {
		respond(w, err)
		return
	}
	out := make([]service, 0, len(s.codes))
	for _, c := range s.codes {
		out = append(out, service{
			ServiceCode: c.Code, ServiceName: c.Name,
			Description: fmt.Sprintf("%s (%s): %s", c.Name, c.English, familyName(c.Code)),
			Metadata:    true, // every service has the complexity attribute
			Type:        "realtime",
			Keywords:    strings.Join(strings.Fields(c.English), ","),
			Group:       string(escalation.KindOf(c.Code)),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func familyName(code string) string {
	switch escalation.KindOf(code) {
	case escalation.Component:
		return "a component (部件), routed to its owner"
	case escalation.EventKind:
		return "an event (事件), routed to the territory"
	default:
		return "a governance matter (社会治理事项)"
	}
}

// definition is GET /services/{code}.json.
type definition struct {
	ServiceCode string      `json:"service_code"`
	Attributes  []attribute `json:"attributes"`
}

type attribute struct {
	Variable            bool    `json:"variable"`
	Code                string  `json:"code"`
	Datatype            string  `json:"datatype"`
	Required            bool    `json:"required"`
	DatatypeDescription string  `json:"datatype_description"`
	Order               int     `json:"order"`
	Description         string  `json:"description"`
	Values              []value `json:"values,omitempty"`
}

type value struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Attribute codes of every service definition.
const (
	attrComplexity = "complexity"
	attrMinorClass = "minor_class"
)

// attributes returns the definition of service code: its complexity, and its minor
// classes (细类) when the policy defines any.
func (s *Server) attributes(code string) []attribute {
	as := []attribute{{
		Variable: true, Code: attrComplexity, Datatype: "singlevaluelist", Required: false, Order: 1,
		DatatypeDescription: "one of the keys; default ordinary",
		Description:         "How hard the matter is (复杂程度): it sets the time limits",
		Values: []value{
			{Key: string(escalation.Ordinary), Name: "一般 ordinary"},
			{Key: string(escalation.Complex), Name: "复杂 complex, several departments"},
			{Key: string(escalation.MajorEmergency), Name: "重大突发 major emergency"},
		},
	}}
	var minors []value
	for _, c := range s.d.Cases.Policies().Current().Categories {
		if len(c.Code) > 3 && escalation.Major(c.Code) == code {
			minors = append(minors, value{Key: c.Code, Name: c.Name})
		}
	}
	if len(minors) > 0 {
		as = append(as, attribute{Variable: true, Code: attrMinorClass, Datatype: "singlevaluelist", Order: 2,
			DatatypeDescription: "one of the keys", Description: "The minor class (细类), when known", Values: minors})
	}
	return as
}

func (s *Server) category(code string) (escalation.Category, bool) {
	i, ok := slices.BinarySearchFunc(s.codes, code, func(c escalation.Category, code string) int { return cmp.Compare(c.Code, code) })
	if !ok {
		return escalation.Category{}, false
	}
	return s.codes[i], true
}

func (s *Server) definition(w http.ResponseWriter, r *http.Request) {
	code, err := jsonFile(r.PathValue("file"))
	if err == nil {
		err = s.jurisdiction(r.URL.Query())
	}
	if err == nil {
		if _, ok := s.category(code); !ok {
			err = fail(http.StatusNotFound, "service_code %q not found", code)
		}
	}
	if err != nil {
		respond(w, err)
		return
	}
	writeJSON(w, http.StatusOK, definition{ServiceCode: code, Attributes: s.attributes(code)})
}

// posted is the response element of POST /requests.json.
type posted struct {
	ServiceRequestID string  `json:"service_request_id"`
	ServiceNotice    string  `json:"service_notice"`
	AccountID        *string `json:"account_id"`
}

func (s *Server) post(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	v, err := readBody(r)
	if err != nil {
		respond(w, err)
		return
	}
	rep, meta, ignored, err := s.parse(v)
	if err != nil {
		respond(w, err)
		return
	}
	c, _, err := s.d.Cases.Report(r.Context(), s.o.Intake, rep)
	if err != nil {
		respond(w, err)
		return
	}
	if meta != (requestMeta{}) {
		if _, err := s.meta.Put(r.Context(), string(c.ID), meta, 0); err != nil {
			respond(w, err)
			return
		}
	}
	var account *string
	if a := v.Get("account_id"); a != "" {
		account = &a
	}
	notice := fmt.Sprintf("received by %s for %s", unitName(s.d.Tree, c.Location.Unit), familyName(c.Category))
	if len(ignored) > 0 {
		notice += "; not kept, as service " + v.Get("service_code") + " defines no such attribute: " + ignoredList(ignored)
	}
	writeJSON(w, http.StatusOK, []posted{{ServiceRequestID: string(c.ID), AccountID: account, ServiceNotice: notice}})
}

// ignoredList names the ignored attributes, the first few of them: a client's echo
// must stay short whatever it sent.
func ignoredList(names []string) string {
	const most = 8
	var b strings.Builder
	for i, n := range names[:min(len(names), most)] {
		if i > 0 {
			b.WriteString(", ")
		}
		n = strings.ToValidUTF8(n, "?")
		if r := []rune(n); len(r) > 40 {
			n = string(r[:40]) + "…"
		}
		b.WriteString(n)
	}
	if len(names) > most {
		fmt.Fprintf(&b, " and %d more", len(names)-most)
	}
	return b.String()
}

// readBody reads a POST body as the spec sends it (application/x-www-form-urlencoded)
// or as a JSON object of the same keys (attributes either as "attribute[code]" keys
// or as one "attribute" object). Query parameters count too, as with a form.
func readBody(r *http.Request) (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	tooBig := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fail(http.StatusBadRequest, "request body larger than %d bytes", mbe.Limit)
		}
		return nil
	}
	switch ct {
	case "application/json":
		data, err := io.ReadAll(r.Body)
		if err != nil {
			if e := tooBig(err); e != nil {
				return nil, e
			}
			return nil, fail(http.StatusBadRequest, "reading the body: %v", err)
		}
		raw := map[string]json.RawMessage{}
		dec := json.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&raw); err != nil {
			return nil, fail(http.StatusBadRequest, "malformed JSON body: %v", err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, fail(http.StatusBadRequest, "malformed JSON body: more than one value")
		}
		// A map keeps the last of two equal keys; a form refuses a field sent twice,
		// and so does JSON, rather than file one of two values silently.
		if k, ok := duplicateKey(data); ok {
			return nil, fail(http.StatusBadRequest, "malformed JSON body: key %q given twice", k)
		}
		v := r.URL.Query()
		for k, m := range raw {
			if k == "attribute" {
				attrs := map[string]json.RawMessage{}
				if err := json.Unmarshal(m, &attrs); err != nil {
					return nil, fail(http.StatusBadRequest, "attribute: want an object of strings: %v", err)
				}
				for ak, am := range attrs {
					s, err := scalar(am)
					if err != nil {
						return nil, fail(http.StatusBadRequest, "attribute[%s]: %v", ak, err)
					}
					v.Add("attribute["+ak+"]", s)
				}
				continue
			}
			s, err := scalar(m)
			if err != nil {
				return nil, fail(http.StatusBadRequest, "%s: %v", k, err)
			}
			v.Add(k, s)
		}
		return v, nil
	case "application/x-www-form-urlencoded", "":
		if err := r.ParseForm(); err != nil {
			if e := tooBig(err); e != nil {
				return nil, e
			}
			return nil, fail(http.StatusBadRequest, "malformed form body: %v", err)
		}
		return r.Form, nil
	}
	return nil, fail(http.StatusBadRequest, "content type %q: send application/x-www-form-urlencoded or application/json", ct)
}

// duplicateKey returns the first key that an object of the (well-formed) JSON data
// holds twice, at any depth.
func duplicateKey(data []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys   map[string]bool
		object bool
		key    bool // the next string token of this object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		top := (*frame)(nil)
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		if top != nil && top.object && top.key {
			if d, ok := tok.(json.Delim); !ok || d != '}' {
				k := tok.(string)
				if top.keys[k] {
					return k, true
				}
				top.keys[k] = true
				top.key = false
				continue
			}
			stack = stack[:len(stack)-1] // the object ended: a value of its parent
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, object: true, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the enclosing object expects a key next.
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].key = true
		}
	}
}

// scalar is a JSON string or number as the form would carry it.
func scalar(m json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(m, &s); err == nil {
		return s, nil
	}
	var n json.Number
	d := json.NewDecoder(strings.NewReader(string(m)))
	d.UseNumber()
	if err := d.Decode(&n); err == nil {
		return n.String(), nil
	}
	return "", errors.New("want a string or a number")
}

// parse checks a POST in full, before anything is stored, and returns the report to
// file. Every refusal names the field.
func (s *Server) parse(v url.Values) (rep escalation.Report, meta requestMeta, ignored []string, err error) {
	if err := s.jurisdiction(v); err != nil {
		return rep, meta, nil, err
	}
	if s.o.APIKey != "" && v.Get("api_key") != s.o.APIKey {
		return rep, meta, nil, fail(http.StatusForbidden, "api_key missing or not valid")
	}
	for k, vs := range v {
		if len(vs) > 1 {
			return rep, meta, nil, fail(http.StatusBadRequest, "%s given %d times", k, len(vs))
		}
	}
	code := v.Get("service_code")
	if code == "" {
		return rep, meta, nil, fail(http.StatusBadRequest, "service_code is required")
	}
	if _, ok := s.category(code); !ok {
		return rep, meta, nil, fail(http.StatusNotFound, "service_code %q not found", code)
	}
	rep.Source = escalation.SourceResident
	rep.Category = code

	// Attributes: the definition's are checked, each value one of its keys. One the
	// definition does not have is ignored and not kept: FixMyStreet sends its own
	// (attribute[fixmystreet_id], [easting], [northing], [report_url], [title] …) to
	// every endpoint, and the spec defines attributes only by the service definition,
	// without requiring a refusal. Ignoring one widens nothing — a misspelt
	// complexity leaves the ordinary, shorter limits — and the response names them.
	defs := s.attributes(code)
	for k, vs := range v {
		rest, ok := strings.CutPrefix(k, "attribute[")
		if !ok {
			continue
		}
		name, multi, ok := attributeKey(rest)
		if !ok {
			return rep, meta, nil, fail(http.StatusBadRequest, "%s: want attribute[code] or attribute[code][]", k)
		}
		i := slices.IndexFunc(defs, func(a attribute) bool { return a.Code == name })
		if i < 0 {
			ignored = append(ignored, name)
			continue
		}
		if multi {
			return rep, meta, nil, fail(http.StatusBadRequest, "%s: attribute[%s] is a singlevaluelist and takes one value", k, name)
		}
		if vs[0] == "" && !defs[i].Required {
			continue // clients such as FixMyStreet send every attribute, the unanswered ones empty
		}
		if !slices.ContainsFunc(defs[i].Values, func(x value) bool { return x.Key == vs[0] }) {
			return rep, meta, nil, fail(http.StatusBadRequest, "%s: %q is not one of the attribute's values", k, vs[0])
		}
		switch name {
		case attrComplexity:
			rep.Complexity = escalation.Complexity(vs[0])
		case attrMinorClass:
			rep.Category = vs[0]
		}
	}
	for _, a := range defs {
		if a.Required && v.Get("attribute["+a.Code+"]") == "" {
			return rep, meta, nil, fail(http.StatusBadRequest, "attribute[%s] is required", a.Code)
		}
	}

	desc := strings.TrimSpace(v.Get("description"))
	if !utf8.ValidString(desc) {
		return rep, meta, nil, fail(http.StatusBadRequest, "description is not UTF-8")
	}
	if n := utf8.RuneCountInString(desc); n > MaxDescription {
		return rep, meta, nil, fail(http.StatusBadRequest, "description has %d characters, at most %d", n, MaxDescription)
	}
	rep.Summary = desc
	if e := v.Get("email"); e != "" {
		if _, err := mail.ParseAddress(e); err != nil {
			return rep, meta, nil, fail(http.StatusBadRequest, "email %q: %v", e, err)
		}
	}
	if m := v.Get("media_url"); m != "" {
		u, err := url.Parse(m)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return rep, meta, nil, fail(http.StatusBadRequest, "media_url %q is not an absolute http(s) URL", m)
		}
		meta.MediaURL = m
	}

	loc, err := s.locate(v)
	if err != nil {
		return rep, meta, nil, err
	}
	rep.Location = loc
	slices.Sort(ignored)
	return rep, meta, ignored, nil
}

// attributeKey splits what follows "attribute[" in a key: "code]" is one value,
// "code][]" the spec's form of one of several values of a multivaluelist.
func attributeKey(rest string) (code string, multi bool, ok bool) {
	if c, found := strings.CutSuffix(rest, "][]"); found {
		rest, multi = c+"]", true
	}
	code, found := strings.CutSuffix(rest, "]")
	if !found || code == "" || strings.ContainsAny(code, "[]") {
		return "", false, false
	}
	return code, multi, true
}

// locate maps the request's location onto a grid: lat/long in WGS-84 through the
// district outline and the grid index, else address_string through the grid layer's
// buildings. A point outside Qinhuai, or in it but outside every grid, is refused.
func (s *Server) locate(v url.Values) (escalation.Location, error) {
	lat, long := v.Get("lat"), v.Get("long")
	addr := strings.TrimSpace(v.Get("address_string"))
	switch {
	case lat == "" && long == "" && addr == "":
		if v.Get("address_id") != "" {
			return escalation.Location{}, fail(http.StatusBadRequest, "address_id is not supported here: send lat and long (WGS-84) or address_string")
		}
		return escalation.Location{}, fail(http.StatusBadRequest, "a location is required: lat and long (WGS-84) or address_string")
	case lat == "" && long == "":
		m, err := s.d.Grids.Address(addr)
		if err != nil {
			return escalation.Location{}, fail(http.StatusBadRequest, "address_string %q matches no building of the district's grids: send lat and long", addr)
		}
		return escalation.Location{Unit: hierarchy.UnitID(m.Grid), Address: addr}, nil
	case lat == "" || long == "":
		return escalation.Location{}, fail(http.StatusBadRequest, "lat and long go together: got lat %q, long %q", lat, long)
	}
	y, err1 := strconv.ParseFloat(lat, 64)
	x, err2 := strconv.ParseFloat(long, 64)
	switch {
	case err1 != nil || math.IsNaN(y) || math.IsInf(y, 0) || y < -90 || y > 90:
		return escalation.Location{}, fail(http.StatusBadRequest, "lat %q is not a latitude in degrees", lat)
	case err2 != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < -180 || x > 180:
		return escalation.Location{}, fail(http.StatusBadRequest, "long %q is not a longitude in degrees", long)
	}
	p := orb.Point{x, y}
	if s.d.Outline.Locate(p, grid.WGS84).Status == grid.Unassigned {
		return escalation.Location{}, fail(http.StatusBadRequest, "lat %s, long %s (WGS-84) lies outside %s", lat, long, unitName(s.d.Tree, district))
	}
	a := s.d.Grids.Locate(p, grid.WGS84)
	if a.Status == grid.Unassigned {
		return escalation.Location{}, fail(http.StatusBadRequest, "lat %s, long %s (WGS-84) lies in %s but outside every grid", lat, long, unitName(s.d.Tree, district))
	}
	return escalation.Location{Unit: hierarchy.UnitID(a.Grid), Point: escalation.Point{Lon: x, Lat: y},
		Datum: escalation.DatumWGS84, Address: addr}, nil
}

func unitName(t *hierarchy.Tree, u hierarchy.UnitID) string {
	if unit, ok := t.Unit(u); ok {
		return unit.Name
	}
	return string(u)
}

// request is one element of GET /requests(.json) and GET /requests/{id}.json.
type request struct {
	ServiceRequestID  string   `json:"service_request_id"`
	Status            string   `json:"status"`
	StatusNotes       string   `json:"status_notes"`
	ServiceName       string   `json:"service_name"`
	ServiceCode       string   `json:"service_code"`
	Description       string   `json:"description"`
	AgencyResponsible string   `json:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime"`
	ExpectedDatetime  *string  `json:"expected_datetime"`
	Address           string   `json:"address"`
	AddressID         string   `json:"address_id"`
	Zipcode           string   `json:"zipcode"`
	Lat               *float64 `json:"lat"`
	Long              *float64 `json:"long"`
	MediaURL          string   `json:"media_url"`
}

// stateNotes gives the fine state of a case beside the spec's open/closed.
var stateNotes = map[escalation.State]string{
	escalation.Reported:   "reported 已上报: waiting to be filed",
	escalation.Filed:      "filed 已立案: waiting to be dispatched",
	escalation.Dispatched: "dispatched 已派遣: waiting for the unit to accept",
	escalation.Handling:   "handling 处置中",
	escalation.Handled:    "handled 已反馈: waiting for verification",
	escalation.Verified:   "verified 已核查: waiting to be closed",
	escalation.Closed:     "closed 已结案",
	escalation.Voided:     "voided 已作废: not a valid report",
	escalation.Parked:     "parked 已挂账: cannot move for now; its clock is stopped",
}

func (s *Server) render(ctx context.Context, c escalation.Case) (request, error) {
	out := request{
		ServiceRequestID:  string(c.ID),
		Status:            "open",
		StatusNotes:       cmp.Or(stateNotes[c.State], string(c.State)),
		ServiceCode:       c.Category,
		Description:       c.Summary,
		ServiceNotice:     "grid " + unitName(s.d.Tree, c.Location.Unit),
		RequestedDatetime: c.ReportedAt.In(s.loc).Format(time.RFC3339),
		UpdatedDatetime:   c.ReportedAt.In(s.loc).Format(time.RFC3339),
		Address:           c.Location.Address,
	}
	if c.State.Final() {
		out.Status = "closed"
	}
	if c.Level != "" {
		out.StatusNotes += "; at the " + string(c.Level) + " level" // the level escalation has reached
	}
	if cat, ok := s.d.Cases.Policies().Current().Category(c.Category); ok {
		out.ServiceName = cat.Name
	}
	if c.Owner != "" {
		out.AgencyResponsible = unitName(s.d.Tree, c.Owner)
	}
	if n := len(c.History); n > 0 {
		out.UpdatedDatetime = c.History[n-1].At.In(s.loc).Format(time.RFC3339)
	}
	if c.Location.Point != (escalation.Point{}) {
		lat, long := c.Location.Point.Lat, c.Location.Point.Lon
		out.Lat, out.Long = &lat, &long
	}
	// expected_datetime is the resolution deadline (处置时限) of the case's timeline,
	// recomputed from its history under the policy it was filed under; a case not yet
	// dispatched has none, and a closed one needs none.
	if p, ok := s.d.Cases.Policies().Get(c.PolicyVersion); ok && c.State.Open() {
		tl := p.Timeline(c, escalation.Env{Tree: s.d.Tree, Calendar: s.d.Cal})
		if t, ok := tl.Resolution(); ok && !t.Deadline.IsZero() {
			e := t.Deadline.In(s.loc).Format(time.RFC3339)
			out.ExpectedDatetime = &e
		}
	}
	m, err := s.meta.Get(ctx, string(c.ID))
	switch {
	case err == nil:
		out.MediaURL = m.Value.MediaURL
	case !errors.Is(err, gridgov.ErrNotFound):
		return request{}, err
	}
	return out, nil
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	id, err := jsonFile(r.PathValue("file"))
	if err == nil {
		err = s.jurisdiction(r.URL.Query())
	}
	var c escalation.Case
	if err == nil {
		c, err = s.d.Cases.Get(r.Context(), escalation.CaseID(id))
		if errors.Is(err, gridgov.ErrNotFound) {
			err = fail(http.StatusNotFound, "service_request_id %q not found", id)
		}
	}
	var out request
	if err == nil {
		out, err = s.render(r.Context(), c)
	}
	if err != nil {
		respond(w, err)
		return
	}
	writeJSON(w, http.StatusOK, []request{out})
}

// list is GET /requests.json: by service_request_id (which overrides the other
// filters, as the spec says), else by service_code, status and requested time within
// [start_date, end_date], at most 90 days, by default the last 90.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := s.jurisdiction(q); err != nil {
		respond(w, err)
		return
	}
	f, err := s.filter(q)
	if err != nil {
		respond(w, err)
		return
	}
	var cases []escalation.Case
	if len(f.ids) > 0 {
		for _, id := range f.ids {
			c, err := s.d.Cases.Get(r.Context(), escalation.CaseID(id))
			if errors.Is(err, gridgov.ErrNotFound) {
				continue
			}
			if err != nil {
				respond(w, err)
				return
			}
			cases = append(cases, c)
		}
	} else {
		all, err := s.d.Cases.List(r.Context(), escalation.Query{})
		if err != nil {
			respond(w, err)
			return
		}
		for _, c := range all {
			if f.match(c) {
				cases = append(cases, c)
			}
		}
		// Newest first, as clients show them; IDs break ties so the order is total.
		slices.SortFunc(cases, func(a, b escalation.Case) int {
			return cmp.Or(b.ReportedAt.Compare(a.ReportedAt), cmp.Compare(a.ID, b.ID))
		})
	}
	out := make([]request, 0, min(len(cases), MaxResults))
	for _, c := range cases[:min(len(cases), MaxResults)] {
		rq, err := s.render(r.Context(), c)
		if err != nil {
			respond(w, err)
			return
		}
		out = append(out, rq)
	}
	writeJSON(w, http.StatusOK, out)
}

type filter struct {
	ids        []string
	codes      []string
	open       bool
	closed     bool
	start, end time.Time
}

func (f *filter) match(c escalation.Case) bool {
	if len(f.codes) > 0 && !slices.Contains(f.codes, escalation.Major(c.Category)) && !slices.Contains(f.codes, c.Category) {
		return false
	}
	if final := c.State.Final(); (final && !f.closed) || (!final && !f.open) {
		return false
	}
	return !c.ReportedAt.Before(f.start) && !c.ReportedAt.After(f.end)
}

func (s *Server) filter(q url.Values) (filter, error) {
	f := filter{open: true, closed: true}
	list := func(k string) []string {
		var out []string
		for _, v := range q[k] {
			for x := range strings.SplitSeq(v, ",") {
				if x = strings.TrimSpace(x); x != "" {
					out = append(out, x)
				}
			}
		}
		return out
	}
	f.ids = list("service_request_id")
	if len(f.ids) > MaxResults {
		return f, fail(http.StatusBadRequest, "service_request_id lists %d IDs, at most %d", len(f.ids), MaxResults)
	}
	for _, c := range list("service_code") {
		if _, ok := s.category(escalation.Major(c)); !ok {
			return f, fail(http.StatusBadRequest, "service_code %q not found", c)
		}
		f.codes = append(f.codes, c)
	}
	if st := list("status"); len(st) > 0 {
		f.open, f.closed = false, false
		for _, x := range st {
			switch x {
			case "open":
				f.open = true
			case "closed":
				f.closed = true
			default:
				return f, fail(http.StatusBadRequest, "status %q: want open or closed", x)
			}
		}
	}
	date := func(k string) (time.Time, bool, error) {
		v := q.Get(k)
		if v == "" {
			return time.Time{}, false, nil
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return time.Time{}, false, fail(http.StatusBadRequest, "%s %q is not a W3C date-time with a time zone (2025-10-01T09:00:00+08:00)", k, v)
		}
		return t, true, nil
	}
	start, hasStart, err := date("start_date")
	if err != nil {
		return f, err
	}
	end, hasEnd, err := date("end_date")
	if err != nil {
		return f, err
	}
	switch {
	case hasStart && hasEnd:
	case hasStart:
		end = start.Add(MaxSpan)
	case hasEnd:
		start = end.Add(-MaxSpan)
	default:
		end = s.o.Clock.Now()
		start = end.Add(-MaxSpan)
	}
	switch {
	case end.Before(start):
		return f, fail(http.StatusBadRequest, "end_date %s is before start_date %s", end.Format(time.RFC3339), start.Format(time.RFC3339))
	case end.Sub(start) > MaxSpan:
		return f, fail(http.StatusBadRequest, "start_date to end_date spans %.1f days, more than the 90 allowed", end.Sub(start).Hours()/24)
	}
	f.start, f.end = start, end
	return f, nil
}
