package training_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// A pilot's period is one span of instants for all its localities: a pilot
// of November 2026 in Europe/Berlin (+01:00) takes the sales made in a
// locality of Auckland (+13:00) from 12:00 on November 1 there up to 12:00
// on December 1, and those of Lisbon (+00:00) from 23:00 on October 31 up
// to 23:00 on November 30. RequireEnded is met from midnight starting
// December 1 in Berlin, while it is still November 30 in Lisbon.
func TestDecidePilotPeriodInOneZoneForLocalitiesInOthers(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		return loc
	}
	berlin, auckland, lisbon := load("Europe/Berlin"), load("Pacific/Auckland"), load("Europe/Lisbon")
	p := training.Pilot{
		ID: "f1", Product: "p1", Version: v("1.0"), Localities: []string{"Auckland", "Lisbon"},
		Quantity: 1000, Period: salesprocess.Month(2026, time.November, berlin),
		Criteria: training.Criteria{RequireEnded: true, MinUnitsSold: 1},
	}
	sale := func(id, locality string, units int64, at time.Time) training.Sale {
		return training.Sale{ID: training.SaleID(id), Pilot: "f1", Locality: locality, Units: units, Time: at}
	}
	sales := []training.Sale{
		sale("a1", "Auckland", 1, time.Date(2026, time.November, 1, 11, 59, 0, 0, auckland)), // Oct 31 23:59 in Berlin
		sale("a2", "Auckland", 2, time.Date(2026, time.November, 1, 12, 0, 0, 0, auckland)),
		sale("a3", "Auckland", 4, time.Date(2026, time.December, 1, 11, 59, 0, 0, auckland)), // Nov 30 23:59 in Berlin
		sale("a4", "Auckland", 8, time.Date(2026, time.December, 1, 12, 0, 0, 0, auckland)),
		sale("l1", "Lisbon", 16, time.Date(2026, time.October, 31, 23, 0, 0, 0, lisbon)),
		sale("l2", "Lisbon", 32, time.Date(2026, time.November, 30, 23, 0, 0, 0, lisbon)), // Dec 1 00:00 in Berlin
	}
	at := time.Date(2026, time.December, 1, 0, 0, 0, 0, berlin)
	d, err := training.Decide(p, sales, nil, at.Add(12*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(2+4+16), d.Figures.UnitsSold)
	byLocality := map[string]int64{}
	for _, lf := range d.Figures.Localities {
		byLocality[lf.Locality] = lf.UnitsSold
	}
	assert.Equal(t, map[string]int64{"Auckland": 6, "Lisbon": 16}, byLocality)

	d, err = training.Decide(p, sales, nil, at)
	require.NoError(t, err)
	require.NotEmpty(t, d.Reasons)
	assert.Equal(t, training.CriterionEnded, d.Reasons[0].Criterion)
	assert.True(t, d.Reasons[0].Met, "ended at midnight in Berlin, 23:00 on November 30 in Lisbon")
	d, err = training.Decide(p, sales, nil, at.Add(-time.Nanosecond))
	require.NoError(t, err)
	assert.False(t, d.Reasons[0].Met)
}
