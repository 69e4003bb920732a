package profile_test

import (
	"os"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gridgov/gridgov/profile"
)

// BenchmarkLoad measures loading Qinhuai's profile: parsing, decoding, validating every
// section. The peer is a plain yaml.Unmarshal of the same file into a map, which checks
// nothing.
func BenchmarkLoad(b *testing.B) {
	b.Run("Default", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := profile.Default(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Extending", func(b *testing.B) {
		src, err := os.ReadFile("profiles/rural-county.yaml")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := profile.Parse("rural.yaml", src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("PeerYAMLUnmarshal", func(b *testing.B) {
		src, err := os.ReadFile("profiles/qinhuai.yaml")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if err := yaml.Unmarshal(src, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
