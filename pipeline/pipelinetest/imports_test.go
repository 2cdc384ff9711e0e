package pipelinetest_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The package doc says pipelinetest imports the standard library, the
// module and shopspring/decimal only: no test framework.
func TestImportsNoTestFramework(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			std := !strings.Contains(strings.Split(path, "/")[0], ".")
			if !std && path != "github.com/shopspring/decimal" &&
				path != "github.com/salesprocess/salesprocess" && !strings.HasPrefix(path, "github.com/salesprocess/salesprocess/") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
