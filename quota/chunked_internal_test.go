package quota

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestChunkedKeepsEntriesByIndex(t *testing.T) {
	const size = 1 << chunkBits
	for _, n := range []int{0, 1, size - 1, size, size + 1, 3*size + 7} {
		var c chunked[int]
		var full *int // the first entry, once its chunk is full
		want := make([]int, n)
		for i := range n {
			want[i] = i * 3
			c.add(want[i])
			require.Equal(t, i+1, c.n)
			if i == size-1 {
				full = c.at(0)
			}
		}
		require.Equal(t, n, c.n)
		for i := range n {
			require.Equal(t, want[i], *c.at(i), "entry %d of %d", i, n)
		}
		if n > size {
			// A full chunk is never copied; later ones are made full size.
			require.Same(t, full, c.at(0))
			require.Len(t, c.chunks, (n+size-1)/size)
			require.Equal(t, size, cap(c.chunks[1]))
		}
		got := []int{}
		for v := range c.all() {
			got = append(got, *v)
		}
		require.Equal(t, want, got)
		seen := 0
		for range c.all() {
			if seen++; seen == 2 {
				break
			}
		}
		require.Equal(t, min(n, 2), seen, "an early stop ends the sequence")
	}
}
