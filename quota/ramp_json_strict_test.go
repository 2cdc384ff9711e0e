package quota_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// goalsFile is a host's goals file, decoded strictly, holding ramps and
// thresholds in a list and behind a pointer.
type goalsFile struct {
	Ramps      []quota.Ramp      `json:"ramps"`
	Thresholds *quota.Thresholds `json:"thresholds,omitempty"`
}

func (g *goalsFile) UnmarshalJSON(data []byte) error {
	type plain goalsFile
	return sp.DecodeJSONStrict("goals", data, (*plain)(g))
}

// A Ramp and Thresholds are configuration: a member no field decodes, and a
// member given twice, by the same key or by one that encoding/json matches
// to the same field, which would otherwise leave the field at the last of
// its values (a ramp run in another zone than the one written first), are
// refused, named by their paths, and the value is left as it was; in a goals
// file the path goes on from the file's, with the index of the ramp.
func TestRampJSONStrict(t *testing.T) {
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	require.NoError(t, err)
	held := quota.Ramp{Rep: "held", Location: lisbon}
	const monthly = `"monthly":{"amount":"900.00","currency":"EUR"}`
	for _, tt := range []struct{ name, doc, field, reason string }{
		// A misspelt member would otherwise run the ramp in UTC, or with
		// no steps.
		{"unknown_time_zone", `{"rep":"ann","start":"2027-01-01",` + monthly + `,"timezone":"America/New_York"}`, "ramp.timezone", "unknown field"},
		{"unknown_steps", `{"rep":"ann","step":["0.5"]}`, "ramp.step", "unknown field"},
		{"unknown_location", `{"rep":"ann","location":"Europe/Lisbon","time_zone":"UTC"}`, "ramp.location", "unknown field"},
		{"rep", `{"rep":"ann","start":"2027-01-01",` + monthly + `,"rep":"bo"}`, "ramp.rep", "given twice"},
		{"time_zone", `{"rep":"ann","time_zone":"Europe/Lisbon","time_zone":"UTC"}`, "ramp.time_zone", "given twice"},
		{"time_zone_other_case", `{"rep":"ann","time_zone":"Europe/Lisbon","Time_Zone":"UTC"}`, "ramp.Time_Zone", "given twice, first as time_zone"},
		{"start_date_and_time", `{"rep":"ann","start":"2027-01-01","START":"2027-02-01T00:00:00Z"}`, "ramp.START", "given twice, first as start"},
		{"steps", `{"rep":"ann","steps":["0.5"],"Steps":["0.25","0.5"]}`, "ramp.Steps", "given twice, first as steps"},
		{"monthly", `{"rep":"ann",` + monthly + `,` + monthly + `}`, "ramp.monthly", "given twice"},
	} {
		t.Run("err_"+tt.name, func(t *testing.T) {
			for _, decode := range []func(*quota.Ramp) error{
				func(r *quota.Ramp) error { return json.Unmarshal([]byte(tt.doc), r) },
				func(r *quota.Ramp) error { return r.UnmarshalJSON([]byte(tt.doc)) },
			} {
				r := held
				err := decode(&r)
				require.ErrorIs(t, err, sp.ErrInvalid)
				var ve *sp.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field, "%v", err)
				assert.Equal(t, tt.reason, ve.Reason)
				assert.True(t, reflect.DeepEqual(held, r), "a failed decoding changes nothing")
			}
		})
	}
	t.Run("err_in_a_goals_file", func(t *testing.T) {
		for doc, want := range map[string]string{
			`{"ramps":[{"rep":"ann"},{"rep":"bo","REP":"cy"}]}`:                       "invalid goals.ramps[1].REP: given twice, first as rep",
			`{"ramps":[{"rep":"ann"},{"rep":"bo","time_zone":"UTC","time_zone":""}]}`: "invalid goals.ramps[1].time_zone: given twice",
			`{"ramps":[],"thresholds":{"on_pace":"1","behind":"0.7","Behind":"0.8"}}`: "invalid goals.thresholds.Behind: given twice, first as behind",
			`{"ramps":[],"Ramps":[{"rep":"ann"}]}`:                                    "invalid goals.Ramps: given twice, first as ramps",
		} {
			g := goalsFile{Ramps: []quota.Ramp{held}}
			err := json.Unmarshal([]byte(doc), &g)
			require.ErrorIs(t, err, sp.ErrInvalid, doc)
			assert.EqualError(t, err, want)
			require.Len(t, g.Ramps, 1)
			assert.True(t, reflect.DeepEqual(held, g.Ramps[0]), "a failed decoding changes nothing")
		}
	})
	t.Run("ok_once_each", func(t *testing.T) {
		var g goalsFile
		doc := `{"ramps":[{"rep":"ann","start":"2027-01-01",` + monthly + `,"time_zone":"Europe/Lisbon"},` +
			`{"Rep":"bo","START":"2027-01-01",` + monthly + `,"Time_Zone":"UTC","steps":["0.5"]}],` +
			`"thresholds":{"on_pace":"1","Behind":"0.7"}}`
		require.NoError(t, json.Unmarshal([]byte(doc), &g))
		require.Len(t, g.Ramps, 2)
		assert.Equal(t, "Europe/Lisbon", g.Ramps[0].Location.String())
		assert.Equal(t, sp.RepID("bo"), g.Ramps[1].Rep)
		assert.Equal(t, "UTC", g.Ramps[1].Location.String())
		require.NotNil(t, g.Thresholds)
		assert.Equal(t, "0.7", g.Thresholds.Behind.String())
	})
}

// Thresholds are configuration: a member given twice is refused, named,
// and the thresholds are left as they were.
func TestThresholdsJSONRefusesMembersGivenTwice(t *testing.T) {
	held := quota.Thresholds{OnPace: dec(t, "0.9")}
	for doc, want := range map[string]string{
		`{"on_pace":"1","behind":"0.7","on_pace":"0.8"}`: "invalid thresholds.on_pace: given twice",
		`{"on_pace":"1","ON_PACE":"0.8"}`:                "invalid thresholds.ON_PACE: given twice, first as on_pace",
	} {
		th := held
		err := json.Unmarshal([]byte(doc), &th)
		require.ErrorIs(t, err, sp.ErrInvalid)
		assert.EqualError(t, err, want)
		assert.Equal(t, held, th)
	}
}

// A ramp refused by its own decoding (an unknown zone, a member it does
// not know) in a list of ramps is named by its index, whether the list is
// a member of a goals file or the value decoded itself, by DecodeJSON and
// DecodeJSONStrict alike.
func TestRampJSONErrorsNameTheElement(t *testing.T) {
	const good = `{"rep":"ann","start":"2027-01-01","monthly":{"amount":"900.00","currency":"EUR"}}`
	const zone = `{"rep":"bo","start":"2027-01-01","monthly":{"amount":"900.00","currency":"EUR"},"time_zone":"Mars/Olympus"}`
	const unknown = `{"rep":"bo","timezone":"UTC"}`
	for _, tt := range []struct{ doc, field, reason string }{
		{`[` + good + `,` + good + `,` + zone + `]`, "ramps[2].time_zone", `unknown time zone "Mars/Olympus"`},
		{`[` + good + `,` + unknown + `]`, "ramps[1].timezone", "unknown field"},
	} {
		for name, decode := range map[string]func(string, []byte, any) error{"lenient": sp.DecodeJSON, "strict": sp.DecodeJSONStrict} {
			var ramps []quota.Ramp
			err := decode("ramps", []byte(tt.doc), &ramps)
			require.ErrorIs(t, err, sp.ErrInvalid, name)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "%s: %v", name, err)
			assert.Equal(t, tt.reason, ve.Reason, name)
			assert.Nil(t, ramps)
		}
		var g goalsFile
		err := json.Unmarshal([]byte(`{"ramps":`+tt.doc+`}`), &g)
		require.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "goals."+tt.field, ve.Field, "%v", err)
	}
}

// A Ramp takes JSON null with JSON's own spaces around it, leaving it as
// it was, and refuses null amid any other space (a form feed, a vertical
// tab, U+0085, a no-break space) as malformed JSON that changes nothing,
// as json.Unmarshal refuses it before it calls the method.
func TestRampJSONNullAmidJSONSpaceOnly(t *testing.T) {
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	require.NoError(t, err)
	held := quota.Ramp{Rep: "held", Location: lisbon}
	for _, doc := range []string{"null", " \t\r\nnull\n"} {
		r := held
		assert.NoError(t, r.UnmarshalJSON([]byte(doc)), "%q", doc)
		assert.True(t, reflect.DeepEqual(held, r), "%q changed the ramp", doc)
	}
	for _, doc := range []string{"\fnull", "null\v", "\u0085null", "\u00a0null"} {
		r := held
		err := r.UnmarshalJSON([]byte(doc))
		require.ErrorIs(t, err, sp.ErrInvalid, "%q", doc)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "ramp", ve.Field, "%q", doc)
		assert.True(t, reflect.DeepEqual(held, r), "%q changed the ramp", doc)
	}
}
