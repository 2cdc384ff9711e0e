package training

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns the normal form of s that pitch checks compare: its
// words, case-folded and joined by single spaces. A word is a letter or
// number (Unicode categories L and N, so "²" and "½" too) and the letters,
// numbers and combining marks that follow it; everything else
// (punctuation, symbols, spaces, the Hangul fillers U+115F, U+1160, U+3164
// and U+FFA0, which are letters that display as blank space, invalid
// UTF-8, and the combining marks that follow them, such as the variation
// selector of an emoji) separates words, except that invisible characters
// between two parts of a word are ignored: format characters (Unicode
// category Cf: a soft hyphen, a zero-width joiner, a bidi mark; but not the
// zero-width space) and the invisible marks (variation selectors and the
// combining grapheme joiner, which only pick a glyph, and the Khmer
// inherent vowels U+17B4 and U+17B5, which show nothing), which do not
// show in the normal form.
// An ideograph of a script written without spaces (Han, Hiragana,
// Katakana) is a word by itself, with the marks that follow it, so "無料"
// matches within "完全無料です"; so are the CJK and Kangxi radicals
// (U+2E80 to U+2FD5), which Unicode counts as Han, though they are
// symbols. Case folding is Unicode simple folding: two
// runes fold alike exactly when [unicode.SimpleFold] links them, and the
// folded form is a lower-case member of that orbit where there is one. It
// knows no language: the Turkish "İ" and "ı" fold only to themselves, so
// "IŞIK" does not match "ışık", nor "İndirim" "indirim". There is no other
// normalization: a precomposed "é" and an "e" followed by a combining
// acute accent are different words, "ß" does not match "ss", and the
// full-width "ＦＲＥＥ" does not match "FREE". So
// "Guaranteed   RETURNS!" normalizes to "guaranteed returns", and the
// Kelvin sign "K" folds to "k".
func Normalize(s string) string {
	var b strings.Builder
	t := tokenizer{text: s}
	for {
		_, _, ok := t.next()
		if !ok {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.Write(t.buf)
	}
	return b.String()
}

// words returns the folded words of s.
func words(s string) []string {
	var out []string
	t := tokenizer{text: s}
	for {
		_, _, ok := t.next()
		if !ok {
			return out
		}
		out = append(out, string(t.buf))
	}
}

// tokenizer walks the words of a text, as defined on [Normalize]. After
// each successful next, buf holds the folded word. The zero tokenizer with
// text set is ready.
type tokenizer struct {
	text string
	pos  int
	buf  []byte
}

// Rune classes of the tokenizer.
const (
	classSep    = iota // separates words
	classWord          // letter or digit
	classMark          // combining mark: continues any word
	classIdeo          // ideograph: a word by itself
	classFormat        // invisible format character or glyph selector: ignored inside a word
)

func isASCIIWord(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// classify returns the class of the rune r, size bytes long.
func classify(r rune, size int) int {
	switch {
	case r == utf8.RuneError && size <= 1:
		return classSep
	case r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)):
		return classIdeo
	case r == hangulFiller || r == halfwidthHangulFiller || r == choseongFiller || r == jungseongFiller:
		return classSep // letters that display as blank space
	case unicode.IsLetter(r) || unicode.IsNumber(r):
		return classWord
	case unicode.IsMark(r):
		if r == graphemeJoiner || r == khmerVowelInherentAq || r == khmerVowelInherentAa || unicode.Is(unicode.Variation_Selector, r) {
			return classFormat // invisible: it only picks a glyph, or shows nothing
		}
		return classMark
	case r != zeroWidthSpace && unicode.Is(unicode.Cf, r):
		return classFormat
	}
	return classSep
}

const (
	zeroWidthSpace        = '\u200b'
	graphemeJoiner        = '\u034f' // combining grapheme joiner
	khmerVowelInherentAq  = '\u17b4' // marks that show nothing; Unicode discourages them
	khmerVowelInherentAa  = '\u17b5'
	hangulFiller          = '\u3164'
	halfwidthHangulFiller = '\uffa0'
	choseongFiller        = '\u115f' // the fillers of conjoining jamo
	jungseongFiller       = '\u1160'
)

// continues reports whether the text s, which starts with a rune other
// than a format character, continues a word (an ideograph's when ideo).
func continues(s string, ideo bool) bool {
	if c := s[0]; c < utf8.RuneSelf {
		return !ideo && isASCIIWord(c)
	}
	cls := classify(utf8.DecodeRuneInString(s))
	return cls == classMark || (!ideo && cls == classWord)
}

// next finds the next word and returns its byte span [start, end) in the
// text, with its folded form in t.buf; ok is false at the end of the text.
func (t *tokenizer) next() (start, end int, ok bool) {
	s := t.text
	i := t.pos
	cls := classSep
	size := 1
	var r rune
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if isASCIIWord(c) {
				cls, r, size = classWord, rune(c), 1
				break
			}
			i++
			continue
		}
		r, size = utf8.DecodeRuneInString(s[i:])
		// A mark with no letter, digit or ideograph before it belongs to
		// the separator it follows (the variation selector of an emoji).
		if cls = classify(r, size); cls == classWord || cls == classIdeo {
			break
		}
		i += size
	}
	if i >= len(s) {
		t.pos = len(s)
		return 0, 0, false
	}
	start = i
	buf := appendFold(t.buf[:0], r)
	i += size
	ideo := cls == classIdeo
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if ideo || !isASCIIWord(c) {
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, size = utf8.DecodeRuneInString(s[i:])
		cls = classify(r, size)
		if cls == classFormat {
			// Skip a run of format characters if the word goes on after
			// it; otherwise the word ends before it.
			j := i + size
			for j < len(s) {
				r, size = utf8.DecodeRuneInString(s[j:])
				if classify(r, size) != classFormat {
					break
				}
				j += size
			}
			if j < len(s) && continues(s[j:], ideo) {
				i = j
				continue
			}
			break
		}
		if cls == classSep || cls == classIdeo || (ideo && cls != classMark) {
			break
		}
		buf = appendFold(buf, r)
		i += size
	}
	t.buf = buf
	t.pos = i
	return start, i, true
}

// appendFold appends the folded form of r to buf.
func appendFold(buf []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(buf, byte(r))
	}
	return utf8.AppendRune(buf, fold(r))
}

// fold returns the canonical member of r's simple case-folding orbit:
// the lower case of its smallest member if that is in the orbit (a for A
// and a, k for K, k and the Kelvin sign), else its smallest lower-case
// member (ι for the orbit of the combining ypogegrammeni), else its
// smallest member.
func fold(r rune) rune {
	least, lowest := r, rune(-1)
	if unicode.IsLower(r) {
		lowest = r
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
		if unicode.IsLower(f) && (lowest < 0 || f < lowest) {
			lowest = f
		}
	}
	if l := unicode.ToLower(least); l != least {
		for f := unicode.SimpleFold(least); f != least; f = unicode.SimpleFold(f) {
			if f == l {
				return l
			}
		}
	}
	if lowest >= 0 {
		return lowest
	}
	return least
}
