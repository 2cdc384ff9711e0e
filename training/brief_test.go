package training_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// fullBrief returns a valid brief that uses every field.
func fullBrief() training.Brief {
	return training.Brief{
		Product: "p1", Version: v("2.1"), Published: t0, Changes: "lid fixed",
		Pros: []string{"fast"}, Cons: []string{"pricey"}, KeyMessages: []string{"saves an hour a day"},
		Prohibited: []training.Claim{
			claim("guaranteed returns", training.SeverityCritical, "returns guaranteed"),
			claim("lowest price", training.SeverityWarning),
		},
		Disclosures: []training.Disclosure{{Phrase: "prices exclude VAT", Reason: "law", Severity: training.SeverityCritical}},
		Objections:  []training.Objection{{Objection: "Too expensive", Answer: "It pays for itself"}},
		Channels: []training.ChannelOverride{{
			Channel: "retail", KeyMessages: []string{"try it in store"}, Permitted: []string{"Lowest price"},
			Prohibited:  []training.Claim{claim("lowest price", training.SeverityInfo)},
			Disclosures: []training.Disclosure{disclosure("while stocks last", training.SeverityWarning)},
			Objections:  []training.Objection{{Objection: "too  expensive!", Answer: "Ask for the store discount"}, {Objection: "Too big", Answer: "It folds"}},
		}},
	}
}

func TestBriefValidate(t *testing.T) {
	long := strings.Repeat("x", training.MaxTextLength+1)
	for _, tc := range []struct {
		name  string
		edit  func(*training.Brief)
		field string // "" for a valid brief
	}{
		{"ok", func(*training.Brief) {}, ""},
		{"ok_minimal", func(b *training.Brief) { *b = testBrief("0.1") }, ""},
		{"err_product", func(b *training.Brief) { b.Product = "" }, "brief.product"},
		{"err_version", func(b *training.Brief) { b.Version = training.Version{} }, "brief.version"},
		{"err_published", func(b *training.Brief) { b.Published = time.Time{} }, "brief.published"},
		{"err_changes_too_long", func(b *training.Brief) { b.Changes = long }, "brief.changes"},
		{"err_empty_pro", func(b *training.Brief) { b.Pros = []string{" "} }, "brief.pros[0]"},
		{"err_con_utf8", func(b *training.Brief) { b.Cons = []string{"\xff"} }, "brief.cons[0]"},
		{"err_key_message", func(b *training.Brief) { b.KeyMessages = []string{long} }, "brief.key_messages[0]"},
		{"err_phrase_no_word", func(b *training.Brief) { b.Prohibited[1].Phrase = "!!!" }, "brief.prohibited[1].phrase"},
		{"err_phrase_too_long", func(b *training.Brief) { b.Prohibited[1].Phrase = strings.Repeat("a ", 300) }, "brief.prohibited[1].phrase"},
		{"err_variant_repeats_phrase", func(b *training.Brief) { b.Prohibited[0].Variants = []string{"Guaranteed-Returns"} }, "brief.prohibited[0].variants[0]"},
		{"err_claims_repeat", func(b *training.Brief) { b.Prohibited[1].Phrase = "RETURNS guaranteed" }, "brief.prohibited[1].phrase"},
		{"err_claim_reason", func(b *training.Brief) { b.Prohibited[1].Reason = "" }, "brief.prohibited[1].reason"},
		{"err_claim_severity", func(b *training.Brief) { b.Prohibited[1].Severity = "bad" }, "brief.prohibited[1].severity"},
		{"err_disclosure_phrase", func(b *training.Brief) { b.Disclosures[0].Phrase = "" }, "brief.disclosures[0].phrase"},
		{"err_disclosure_repeats", func(b *training.Brief) {
			b.Disclosures = append(b.Disclosures, disclosure("Prices exclude VAT!", training.SeverityInfo))
		}, "brief.disclosures[1].phrase"},
		{"err_disclosure_reason", func(b *training.Brief) { b.Disclosures[0].Reason = long }, "brief.disclosures[0].reason"},
		{"err_disclosure_severity", func(b *training.Brief) { b.Disclosures[0].Severity = "" }, "brief.disclosures[0].severity"},
		{"err_objection_empty", func(b *training.Brief) { b.Objections[0].Objection = "" }, "brief.objections[0].objection"},
		{"err_objection_answer", func(b *training.Brief) { b.Objections[0].Answer = "" }, "brief.objections[0].answer"},
		{"err_objection_twice", func(b *training.Brief) {
			b.Objections = append(b.Objections, training.Objection{Objection: "too expensive?", Answer: "x"})
		}, "brief.objections[1].objection"},
		{"err_override_channel", func(b *training.Brief) { b.Channels[0].Channel = "" }, "brief.channels[0].channel"},
		{"err_override_twice", func(b *training.Brief) {
			b.Channels = append(b.Channels, training.ChannelOverride{Channel: "retail"})
		}, "brief.channels[1].channel"},
		{"err_override_key_message", func(b *training.Brief) { b.Channels[0].KeyMessages = []string{""} }, "brief.channels[0].key_messages[0]"},
		{"err_permits_unknown", func(b *training.Brief) { b.Channels[0].Permitted = []string{"free lunch"} }, "brief.channels[0].permitted[0]"},
		{"err_override_repeats_claim_in_force", func(b *training.Brief) {
			b.Channels[0].Prohibited = append(b.Channels[0].Prohibited, claim("returns guaranteed", training.SeverityInfo))
		}, "brief.channels[0].prohibited[1].phrase"},
		{"err_override_repeats_disclosure", func(b *training.Brief) {
			b.Channels[0].Disclosures = append(b.Channels[0].Disclosures, disclosure("prices exclude vat", training.SeverityInfo))
		}, "brief.channels[0].disclosures[1].phrase"},
		{"err_override_objection", func(b *training.Brief) { b.Channels[0].Objections[1].Answer = "" }, "brief.channels[0].objections[1].answer"},
		// A phrase both prohibited and required would flag every compliant
		// pitch: either its presence or its absence.
		{"err_disclosure_is_claim", func(b *training.Brief) {
			b.Disclosures = append(b.Disclosures, disclosure("Lowest-price!", training.SeverityInfo))
		}, "brief.disclosures[1].phrase"},
		{"err_disclosure_is_variant", func(b *training.Brief) {
			b.Disclosures = append(b.Disclosures, disclosure("RETURNS guaranteed", training.SeverityInfo))
		}, "brief.disclosures[1].phrase"},
		{"err_override_disclosure_is_claim_in_force", func(b *training.Brief) {
			b.Channels[0].Disclosures = append(b.Channels[0].Disclosures, disclosure("returns, guaranteed", training.SeverityInfo))
		}, "brief.channels[0].disclosures[1].phrase"},
		{"err_override_disclosure_is_added_claim", func(b *training.Brief) {
			b.Channels[0].Disclosures = append(b.Channels[0].Disclosures, disclosure("lowest price", training.SeverityInfo))
		}, "brief.channels[0].disclosures[1].phrase"},
		{"err_override_claim_is_disclosure", func(b *training.Brief) {
			b.Channels[0].Prohibited = append(b.Channels[0].Prohibited, claim("cheap", training.SeverityInfo, "Prices exclude VAT"))
		}, "brief.channels[0].prohibited[1].variants[0]"},
		{"ok_override_disclosure_is_permitted_claim", func(b *training.Brief) {
			b.Channels[0].Prohibited = nil
			b.Channels[0].Disclosures = append(b.Channels[0].Disclosures, disclosure("lowest price", training.SeverityInfo))
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := fullBrief()
			tc.edit(&b)
			err := b.Validate()
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			var ve *salesprocess.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, tc.field, ve.Field, err.Error())
		})
	}
}

func TestBriefTooManyPhrases(t *testing.T) {
	b := testBrief("1.0")
	g := newGen(7, 20000)
	b.Prohibited = g.brief(training.MaxPhrases + 1).Prohibited
	err := b.Validate()
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	assert.Contains(t, err.Error(), "more than")

	// Disclosures count too: MaxPhrases in all is fine, one more is not.
	b.Prohibited = b.Prohibited[:training.MaxPhrases-1]
	b.Disclosures = []training.Disclosure{disclosure("prices exclude VAT", training.SeverityWarning)}
	require.NoError(t, b.Validate())
	b.Disclosures = append(b.Disclosures, disclosure("while stocks last", training.SeverityWarning))
	err = b.Validate()
	require.ErrorIs(t, err, salesprocess.ErrInvalid)
	assert.Contains(t, err.Error(), "more than")
}

func TestBriefForChannel(t *testing.T) {
	b := fullBrief()
	t.Run("ok_brief_wide", func(t *testing.T) {
		got := b.ForChannel("")
		assert.Nil(t, got.Channels)
		assert.Equal(t, b.Prohibited, got.Prohibited)
		got2 := b.ForChannel("web")
		assert.Equal(t, got, got2)
		// Even an override for the empty channel (which Validate refuses)
		// leaves the brief-wide content alone.
		odd := b.Clone()
		odd.Channels = append(odd.Channels, training.ChannelOverride{KeyMessages: []string{"only here"}, Permitted: []string{"lowest price"}})
		assert.Equal(t, got, odd.ForChannel(""))
	})
	t.Run("ok_retail", func(t *testing.T) {
		got := b.ForChannel("retail")
		assert.Equal(t, []string{"saves an hour a day", "try it in store"}, got.KeyMessages)
		require.Len(t, got.Prohibited, 2)
		assert.Equal(t, "guaranteed returns", got.Prohibited[0].Phrase)
		assert.Equal(t, training.SeverityInfo, got.Prohibited[1].Severity)
		assert.Len(t, got.Disclosures, 2)
		assert.Equal(t, []training.Objection{
			{Objection: "too  expensive!", Answer: "Ask for the store discount"},
			{Objection: "Too big", Answer: "It folds"},
		}, got.Objections)
		require.NoError(t, got.Validate())
		got.KeyMessages[0] = "changed"
		got.Prohibited[0].Variants[0] = "changed"
		assert.Equal(t, "saves an hour a day", b.KeyMessages[0], "ForChannel shares no slices")
		assert.Equal(t, "returns guaranteed", b.Prohibited[0].Variants[0], "ForChannel shares no slices")
	})
	t.Run("ok_answer", func(t *testing.T) {
		a, ok := b.Answer("retail", "TOO EXPENSIVE")
		assert.True(t, ok)
		assert.Equal(t, "Ask for the store discount", a)
		a, ok = b.Answer("web", "too expensive")
		assert.True(t, ok)
		assert.Equal(t, "It pays for itself", a)
		_, ok = b.Answer("web", "too big")
		assert.False(t, ok)
	})
	t.Run("ok_override", func(t *testing.T) {
		o, ok := b.Override("retail")
		assert.True(t, ok)
		assert.Equal(t, salesprocess.ChannelID("retail"), o.Channel)
		_, ok = b.Override("web")
		assert.False(t, ok)
	})
	t.Run("ok_clone_deep", func(t *testing.T) {
		c := b.Clone()
		assert.Equal(t, b, c)
		c.Pros[0] = "x"
		c.Channels[0].Prohibited[0].Phrase = "x"
		c.Channels[0].Permitted[0] = "x"
		assert.Equal(t, fullBrief(), b)
		assert.Equal(t, training.Brief{}, training.Brief{}.Clone())
	})
}

// A channel override permits brief-wide claims by their phrase; permitting
// one removes the claim with all its variants on that channel.
func TestBriefPermittedByPhrase(t *testing.T) {
	t.Run("err_permits_variant", func(t *testing.T) {
		b := testBrief("1.0", claim("guaranteed returns", training.SeverityCritical, "returns guaranteed"))
		b.Channels = []training.ChannelOverride{{Channel: "retail", Permitted: []string{"Returns guaranteed"}}}
		err := b.Validate()
		require.ErrorIs(t, err, salesprocess.ErrInvalid, "a variant permitted alone would be ignored on the channel")
		var ve *salesprocess.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "brief.channels[0].permitted[0]", ve.Field)
	})
	t.Run("ok_readds_variant_of_permitted", func(t *testing.T) {
		b := testBrief("1.0", claim("guaranteed returns", training.SeverityCritical, "returns guaranteed"))
		b.Channels = []training.ChannelOverride{{
			Channel: "retail", Permitted: []string{"guaranteed returns"},
			Prohibited: []training.Claim{claim("returns guaranteed", training.SeverityInfo)},
		}}
		require.NoError(t, b.Validate())
		r, err := training.CheckPitch(b, "retail", "Returns guaranteed, and guaranteed returns.")
		require.NoError(t, err)
		require.Len(t, r.Violations, 1)
		assert.Equal(t, "returns guaranteed", r.Violations[0].Claim)
		assert.Equal(t, training.SeverityInfo, r.Violations[0].Severity)
	})
}

// ForChannel merges an override's objection answers as a search of the
// objections before each would: an answer replaces the first objection of
// its normal form, brief-wide or added by the override before it, and is
// appended otherwise; on random briefs, repeated objections among them.
func TestForChannelObjectionsMerge(t *testing.T) {
	merge := func(base, over []training.Objection) []training.Objection {
		out := slices.Clone(base)
		for _, ob := range over {
			key := training.Normalize(ob.Objection)
			if i := slices.IndexFunc(out, func(x training.Objection) bool { return training.Normalize(x.Objection) == key }); i >= 0 {
				out[i] = ob
			} else {
				out = append(out, ob)
			}
		}
		return out
	}
	forms := []string{"Too expensive", "too  EXPENSIVE!", "No time", "no-time", "Why now?", "why now", "Other vendor"}
	rng := rand.New(rand.NewPCG(3, 5))
	list := func(n int, answer string) []training.Objection {
		var obs []training.Objection
		for j := range n {
			obs = append(obs, training.Objection{Objection: forms[rng.IntN(len(forms))], Answer: fmt.Sprintf("%s%d", answer, j)})
		}
		return obs
	}
	for n := range 500 {
		b := training.Brief{Product: "p", Objections: list(rng.IntN(6), "brief ")}
		o := training.ChannelOverride{Channel: "phone", Objections: list(rng.IntN(6), "phone ")}
		b.Channels = []training.ChannelOverride{o}
		got, want := b.ForChannel("phone").Objections, merge(b.Objections, o.Objections)
		if !slices.Equal(got, want) {
			t.Fatalf("brief %d: objections %v on the channel, want %v", n, got, want)
		}
	}
}
