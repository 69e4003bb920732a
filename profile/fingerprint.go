package profile

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// Fingerprint identifies the rules the profile holds: "sha256:" and the hex digest of
// every rule in its canonical notation (as [Diff] compares them), sorted by path. Two
// profiles have the same fingerprint exactly when Diff finds no change between them,
// whatever their files, layout, notation or extends chain; the name and description
// do not count. A history records the fingerprint of the profile that decided it, so
// that a replay knows which rules it compares against. A profile that was not loaded
// by this package (a zero Profile) holds no rules and has the fingerprint of none.
func (p *Profile) Fingerprint() string {
	lines := make([]string, 0, len(p.leaves))
	for _, l := range p.leaves {
		path := p.relabel(l.path)
		if skipDiff(path) {
			continue
		}
		lines = append(lines, path+"\x00"+l.text)
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
