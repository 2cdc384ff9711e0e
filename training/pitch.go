package training

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/salesprocess/salesprocess"
)

// MaxViolations bounds the violations of one [Report]. A text can hold
// many more occurrences than words, as each word may end one claim of
// every length ("a", "a a", "a a a", ...), so that without a bound a few
// kilobytes of text would take gigabytes of report.
const MaxViolations = 100_000

// Report is the result of a pitch check: every occurrence of a prohibited
// claim in the text, ordered by Start and then End (so of matches that
// start at one word the shorter comes first), and every mandatory
// disclosure the text lacks, in the order of the brief as it applies on the
// channel (see [Brief.ForChannel]: the brief-wide disclosures, then the
// channel's).
//
// A text with more than [MaxViolations] occurrences gets Truncated set and
// the occurrences that end up to the word at which one more word's would
// pass the bound (every occurrence within that first part of the text); the
// disclosures are looked for in the whole text all the same. The zero Report
// is clean: no violation and no missing disclosure.
type Report struct {
	Product    salesprocess.ProductID `json:"product"`
	Version    Version                `json:"version"`
	Channel    salesprocess.ChannelID `json:"channel,omitempty"`
	Violations []Violation            `json:"violations"`
	Truncated  bool                   `json:"truncated,omitempty,omitzero"` // omitzero: for the API of encoding/json/v2, whose omitempty keeps false
	Missing    []Disclosure           `json:"missing"`
}

// Violation is one occurrence of a prohibited claim in a checked text.
// Start and End are byte offsets into the text as given: text[Start:End]
// holds exactly the words that matched, from the first byte of the first
// word to the last byte of the last, and normalizes (see [Normalize]) to
// the normal form of Matched. The zero Violation is of no claim, at no
// position.
type Violation struct {
	Claim    string   `json:"claim"`   // the claim's phrase, as the brief writes it
	Matched  string   `json:"matched"` // the phrase or variant found, as the brief writes it
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Severity Severity `json:"severity"`
	Reason   string   `json:"reason"`
}

// Clean reports whether the text broke no rule of the brief: no prohibited
// claim and no missing disclosure.
func (r Report) Clean() bool { return len(r.Violations) == 0 && len(r.Missing) == 0 }

// Worst returns the highest severity among the violations and missing
// disclosures, or "" for a clean report.
func (r Report) Worst() Severity {
	var w Severity
	for _, v := range r.Violations {
		if v.Severity.Rank() > w.Rank() {
			w = v.Severity
		}
	}
	for _, d := range r.Missing {
		if d.Severity.Rank() > w.Rank() {
			w = d.Severity
		}
	}
	return w
}

// CheckPitch checks text against brief b as it applies on channel ch. It
// compiles a [Checker] for the one call; to check many texts, compile one
// with [NewChecker] and keep it. An invalid brief is an error wrapping
// [salesprocess.ErrInvalid].
func CheckPitch(b Brief, ch salesprocess.ChannelID, text string) (Report, error) {
	c, err := NewChecker(b, ch)
	if err != nil {
		return Report{}, err
	}
	return c.Check(text), nil
}

// Checker checks texts (a script, call notes, an e-mail draft) against a
// brief on one channel: it finds every occurrence of the prohibited claims
// and reports the disclosures a text lacks. Matching works on the normal
// form described on [Normalize], so it ignores case, punctuation and runs of
// space, and a phrase matches only whole words: "guaranteed returns" matches
// "Guaranteed   returns!" but not "unguaranteed returnsx". Punctuation
// separates words rather than vanishing: "risk-free" matches "risk free" and
// "Risk–free", but "guaran-teed" (a word hyphenated across a line, say) is
// two words and does not match "guaranteed"; a soft hyphen (U+00AD), which
// is invisible, is ignored within a word. It reads a text in the order it is
// stored, not as it displays: a claim written backward after a right-to-left
// override (U+202E), which shows it the right way round, is not found, nor
// one in look-alike letters of another script (a Cyrillic "о" for a Latin
// "o"); a host that must not let such a text through refuses it before the
// check.
//
// A Checker is compiled once (by [NewChecker]) into an Aho-Corasick
// automaton over the words of all phrases, so that [Checker.Check] takes
// time linear in the length of the text however many phrases the brief
// has, plus the occurrences it finds. It is immutable and safe for
// concurrent use. Make one with [NewChecker]: the zero Checker, like a nil
// *Checker, looks for no phrase, and finds every text clean.
type Checker struct {
	product salesprocess.ProductID
	version Version
	channel salesprocess.ChannelID

	words   map[string]int32 // folded word → its ID, from 1
	maxWord int              // longest folded word, in bytes

	root   []int32   // root[w]: the state after word w from the root; 0 stays
	states []acState // states[0] is the root
	edges  []acEdge  // the non-root transitions, grouped by state, sorted by word
	outs   []int32   // pattern indexes, grouped by the state they end at
	pats   []pattern
	window int // a power of two at least as long as the longest pattern, in words

	claims      []Claim
	disclosures []Disclosure
}

type acState struct {
	edgeLo, edgeHi int32 // edges[edgeLo:edgeHi]
	outLo, outHi   int32 // outs[outLo:outHi]
	fail           int32 // the longest proper suffix that is a state
	dict           int32 // the nearest state on the fail chain with outputs; 0 if none
}

type acEdge struct{ word, next int32 }

type pattern struct {
	words      int32  // length in words
	claim      int32  // index into claims, or -1
	disclosure int32  // index into disclosures, or -1
	text       string // as the brief writes it
}

// NewChecker compiles brief b, as it applies on channel ch (see
// [Brief.ForChannel]; the empty channel takes the brief-wide content), into
// a [Checker]. An invalid brief is an error wrapping
// [salesprocess.ErrInvalid]. The Checker keeps none of b's slices: the
// caller may change or reuse b afterwards without changing it.
func NewChecker(b Brief, ch salesprocess.ChannelID) (*Checker, error) {
	if err := b.Validate(); err != nil {
		return nil, fmt.Errorf("training: compile pitch check: %w", err)
	}
	if ch != "" {
		if err := ch.Validate(); err != nil {
			return nil, fmt.Errorf("training: compile pitch check: %w", salesprocess.InField("channel", err))
		}
	}
	eff := b.ForChannel(ch)
	c := &Checker{
		product: b.Product, version: b.Version, channel: ch,
		words: make(map[string]int32), claims: eff.Prohibited, disclosures: eff.Disclosures,
	}
	for i, cl := range eff.Prohibited {
		c.pats = append(c.pats, pattern{claim: int32(i), disclosure: -1, text: cl.Phrase})
		for _, v := range cl.Variants {
			c.pats = append(c.pats, pattern{claim: int32(i), disclosure: -1, text: v})
		}
	}
	for i, d := range eff.Disclosures {
		c.pats = append(c.pats, pattern{claim: -1, disclosure: int32(i), text: d.Phrase})
	}
	c.build()
	return c, nil
}

// build makes the automaton from c.pats.
func (c *Checker) build() {
	// The trie, with transitions in a map while it grows.
	type key struct{ state, word int32 }
	next := make(map[key]int32)
	children := [][]acEdge{nil}
	ends := [][]int32{nil}
	longest := 1
	for pi := range c.pats {
		ws := words(c.pats[pi].text)
		c.pats[pi].words = int32(len(ws))
		longest = max(longest, len(ws))
		s := int32(0)
		for _, w := range ws {
			id, ok := c.words[w]
			if !ok {
				id = int32(len(c.words) + 1)
				c.words[w] = id
				c.maxWord = max(c.maxWord, len(w))
			}
			n, ok := next[key{s, id}]
			if !ok {
				n = int32(len(children))
				next[key{s, id}] = n
				children[s] = append(children[s], acEdge{id, n})
				children = append(children, nil)
				ends = append(ends, nil)
			}
			s = n
		}
		ends[s] = append(ends[s], int32(pi))
	}
	c.window = 1
	for c.window < longest {
		c.window *= 2
	}

	// Flatten the trie.
	c.root = make([]int32, len(c.words)+1)
	c.states = make([]acState, len(children))
	for s, es := range children {
		if s == 0 {
			for _, e := range es {
				c.root[e.word] = e.next
			}
		} else {
			slices.SortFunc(es, func(a, b acEdge) int { return cmp.Compare(a.word, b.word) })
			c.states[s].edgeLo = int32(len(c.edges))
			c.edges = append(c.edges, es...)
			c.states[s].edgeHi = int32(len(c.edges))
		}
		c.states[s].outLo = int32(len(c.outs))
		c.outs = append(c.outs, ends[s]...)
		c.states[s].outHi = int32(len(c.outs))
	}

	// Fail and dictionary links, breadth first.
	queue := make([]int32, 0, len(children))
	for _, e := range children[0] {
		queue = append(queue, e.next) // fail and dict stay 0
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, e := range children[u] {
			v := e.next
			f := c.step(c.states[u].fail, e.word)
			c.states[v].fail = f
			if c.states[f].outHi > c.states[f].outLo {
				c.states[v].dict = f
			} else {
				c.states[v].dict = c.states[f].dict
			}
			queue = append(queue, v)
		}
	}
}

// child returns the transition from non-root state s on word w, or -1.
func (c *Checker) child(s, w int32) int32 {
	st := &c.states[s]
	es := c.edges[st.edgeLo:st.edgeHi]
	if len(es) <= 8 {
		for _, e := range es {
			if e.word == w {
				return e.next
			}
		}
		return -1
	}
	lo, hi := 0, len(es)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if es[m].word < w {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(es) && es[lo].word == w {
		return es[lo].next
	}
	return -1
}

// step returns the state after word w from state s.
func (c *Checker) step(s, w int32) int32 {
	for s != 0 {
		if n := c.child(s, w); n >= 0 {
			return n
		}
		s = c.states[s].fail
	}
	return c.root[w]
}

// Check checks text and returns the report. Offsets in the report are
// byte offsets into text; text need not be valid UTF-8 (invalid bytes
// separate words). Check takes time linear in len(text) plus the number
// of occurrences found, of which it reports at most [MaxViolations] (see
// [Report]).
// The zero Checker finds nothing.
func (c *Checker) Check(text string) Report {
	if c == nil || c.window == 0 {
		return Report{}
	}
	r := Report{Product: c.product, Version: c.version, Channel: c.channel}
	found := make([]bool, len(c.disclosures))
	starts := make([]int, c.window)
	mask := c.window - 1
	t := tokenizer{text: text}
	s := int32(0)
	for i := 0; ; i++ {
		start, end, ok := t.next()
		if !ok {
			break
		}
		starts[i&mask] = start
		var w int32
		if len(t.buf) <= c.maxWord {
			w = c.words[string(t.buf)]
		}
		if w == 0 {
			s = 0
			continue
		}
		s = c.step(s, w)
		before := len(r.Violations)
		for q := s; q != 0; q = c.states[q].dict {
			st := &c.states[q]
			for _, pi := range c.outs[st.outLo:st.outHi] {
				p := &c.pats[pi]
				if p.disclosure >= 0 {
					found[p.disclosure] = true
					continue
				}
				if r.Truncated {
					continue
				}
				cl := &c.claims[p.claim]
				r.Violations = append(r.Violations, Violation{
					Claim: cl.Phrase, Matched: p.text, Start: starts[(i-int(p.words)+1)&mask], End: end,
					Severity: cl.Severity, Reason: cl.Reason,
				})
			}
		}
		if len(r.Violations) > MaxViolations {
			// Drop this word's occurrences whole, so that the report
			// holds every one that ends before it.
			clear(r.Violations[before:])
			r.Violations = r.Violations[:before]
			r.Truncated = true
		}
	}
	slices.SortStableFunc(r.Violations, func(a, b Violation) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.End, b.End)
	})
	for i, ok := range found {
		if !ok {
			r.Missing = append(r.Missing, c.disclosures[i])
		}
	}
	return r
}

// Phrases returns the number of phrases the checker looks for: prohibited
// claims, their variants and disclosures.
func (c *Checker) Phrases() int {
	if c == nil {
		return 0
	}
	return len(c.pats)
}
