package training_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// Readiness satisfies the interface package pipeline declares, without
// package training importing pipeline (its tests may).
var _ pipeline.Eligibility = (*training.Readiness)(nil)

var (
	day        = 24 * time.Hour
	majorBump  = t0.Add(100 * day) // brief 2.0 of p1 is published then
	certExpiry = t0.Add(365 * day)
)

func certificate(rep salesprocess.RepID, ch salesprocess.ChannelID, version string) training.Certificate {
	return training.Certificate{Rep: rep, Product: "p1", Channel: ch, BriefVersion: v(version), Issued: t0.Add(day), Expires: certExpiry}
}

// readinessStore holds briefs 1.0 (t0), 1.1 (t0+10d) and 2.0 (majorBump)
// of p1, and the certificates given.
func readinessStore(t *testing.T, certs ...training.Certificate) *trainingtest.MemStore {
	t.Helper()
	s := trainingtest.NewMemStore()
	ctx := context.Background()
	for _, b := range []training.Brief{testBrief("1.0"), testBrief("1.1"), testBrief("2.0")} {
		switch b.Version.String() {
		case "1.1":
			b.Published = t0.Add(10 * day)
		case "2.0":
			b.Published = majorBump
		}
		require.NoError(t, s.AddBrief(ctx, b))
	}
	for _, c := range certs {
		require.NoError(t, c.Validate())
		require.NoError(t, s.PutCertificate(ctx, c))
	}
	return s
}

func TestEligible(t *testing.T) {
	inForce := t0.Add(50 * day) // brief 1.1 in force
	for _, tc := range []struct {
		name    string
		certs   []training.Certificate
		rep     salesprocess.RepID
		product salesprocess.ProductID
		channel salesprocess.ChannelID
		at      time.Time
		want    []training.ReasonCode // nil: eligible
	}{
		{name: "ok_every_channel", certs: []training.Certificate{certificate("r1", "", "1.0")}, channel: "web", at: inForce},
		{name: "ok_own_channel", certs: []training.Certificate{certificate("r1", "web", "1.0")}, channel: "web", at: inForce},
		{name: "ok_minor_bump_keeps_valid", certs: []training.Certificate{certificate("r1", "", "1.0")}, channel: "web", at: t0.Add(20 * day)},
		{name: "ok_new_major", certs: []training.Certificate{certificate("r1", "", "2.0")}, channel: "web", at: majorBump},
		{name: "ok_before_major_bump", certs: []training.Certificate{certificate("r1", "", "1.1")}, channel: "web", at: majorBump.Add(-1)},
		{name: "ok_last_instant", certs: []training.Certificate{certificate("r1", "", "2.0")}, channel: "web", at: certExpiry.Add(-1)},
		{name: "ok_one_valid_of_several", certs: []training.Certificate{certificate("r1", "", "1.0"), certificate("r1", "web", "2.0")}, channel: "web", at: majorBump},
		{name: "no_certificate", channel: "web", at: inForce, want: []training.ReasonCode{training.ReasonNoCertificate}},
		{name: "no_certificate_other_rep", certs: []training.Certificate{certificate("r2", "", "1.0")}, channel: "web", at: inForce, want: []training.ReasonCode{training.ReasonNoCertificate}},
		{name: "no_certificate_other_product", certs: []training.Certificate{certificate("r1", "", "1.0")}, product: "p2", channel: "web", at: inForce, want: []training.ReasonCode{training.ReasonNoBrief}},
		{name: "expired", certs: []training.Certificate{certificate("r1", "", "2.0")}, channel: "web", at: certExpiry, want: []training.ReasonCode{training.ReasonExpired}},
		{name: "wrong_channel", certs: []training.Certificate{certificate("r1", "phone", "1.0"), certificate("r1", "retail", "1.0")}, channel: "web", at: inForce, want: []training.ReasonCode{training.ReasonWrongChannel}},
		{name: "brief_outdated", certs: []training.Certificate{certificate("r1", "", "1.1")}, channel: "web", at: majorBump, want: []training.ReasonCode{training.ReasonBriefOutdated}},
		{name: "expired_and_outdated", certs: []training.Certificate{certificate("r1", "", "1.1")}, channel: "web", at: certExpiry, want: []training.ReasonCode{training.ReasonExpired, training.ReasonBriefOutdated}},
		// Brief 1.1 in force: a certificate earned on 1.0 that expired is
		// expired, not outdated as well (a minor version keeps it current).
		{name: "expired_after_minor_bump", certs: []training.Certificate{{Rep: "r1", Product: "p1", BriefVersion: v("1.0"), Issued: t0.Add(day), Expires: t0.Add(20 * day)}},
			channel: "web", at: inForce, want: []training.ReasonCode{training.ReasonExpired}},
		{name: "not_yet_valid", certs: []training.Certificate{certificate("r1", "", "1.0")}, channel: "web", at: t0, want: []training.ReasonCode{training.ReasonNotYetValid}},
		{name: "every_reason_of_every_certificate", certs: []training.Certificate{certificate("r1", "web", "1.0"), certificate("r1", "", "2.0"), certificate("r1", "phone", "2.0")},
			channel: "web", at: certExpiry, want: []training.ReasonCode{training.ReasonExpired, training.ReasonExpired, training.ReasonBriefOutdated}},
		{name: "no_brief_yet", certs: []training.Certificate{certificate("r1", "", "1.0")}, channel: "web", at: t0.Add(-1), want: []training.ReasonCode{training.ReasonNoBrief}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := training.NewReadiness(readinessStore(t, tc.certs...), readinessStore(t), nil)
			rep, product := cmpOr(tc.rep, "r1"), cmpOr(tc.product, "p1")
			err := r.Eligible(context.Background(), rep, product, tc.channel, tc.at)
			verdict, verr := r.Check(context.Background(), rep, product, tc.channel, tc.at)
			require.NoError(t, verr)
			if tc.want == nil {
				require.NoError(t, err)
				assert.True(t, verdict.Ready)
				assert.Empty(t, verdict.Reasons)
				assert.True(t, verdict.Certificate.Covers(product, tc.channel))
				return
			}
			require.ErrorIs(t, err, salesprocess.ErrForbidden)
			var nre *training.NotReadyError
			require.ErrorAs(t, err, &nre)
			assert.Equal(t, rep, nre.Rep)
			assert.Equal(t, product, nre.Product)
			assert.Equal(t, tc.channel, nre.Channel)
			var codes []training.ReasonCode
			for _, r := range nre.Reasons {
				codes = append(codes, r.Code)
				assert.NotEmpty(t, r.Detail)
				assert.Contains(t, err.Error(), string(r.Code))
				require.True(t, nre.Has(r.Code))
			}
			assert.Equal(t, tc.want, codes)
			assert.False(t, verdict.Ready)
			assert.Equal(t, nre.Reasons, verdict.Reasons)
			assert.Equal(t, training.Certificate{}, verdict.Certificate)
			assert.False(t, nre.Has("bogus"))
		})
	}
}

func cmpOr[T comparable](a, b T) T {
	var zero T
	if a == zero {
		return b
	}
	return a
}

// failing wraps a store and fails the methods named in fail ("BriefAt"
// fails BriefVersionAt too).
type failing struct {
	*trainingtest.MemStore
	fail string
}

var errBroken = errors.New("connection lost")

func (f failing) BriefAt(ctx context.Context, p salesprocess.ProductID, at time.Time) (training.Brief, error) {
	if f.fail == "BriefAt" {
		return training.Brief{}, errBroken
	}
	return f.MemStore.BriefAt(ctx, p, at)
}

func (f failing) BriefVersionAt(ctx context.Context, p salesprocess.ProductID, at time.Time) (training.Version, error) {
	if f.fail == "BriefAt" {
		return training.Version{}, errBroken
	}
	return f.MemStore.BriefVersionAt(ctx, p, at)
}

func (f failing) ListCertificates(ctx context.Context, flt training.CertificateFilter) iter.Seq2[training.Certificate, error] {
	if f.fail == "ListCertificates" {
		return func(yield func(training.Certificate, error) bool) { yield(training.Certificate{}, errBroken) }
	}
	return f.MemStore.ListCertificates(ctx, flt)
}

func TestEligibleErrors(t *testing.T) {
	ctx := context.Background()
	for _, fail := range []string{"BriefAt", "ListCertificates"} {
		t.Run("err_store_"+fail, func(t *testing.T) {
			s := failing{readinessStore(t, certificate("r1", "", "1.0")), fail}
			r := training.NewReadiness(s, s, &training.Options{})
			err := r.Eligible(ctx, "r1", "p1", "web", t0.Add(day))
			require.ErrorIs(t, err, errBroken)
			assert.NotErrorIs(t, err, salesprocess.ErrForbidden)
			assert.Equal(t, 1, strings.Count(err.Error(), "training:"), "Eligible names the package once: %v", err)
			_, err = r.Status(ctx, "r1", "p1", t0.Add(day))
			require.ErrorIs(t, err, errBroken)
			assert.Equal(t, 1, strings.Count(err.Error(), "training:"), "Status names the package once: %v", err)
			goal, err := salesprocess.ParseMoney("1.00 EUR")
			require.NoError(t, err)
			_, err = training.NewTrainer(s, nil, nil).Onboard(ctx, training.Onboarding{Rep: "r1", Region: "north", Start: t0.Add(day), MonthlyGoal: goal})
			require.ErrorIs(t, err, errBroken)
			assert.Equal(t, 1, strings.Count(err.Error(), "training:"), "Onboard names the package once: %v", err)
		})
	}
	t.Run("err_invalid_ids", func(t *testing.T) {
		r := training.NewReadiness(readinessStore(t), readinessStore(t), nil)
		for _, q := range [][3]string{{"", "p1", "web"}, {"r1", "", "web"}, {"r1", "p1", " web"}} {
			err := r.Eligible(ctx, salesprocess.RepID(q[0]), salesprocess.ProductID(q[1]), salesprocess.ChannelID(q[2]), t0)
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			assert.NotErrorIs(t, err, salesprocess.ErrForbidden)
		}
		_, err := r.Status(ctx, "", "p1", t0)
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
	})
	t.Run("err_expiring_store", func(t *testing.T) {
		s := failing{readinessStore(t), "ListCertificates"}
		window, _ := salesprocess.NewPeriod(t0, certExpiry.Add(1))
		for _, err := range training.NewReadiness(s, s, nil).Expiring(ctx, window) {
			require.ErrorIs(t, err, errBroken)
		}
	})
}

func TestStatus(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		certs []training.Certificate
		at    time.Time
		want  training.CertStatus
	}{
		{"missing", nil, t0.Add(20 * day), training.CertMissing},
		{"valid", []training.Certificate{certificate("r1", "", "1.0")}, t0.Add(20 * day), training.CertValid},
		{"expired", []training.Certificate{certificate("r1", "", "2.0")}, certExpiry, training.CertExpired},
		{"outdated", []training.Certificate{certificate("r1", "", "1.0")}, majorBump, training.CertOutdated},
		{"not_yet_valid", []training.Certificate{certificate("r1", "", "1.0")}, t0, training.CertNotYetValid},
		{"best_of_channels", []training.Certificate{certificate("r1", "", "1.0"), certificate("r1", "web", "2.0")}, majorBump, training.CertValid},
		{"outdated_beats_expired", []training.Certificate{certificate("r1", "web", "1.0"),
			{Rep: "r1", Product: "p1", BriefVersion: v("2.0"), Issued: t0, Expires: majorBump}}, majorBump, training.CertOutdated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := readinessStore(t, tc.certs...)
			got, err := training.NewReadiness(s, s, nil).Status(ctx, "r1", "p1", tc.at)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestExpiring(t *testing.T) {
	ctx := context.Background()
	certs := []training.Certificate{certificate("r1", "", "1.0"), certificate("r2", "", "1.0"), certificate("r3", "", "1.0")}
	certs[0].Expires = t0.Add(10 * day)
	certs[1].Expires = t0.Add(20 * day)
	certs[2].Expires = t0.Add(30 * day)
	window, err := salesprocess.NewPeriod(t0.Add(10*day), t0.Add(30*day))
	require.NoError(t, err)
	reps := func(seq iter.Seq[training.Certificate]) []salesprocess.RepID {
		var out []salesprocess.RepID
		for c := range seq {
			out = append(out, c.Rep)
		}
		return out
	}
	t.Run("ok_pure", func(t *testing.T) {
		assert.Equal(t, []salesprocess.RepID{"r1", "r2"}, reps(training.Expiring(slices.Values(certs), window)))
		assert.Empty(t, reps(training.Expiring(slices.Values(certs), salesprocess.Period{})))
		assert.Empty(t, reps(training.Expiring(nil, window)))
		for range training.Expiring(slices.Values(certs), window) {
			break
		}
	})
	t.Run("ok_store", func(t *testing.T) {
		s := readinessStore(t, certs...)
		r := training.NewReadiness(s, s, nil)
		var got []salesprocess.RepID
		for c, err := range r.Expiring(ctx, window) {
			require.NoError(t, err)
			got = append(got, c.Rep)
		}
		assert.Equal(t, []salesprocess.RepID{"r1", "r2"}, got)
		for range r.Expiring(ctx, window) {
			break
		}
		for range r.Expiring(ctx, salesprocess.Period{}) {
			t.Fatal("a zero window yields nothing")
		}
	})
}

func TestCertificateValidate(t *testing.T) {
	ok := certificate("r1", "web", "1.0")
	ok.Curriculum = "c1"
	for _, tc := range []struct {
		name  string
		edit  func(*training.Certificate)
		field string
	}{
		{"ok", func(*training.Certificate) {}, ""},
		{"err_rep", func(c *training.Certificate) { c.Rep = "" }, "certificate.rep"},
		{"err_product", func(c *training.Certificate) { c.Product = "" }, "certificate.product"},
		{"err_channel", func(c *training.Certificate) { c.Channel = " x" }, "certificate.channel"},
		{"err_version", func(c *training.Certificate) { c.BriefVersion = training.Version{} }, "certificate.brief_version"},
		{"err_curriculum", func(c *training.Certificate) { c.Curriculum = "\x00" }, "certificate.curriculum"},
		{"err_issued", func(c *training.Certificate) { c.Issued = time.Time{} }, "certificate.issued"},
		{"err_expires", func(c *training.Certificate) { c.Expires = c.Issued }, "certificate.expires"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			assertField(t, c.Validate(), tc.field)
		})
	}
}

// assertField checks that err is nil when field is empty, and otherwise a
// validation error naming field.
func assertField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		require.NoError(t, err)
		return
	}
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	var ve *salesprocess.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field, err.Error())
}

// The error names only the product and channel the question was about:
// Onboard asks about no product, Eligible may ask about no channel.
func TestNotReadyErrorNamesWhatWasAsked(t *testing.T) {
	for _, tc := range []struct {
		err  training.NotReadyError
		want string
	}{
		{training.NotReadyError{Rep: "r1", Product: "p1", Channel: "web", Reasons: []training.Reason{{Code: training.ReasonExpired, Detail: "expired"}}},
			`training: rep "r1" not ready for product "p1" on channel "web": expired (expired)`},
		{training.NotReadyError{Rep: "r1", Product: "p1", Reasons: []training.Reason{{Code: training.ReasonExpired}}},
			`training: rep "r1" not ready for product "p1": expired`},
		{training.NotReadyError{Rep: "r1", Reasons: []training.Reason{{Code: training.ReasonNoCertificate, Detail: "no certificate for any product"}}},
			`training: rep "r1" not ready: no_certificate (no certificate for any product)`},
	} {
		assert.Equal(t, tc.want, tc.err.Error())
	}
}

// Has on a nil *NotReadyError, as left by an errors.As that found none,
// reports no reason.
func TestNotReadyErrorHasOnNil(t *testing.T) {
	var nre *training.NotReadyError
	assert.False(t, errors.As(errors.New("other"), &nre))
	assert.False(t, nre.Has(training.ReasonExpired))
}

// Err is nil only for a ready verdict: a verdict that is not ready is an
// error even without reasons (the zero Verdict, one decoded from JSON).
func TestVerdictErr(t *testing.T) {
	assert.NoError(t, training.Verdict{Ready: true}.Err())
	err := training.Verdict{Rep: "r1", Product: "p1", Channel: "web"}.Err()
	var nre *training.NotReadyError
	require.ErrorAs(t, err, &nre)
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.Equal(t, training.NotReadyError{Rep: "r1", Product: "p1", Channel: "web"}, *nre)
}

// Covers: a certificate for one channel covers that channel only, and no
// work on no channel, which needs a certificate for every channel.
func TestCertificateCovers(t *testing.T) {
	web := training.Certificate{Rep: "r1", Product: "p1", Channel: "web"}
	every := training.Certificate{Rep: "r1", Product: "p1"}
	for _, tc := range []struct {
		c       training.Certificate
		product salesprocess.ProductID
		channel salesprocess.ChannelID
		want    bool
	}{
		{web, "p1", "web", true},
		{web, "p1", "phone", false},
		{web, "p1", "", false},
		{web, "p2", "web", false},
		{every, "p1", "web", true},
		{every, "p1", "", true},
		{every, "p2", "", false},
	} {
		assert.Equal(t, tc.want, tc.c.Covers(tc.product, tc.channel), "%+v covers %s on %q", tc.c, tc.product, tc.channel)
	}
}

// TestPublishBriefBackdated pins PublishBrief's doc: Published is not
// compared with the clock or the other versions, so a backdated major
// version outdates certificates from its Published on, and a lower
// version published later is not in force after the higher one.
func TestPublishBriefBackdated(t *testing.T) {
	ctx := context.Background()
	store := trainingtest.NewMemStore()
	tr := training.NewTrainer(store, nil, &training.Options{Clock: salesprocess.FixedClock(t0.Add(50 * day))})
	require.NoError(t, tr.PublishBrief(ctx, training.Brief{Product: "p1", Version: v("1.0"), Published: t0}))
	require.NoError(t, store.PutCertificate(ctx, training.Certificate{Rep: "ann", Product: "p1", BriefVersion: v("1.0"),
		Issued: t0.Add(day), Expires: t0.Add(300 * day)}))
	r := tr.Readiness()
	require.NoError(t, r.Eligible(ctx, "ann", "p1", "", t0.Add(20*day)))

	require.NoError(t, tr.PublishBrief(ctx, training.Brief{Product: "p1", Version: v("2.0"), Published: t0.Add(10 * day)}))
	err := r.Eligible(ctx, "ann", "p1", "", t0.Add(20*day))
	var nre *training.NotReadyError
	require.ErrorAs(t, err, &nre)
	assert.True(t, nre.Has(training.ReasonBriefOutdated))
	require.NoError(t, r.Eligible(ctx, "ann", "p1", "", t0.Add(9*day)))

	require.NoError(t, tr.PublishBrief(ctx, training.Brief{Product: "p1", Version: v("1.1"), Published: t0.Add(40 * day)}))
	b, err := store.BriefAt(ctx, "p1", t0.Add(45*day))
	require.NoError(t, err)
	assert.Equal(t, v("2.0"), b.Version)
}

// A rep certified for other channels only is told which, quoted as the
// package quotes IDs, with "channel" for one and "channels" for more.
func TestWrongChannelDetailQuotesTheChannels(t *testing.T) {
	inForce := t0.Add(50 * day)
	for _, tc := range []struct {
		certs []training.Certificate
		want  string
	}{
		{[]training.Certificate{certificate("r1", "phone", "1.0")}, `certified for channel "phone" only`},
		{[]training.Certificate{certificate("r1", "phone", "1.0"), certificate("r1", "retail", "1.0")}, `certified for channels "phone", "retail" only`},
	} {
		r := training.NewReadiness(readinessStore(t, tc.certs...), readinessStore(t), nil)
		v, err := r.Check(context.Background(), "r1", "p1", "web", inForce)
		require.NoError(t, err)
		require.Len(t, v.Reasons, 1)
		assert.Equal(t, tc.want, v.Reasons[0].Detail)
	}
}

// Certificate returns the certificate whose state Status gives: the two
// always agree.
func TestReadinessCertificate(t *testing.T) {
	ctx := context.Background()
	withdrawn := certificate("r1", "", "1.0")
	withdrawn.Curriculum = "p1-all"
	withdrawn.Expires = t0.Add(50 * day)
	web := certificate("r1", "web", "1.0")
	web.Curriculum = "p1-web"
	for _, tc := range []struct {
		name  string
		certs []training.Certificate
		at    time.Time
		want  int // index in certs
		state training.CertStatus
	}{
		{"valid", []training.Certificate{certificate("r1", "", "1.0")}, t0.Add(20 * day), 0, training.CertValid},
		{"expired", []training.Certificate{certificate("r1", "", "2.0")}, certExpiry, 0, training.CertExpired},
		{"withdrawn", []training.Certificate{withdrawn}, t0.Add(50 * day), 0, training.CertExpired},
		{"outdated", []training.Certificate{certificate("r1", "", "1.0")}, majorBump, 0, training.CertOutdated},
		{"not_yet_valid", []training.Certificate{certificate("r1", "", "1.0")}, t0, 0, training.CertNotYetValid},
		{"best_of_channels", []training.Certificate{certificate("r1", "", "1.0"), certificate("r1", "web", "2.0")}, majorBump, 1, training.CertValid},
		{"outdated_beats_expired", []training.Certificate{certificate("r1", "web", "1.0"),
			{Rep: "r1", Product: "p1", BriefVersion: v("2.0"), Issued: t0, Expires: majorBump}}, majorBump, 0, training.CertOutdated},
		{"of_one_state_every_channel_first", []training.Certificate{web, withdrawn}, certExpiry, 1, training.CertExpired},
		{"of_one_state_by_channel", []training.Certificate{certificate("r1", "web", "1.0"), certificate("r1", "phone", "1.0")}, majorBump, 1, training.CertOutdated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := readinessStore(t, append(tc.certs, certificate("r2", "", "1.0"), training.Certificate{Rep: "r1", Product: "p2",
				BriefVersion: v("1.0"), Issued: t0, Expires: certExpiry})...)
			r := training.NewReadiness(s, s, nil)
			got, err := r.Certificate(ctx, "r1", "p1", tc.at)
			require.NoError(t, err)
			assert.Equal(t, tc.certs[tc.want], got)
			st, err := r.Status(ctx, "r1", "p1", tc.at)
			require.NoError(t, err)
			assert.Equal(t, tc.state, st)
			b, err := s.BriefAt(ctx, "p1", tc.at)
			require.NoError(t, err)
			assert.Equal(t, st, got.Status(b.Version, tc.at), "the certificate is in the state Status gives")
		})
	}
	t.Run("err_missing", func(t *testing.T) {
		s := readinessStore(t, certificate("r2", "", "1.0"))
		got, err := training.NewReadiness(s, s, nil).Certificate(ctx, "r1", "p1", t0.Add(20*day))
		require.ErrorIs(t, err, salesprocess.ErrNotFound)
		assert.NotErrorIs(t, err, salesprocess.ErrInvalid)
		assert.Equal(t, `training: certificate: rep "r1" holds no certificate for product "p1": salesprocess: not found`, err.Error())
		assert.Zero(t, got)
	})
	t.Run("no_brief", func(t *testing.T) {
		c := certificate("r1", "", "1.0")
		c.Issued = t0.Add(-10 * day)
		s := readinessStore(t, c)
		got, err := training.NewReadiness(s, s, nil).Certificate(ctx, "r1", "p1", t0.Add(-time.Hour))
		require.NoError(t, err, "without a brief in force the certificate cannot be outdated, but it is found")
		assert.Equal(t, c, got)
	})
	t.Run("err_store", func(t *testing.T) {
		for _, fail := range []string{"BriefAt", "ListCertificates"} {
			s := failing{readinessStore(t, certificate("r1", "", "1.0")), fail}
			_, err := training.NewReadiness(s, s, nil).Certificate(ctx, "r1", "p1", t0.Add(day))
			require.ErrorIs(t, err, errBroken, fail)
			assert.NotErrorIs(t, err, salesprocess.ErrNotFound, fail)
			assert.Equal(t, 1, strings.Count(err.Error(), "training:"), "Certificate names the package once: %v", err)
		}
	})
	t.Run("err_invalid", func(t *testing.T) {
		s := readinessStore(t, certificate("r1", "", "1.0"))
		r := training.NewReadiness(s, s, nil)
		for _, q := range [][2]string{{"", "p1"}, {"r1", ""}, {" r1", "p1"}} {
			_, err := r.Certificate(ctx, salesprocess.RepID(q[0]), salesprocess.ProductID(q[1]), t0.Add(20*day))
			require.ErrorIs(t, err, salesprocess.ErrInvalid, "%q", q)
			assert.NotErrorIs(t, err, salesprocess.ErrNotFound)
		}
		var nilR *training.Readiness
		_, err := nilR.Certificate(ctx, "r1", "p1", t0.Add(20*day))
		require.ErrorIs(t, err, salesprocess.ErrInvalid, "a nil Readiness")
		_, err = training.NewReadiness(nil, nil, nil).Certificate(ctx, "r1", "p1", t0.Add(20*day))
		require.ErrorIs(t, err, salesprocess.ErrInvalid, "nil stores")
	})
}
