package pipeline_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// The MarshalJSON methods of the records and command inputs name the
// member that cannot be encoded below the type's own name, down through a
// member's own MarshalJSON (a deal's activity's due), and wrap the
// value's own error, called directly or through json.Marshal.
func TestRecordMarshalJSONNamesTheMember(t *testing.T) {
	far := time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
	farCause := encodingCause(t, far)
	for name, tc := range map[string]struct {
		v     json.Marshaler
		field string
	}{
		"activity_due":             {pipeline.Activity{ID: "a1", Due: far}, "activity.due"},
		"activity_done":            {pipeline.Activity{ID: "a1", Done: far}, "activity.done"},
		"completion_done":          {pipeline.ActivityCompletion{Done: far}, "completion.done"},
		"terms_expected_close":     {pipeline.Terms{ExpectedClose: far}, "terms.expected_close"},
		"deal_expected_close":      {pipeline.Deal{ID: "d1", ExpectedClose: far}, "deal.expected_close"},
		"deal_closed":              {pipeline.Deal{ID: "d1", Closed: far}, "deal.closed"},
		"deal_activity_done":       {pipeline.Deal{ID: "d1", Activities: []pipeline.Activity{{ID: "a1"}, {ID: "a2", Done: far}}}, "deal.activities[1].done"},
		"deal_event_deal_activity": {pipeline.DealEvent{Deal: "d1", Activity: &pipeline.Activity{ID: "a1", Done: far}}, "deal_event.activity.done"},
	} {
		t.Run(name, func(t *testing.T) {
			raw, err := tc.v.MarshalJSON()
			assert.Nil(t, raw)
			checkEncodeError(t, err, farCause)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field, "error: %v", err)
			assert.Equal(t, "invalid "+tc.field+": cannot be encoded: "+farCause.Error(), err.Error())
			_, err = json.Marshal(tc.v)
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), "invalid "+tc.field+": cannot be encoded: "+farCause.Error())
		})
	}
}

// A record's MarshalJSON, called directly, returns the compact form with
// no trailing newline, as json.Marshal returns it.
func TestRecordMarshalJSONDirectForm(t *testing.T) {
	for name, v := range map[string]json.Marshaler{
		"activity":   pipeline.Activity{ID: "a1", Notes: "<b> & </b>"},
		"completion": pipeline.ActivityCompletion{Notes: "<b> & </b>"},
		"terms":      pipeline.Terms{Amount: eur("10")},
		"deal":       pipeline.Deal{ID: "d1", Activities: []pipeline.Activity{{ID: "a1", Notes: "<b>"}}},
	} {
		raw, err := v.MarshalJSON()
		require.NoError(t, err, name)
		assert.True(t, json.Valid(raw), name)
		assert.NotContains(t, string(raw), "\n", name)
		assert.NotContains(t, string(raw), `\u003c`, name)
		assert.NotContains(t, string(raw), `\u0026`, name)
	}
}
