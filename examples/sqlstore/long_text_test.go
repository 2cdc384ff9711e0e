package sqlstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// Text too long for an index (PostgreSQL's B-tree rows hold a few
// kilobytes at most; SQLite's have no such limit) is either kept or
// refused with an error wrapping ErrInvalid, as other values a store
// cannot keep are.
func TestLongTextKeptOrInvalid(t *testing.T) {
	ctx := context.Background()
	raw := make([]byte, 5000)
	_, err := rand.Read(raw)
	require.NoError(t, err)
	long := hex.EncodeToString(raw) // incompressible, so no index row can squeeze it
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, nil)
		byID := deal(sp.DealID(long))
		byOwner := deal("d1")
		byOwner.Owner = sp.RepID(long)
		for name, d := range map[string]struct {
			id  sp.DealID
			err error
		}{
			"id":    {byID.ID, s.CreateDeal(ctx, byID)},
			"owner": {byOwner.ID, s.CreateDeal(ctx, byOwner)},
		} {
			t.Run(name, func(t *testing.T) {
				if d.err != nil {
					assert.ErrorIs(t, d.err, sp.ErrInvalid)
					return
				}
				_, err := s.GetDeal(ctx, d.id)
				assert.NoError(t, err, "kept")
			})
		}
	})
}
