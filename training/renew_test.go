package training_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// newCountingEnv is newEnv with a store that counts the writes, and with
// the curriculum p1-web as well, for phone's neighbour channel.
func newCountingEnv(t *testing.T) (*env, *countingStore) {
	t.Helper()
	curs := append(testCurricula(), training.Curriculum{ID: "p1-web", Title: "P1 online", Product: "p1", Channel: "web",
		Modules: []training.ModuleID{"p1-basics", "web"}, ValidMonths: 12})
	cat, err := training.NewCatalog(testModules(), curs)
	require.NoError(t, err)
	cs := &countingStore{MemStore: newEnv(t).store}
	e := &env{store: cs.MemStore, clock: salesprocess.NewSteppingClock(t0.Add(time.Minute), time.Minute), ctx: context.Background()}
	e.trainer = training.NewTrainer(cs, cat, &training.Options{Clock: e.clock})
	return e, cs
}

// certifyUnchanged calls Certify and checks that it returns want and
// writes nothing.
func certifyUnchanged(t *testing.T, e *env, cs *countingStore, rep salesprocess.RepID, cur training.CurriculumID, want training.Certificate, msg string) {
	t.Helper()
	w := cs.writes.Load()
	got, err := e.trainer.Certify(e.ctx, rep, cur)
	require.NoError(t, err, msg)
	assert.Equal(t, want, got, msg)
	assert.Equal(t, w, cs.writes.Load(), "%s: nothing written", msg)
	stored := storedCertificates(t, e, rep)
	assert.Contains(t, stored, want, "%s: the stored certificate is unchanged", msg)
}

func storedCertificates(t *testing.T, e *env, rep salesprocess.RepID) []training.Certificate {
	t.Helper()
	var out []training.Certificate
	for c, err := range e.store.ListCertificates(e.ctx, training.CertificateFilter{Rep: rep}) {
		require.NoError(t, err)
		out = append(out, c)
	}
	return out
}

// certifyIncomplete calls Certify and checks that it refuses with an
// IncompleteError naming missing and since, writing nothing.
func certifyIncomplete(t *testing.T, e *env, cs *countingStore, rep salesprocess.RepID, cur training.CurriculumID, since time.Time, missing ...training.ModuleID) {
	t.Helper()
	w := cs.writes.Load()
	_, err := e.trainer.Certify(e.ctx, rep, cur)
	var ie *training.IncompleteError
	require.ErrorAs(t, err, &ie)
	require.ErrorIs(t, err, salesprocess.ErrForbidden)
	assert.Equal(t, missing, ie.Missing)
	assert.Contains(t, err.Error(), "modules not passed since "+since.Format(time.RFC3339)+": ")
	assert.Equal(t, w, cs.writes.Load(), "nothing written")
}

// While a rep's certificate is valid, Certify renews it only once the rep
// has passed every module of the curriculum again since it was issued;
// until then it returns the stored certificate unchanged and writes
// nothing, however often it is called, so a certificate cannot be kept
// by calling Certify before each expiry.
func TestCertifyRenewsOnlyFromNewPasses(t *testing.T) {
	e, cs := newCountingEnv(t)
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	e.attempt(t, "a2", "r1", "phone", 80)
	c, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	certifyUnchanged(t, e, cs, "r1", "p1-phone", c, "a retry")
	certifyUnchanged(t, e, cs, "r1", "p1-phone", c, "another retry")

	// A day before it expires, with no pass since it was issued.
	e.clock.Set(c.Expires.Add(-day))
	certifyUnchanged(t, e, cs, "r1", "p1-phone", c, "a renewal without new passes")

	// One module passed again is not enough.
	e.attempt(t, "a3", "r1", "phone", 90)
	certifyUnchanged(t, e, cs, "r1", "p1-phone", c, "a renewal with one module passed again")

	// Every module passed again renews it from now.
	e.attempt(t, "a4", "r1", "p1-basics", 8)
	now := e.clock.Peek()
	renewed, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	assert.Equal(t, training.Certificate{Rep: "r1", Product: "p1", Channel: "phone", BriefVersion: v("1.0"), Curriculum: "p1-phone",
		Issued: now, Expires: now.AddDate(1, 0, 0)}, renewed)
	assert.Equal(t, []training.Certificate{renewed}, storedCertificates(t, e, "r1"))
	require.NoError(t, e.trainer.Readiness().Eligible(e.ctx, "r1", "p1", "phone", c.Expires))

	// The renewed certificate needs passes made since its own issue.
	certifyUnchanged(t, e, cs, "r1", "p1-phone", renewed, "a retry of the renewal")

	// Once it has expired, Certify refuses, counting passes from its
	// expiry.
	e.clock.Set(renewed.Expires)
	certifyIncomplete(t, e, cs, "r1", "p1-phone", renewed.Expires, "p1-basics", "phone")
}

// The passes that earned a certificate do not renew it, even those made
// at the very time it was issued (a clock that stands still, a coarse
// one, times the caller set): with such a clock a retry of Certify returns
// the same certificate, and a Certify shortly before the expiry returns it
// unchanged rather than renewing it for another year from those passes.
func TestCertifyRetryAtTheSameTime(t *testing.T) {
	e := newEnv(t)
	at := t0.Add(time.Hour)
	clock := salesprocess.FixedClock(at)
	tr := training.NewTrainer(e.store, e.trainer.Catalog(), &training.Options{Clock: clock})
	for _, a := range []training.Attempt{{ID: "a1", Rep: "r1", Module: "p1-basics", Score: 9}, {ID: "a2", Rep: "r1", Module: "phone", Score: 80}} {
		_, err := tr.RecordAttempt(e.ctx, a)
		require.NoError(t, err)
	}
	c, err := tr.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	again, err := tr.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	assert.Equal(t, c, again)

	late := training.NewTrainer(e.store, e.trainer.Catalog(), &training.Options{Clock: salesprocess.FixedClock(c.Expires.Add(-time.Hour))})
	kept, err := late.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	assert.Equal(t, c, kept, "not renewed from the passes made when it was issued")
}

// A certificate earned on an earlier major version of the brief than the
// one in force is outdated: Readiness refuses the rep, so Certify neither
// returns it nor renews it from the passes that earned it. It issues a
// certificate on the brief in force once the rep has passed every module
// again since the outdated one was issued (the product-knowledge module on
// the major version in force), and refuses until then.
func TestCertifyOutdated(t *testing.T) {
	e, cs := newCountingEnv(t)
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	e.attempt(t, "a2", "r1", "phone", 80)
	c, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)

	b2 := testBrief("2.0")
	b2.Published = c.Issued.Add(day)
	require.NoError(t, e.trainer.PublishBrief(e.ctx, b2))
	mods := testModules()
	mods[0].BriefVersion = v("2.0")
	curs := testCurricula()
	cat, err := training.NewCatalog(mods, curs)
	require.NoError(t, err)
	e.clock.Set(b2.Published.Add(time.Hour))
	e.trainer = training.NewTrainer(cs, cat, &training.Options{Clock: e.clock})
	st, err := e.trainer.Readiness().Status(e.ctx, "r1", "p1", e.clock.Peek())
	require.NoError(t, err)
	require.Equal(t, training.CertOutdated, st)

	certifyIncomplete(t, e, cs, "r1", "p1-phone", c.Issued, "p1-basics", "phone")
	e.attempt(t, "a3", "r1", "p1-basics", 9) // on brief 2.0
	certifyIncomplete(t, e, cs, "r1", "p1-phone", c.Issued, "phone")
	assert.Equal(t, []training.Certificate{c}, storedCertificates(t, e, "r1"), "the refusals changed nothing")

	e.attempt(t, "a4", "r1", "phone", 75)
	now := e.clock.Peek()
	got, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	assert.Equal(t, training.Certificate{Rep: "r1", Product: "p1", Channel: "phone", BriefVersion: v("2.0"), Curriculum: "p1-phone",
		Issued: now, Expires: now.AddDate(1, 0, 0)}, got)
	require.NoError(t, e.trainer.Readiness().Eligible(e.ctx, "r1", "p1", "phone", now))
}

// A certificate issued after the time of the trainer's clock (by a
// trainer whose clock runs ahead, say) has no passes made since its issue
// by that time: Certify returns it unchanged, as a retry returns a
// certificate just issued, rather than replacing it with one issued
// earlier from the passes that earned it.
func TestCertifyClockBehind(t *testing.T) {
	e, cs := newCountingEnv(t)
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	e.attempt(t, "a2", "r1", "phone", 80)
	ahead := training.NewTrainer(e.store, e.trainer.Catalog(), &training.Options{Clock: salesprocess.FixedClock(t0.Add(time.Hour))})
	c, err := ahead.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	require.True(t, e.clock.Peek().Before(c.Issued))
	certifyUnchanged(t, e, cs, "r1", "p1-phone", c, "certify with the clock behind")
}

// A certificate for every channel covers each channel, and one for a
// channel is part of what one for every channel covers: Certify counts
// the passes from the issue (or, once it lapsed, the expiry) of each of
// the rep's certificates for the product whose work overlaps the one it
// would issue, so that neither can extend or restore the other from the
// passes that earned it. A certificate for another single channel does
// not count.
func TestCertifyAcrossChannels(t *testing.T) {
	pass := func(t *testing.T, e *env, prefix string) {
		e.attempt(t, training.AttemptID(prefix+"1"), "r1", "p1-basics", 9)
		e.attempt(t, training.AttemptID(prefix+"2"), "r1", "phone", 80)
	}
	t.Run("channel_after_every_channel", func(t *testing.T) {
		e, cs := newCountingEnv(t)
		pass(t, e, "a")
		all, err := e.trainer.Certify(e.ctx, "r1", "p1-all")
		require.NoError(t, err)
		certifyIncomplete(t, e, cs, "r1", "p1-phone", all.Issued, "p1-basics", "phone")
		pass(t, e, "b")
		phone, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
		require.NoError(t, err)
		assert.Equal(t, []training.Certificate{all, phone}, storedCertificates(t, e, "r1"))
	})
	t.Run("every_channel_after_channel", func(t *testing.T) {
		e, cs := newCountingEnv(t)
		pass(t, e, "a")
		phone, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
		require.NoError(t, err)
		certifyIncomplete(t, e, cs, "r1", "p1-all", phone.Issued, "p1-basics")
		e.attempt(t, "b1", "r1", "p1-basics", 9)
		all, err := e.trainer.Certify(e.ctx, "r1", "p1-all")
		require.NoError(t, err)
		assert.Equal(t, []training.Certificate{all, phone}, storedCertificates(t, e, "r1"))
	})
	t.Run("channel_after_withdrawn_every_channel", func(t *testing.T) {
		e, cs := newCountingEnv(t)
		pass(t, e, "a")
		all, err := e.trainer.Certify(e.ctx, "r1", "p1-all")
		require.NoError(t, err)
		pass(t, e, "b") // after the issue, before the withdrawal
		withdrawn := e.clock.Peek()
		all.Expires = withdrawn
		require.NoError(t, e.store.PutCertificate(e.ctx, all))
		e.clock.Set(withdrawn.Add(time.Hour))
		certifyIncomplete(t, e, cs, "r1", "p1-phone", withdrawn, "p1-basics", "phone")
		certifyIncomplete(t, e, cs, "r1", "p1-all", withdrawn, "p1-basics")
	})
	t.Run("renewal_after_withdrawn_channel", func(t *testing.T) {
		// The rep's certificate for every channel is valid, the one for
		// phone was withdrawn since: renewing the one for every channel,
		// which covers phone, needs passes made since the withdrawal.
		e, cs := newCountingEnv(t)
		pass(t, e, "a")
		all, err := e.trainer.Certify(e.ctx, "r1", "p1-all")
		require.NoError(t, err)
		pass(t, e, "b")
		phone, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
		require.NoError(t, err)
		e.attempt(t, "c1", "r1", "p1-basics", 9) // since both were issued
		withdrawn := e.clock.Peek()
		phone.Expires = withdrawn
		require.NoError(t, e.store.PutCertificate(e.ctx, phone))
		e.clock.Set(withdrawn.Add(time.Hour))
		certifyUnchanged(t, e, cs, "r1", "p1-all", all, "renewal without a pass since the withdrawal")
		e.attempt(t, "d1", "r1", "web", 90) // not in the curriculum
		certifyUnchanged(t, e, cs, "r1", "p1-all", all, "renewal with a pass of another module")
	})
	t.Run("another_channel", func(t *testing.T) {
		e, _ := newCountingEnv(t)
		pass(t, e, "a")
		phone, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
		require.NoError(t, err)
		e.attempt(t, "b1", "r1", "web", 90)
		web, err := e.trainer.Certify(e.ctx, "r1", "p1-web")
		require.NoError(t, err, "the pass of p1-basics before the phone certificate counts for web")
		assert.Equal(t, []training.Certificate{phone, web}, storedCertificates(t, e, "r1"))
	})
}

// Passes count from the very time of a withdrawal on ("at or after"): a
// rep who passes every module again at the time the certificate was
// withdrawn is certified again from those passes.
func TestCertifyCountsPassesAtTheWithdrawal(t *testing.T) {
	e, cs := newCountingEnv(t)
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	e.attempt(t, "a2", "r1", "phone", 80)
	c, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	withdrawn := c.Issued.Add(day)
	c.Expires = withdrawn
	require.NoError(t, e.store.PutCertificate(e.ctx, c))
	e.clock.Set(withdrawn.Add(time.Hour))
	certifyIncomplete(t, e, cs, "r1", "p1-phone", withdrawn, "p1-basics", "phone")

	for _, a := range []training.Attempt{
		{ID: "b1", Rep: "r1", Module: "p1-basics", Score: 9, Time: withdrawn},
		{ID: "b2", Rep: "r1", Module: "phone", Score: 80, Time: withdrawn},
	} {
		_, err := e.trainer.RecordAttempt(e.ctx, a)
		require.NoError(t, err)
	}
	now := e.clock.Peek()
	again, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err, "passes made at the time of the withdrawal count")
	assert.Equal(t, training.Certificate{Rep: "r1", Product: "p1", Channel: "phone", BriefVersion: v("1.0"), Curriculum: "p1-phone",
		Issued: now, Expires: now.AddDate(1, 0, 0)}, again)
}
