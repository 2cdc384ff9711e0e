package pipeline_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// ifVersion returns options that expect the record at version v.
func ifVersion(v int64) *pipeline.CommandOptions { return &pipeline.CommandOptions{IfVersion: v} }

// A command with IfVersion applies to the record at that version only: at
// another, it fails with ErrConflict, stores nothing and emits nothing.
func TestIfVersion(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)

	d, err := s.Engine.Advance(ctx, system, "d1", pipeline.DealQualification, ifVersion(1))
	require.NoError(t, err)
	require.Equal(t, int64(2), d.Version)
	events := len(s.Events.Events())
	_, err = s.Engine.SetTerms(ctx, system, "d1", pipeline.Terms{Amount: pipelinetest.MustEUR("10")}, ifVersion(1))
	require.ErrorIs(t, err, sp.ErrConflict)
	assert.Equal(t, `pipeline: set_terms deal "d1": at version 2, not 1 as the command expects: salesprocess: conflict`, err.Error())
	got, err := s.Engine.GetDeal(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, d, got, "nothing stored")
	assert.Len(t, s.Events.Events(), events, "nothing emitted")

	_, err = s.Engine.Contact(ctx, system, "i1", pipeline.Activity{}, ifVersion(2))
	require.ErrorIs(t, err, sp.ErrConflict)
	in, err := s.Engine.Contact(ctx, system, "i1", pipeline.Activity{}, ifVersion(1))
	require.NoError(t, err)
	in, err = s.Engine.Qualify(ctx, system, "i1", ifVersion(in.Version))
	require.NoError(t, err)

	// Of a conversion, the inquiry's version: a stale one creates no deal.
	_, _, err = s.Engine.Convert(ctx, system, "i1", pipeline.Conversion{}, ifVersion(in.Version-1))
	require.ErrorIs(t, err, sp.ErrConflict)
	_, err = s.Engine.GetDeal(ctx, "i1")
	require.ErrorIs(t, err, sp.ErrNotFound)
	_, _, err = s.Engine.Convert(ctx, system, "i1", pipeline.Conversion{}, ifVersion(in.Version))
	require.NoError(t, err)
}

// IfVersion is checked before the command runs: negative, or given to a
// command that creates its record, it is invalid.
func TestIfVersionRefused(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	for name, err := range map[string]error{
		"negative": func() error {
			_, err := s.Engine.Advance(ctx, system, "d1", pipeline.DealQualification, ifVersion(-1))
			return err
		}(),
		"open": func() error {
			_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), ifVersion(1))
			return err
		}(),
		"receive": func() error {
			_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), ifVersion(1))
			return err
		}(),
	} {
		require.ErrorIs(t, err, sp.ErrInvalid, name)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, "if_version", ve.Field, name)
	}
	_, err := s.Engine.GetDeal(ctx, "d1")
	assert.ErrorIs(t, err, sp.ErrNotFound)
}

// A keyed command that succeeded is replayed on a retry with its key,
// though the record has left the version it expected; the same key with
// another IfVersion is another command.
func TestIfVersionWithAKey(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	opts := &pipeline.CommandOptions{IdempotencyKey: "k1", IfVersion: 1}
	first, err := s.Engine.Advance(ctx, system, "d1", pipeline.DealQualification, opts)
	require.NoError(t, err)
	again, err := s.Engine.Advance(ctx, system, "d1", pipeline.DealQualification, opts)
	require.NoError(t, err)
	assert.Equal(t, first, again)
	_, err = s.Engine.Advance(ctx, system, "d1", pipeline.DealQualification, &pipeline.CommandOptions{IdempotencyKey: "k1", IfVersion: 2})
	assert.ErrorIs(t, err, pipeline.ErrKeyReused)
	_, err = s.Engine.Advance(ctx, system, "d1", pipeline.DealQualification, &pipeline.CommandOptions{IdempotencyKey: "k1"})
	assert.ErrorIs(t, err, pipeline.ErrKeyReused)
}

// The fingerprint of a keyed command without IfVersion is what it was
// before IfVersion was added, so that the outcomes a host stored then
// still match their retries.
func TestFingerprintWithoutIfVersionIsUnchanged(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.Advance(ctx, system, "d1", pipeline.DealQualification, &pipeline.CommandOptions{IdempotencyKey: "k1", Reason: "met"})
	require.NoError(t, err)
	o, err := s.Store.GetOutcome(ctx, "k1")
	require.NoError(t, err)
	assert.Equal(t, "ed206bc1027d0ed0719654af7524481696fec7d99a8111d373073ad14b71222b", o.Fingerprint)
}
