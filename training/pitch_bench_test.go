package training_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// Targets (issue 5): 5,000 prohibited phrases against 1 MiB of text in at
// most 20 ms, and at least 20 times faster than checking each phrase
// separately over the normalized text (BenchmarkPitchCheck/naive).

const (
	benchPhrases = 5000
	benchText    = 1 << 20
)

func benchSetup(b *testing.B) (training.Brief, string) {
	b.Helper()
	g := newGen(42, 8000)
	return g.brief(benchPhrases), g.textBytes(benchText)
}

// BenchmarkPitchCheck times the checker's automaton against the naive
// search; both must find the same number of matches, which is not zero.
func BenchmarkPitchCheck(b *testing.B) {
	brief, text := benchSetup(b)
	c, err := training.NewChecker(brief, "")
	if err != nil {
		b.Fatal(err)
	}
	want := len(c.Check(text).Violations)
	if want == 0 {
		b.Fatal("the text matches no prohibited phrase")
	}
	b.Run("automaton", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		b.ResetTimer()
		n := 0
		for range b.N {
			n = len(c.Check(text).Violations)
		}
		b.ReportMetric(float64(n), "matches")
	})
	b.Run("naive", func(b *testing.B) {
		// Normalize the phrases once, as a compiled checker would; each
		// iteration normalizes the text and searches it once per phrase.
		var needles []string
		for _, cl := range brief.Prohibited {
			needles = append(needles, " "+training.Normalize(cl.Phrase)+" ")
		}
		b.SetBytes(int64(len(text)))
		b.ResetTimer()
		n := 0
		for range b.N {
			n = 0
			norm := " " + training.Normalize(text) + " "
			for _, needle := range needles {
				for i := 0; ; {
					j := strings.Index(norm[i:], needle)
					if j < 0 {
						break
					}
					n++
					i += j + 1
				}
			}
		}
		if n != want {
			b.Fatalf("the naive search finds %d matches, the checker %d", n, want)
		}
		b.ReportMetric(float64(n), "matches")
	})
}

func BenchmarkNewChecker(b *testing.B) {
	brief, _ := benchSetup(b)
	b.ReportAllocs()
	for range b.N {
		if _, err := training.NewChecker(brief, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// normalizedSink keeps what BenchmarkNormalize normalizes, so that the
// work is not optimized away.
var normalizedSink string

func BenchmarkNormalize(b *testing.B) {
	_, text := benchSetup(b)
	if training.Normalize(text) == "" {
		b.Fatal("the text normalizes to nothing")
	}
	b.SetBytes(int64(len(text)))
	for range b.N {
		normalizedSink = training.Normalize(text)
	}
}

// BenchmarkBriefValidateChannels validates a brief of 2,000 prohibited
// claims with 200 and with 2,000 channel overrides: the cost should grow
// with the overrides, not with the claims times the overrides, as it did
// when each override copied the brief-wide phrases.
func BenchmarkBriefValidateChannels(b *testing.B) {
	for _, channels := range []int{200, 2000} {
		brief := trainingtest.NewBrief()
		for i := range 2000 {
			brief.Prohibited = append(brief.Prohibited, training.Claim{Phrase: fmt.Sprintf("claim %d", i), Reason: "r", Severity: training.SeverityWarning})
		}
		brief.Channels = nil
		for i := range channels {
			o := training.ChannelOverride{Channel: salesprocess.ChannelID(fmt.Sprintf("ch-%d", i))}
			if i%2 == 0 {
				o.Permitted = []string{fmt.Sprintf("claim %d", i)}
				o.Prohibited = []training.Claim{{Phrase: fmt.Sprintf("claim %d", i), Reason: "again here", Severity: training.SeverityWarning}}
			}
			brief.Channels = append(brief.Channels, o)
		}
		if err := brief.Validate(); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("claims=2000/channels=%d", channels), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if err := brief.Validate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
