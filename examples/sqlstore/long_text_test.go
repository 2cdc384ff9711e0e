package sqlstore_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/training"
)

// stores is what a Store and the store of its transactions implement.
type stores interface {
	pipeline.Store
	pipeline.IdempotencyStore
	training.Store
	quota.GoalStore
}

// randomText returns n bytes of random text, which compression does not
// shrink, so that an index row must hold all of it.
func randomText(t *testing.T, n int) string {
	t.Helper()
	raw := make([]byte, n)
	_, err := rand.Read(raw)
	require.NoError(t, err)
	return base64.RawStdEncoding.EncodeToString(raw)[:n]
}

// count returns the number of records seq yields.
func count[T any](t *testing.T, seq iter.Seq2[T, error]) int {
	t.Helper()
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		n++
	}
	return n
}

// records returns the number of deals, inquiries, certificates, attempts,
// goals and outcomes that s holds, of those the tests below write.
func records(t *testing.T, s stores) int {
	t.Helper()
	ctx := context.Background()
	n := count(t, s.ListDeals(ctx, pipeline.DealFilter{})) + count(t, s.ListInquiries(ctx, pipeline.InquiryFilter{})) +
		count(t, s.ListCertificates(ctx, training.CertificateFilter{})) + count(t, s.ListAttempts(ctx, "ann", "m1")) +
		count(t, s.ListGoals(ctx, sp.Period{}))
	if _, err := s.GetOutcome(ctx, "k1"); err == nil {
		n++
	}
	return n
}

// Text longer than MaxTextLength in a column that an index holds
// (PostgreSQL's B-tree rows hold a few kilobytes at most) is refused on
// every backend before the store writes anything, with an error wrapping
// ErrInvalid that names the field; a transaction goes on after the
// refusal.
func TestLongTextInvalid(t *testing.T) {
	ctx := context.Background()
	long := randomText(t, 10_000)
	over := randomText(t, sqlstore.MaxTextLength+1)
	epoch := pipelinetest.Epoch()
	v1 := training.MustParseVersion("1.0")
	for _, c := range []struct {
		name, field string
		write       func(ctx context.Context, s stores) error
	}{
		{"deal_id", "id", func(ctx context.Context, s stores) error { return s.CreateDeal(ctx, deal(sp.DealID(long))) }},
		{"deal_owner", "owner", func(ctx context.Context, s stores) error {
			d := deal("d1")
			d.Owner = sp.RepID(long)
			return s.CreateDeal(ctx, d)
		}},
		{"inquiry_customer", "customer", func(ctx context.Context, s stores) error {
			in := inquiry("i1", epoch)
			in.Customer = sp.CustomerID(over)
			return s.CreateInquiry(ctx, in)
		}},
		{"outcome_key", "key", func(ctx context.Context, s stores) error {
			return s.AddOutcome(ctx, pipeline.Outcome{Key: long, Command: "win", Result: json.RawMessage(`{}`)})
		}},
		{"certificate_product", "product", func(ctx context.Context, s stores) error {
			return s.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: sp.ProductID(long), BriefVersion: v1, Issued: epoch})
		}},
		{"certificate_channel", "channel", func(ctx context.Context, s stores) error {
			return s.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: "widget", Channel: sp.ChannelID(over), BriefVersion: v1, Issued: epoch})
		}},
		{"attempt_id", "id", func(ctx context.Context, s stores) error {
			return s.AddAttempt(ctx, training.Attempt{ID: training.AttemptID(long), Rep: "ann", Module: "m1", BriefVersion: v1, Time: epoch})
		}},
		{"goal_region", "goal.region", func(ctx context.Context, s stores) error {
			return s.PutGoal(ctx, quota.Goal{Region: sp.RegionID(long), Period: sp.MonthOf(epoch), Deals: 3})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, b backend) {
				s := b.open(t, nil)
				checkBadInput(t, badInput{c.name, func() error { return c.write(ctx, s) }, sp.ErrInvalid, c.field})
				assert.Zero(t, records(t, s), "a refused write stored a record")

				require.NoError(t, s.Atomically(ctx, func(ctx context.Context, tx pipeline.Store) error {
					checkBadInput(t, badInput{c.name, func() error { return c.write(ctx, tx.(stores)) }, sp.ErrInvalid, c.field})
					// The transaction goes on: it reads and writes, and commits.
					_, err := tx.GetDeal(ctx, "after")
					assert.ErrorIs(t, err, sp.ErrNotFound)
					return tx.CreateDeal(ctx, deal("after"))
				}))
				_, err := s.GetDeal(ctx, "after")
				require.NoError(t, err, "the write after the refusal was committed")
				assert.Equal(t, 1, records(t, s), "only the write after the refusal was stored")
			})
		})
	}
}

// Text of MaxTextLength bytes is kept on every backend, even in every
// text column of the indexes with the most of them.
func TestLongestTextKept(t *testing.T) {
	ctx := context.Background()
	epoch := pipelinetest.Epoch()
	v1 := training.MustParseVersion("1.0")
	text := func() string { return randomText(t, sqlstore.MaxTextLength) }
	d := deal(sp.DealID(text()))
	d.Pipeline, d.Owner, d.Region, d.Product = text(), sp.RepID(text()), sp.RegionID(text()), sp.ProductID(text())
	d.Channel, d.Campaign, d.Customer = sp.ChannelID(text()), sp.CampaignID(text()), sp.CustomerID(text())
	d.Inquiry = sp.InquiryID(text()) // the stage is a key of at most 64 bytes
	c := training.Certificate{Rep: sp.RepID(text()), Product: sp.ProductID(text()), Channel: sp.ChannelID(text()), BriefVersion: v1, Issued: epoch}
	a := training.Attempt{ID: training.AttemptID(text()), Rep: sp.RepID(text()), Module: training.ModuleID(text()), BriefVersion: v1, Time: epoch}
	key := text()
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		require.NoError(t, s.CreateDeal(ctx, d))
		require.NoError(t, s.PutCertificate(ctx, c))
		require.NoError(t, s.AddAttempt(ctx, a))
		require.NoError(t, s.AddOutcome(ctx, pipeline.Outcome{Key: key, Command: "win", Result: json.RawMessage(`{}`)}))
		got, err := s.GetDeal(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, d.Pipeline, got.Pipeline)
		assert.Equal(t, d.Inquiry, got.Inquiry)
		assert.Equal(t, 1, count(t, s.ListCertificates(ctx, training.CertificateFilter{Rep: c.Rep, Product: c.Product})))
		assert.Equal(t, 1, count(t, s.ListAttempts(ctx, a.Rep, a.Module)))
		_, err = s.GetOutcome(ctx, key)
		assert.NoError(t, err)
	})
}
