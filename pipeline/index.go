package pipeline

import (
	"time"
	"unsafe"

	sp "github.com/salesprocess/salesprocess"
	"github.com/shopspring/decimal"
)

// stageIndex maps a stage key to its position in a machine. It is built
// once per machine: a perfect hash of the key's length and three of its
// bytes by one multiplication, with a multiplier searched for that
// separates every key, and one string comparison to confirm a hit. Keys
// that no multiplier separates fall back to a map. Either way a lookup
// allocates nothing.
//
// The lookup by the keys' bytes (quick, with unsafe.StringData) is kept for
// what it measured against plain string comparison (Go 1.26, 2-core AMD
// EPYC, benchstat of 10 interleaved runs each): a bare transition 14.3 →
// 18.4 ns, a gated one 22.5 → 25.3 ns, the four transitions of a deal's
// lifecycle 71 → 80 ns, all with p ≤ 0.011.
type stageIndex struct {
	refs     []ref    // where the keys' bytes are: a stage that shares them is found without comparing
	small    []string // the keys, when few enough to scan
	slots    []slot
	mult     uint32
	shift    uint32
	fallback map[string]int
}

type ref struct {
	p *byte
	n int
}

type slot struct {
	key string
	pos int // -1 for an empty slot
}

// mix packs the length and three bytes of a non-empty s into 32 bits.
func mix(s string) uint32 {
	n := len(s)
	return uint32(n) | uint32(s[0])<<8 | uint32(s[n>>1])<<16 | uint32(s[n-1])<<24
}

// maxScan is the largest number of keys a scan beats the hash for: a scan
// compares lengths first, and the comparison of equal strings is
// immediate when they share their bytes, as a stage set from the machine's
// own keys does.
const maxScan = 8

func newStageIndex(keys []string) stageIndex {
	refs := make([]ref, len(keys))
	for i, k := range keys {
		refs[i] = ref{unsafe.StringData(k), len(k)}
	}
	if len(keys) <= maxScan {
		return stageIndex{refs: refs, small: keys}
	}
	bits := uint32(3)
	for 1<<bits < 2*len(keys) {
		bits++
	}
	for ; bits <= 10; bits++ {
		size := 1 << bits
		slots := make([]slot, size)
	mults:
		for i := uint32(0); i < 512; i++ {
			mult := 0x9E3779B1 + 2*i*0x85EBCA77 // odd
			for j := range slots {
				slots[j] = slot{pos: -1}
			}
			for p, k := range keys {
				h := mix(k) * mult >> (32 - bits)
				if slots[h].pos >= 0 {
					continue mults
				}
				slots[h] = slot{key: k, pos: p}
			}
			return stageIndex{refs: refs, slots: slots, mult: mult, shift: 32 - bits}
		}
	}
	x := stageIndex{refs: refs, fallback: make(map[string]int, len(keys))}
	for i, k := range keys {
		x.fallback[k] = i
	}
	return x
}

// find returns the position of key s, or -1.
//
// A stage is usually one of the machine's own key strings (the machine
// sets it on every transition) or a constant the keys were declared with,
// so find first looks for a key with the very same bytes, comparing
// pointers and lengths: no hashing and no call of memequal. Keys are
// distinct strings, so no two share both; a stage with other bytes
// (decoded from JSON, say) takes the scan or the hash.
func (x *stageIndex) find(s string) int {
	if i := x.quick(s); i >= 0 {
		return i
	}
	return x.compare(s)
}

// quick finds s among the keys by where its bytes are, or returns -1.
func (x *stageIndex) quick(s string) int {
	r := ref{unsafe.StringData(s), len(s)}
	for i, k := range x.refs {
		if k == r {
			return i
		}
	}
	return -1
}

// compare finds s by comparing strings.
func (x *stageIndex) compare(s string) int {
	if x.small != nil {
		// Keys are never empty, so k[0] and s[0] exist when the lengths
		// agree; comparing them first spares most calls of memequal.
		for i, k := range x.small {
			if len(k) == len(s) && k[0] == s[0] && k == s {
				return i
			}
		}
		return -1
	}
	if x.fallback != nil || len(s) == 0 {
		return x.slow(s)
	}
	sl := &x.slots[(mix(s)*x.mult>>x.shift)&uint32(len(x.slots)-1)]
	if len(sl.key) != len(s) || sl.key != s {
		return -1
	}
	return sl.pos
}

func (x *stageIndex) slow(s string) int {
	if i, ok := x.fallback[s]; ok {
		return i
	}
	return -1
}

// maxName bounds display names and other short texts, in bytes.
const maxName = 256

// checkName refuses a display name that is too long, not UTF-8, or has
// non-printable characters (line breaks included). Empty is allowed.
func checkName(field, s string) error {
	return checkText(field, s, maxName, false)
}

// checkText applies [sp.ValidateText] to field.
func checkText(field, s string, max int, multiline bool) error {
	return sp.InField(field, sp.ValidateText(s, max, multiline))
}

// checkUnit refuses a decimal outside 0 to 1. It checks the digit bounds
// first (see [sp.ValidateDecimal]): a decimal such as
// decimal.New(1, -2000000000) is compared by scaling the other operand to
// its exponent, a number of two billion digits.
func checkUnit(field string, d decimal.Decimal) error {
	if err := sp.ValidateDecimal(d); err != nil {
		return sp.InField(field, err)
	}
	if d.Sign() < 0 || d.Cmp(decOne()) > 0 {
		return sp.Invalid(field, "%s outside 0 to 1", d)
	}
	return nil
}

// checkTime refuses a time that JSON and SQL cannot hold (see
// [sp.ValidateTime]).
func checkTime(field string, t time.Time) error {
	return sp.InField(field, sp.ValidateTime(t))
}
