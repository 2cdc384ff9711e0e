package quota

import "unsafe"

// keyIndex maps string keys (the IDs of reps, regions, products) to dense
// indexes. A pass over a million deals looks up the same few hundred keys
// again and again, so a small direct-mapped cache keyed by the key's
// length and last bytes sits in front of the map: a hit costs a few byte
// loads and one string comparison, a miss the map lookup it would have
// cost anyway. The zero keyIndex is empty and ready to use.
type keyIndex struct {
	m     map[string]int32
	cache [cacheSlots]cacheEntry
}

type cacheEntry struct {
	key string
	idx int32
	set bool
}

const (
	cacheBits  = 10
	cacheSlots = 1 << cacheBits
)

// slot returns the cache slot of s, from its length and its last four
// bytes: IDs that differ tend to differ there ("rep-041", "rep-042").
func slot(s string) int {
	h := uint32(len(s)) << 24
	if n := len(s); n >= 4 {
		h ^= uint32(s[n-4]) | uint32(s[n-3])<<8 | uint32(s[n-2])<<16 | uint32(s[n-1])<<24
	} else {
		for i := range n {
			h = h<<8 | h>>24 ^ uint32(s[i])
		}
	}
	return int(h * 0x9e3779b1 >> (32 - cacheBits))
}

// lookup returns the index of s and whether s has one. A key that shares
// its bytes with the cached one (the same ID string refilled row after
// row) is found without comparing them.
func (x *keyIndex) lookup(s string) (int32, bool) {
	e := &x.cache[slot(s)]
	if e.set && len(e.key) == len(s) && (unsafe.StringData(e.key) == unsafe.StringData(s) || e.key == s) {
		return e.idx, true
	}
	i, ok := x.m[s]
	if ok {
		*e = cacheEntry{key: s, idx: i, set: true}
	}
	return i, ok
}

// insert gives s the index i.
func (x *keyIndex) insert(s string, i int32) {
	if x.m == nil {
		x.m = map[string]int32{}
	}
	x.m[s] = i
	x.cache[slot(s)] = cacheEntry{key: s, idx: i, set: true}
}

// goalIndex finds the goals filed under a key (a rep's ID, a region's) in
// a pass over deals. Its keys are known before the pass, so it is a
// perfect hash: a multiplier is searched for that sends every key to its
// own slot, and a lookup is one hash, one slot and one comparison, found
// or not. The goal lists lie one after another in one slice. Keys that no
// multiplier separates (of one length, they differ only between their
// first and last four bytes) fall back to a map. The zero goalIndex is
// empty.
type goalIndex struct {
	slots    []goalSlot
	mult     uint64
	shift    uint8
	goals    []int32
	fallback map[string]goalSlot
}

// goalSlot is a key and where its goals are in goalIndex.goals; n is 0
// for an empty slot. sole repeats goals[off], the only goal when n is 1,
// so that the pass over deals finds it without another load.
type goalSlot struct {
	key          string
	off, n, sole int32
}

// newGoalIndex indexes lists[i], the goals of keys[i]; keys are distinct.
func newGoalIndex(keys []string, lists [][]int32) goalIndex {
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
	hashes := make([]uint64, len(keys))
	for i, k := range keys {
		hashes[i] = keyHash(k)
	}
	// The slots a try filled, emptied before the next try: a try that
	// fails on random keys meets its first collision after about the
	// square root of the slots, so that emptying them all would cost far
	// more than the try when there are thousands of keys, which no
	// multiplier separates. Where a try filled many of them, as keys in
	// sequence can, clearing the whole table is the quicker.
	used := make([]uint64, 0, len(keys))
	for limit := bits + 3; bits <= limit && bits <= 24; bits++ {
		slots := make([]goalSlot, 1<<bits)
		used = used[:0]
	mults:
		for i := range uint64(256) {
			mult := 0x9E3779B97F4A7C15 + 2*i*0xBF58476D1CE4E5B9 // odd
			if len(used) > len(slots)/16 {
				clear(slots)
			} else {
				for _, u := range used {
					slots[u] = goalSlot{}
				}
			}
			used = used[:0]
			for j, h := range hashes {
				u := h * mult >> (64 - bits)
				s := &slots[u]
				if s.n > 0 {
					continue mults
				}
				*s = entries[j]
				used = append(used, u)
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

// keyHash mixes the length and the first and last four bytes of s, in few
// enough steps to inline. Keys shorter than four bytes hash alike, so an
// index with two of them takes the map.
func keyHash(s string) uint64 {
	n := len(s)
	if n < 4 {
		return uint64(n)
	}
	t := s[n-4:]
	return (uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(t[0])<<32 | uint64(t[1])<<40 | uint64(t[2])<<48 | uint64(t[3])<<56) ^ uint64(n)
}

// of returns the goals filed under key.
func (x *goalIndex) of(key string) []int32 {
	switch {
	case x.slotted():
		if s := x.at(keyHash(key)); s.holds(key) && s.n > 0 {
			return x.list(s)
		}
	case x.fallback != nil:
		if s, ok := x.fallback[key]; ok {
			return x.list(&s)
		}
	}
	return nil
}

// slotted reports whether x finds its keys by their slots, with at and
// holds, which inline: the way of a pass that meets a few hundred keys a
// million times.
func (x *goalIndex) slotted() bool { return len(x.slots) > 0 }

// at returns the slot of the keys of hash h ([keyHash]); x is slotted.
func (x *goalIndex) at(h uint64) *goalSlot { return &x.slots[h*x.mult>>(x.shift&63)] }

// holds reports whether s is the slot of key. An empty slot holds the
// empty key, with no goals.
func (s *goalSlot) holds(key string) bool {
	return len(s.key) == len(key) && (unsafe.StringData(s.key) == unsafe.StringData(key) || s.key == key)
}

// list returns the goals of slot s.
func (x *goalIndex) list(s *goalSlot) []int32 { return x.goals[s.off : s.off+s.n : s.off+s.n] }

// empty reports whether no goal is filed.
func (x *goalIndex) empty() bool { return len(x.goals) == 0 }
