package quota_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // tests load time zones on machines without zoneinfo

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
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

// cents returns n cents of EUR.
func cents(n int64) sp.Money {
	m, _ := sp.NewMoneyFromMinor(n, "EUR")
	return m
}

// randomProspects returns n prospects with amounts of 1 to maxCents cents
// (multiples of step cents) and probabilities of four decimal places
// strictly between 0 and 1, from a seeded generator.
func randomProspects(seed uint64, n int, maxCents, step int64) []quota.Prospect {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]quota.Prospect, n)
	for i := range out {
		amount := (r.Int64N(maxCents/step) + 1) * step
		out[i] = quota.Prospect{
			Amount:      cents(amount),
			Probability: decimal.New(r.Int64N(9998)+1, -4),
		}
	}
	return out
}

// bruteForce returns P(booked + Σ won ≥ goal) and the expected shortfall
// in cents by enumerating every outcome, with Neumaier summation.
func bruteForce(goal, booked sp.Money, ps []quota.Prospect) (float64, float64) {
	need := goal.Amount().Sub(booked.Amount()).Shift(2).IntPart()
	n := len(ps)
	u := make([]int64, n)
	p := make([]float64, n)
	for i, pr := range ps {
		u[i] = pr.Amount.Amount().Shift(2).IntPart()
		p[i] = pr.Probability.InexactFloat64()
	}
	var prob, short neumaier
	for mask := 0; mask < 1<<n; mask++ {
		w := 1.0
		var s int64
		for i := range n {
			if mask>>i&1 == 1 {
				w *= p[i]
				s += u[i]
			} else {
				w *= 1 - p[i]
			}
		}
		if s >= need {
			prob.add(w)
		} else {
			short.add(w * float64(need-s))
		}
	}
	return prob.sum(), short.sum()
}

// neumaier is a compensated sum.
type neumaier struct{ s, c float64 }

func (n *neumaier) add(x float64) {
	t := n.s + x
	if math.Abs(n.s) >= math.Abs(x) {
		n.c += (n.s - t) + x
	} else {
		n.c += (x - t) + n.s
	}
	n.s = t
}

func (n *neumaier) sum() float64 { return n.s + n.c }

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
