package quota

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
	for i := max(len(s)-4, 0); i < len(s); i++ {
		h = h<<8 | h>>24 ^ uint32(s[i])
	}
	return int(h * 0x9e3779b1 >> (32 - cacheBits))
}

// lookup returns the index of s and whether s has one.
func (x *keyIndex) lookup(s string) (int32, bool) {
	e := &x.cache[slot(s)]
	if e.set && e.key == s {
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
