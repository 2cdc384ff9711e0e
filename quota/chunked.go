package quota

import "iter"

// chunked is a list that grows by chunks of a fixed size, which it never
// copies once full. A pass that keeps an entry per record (an inquiry of a
// cohort) would otherwise, by append, copy every entry again each time it
// outgrew its array: for a large list, by a quarter at a time, allocating
// some five times its final size. Only the first chunk grows by append,
// up to its full size, so a short list costs what a slice does. Entries
// are found by index: a pointer to one in the first chunk stays valid only
// until the next add.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

// chunkBits sets the size of a chunk: 4,096 entries.
const chunkBits = 12

// add appends v, whose index is the number of entries before it.
func (c *chunked[T]) add(v T) {
	k := c.n >> chunkBits
	if k == len(c.chunks) {
		size := 0
		if k > 0 {
			size = 1 << chunkBits
		}
		c.chunks = append(c.chunks, make([]T, 0, size))
	}
	c.chunks[k] = append(c.chunks[k], v)
	c.n++
}

// at returns the entry of index i.
func (c *chunked[T]) at(i int) *T {
	return &c.chunks[i>>chunkBits][i&(1<<chunkBits-1)]
}

// all yields every entry in the order they were added.
func (c *chunked[T]) all() iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for _, ch := range c.chunks {
			for i := range ch {
				if !yield(&ch[i]) {
					return
				}
			}
		}
	}
}
