package quota_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// Two regions in zones of the same offsets (Paris and Berlin) give two
// months with the same bounds: the groups are ordered the same whatever
// the order of the deals.
func TestKeyOrderOfMonthsInZonesWithTheSameBounds(t *testing.T) {
	paris, berlin := location(t, "Europe/Paris"), location(t, "Europe/Berlin")
	a := quota.Key{Month: sp.Month(2026, time.November, paris)}
	b := quota.Key{Month: sp.Month(2026, time.November, berlin)}
	assert.Equal(t, 1, a.Compare(b), "Europe/Paris after Europe/Berlin")
	assert.Equal(t, -1, b.Compare(a))
	assert.Equal(t, 0, a.Compare(a))

	opts := &quota.Options{Location: func(r sp.RegionID) *time.Location {
		if r == "paris" {
			return paris
		}
		return berlin
	}}
	deals := []pipeline.Deal{
		won("d1", "r1", "paris", cents(100), nov(3)),
		won("d2", "r1", "berlin", cents(100), nov(4)),
	}
	var orders [][]string
	for range 2 {
		rep, err := quota.WinRates(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{Month: true}, opts)
		require.NoError(t, err)
		var keys []string
		for _, g := range rep.Groups {
			keys = append(keys, g.Key.String())
		}
		orders = append(orders, keys)
		slices.Reverse(deals)
	}
	assert.Equal(t, []string{"month=2026-11[Europe/Berlin]", "month=2026-11[Europe/Paris]"}, orders[0])
	assert.Equal(t, orders[0], orders[1], "the order of the groups does not depend on the order of the deals")
}

// A group of records without a value in the dimensions grouped by (deals
// without an owner, grouped by rep) has the same key as everything: its
// String is "all" too.
func TestKeyOfRecordsWithoutValues(t *testing.T) {
	deals := []pipeline.Deal{
		won("d1", "r1", "north", cents(100), nov(3)),
		won("d2", "", "north", cents(100), nov(4)),
	}
	rep, err := quota.WinRates(quota.Refs(deals), sp.Month(2026, time.November, nil), quota.Grouping{Rep: true}, nil)
	require.NoError(t, err)
	require.Len(t, rep.Groups, 2)
	assert.Equal(t, quota.Key{}, rep.Groups[0].Key)
	assert.Equal(t, "all", rep.Groups[0].Key.String())
	assert.Equal(t, "rep=r1", rep.Groups[1].Key.String())
}

// In America/St_Johns clocks turned back from 00:01 NDT to 23:01 NST on
// November 1, 2009: November began at the first midnight, and its first
// hour read October 31 again. A deal won in that hour counts for
// November's goals, and grouped by month it is in November too.
func TestKeyMonthOfAnHourReadingTheMonthBefore(t *testing.T) {
	stJohns := location(t, "America/St_Johns")
	november := sp.Month(2009, time.November, stJohns)
	closed := time.Date(2009, time.November, 1, 3, 0, 0, 0, time.UTC) // 23:30 NST of October 31
	require.True(t, november.Contains(closed))
	deals := []pipeline.Deal{won("d1", "r1", "east", cents(100), closed)}
	opts := &quota.Options{Location: func(sp.RegionID) *time.Location { return stJohns }}
	rep, err := quota.WinRates(quota.Refs(deals), november, quota.Grouping{Month: true}, opts)
	require.NoError(t, err)
	require.Len(t, rep.Groups, 1)
	assert.Equal(t, "month=2009-11[America/St_Johns]", rep.Groups[0].Key.String())
	assert.True(t, rep.Groups[0].Key.Month.Contains(closed))
}

// Two keys have the same String only if they are equal: an ID may hold a
// space or an equals sign, which String quotes.
func TestKeyStringTellsKeysApart(t *testing.T) {
	cases := []struct {
		key  quota.Key
		want string
	}{
		{quota.Key{Rep: "x region=y"}, `rep="x region=y"`},
		{quota.Key{Rep: "x", Region: "y"}, "rep=x region=y"},
		{quota.Key{Custom: `say "hi"`}, `custom="say \"hi\""`},
		{quota.Key{Rep: "ann", Month: sp.Month(2026, time.November, nil)}, "rep=ann month=2026-11"},
		{quota.Key{}, "all"},
	}
	seen := map[string]quota.Key{}
	for _, c := range cases {
		assert.Equal(t, c.want, c.key.String())
		if o, ok := seen[c.key.String()]; ok {
			t.Errorf("%v and %v print alike", o, c.key)
		}
		seen[c.key.String()] = c.key
	}
}
