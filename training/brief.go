package training

import (
	"fmt"
	"slices"
	"time"

	"github.com/salesprocess/salesprocess"
)

// Bounds on a [Brief], checked by [Brief.Validate].
const (
	// MaxPhraseLength bounds a prohibited claim, one of its variants or a
	// disclosure, in bytes.
	MaxPhraseLength = 512
	// MaxTextLength bounds the other texts of a brief (a pro, a key
	// message, an answer to an objection), in bytes.
	MaxTextLength = 4096
	// MaxPhrases bounds the prohibited phrases (claims and their variants)
	// and disclosures of a brief together, overrides included.
	MaxPhrases = 100000
)

// Brief is what reps are taught about one version of a product: its pros
// and cons, what to say (key messages) and what not to say (prohibited
// claims), the disclosures that must accompany an offer, answers to the
// usual objections, and what differs per distribution channel.
//
// A brief is versioned with the product ([Version]); once published a
// version does not change: a correction is a new minor version, a change
// that reps must relearn a new major version (which sends certified reps
// back to training). Published is the instant from which the version is in
// force.
//
// Brief is a plain value; its slices are shared by copies, so use
// [Brief.Clone] before changing a brief that others may hold. The zero Brief
// is invalid: its Validate refuses it.
type Brief struct {
	Product     salesprocess.ProductID `json:"product"`
	Version     Version                `json:"version"`
	Published   time.Time              `json:"published"`
	Changes     string                 `json:"changes,omitempty"` // what changed since the previous version
	Pros        []string               `json:"pros,omitempty"`
	Cons        []string               `json:"cons,omitempty"`
	KeyMessages []string               `json:"key_messages,omitempty"` // what to say
	Prohibited  []Claim                `json:"prohibited,omitempty"`   // what not to say, on every channel
	Disclosures []Disclosure           `json:"disclosures,omitempty"`  // what must be said, on every channel
	Objections  []Objection            `json:"objections,omitempty"`
	Channels    []ChannelOverride      `json:"channels,omitempty"`
}

// Claim is something a rep must not say: a phrase, its variants (other
// wordings of the same claim), why not, and how bad it is. Phrases are
// matched as described on [Normalize]: without regard to case, punctuation
// or spacing, on word boundaries. The zero Claim has no phrase:
// [Brief.Validate] refuses a brief that holds it.
type Claim struct {
	Phrase   string   `json:"phrase"`
	Variants []string `json:"variants,omitempty"`
	Reason   string   `json:"reason"`
	Severity Severity `json:"severity"`
}

// Disclosure is a phrase that must appear in an offer (a quote, an e-mail,
// a script), for example "prices exclude shipping". Like a [Claim] it is
// matched on its normal form. The zero Disclosure has no phrase:
// [Brief.Validate] refuses a brief that holds it.
type Disclosure struct {
	Phrase   string   `json:"phrase"`
	Reason   string   `json:"reason,omitempty"`
	Severity Severity `json:"severity"` // how bad it is to leave it out
}

// Objection pairs an objection customers raise with the answer reps are
// taught to give. The zero Objection has no text: [Brief.Validate] refuses
// a brief that holds it.
type Objection struct {
	Objection string `json:"objection"`
	Answer    string `json:"answer"`
}

// ChannelOverride says how a brief differs on one distribution channel: the
// key messages, prohibited claims, disclosures and objection answers it
// adds, and the brief-wide claims it permits (by their phrase, compared on
// the normal form). An added objection replaces a brief-wide one with the
// same normal form. A claim both permitted and prohibited by the override
// is the override's on that channel: that is how a channel gives a
// brief-wide claim another severity, reason or variants. The zero
// ChannelOverride names no channel: [Brief.Validate] refuses a brief that
// holds it.
type ChannelOverride struct {
	Channel     salesprocess.ChannelID `json:"channel"`
	KeyMessages []string               `json:"key_messages,omitempty"`
	Prohibited  []Claim                `json:"prohibited,omitempty"`
	Permitted   []string               `json:"permitted,omitempty"`
	Disclosures []Disclosure           `json:"disclosures,omitempty"`
	Objections  []Objection            `json:"objections,omitempty"`
}

// Clone returns a deep copy of b.
func (b Brief) Clone() Brief {
	b.Pros = slices.Clone(b.Pros)
	b.Cons = slices.Clone(b.Cons)
	b.KeyMessages = slices.Clone(b.KeyMessages)
	b.Prohibited = cloneClaims(b.Prohibited)
	b.Disclosures = slices.Clone(b.Disclosures)
	b.Objections = slices.Clone(b.Objections)
	if b.Channels != nil {
		chs := make([]ChannelOverride, len(b.Channels))
		for i, o := range b.Channels {
			o.KeyMessages = slices.Clone(o.KeyMessages)
			o.Prohibited = cloneClaims(o.Prohibited)
			o.Permitted = slices.Clone(o.Permitted)
			o.Disclosures = slices.Clone(o.Disclosures)
			o.Objections = slices.Clone(o.Objections)
			chs[i] = o
		}
		b.Channels = chs
	}
	return b
}

func cloneClaims(cs []Claim) []Claim {
	if cs == nil {
		return nil
	}
	out := make([]Claim, len(cs))
	for i, c := range cs {
		c.Variants = slices.Clone(c.Variants)
		out[i] = c
	}
	return out
}

// Override returns the override for channel ch and whether there is one.
func (b Brief) Override(ch salesprocess.ChannelID) (ChannelOverride, bool) {
	for _, o := range b.Channels {
		if o.Channel == ch {
			return o, true
		}
	}
	return ChannelOverride{}, false
}

// ForChannel returns the brief as it applies on channel ch: the brief-wide
// content with the channel's override merged in (the brief-wide claims it
// permits removed, then its additions appended, its objection answers
// replacing brief-wide ones) and no overrides left. A channel without an
// override, and the empty channel, get the brief-wide content. The result
// shares no slices with b.
func (b Brief) ForChannel(ch salesprocess.ChannelID) Brief {
	out := b.Clone()
	out.Channels = nil
	o, ok := b.Override(ch)
	if !ok || ch == "" {
		return out
	}
	o = ChannelOverride{
		KeyMessages: slices.Clone(o.KeyMessages), Prohibited: cloneClaims(o.Prohibited),
		Permitted: o.Permitted, Disclosures: slices.Clone(o.Disclosures), Objections: slices.Clone(o.Objections),
	}
	out.KeyMessages = append(out.KeyMessages, o.KeyMessages...)
	if len(o.Permitted) > 0 {
		permitted := make(map[string]bool, len(o.Permitted))
		for _, p := range o.Permitted {
			permitted[Normalize(p)] = true
		}
		out.Prohibited = slices.DeleteFunc(out.Prohibited, func(c Claim) bool { return permitted[Normalize(c.Phrase)] })
	}
	out.Prohibited = append(out.Prohibited, o.Prohibited...)
	out.Disclosures = append(out.Disclosures, o.Disclosures...)
	if len(o.Objections) > 0 {
		// The first objection of each normal form, which an override's
		// answer to it replaces.
		first := make(map[string]int, len(out.Objections)+len(o.Objections))
		for i, x := range out.Objections {
			key := Normalize(x.Objection)
			if _, ok := first[key]; !ok {
				first[key] = i
			}
		}
		for _, ob := range o.Objections {
			key := Normalize(ob.Objection)
			if i, ok := first[key]; ok {
				out.Objections[i] = ob
			} else {
				first[key] = len(out.Objections)
				out.Objections = append(out.Objections, ob)
			}
		}
	}
	return out
}

// Answer returns the answer the brief gives on channel ch to an objection,
// found by its normal form, and whether there is one.
func (b Brief) Answer(ch salesprocess.ChannelID, objection string) (string, bool) {
	key := Normalize(objection)
	eff := b.ForChannel(ch)
	for _, o := range eff.Objections {
		if Normalize(o.Objection) == key {
			return o.Answer, true
		}
	}
	return "", false
}

// Validate reports whether b is a complete brief: a valid product ID and
// version, a publication time (within the years of
// [salesprocess.ValidateTime]), texts within [MaxTextLength] without control
// characters other than tabs and line breaks, claims and disclosures whose
// phrases hold at least one word and at most [MaxPhraseLength] bytes, with a
// reason (claims) and a valid severity, no phrase repeated (on its normal
// form) among the claims or among the disclosures that apply on any one
// channel, no disclosure that is also the phrase or a variant of a claim in
// force on the same channel (on its normal form), objections with answers,
// and overrides for distinct valid channels that permit only claims the
// brief prohibits, each named by its phrase (not a variant). The error
// wraps [salesprocess.ErrInvalid] and names the field.
func (b Brief) Validate() error {
	if err := requireID("brief.product", b.Product); err != nil {
		return err
	}
	if err := b.Version.Validate(); err != nil {
		return salesprocess.InField("brief.version", err)
	}
	if err := validateTime("brief.published", b.Published, true); err != nil {
		return err
	}
	if err := validateText("brief.changes", b.Changes, MaxTextLength, false); err != nil {
		return err
	}
	if err := validateTexts("brief.pros", b.Pros); err != nil {
		return err
	}
	if err := validateTexts("brief.cons", b.Cons); err != nil {
		return err
	}
	if err := validateTexts("brief.key_messages", b.KeyMessages); err != nil {
		return err
	}
	n := 0
	base, err := validateClaims("brief.prohibited", b.Prohibited, phraseSet{}, nil, &n)
	if err != nil {
		return err
	}
	baseDisc, err := validateDisclosures("brief.disclosures", b.Disclosures, nil, phraseSet{base: base}, &n)
	if err != nil {
		return err
	}
	if err := validateObjections("brief.objections", b.Objections); err != nil {
		return err
	}
	// claimOf maps the normal form of each brief-wide phrase and variant to
	// its claim; phraseOf, the normal form of each claim's phrase to it.
	// Permitted names claims by their phrase, as [Brief.ForChannel] removes
	// them: a variant alone would be ignored.
	var claimOf, phraseOf map[string]int
	if len(b.Channels) > 0 {
		claimOf = make(map[string]int, len(base))
		phraseOf = make(map[string]int, len(b.Prohibited))
		for i, c := range b.Prohibited {
			key := Normalize(c.Phrase)
			phraseOf[key], claimOf[key] = i, i
			for _, v := range c.Variants {
				claimOf[Normalize(v)] = i
			}
		}
	}
	seen := make(map[salesprocess.ChannelID]bool, len(b.Channels))
	for i, o := range b.Channels {
		field := fmt.Sprintf("brief.channels[%d]", i)
		if err := requireID(field+".channel", o.Channel); err != nil {
			return err
		}
		if seen[o.Channel] {
			return salesprocess.Invalid(field+".channel", "channel %s has two overrides", salesprocess.Quote(string(o.Channel)))
		}
		seen[o.Channel] = true
		if err := validateTexts(field+".key_messages", o.KeyMessages); err != nil {
			return err
		}
		permitted := make(map[int]bool, len(o.Permitted))
		for j, p := range o.Permitted {
			if err := validateText(fmt.Sprintf("%s.permitted[%d]", field, j), p, MaxPhraseLength, true); err != nil {
				return err
			}
			i, ok := phraseOf[Normalize(p)]
			if !ok {
				return salesprocess.Invalid(fmt.Sprintf("%s.permitted[%d]", field, j), "%s is not the phrase of a brief-wide prohibited claim", salesprocess.Quote(p))
			}
			permitted[i] = true
		}
		// The phrases left in force on this channel, so that an added claim
		// may reuse the phrase or a variant of a claim the override permits;
		// then with the claims it adds.
		inForce := phraseSet{base: base, permitted: permitted, claimOf: claimOf}
		added, err := validateClaims(field+".prohibited", o.Prohibited, inForce, baseDisc, &n)
		if err != nil {
			return err
		}
		inForce.added = added
		if _, err := validateDisclosures(field+".disclosures", o.Disclosures, baseDisc, inForce, &n); err != nil {
			return err
		}
		if err := validateObjections(field+".objections", o.Objections); err != nil {
			return err
		}
	}
	return nil
}

func validateTexts(field string, list []string) error {
	for i, s := range list {
		if err := validateText(fmt.Sprintf("%s[%d]", field, i), s, MaxTextLength, true); err != nil {
			return err
		}
	}
	return nil
}

// validatePhrase checks a phrase and returns its normal form.
func validatePhrase(field, p string) (string, error) {
	if err := validateText(field, p, MaxPhraseLength, true); err != nil {
		return "", err
	}
	key := Normalize(p)
	if key == "" {
		return "", salesprocess.Invalid(field, "%s has no word", salesprocess.Quote(p))
	}
	return key, nil
}

// phraseSet holds the normal forms of the prohibited phrases in force, each
// mapped to its field: the brief-wide ones, but for those of the claims an
// override permits (by index, as claimOf gives a phrase's claim), and the
// override's own. A channel looks its phrases up here rather than in a
// copy of the brief-wide map, which would cost phrases × channels.
type phraseSet struct {
	base, added map[string]string
	permitted   map[int]bool
	claimOf     map[string]int
}

// get returns the field of the phrase in force whose normal form is key.
func (s phraseSet) get(key string) (string, bool) {
	if f, ok := s.added[key]; ok {
		return f, true
	}
	f, ok := s.base[key]
	if ok && s.permitted[s.claimOf[key]] {
		return "", false
	}
	return f, ok
}

// validateClaims checks claims, with the normal forms of the phrases
// already in force in prior and of the disclosures required in disclosed
// (which it does not change), and returns the normal form of each phrase
// and variant mapped to its field. It adds the phrases to *n and fails past
// [MaxPhrases].
func validateClaims(field string, claims []Claim, prior phraseSet, disclosed map[string]string, n *int) (map[string]string, error) {
	seen := make(map[string]string, len(claims))
	check := func(f, p string) error {
		key, err := validatePhrase(f, p)
		if err != nil {
			return err
		}
		if other, ok := prior.get(key); ok {
			return salesprocess.Invalid(f, "%s repeats %s", salesprocess.Quote(p), other)
		}
		if other, ok := seen[key]; ok {
			return salesprocess.Invalid(f, "%s repeats %s", salesprocess.Quote(p), other)
		}
		if other, ok := disclosed[key]; ok {
			return salesprocess.Invalid(f, "%s is required by %s", salesprocess.Quote(p), other)
		}
		seen[key] = f
		if *n++; *n > MaxPhrases {
			return salesprocess.Invalid(f, "more than %d phrases", MaxPhrases)
		}
		return nil
	}
	for i, c := range claims {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := check(f+".phrase", c.Phrase); err != nil {
			return nil, err
		}
		for j, v := range c.Variants {
			if err := check(fmt.Sprintf("%s.variants[%d]", f, j), v); err != nil {
				return nil, err
			}
		}
		if err := validateText(f+".reason", c.Reason, MaxTextLength, true); err != nil {
			return nil, err
		}
		if err := c.Severity.Validate(); err != nil {
			return nil, salesprocess.InField(f+".severity", err)
		}
	}
	return seen, nil
}

// validateDisclosures is the counterpart of validateClaims for disclosures,
// with the normal forms of the claims' phrases and variants in force in
// prohibited.
func validateDisclosures(field string, ds []Disclosure, prior map[string]string, prohibited phraseSet, n *int) (map[string]string, error) {
	seen := make(map[string]string, len(ds))
	for i, d := range ds {
		f := fmt.Sprintf("%s[%d]", field, i)
		key, err := validatePhrase(f+".phrase", d.Phrase)
		if err != nil {
			return nil, err
		}
		if other, ok := prior[key]; ok {
			return nil, salesprocess.Invalid(f+".phrase", "%s repeats %s", salesprocess.Quote(d.Phrase), other)
		}
		if other, ok := seen[key]; ok {
			return nil, salesprocess.Invalid(f+".phrase", "%s repeats %s", salesprocess.Quote(d.Phrase), other)
		}
		if other, ok := prohibited.get(key); ok {
			return nil, salesprocess.Invalid(f+".phrase", "%s is prohibited by %s", salesprocess.Quote(d.Phrase), other)
		}
		seen[key] = f + ".phrase"
		if *n++; *n > MaxPhrases {
			return nil, salesprocess.Invalid(f+".phrase", "more than %d phrases", MaxPhrases)
		}
		if err := validateText(f+".reason", d.Reason, MaxTextLength, false); err != nil {
			return nil, err
		}
		if err := d.Severity.Validate(); err != nil {
			return nil, salesprocess.InField(f+".severity", err)
		}
	}
	return seen, nil
}

func validateObjections(field string, obs []Objection) error {
	seen := make(map[string]bool, len(obs))
	for i, o := range obs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := validateText(f+".objection", o.Objection, MaxTextLength, true); err != nil {
			return err
		}
		key := Normalize(o.Objection)
		if seen[key] {
			return salesprocess.Invalid(f+".objection", "%s answered twice", salesprocess.Quote(o.Objection))
		}
		seen[key] = true
		if err := validateText(f+".answer", o.Answer, MaxTextLength, true); err != nil {
			return err
		}
	}
	return nil
}
