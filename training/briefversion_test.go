package training_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// briefsOnly hides every capability of a BriefSource but BriefAt.
type briefsOnly struct{ src training.BriefSource }

func (s briefsOnly) BriefAt(ctx context.Context, p salesprocess.ProductID, at time.Time) (training.Brief, error) {
	return s.src.BriefAt(ctx, p, at)
}

// versionsOnly is a BriefVersionSource whose BriefAt must not be called:
// its BriefVersionAt gives the version of the brief its source's BriefAt
// returns, and fails as that does.
type versionsOnly struct {
	t   *testing.T
	src training.BriefSource
}

func (s versionsOnly) BriefAt(context.Context, salesprocess.ProductID, time.Time) (training.Brief, error) {
	s.t.Error("Readiness calls BriefAt of a BriefVersionSource")
	return training.Brief{}, errors.New("BriefAt called")
}

func (s versionsOnly) BriefVersionAt(ctx context.Context, p salesprocess.ProductID, at time.Time) (training.Version, error) {
	b, err := s.src.BriefAt(ctx, p, at)
	return b.Version, err
}

var _ training.BriefVersionSource = versionsOnly{}

// The answers of a Readiness whose brief source is a BriefVersionSource
// (a stand-in, and MemStore) are those of one whose source has BriefAt
// only, on the same data: in
// force, between versions, before any brief, an unknown product, a
// failing store and a done ctx.
func TestReadinessBriefVersionSourceSameAnswers(t *testing.T) {
	certs := []training.Certificate{certificate("r1", "", "1.0"), certificate("r2", "web", "2.0"), certificate("r3", "phone", "1.1")}
	base := readinessStore(t, certs...)
	done, cancel := context.WithCancel(context.Background())
	cancel()
	type query struct {
		ctx     context.Context
		rep     salesprocess.RepID
		product salesprocess.ProductID
		channel salesprocess.ChannelID
		at      time.Time
	}
	var queries []query
	for _, rep := range []salesprocess.RepID{"r1", "r2", "r3", "r9"} {
		for _, product := range []salesprocess.ProductID{"p1", "p9"} {
			for _, at := range []time.Time{t0.Add(-1), t0, t0.Add(day), t0.Add(20 * day), majorBump.Add(-1), majorBump, certExpiry} {
				for _, ch := range []salesprocess.ChannelID{"", "web"} {
					queries = append(queries, query{context.Background(), rep, product, ch, at})
				}
			}
		}
	}
	queries = append(queries, query{done, "r1", "p1", "web", t0.Add(day)})
	for _, fail := range []string{"", "BriefAt", "ListCertificates"} {
		t.Run(cmpOr(fail, "no_failure"), func(t *testing.T) {
			s := failing{base, fail}
			whole := training.NewReadiness(s, briefsOnly{s}, nil)
			version := training.NewReadiness(s, versionsOnly{t, briefsOnly{s}}, nil)
			mem := training.NewReadiness(s, s, nil) // MemStore's own BriefVersionAt
			for _, q := range queries {
				name := fmt.Sprintf("%s %s %q at %s", q.rep, q.product, q.channel, q.at)
				if q.ctx != context.Background() {
					name += " done ctx"
				}
				vw, errW := whole.Check(q.ctx, q.rep, q.product, q.channel, q.at)
				vv, errV := version.Check(q.ctx, q.rep, q.product, q.channel, q.at)
				assert.Equal(t, vw, vv, "Check: %s", name)
				sameErr(t, "Check: "+name, errW, errV)
				vm, errM := mem.Check(q.ctx, q.rep, q.product, q.channel, q.at)
				assert.Equal(t, vw, vm, "Check on the MemStore: %s", name)
				sameErr(t, "Check on the MemStore: "+name, errW, errM)
				sameErr(t, "Eligible: "+name, whole.Eligible(q.ctx, q.rep, q.product, q.channel, q.at),
					version.Eligible(q.ctx, q.rep, q.product, q.channel, q.at))
				sw, errW := whole.Status(q.ctx, q.rep, q.product, q.at)
				sv, errV := version.Status(q.ctx, q.rep, q.product, q.at)
				assert.Equal(t, sw, sv, "Status: %s", name)
				sameErr(t, "Status: "+name, errW, errV)
				cw, errW := whole.Certificate(q.ctx, q.rep, q.product, q.at)
				cv, errV := version.Certificate(q.ctx, q.rep, q.product, q.at)
				assert.Equal(t, cw, cv, "Certificate: %s", name)
				sameErr(t, "Certificate: "+name, errW, errV)
			}
		})
	}
	// The queries cover each case.
	r := training.NewReadiness(base, versionsOnly{t, base}, nil)
	v, err := r.Check(context.Background(), "r1", "p1", "web", t0.Add(-1))
	require.NoError(t, err)
	assert.True(t, v.BriefVersion.IsZero(), "before any brief")
	v, err = r.Check(context.Background(), "r1", "p1", "web", t0.Add(20*day))
	require.NoError(t, err)
	assert.Equal(t, "1.1", v.BriefVersion.String(), "between versions")
	assert.True(t, v.Ready)
	v, err = r.Check(context.Background(), "r2", "p1", "web", majorBump)
	require.NoError(t, err)
	assert.Equal(t, "2.0", v.BriefVersion.String(), "latest version")
	assert.True(t, v.Ready)
}

// sameErr checks that two errors are alike: both nil, or both with the
// same text and the same root sentinels.
func sameErr(t *testing.T, what string, a, b error) {
	t.Helper()
	if (a == nil) != (b == nil) {
		t.Errorf("%s: errors differ: %v and %v", what, a, b)
		return
	}
	if a == nil {
		return
	}
	assert.Equal(t, a.Error(), b.Error(), what)
	for _, target := range []error{salesprocess.ErrInvalid, salesprocess.ErrNotFound, salesprocess.ErrForbidden, errBroken, context.Canceled} {
		assert.Equal(t, errors.Is(a, target), errors.Is(b, target), "%s: errors.Is(%v)", what, target)
	}
}
