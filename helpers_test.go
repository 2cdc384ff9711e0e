package salesprocess_test

import (
	"testing"
	"time"
	_ "time/tzdata" // tests load time zones on machines without zoneinfo

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// money parses s, the text form of Money, failing the test if it is bad.
func money(tb testing.TB, s string) sp.Money {
	tb.Helper()
	m, err := sp.ParseMoney(s)
	require.NoError(tb, err, "money %q", s)
	return m
}

// dec parses s as a decimal, failing the test if it is bad.
func dec(tb testing.TB, s string) decimal.Decimal {
	tb.Helper()
	d, err := decimal.NewFromString(s)
	require.NoError(tb, err, "decimal %q", s)
	return d
}

// location loads the time zone name, failing the test if it is unknown.
func location(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(tb, err)
	return loc
}

// period parses s, the text form of Period, failing the test if it is bad.
func period(tb testing.TB, s string) sp.Period {
	tb.Helper()
	p, err := sp.ParsePeriod(s)
	require.NoError(tb, err, "period %q", s)
	return p
}

// moneyStrings returns the text forms of ms, for comparing lists of Money.
func moneyStrings(ms []sp.Money) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

// machineLocal is the machine's time zone as Go names it where the TZ
// environment variable is unset: time.Local, named "Local", which has no
// IANA name and which the module refuses. Where TZ names a zone, time.Local
// takes that name and is valid, so a fixed zone named "Local", refused
// alike, stands in for it, and the tests do not depend on the machine.
var machineLocal = func() *time.Location {
	if time.Local.String() == "Local" {
		return time.Local
	}
	return time.FixedZone("Local", 0)
}()
