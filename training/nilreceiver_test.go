package training_test

import (
	"encoding"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// nilCase calls one decoding method of the package on a nil receiver.
type nilCase struct {
	name   string // "Type.Method"
	want   string // the type as the error must name it: "*training.Type"
	call   func(doc []byte) error
	decode func(doc []byte) error // the same method on a fresh value
	valid  []byte                 // a document that decode takes
}

// nilJSON is the case of T's UnmarshalJSON: valid is a document a fresh
// T takes, or T's zero value encoded when none is given.
func nilJSON[T any, P interface {
	*T
	json.Unmarshaler
}](tb testing.TB, valid ...string) nilCase {
	tb.Helper()
	doc := []byte(strings.Join(valid, ""))
	if len(valid) == 0 {
		var zero T
		b, err := json.Marshal(zero)
		require.NoError(tb, err, "encode a zero %T", zero)
		doc = b
	}
	t := reflect.TypeFor[T]()
	return nilCase{
		name:   t.Name() + ".UnmarshalJSON",
		want:   "*training." + t.Name(),
		call:   func(d []byte) error { return P(nil).UnmarshalJSON(d) },
		decode: func(d []byte) error { return P(new(T)).UnmarshalJSON(d) },
		valid:  doc,
	}
}

// nilText is the case of T's UnmarshalText, as nilJSON is of
// UnmarshalJSON, the valid text defaulting to T's zero value's.
func nilText[T any, P interface {
	*T
	encoding.TextUnmarshaler
}](tb testing.TB, valid ...string) nilCase {
	tb.Helper()
	doc := []byte(strings.Join(valid, ""))
	if len(valid) == 0 {
		var zero T
		m, ok := any(zero).(encoding.TextMarshaler)
		require.True(tb, ok, "%T has no MarshalText; give a valid text", zero)
		b, err := m.MarshalText()
		require.NoError(tb, err, "encode a zero %T", zero)
		doc = b
	}
	t := reflect.TypeFor[T]()
	return nilCase{
		name:   t.Name() + ".UnmarshalText",
		want:   "*training." + t.Name(),
		call:   func(d []byte) error { return P(nil).UnmarshalText(d) },
		decode: func(d []byte) error { return P(new(T)).UnmarshalText(d) },
		valid:  doc,
	}
}

// decodingMethods lists the "Type.Method" of every UnmarshalJSON and
// UnmarshalText method with a pointer receiver of an exported type that
// the package's own source (its non-test files in dir) declares.
func decodingMethods(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(tb, err)
	var names []string
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, dir+"/"+n, nil, parser.SkipObjectResolution)
		require.NoError(tb, err)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			if m := fd.Name.Name; m != "UnmarshalJSON" && m != "UnmarshalText" {
				continue
			}
			star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			id, ok := star.X.(*ast.Ident)
			require.True(tb, ok, "%s: the receiver of %s is not a plain type name", n, fd.Name.Name)
			if !id.IsExported() {
				continue // a host cannot call it
			}
			names = append(names, id.Name+"."+fd.Name.Name)
		}
	}
	slices.Sort(names)
	return names
}

// checkNilReceivers checks that cases covers every decoding method the
// package declares, and that each, called on a nil receiver, refuses
// every document with an error wrapping ErrInvalid that names the type,
// panicking on none, while a fresh value takes the valid document.
func checkNilReceivers(t *testing.T, dir string, cases []nilCase) {
	t.Helper()
	var covered []string
	for _, c := range cases {
		covered = append(covered, c.name)
	}
	slices.Sort(covered)
	require.Equal(t, decodingMethods(t, dir), covered,
		"every pointer-receiver UnmarshalJSON and UnmarshalText of the package has one case, and only those")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, c.decode(c.valid), "a fresh value takes %s", c.valid)
			docs := []string{"null", " null ", "{}", `""`, "", "[]", "0", string(c.valid)}
			for _, doc := range docs {
				var err error
				require.NotPanics(t, func() { err = c.call([]byte(doc)) }, "document %q", doc)
				require.Error(t, err, "document %q", doc)
				assert.ErrorIs(t, err, salesprocess.ErrInvalid, "document %q", doc)
				assert.Contains(t, err.Error(), fmt.Sprintf("cannot decode into a nil %s", c.want), "document %q", doc)
			}
		})
	}
}

func TestDecodingMethodsRefuseNilReceivers(t *testing.T) {
	checkNilReceivers(t, ".", []nilCase{
		nilJSON[training.Assessment](t),
		nilJSON[training.Assignment](t),
		nilJSON[training.AssignmentProgress](t),
		nilJSON[training.Attempt](t),
		nilJSON[training.Brief](t),
		nilText[training.CertStatus](t),
		nilJSON[training.Certificate](t),
		nilJSON[training.CertificateFilter](t),
		nilJSON[training.ChannelOverride](t),
		nilJSON[training.Claim](t),
		nilJSON[training.Criteria](t),
		nilText[training.Criterion](t),
		nilJSON[training.Curriculum](t),
		nilJSON[training.Decision](t),
		nilJSON[training.DecisionReason](t),
		nilJSON[training.Disclosure](t),
		nilJSON[training.Figures](t),
		nilJSON[training.Improvement](t),
		nilJSON[training.Issue](t),
		nilJSON[training.LocalityFigures](t),
		nilJSON[training.Module](t),
		nilText[training.ModuleKind](t),
		nilJSON[training.ModuleProgress](t),
		nilJSON[training.Objection](t),
		nilJSON[training.Onboarding](t),
		nilJSON[training.Pilot](t),
		nilJSON[training.Progress](t),
		nilJSON[training.Reason](t),
		nilText[training.ReasonCode](t),
		nilJSON[training.Report](t),
		nilJSON[training.Sale](t),
		nilText[training.Severity](t),
		nilJSON[training.Verdict](t),
		nilText[training.Version](t),
		nilJSON[training.Violation](t),
	})
}
