package training_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// The zero parts of a brief are refused by its Validate, and the zero
// records with a Validate are refused by it, as their docs say.
func TestZeroPartsAreInvalid(t *testing.T) {
	require.NoError(t, trainingtest.NewBrief().Validate())
	for name, edit := range map[string]func(*training.Brief){
		"Claim":           func(b *training.Brief) { b.Prohibited = append(b.Prohibited, training.Claim{}) },
		"Disclosure":      func(b *training.Brief) { b.Disclosures = append(b.Disclosures, training.Disclosure{}) },
		"Objection":       func(b *training.Brief) { b.Objections = append(b.Objections, training.Objection{}) },
		"ChannelOverride": func(b *training.Brief) { b.Channels = append(b.Channels, training.ChannelOverride{}) },
	} {
		t.Run(name, func(t *testing.T) {
			b := trainingtest.NewBrief()
			edit(&b)
			assert.ErrorIs(t, b.Validate(), salesprocess.ErrInvalid)
		})
	}
	for _, v := range []interface{ Validate() error }{
		training.Issue{}, training.Module{}, training.Curriculum{}, training.Certificate{},
	} {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
			assert.ErrorIs(t, v.Validate(), salesprocess.ErrInvalid)
		})
	}
	at := time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC)
	assert.Equal(t, training.CertExpired, training.Certificate{}.Status(training.Version{}, at))
	assert.True(t, training.Issue{}.OpenAt(at))
}

// The zero results are those of nothing: not launched, not complete, not
// passed, not done; their JSON decodes back.
func TestZeroResults(t *testing.T) {
	var d training.Decision
	assert.False(t, d.Launch)
	assert.Empty(t, d.Unmet())
	assert.Equal(t, salesprocess.Fraction{}, d.Figures.SellThrough)
	assert.Equal(t, salesprocess.Fraction{}, d.Figures.Rating)
	for _, v := range []any{
		&training.Decision{}, &training.DecisionReason{}, &training.Figures{}, &training.LocalityFigures{},
		&training.Progress{}, &training.ModuleProgress{}, &training.AssignmentProgress{}, &training.Reason{},
		&training.Violation{},
	} {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
			data, err := json.Marshal(v)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(data, v))
			again, err := json.Marshal(v)
			require.NoError(t, err)
			assert.JSONEq(t, string(data), string(again))
		})
	}
}
