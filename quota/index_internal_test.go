package quota

import (
	"fmt"
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
