package training_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// sharers is the number of goroutines of the tests of this file.
const sharers = 16

// One Checker checks texts from many goroutines at once, each of which
// changes the reports it gets: every goroutine gets the report a serial
// check gives, each time. Run with -race.
func TestCheckerSharedConcurrently(t *testing.T) {
	b := testBrief("1.0",
		training.Claim{Phrase: "guaranteed returns", Variants: []string{"returns guaranteed"}, Reason: "advice", Severity: training.SeverityCritical},
		training.Claim{Phrase: "free", Reason: "charged", Severity: training.SeverityWarning},
		training.Claim{Phrase: "no risk at all", Reason: "untrue", Severity: training.SeverityCritical},
	)
	b.Disclosures = []training.Disclosure{
		{Phrase: "prices exclude installation", Severity: training.SeverityWarning},
		{Phrase: "while stocks last", Severity: training.SeverityInfo},
	}
	c, err := training.NewChecker(b, "")
	require.NoError(t, err)
	texts := []string{
		"Our kit has GUARANTEED   returns - and setup is free.",
		"Returns, guaranteed! No risk at all; prices exclude installation.",
		"A clean text, while stocks last; prices exclude installation.",
		"free free free, no-risk at all",
		"",
	}
	want := make([]training.Report, len(texts))
	for i, text := range texts {
		want[i] = c.Check(text)
	}
	require.Len(t, want[0].Violations, 2)
	require.Len(t, want[0].Missing, 2)
	require.True(t, want[2].Clean())

	const rounds = 20
	got := make([][]training.Report, sharers)
	var wg sync.WaitGroup
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds * len(texts) {
				k := (i + w) % len(texts)
				r := c.Check(texts[k])
				got[w] = append(got[w], r)
				// The report is the caller's: changing it changes no
				// other report.
				r = c.Check(texts[k])
				for j := range r.Violations {
					r.Violations[j].Claim, r.Violations[j].Matched = "changed", "changed"
				}
				for j := range r.Missing {
					r.Missing[j].Phrase = "changed"
				}
			}
		}()
	}
	wg.Wait()
	for w := range sharers {
		require.Len(t, got[w], rounds*len(texts), "goroutine %d", w)
		for i, r := range got[w] {
			assert.Equal(t, want[(i+w)%len(texts)], r, "goroutine %d, check %d", w, i)
		}
	}
	assert.Equal(t, want[0], c.Check(texts[0]), "after the changes to its reports")
}

// One Catalog is read from many goroutines at once, each of which changes
// the curricula it gets: every read gives what the catalog was built
// with. Run with -race.
func TestCatalogSharedConcurrently(t *testing.T) {
	cat, err := training.NewCatalog(testModules(), testCurricula())
	require.NoError(t, err)
	wantCurricula := testCurricula()
	wantModules := testModules()
	const rounds = 50
	errs := make([]error, sharers)
	var wg sync.WaitGroup
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = func() error {
				for range rounds {
					for _, want := range wantCurricula {
						cu, ok := cat.Curriculum(want.ID)
						if !ok || cu.Title != want.Title || fmt.Sprint(cu.Modules) != fmt.Sprint(want.Modules) {
							return fmt.Errorf("Curriculum(%s) = %v, %v; want %v", want.ID, cu, ok, want)
						}
						cu.Modules[0] = "changed"
					}
					all := cat.Curricula("p1")
					if len(all) != len(wantCurricula) {
						return fmt.Errorf("Curricula(p1) has %d curricula, want %d", len(all), len(wantCurricula))
					}
					for i, cu := range all {
						if cu.ID != wantCurricula[i].ID || fmt.Sprint(cu.Modules) != fmt.Sprint(wantCurricula[i].Modules) {
							return fmt.Errorf("Curricula(p1)[%d] = %v, want %v", i, cu, wantCurricula[i])
						}
						cu.Modules[len(cu.Modules)-1] = "changed"
					}
					for _, want := range wantModules {
						if m, ok := cat.Module(want.ID); !ok || m != want {
							return fmt.Errorf("Module(%s) = %v, %v; want %v", want.ID, m, ok, want)
						}
					}
				}
				return nil
			}()
		}()
	}
	wg.Wait()
	for w, err := range errs {
		assert.NoError(t, err, "goroutine %d", w)
	}
}

// One Readiness, on a store that is safe for concurrent use, answers many
// goroutines at once: each gets, for every rep, channel and time, the
// verdict, status and listing a serial run gives. Run with -race.
func TestReadinessSharedConcurrently(t *testing.T) {
	e := newEnv(t)
	e.attempt(t, "a1", "ann", "p1-basics", 9)
	e.attempt(t, "a2", "ann", "phone", 80)
	_, err := e.trainer.Certify(e.ctx, "ann", "p1-phone")
	require.NoError(t, err)
	e.attempt(t, "b1", "bob", "p1-basics", 10)
	bob, err := e.trainer.Certify(e.ctx, "bob", "p1-all")
	require.NoError(t, err)
	bob.Expires = t0.AddDate(0, 2, 0)
	require.NoError(t, e.store.PutCertificate(e.ctx, bob))
	zone := time.FixedZone("UTC+2", 2*60*60)
	r := training.NewReadiness(e.store, e.store, &training.Options{Location: func(salesprocess.RepID) *time.Location { return zone }})

	type ask struct {
		rep     salesprocess.RepID
		channel salesprocess.ChannelID
		at      time.Time
	}
	var asks []ask
	for _, rep := range []salesprocess.RepID{"ann", "bob", "cid"} {
		for _, ch := range []salesprocess.ChannelID{"", "phone", "web"} {
			for _, months := range []int{0, 1, 3, 13} {
				asks = append(asks, ask{rep, ch, t0.AddDate(0, months, 1)})
			}
		}
	}
	type answer struct {
		verdict  training.Verdict
		status   training.CertStatus
		expiring int
	}
	window := salesprocess.Year(2026, time.UTC)
	answerOf := func(a ask) (answer, error) {
		v, err := r.Check(e.ctx, a.rep, "p1", a.channel, a.at)
		if err != nil {
			return answer{}, err
		}
		st, err := r.Status(e.ctx, a.rep, "p1", a.at)
		if err != nil {
			return answer{}, err
		}
		n := 0
		for _, err := range r.Expiring(e.ctx, window) {
			if err != nil {
				return answer{}, err
			}
			n++
		}
		return answer{v, st, n}, nil
	}
	want := make([]answer, len(asks))
	for i, a := range asks {
		want[i], err = answerOf(a)
		require.NoError(t, err)
	}
	ready := 0
	for _, w := range want {
		if w.verdict.Ready {
			ready++
		}
	}
	require.Positive(t, ready, "some verdicts are ready")
	require.Less(t, ready, len(want), "some verdicts are not ready")
	require.Equal(t, 1, want[0].expiring, "bob's certificate expires in 2026, ann's in 2027")

	got := make([][]answer, sharers)
	errs := make([]error, sharers)
	var wg sync.WaitGroup
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range asks {
				a, err := answerOf(asks[(i+w)%len(asks)])
				if err != nil {
					errs[w] = err
					return
				}
				got[w] = append(got[w], a)
			}
		}()
	}
	wg.Wait()
	for w := range sharers {
		require.NoError(t, errs[w], "goroutine %d", w)
		for i, a := range got[w] {
			k := (i + w) % len(asks)
			assert.Equal(t, want[k], a, "goroutine %d: %s on %q at %s", w, asks[k].rep, asks[k].channel, asks[k].at)
		}
	}
}

// One Trainer takes issues of one pilot from 16 goroutines at once: each
// call stores its issue or fails with ErrConflict and stores nothing, the
// pilot's Rev counts the calls that stored, and callers that retry on
// ErrConflict, as the doc says to, get every issue stored once. Run with
// -race.
func TestOpenIssueConcurrentConflicts(t *testing.T) {
	e := newEnv(t)
	_, err := e.trainer.StartPilot(e.ctx, testPilot(training.Criteria{}))
	require.NoError(t, err)
	issue := func(w int) training.Issue {
		return training.Issue{ID: training.IssueID(fmt.Sprint("I", w)), Title: fmt.Sprint("issue ", w), Severity: training.SeverityWarning, Opened: t0}
	}

	// One call each: the winners' issues are stored, the losers' not.
	won := make([]bool, sharers)
	errs := make([]error, sharers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := e.trainer.OpenIssue(e.ctx, "f1", issue(w))
			switch {
			case err == nil:
				won[w] = true
			case !errors.Is(err, salesprocess.ErrConflict):
				errs[w] = err
			}
		}()
	}
	close(start)
	wg.Wait()
	p, err := e.store.GetPilot(e.ctx, "f1")
	require.NoError(t, err)
	wins := 0
	for w := range sharers {
		require.NoError(t, errs[w], "goroutine %d: an error other than ErrConflict", w)
		has := slices.ContainsFunc(p.Issues, func(is training.Issue) bool { return is.ID == issue(w).ID })
		assert.Equal(t, won[w], has, "goroutine %d: its issue is stored if and only if its call succeeded", w)
		if won[w] {
			wins++
		}
	}
	require.Positive(t, wins)
	assert.Len(t, p.Issues, wins)
	assert.Equal(t, int64(1+wins), p.Rev, "one write per successful call")

	// The losers retry until they are stored.
	for w := range sharers {
		if won[w] {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := e.trainer.OpenIssue(e.ctx, "f1", issue(w))
				if !errors.Is(err, salesprocess.ErrConflict) {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for w := range sharers {
		require.NoError(t, errs[w], "goroutine %d, retrying", w)
	}
	p, err = e.store.GetPilot(e.ctx, "f1")
	require.NoError(t, err)
	assert.Len(t, p.Issues, sharers)
	assert.Equal(t, int64(1+sharers), p.Rev)
}
