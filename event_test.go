package salesprocess_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestEventValidate(t *testing.T) {
	ok := sp.Event{ID: "e1", Type: "pipeline.deal.won", Time: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC),
		Actor: "ana", Subject: "d1", Data: json.RawMessage(`{"amount":"10.00"}`)}
	tests := []struct {
		name      string
		edit      func(*sp.Event)
		wantField string
	}{
		{name: "ok", edit: func(*sp.Event) {}},
		{name: "ok_no_data", edit: func(e *sp.Event) { e.Data = nil }},
		{name: "err_id", edit: func(e *sp.Event) { e.ID = "" }, wantField: "event.id"},
		{name: "err_type", edit: func(e *sp.Event) { e.Type = "" }, wantField: "event.type"},
		{name: "err_time", edit: func(e *sp.Event) { e.Time = time.Time{} }, wantField: "event.time"},
		{name: "err_subject", edit: func(e *sp.Event) { e.Subject = "" }, wantField: "event.subject"},
		{name: "err_data", edit: func(e *sp.Event) { e.Data = json.RawMessage(`{"a":`) }, wantField: "event.data"},
		{name: "err_actor", edit: func(e *sp.Event) { e.Actor = "" }, wantField: "event.actor"},
		// What DecodeJSON would refuse to read back (see MaxDigitRun).
		{name: "ok_digits_data", edit: func(e *sp.Event) { e.Data = json.RawMessage(`{"n":"` + strings.Repeat("7", sp.MaxDigitRun) + `"}`) }},
		{name: "err_digits_id", edit: func(e *sp.Event) { e.ID = strings.Repeat("1", sp.MaxDigitRun+1) }, wantField: "event.id"},
		{name: "err_digits_type", edit: func(e *sp.Event) { e.Type = "x." + strings.Repeat("2", sp.MaxDigitRun+1) }, wantField: "event.type"},
		{name: "err_digits_subject", edit: func(e *sp.Event) { e.Subject = strings.Repeat("3.", sp.MaxDigitRun) }, wantField: "event.subject"},
		{name: "err_digits_data", edit: func(e *sp.Event) { e.Data = json.RawMessage(`[` + strings.Repeat("9", sp.MaxDigitRun+1) + `]`) }, wantField: "event.data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.edit(&e)
			checkValidation(t, e.Validate(), tt.wantField)
			if tt.wantField != "" && !strings.Contains(tt.name, "digits") {
				return
			}
			// A valid event reads back from its JSON; one with too many
			// digits in a row does not, which Validate says.
			data, err := json.Marshal(e)
			require.NoError(t, err)
			var back sp.Event
			if err := json.Unmarshal(data, &back); tt.wantField == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, sp.ErrInvalid)
			}
		})
	}
	t.Run("json_round_trip", func(t *testing.T) {
		data, err := json.Marshal(ok)
		require.NoError(t, err)
		assert.JSONEq(t, `{"id":"e1","type":"pipeline.deal.won","time":"2026-05-04T10:00:00Z","actor":"ana","subject":"d1","data":{"amount":"10.00"}}`, string(data))
		var back sp.Event
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, ok, back)
	})
}

func TestPublisherFunc(t *testing.T) {
	var got []sp.Event
	var pub sp.Publisher = sp.PublisherFunc(func(_ context.Context, e sp.Event) error {
		got = append(got, e)
		if e.Type == "fail" {
			return errors.New("queue down")
		}
		return nil
	})
	require.NoError(t, pub.Publish(context.Background(), sp.Event{ID: "1", Type: "ok"}))
	assert.EqualError(t, pub.Publish(context.Background(), sp.Event{ID: "2", Type: "fail"}), "queue down")
	require.Len(t, got, 2)
	assert.Equal(t, "1", got[0].ID)
}

func TestNilPublisherFuncDiscards(t *testing.T) {
	// Like a nil ClockFunc, which is SystemClock, a nil PublisherFunc is a
	// Publisher that discards, as nil is wherever a Publisher is optional.
	var pub sp.Publisher = sp.PublisherFunc(nil)
	assert.NotPanics(t, func() {
		assert.NoError(t, pub.Publish(context.Background(), sp.Event{ID: "1", Type: "ok"}))
	})
}

// An event logs its fields, with Data as JSON: nested by a JSON handler,
// as in the event's JSON form, and as text by a text handler, not the list
// of its bytes that a json.RawMessage prints as.
func TestEventLogValue(t *testing.T) {
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}
	e := sp.Event{ID: "e1", Type: "pipeline.deal.won", Time: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Actor: "ann", Subject: "d1", Data: json.RawMessage(`{"id":"d1"}`)}
	for _, tt := range []struct {
		name string
		data json.RawMessage
		text string
		json string
	}{
		{"object", e.Data, `event.data="{\"id\":\"d1\"}"`, `"data":{"id":"d1"}`},
		{"none", nil, `event.data=""`, `"data":null`},
		{"not_json", json.RawMessage(`{oops`), `event.data={oops`, `"data":"{oops"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := e
			e.Data = tt.data
			var text, js strings.Builder
			slog.New(slog.NewTextHandler(&text, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("published", "event", e)
			slog.New(slog.NewJSONHandler(&js, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("published", "event", e)
			assert.Equal(t, `level=INFO msg=published event.id=e1 event.type=pipeline.deal.won event.time=2026-11-02T09:00:00.000Z event.actor=ann event.subject=d1 `+tt.text+"\n", text.String())
			assert.Equal(t, `{"level":"INFO","msg":"published","event":{"id":"e1","type":"pipeline.deal.won","time":"2026-11-02T09:00:00Z","actor":"ann","subject":"d1",`+tt.json+"}}\n", js.String())
		})
	}
}
