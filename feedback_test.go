package salesprocess_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestFeedbackValidate(t *testing.T) {
	ok := sp.Feedback{
		ID: "f1", Product: "p1", Rating: 4, Category: sp.FeedbackDelivery, Text: "arrived a day late",
		Source: sp.FromCustomer, Customer: "cu1", Deal: "d1", Time: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC),
	}
	tests := []struct {
		name      string
		edit      func(*sp.Feedback)
		wantField string
	}{
		{name: "ok", edit: func(*sp.Feedback) {}},
		{name: "ok_field_test", edit: func(f *sp.Feedback) { f.Source, f.Locality, f.Customer, f.Deal = sp.FromFieldTest, "Bonn", "", "" }},
		{name: "ok_min_rating", edit: func(f *sp.Feedback) { f.Rating = sp.MinRating }},
		{name: "ok_max_rating", edit: func(f *sp.Feedback) { f.Rating = sp.MaxRating }},
		{name: "ok_max_text", edit: func(f *sp.Feedback) { f.Text = strings.Repeat("a", 8192) }},
		{name: "err_id", edit: func(f *sp.Feedback) { f.ID = "" }, wantField: "feedback.id"},
		{name: "err_product", edit: func(f *sp.Feedback) { f.Product = "" }, wantField: "feedback.product"},
		{name: "err_rating_low", edit: func(f *sp.Feedback) { f.Rating = 0 }, wantField: "feedback.rating"},
		{name: "err_rating_high", edit: func(f *sp.Feedback) { f.Rating = 6 }, wantField: "feedback.rating"},
		{name: "err_category", edit: func(f *sp.Feedback) { f.Category = "mood" }, wantField: "feedback.category"},
		{name: "err_source", edit: func(f *sp.Feedback) { f.Source = "" }, wantField: "feedback.source"},
		{name: "err_text_long", edit: func(f *sp.Feedback) { f.Text = strings.Repeat("a", 8193) }, wantField: "feedback.text"},
		{name: "err_text_utf8", edit: func(f *sp.Feedback) { f.Text = "\xc3" }, wantField: "feedback.text"},
		{name: "err_customer", edit: func(f *sp.Feedback) { f.Customer = " c" }, wantField: "feedback.customer"},
		{name: "err_deal", edit: func(f *sp.Feedback) { f.Deal = "d\x00" }, wantField: "feedback.deal"},
		{name: "err_locality_long", edit: func(f *sp.Feedback) { f.Locality = strings.Repeat("l", 257) }, wantField: "feedback.locality"},
		{name: "err_field_test_without_locality", edit: func(f *sp.Feedback) { f.Source = sp.FromFieldTest }, wantField: "feedback.locality"},
		{name: "err_time", edit: func(f *sp.Feedback) { f.Time = time.Time{} }, wantField: "feedback.time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.edit(&f)
			checkValidation(t, f.Validate(), tt.wantField)
		})
	}
	t.Run("json_round_trip", func(t *testing.T) {
		data, err := json.Marshal(ok)
		require.NoError(t, err)
		var back sp.Feedback
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, ok, back)
	})
}
