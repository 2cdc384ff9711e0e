package review_test

import (
	"encoding/json"
	"errors"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/review"
)

// FuzzParseRules checks that any document either parses into valid rules
// that marshal and parse back to the same bytes, or is refused with an
// error wrapping ErrInvalid that names the field at fault.
func FuzzParseRules(f *testing.F) {
	def, err := json.Marshal(review.DefaultRules())
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(def),
		`{"version": 1}`,
		`{"version": 1, "rules": {}}`,
		`{"version": 1, "rules": {"target_met": null, "thin_pipeline": {"min_chance": "0.25"}}}`,
		`{"version": 1, "analysis": {"confidence": "0.99", "adjustment": "none", "product": {"loss_categories": ["price", "product"]}}}`,
		`{"version": 1, "analysis": {"follow_up": {"first_contact": "90m", "next_touch": null}}}`,
		`{"version": 1, "rules": {"target_missed": {"statuses": ["behind"]}, "feedback_pileup": {"sources": ["rep"]}}}`,
		`{"version": 1, "custom": {"big": {"x": [1, 2, {"y": null}]}}}`,
		`{"version": 2}`,
		`{"version": 1, "version": 1}`,
		`{"version": 1, "analysis": {"confidence": 0.95}}`,
		`{"version": 1, "analysis": {"places": 1e2}}`,
		`{"version": 1, "rules": {"target_met": {"min_percent": "-1"}}}`,
		`{"version": 1, "custom": {"target_met": {}}}`,
		`{"version": 1} trailing`,
		`[]`, `null`, `"x"`, ``, `{`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := review.ParseRules(data)
		if err != nil {
			var ve *sp.ValidationError
			if !errors.Is(err, sp.ErrInvalid) || !errors.As(err, &ve) {
				t.Fatalf("error %v does not wrap ErrInvalid with a ValidationError", err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("parsed rules are invalid: %v", err)
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := review.ParseRules(out)
		if err != nil {
			t.Fatalf("parse %s: %v", out, err)
		}
		again, err := json.Marshal(back)
		if err != nil {
			t.Fatalf("marshal again: %v", err)
		}
		if string(out) != string(again) {
			t.Fatalf("round trip differs:\n%s\n%s", out, again)
		}
	})
}
