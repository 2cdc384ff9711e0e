package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/training"
)

// An engine whose eligibility check is a Readiness on the engine's own
// store asks it inside the command's transaction, and the check reads
// outside it, as the package documentation says: on a SQLite file and on
// PostgreSQL it reads on another connection; on an in-memory database the
// read waits for the transaction's write lock and the command fails with a
// conflict after the busy timeout; with one connection the read waits for
// the transaction's until ctx is done. A watchdog fails the test if the
// command does not return.
func TestEligibilityOnTheSameStore(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		for name, conns := range map[string]int{"pool": 0, "one_conn": 1} {
			t.Run(name, func(t *testing.T) {
				s := b.open(t, &sqlstore.Options{MaxOpenConns: conns, BusyTimeout: 100 * time.Millisecond})
				ctx := context.Background()
				at := pipelinetest.Epoch()
				v1 := training.MustParseVersion("1.0")
				require.NoError(t, s.PutBrief(ctx, training.Brief{Product: pipelinetest.ProductWidget, Version: v1,
					Published: at.AddDate(0, -1, 0), Pros: []string{"fast"}}))
				require.NoError(t, s.PutCertificate(ctx, training.Certificate{Rep: pipelinetest.RepAnn, Product: pipelinetest.ProductWidget,
					BriefVersion: v1, Issued: at.AddDate(0, -1, 0), Expires: at.AddDate(1, 0, 0)}))
				trainer := training.NewTrainer(s, nil, nil)
				e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock(), Eligibility: trainer.Readiness()})
				require.NoError(t, err)

				ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
				defer cancel()
				done := make(chan error, 1)
				go func() {
					_, err := e.ReceiveInquiry(ctx, pipelinetest.System(), pipelinetest.NewInquiry("i1"), nil)
					done <- err
				}()
				select {
				case err = <-done:
				case <-time.After(10 * time.Second):
					t.Fatal("the command did not return")
				}
				switch {
				case conns == 1:
					assert.ErrorIs(t, err, context.DeadlineExceeded, "the check waits for the transaction's connection")
				case b.name == "sqlite_memory":
					assert.ErrorIs(t, err, sp.ErrConflict, "the check waits for the transaction's write lock")
				default:
					require.NoError(t, err, "the check reads on another connection")
					_, err = s.GetInquiry(context.Background(), "i1")
					assert.NoError(t, err)
					return
				}
				_, err = s.GetInquiry(context.Background(), "i1")
				assert.ErrorIs(t, err, sp.ErrNotFound, "the failed command stored nothing")
			})
		}
	})
}
