package training

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/salesprocess/salesprocess"
)

// MaxRampMonths bounds the length of an onboarding ramp.
const MaxRampMonths = 36

// Onboarding assigns a trained rep to a regional sales division from a
// start time, with a full monthly sales goal and a ramp: the fractions of
// that goal the rep is given in the first months (0.25, 0.5, 0.75 gives a
// quarter of the goal in the month of Start, half in the next, three
// quarters in the third, the full goal from then on). It is expressed in
// root types only, so that package quota can turn it into goals: the
// month of Start is reckoned in the region's time zone by whoever makes
// the goals, and quota's Ramp.Goals prorates the goal of that month by
// the days left in it from Start's day. The host makes the quota.Ramp from
// it, field by field, with the region's zone as its Location (see the
// example of [Trainer.Onboard]). Ramp fractions are exact decimals from 0
// to 1.
//
// Give Start in the region's zone, at the time the rep starts. The ramp's
// first day is the day of Start there: midnight UTC on August 1 is July 31
// in Los Angeles, where the rep would get a goal for one day of July.
// [Trainer.Onboard] wants a certificate valid at the instant Start: given
// a Start at midnight, it refuses a rep certified at 09:00 that day, as
// not yet valid. In JSON, Start is an RFC 3339 time: unlike quota's Ramp, an
// onboarding has no zone to place a date alone in, and refuses one.
//
// An onboarding keeps no zone of its own, by design: the zone is its
// region's ([salesprocess.Region].Location), kept once with the region by
// the host, and nothing in this package reckons an onboarding's months
// (Onboard checks a certificate at the instant Start, [Onboarding.Goal]
// counts months from Start by their index), so a copy here could only
// disagree with the region's. quota's Ramp, which reckons them, takes the
// zone, and its JSON form takes a date alone as the rep's first day.
// [Options].Location moves neither Start nor the months; it writes the
// times of Onboard's reasons in the rep's zone.
//
// A rep who moves to another region later is not onboarded again: the host
// sets the rep's Region and splits the month's goal at the move with
// quota's Reassign. The zero Onboarding is invalid: its Validate refuses it.
type Onboarding struct {
	Rep         salesprocess.RepID    `json:"rep"`
	Region      salesprocess.RegionID `json:"region"`
	Start       time.Time             `json:"start"`
	MonthlyGoal salesprocess.Money    `json:"monthly_goal"`
	Ramp        []decimal.Decimal     `json:"ramp,omitempty"`
}

// Validate reports whether o has a valid rep and region, a start time, a
// valid positive monthly goal, and a ramp of at most [MaxRampMonths]
// fractions, each from 0 to 1. The error wraps [salesprocess.ErrInvalid].
func (o Onboarding) Validate() error {
	if err := requireID("onboarding.rep", o.Rep); err != nil {
		return err
	}
	if err := requireID("onboarding.region", o.Region); err != nil {
		return err
	}
	if err := validateTime("onboarding.start", o.Start, true); err != nil {
		return err
	}
	if o.MonthlyGoal.IsUnset() {
		return salesprocess.Invalid("onboarding.monthly_goal", "missing")
	}
	if err := o.MonthlyGoal.Validate(); err != nil {
		return salesprocess.InField("onboarding.monthly_goal", err)
	}
	if o.MonthlyGoal.Sign() <= 0 {
		return salesprocess.Invalid("onboarding.monthly_goal", "not positive")
	}
	if len(o.Ramp) > MaxRampMonths {
		return salesprocess.Invalid("onboarding.ramp", "longer than %d months", MaxRampMonths)
	}
	one := decimal.NewFromInt(1)
	for i, f := range o.Ramp {
		field := fmt.Sprintf("onboarding.ramp[%d]", i)
		if err := salesprocess.ValidateDecimal(f); err != nil {
			return salesprocess.InField(field, err)
		}
		if f.Sign() < 0 || f.Cmp(one) > 0 {
			return salesprocess.Invalid(field, "%s outside 0 to 1", f)
		}
	}
	return nil
}

// Factor returns the fraction of the monthly goal for the i-th month of
// the onboarding (0 is the month of Start): the ramp's entry while the
// ramp lasts, 1 after it, and 0 for a negative i.
func (o Onboarding) Factor(i int) decimal.Decimal {
	switch {
	case i < 0:
		return decimal.Zero
	case i < len(o.Ramp):
		return o.Ramp[i]
	}
	return decimal.NewFromInt(1)
}

// Goal returns the goal for the whole i-th month of the onboarding (0 is
// the month of Start): the monthly goal times [Onboarding.Factor], exact
// (round it with [salesprocess.Money.Round] if wanted). It does not
// prorate the month of Start for a rep who starts after its first day, as
// package quota's Ramp.Goals does.
func (o Onboarding) Goal(i int) salesprocess.Money { return o.MonthlyGoal.Mul(o.Factor(i)) }

// Assign returns rep r assigned to o's region. A rep other than o's, or
// an onboarding without a valid region, is an error wrapping
// [salesprocess.ErrInvalid]; r is not changed.
func (o Onboarding) Assign(r salesprocess.Rep) (salesprocess.Rep, error) {
	if r.ID != o.Rep {
		return r, fmt.Errorf("training: assign rep: %w", salesprocess.Invalid("rep.id", "%s is not the onboarded rep %s", salesprocess.Quote(string(r.ID)), salesprocess.Quote(string(o.Rep))))
	}
	if err := requireID("onboarding.region", o.Region); err != nil {
		return r, fmt.Errorf("training: assign rep: %w", err)
	}
	r.Region = o.Region
	return r, nil
}
