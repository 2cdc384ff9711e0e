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
				require.NoError(t, s.AddBrief(ctx, training.Brief{Product: pipelinetest.ProductWidget, Version: v1,
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

// A certificate withdrawn while a command runs, after its eligibility
// check and before its commit, as the package documentation says: on
// PostgreSQL the withdrawal commits beside the command's transaction and
// the command commits all the same, leaving the deal with a rep whom the
// stored certificate refuses at the change's time; on a SQLite file the
// withdrawal waits for the command's transaction, which holds the write
// lock from before the check to its commit, and fails after the busy
// timeout.
func TestCertificateWithdrawnDuringAssignment(t *testing.T) {
	for _, b := range backends {
		if b.name == "sqlite_memory" {
			continue // the check's read itself waits there (see above)
		}
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" {
				postgresDSN(t)
			}
			s := b.open(t, &sqlstore.Options{BusyTimeout: 100 * time.Millisecond})
			ctx := context.Background()
			at := pipelinetest.Epoch()
			v1 := training.MustParseVersion("1.0")
			require.NoError(t, s.AddBrief(ctx, training.Brief{Product: pipelinetest.ProductWidget, Version: v1,
				Published: at.AddDate(0, -1, 0), Pros: []string{"fast"}}))
			cert := training.Certificate{Rep: pipelinetest.RepBob, Product: pipelinetest.ProductWidget,
				BriefVersion: v1, Issued: at.AddDate(0, -1, 0), Expires: at.AddDate(1, 0, 0)}
			require.NoError(t, s.PutCertificate(ctx, cert))
			withdrawn := cert
			withdrawn.Expires = at // before the assignment, whose clock reads later
			open, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: pipelinetest.NewClock()})
			require.NoError(t, err)
			_, err = open.OpenDeal(ctx, pipelinetest.System(), pipelinetest.NewDeal("d1"), nil)
			require.NoError(t, err)

			ready := training.NewTrainer(s, nil, nil).Readiness()
			var withdrawal error
			var checkedAt time.Time
			checks := 0
			e, err := pipeline.NewEngine(s, s, &pipeline.Options{Clock: sp.NewSteppingClock(at.Add(time.Hour), time.Minute),
				Eligibility: pipeline.EligibilityFunc(func(ctx context.Context, rep sp.RepID, product sp.ProductID, channel sp.ChannelID, when time.Time) error {
					checks, checkedAt = checks+1, when
					if err := ready.Eligible(ctx, rep, product, channel, when); err != nil || checks > 1 {
						return err
					}
					// Another instance of the host withdraws the
					// certificate: on the store itself, outside the
					// command's transaction.
					withdrawal = s.PutCertificate(context.Background(), withdrawn)
					return nil
				})})
			require.NoError(t, err)
			_, err = e.AssignDeal(ctx, pipelinetest.Manager(pipelinetest.RegionNorth), "d1", pipelinetest.RepBob, nil)
			require.NoError(t, err, "the check passed before the withdrawal")
			assert.Equal(t, 1, checks)
			assert.True(t, checkedAt.After(withdrawn.Expires), "the assignment is timed after the withdrawal's time")
			got, gerr := s.GetDeal(ctx, "d1")
			require.NoError(t, gerr)
			assert.Equal(t, pipelinetest.RepBob, got.Owner)

			if b.name == "sqlite_file" {
				assert.ErrorIs(t, withdrawal, sp.ErrConflict, "the withdrawal waits for the command's write lock")
				verdict, err := ready.Check(ctx, pipelinetest.RepBob, pipelinetest.ProductWidget, pipelinetest.ChannelPhone, checkedAt)
				require.NoError(t, err)
				assert.True(t, verdict.Ready, "nothing was withdrawn")
				return
			}
			require.NoError(t, withdrawal, "the withdrawal commits beside the command's transaction")
			verdict, err := ready.Check(ctx, pipelinetest.RepBob, pipelinetest.ProductWidget, pipelinetest.ChannelPhone, checkedAt)
			require.NoError(t, err)
			assert.False(t, verdict.Ready, "the rep who keeps the deal is refused at the time it was assigned: %+v", verdict)
		})
	}
}
