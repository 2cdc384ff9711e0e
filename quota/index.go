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

const cacheSlots = 512

// slot returns the cache slot of s: IDs that differ tend to differ in
// their length or their last characters.
func slot(s string) int {
	n := len(s)
	h := uint(n) * 131
	switch {
	case n >= 3:
		h += uint(s[n-1]) + uint(s[n-2])*7 + uint(s[n-3])*41
	case n > 0:
		h += uint(s[n-1]) + uint(s[0])*7
	}
	return int(h % cacheSlots)
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

// len returns the number of keys.
func (x *keyIndex) len() int { return len(x.m) }
