package quota_test

import (
	"os"
	"os/exec"
	"testing"
)

// TestBuildsFor32BitInt checks that the package and its tests build where
// int has 32 bits: a constant beyond 2³¹ used as an int compiles on amd64
// and nowhere else.
func TestBuildsFor32BitInt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package for another architecture")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	cmd := exec.Command(goTool, "vet", ".")
	cmd.Env = append(os.Environ(), "GOARCH=386", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet for GOARCH=386: %v\n%s", err, out)
	}
}
