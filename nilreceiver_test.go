package salesprocess_test

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

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
	"github.com/salesprocess/salesprocess/training"
)

// nilCase calls one decoding method of the package on a nil receiver.
type nilCase struct {
	name   string // "Type.Method"
	want   string // the type as the error must name it: "*quota.Goal"
	call   func(doc []byte) error
	decode func(doc []byte) error // the same method on a fresh value
	valid  []byte                 // a document that decode takes
	fresh  func() any             // a pointer to a fresh value, for an UnmarshalJSON case
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
		want:   "*" + t.String(),
		call:   func(d []byte) error { return P(nil).UnmarshalJSON(d) },
		decode: func(d []byte) error { return P(new(T)).UnmarshalJSON(d) },
		valid:  doc,
		fresh:  func() any { return new(T) },
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
		want:   "*" + t.String(),
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
				assert.ErrorIs(t, err, sp.ErrInvalid, "document %q", doc)
				assert.Contains(t, err.Error(), fmt.Sprintf("cannot decode into a nil %s", c.want), "document %q", doc)
			}
		})
	}
}

// TestDecodingMethodsRefuseNilReceivers checks the decoding methods of
// the module's packages, each package's against the list its source gives.
func TestDecodingMethodsRefuseNilReceivers(t *testing.T) {
	for _, pkg := range decodingCases(t) {
		t.Run(pkg.dir, func(t *testing.T) { checkNilReceivers(t, pkg.dir, pkg.cases) })
	}
}

// decodingPackage is a package of the module, by its directory, and a
// case for each decoding method it declares.
type decodingPackage struct {
	dir   string
	cases []nilCase
}

// decodingCases returns the cases of every decoding method of the
// module's packages.
func decodingCases(t testing.TB) []decodingPackage {
	return []decodingPackage{
		{".", []nilCase{
			nilJSON[sp.Actor](t),
			nilJSON[sp.Campaign](t),
			nilJSON[sp.Channel](t),
			nilText[sp.ChannelKind](t),
			nilText[sp.Currency](t),
			nilJSON[sp.Customer](t),
			nilJSON[sp.Duration](t),
			nilText[sp.Duration](t),
			nilJSON[sp.Event](t),
			nilJSON[sp.Feedback](t),
			nilText[sp.FeedbackCategory](t),
			nilText[sp.FeedbackSource](t),
			nilJSON[sp.Fraction](t),
			nilJSON[sp.Money](t),
			nilText[sp.Money](t),
			nilText[sp.Period](t),
			nilText[sp.PeriodKind](t),
			nilJSON[sp.Product](t),
			nilJSON[sp.Region](t),
			nilJSON[sp.Rep](t),
			nilText[sp.Role](t),
			nilText[sp.RoundingMode](t),
		}},
		{"pipeline", []nilCase{
			nilJSON[pipeline.Activity](t),
			nilJSON[pipeline.ActivityCompletion](t),
			nilText[pipeline.ActivityKind](t),
			nilText[pipeline.Command](t),
			nilJSON[pipeline.Conversion](t),
			nilJSON[pipeline.Deal](t),
			nilJSON[pipeline.DealEvent](t),
			nilJSON[pipeline.DealFilter](t),
			nilText[pipeline.DealStage](t),
			nilJSON[pipeline.FollowUpPolicy](t),
			nilJSON[pipeline.Inquiry](t),
			nilJSON[pipeline.InquiryEvent](t),
			nilJSON[pipeline.InquiryFilter](t),
			nilText[pipeline.InquiryStage](t),
			nilJSON[pipeline.Line](t),
			nilText[pipeline.LossCategory](t),
			nilJSON[pipeline.LossReason](t),
			nilJSON[pipeline.Move](t),
			nilJSON[pipeline.Outcome](t),
			nilJSON[pipeline.Overdue](t),
			nilJSON[pipeline.Service](t),
			nilText[pipeline.ServiceStage](t),
			nilJSON[pipeline.Spec](t),
			nilText[pipeline.StageKind](t),
			nilJSON[pipeline.StageSpec](t),
			nilJSON[pipeline.Terms](t),
		}},
		{"quota", []nilCase{
			nilJSON[quota.Amount](t),
			nilJSON[quota.Attainment](t),
			nilText[quota.Basis](t),
			nilJSON[quota.Chance](t),
			nilJSON[quota.Comparison](t),
			nilJSON[quota.ConversionGroup](t),
			nilJSON[quota.ConversionReport](t),
			nilJSON[quota.Credit](t),
			nilJSON[quota.CycleGroup](t),
			nilJSON[quota.CycleReport](t),
			nilJSON[quota.Durations](t),
			nilJSON[quota.FunnelGroup](t),
			nilJSON[quota.FunnelReport](t),
			nilJSON[quota.FunnelStep](t),
			nilJSON[quota.Goal](t),
			nilJSON[quota.GoalKey](t),
			nilJSON[quota.InquiryNeed](t),
			nilJSON[quota.Interval](t),
			nilJSON[quota.Key](t),
			nilText[quota.Level](t),
			nilText[quota.Method](t),
			nilText[quota.Metric](t),
			nilText[quota.Outcome](t),
			nilJSON[quota.Outlook](t),
			nilJSON[quota.PipelineGroup](t),
			nilJSON[quota.PipelineReport](t),
			nilJSON[quota.Prior](t),
			nilJSON[quota.Prospect](t),
			nilJSON[quota.Ramp](t),
			nilJSON[quota.Rate](t),
			nilJSON[quota.RateEstimate](t),
			nilJSON[quota.RollupNode](t),
			nilJSON[quota.Simulation](t),
			nilJSON[quota.Split](t),
			nilText[quota.Status](t),
			nilJSON[quota.Thresholds](t),
			nilJSON[quota.VelocityGroup](t),
			nilJSON[quota.VelocityReport](t),
			nilText[quota.Verdict](t),
			nilJSON[quota.WinRateGroup](t),
			nilJSON[quota.WinRateReport](t),
		}},
		{"review", []nilCase{
			nilJSON[review.Action](t),
			nilText[review.ActionKind](t),
			nilJSON[review.ActionSettings](t),
			nilText[review.ActionStatus](t),
			nilText[review.Adjustment](t),
			nilJSON[review.Analysis](t),
			nilJSON[review.AssignmentResult](t),
			nilText[review.Cause](t),
			nilJSON[review.CellRow](t),
			nilJSON[review.Certification](t),
			nilJSON[review.Changes](t),
			nilJSON[review.ConversionBelowPeers](t),
			nilJSON[review.Diagnosis](t),
			nilJSON[review.Evidence](t),
			nilJSON[review.FeedbackFigures](t),
			nilJSON[review.FeedbackPileup](t),
			nilJSON[review.Finding](t),
			nilJSON[review.FollowUp](t),
			nilJSON[review.FollowUpSignal](t),
			nilJSON[review.GoalProposal](t),
			nilJSON[review.GoalRow](t),
			nilJSON[review.LossSample](t),
			nilJSON[review.MarketSignal](t),
			nilJSON[review.Outcome](t),
			nilJSON[review.ProductFeedback](t),
			nilJSON[review.ProductLosses](t),
			nilJSON[review.ProductRow](t),
			nilJSON[review.ProductSignal](t),
			nilText[review.RateKind](t),
			nilJSON[review.Recurrence](t),
			nilJSON[review.RegionRow](t),
			nilJSON[review.RepProductLag](t),
			nilJSON[review.RepRow](t),
			nilJSON[review.Report](t, `{"version":1,"rules":{"version":1}}`),
			nilJSON[review.Resolution](t),
			nilJSON[review.RuleSet](t),
			nilJSON[review.Rules](t, `{"version":1}`),
			nilText[review.Severity](t),
			nilJSON[review.SlowFollowUp](t),
			nilJSON[review.Snapshot](t),
			nilJSON[review.Subject](t),
			nilText[review.SubjectKind](t),
			nilJSON[review.TargetMet](t),
			nilJSON[review.TargetMissed](t),
			nilJSON[review.TeamRow](t),
			nilJSON[review.ThinPipeline](t),
		}},
		{"training", []nilCase{
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
		}},
	}
}

func TestAccumulatorNilReceiver(t *testing.T) {
	var nilAcc *sp.Accumulator
	full := sp.NewAccumulator("EUR")
	require.NoError(t, full.Add(money(t, "12.50 EUR")))
	require.NotPanics(t, func() {
		assert.Equal(t, 0, nilAcc.Count())
		assert.Equal(t, sp.Currency(""), nilAcc.Currency())
		assert.True(t, nilAcc.Total().Equal(sp.Money{}), "the total of a nil accumulator is the zero Money")
		for _, b := range []*sp.Accumulator{nil, new(sp.Accumulator), &full} {
			err := nilAcc.Merge(b)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.ErrorContains(t, err, "cannot merge into a nil *salesprocess.Accumulator")
		}
		// Every kind of amount: the short way's (small, of any currency)
		// and the long way's (large, zero).
		for _, m := range []sp.Money{money(t, "12.50 EUR"), money(t, "1 USD"), money(t, "123456789012345678901234.5 EUR"), {}} {
			err := nilAcc.Add(m)
			assert.ErrorIs(t, err, sp.ErrInvalid, "Add(%v)", m)
			assert.ErrorContains(t, err, "cannot add to a nil *salesprocess.Accumulator")
		}
	})
	assert.Equal(t, 1, full.Count(), "a refused merge leaves b unchanged")
	assert.Equal(t, "12.50 EUR", full.Total().String())
}
