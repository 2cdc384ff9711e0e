package pipelinetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// Events returns copies: changing what it returned, the payloads
// included, changes nothing in the Recorder.
func TestRecorderEventsAreCopies(t *testing.T) {
	var r pipelinetest.Recorder
	data := []byte(`{"a":1}`)
	require.NoError(t, r.Publish(context.Background(), sp.Event{ID: "e1", Type: "t", Time: time.Unix(0, 0), Actor: "x", Subject: "s", Data: data}))
	data[2] = 'b'
	got := r.Events()
	require.Len(t, got, 1)
	assert.JSONEq(t, `{"a":1}`, string(got[0].Data), "the payload published is kept, not the caller's buffer")
	got[0].Data[2] = 'b'
	got[0].ID = "changed"
	again := r.Events()
	assert.Equal(t, "e1", again[0].ID)
	assert.JSONEq(t, `{"a":1}`, string(again[0].Data), "changing a payload Events returned changes the Recorder's")
}

// A Recorder that has kept nothing gives nil from Types, as from Events and
// as a nil *Recorder does, not an empty slice.
func TestRecorderEmptyTypesIsNil(t *testing.T) {
	var r pipelinetest.Recorder
	assert.Nil(t, r.Events())
	assert.Nil(t, r.Types())
}
