package training_test

import (
	"strings"

	"github.com/salesprocess/salesprocess/training"
)

// gen makes reproducible briefs and texts from a vocabulary of made-up
// words, with a small xorshift generator (no global state).
type gen struct {
	state uint64
	vocab []string
}

func newGen(seed uint64, vocab int) *gen {
	g := &gen{state: seed*0x9E3779B97F4A7C15 + 1}
	syll := []string{"ka", "lo", "mi", "ne", "su", "ra", "to", "vi", "pe", "do", "gu", "ar", "en", "is", "ox"}
	seen := map[string]bool{}
	for len(g.vocab) < vocab {
		n := 1 + g.intn(4)
		var b strings.Builder
		for range n {
			b.WriteString(syll[g.intn(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	return g
}

func (g *gen) next() uint64 {
	g.state ^= g.state << 13
	g.state ^= g.state >> 7
	g.state ^= g.state << 17
	return g.state
}

func (g *gen) intn(n int) int { return int(g.next() % uint64(n)) }

// brief returns a brief with n distinct prohibited phrases of 1 to 4 words.
func (g *gen) brief(n int) training.Brief {
	b := testBrief("1.0")
	seen := map[string]bool{}
	for len(b.Prohibited) < n {
		k := 1 + g.intn(4)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = g.vocab[g.intn(len(g.vocab))]
		}
		p := strings.Join(ws, " ")
		if seen[p] {
			continue
		}
		seen[p] = true
		b.Prohibited = append(b.Prohibited, claim(p, training.SeverityWarning))
	}
	return b
}

// text returns n words of the vocabulary (and some words outside it) with
// varied case, punctuation and spacing.
func (g *gen) text(n int) string {
	var b strings.Builder
	seps := []string{" ", " ", " ", "  ", ", ", ". ", "! ", "\n", " - "}
	for i := range n {
		if i > 0 {
			b.WriteString(seps[g.intn(len(seps))])
		}
		w := g.vocab[g.intn(len(g.vocab))]
		switch g.intn(10) {
		case 0:
			w = strings.ToUpper(w)
		case 1:
			w = strings.ToUpper(w[:1]) + w[1:]
		case 2:
			w = "other" + w // a word outside the vocabulary
		}
		b.WriteString(w)
	}
	return b.String()
}

// textBytes returns text of at least n bytes.
func (g *gen) textBytes(n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(g.text(1000))
		b.WriteString(". ")
	}
	return b.String()[:n]
}
