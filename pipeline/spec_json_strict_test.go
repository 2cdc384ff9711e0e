package pipeline_test

import (
	"encoding/json"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A Spec is configuration that a person writes: a member given twice in
// the spec, a stage or a move, by the same key or by one that
// encoding/json matches to the same field (which would otherwise leave the
// field at the last of its values: the moves of the first document below
// nil, the default moves) is refused, named by its path, and the spec is
// left as it was, whether it is decoded through json.Unmarshal or by a
// direct call; a StageSpec, a Move and a FollowUpPolicy alone likewise.
func TestSpecJSONRefusesMembersGivenTwice(t *testing.T) {
	const stages = `{"key":"lead","order":1,"probability":"0.2","kind":"open"},` +
		`{"key":"won","order":2,"kind":"won"},{"key":"lost","order":3,"kind":"lost"}`
	for _, tt := range []struct{ name, doc, field, reason string }{
		{"top", `{"stages":[` + stages + `],"moves":[{"from":"lead","to":"won"}],"moves":null}`, "spec.moves", "given twice"},
		{"top_other_case", `{"stages":[` + stages + `],"Moves":[{"from":"lead","to":"won"}],"moves":null}`, "spec.moves", "given twice, first as Moves"},
		{"top_name", `{"name":"a","stages":[` + stages + `],"NAME":"b"}`, "spec.NAME", "given twice, first as name"},
		{"top_stages", `{"stages":[` + stages + `],"stages":[]}`, "spec.stages", "given twice"},
		{"stage", `{"stages":[` + stages + `,{"key":"demo","order":4,"kind":"open","order":5}]}`, "spec.stages[3].order", "given twice"},
		{"stage_other_case", `{"stages":[{"key":"lead","order":1,"Order":2,"kind":"open"}]}`, "spec.stages[0].Order", "given twice, first as order"},
		{"stage_probability", `{"stages":[{"key":"lead","probability":"0.2","PROBABILITY":"0.9"}]}`, "spec.stages[0].PROBABILITY", "given twice, first as probability"},
		{"move", `{"stages":[` + stages + `],"moves":[{"from":"lead","to":"won"},{"from":"lead","to":"lost","to":"won"}]}`, "spec.moves[1].to", "given twice"},
		{"move_other_case", `{"stages":[` + stages + `],"moves":[{"from":"lead","From":"won","to":"lost"}]}`, "spec.moves[0].From", "given twice, first as from"},
		{"reopen", `{"stages":[` + stages + `],"reopen":[{"from":"lost","to":"lead","To":"won"}]}`, "spec.reopen[0].To", "given twice, first as to"},
	} {
		t.Run("err_"+tt.name, func(t *testing.T) {
			held := pipeline.DefaultSpec()
			for _, decode := range []func(*pipeline.Spec) error{
				func(s *pipeline.Spec) error { return json.Unmarshal([]byte(tt.doc), s) },
				func(s *pipeline.Spec) error { return s.UnmarshalJSON([]byte(tt.doc)) },
			} {
				s := pipeline.DefaultSpec()
				err := decode(&s)
				require.ErrorIs(t, err, sp.ErrInvalid)
				var ve *sp.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field, "%v", err)
				assert.Equal(t, tt.reason, ve.Reason)
				assert.Equal(t, held, s, "a failed decoding changes nothing")
			}
		})
	}
	t.Run("err_stage_move_and_policy_alone", func(t *testing.T) {
		st := pipeline.StageSpec{Key: "lead"}
		err := json.Unmarshal([]byte(`{"key":"demo","order":1,"kind":"open","key":"lead"}`), &st)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid stage_spec.key: given twice")
		assert.Equal(t, pipeline.StageSpec{Key: "lead"}, st)

		m := pipeline.Move{From: "a", To: "b"}
		err = json.Unmarshal([]byte(`{"from":"lead","to":"won","TO":"lost"}`), &m)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, "invalid move.TO: given twice, first as to")
		assert.Equal(t, pipeline.Move{From: "a", To: "b"}, m)

		p := pipeline.FollowUpPolicy{FirstContact: time.Hour}
		for doc, want := range map[string]string{
			`{"first_contact":"4h","next_touch":"48h","next_touch":"72h"}`: "invalid follow_up_policy.next_touch: given twice",
			`{"first_contact":"4h","First_Contact":"8h"}`:                  "invalid follow_up_policy.First_Contact: given twice, first as first_contact",
		} {
			err = json.Unmarshal([]byte(doc), &p)
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.EqualError(t, err, want)
			assert.Equal(t, pipeline.FollowUpPolicy{FirstContact: time.Hour}, p)
		}
	})
	t.Run("ok_same_keys_in_other_objects", func(t *testing.T) {
		// Each stage and each move has its own members: the same keys in
		// another object, and a member spelt in another case once, decode.
		doc := `{"name":"b2b","stages":[{"key":"lead","order":1,"probability":"0.2","kind":"open"},` +
			`{"key":"won","ORDER":2,"kind":"won"},{"key":"lost","order":3,"Kind":"lost"}],` +
			`"moves":[{"from":"lead","to":"won"},{"from":"lead","To":"lost"}],"Reopen":[{"from":"lost","to":"lead"}]}`
		var s pipeline.Spec
		require.NoError(t, json.Unmarshal([]byte(doc), &s))
		require.Len(t, s.Stages, 3)
		assert.Equal(t, 2, s.Stages[1].Order)
		assert.Equal(t, pipeline.KindLost, s.Stages[2].Kind)
		assert.Equal(t, []pipeline.Move{{From: "lead", To: "won"}, {From: "lead", To: "lost"}}, s.Moves)
		assert.Equal(t, []pipeline.Move{{From: "lost", To: "lead"}}, s.Reopen)
		_, err := pipeline.NewDefinition(s)
		require.NoError(t, err)

		var p pipeline.FollowUpPolicy
		require.NoError(t, json.Unmarshal([]byte(`{"first_contact":"4h","Next_Touch":"48h"}`), &p))
		assert.Equal(t, pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 48 * time.Hour}, p)
	})
	t.Run("ok_records_take_the_last", func(t *testing.T) {
		// A record stays lenient: encoding/json takes the last value.
		var d pipeline.Deal
		require.NoError(t, json.Unmarshal([]byte(`{"id":"d1","stage":"prospecting","ID":"d2"}`), &d))
		assert.Equal(t, sp.DealID("d2"), d.ID)
	})
}

// BenchmarkSpecUnmarshalJSON decodes a typical pipeline spec, the default
// stages with explicit moves and a reopening, as a host reads it from its
// configuration: by DecodeJSONStrict, with its checks of every member.
func BenchmarkSpecUnmarshalJSON(b *testing.B) {
	spec := pipeline.DefaultSpec()
	spec.Name = "b2b"
	spec.Moves = []pipeline.Move{{From: pipeline.DealProspecting, To: pipeline.DealQualification},
		{From: pipeline.DealQualification, To: pipeline.DealProposal}, {From: pipeline.DealProposal, To: pipeline.DealNegotiation},
		{From: pipeline.DealNegotiation, To: pipeline.DealWon}, {From: pipeline.DealNegotiation, To: pipeline.DealLost},
		{From: pipeline.DealProposal, To: pipeline.DealLost}}
	spec.Reopen = []pipeline.Move{{From: pipeline.DealLost, To: pipeline.DealProspecting}}
	data, err := json.Marshal(spec)
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var s pipeline.Spec
		if err := s.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
