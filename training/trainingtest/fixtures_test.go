package trainingtest_test

import (
	"context"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// The fixtures' product and channel are pipelinetest's, repeated.
func TestFixtureIDsArePipelinetests(t *testing.T) {
	assert.Equal(t, pipelinetest.ProductWidget, trainingtest.ProductWidget)
	assert.Equal(t, pipelinetest.ChannelPhone, trainingtest.ChannelPhone)
	assert.True(t, trainingtest.BriefPublished().Equal(pipelinetest.Epoch().AddDate(-1, 0, 0)))
}

// The package doc says trainingtest depends on package training, not on
// pipeline: the fixtures repeat pipelinetest's IDs rather than import them.
func TestImportsNoPipeline(t *testing.T) {
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			assert.False(t, strings.HasPrefix(path, "github.com/salesprocess/salesprocess/pipeline"), "%s imports %s", name, path)
		}
	}
}

func TestFixturesValid(t *testing.T) {
	b := trainingtest.NewBrief()
	require.NoError(t, b.Validate())
	assert.Equal(t, trainingtest.ProductWidget, b.Product)
	assert.Equal(t, "1.0", b.Version.String())
	assert.True(t, b.Published.Equal(trainingtest.BriefPublished()))
	_, ok := b.Override(trainingtest.ChannelPhone)
	assert.True(t, ok, "the brief has an override for the phone channel")

	m := trainingtest.NewModule()
	require.NoError(t, m.Validate())
	assert.Equal(t, b.Version, m.BriefVersion, "the module teaches the fixtures' brief")
	assert.Equal(t, b.Product, m.Product)

	cu := trainingtest.NewCurriculum()
	require.NoError(t, cu.Validate())
	assert.Equal(t, []training.ModuleID{trainingtest.ModuleWidgetBasics}, cu.Modules)

	c := trainingtest.NewCatalog()
	require.NotNil(t, c)
	_, ok = c.Module(trainingtest.ModuleWidgetBasics)
	assert.True(t, ok)
	_, ok = c.Curriculum(trainingtest.CurriculumWidget)
	assert.True(t, ok)

	issued := pipelinetest.Epoch().AddDate(0, -6, 0)
	cert := trainingtest.NewCertificate(pipelinetest.RepBob, issued)
	require.NoError(t, cert.Validate())
	assert.True(t, cert.Covers(pipelinetest.ProductWidget, pipelinetest.ChannelPhone))
	assert.True(t, cert.Expires.Equal(issued.AddDate(1, 0, 0)))
	assert.Equal(t, trainingtest.CurriculumWidget, cert.Curriculum)
}

// Each call returns new values: changing one changes none returned later.
func TestFixturesNewOnEachCall(t *testing.T) {
	b := trainingtest.NewBrief()
	b.Pros[0] = "changed"
	b.Prohibited[0].Variants[0] = "changed"
	b.Disclosures[0].Phrase = "changed"
	b.Objections[0].Answer = "changed"
	b.Channels[0].KeyMessages[0] = "changed"
	b.KeyMessages[0], b.Cons[0] = "changed", "changed"
	assert.Equal(t, trainingtest.NewBrief(), trainingtest.NewBrief())
	assert.NotEqual(t, b, trainingtest.NewBrief())
	fresh := trainingtest.NewBrief()
	for _, s := range []string{fresh.Pros[0], fresh.Cons[0], fresh.KeyMessages[0], fresh.Prohibited[0].Variants[0],
		fresh.Disclosures[0].Phrase, fresh.Objections[0].Answer, fresh.Channels[0].KeyMessages[0]} {
		assert.NotEqual(t, "changed", s)
	}

	cu := trainingtest.NewCurriculum()
	cu.Modules[0] = "changed"
	assert.Equal(t, trainingtest.ModuleWidgetBasics, trainingtest.NewCurriculum().Modules[0])
	assert.NotSame(t, trainingtest.NewCatalog(), trainingtest.NewCatalog())
}

// With the fixtures, a trainer certifies a rep who passes the module
// (8 of 10 points), and the rep may then sell the widget on the phone
// channel of pipelinetest's fixtures; a certificate from NewCertificate
// makes a rep ready as well.
func TestFixturesCertify(t *testing.T) {
	ctx := context.Background()
	store := trainingtest.NewMemStore()
	clock := sp.NewSteppingClock(pipelinetest.Epoch(), time.Minute)
	trainer := training.NewTrainer(store, trainingtest.NewCatalog(), &training.Options{Clock: clock})
	require.NoError(t, trainer.PublishBrief(ctx, trainingtest.NewBrief()))
	ready := training.NewReadiness(store, store, nil)
	at := pipelinetest.Epoch().Add(time.Hour)

	err := ready.Eligible(ctx, pipelinetest.RepAnn, pipelinetest.ProductWidget, pipelinetest.ChannelPhone, at)
	require.ErrorIs(t, err, sp.ErrForbidden, "not certified yet")

	a, err := trainer.RecordAttempt(ctx, training.Attempt{ID: "ann-1", Rep: pipelinetest.RepAnn, Module: trainingtest.ModuleWidgetBasics, Score: 7})
	require.NoError(t, err)
	assert.False(t, a.Passed, "7 of 10 fails")
	a, err = trainer.RecordAttempt(ctx, training.Attempt{ID: "ann-2", Rep: pipelinetest.RepAnn, Module: trainingtest.ModuleWidgetBasics, Score: 8})
	require.NoError(t, err)
	assert.True(t, a.Passed, "8 of 10 passes")
	cert, err := trainer.Certify(ctx, pipelinetest.RepAnn, trainingtest.CurriculumWidget)
	require.NoError(t, err)
	assert.Equal(t, "1.0", cert.BriefVersion.String())
	assert.True(t, cert.Expires.Equal(cert.Issued.AddDate(1, 0, 0)))
	assert.NoError(t, ready.Eligible(ctx, pipelinetest.RepAnn, pipelinetest.ProductWidget, pipelinetest.ChannelPhone, at))

	require.NoError(t, store.PutCertificate(ctx, trainingtest.NewCertificate(pipelinetest.RepBob, pipelinetest.Epoch().AddDate(0, -6, 0))))
	assert.NoError(t, ready.Eligible(ctx, pipelinetest.RepBob, pipelinetest.ProductWidget, pipelinetest.ChannelPhone, at))
	assert.NoError(t, ready.Eligible(ctx, pipelinetest.RepBob, pipelinetest.ProductWidget, pipelinetest.ChannelWeb, at), "every channel")
}

// NewCertificate gives the certificate Certify would issue at the same
// time, its expiry 12 months on by the trainer's rule: on the last day of
// a shorter month, and in the issued time's zone.
func TestNewCertificateExpiresAsCertifyIssues(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	for _, issued := range []time.Time{
		time.Date(2028, time.February, 29, 9, 0, 0, 0, time.UTC), // a leap day: February 28 next year
		time.Date(2026, time.January, 31, 18, 30, 0, 0, berlin),
		pipelinetest.Epoch(),
	} {
		t.Run(issued.Format(time.RFC3339), func(t *testing.T) {
			ctx := context.Background()
			store := trainingtest.NewMemStore()
			trainer := training.NewTrainer(store, trainingtest.NewCatalog(), &training.Options{Clock: sp.FixedClock(issued)})
			require.NoError(t, trainer.PublishBrief(ctx, trainingtest.NewBrief()))
			_, err := trainer.RecordAttempt(ctx, training.Attempt{ID: "ann-1", Rep: pipelinetest.RepAnn, Module: trainingtest.ModuleWidgetBasics, Score: 10})
			require.NoError(t, err)
			got, err := trainer.Certify(ctx, pipelinetest.RepAnn, trainingtest.CurriculumWidget)
			require.NoError(t, err)
			want := trainingtest.NewCertificate(pipelinetest.RepAnn, issued)
			assert.True(t, want.Expires.Equal(got.Expires), "NewCertificate expires %s, Certify's certificate %s", want.Expires, got.Expires)
			assert.Equal(t, issued.Location(), want.Expires.Location())
		})
	}
}
