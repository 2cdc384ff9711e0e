package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// OnRefused hears of refusals only: a command that fails after the Policy
// saw its record, on a move the machine does not allow or on an
// Eligibility that cannot tell, is not reported.
func TestOnRefusedHearsOnlyRefusals(t *testing.T) {
	ctx := context.Background()
	audit := &auditLog{}
	boom := errors.New("training store down")
	s := pipelinetest.NewScenario(t, &pipeline.Options{
		OnRefused: audit.record,
		Eligibility: pipeline.EligibilityFunc(func(context.Context, sp.RepID, sp.ProductID, sp.ChannelID, time.Time) error {
			return boom
		}),
	})
	// Received without an owner: the Eligibility is not asked.
	in := pipelinetest.NewInquiry("i1")
	in.Owner = ""
	_, err := s.Engine.ReceiveInquiry(ctx, system, in, nil)
	require.NoError(t, err)
	_, err = s.Engine.Qualify(ctx, system, "i1", nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	_, err = s.Engine.AssignInquiry(ctx, system, "i1", pipelinetest.RepBob, nil)
	require.ErrorIs(t, err, boom)
	assert.Empty(t, audit.refusals())
}

// An Eligibility that cannot tell (a storage failure) fails the command
// with its own error, passed through as it is: neither worded nor wrapped
// as a refusal.
func TestEligibilityFailurePassesThrough(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("training store down")
	s := pipelinetest.NewScenario(t, &pipeline.Options{
		Eligibility: pipeline.EligibilityFunc(func(_ context.Context, rep sp.RepID, _ sp.ProductID, _ sp.ChannelID, _ time.Time) error {
			if rep == pipelinetest.RepBob {
				return boom
			}
			return nil
		}),
	})
	_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.AssignDeal(ctx, system, "d1", pipelinetest.RepBob, nil)
	require.ErrorIs(t, err, boom)
	assert.NotErrorIs(t, err, sp.ErrForbidden)
	assert.NotContains(t, err.Error(), "may not own work")
}

// The Policy sees the rep an inquiry is assigned to as the Target's
// NewOwner, and no NewOwner for the inquiry's other commands.
func TestAssignInquiryShowsThePolicyTheNewOwner(t *testing.T) {
	ctx := context.Background()
	var seen []pipeline.Target
	s := pipelinetest.NewScenario(t, &pipeline.Options{Policy: pipeline.PolicyFunc(func(_ context.Context, _ sp.Actor, _ pipeline.Command, tg pipeline.Target) error {
		seen = append(seen, tg)
		return nil
	})})
	_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	_, err = s.Engine.AssignInquiry(ctx, system, "i1", pipelinetest.RepBob, nil)
	require.NoError(t, err)
	_, err = s.Engine.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
	require.NoError(t, err)
	require.Len(t, seen, 3)
	assert.Empty(t, seen[0].NewOwner)
	assert.Equal(t, pipelinetest.RepBob, seen[1].NewOwner)
	assert.Equal(t, pipelinetest.RepAnn, seen[1].Owner, "the record before the assignment")
	assert.Empty(t, seen[2].NewOwner)
}

// DefaultPolicy lets a rep act on records they own only: a record without
// an owner is no rep's, even for an actor with an empty ID, which a host
// that calls DefaultPolicy from its own policy may pass on.
func TestDefaultPolicyRefusesAnOwnerlessRecordToAnyRep(t *testing.T) {
	for _, a := range []sp.Actor{{Role: sp.RoleRep}, pipelinetest.Rep(pipelinetest.RepAnn)} {
		err := pipeline.DefaultPolicy{}.Authorize(context.Background(), a, pipeline.CmdContact, pipeline.Target{Kind: "inquiry", ID: "i1", Region: pipelinetest.RegionNorth})
		assert.ErrorIs(t, err, sp.ErrForbidden, "actor %q", a.ID)
	}
}

// DefaultPolicy refuses a manager a record of no region, as of a region
// they do not manage, and says what is missing rather than naming an
// empty region.
func TestDefaultPolicyRefusesAManagerARecordOfNoRegion(t *testing.T) {
	m := sp.Actor{ID: "mia", Role: sp.RoleManager, Regions: []sp.RegionID{pipelinetest.RegionNorth}}
	err := pipeline.DefaultPolicy{}.Authorize(context.Background(), m, pipeline.CmdWin, pipeline.Target{Kind: "deal", ID: "d1"})
	require.ErrorIs(t, err, sp.ErrForbidden)
	assert.Equal(t, `pipeline: manager "mia" manages regions, and deal "d1" has none: set its region, or act as an admin: salesprocess: forbidden`, err.Error())
	err = pipeline.DefaultPolicy{}.Authorize(context.Background(), m, pipeline.CmdWin, pipeline.Target{Kind: "deal", ID: "d1", Region: "south"})
	require.ErrorIs(t, err, sp.ErrForbidden)
	assert.Contains(t, err.Error(), `does not manage region "south" of deal "d1"`)
}

// A DealIDFor that gives an ID a deal may not have fails the conversion
// with an error wrapping sp.ErrInvalid that names "deal_id", storing
// nothing.
func TestConvertRefusesAMalformedDealID(t *testing.T) {
	ctx := context.Background()
	for _, id := range []sp.DealID{"", sp.DealID(strings.Repeat("x", 200)), "a\x00b"} {
		s := pipelinetest.NewScenario(t, &pipeline.Options{DealIDFor: func(sp.InquiryID) sp.DealID { return id }})
		_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
		require.NoError(t, err)
		_, err = s.Engine.Contact(ctx, system, "i1", pipeline.Activity{}, nil)
		require.NoError(t, err)
		in, err := s.Engine.Qualify(ctx, system, "i1", nil)
		require.NoError(t, err)
		n := len(s.Events.Events())

		_, _, err = s.Engine.Convert(ctx, system, "i1", pipeline.Conversion{}, nil)
		require.ErrorIs(t, err, sp.ErrInvalid, "id %q", id)
		var ve *sp.ValidationError
		if assert.ErrorAs(t, err, &ve) {
			assert.Equal(t, "deal_id", ve.Field)
		}
		after, err := s.Engine.GetInquiry(ctx, "i1")
		require.NoError(t, err)
		assert.Equal(t, in, after, "the inquiry is as it was")
		for d, err := range s.Engine.ListDeals(ctx, pipeline.DealFilter{}) {
			require.NoError(t, err)
			t.Errorf("deal %q stored", d.ID)
		}
		assert.Len(t, s.Events.Events(), n, "no event")
	}
}

// The outcome a keyed command records is timed as its change is.
func TestOutcomeIsTimedAsTheChange(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	s.Clock.Set(pipelinetest.Epoch().Add(3 * time.Hour))
	d, err := s.Engine.Win(ctx, system, "d1", &pipeline.CommandOptions{IdempotencyKey: "win-1"})
	require.NoError(t, err)
	o, err := s.Store.GetOutcome(ctx, "win-1")
	require.NoError(t, err)
	assert.Equal(t, d.Closed, o.At)
	assert.Equal(t, pipelinetest.Epoch().Add(3*time.Hour), o.At)
}

// Overdue takes the open inquiries only, as they are stored: one closed
// after the engine's time (a clock behind another host's) is not judged
// as it was at that time.
func TestOverdueSkipsInquiriesClosedAfterTheClock(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	_, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	require.NoError(t, err)
	s.Clock.Set(pipelinetest.Epoch().Add(3 * time.Hour))
	_, err = s.Engine.Disqualify(ctx, system, "i1", "spam", nil)
	require.NoError(t, err)

	s.Clock.Set(pipelinetest.Epoch().Add(2 * time.Hour))
	p := pipeline.FollowUpPolicy{FirstContact: time.Hour}
	for o, err := range s.Engine.Overdue(ctx, p, pipeline.InquiryFilter{}) {
		require.NoError(t, err)
		t.Errorf("inquiry %q reported overdue", o.Inquiry)
	}
}

// raceStore is a MemStore, without its transactions, whose UpdateDeal may
// first do what a concurrent run of a command (in another process, which
// the engine's key locks do not reach) would have done.
type raceStore struct {
	pipeline.Store
	mem      *pipelinetest.MemStore
	onUpdate func(ctx context.Context) error
}

func newRaceStore() *raceStore {
	m := pipelinetest.NewMemStore()
	return &raceStore{Store: m, mem: m}
}

func (s *raceStore) UpdateDeal(ctx context.Context, d pipeline.Deal, expected int64) error {
	if s.onUpdate != nil {
		if err := s.onUpdate(ctx); err != nil {
			return err
		}
	}
	return s.Store.UpdateDeal(ctx, d, expected)
}

func (s *raceStore) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	return s.mem.GetOutcome(ctx, key)
}

func (s *raceStore) AddOutcome(ctx context.Context, o pipeline.Outcome) error {
	return s.mem.AddOutcome(ctx, o)
}

// A keyed run that fails because another command took its key meanwhile
// (its update conflicting with that command's change) reports the reuse
// of the key, as a retry would, rather than the conflict.
func TestFailedRunReportsTheKeyTakenMeanwhile(t *testing.T) {
	ctx := context.Background()
	rs := newRaceStore()
	e, err := pipeline.NewEngine(rs, rs, &pipeline.Options{Clock: pipelinetest.NewClock()})
	require.NoError(t, err)
	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	rs.onUpdate = func(ctx context.Context) error {
		rs.onUpdate = nil
		other := pipeline.Outcome{Key: "k1", Command: pipeline.CmdAdvance, Fingerprint: "other", Subject: "d1", Version: 2,
			Result: json.RawMessage(`{}`), At: pipelinetest.Epoch()}
		if err := rs.mem.AddOutcome(ctx, other); err != nil {
			return err
		}
		return fmt.Errorf("deal d1 changed: %w", sp.ErrConflict)
	}
	_, err = e.Win(ctx, system, "d1", &pipeline.CommandOptions{IdempotencyKey: "k1"})
	require.ErrorIs(t, err, pipeline.ErrKeyReused)
	assert.NotErrorIs(t, err, sp.ErrConflict)
}

// hookedOutcomes is an IdempotencyStore that counts the outcomes read and
// runs onFirst at the first read.
type hookedOutcomes struct {
	*pipelinetest.MemStore
	reads   int
	onFirst func(ctx context.Context)
}

func (s *hookedOutcomes) GetOutcome(ctx context.Context, key string) (pipeline.Outcome, error) {
	s.reads++
	if s.reads == 1 && s.onFirst != nil {
		s.onFirst(ctx)
	}
	return s.MemStore.GetOutcome(ctx, key)
}

// With the outcomes kept outside the DealStore's transactions, the engine
// serializes the runs of one key itself, from before it reads the
// outcome: a second run of the key waits for the first (here it gives up
// at once, its context being done) rather than reading the outcome the
// first has not recorded yet.
func TestKeyedRunsWaitWithOutcomesOutsideTheTransactions(t *testing.T) {
	ctx := context.Background()
	mem := pipelinetest.NewMemStore()
	outs := &hookedOutcomes{MemStore: pipelinetest.NewMemStore()}
	e, err := pipeline.NewEngine(mem, mem, &pipeline.Options{Clock: pipelinetest.NewClock(), Idempotency: outs})
	require.NoError(t, err)
	_, err = e.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	require.NoError(t, err)
	key := &pipeline.CommandOptions{IdempotencyKey: "win-1"}
	var second error
	outs.onFirst = func(context.Context) {
		done, cancel := context.WithCancel(ctx)
		cancel()
		_, second = e.Win(done, system, "d1", key)
	}
	d, err := e.Win(ctx, system, "d1", key)
	require.NoError(t, err)
	assert.Equal(t, int64(2), d.Version)
	assert.ErrorIs(t, second, context.Canceled)
	assert.Equal(t, 1, outs.reads, "the second run read no outcome")
}

// The inquiry ReceiveInquiry returns is the engine's own: it shares no
// activities with the caller's, as the deal OpenDeal returns shares no
// lines.
func TestReceivedInquiryIsTheEnginesOwn(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	in := pipelinetest.NewInquiry("i1")
	in.Activities = []pipeline.Activity{{ID: "a1", Kind: pipeline.ActivityCall, Actor: "rep-ann", Done: pipelinetest.Epoch(), Outcome: "asked for a quote"}}
	got, err := s.Engine.ReceiveInquiry(ctx, system, in, nil)
	require.NoError(t, err)
	in.Activities[0].Outcome = "changed"
	require.Len(t, got.Activities, 1)
	assert.Equal(t, "asked for a quote", got.Activities[0].Outcome)
}
