package review

import (
	"strings"
	"testing"
)

// An assignment's reason names each curriculum once, in the order its
// actions came, those to renew a certificate first and those to earn one
// in a clause of their own, and is cut to 4 KiB.
func TestAssignmentReason(t *testing.T) {
	for _, tc := range []struct {
		name string
		add  func(*reason)
		want string
	}{
		{"plain", func(*reason) {}, "review 2026-11: x"},
		{"no_curriculum", func(r *reason) { r.add("", true) }, "review 2026-11: x"},
		{"renew_twice", func(r *reason) { r.add("a", false); r.add("a", false) },
			"review 2026-11: x; every module of curriculum a is assigned, to renew its certificate"},
		{"earn_then_renew", func(r *reason) { r.add("e", true); r.add("b", false); r.add("a", false); r.add("e", false) },
			"review 2026-11: x; every module of curricula b and a is assigned, to renew their certificates" +
				"; every module of curriculum e is assigned, to earn its certificate"},
		{"earn_three", func(r *reason) { r.add("c", true); r.add("a", true); r.add("b", true) },
			"review 2026-11: x; every module of curricula c, a and b is assigned, to earn their certificates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := reason{plain: "review 2026-11: x"}
			tc.add(&r)
			if got := r.String(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	long := reason{plain: strings.Repeat("x", maxReason)}
	long.add("a", false)
	if got := long.String(); got != strings.Repeat("x", maxReason) {
		t.Errorf("not cut to %d bytes: %d", maxReason, len(got))
	}
}
