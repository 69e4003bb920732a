package profile

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/evaluation"
	"github.com/gridgov/gridgov/grid"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/mediation"
	"github.com/gridgov/gridgov/rewards"
)

// Profile is a district's whole rule set, loaded from one file and the files it
// extends, each policy checked by its own package's Validate. A Profile is a plain
// value: safe for concurrent use as long as nobody modifies it (or the policies it
// holds) after Load returns it.
type Profile struct {
	// Name names the profile ("qinhuai"). Required.
	Name string
	// Description says what the profile is for; optional.
	Description string
	// Files are the files the profile was merged from, the base first and the loaded
	// file last.
	Files []string

	Hierarchy  hierarchy.Schema  // section "hierarchy": the level schema
	Grants     []hierarchy.Grant // section "grants": rights sent down, added by BuildTree
	Escalation escalation.Policy // section "escalation": taxonomy, routing, deadlines, ladder, roles, whistle
	Grid       grid.Policy       // section "grid"
	Calendar   calendar.Options  // section "calendar": zone, office hours, extra years and overrides
	Mediation  mediation.Policy  // section "mediation"
	Rewards    rewards.Policy    // section "rewards": pay scale, reward schedule, funds
	Evaluation evaluation.Policy // section "evaluation": ratings, scorecards, grade bands

	leaves []leaf
	index  map[string]*value
	labels map[string]string
	srcs   map[string][]byte
}

// Origin returns the file and position that set the value at path ("rewards.funds.floor"),
// after every extends was merged; ok is false when the profile has no such value.
func (p *Profile) Origin(path string) (file string, line, col int, ok bool) {
	v, found := p.index[path]
	if !found {
		return "", 0, 0, false
	}
	return v.file, v.line, v.col, true
}

// section maps one top-level key of the file to one package's policy. Each lives in
// the file named after its package (escalation.go …), so that a change of a package's
// policy type touches one small file here.
type section struct {
	key      string
	target   func(p *Profile) any // a pointer to the policy to decode into
	validate func(p *Profile) error
	hooks    map[reflect.Type]hook
	paths    []pathHook
	// after checks, once every section decoded, what needs more than one value (a
	// normaliser's notation against its indicator's source).
	after func(d *decoder)
}

func sections() []section {
	return []section{hierarchySection(), grantsSection(), escalationSection(), gridSection(), calendarSection(),
		mediationSection(), rewardsSection(), evaluationSection()}
}

//go:embed profiles/*.yaml
var embedded embed.FS

// Embedded returns the names of the shipped profiles, usable as "extends: NAME" and with
// [LoadEmbedded]: "qinhuai" (the default), "rural-county" and "national".
func Embedded() []string { return []string{"qinhuai", "rural-county", "national"} }

// Default returns Qinhuai's profile, the default. It equals the packages' own Qinhuai
// constructors (escalation.QinhuaiPolicy, rewards.QinhuaiPolicy …).
func Default() (*Profile, error) { return LoadEmbedded("qinhuai") }

// LoadEmbedded loads a shipped profile by name (see [Embedded]).
func LoadEmbedded(name string) (*Profile, error) {
	return load(nil, embeddedName(name), nil)
}

// Load reads the profile name from fsys, with every file it extends, and checks it.
// "extends: NAME" names a shipped profile ([Embedded]); "extends: base.yaml" (any value
// with a slash or a .yaml, .yml or .json suffix) names a file of fsys relative to the
// extending file. The error, when not nil, is an [ErrorList] holding every problem
// at once, a file that cannot be read included; each wraps [gridgov.ErrInvalid].
func Load(fsys fs.FS, name string) (*Profile, error) { return load(fsys, name, nil) }

// LoadFile loads the profile at the path of the operating system; the files it extends
// are looked up in the same directory tree.
func LoadFile(file string) (*Profile, error) {
	dir, base := filepath.Split(file)
	if dir == "" {
		dir = "."
	}
	return load(os.DirFS(dir), base, func(name string) string {
		if dir == "." {
			return name
		}
		return filepath.Join(dir, filepath.FromSlash(name))
	})
}

// Parse checks a profile given as bytes; name is used in positions. It may extend only
// shipped profiles.
func Parse(name string, src []byte) (*Profile, error) {
	return load(singleFile{name, src}, name, nil)
}

type singleFile struct {
	name string
	src  []byte
}

func (s singleFile) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

const embeddedPrefix = "embedded/"

func embeddedName(name string) string { return embeddedPrefix + name + ".yaml" }

// maxExtends bounds a chain of extends, so that a loop of files fails with a position.
const maxExtends = 8

// load reads name from fsys; label, when not nil, turns a name of fsys into the name
// positions carry (the operating system's path of the file).
func load(fsys fs.FS, name string, label func(string) string) (*Profile, error) {
	srcs := map[string][]byte{}
	var early ErrorList // problems of the files that do not stop decoding (duplicate keys)
	merged, files, errs := readChain(fsys, name, label, srcs, nil, &early)
	if errs != nil {
		errs = append(errs, early...)
		errs.sort()
		return nil, errs
	}
	return decodeProfile(merged, files, srcs, early)
}

// readChain reads name and, first, the profiles it extends, and returns their merge.
func readChain(fsys fs.FS, name string, label func(string) string, srcs map[string][]byte, chain []string, early *ErrorList) (*value, []string, ErrorList) {
	file := name
	if label != nil && !strings.HasPrefix(name, embeddedPrefix) {
		file = label(name)
	}
	src, err := readSource(fsys, name)
	if err != nil {
		return nil, nil, ErrorList{{File: file, Line: 1, Col: 1, Msg: err.Error()}}
	}
	srcs[file] = src
	root, errs := parse(file, src)
	if root == nil {
		return nil, nil, errs
	}
	*early = append(*early, errs...)
	if root.kind != mapKind {
		return nil, nil, ErrorList{{File: file, Line: root.line, Col: root.col, Msg: "a profile must be a mapping of sections",
			Excerpt: excerpt(src, root.line, root.col)}}
	}
	ext := root.get("extends")
	if ext == nil {
		return root, []string{file}, nil
	}
	root.keys = slicesDeleteKey(root.keys, "extends")
	fail := func(format string, args ...any) (*value, []string, ErrorList) {
		return nil, nil, ErrorList{{File: file, Line: ext.line, Col: ext.col, Path: "extends", Msg: fmt.Sprintf(format, args...),
			Excerpt: excerpt(src, ext.line, ext.col)}}
	}
	if ext.kind != scalarKind || ext.str == "" {
		return fail("want the name of a shipped profile or a file")
	}
	base := ext.str
	if isFileRef(base) {
		if fsys == nil || strings.HasPrefix(name, embeddedPrefix) {
			return fail("a shipped profile may extend only shipped profiles")
		}
		base = path.Join(path.Dir(name), base)
		if !fs.ValidPath(base) {
			return fail("%q leaves the profile's directory", ext.str)
		}
	} else {
		found := false
		for _, n := range Embedded() {
			found = found || n == base
		}
		if !found {
			return fail("unknown shipped profile %q (shipped: %s)", base, strings.Join(Embedded(), ", "))
		}
		base = embeddedName(base)
	}
	chain = append(chain, name)
	for _, c := range chain {
		if c == base {
			return fail("extends %s, which extends this file again", base)
		}
	}
	if len(chain) >= maxExtends {
		return fail("more than %d profiles extend each other", maxExtends)
	}
	b, files, errs := readChain(fsys, base, label, srcs, chain, early)
	if errs != nil {
		return nil, nil, errs
	}
	return merge(b, root), append(files, file), nil
}

func isFileRef(s string) bool {
	return strings.Contains(s, "/") || strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml") ||
		strings.HasSuffix(s, ".json")
}

func readSource(fsys fs.FS, name string) ([]byte, error) {
	if n, ok := strings.CutPrefix(name, embeddedPrefix); ok {
		src, err := embedded.ReadFile("profiles/" + n)
		if err != nil {
			return nil, fmt.Errorf("no shipped profile %q", strings.TrimSuffix(n, ".yaml"))
		}
		return src, nil
	}
	if s, ok := fsys.(singleFile); ok && name == s.name {
		return s.src, nil
	}
	if fsys == nil {
		return nil, fmt.Errorf("cannot read %s", name)
	}
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("cannot read the profile: %v", errors.Unwrap(err))
	}
	return src, nil
}

func slicesDeleteKey(keys []*entry, key string) []*entry {
	out := keys[:0:0]
	for _, e := range keys {
		if e.key != key {
			out = append(out, e)
		}
	}
	return out
}

// merge lays over on base: mappings merge key by key (a null value removes the base's
// key), lists replace the base's list, a mapping tagged !replace replaces the base's
// mapping, a list tagged !append adds to the base's list. Every value keeps the file
// that set it.
func merge(base, over *value) *value {
	switch {
	case base == nil:
		return over
	case over.kind == mapKind && base.kind == mapKind && over.tag != tagReplace:
		out := *over
		out.keys = nil
		for _, e := range base.keys {
			if o := over.get(e.key); o != nil {
				if o.kind == nullKind {
					continue
				}
				out.keys = append(out.keys, &entry{key: e.key, pos: keyPos(over, e.key), val: merge(e.val, o)})
			} else {
				out.keys = append(out.keys, e)
			}
		}
		for _, e := range over.keys {
			if base.get(e.key) == nil {
				out.keys = append(out.keys, e)
			}
		}
		return &out
	case over.kind == listKind && base.kind == listKind && over.tag == tagAppend:
		out := *over
		out.items = append(append([]*value(nil), base.items...), over.items...)
		return &out
	}
	return over
}

func keyPos(v *value, key string) *value {
	for _, e := range v.keys {
		if e.key == key {
			return e.pos
		}
	}
	return nil
}

func decodeProfile(root *value, files []string, srcs map[string][]byte, early ErrorList) (*Profile, error) {
	p := &Profile{Files: files}
	d := newDecoder(srcs)
	d.errs = early
	secs := sections()
	for _, s := range secs {
		for t, h := range s.hooks {
			d.hooks[t] = h
		}
		d.paths = append(d.paths, s.paths...)
	}
	known := map[string]bool{"name": true, "description": true}
	for _, s := range secs {
		known[s.key] = true
	}
	d.index[""] = root
	for _, e := range root.keys {
		if !known[e.key] {
			fields := map[string]field{}
			for k := range known {
				fields[k] = field{}
			}
			fields["extends"] = field{}
			d.fail(e.pos, e.key, "unknown section %q%s", e.key, suggest(e.key, fields))
		}
	}
	if v := root.get("name"); v == nil {
		d.fail(root, "name", "required: the profile's name")
	} else {
		d.decode(v, reflect.ValueOf(&p.Name).Elem(), "name")
	}
	if v := root.get("description"); v != nil {
		d.decode(v, reflect.ValueOf(&p.Description).Elem(), "description")
	}
	for _, s := range secs {
		v := root.get(s.key)
		if v == nil {
			d.fail(root, s.key, "required section %q is missing (write it out, or extend a profile that has it)", s.key)
			continue
		}
		d.decode(v, reflect.ValueOf(s.target(p)).Elem(), s.key)
	}
	for _, s := range secs {
		if s.after != nil && root.get(s.key) != nil {
			s.after(d)
		}
	}
	decodeFailed := append(ErrorList(nil), d.errs...)
	for _, s := range secs {
		if root.get(s.key) == nil {
			continue
		}
		for _, pr := range problems(s.validate(p)) {
			full := s.key
			if pr.path != "" {
				full = s.key + "." + pr.path
			}
			if covered(decodeFailed, full) {
				continue // the value was refused while decoding; its zero value proves nothing
			}
			v, _ := d.locate(full)
			if v == nil {
				v = root.get(s.key)
			}
			d.errs = append(d.errs, &Error{File: v.file, Line: v.line, Col: v.col, Path: full, Msg: pr.msg, Rule: pr.rule,
				Excerpt: excerpt(srcs[v.file], v.line, v.col)})
		}
	}
	if len(d.errs) > 0 {
		d.errs.sort()
		return nil, d.errs
	}
	p.leaves, p.index, p.labels, p.srcs = d.leaves, d.index, d.labels, srcs
	return p, nil
}

// covered reports whether a decoding error was already reported at path or above it.
func covered(errs ErrorList, path string) bool {
	for _, e := range errs {
		if e.Path == "" {
			continue
		}
		if e.Path == path || strings.HasPrefix(path, e.Path+".") || strings.HasPrefix(path, e.Path+"[") {
			return true
		}
	}
	return false
}

// problem is one finding of a package's Validate, split into the path it names and
// the message.
type problem struct {
	path, msg, rule string
}

// problems flattens a package's joined Validate error and splits each message into its
// path and text. Packages write "path: message", after a prefix of their own
// ("mediation: ", "grid: policy: ") and sometimes before ": gridgov: invalid".
func problems(err error) []problem {
	var out []problem
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		_, leaf := err.(*gridgov.Error) // its Unwrap yields its kind, not more findings
		if j, ok := err.(interface{ Unwrap() []error }); ok && !leaf {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		msg, rule := err.Error(), ""
		if g, ok := err.(*gridgov.Error); ok {
			msg, rule = g.Msg, g.Rule
			if g.Err != nil {
				msg += ": " + g.Err.Error()
			}
		}
		msg = strings.TrimSuffix(msg, ": "+gridgov.ErrInvalid.Error())
		for _, prefix := range []string{"mediation: ", "grid: policy: ", "grid: ", "calendar: ", "hierarchy: ",
			"escalation: ", "rewards: "} {
			msg = strings.TrimPrefix(msg, prefix)
		}
		pr := problem{msg: msg, rule: rule}
		if p, rest, ok := strings.Cut(msg, ": "); ok && pathRE.MatchString(p) {
			pr.path, pr.msg = p, rest
		}
		out = append(out, pr)
	}
	walk(err)
	return out
}
