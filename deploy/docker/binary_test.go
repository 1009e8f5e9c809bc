// Package docker checks the binary the Dockerfile builds.
package docker

import (
	"debug/elf"
	"os/exec"
	"testing"

	"github.com/cambista/cambista/deploy/cambistatest"
)

// TestStaticBinary: the Dockerfile's build makes a static executable (no
// ELF interpreter, no shared library), which a distroless static image
// can run, and it runs.
func TestStaticBinary(t *testing.T) {
	bin := cambistatest.Build(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: it is not static", p.Type)
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v (%v)", libs, err)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || string(out) != "cambista test\n" {
		t.Fatalf("cambista version: %q, %v", out, err)
	}
}
