package training_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// A certificate withdrawn with a time before its issue (put again with an
// Expires earlier than its Issued) still needs passes made after its
// issue: the passes that earned it do not certify the rep again.
func TestCertifyAfterAWithdrawalTimedBeforeTheIssue(t *testing.T) {
	e, cs := newCountingEnv(t)
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	e.attempt(t, "a2", "r1", "phone", 80)
	c, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err)
	c.Expires = c.Issued.Add(-time.Hour)
	require.NoError(t, e.store.PutCertificate(e.ctx, c))
	e.clock.Set(c.Issued.Add(time.Hour))
	certifyIncomplete(t, e, cs, "r1", "p1-phone", c.Issued, "p1-basics", "phone")
}

// Of two certificates whose times to count passes from are the same, one
// lapsed at that time (from which passes count) and one issued then (after
// which they count), the later rule holds: the passes made at that very
// time, which earned the one issued then, do not renew it.
func TestCertifyCountsAfterAnIssueAtTheTimeOfAnotherLapse(t *testing.T) {
	e, cs := newCountingEnv(t)
	e.attempt(t, "a1", "r1", "p1-basics", 9)
	all, err := e.trainer.Certify(e.ctx, "r1", "p1-all")
	require.NoError(t, err)
	x := all.Issued.Add(time.Hour)
	all.Expires = x // withdrawn at x
	require.NoError(t, e.store.PutCertificate(e.ctx, all))
	e.clock.Set(x) // the passes are recorded once made, at x
	for _, a := range []training.Attempt{
		{ID: "b1", Rep: "r1", Module: "p1-basics", Score: 9, Time: x},
		{ID: "b2", Rep: "r1", Module: "phone", Score: 80, Time: x},
	} {
		_, err := e.trainer.RecordAttempt(e.ctx, a)
		require.NoError(t, err)
	}
	e.clock.Set(x)
	phone, err := e.trainer.Certify(e.ctx, "r1", "p1-phone")
	require.NoError(t, err, "passes at the withdrawal count")
	require.Equal(t, x, phone.Issued)

	e.clock.Set(x.Add(time.Hour))
	certifyUnchanged(t, e, cs, "r1", "p1-phone", phone, "a renewal from the passes that earned it")
}

// A module passed only on other major versions of the brief than the one
// in force is reported with the latest of those versions, whatever the
// order the passes were made in.
func TestIncompleteNamesTheLatestVersionPassedOn(t *testing.T) {
	e := newEnv(t)
	for i, ver := range []string{"2.0", "3.0"} {
		b := testBrief(ver)
		b.Published = t0.Add(time.Duration(i+1) * day)
		require.NoError(t, e.trainer.PublishBrief(e.ctx, b))
	}
	teaching := func(ver string, at time.Time) *training.Trainer {
		mods := testModules()
		mods[0].BriefVersion = v(ver)
		cat, err := training.NewCatalog(mods, testCurricula())
		require.NoError(t, err)
		return training.NewTrainer(e.store, cat, &training.Options{Clock: salesprocess.FixedClock(at)})
	}
	// A pass on 2.0, then, through a trainer with an older catalog, one
	// on 1.0.
	_, err := teaching("2.0", t0.Add(day+time.Hour)).RecordAttempt(e.ctx, training.Attempt{ID: "a1", Rep: "r1", Module: "p1-basics", Score: 9, Time: t0.Add(day + time.Hour)})
	require.NoError(t, err)
	_, err = teaching("1.0", t0.Add(day+2*time.Hour)).RecordAttempt(e.ctx, training.Attempt{ID: "a2", Rep: "r1", Module: "p1-basics", Score: 9, Time: t0.Add(day + 2*time.Hour)})
	require.NoError(t, err)

	_, err = teaching("3.0", t0.Add(2*day+time.Hour)).Certify(e.ctx, "r1", "p1-all")
	var ie *training.IncompleteError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "p1-basics (brief 3.0 is in force and needs a pass on major version 3; passed on brief 2.0)")
}
