package training_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/training"
)

// A combining mark that follows no letter or digit (the variation selector
// of an emoji such as "❤️" or "✔️", a stray accent after a space) belongs to
// the symbol or space before it: it must not make a word of its own that
// breaks a phrase, nor glue itself to the word after it.
func TestCheckMarkWithoutBase(t *testing.T) {
	findsGuaranteedReturns(t, []pitchCase{
		{"emoji_with_variation_selector", "guaranteed \u2764\ufe0f returns", "guaranteed \u2764\ufe0f returns"},
		{"check_mark_with_variation_selector", "\u2714\ufe0f guaranteed \u2714\ufe0f returns", "guaranteed \u2714\ufe0f returns"},
		{"stray_mark_after_space", "\u0301guaranteed \u0301returns", "guaranteed \u0301returns"},
	})
}

func TestNormalizeMarkWithoutBase(t *testing.T) {
	assert.Equal(t, "a b", training.Normalize("a \u2764\ufe0f b"))
	assert.Equal(t, "a b", training.Normalize("\u0301a \u0301\u0301b"))
	assert.Equal(t, "cafe\u0301", training.Normalize("cafe\u0301"), "a mark after a letter still joins its word")
	assert.Equal(t, "保\u3099", training.Normalize("保\u3099"), "a mark after an ideograph still joins it")
}

// Invisible format characters inside a word (a soft hyphen a word
// processor put in, a zero-width joiner, a bidi mark) neither break it nor
// show in its normal form; the zero-width space still separates.
func TestCheckFormatCharacters(t *testing.T) {
	findsGuaranteedReturns(t, []pitchCase{
		{"soft_hyphen", "guar\u00adan\u00adteed returns!", "guar\u00adan\u00adteed returns"},
		{"zero_width_joiner", "guaran\u200dteed re\u200cturns", "guaran\u200dteed re\u200cturns"},
		{"bidi_marks", "\u200eguaranteed\u200e \u200freturns\u200f.", "guaranteed\u200e \u200freturns"},
		{"zero_width_space_separates", "guaranteed\u200breturns", "guaranteed\u200breturns"},
		{"run_of_invisibles_inside_word", "guaran\u00ad\u200d\u034f\ufe0fteed returns", "guaran\u00ad\u200d\u034f\ufe0fteed returns"},
	})
	assert.Equal(t, "guaranteed returns", training.Normalize("\u00adguar\u00adanteed\u00ad returns\u2060"))
	assert.Equal(t, "a b", training.Normalize("a\u200bb"))
}

// Invisible marks that only pick a glyph (a variation selector, the
// combining grapheme joiner) are as invisible as a format character: inside
// a word they neither break it nor show in its normal form, so they cannot
// hide a prohibited claim.
func TestCheckInvisibleMarks(t *testing.T) {
	findsGuaranteedReturns(t, []pitchCase{
		{"variation_selector_after_word", "guaranteed\ufe0f returns", "guaranteed\ufe0f returns"},
		{"variation_selector_inside_word", "guaran\ufe00teed returns\U000e0100!", "guaran\ufe00teed returns"},
		{"grapheme_joiner", "guaran\u034fteed re\u034fturns", "guaran\u034fteed re\u034fturns"},
		{"mongolian_selector", "guaranteed re\u180bturns", "guaranteed re\u180bturns"},
		{"khmer_inherent_vowels", "guaran\u17b4teed re\u17b5turns", "guaran\u17b4teed re\u17b5turns"},
	})
	assert.Equal(t, "guaranteed returns", training.Normalize("guaran\u034fteed\ufe0f returns\ufe0e"))
	assert.Equal(t, "保", training.Normalize("保\U000e0100"), "an ideographic variation selector picks a glyph of the same character")
	assert.Equal(t, "cafe\u0301", training.Normalize("cafe\u0301\ufe0f"), "a visible mark still joins its word")
	assert.Equal(t, "\u1780\u17b6", training.Normalize("\u1780\u17b4\u17b6"), "a Khmer inherent vowel, invisible, is left out")
}

// pitchCase is a pitch and the text of the one violation expected in it.
type pitchCase struct{ name, text, want string }

// findsGuaranteedReturns checks each pitch against a brief whose one
// critical claim is "guaranteed returns": the claim is found once, spanning
// want.
func findsGuaranteedReturns(t *testing.T, cases []pitchCase) {
	t.Helper()
	b := testBrief("1.0", claim("guaranteed returns", training.SeverityCritical))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := training.CheckPitch(b, "", tc.text)
			require.NoError(t, err)
			require.Len(t, r.Violations, 1, "the critical claim is found")
			x := r.Violations[0]
			assert.Equal(t, tc.want, tc.text[x.Start:x.End])
		})
	}
}

// The Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 are letters that
// display as blank space: they separate words like a space, so they cannot
// hide a prohibited claim by gluing its words together, nor break it by
// standing between them as a word.
func TestCheckHangulFillers(t *testing.T) {
	findsGuaranteedReturns(t, []pitchCase{
		{"filler_between_words", "guaranteed\u3164returns", "guaranteed\u3164returns"},
		{"halfwidth_filler_between_words", "guaranteed\uffa0returns", "guaranteed\uffa0returns"},
		{"choseong_filler_between_words", "guaranteed\u115freturns", "guaranteed\u115freturns"},
		{"jungseong_filler_between_words", "guaranteed\u1160returns", "guaranteed\u1160returns"},
		{"jamo_fillers_among_spaces", "guaranteed \u115f\u1160 returns", "guaranteed \u115f\u1160 returns"},
		{"filler_among_spaces", "guaranteed \u3164 \uffa0returns", "guaranteed \u3164 \uffa0returns"},
		{"fillers_around", "\u3164guaranteed returns\uffa0!", "guaranteed returns"},
	})
	assert.Equal(t, "a b", training.Normalize("a\u3164b"))
	assert.Equal(t, "a b", training.Normalize("a\uffa0\u3164b"))
	assert.Equal(t, "", training.Normalize("\u3164\uffa0"))
	assert.Equal(t, "\u1100\u1161", training.Normalize("\u1100\u1161"), "other Hangul jamo are still letters")
}
