package training_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/training"
)

// NewChecker and NewCatalog keep none of their caller's slices: while the
// caller overwrites, in place, every slice it gave them (a claim, its
// variants, a disclosure, a channel's override, a module, a curriculum's
// modules), goroutines that use the Checker or the Catalog get what they
// were built from. Run with -race, which also reports a slice shared.
func TestBuiltValuesKeepNoCallersSlice(t *testing.T) {
	tests := []struct {
		name string
		// build builds the value and returns what the caller then
		// changes and a use of the value that reports what it gives.
		build func(t *testing.T) (change func(round int), use func() string)
	}{
		{"checker", func(t *testing.T) (func(int), func() string) {
			b := fullBrief()
			c, err := training.NewChecker(b, "retail")
			require.NoError(t, err)
			return func(i int) {
					s := fmt.Sprint("changed ", i)
					b.Prohibited[0].Phrase, b.Prohibited[0].Variants[0] = s, s
					b.Disclosures[0].Phrase = s
					b.Channels[0].Prohibited[0].Phrase, b.Channels[0].Permitted[0] = s, s
					b.Channels[0].Disclosures[0].Phrase = s
				}, func() string {
					return fmt.Sprintf("%+v", c.Check("Guaranteed returns, returns guaranteed and the lowest price"))
				}
		}},
		{"catalog", func(t *testing.T) (func(int), func() string) {
			mods, curs := testModules(), testCurricula()
			cat, err := training.NewCatalog(mods, curs)
			require.NoError(t, err)
			return func(i int) {
					mods[0].Title = fmt.Sprint("changed ", i)
					curs[0].Modules[0] = training.ModuleID(fmt.Sprint("changed-", i))
				}, func() string {
					m, _ := cat.Module("p1-basics")
					cu, _ := cat.Curriculum("p1-phone")
					return fmt.Sprintf("%+v %+v %+v", m, cu, cat.Curricula("p1"))
				}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			change, use := tc.build(t)
			want := use()
			const rounds = 20
			got := make([]string, sharers)
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range rounds {
					change(i)
				}
			}()
			for w := range sharers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range rounds {
						if s := use(); s != want {
							got[w] = s
						}
					}
				}()
			}
			wg.Wait()
			for w, s := range got {
				assert.Empty(t, s, "goroutine %d: a change to the caller's slices changed the built value; want %s", w, want)
			}
			assert.Equal(t, want, use())
		})
	}
}
