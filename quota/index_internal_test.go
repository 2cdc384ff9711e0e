package quota

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestGoalIndex checks that every key finds its own goals and no other key
// finds any, whether the index is a perfect hash or falls back to its map.
func TestGoalIndex(t *testing.T) {
	many := make([]string, 500)
	for i := range many {
		many[i] = fmt.Sprintf("rep-%04d", i)
	}
	tests := []struct {
		name     string
		keys     []string
		fallback bool
	}{
		{"none", nil, false},
		{"one", []string{"r1"}, false},
		{"ids", []string{"rep-001", "rep-002", "rep-010", "north", "south", "emea-central"}, false},
		{"hundreds", many, false},
		// Same length, same first and last four bytes: one hash.
		{"middle", []string{"rep-aaa-001", "rep-bbb-001", "rep-ccc-001"}, true},
		// Keys shorter than four bytes hash by their length alone.
		{"short", []string{"a", "b", "cd"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lists := make([][]int32, len(tt.keys))
			for i := range tt.keys {
				lists[i] = []int32{int32(2 * i), int32(2*i + 1)}
			}
			x := newGoalIndex(tt.keys, lists)
			if got := x.fallback != nil; got != tt.fallback {
				t.Fatalf("fallback %v, want %v", got, tt.fallback)
			}
			if x.empty() != (len(tt.keys) == 0) {
				t.Fatalf("empty %v with %d keys", x.empty(), len(tt.keys))
			}
			for i, k := range tt.keys {
				// A copy of the key: found by its bytes, not its pointer.
				got := x.of(strings.Clone(k))
				if len(got) != 2 || got[0] != int32(2*i) || got[1] != int32(2*i+1) {
					t.Errorf("of(%q) = %v, want %v", k, got, lists[i])
				}
			}
			for _, k := range []string{"", "x", "rep-0000x", "rep-ddd-001", "rep-001 ", "souths"} {
				if got := x.of(k); got != nil && !contains(tt.keys, k) {
					t.Errorf("of(%q) = %v, want none", k, got)
				}
			}
		})
	}
}

func contains(keys []string, k string) bool {
	for _, s := range keys {
		if s == k {
			return true
		}
	}
	return false
}

// TestGoalIndexSameAsEmptyingEverySlot checks that the index, which empties
// only the slots a failed try filled, picks the multiplier and the slots
// that emptying every slot before each try picks, or falls back to its map
// in the same cases, for random keys from a few to thousands.
func TestGoalIndexSameAsEmptyingEverySlot(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for _, n := range []int{1, 2, 5, 40, 200, 700, 3000} {
		for try := range 4 {
			keys := make([]string, 0, n)
			seen := map[string]bool{}
			for len(keys) < n {
				k := fmt.Sprintf("%s-%d", []string{"rep", "r", "region-north", "x"}[r.IntN(4)], r.IntN(4*n))
				if try%2 == 1 {
					k = fmt.Sprintf("r%0*d", 1+r.IntN(8), r.IntN(100*n))
				}
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
			lists := make([][]int32, n)
			for i := range lists {
				lists[i] = make([]int32, 1+r.IntN(3))
				for j := range lists[i] {
					lists[i][j] = r.Int32N(1000)
				}
			}
			got, want := newGoalIndex(keys, lists), goalIndexEmptyingEverySlot(keys, lists)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d keys, try %d: the index differs from the one emptying every slot (fallback %v, want %v; mult %#x, want %#x)",
					n, try, got.fallback != nil, want.fallback != nil, got.mult, want.mult)
			}
		}
	}
}

// goalIndexEmptyingEverySlot is newGoalIndex as it was written first, with
// every slot emptied before each try.
func goalIndexEmptyingEverySlot(keys []string, lists [][]int32) goalIndex {
	if len(keys) == 0 {
		return goalIndex{}
	}
	var x goalIndex
	entries := make([]goalSlot, len(keys))
	for i, k := range keys {
		entries[i] = goalSlot{key: k, off: int32(len(x.goals)), n: int32(len(lists[i]))}
		if len(lists[i]) > 0 {
			entries[i].sole = lists[i][0]
		}
		x.goals = append(x.goals, lists[i]...)
	}
	bits := uint8(1)
	for 1<<bits < 2*len(keys) {
		bits++
	}
	for limit := bits + 3; bits <= limit && bits <= 24; bits++ {
		slots := make([]goalSlot, 1<<bits)
	mults:
		for i := range uint64(256) {
			mult := 0x9E3779B97F4A7C15 + 2*i*0xBF58476D1CE4E5B9
			clear(slots)
			for j, k := range keys {
				s := &slots[keyHash(k)*mult>>(64-bits)]
				if s.n > 0 {
					continue mults
				}
				*s = entries[j]
			}
			x.slots, x.mult, x.shift = slots, mult, 64-bits
			return x
		}
	}
	x.fallback = make(map[string]goalSlot, len(keys))
	for _, e := range entries {
		x.fallback[e.key] = e
	}
	return x
}

// indexSink keeps the index BenchmarkGoalIndex builds, so that building it
// is not optimized away.
var indexSink goalIndex

// BenchmarkGoalIndex builds the index of n reps' goals, at n and 10n: where
// no multiplier separates the keys, as none does thousands of random keys,
// the tries cost about the square root of the slots each, not the slots.
func BenchmarkGoalIndex(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		// IDs a host may give, without a pattern a hash may follow.
		r := rand.New(rand.NewPCG(uint64(n), 1))
		keys := make([]string, n)
		lists := make([][]int32, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("rep-%08x", r.Uint32())
			lists[i] = []int32{int32(i)}
		}
		idx := newGoalIndex(keys, lists)
		for i, k := range keys {
			if got := idx.of(k); len(got) != 1 || got[0] != int32(i) {
				b.Fatalf("the goals of %s: %v, want [%d]", k, got, i)
			}
		}
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			for range b.N {
				indexSink = newGoalIndex(keys, lists)
			}
		})
	}
}
