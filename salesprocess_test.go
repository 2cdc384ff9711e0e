package salesprocess_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestIDValidate(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		wantErr string
	}{
		{name: "ok", id: "rep-42"},
		{name: "ok_unicode", id: "Müller/Köln 7"},
		{name: "ok_inner_space", id: "north east"},
		{name: "ok_max_length", id: strings.Repeat("x", sp.MaxIDLength)},
		{name: "err_empty", id: "", wantErr: "empty"},
		{name: "err_too_long", id: strings.Repeat("x", sp.MaxIDLength+1), wantErr: "longer than 128 bytes"},
		{name: "err_invalid_utf8", id: "a\xffb", wantErr: "not valid UTF-8"},
		{name: "err_leading_space", id: " a", wantErr: "leading or trailing space"},
		{name: "err_trailing_tab", id: "a\t", wantErr: "leading or trailing space (U+0009)"},
		{name: "err_trailing_line_feed", id: "bad\n", wantErr: `id "bad\n" has a leading or trailing space (U+000A)`},
		{name: "err_leading_no_break_space", id: "\u00a0a", wantErr: "leading or trailing space (U+00A0)"},
		{name: "err_control", id: "a\x00b", wantErr: "non-printable character U+0000"},
		{name: "err_newline", id: "a\nb", wantErr: "non-printable character U+000A"},
		{name: "err_zero_width", id: "a\u200bb", wantErr: "non-printable character U+200B"},
	}
	validators := []struct {
		kind     string
		validate func(string) error
	}{
		{"rep id", func(s string) error { return sp.RepID(s).Validate() }},
		{"region id", func(s string) error { return sp.RegionID(s).Validate() }},
		{"product id", func(s string) error { return sp.ProductID(s).Validate() }},
		{"channel id", func(s string) error { return sp.ChannelID(s).Validate() }},
		{"campaign id", func(s string) error { return sp.CampaignID(s).Validate() }},
		{"customer id", func(s string) error { return sp.CustomerID(s).Validate() }},
		{"inquiry id", func(s string) error { return sp.InquiryID(s).Validate() }},
		{"deal id", func(s string) error { return sp.DealID(s).Validate() }},
		{"actor id", func(s string) error { return sp.ActorID(s).Validate() }},
		{"feedback id", func(s string) error { return sp.FeedbackID(s).Validate() }},
	}
	for _, v := range validators {
		for _, tt := range tests {
			t.Run(strings.ReplaceAll(v.kind, " ", "_")+"/"+tt.name, func(t *testing.T) {
				err := v.validate(tt.id)
				if tt.wantErr == "" {
					assert.NoError(t, err)
					return
				}
				assert.ErrorIs(t, err, sp.ErrInvalid)
				assert.ErrorContains(t, err, v.kind)
				assert.ErrorContains(t, err, tt.wantErr)
			})
		}
	}
}

func TestValidationError(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantMsg   string
		wantField string
	}{
		{name: "field", err: sp.Invalid("budget", "negative (%d)", -5), wantMsg: "invalid budget: negative (-5)", wantField: "budget"},
		{name: "no_field", err: sp.Invalid("", "empty"), wantMsg: "invalid input: empty", wantField: ""},
		{name: "in_field", err: sp.InField("campaign", sp.Invalid("budget", "negative")), wantMsg: "invalid campaign.budget: negative", wantField: "campaign.budget"},
		{name: "in_field_without_field", err: sp.InField("owner", sp.Invalid("", "empty rep id")), wantMsg: "invalid owner: empty rep id", wantField: "owner"},
		{name: "in_field_nested", err: sp.InField("a", sp.InField("b", sp.Invalid("c", "bad"))), wantMsg: "invalid a.b.c: bad", wantField: "a.b.c"},
		{name: "in_field_wrapped", err: sp.InField("deal", fmt.Errorf("load: %w", sp.Invalid("id", "empty"))), wantMsg: "invalid deal.id: empty", wantField: "deal.id"},
		{name: "in_field_no_parent", err: sp.InField("", sp.Invalid("x", "bad")), wantMsg: "invalid x: bad", wantField: "x"},
		{name: "in_element", err: sp.InElement("goals", 1, "goal", sp.Invalid("goal.rep", "empty")), wantMsg: "invalid goals[1].rep: empty", wantField: "goals[1].rep"},
		{name: "in_element_nested", err: sp.InElement("input.reps", 0, "rep", sp.InField("rep.hired", sp.Invalid("", "bad"))), wantMsg: "invalid input.reps[0].hired: bad", wantField: "input.reps[0].hired"},
		{name: "in_element_whole", err: sp.InElement("goals", 4, "goal", sp.Invalid("goal", "no target")), wantMsg: "invalid goals[4]: no target", wantField: "goals[4]"},
		{name: "in_element_without_field", err: sp.InElement("resolves", 2, "issue", sp.Invalid("", "empty issue id")), wantMsg: "invalid resolves[2]: empty issue id", wantField: "resolves[2]"},
		{name: "in_element_other_type", err: sp.InElement("prices", 0, "money", sp.Invalid("currency", "missing")), wantMsg: "invalid prices[0].currency: missing", wantField: "prices[0].currency"},
		{name: "in_element_only_whole_segment", err: sp.InElement("goals", 0, "goal", sp.Invalid("goals.x", "bad")), wantMsg: "invalid goals[0].goals.x: bad", wantField: "goals[0].goals.x"},
		{name: "in_element_no_kind", err: sp.InElement("a", 0, "", sp.Invalid("b.c", "bad")), wantMsg: "invalid a[0].b.c: bad", wantField: "a[0].b.c"},
		{name: "in_element_wrapped", err: sp.InElement("feedback", 0, "feedback", fmt.Errorf("load: %w", sp.Invalid("feedback.id", "empty"))), wantMsg: "invalid feedback[0].id: empty", wantField: "feedback[0].id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.EqualError(t, tt.err, tt.wantMsg)
			assert.ErrorIs(t, tt.err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, tt.err, &ve)
			assert.Equal(t, tt.wantField, ve.Field)
		})
	}
	t.Run("in_field_keeps_the_joined_errors", func(t *testing.T) {
		err := sp.InField("deal", fmt.Errorf("%w: %w", sp.ErrNotFound, sp.Invalid("id", "empty")))
		assert.EqualError(t, err, "invalid deal.id: empty: salesprocess: not found")
		assert.ErrorIs(t, err, sp.ErrNotFound, "InField's doc: the errors joined with the ValidationError are kept")
		assert.ErrorIs(t, err, sp.ErrInvalid)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "deal.id", ve.Field, "errors.As finds the placed error first")
	})
	t.Run("in_field_keeps_them_through_every_level", func(t *testing.T) {
		mismatch := fmt.Errorf("%w: %w", sp.Invalid("unit_price", "in USD, where lines[0] is in EUR"), sp.ErrCurrencyMismatch)
		err := sp.InField("terms", fmt.Errorf("open: %w", sp.InField("lines[1]", mismatch)))
		assert.EqualError(t, err, "invalid terms.lines[1].unit_price: in USD, where lines[0] is in EUR: salesprocess: currency mismatch")
		assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "terms.lines[1].unit_price", ve.Field)
	})
	t.Run("in_field_keeps_the_branches_of_a_join_in_order", func(t *testing.T) {
		err := sp.InField("a", errors.Join(sp.ErrConflict, fmt.Errorf("%w: %w", sp.Invalid("b", "bad"), sp.ErrDuplicate), sp.ErrForbidden))
		assert.EqualError(t, err, "invalid a.b: bad: salesprocess: conflict: salesprocess: duplicate: salesprocess: forbidden")
		for _, target := range []error{sp.ErrInvalid, sp.ErrConflict, sp.ErrDuplicate, sp.ErrForbidden} {
			assert.ErrorIs(t, err, target)
		}
	})
	t.Run("in_field_of_an_error_made_by_as", func(t *testing.T) {
		// A ValidationError that a type's As method makes is not in the
		// tree: it is placed alone, as before.
		err := sp.InField("x", asValidation{})
		assert.EqualError(t, err, "invalid x.y: made")
	})
	t.Run("in_field_passes_others", func(t *testing.T) {
		assert.NoError(t, sp.InField("x", nil))
		assert.Same(t, sp.ErrNotFound, sp.InField("x", sp.ErrNotFound))
	})
	t.Run("in_field_nil_allocates_nothing", func(t *testing.T) {
		// Validation that passes calls InField with nil on every check,
		// on the paths of deal transitions too.
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = sp.InField("x", nil) }))
	})
	t.Run("in_element_keeps_the_joined_errors", func(t *testing.T) {
		err := sp.InElement("deals", 0, "deal", fmt.Errorf("%w: %w", sp.Invalid("deal.id", "empty"), sp.ErrNotFound))
		assert.EqualError(t, err, "invalid deals[0].id: empty: salesprocess: not found")
		assert.ErrorIs(t, err, sp.ErrNotFound)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "deals[0].id", ve.Field)
	})
	t.Run("in_element_passes_others", func(t *testing.T) {
		assert.NoError(t, sp.InElement("x", 0, "y", nil))
		assert.Same(t, sp.ErrNotFound, sp.InElement("x", 0, "y", sp.ErrNotFound))
	})
	t.Run("in_element_nil_allocates_nothing", func(t *testing.T) {
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = sp.InElement("x", 1, "y", nil) }))
	})
}

func TestSentinelsAreDistinct(t *testing.T) {
	sentinels := []error{sp.ErrNotFound, sp.ErrConflict, sp.ErrInvalid, sp.ErrInvalidTransition,
		sp.ErrForbidden, sp.ErrCurrencyMismatch, sp.ErrDuplicate}
	for i, a := range sentinels {
		assert.True(t, strings.HasPrefix(a.Error(), "salesprocess: "), a.Error())
		for j, b := range sentinels {
			assert.Equal(t, i == j, errors.Is(a, b), "%v vs %v", a, b)
		}
	}
}

// asValidation is an error whose As method makes a [*sp.ValidationError]
// that its tree does not hold.
type asValidation struct{}

func (asValidation) Error() string { return "made" }

func (asValidation) As(target any) bool {
	ve, ok := target.(**sp.ValidationError)
	if ok {
		*ve = &sp.ValidationError{Field: "y", Reason: "made"}
	}
	return ok
}

func TestQuote(t *testing.T) {
	a39 := strings.Repeat("a", 39)
	for name, tt := range map[string]struct{ in, want string }{
		"short":             {"north", `"north"`},
		"forty":             {a39 + "b", `"` + a39 + `b"`},
		"cut":               {a39 + "bc", `"` + a39 + `b"...`},
		"cut_before_a_char": {a39 + "é", `"` + a39 + `"...`},
		"control":           {"a\nb", `"a\nb"`},
		// Bytes that are not UTF-8 show as escapes, cut at 40 bytes, not
		// backed off to nothing ("" then hid them all).
		"not_utf8":        {strings.Repeat("\x80", 100), `"` + strings.Repeat(`\x80`, 40) + `"...`},
		"digits_then_not": {"12" + strings.Repeat("\x80", 60) + " EUR", `"12` + strings.Repeat(`\x80`, 38) + `"...`},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, sp.Quote(tt.in))
		})
	}
}

// selfWrap unwraps to itself, and makes a ValidationError by its As.
type selfWrap struct{}

func (selfWrap) Error() string   { return "self" }
func (e selfWrap) Unwrap() error { return e }
func (selfWrap) As(target any) bool {
	ve, ok := target.(**sp.ValidationError)
	if ok {
		*ve = &sp.ValidationError{Field: "y", Reason: "made"}
	}
	return ok
}

// An error that unwraps to itself ends InField's search for the errors
// joined with the ValidationError it places, which overflowed the stack.
func TestInFieldOfAnErrorThatUnwrapsToItself(t *testing.T) {
	assert.EqualError(t, sp.InField("x", selfWrap{}), "invalid x.y: made")
}
