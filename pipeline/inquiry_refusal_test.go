package pipeline_test

import (
	"context"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inquiryIn receives the inquiry "i1" through s, with the planned activity
// "p1", and moves it to stage st as the system; a converted one becomes
// the deal "d-i1" (its engine's DealIDFor must give that ID).
func inquiryIn(t *testing.T, s *pipelinetest.Scenario, st pipeline.InquiryStage) {
	t.Helper()
	ctx := context.Background()
	sys := pipelinetest.System()
	_, err := s.Receive(ctx, pipelinetest.NewInquiry("i1"))
	require.NoError(t, err)
	planned := pipeline.Activity{ID: "p1", Kind: pipeline.ActivityCall, Due: pipelinetest.Epoch().AddDate(0, 0, 2)}
	_, err = s.Engine.LogInquiryActivity(ctx, sys, "i1", planned, nil)
	require.NoError(t, err)
	var steps []func() error
	contact := func() error { _, err := s.Engine.Contact(ctx, sys, "i1", pipeline.Activity{}, nil); return err }
	qualify := func() error { _, err := s.Engine.Qualify(ctx, sys, "i1", nil); return err }
	switch st {
	case pipeline.InquiryContacted:
		steps = append(steps, contact)
	case pipeline.InquiryQualified:
		steps = append(steps, contact, qualify)
	case pipeline.InquiryConverted:
		steps = append(steps, contact, qualify, func() error {
			_, _, err := s.Engine.Convert(ctx, sys, "i1", hintTerms, nil)
			return err
		})
	case pipeline.InquiryDisqualified:
		steps = append(steps, func() error { _, err := s.Engine.Disqualify(ctx, sys, "i1", "a student's project", nil); return err })
	}
	for _, step := range steps {
		require.NoError(t, step())
	}
	in, err := s.Engine.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	require.Equal(t, st, in.Stage)
}

var hintTerms = pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100.00"), ExpectedClose: pipelinetest.Epoch().AddDate(0, 1, 0)}}

// inquiryCommand is a command of the Engine on the inquiry "i1", run as
// the system, with the stage its move goes to (the inquiry's own stage
// for one that moves none); it returns the command's error.
type inquiryCommand struct {
	name string
	to   pipeline.InquiryStage // "" for the inquiry's stage
	run  func(ctx context.Context, e *pipeline.Engine) error
}

var inquiryCommands = []inquiryCommand{
	{"assign", "", func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.AssignInquiry(ctx, pipelinetest.System(), "i1", pipelinetest.RepBob, nil)
		return err
	}},
	{"log_activity", "", func(ctx context.Context, e *pipeline.Engine) error {
		a := pipeline.Activity{ID: "a2", Kind: pipeline.ActivityEmail, Due: pipelinetest.Epoch().AddDate(0, 0, 3)}
		_, err := e.LogInquiryActivity(ctx, pipelinetest.System(), "i1", a, nil)
		return err
	}},
	{"complete_activity", "", func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.CompleteInquiryActivity(ctx, pipelinetest.System(), "i1", "p1", pipeline.ActivityCompletion{}, nil)
		return err
	}},
	{"contact", pipeline.InquiryContacted, func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.Contact(ctx, pipelinetest.System(), "i1", pipeline.Activity{ID: "call-2", Kind: pipeline.ActivityCall}, nil)
		return err
	}},
	{"qualify", pipeline.InquiryQualified, func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.Qualify(ctx, pipelinetest.System(), "i1", nil)
		return err
	}},
	{"disqualify", pipeline.InquiryDisqualified, func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.Disqualify(ctx, pipelinetest.System(), "i1", "no budget", nil)
		return err
	}},
	{"reopen_inquiry", pipeline.InquiryNew, func(ctx context.Context, e *pipeline.Engine) error {
		_, err := e.ReopenInquiry(ctx, pipelinetest.System(), "i1", nil)
		return err
	}},
	{"convert", pipeline.InquiryConverted, func(ctx context.Context, e *pipeline.Engine) error {
		_, _, err := e.Convert(ctx, pipelinetest.System(), "i1", hintTerms, nil)
		return err
	}},
}

// Every inquiry command in every inquiry stage: allowed (""), or refused
// with the machine's TransitionError, whose reason says, where there is
// one, what to do instead: the steps to take first (reopening named by its
// command, a manager's act by the default policy), the deal a converted
// inquiry became, or the command that logs a later contact. A refusal
// changes nothing and emits nothing.
func TestInquiryCommandRefusalsSayWhatToDo(t *testing.T) {
	const reopen = "reopen the inquiry first (reopen_inquiry, a manager's act)"
	const converted = `already converted to deal "d-i1"`
	const later = "log a later contact as an activity (log_activity)"
	want := map[pipeline.InquiryStage]map[string]string{
		pipeline.InquiryNew: {
			"qualify":        "new → qualified: no such move; contact the inquiry first",
			"reopen_inquiry": "new → new: already in that stage",
			"convert":        "new → converted: no such move; contact and qualify the inquiry first",
		},
		pipeline.InquiryContacted: {
			"contact":        "contacted → contacted: already in that stage; " + later,
			"reopen_inquiry": "contacted → new: only a closed stage can be reopened",
			"convert":        "contacted → converted: no such move; qualify the inquiry first",
		},
		pipeline.InquiryQualified: {
			"contact":        "qualified → contacted: no such move; " + later,
			"qualify":        "qualified → qualified: already in that stage",
			"reopen_inquiry": "qualified → new: only a closed stage can be reopened",
		},
		pipeline.InquiryConverted: {
			"assign":         "converted → converted: a closed inquiry is not assigned; " + converted,
			"contact":        "converted → contacted: the stage is closed; " + converted,
			"qualify":        "converted → qualified: the stage is closed; " + converted,
			"disqualify":     "converted → disqualified: the stage is closed; " + converted,
			"reopen_inquiry": "converted → new: no such move; " + converted,
			"convert":        "converted → converted: no such move; " + converted,
		},
		pipeline.InquiryDisqualified: {
			"assign":     "disqualified → disqualified: a closed inquiry is not assigned; " + reopen,
			"contact":    "disqualified → contacted: the stage is closed; " + reopen,
			"qualify":    "disqualified → qualified: the stage is closed; " + reopen + ", then contact it",
			"disqualify": "disqualified → disqualified: already in that stage",
			"convert":    "disqualified → converted: no such move; " + reopen + ", then contact and qualify it",
		},
	}
	ctx := context.Background()
	opts := &pipeline.Options{DealIDFor: func(id sp.InquiryID) sp.DealID { return sp.DealID("d-" + id) }}
	for _, st := range []pipeline.InquiryStage{
		pipeline.InquiryNew, pipeline.InquiryContacted, pipeline.InquiryQualified, pipeline.InquiryConverted, pipeline.InquiryDisqualified,
	} {
		for _, cmd := range inquiryCommands {
			text, refused := want[st][cmd.name]
			name := "ok"
			if refused {
				name = "err"
			}
			t.Run(string(st)+"/"+cmd.name+"/"+name, func(t *testing.T) {
				s := pipelinetest.NewScenario(t, opts)
				inquiryIn(t, s, st)
				before, err := s.Engine.GetInquiry(ctx, "i1")
				require.NoError(t, err)
				deals, events := len(s.Deals(t)), len(s.Events.Events())

				err = cmd.run(ctx, s.Engine)
				if !refused {
					assert.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, sp.ErrInvalidTransition)
				var te *pipeline.TransitionError
				require.ErrorAs(t, err, &te)
				to := cmd.to
				if to == "" {
					to = st
				}
				assert.Equal(t, "inquiry", te.Machine)
				assert.Equal(t, cmd.name+` inquiry "i1"`, te.Record)
				assert.Equal(t, string(st), te.From)
				assert.Equal(t, string(to), te.To)
				assert.Empty(t, te.Guard)
				assert.NoError(t, te.Err)
				assert.Equal(t, `pipeline: `+cmd.name+` inquiry "i1": inquiry: `+text, err.Error())

				after, err := s.Engine.GetInquiry(ctx, "i1")
				require.NoError(t, err)
				assert.Equal(t, jsonOf(t, before), jsonOf(t, after), "nothing changed")
				assert.Len(t, s.Deals(t), deals, "no deal opened")
				assert.Len(t, s.Events.Events(), events, "nothing emitted")
			})
		}
	}
}

// Reopening is a manager's act by the default policy only: under a host's
// policy the hint names the command and says no more of who may run it.
func TestInquiryRefusalHintUnderAHostPolicy(t *testing.T) {
	ctx := context.Background()
	anyone := pipeline.PolicyFunc(func(context.Context, sp.Actor, pipeline.Command, pipeline.Target) error { return nil })
	s := pipelinetest.NewScenario(t, &pipeline.Options{Policy: anyone})
	inquiryIn(t, s, pipeline.InquiryDisqualified)
	_, err := s.Engine.Qualify(ctx, pipelinetest.Rep(pipelinetest.RepAnn), "i1", nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	assert.EqualError(t, err,
		`pipeline: qualify inquiry "i1": inquiry: disqualified → qualified: the stage is closed; reopen the inquiry first (reopen_inquiry), then contact it`)

	// The default policy given explicitly, as a value or a pointer, is the
	// default policy.
	for _, p := range []pipeline.Policy{pipeline.DefaultPolicy{}, &pipeline.DefaultPolicy{}} {
		s = pipelinetest.NewScenario(t, &pipeline.Options{Policy: p})
		inquiryIn(t, s, pipeline.InquiryDisqualified)
		_, err = s.Engine.Contact(ctx, pipelinetest.System(), "i1", pipeline.Activity{}, nil)
		assert.EqualError(t, err,
			`pipeline: contact inquiry "i1": inquiry: disqualified → contacted: the stage is closed; reopen the inquiry first (reopen_inquiry, a manager's act)`, "%T", p)
	}
}

// A converted inquiry whose record does not say which deal it became (a
// host's record, written without one) is said to be converted, no more.
func TestInquiryRefusalHintConvertedWithoutDeal(t *testing.T) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(t, nil)
	inquiryIn(t, s, pipeline.InquiryConverted)
	in, err := s.Store.GetInquiry(ctx, "i1")
	require.NoError(t, err)
	in.Deal = ""
	in.Version++
	require.NoError(t, s.Store.UpdateInquiry(ctx, in, in.Version-1))

	_, _, err = s.Engine.Convert(ctx, pipelinetest.System(), "i1", hintTerms, nil)
	require.ErrorIs(t, err, sp.ErrInvalidTransition)
	assert.EqualError(t, err, `pipeline: convert inquiry "i1": inquiry: converted → converted: no such move; already converted`)
}
