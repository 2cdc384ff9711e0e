package training_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ok_spaces_and_punctuation", "Guaranteed   RETURNS!", "guaranteed returns"},
		{"ok_empty", "", ""},
		{"ok_only_punctuation", " ...!? -- ", ""},
		{"ok_digits_join_letters", "4G-ready, 100% safe", "4g ready 100 safe"},
		{"ok_apostrophe_separates", "Don't", "don t"},
		{"ok_kelvin_sign", "5 \u212a", "5 k"},
		{"ok_long_s", "\u017fave", "save"},
		{"ok_greek_sigma", "ΣΟΦΌΣ σοφός", "σοφόσ σοφόσ"},
		{"ok_german", "GARANTIERTE Rückzahlung", "garantierte rückzahlung"},
		{"ok_sharp_s_not_ss", "Straße STRASSE", "straße strasse"},
		{"ok_han_one_word_each", "保证收益!", "保 证 收 益"},
		{"ok_han_ends_a_word", "Word保证abc", "word 保 证 abc"},
		{"ok_capital_iota_folds_to_iota", "ΙΩΤΑ", "ιωτα"},
		{"ok_combining_mark_joins", "cafe\u0301 X", "cafe\u0301 x"},
		{"ok_invalid_utf8_separates", "a\xffb", "a b"},
		{"ok_dotted_capital_i_kept", "İ", "İ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, training.Normalize(tc.in))
		})
	}
}

func TestCheck(t *testing.T) {
	crit, warn, info := training.SeverityCritical, training.SeverityWarning, training.SeverityInfo
	for _, tc := range []struct {
		name    string
		claims  []training.Claim
		discl   []training.Disclosure
		text    string
		want    []string // matched[start:end]=text
		missing []string
	}{
		{
			name:   "ok_case_and_spacing",
			claims: []training.Claim{claim("guaranteed returns", crit)},
			text:   "Guaranteed   returns!",
			want:   []string{"guaranteed returns[0:20]=Guaranteed   returns"},
		},
		{
			name:   "ok_word_boundaries",
			claims: []training.Claim{claim("guaranteed returns", crit)},
			text:   "unguaranteed returnsx; guaranteedreturns",
		},
		{
			name:   "ok_punctuation_between_words",
			claims: []training.Claim{claim("guaranteed returns", crit)},
			text:   "GUARANTEED-RETURNS, guaranteed...returns\n\tGuaranteed\r\nReturns",
			want: []string{
				"guaranteed returns[0:18]=GUARANTEED-RETURNS",
				"guaranteed returns[20:40]=guaranteed...returns",
				"guaranteed returns[42:61]=Guaranteed\r\nReturns",
			},
		},
		{
			name:   "ok_start_and_end_of_text",
			claims: []training.Claim{claim("risk free", warn), claim("cheap", info)},
			text:   "Risk free, and cheap",
			want:   []string{"risk free[0:9]=Risk free", "cheap[15:20]=cheap"},
		},
		{
			name:   "ok_whole_text",
			claims: []training.Claim{claim("cheap", info)},
			text:   "cheap",
			want:   []string{"cheap[0:5]=cheap"},
		},
		{
			name:   "ok_overlapping_and_nested",
			claims: []training.Claim{claim("risk free", warn), claim("free returns", warn), claim("risk free returns", crit), claim("returns", info)},
			text:   "risk-free returns",
			want: []string{
				"risk free[0:9]=risk-free",
				"risk free returns[0:17]=risk-free returns",
				"free returns[5:17]=free returns",
				"returns[10:17]=returns",
			},
		},
		{
			name:   "ok_repeated_word_overlaps",
			claims: []training.Claim{claim("very very", info)},
			text:   "very very very",
			want:   []string{"very very[0:9]=very very", "very very[5:14]=very very"},
		},
		{
			name:   "ok_failure_links",
			claims: []training.Claim{claim("a b c d", crit), claim("b c e", warn), claim("c", info)},
			text:   "a b c e",
			want:   []string{"b c e[2:7]=b c e", "c[4:5]=c"},
		},
		{
			name:   "ok_variants",
			claims: []training.Claim{claim("guaranteed returns", crit, "returns guaranteed", "assured profit")},
			text:   "Returns guaranteed! Assured profit.",
			want:   []string{"returns guaranteed[0:18]=Returns guaranteed", "assured profit[20:34]=Assured profit"},
		},
		{
			name:   "ok_unicode_german_greek",
			claims: []training.Claim{claim("garantierte Rückzahlung", crit), claim("εγγυημένη απόδοση", crit)},
			text:   "GARANTIERTE RÜCKZAHLUNG – ΕΓΓΥΗΜΈΝΗ ΑΠΌΔΟΣΗ",
			want: []string{
				"garantierte Rückzahlung[0:24]=GARANTIERTE RÜCKZAHLUNG",
				"εγγυημένη απόδοση[29:62]=ΕΓΓΥΗΜΈΝΗ ΑΠΌΔΟΣΗ",
			},
		},
		{
			name:   "ok_folding_changes_byte_length",
			claims: []training.Claim{claim("save 5 k", warn)},
			text:   "\u017fAVE 5 \u212a!",
			want:   []string{"save 5 k[0:11]=\u017fAVE 5 \u212a"},
		},
		{
			name:   "ok_han_inside_run",
			claims: []training.Claim{claim("保证收益", crit)},
			text:   "绝对保证收益。",
			want:   []string{"保证收益[6:18]=保证收益"},
		},
		{
			name:   "ok_format_character_after_ideograph_outside_match",
			claims: []training.Claim{claim("保证", crit)},
			text:   "保证\u200dabc",
			want:   []string{"保证[0:6]=保证"},
		},
		{
			name:   "ok_format_character_after_ideograph_before_a_letter",
			claims: []training.Claim{claim("保证", crit)},
			text:   "保证\u200dé",
			want:   []string{"保证[0:6]=保证"},
		},
		{
			name:   "ok_invalid_utf8_separates",
			claims: []training.Claim{claim("guaranteed returns", crit)},
			text:   "guaranteed\xffreturns",
			want:   []string{"guaranteed returns[0:18]=guaranteed\xffreturns"},
		},
		{
			name:   "ok_unknown_word_breaks_phrase",
			claims: []training.Claim{claim("guaranteed returns", crit)},
			text:   "guaranteed high returns",
		},
		{
			name:    "ok_missing_disclosures",
			claims:  []training.Claim{claim("cheap", info)},
			discl:   []training.Disclosure{disclosure("Prices exclude VAT.", crit), disclosure("see terms", info), disclosure("is cheap", warn)},
			text:    "Our price (prices EXCLUDE vat) is cheap",
			want:    []string{"cheap[34:39]=cheap"},
			missing: []string{"see terms"},
		},
		{
			name:    "ok_empty_text",
			claims:  []training.Claim{claim("cheap", info)},
			discl:   []training.Disclosure{disclosure("see terms", info)},
			missing: []string{"see terms"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := testBrief("1.0", tc.claims...)
			b.Disclosures = tc.discl
			c, err := training.NewChecker(b, "")
			require.NoError(t, err)
			r := c.Check(tc.text)
			assert.Equal(t, tc.want, spans(tc.text, r))
			var missing []string
			for _, d := range r.Missing {
				missing = append(missing, d.Phrase)
			}
			assert.Equal(t, tc.missing, missing)
			assert.Equal(t, len(tc.want) == 0 && len(tc.missing) == 0, r.Clean())
			for _, x := range r.Violations {
				assert.Equal(t, training.Normalize(x.Matched), training.Normalize(tc.text[x.Start:x.End]))
			}
		})
	}
}

func TestCheckReport(t *testing.T) {
	b := testBrief("2.1", claim("guaranteed returns", training.SeverityCritical, "sure profit"), claim("cheap", training.SeverityInfo))
	b.Disclosures = []training.Disclosure{disclosure("see terms", training.SeverityWarning)}
	b.Channels = []training.ChannelOverride{{Channel: "web"}}
	r, err := training.CheckPitch(b, "web", "Sure profit, cheap!")
	require.NoError(t, err)
	assert.Equal(t, training.Report{
		Product: "p1", Version: v("2.1"), Channel: "web",
		Violations: []training.Violation{
			{Claim: "guaranteed returns", Matched: "sure profit", Start: 0, End: 11, Severity: training.SeverityCritical, Reason: "reason for guaranteed returns"},
			{Claim: "cheap", Matched: "cheap", Start: 13, End: 18, Severity: training.SeverityInfo, Reason: "reason for cheap"},
		},
		Missing: []training.Disclosure{disclosure("see terms", training.SeverityWarning)},
	}, r)
	assert.Equal(t, training.SeverityCritical, r.Worst())
	assert.False(t, r.Clean())

	t.Run("worst_of_missing", func(t *testing.T) {
		r := training.Report{Missing: []training.Disclosure{disclosure("x", training.SeverityWarning)},
			Violations: []training.Violation{{Severity: training.SeverityInfo}}}
		assert.Equal(t, training.SeverityWarning, r.Worst())
		assert.Equal(t, training.Severity(""), training.Report{}.Worst())
	})
}

// TestCheckDocumented pins what the docs of Checker and Report say:
// punctuation separates words, a soft hyphen is ignored within one,
// violations are ordered by Start and then End, and missing disclosures
// come brief-wide first, then the channel's.
func TestCheckDocumented(t *testing.T) {
	b := testBrief("1.0",
		claim("kostenlos installiert und gewartet", training.SeverityCritical),
		claim("installiert", training.SeverityWarning),
		claim("kostenlos", training.SeverityWarning, "kostenlos installiert"),
		claim("risk-free", training.SeverityWarning),
		claim("guaranteed", training.SeverityInfo),
	)
	b.Disclosures = []training.Disclosure{disclosure("see terms", training.SeverityInfo)}
	b.Channels = []training.ChannelOverride{{Channel: "email", Disclosures: []training.Disclosure{disclosure("14-day right of withdrawal", training.SeverityCritical)}}}
	text := "Kostenlos installiert und gewartet. Risk free, RISK–FREE, risk\u00adfree, guaran-\nteed, kosten\u00adlos"
	r, err := training.CheckPitch(b, "email", text)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"kostenlos[0:9]=Kostenlos",
		"kostenlos installiert[0:21]=Kostenlos installiert",
		"kostenlos installiert und gewartet[0:34]=Kostenlos installiert und gewartet",
		"installiert[10:21]=installiert",
		"risk-free[36:45]=Risk free",
		"risk-free[47:58]=RISK–FREE",
		"kostenlos[86:97]=kosten\u00adlos",
	}, spans(text, r))
	require.Len(t, r.Missing, 2)
	assert.Equal(t, "see terms", r.Missing[0].Phrase)
	assert.Equal(t, "14-day right of withdrawal", r.Missing[1].Phrase)
}

func TestCheckChannels(t *testing.T) {
	b := testBrief("1.0", claim("lowest price", training.SeverityWarning), claim("risk free", training.SeverityCritical))
	b.Disclosures = []training.Disclosure{disclosure("see terms", training.SeverityInfo)}
	b.Channels = []training.ChannelOverride{
		{Channel: "retail", Permitted: []string{"LOWEST price!"}, Prohibited: []training.Claim{claim("lowest price", training.SeverityInfo, "best deal")}},
		{Channel: "web", Disclosures: []training.Disclosure{disclosure("shipping extra", training.SeverityWarning)}},
	}
	text := "Lowest price, risk free, best deal, see terms"
	for _, tc := range []struct {
		name    string
		channel salesprocess.ChannelID
		want    []string
		missing int
	}{
		{"ok_brief_wide", "", []string{"lowest price[0:12]=Lowest price", "risk free[14:23]=risk free"}, 0},
		{"ok_unknown_channel_brief_wide", "phone", []string{"lowest price[0:12]=Lowest price", "risk free[14:23]=risk free"}, 0},
		{"ok_override_replaces_claim", "retail", []string{"lowest price[0:12]=Lowest price", "risk free[14:23]=risk free", "best deal[25:34]=best deal"}, 0},
		{"ok_channel_disclosure", "web", []string{"lowest price[0:12]=Lowest price", "risk free[14:23]=risk free"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := training.CheckPitch(b, tc.channel, text)
			require.NoError(t, err)
			assert.Equal(t, tc.want, spans(text, r))
			assert.Len(t, r.Missing, tc.missing)
			if tc.channel == "retail" {
				assert.Equal(t, training.SeverityInfo, r.Violations[0].Severity, "the override's own claim wins")
			}
		})
	}
}

func TestNewCheckerErrors(t *testing.T) {
	t.Run("err_invalid_brief", func(t *testing.T) {
		_, err := training.NewChecker(training.Brief{}, "")
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
		assert.True(t, strings.HasPrefix(err.Error(), "training: "), err.Error())
	})
	t.Run("err_invalid_channel", func(t *testing.T) {
		_, err := training.CheckPitch(testBrief("1.0"), " web", "x")
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
	})
	t.Run("ok_zero_checker", func(t *testing.T) {
		var c *training.Checker
		assert.Equal(t, training.Report{}, c.Check("anything"))
		assert.Equal(t, 0, c.Phrases())
		assert.Equal(t, training.Report{}, new(training.Checker).Check("anything"))
	})
	t.Run("ok_phrases", func(t *testing.T) {
		b := testBrief("1.0", claim("a", training.SeverityInfo, "b", "c"))
		b.Disclosures = []training.Disclosure{disclosure("d", training.SeverityInfo)}
		c, err := training.NewChecker(b, "")
		require.NoError(t, err)
		assert.Equal(t, 4, c.Phrases())
	})
}

// TestCheckManyPhrases cross-checks the automaton against the naive
// search on generated briefs and texts.
func TestCheckManyPhrases(t *testing.T) {
	for _, tc := range []struct {
		name            string
		phrases, vocab  int
		textWords, seed int
	}{
		{"small_vocabulary_dense_matches", 200, 30, 5000, 1},
		{"large_vocabulary", 2000, 3000, 20000, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGen(uint64(tc.seed), tc.vocab)
			b := g.brief(tc.phrases)
			text := g.text(tc.textWords)
			c, err := training.NewChecker(b, "")
			require.NoError(t, err)
			r := c.Check(text)
			got := map[string]int{}
			for _, x := range r.Violations {
				got[training.Normalize(x.Matched)]++
				require.Equal(t, training.Normalize(x.Matched), training.Normalize(text[x.Start:x.End]))
			}
			want := naiveCounts(b, text)
			assert.Equal(t, want, got)
			assert.NotEmpty(t, got)
			for i := 1; i < len(r.Violations); i++ {
				require.LessOrEqual(t, r.Violations[i-1].Start, r.Violations[i].Start, "ordered by start")
			}
		})
	}
}

// naiveCounts counts the occurrences of each prohibited phrase of b in
// text by checking each phrase separately over the normalized text.
func naiveCounts(b training.Brief, text string) map[string]int {
	norm := " " + training.Normalize(text) + " "
	out := map[string]int{}
	for _, cl := range b.Prohibited {
		for _, p := range append([]string{cl.Phrase}, cl.Variants...) {
			key := training.Normalize(p)
			needle := " " + key + " "
			for i := 0; ; {
				j := strings.Index(norm[i:], needle)
				if j < 0 {
					break
				}
				out[key]++
				i += j + 1
			}
		}
	}
	return out
}

func FuzzCheck(f *testing.F) {
	b := testBrief("1.0",
		claim("guaranteed returns", training.SeverityCritical, "returns guaranteed"),
		claim("risk free", training.SeverityWarning), claim("free", training.SeverityInfo),
		claim("save 5 k", training.SeverityInfo), claim("保证收益", training.SeverityCritical),
		claim("εγγυημένη απόδοση", training.SeverityCritical), claim("a a", training.SeverityInfo),
	)
	b.Disclosures = []training.Disclosure{disclosure("see terms", training.SeverityWarning)}
	c, err := training.NewChecker(b, "")
	require.NoError(f, err)
	for _, s := range []string{
		"", "Guaranteed   returns!", "unguaranteed returnsx", "risk-free returns guaranteed", "\u017fave 5 \u212a",
		"绝对保证收益", "ΕΓΓΥΗΜΈΝΗ ΑΠΌΔΟΣΗ", "a a a a", "\xff\xfe guaranteed\xc3returns", "see TERMS", "cafe\u0301\u0301",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := c.Check(text)
		got := map[string]int{}
		for i, x := range r.Violations {
			if x.Start < 0 || x.Start >= x.End || x.End > len(text) {
				t.Fatalf("violation %d [%d:%d) outside the text of %d bytes", i, x.Start, x.End, len(text))
			}
			if n, m := training.Normalize(text[x.Start:x.End]), training.Normalize(x.Matched); n != m {
				t.Fatalf("text[%d:%d] = %q normalizes to %q, not to the phrase %q", x.Start, x.End, text[x.Start:x.End], n, m)
			}
			if i > 0 && r.Violations[i-1].Start > x.Start {
				t.Fatalf("violations out of order at %d", i)
			}
			got[training.Normalize(x.Matched)]++
		}
		want := naiveCounts(b, text)
		if len(got) != len(want) {
			t.Fatalf("automaton found %v, naive search %v", got, want)
		}
		for k, n := range want {
			if got[k] != n {
				t.Fatalf("automaton found %v, naive search %v", got, want)
			}
		}
		seeTerms := strings.Contains(" "+training.Normalize(text)+" ", " see terms ")
		if seeTerms != (len(r.Missing) == 0) {
			t.Fatalf("disclosure present %v, missing %v", seeTerms, r.Missing)
		}
	})
}

// FuzzCheckPhrase checks that any phrase the brief accepts is found in a
// text that holds it.
func FuzzCheckPhrase(f *testing.F) {
	for _, s := range [][2]string{
		{"guaranteed returns", "x"}, {"K", "\u212a"}, {"保证", "证"}, {"a\u0301", "b"}, {"!!", ""}, {"ι", "\u0345"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, phrase, text string) {
		c, err := training.NewChecker(testBrief("1.0", claim(phrase, training.SeverityInfo)), "")
		if err != nil {
			return
		}
		full := text + " " + phrase + " "
		r := c.Check(full)
		found := false
		for _, x := range r.Violations {
			if x.Start < 0 || x.Start >= x.End || x.End > len(full) {
				t.Fatalf("violation [%d:%d) outside the text", x.Start, x.End)
			}
			if training.Normalize(full[x.Start:x.End]) != training.Normalize(phrase) {
				t.Fatalf("text[%d:%d] = %q does not normalize to %q", x.Start, x.End, full[x.Start:x.End], phrase)
			}
			found = found || x.Start > len(text)
		}
		if !found {
			t.Fatalf("phrase %q not found at the end of %q: %v", phrase, full, r.Violations)
		}
	})
}

// TestCheckBoundsViolations pins that a text whose words each end many
// nested claims ("a", "a a", "a a a", ...) gets at most
// [training.MaxViolations] of them, every occurrence that ends before a
// point of the text, with Truncated set, while the disclosures are still
// looked for to the end of the text.
func TestCheckBoundsViolations(t *testing.T) {
	const nested = 64
	var claims []training.Claim
	for i := 1; i <= nested; i++ {
		claims = append(claims, claim(strings.TrimSpace(strings.Repeat("a ", i)), training.SeverityInfo))
	}
	b := testBrief("1.0", claims...)
	b.Disclosures = []training.Disclosure{disclosure("see terms", training.SeverityWarning)}
	c, err := training.NewChecker(b, "")
	require.NoError(t, err)

	t.Run("under", func(t *testing.T) {
		r := c.Check(strings.Repeat("a ", 10) + "see terms")
		assert.False(t, r.Truncated)
		assert.Len(t, r.Violations, 55) // 1 + 2 + ... + 10
		assert.Empty(t, r.Missing)
	})
	t.Run("over", func(t *testing.T) {
		words := 2 * training.MaxViolations / nested // about twice the bound
		r := c.Check(strings.Repeat("a ", words) + "see terms")
		require.True(t, r.Truncated)
		require.NotEmpty(t, r.Violations)
		assert.LessOrEqual(t, len(r.Violations), training.MaxViolations)
		assert.Empty(t, r.Missing, "the disclosure after the bound is found")
		// Every occurrence that ends at or before the last one reported
		// is there: min(i, nested) of them end at the i-th word.
		last := 0
		for _, v := range r.Violations {
			last = max(last, v.End)
		}
		ended := (last + 1) / 2 // the words "a " up to and including the last
		want := 0
		for i := 1; i <= ended; i++ {
			want += min(i, nested)
		}
		assert.Len(t, r.Violations, want)
		assert.Greater(t, want+nested, training.MaxViolations-nested, "the prefix stops short of the bound by less than a word's claims")
	})
}
