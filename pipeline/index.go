package pipeline

import (
	"unicode"
	"unicode/utf8"

	sp "github.com/salesprocess/salesprocess"
)

// stageIndex maps a stage key to its position in a machine. It is built
// once per machine: a minimal-effort perfect hash over the key's length and
// three of its bytes, searched for a seed that separates every key, with
// one string comparison to confirm a hit. Keys that no seed separates fall
// back to a map. Either way a lookup allocates nothing.
type stageIndex struct {
	keys     []string
	slots    []int8 // position+1 of the key hashed there; 0 for none
	mask     uint32
	seed     uint32
	fallback map[string]int
}

func hashKey(s string, seed uint32) uint32 {
	n := len(s)
	h := uint32(n)*0x9E3779B1 ^ uint32(s[0])*0x85EBCA77 ^ uint32(s[n-1])*0xC2B2AE3D ^ uint32(s[n>>1])*0x27D4EB2F
	h = (h ^ seed) * 0x165667B1
	return h ^ h>>15
}

func newStageIndex(keys []string) stageIndex {
	x := stageIndex{keys: keys}
	size := 8
	for size < 2*len(keys) {
		size *= 2
	}
	for ; size <= 1024; size *= 2 {
		slots := make([]int8, size)
	seeds:
		for seed := uint32(0); seed < 256; seed++ {
			clear(slots)
			for i, k := range keys {
				h := hashKey(k, seed) & uint32(size-1)
				if slots[h] != 0 {
					continue seeds
				}
				slots[h] = int8(i + 1)
			}
			x.slots, x.mask, x.seed = slots, uint32(size-1), seed
			return x
		}
	}
	x.fallback = make(map[string]int, len(keys))
	for i, k := range keys {
		x.fallback[k] = i
	}
	return x
}

// find returns the position of key s, or -1.
func (x *stageIndex) find(s string) int {
	if x.fallback != nil {
		if i, ok := x.fallback[s]; ok {
			return i
		}
		return -1
	}
	if s == "" {
		return -1
	}
	i := int(x.slots[hashKey(s, x.seed)&x.mask]) - 1
	if i < 0 || x.keys[i] != s {
		return -1
	}
	return i
}

// maxName bounds display names and other short texts, in bytes.
const maxName = 256

// checkName refuses a display name that is too long, not UTF-8, or has
// non-printable characters (line breaks included). Empty is allowed.
func checkName(field, s string) error {
	return checkText(field, s, maxName, false)
}

// checkText refuses text longer than max bytes or not UTF-8; unless
// multiline, it also refuses non-printable characters.
func checkText(field, s string, max int, multiline bool) error {
	switch {
	case len(s) > max:
		return sp.Invalid(field, "longer than %d bytes", max)
	case !utf8.ValidString(s):
		return sp.Invalid(field, "not valid UTF-8")
	}
	if multiline {
		return nil
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return sp.Invalid(field, "has the non-printable character %U", r)
		}
	}
	return nil
}
