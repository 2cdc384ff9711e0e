package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/training"
)

// The Store, and the store of its transactions, tell the version of the
// brief BriefAt returns: in force, before any, for an unknown product or
// one no column can hold; a transaction's sees its own writes.
func TestBriefVersionAt(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, nil)
		vs, ok := any(s).(training.BriefVersionSource)
		require.True(t, ok, "Store is a training.BriefVersionSource")
		epoch := pipelinetest.Epoch()
		for _, br := range []training.Brief{
			{Product: "widget", Version: training.MustParseVersion("1.0"), Published: epoch},
			{Product: "widget", Version: training.MustParseVersion("2.0"), Published: epoch.Add(2 * time.Hour)},
			{Product: "widget", Version: training.MustParseVersion("1.1"), Published: epoch.Add(3 * time.Hour)},
		} {
			require.NoError(t, s.AddBrief(ctx, br))
		}
		same := func(t *testing.T, vs training.BriefVersionSource, bs training.BriefSource, p sp.ProductID, at time.Time) training.Version {
			t.Helper()
			want, errB := bs.BriefAt(ctx, p, at)
			got, err := vs.BriefVersionAt(ctx, p, at)
			if errB != nil {
				require.ErrorIs(t, errB, sp.ErrNotFound)
				require.ErrorIs(t, err, sp.ErrNotFound, "%s at %v", p, at)
				return got
			}
			require.NoError(t, err)
			assert.Equal(t, want.Version, got, "%s at %v", p, at)
			return got
		}
		for _, p := range []sp.ProductID{"widget", "gadget", "bad\x00id"} {
			for _, at := range []time.Time{epoch.Add(-1), epoch, epoch.Add(2*time.Hour - 1), epoch.Add(2 * time.Hour), epoch.Add(5 * time.Hour)} {
				same(t, vs, s, p, at)
			}
		}
		assert.Equal(t, "2.0", same(t, vs, s, "widget", epoch.Add(5*time.Hour)).String())
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := vs.BriefVersionAt(cctx, "widget", epoch)
		assert.ErrorIs(t, err, context.Canceled)

		errRollback := errors.New("roll back")
		err = s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
			ts := tx.(training.Store)
			tvs, ok := tx.(training.BriefVersionSource)
			require.True(t, ok, "the transaction's store is a training.BriefVersionSource")
			require.NoError(t, ts.AddBrief(ctx, training.Brief{Product: "widget", Version: training.MustParseVersion("3.0"), Published: epoch.Add(4 * time.Hour)}))
			assert.Equal(t, "3.0", same(t, tvs, ts, "widget", epoch.Add(5*time.Hour)).String())
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		assert.Equal(t, "2.0", same(t, vs, s, "widget", epoch.Add(5*time.Hour)).String())
	})
}
