package quota_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
)

// requireInvalid fails unless err wraps ErrInvalid with a
// *ValidationError in its chain.
func requireInvalid(t *testing.T, err error) {
	t.Helper()
	var ve *sp.ValidationError
	require.ErrorIs(t, err, sp.ErrInvalid)
	require.True(t, errors.As(err, &ve), "no ValidationError in %v", err)
}

// FuzzEnumText checks the text forms of every string enumeration: unknown
// text wraps ErrInvalid with a ValidationError and leaves the value alone;
// known text validates, marshals back to itself and round-trips through
// JSON; and MarshalText refuses what UnmarshalText refuses.
func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"", "met", "on_pace", "revenue", "won_deals", "company", "open", "cohort", "lattice", "below", "no_data", "MET", " met", "x\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkEnumText(t, quota.LevelRep, text)
		checkEnumText(t, quota.MetricRevenue, text)
		checkEnumText(t, quota.OutcomeWon, text)
		checkEnumText(t, quota.StatusMet, text)
		checkEnumText(t, quota.BasisPeriod, text)
		checkEnumText(t, quota.MethodGrid, text)
		checkEnumText(t, quota.VerdictAbove, text)
	})
}

// textEnum is what FuzzEnumText checks of each enumeration.
type textEnum interface {
	~string
	MarshalText() ([]byte, error)
	Validate() error
}

// checkEnumText checks the contract of FuzzEnumText for text, decoded
// into a T that holds the valid value before.
func checkEnumText[T textEnum, P interface {
	*T
	UnmarshalText([]byte) error
}](t *testing.T, before T, text string) {
	t.Helper()
	v := T(text)
	valid := text == "" || v.Validate() == nil
	got := before
	err := P(&got).UnmarshalText([]byte(text))
	if err != nil {
		requireInvalid(t, err)
		require.Equal(t, before, got, "%T: a failed UnmarshalText changed the value", v)
	} else {
		require.Equal(t, v, got)
	}
	require.Equal(t, valid, err == nil, "%T %q: UnmarshalText %v, Validate %v", v, text, err, v.Validate())
	out, err := v.MarshalText()
	if !valid {
		requireInvalid(t, err)
		_, err = json.Marshal(v)
		require.ErrorIs(t, err, sp.ErrInvalid, "%T %q: json.Marshal", v, text)
		return
	}
	require.NoError(t, err)
	require.Equal(t, text, string(out))
	data, err := json.Marshal(v)
	require.NoError(t, err)
	back := before
	require.NoError(t, json.Unmarshal(data, &back), "%T: %s", v, data)
	require.Equal(t, v, back, "%T: %q does not round-trip through %s", v, text, data)
}

// jsonTypes returns a new value of every type of the package with a JSON
// form, as pointers.
func jsonTypes() []any {
	return []any{
		new(quota.Amount), new(quota.Attainment), new(quota.Chance), new(quota.Comparison), new(quota.ConversionGroup),
		new(quota.ConversionReport), new(quota.Credit), new(quota.CycleGroup), new(quota.CycleReport), new(quota.Durations),
		new(quota.FunnelGroup), new(quota.FunnelReport), new(quota.FunnelStep), new(quota.Goal), new(quota.GoalKey),
		new(quota.InquiryNeed), new(quota.Interval), new(quota.Key), new(quota.Outlook), new(quota.PipelineGroup),
		new(quota.PipelineReport), new(quota.Prior), new(quota.Prospect), new(quota.Rate), new(quota.RateEstimate),
		new(quota.RollupNode), new(quota.Simulation), new(quota.Split), new(quota.Thresholds), new(quota.VelocityGroup),
		new(quota.VelocityReport), new(quota.WinRateGroup), new(quota.WinRateReport),
	}
}

// FuzzUnmarshalJSON decodes arbitrary documents into every type of the
// package with a JSON form: an error wraps ErrInvalid with a
// ValidationError, and a document that decodes encodes to a form that
// decodes and encodes to the same bytes.
func FuzzUnmarshalJSON(f *testing.F) {
	nov := sp.Month(2026, time.November, location(f, "Europe/Berlin"))
	goal := quota.Goal{Rep: "ann", Region: "north", Period: nov, Revenue: cents(100_000)}
	at, err := quota.Attain([]quota.Goal{goal}, nil, nov.Start().Add(time.Hour), nil)
	require.NoError(f, err)
	for _, v := range []any{goal, at[0], quota.Rate{Num: 1, Den: 3}, quota.Split{Rep: "a", Percent: decimal.New(50, 0)},
		quota.Key{Rep: "a", Month: nov}, quota.Amount{Deals: decimal.New(35, -1)}} {
		data, err := json.Marshal(v)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, s := range []string{`{}`, `null`, `[]`, `{"period":"2026-13"}`, `{"num":1e30}`, `{"status":"x"}`, `{"revenue":{"amount":"1","currency":"EUR"},"deals":3}`, `{`,
		`{"count":2,"mean":"1h30m","max":10800000000000}`, `{"cycle":"36h","per_day":{"amount":"1","currency":"EUR"}}`, `{"p90":"-2562047h47m16.854775808s"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fresh := jsonTypes()
		for i, v := range jsonTypes() {
			if err := json.Unmarshal(data, v); err != nil {
				if json.Valid(data) {
					requireInvalid(t, err)
				}
				require.True(t, reflect.ValueOf(v).Elem().IsZero(), "%T: a failed decoding changed the value", v)
				continue
			}
			once, err := json.Marshal(v)
			if err != nil {
				// A value that decodes but does not encode: only what
				// JSON cannot carry back, a time or period beyond the
				// years 1 to 9999.
				require.ErrorIs(t, err, sp.ErrInvalid, "%T from %s", v, data)
				continue
			}
			w := fresh[i]
			require.NoError(t, json.Unmarshal(once, w), "%T: %s", v, once)
			twice, err := json.Marshal(w)
			require.NoError(t, err)
			require.True(t, bytes.Equal(once, twice), "%T does not round-trip:\n%s\n%s", v, once, twice)
		}
	})
}

// FuzzSpreadShapes checks Spread over years, quarters and custom spans: the monthly targets are one per month of the
// period, contiguous, non-negative, and sum exactly to the goal's.
func FuzzSpreadShapes(f *testing.F) {
	f.Add(int64(100_000), false, uint8(0), uint8(12), []byte{1, 2, 3})
	f.Add(int64(7), true, uint8(1), uint8(3), []byte{0, 0, 5})
	f.Add(int64(1), false, uint8(2), uint8(40), []byte{})
	f.Fuzz(func(t *testing.T, target int64, count bool, shape, days uint8, ws []byte) {
		g := quota.Goal{Rep: "ann"}
		switch shape % 3 {
		case 0:
			g.Period = sp.Year(2026, nil)
		case 1:
			g.Period = sp.Quarter(2026, 1, location(t, "Europe/Berlin"))
		default:
			start := time.Date(2026, 1, 15, 6, 0, 0, 0, time.UTC)
			p, err := sp.NewPeriod(start, start.Add(time.Duration(days)*24*time.Hour+time.Hour))
			require.NoError(t, err)
			g.Period = p
		}
		if count {
			g.Deals = target
		} else {
			g.Revenue = cents(target)
		}
		var weights []decimal.Decimal
		for i, b := range ws {
			weights = append(weights, decimal.New(int64(b)-3, -int32(i%3)))
		}
		if len(ws) == 0 {
			weights = nil
		}
		parts, err := quota.Spread(g, weights)
		if err != nil {
			requireInvalid(t, err)
			return
		}
		months := slices.Collect(g.Period.Months())
		require.Len(t, parts, len(months))
		var sum decimal.Decimal
		for i, p := range parts {
			require.True(t, p.Period.Equal(months[i]), "part %d: %s, month %s", i, p.Period, months[i])
			require.GreaterOrEqual(t, p.Target().Sign(), 0)
			require.Equal(t, g.Metric(), p.Metric())
			sum = sum.Add(amountValue(p.Target()))
		}
		require.True(t, sum.Equal(amountValue(g.Target())), "parts sum to %s, not %s", sum, g.Target())
	})
}

// FuzzProrate checks Prorate: shares are non-negative, sum to at most the
// goal's target, and exactly to it when the parts cover the period; a part
// outside the period or overlapping an earlier one is refused, and an
// error about the parts names the first such part.
func FuzzProrate(f *testing.F) {
	f.Add(int64(100_000), false, []byte{0, 10, 10, 30})
	f.Add(int64(3), true, []byte{5, 6})
	f.Add(int64(1), false, []byte{0, 255})
	f.Fuzz(func(t *testing.T, target int64, count bool, cuts []byte) {
		month := sp.Month(2026, time.March, location(t, "Europe/Berlin"))
		g := quota.Goal{Rep: "ann", Period: month}
		if count {
			g.Deals = target
		} else {
			g.Revenue = cents(target)
		}
		hour := func(b byte) time.Time { return month.Start().Add(time.Duration(b) * 3 * time.Hour) }
		var parts []sp.Period
		covered := time.Duration(0)
		for i := 0; i+1 < len(cuts) && len(parts) < 8; i += 2 {
			p, err := sp.NewPeriod(hour(cuts[i]), hour(cuts[i+1]))
			if err != nil {
				continue
			}
			parts = append(parts, p)
			covered += p.Duration()
		}
		shares, err := quota.Prorate(g, parts...)
		// The first part that reaches outside the month or overlaps an
		// earlier one, which Prorate refuses, naming it.
		bad := -1
		for i, p := range parts {
			if p.Start().Before(month.Start()) || p.End().After(month.End()) || slices.ContainsFunc(parts[:i], p.Overlaps) {
				bad = i
				break
			}
		}
		if err != nil {
			requireInvalid(t, err)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			if strings.HasPrefix(ve.Field, "parts[") {
				require.Equal(t, fmt.Sprintf("parts[%d]", bad), ve.Field, "%v", err)
			}
			return
		}
		require.Equal(t, -1, bad, "a part outside the month or overlapping another accepted: %v", parts)
		require.Len(t, shares, len(parts))
		var sum decimal.Decimal
		for _, s := range shares {
			require.GreaterOrEqual(t, s.Target().Sign(), 0)
			sum = sum.Add(amountValue(s.Target()))
		}
		require.True(t, sum.LessThanOrEqual(amountValue(g.Target())), "shares sum to %s, above %s", sum, g.Target())
		if covered == month.Duration() {
			require.True(t, sum.Equal(amountValue(g.Target())), "shares of the whole sum to %s, not %s", sum, g.Target())
		}
	})
}

// FuzzRamp checks Ramp.Goals: no panic; every goal valid, for the rep and
// region, in a calendar month of the ramp's location, at most months of
// them from the month of Start on, in order; month i's goal is Monthly
// times Steps[i] (1 once the steps run out), rounded half-up, but for a
// first month that starts after its first day, whose goal starts that day
// and is at most that; and every later month with a goal above zero has
// one. A step above 1 is refused, and an error about the steps names the
// first such step.
func FuzzRamp(f *testing.F) {
	f.Add(int64(100_000), int64(1_700_000_000), []byte{25, 50, 75}, 6)
	f.Add(int64(1), int64(0), []byte{}, 1)
	f.Add(int64(100_000), int64(1_700_000_000), []byte{25, 150, 250}, 6) // a step above 1
	f.Add(int64(-5), int64(-1_000_000_000_000), []byte{200}, 1300)
	f.Add(int64(333), int64(1_772_341_200), []byte{0, 33, 50, 100}, 7) // from midnight on March 1st, 2026, in New York
	f.Fuzz(func(t *testing.T, monthly, start int64, steps []byte, months int) {
		loc := location(t, "America/New_York")
		r := quota.Ramp{Rep: "ann", Region: "north", Start: time.Unix(start, 0), Monthly: cents(monthly), Location: loc}
		for _, s := range steps {
			r.Steps = append(r.Steps, decimal.New(int64(s), -2))
		}
		goals, err := r.Goals(months)
		// The first step above 1, which Goals refuses, naming it.
		bad := slices.IndexFunc(steps, func(s byte) bool { return s > 100 })
		if err != nil {
			requireInvalid(t, err)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			if strings.HasPrefix(ve.Field, "ramp.steps[") {
				require.Equal(t, fmt.Sprintf("ramp.steps[%d]", bad), ve.Field, "%v", err)
			}
			return
		}
		require.Equal(t, -1, bad, "a step above 1 accepted: %v", r.Steps)
		require.LessOrEqual(t, len(goals), months)
		y, m, d := r.Start.In(loc).Date()
		full := func(i int) sp.Money {
			step := decimal.New(1, 0)
			if i < len(r.Steps) {
				step = r.Steps[i]
			}
			return r.Monthly.Mul(step).Round(sp.HalfUp)
		}
		have := map[int]bool{}
		last := -1
		for _, g := range goals {
			require.NoError(t, g.Validate())
			require.Equal(t, r.Rep, g.Rep)
			require.Equal(t, r.Region, g.Region)
			require.True(t, g.Revenue.Sign() > 0)
			from := g.Period.Start().In(loc)
			i := (from.Year()-y)*12 + int(from.Month()-m)
			require.True(t, i > last && i < months, "goal %s is month %d of %d, after %d", g.Period, i, months, last)
			last, have[i] = i, true
			cal := sp.Month(from.Year(), from.Month(), loc)
			require.True(t, g.Period.End().Equal(cal.End()), "goal %s ends in another month than %s", g.Period, cal)
			if g.Period.Start().Equal(cal.Start()) {
				require.True(t, g.Revenue.Equal(full(i)), "month %d: goal %s, want %s", i, g.Revenue, full(i))
				continue
			}
			require.Zero(t, i, "goal %s starts after its month's start", g.Period)
			require.True(t, g.Period.Start().Equal(sp.DayStart(y, m, d, loc)), "the first goal %s starts after the first day", g.Period)
			c, err := g.Revenue.Cmp(full(0))
			require.NoError(t, err)
			require.LessOrEqual(t, c, 0, "the first, partial month's goal %s above %s", g.Revenue, full(0))
		}
		for i := 1; i < months; i++ {
			require.True(t, have[i] || full(i).Sign() == 0, "month %d has no goal, but %s", i, full(i))
		}
	})
}

// FuzzRampJSON decodes arbitrary JSON as a Ramp, into a ramp that holds
// one in Berlin's zone. It checks: an error wraps ErrInvalid with a
// ValidationError naming "ramp" or a field below it, and leaves the ramp
// as it was, and so does null; a ramp that decodes encodes, or is refused
// naming "ramp.time_zone" or "ramp.start", with its zone written by name
// in time_zone (left out for none), and reads back with the same zone by
// name, to the same bytes on a second round; and, given a zone without
// an IANA name or a start past the year 9999, its encoding is refused
// naming that member.
func FuzzRampJSON(f *testing.F) {
	berlin := location(f, "Europe/Berlin")
	held := func() quota.Ramp {
		return quota.Ramp{Rep: "ann", Region: "north", Start: time.Date(2026, time.March, 30, 9, 0, 0, 0, berlin),
			Monthly: cents(900_000), Steps: []decimal.Decimal{decimal.New(25, -2), decimal.New(5, -1)}, Location: berlin}
	}
	for _, r := range []quota.Ramp{held(), {Rep: "eva", Start: time.Date(2026, time.November, 11, 0, 0, 0, 0, time.UTC), Monthly: cents(1)},
		{Rep: "bo", Start: time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC), Location: time.UTC}} {
		data, err := json.Marshal(r)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, s := range []string{`null`, `{}`, `[]`, `{"rep":1}`, `{"rep":"eva","time_zone":"Local"}`, `{"time_zone":"Mars/Olympus_Mons"}`,
		`{"time_zone":""}`, `{"rep":"eva","time_zone":"UTC"}`, `{"time_zone":"Etc/GMT+5"}`, `{"time_zone":"America/Buenos_Aires"}`, `{"time_zone":"../../etc/passwd"}`,
		`{"start":"9999-12-31T23:59:59-01:00"}`, `{"start":"0000-01-01T00:00:00+01:00","time_zone":"Asia/Kathmandu"}`,
		`{"steps":["1e-9999",2]}`, `{"monthly":{"amount":"1","currency":"EUR"},"TIME_ZONE":"Europe/Lisbon"}`,
		`{"rep":"eva","timezone":"Europe/Lisbon"}`, `{"rep":"eva","time_zone":"UTC","Time_Zone":"Europe/Lisbon"}`,
		`{"rep":"eva","start":"2027-01-01","start":"2027-02-01T00:00:00Z"}`, "\fnull", "null\u00a0"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := held()
		if err := r.UnmarshalJSON(data); err != nil || string(bytes.Trim(data, " \t\r\n")) == "null" {
			if err != nil {
				requireInvalid(t, err)
				var ve *sp.ValidationError
				require.ErrorAs(t, err, &ve)
				require.True(t, ve.Field == "ramp" || strings.HasPrefix(ve.Field, "ramp."), "field %q: %v", ve.Field, err)
			}
			require.True(t, reflect.DeepEqual(held(), r), "a failed decoding, or null, changed the ramp: %v", err)
			return
		}
		require.True(t, json.Valid(data), "took %q, which is not JSON", data)
		once, err := json.Marshal(r)
		if err != nil {
			requireInvalid(t, err)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Contains(t, []string{"ramp.time_zone", "ramp.start"}, ve.Field, "%v", err)
			return
		}
		var members map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(once, &members))
		zone, named := members["time_zone"]
		require.Equal(t, r.Location != nil, named, "zone %v written as %s", r.Location, once)
		if named {
			require.Equal(t, strconv.Quote(r.Location.String()), string(zone))
		}
		var again quota.Ramp
		require.NoError(t, json.Unmarshal(once, &again), "%s", once)
		require.Equal(t, r.Location == nil, again.Location == nil)
		if r.Location != nil {
			require.Equal(t, r.Location.String(), again.Location.String())
		}
		twice, err := json.Marshal(again)
		require.NoError(t, err)
		require.Equal(t, string(once), string(twice), "the round trip changed the ramp")

		bad, want := again, "ramp.time_zone"
		if len(data)%2 == 0 {
			bad.Location = time.FixedZone("XYZ", 3600)
		} else {
			bad.Start, want = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC), "ramp.start"
		}
		_, err = json.Marshal(bad)
		requireInvalid(t, err)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Equal(t, want, ve.Field, "%v", err)
	})
}

// FuzzRates checks the statistics of rates: Wilson intervals lie in [0, 1]
// around the rate, comparisons agree with their intervals, shrunk
// estimates lie between the rate and the prior's mean, fitted priors are
// valid, and InquiriesNeeded's range brackets its count.
func FuzzRates(f *testing.F) {
	f.Add(int64(7), int64(20), int64(30), int64(50), 0.95, int32(4))
	f.Add(int64(0), int64(0), int64(1), int64(1), 0.5, int32(0))
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), int64(1), int64(2), 0.999999, int32(18))
	f.Fuzz(func(t *testing.T, num, den, pnum, pden int64, confidence float64, places int32) {
		r, peers := quota.Rate{Num: num, Den: den}, quota.Rate{Num: pnum, Den: pden}
		iv, err := r.Wilson(confidence, places)
		if err != nil {
			requireInvalid(t, err)
		} else {
			require.True(t, iv.Lower.Sign() >= 0 && iv.Upper.LessThanOrEqual(decimal.New(1, 0)) && iv.Lower.LessThanOrEqual(iv.Upper), "%s", iv)
			if r.Den > 0 {
				slack := decimal.New(1, -places)
				p := r.Decimal(18)
				require.True(t, iv.Lower.Sub(slack).LessThanOrEqual(p) && p.LessThanOrEqual(iv.Upper.Add(slack)), "%s outside %s", p, iv)
			}
		}
		c, err := quota.Compare(r, peers, confidence, places)
		if err != nil {
			requireInvalid(t, err)
		} else {
			require.NoError(t, c.Verdict.Validate())
			switch c.Verdict {
			case quota.VerdictBelow:
				require.True(t, c.Interval.Upper.Sign() <= 0, "%+v", c)
			case quota.VerdictAbove:
				require.True(t, c.Interval.Lower.Sign() >= 0, "%+v", c)
			}
		}
		prior, err := quota.FitPrior(slices.Values([]quota.Rate{r, peers}))
		if err != nil {
			requireInvalid(t, err)
			return
		}
		require.NoError(t, prior.Validate())
		if s, err := r.Shrink(prior, 18); err == nil && r.Den > 0 {
			p := r.Decimal(18).InexactFloat64()
			lo, hi := math.Min(p, prior.Mean)-1e-9, math.Max(p, prior.Mean)+1e-9
			require.True(t, s.InexactFloat64() >= lo && s.InexactFloat64() <= hi, "%s outside [%v, %v]", s, lo, hi)
		}
		need, err := quota.InquiriesNeeded(quota.Amount{Deals: decimal.New(pden%1000, 0)}, r, sp.Money{}, confidence)
		if err != nil {
			requireInvalid(t, err)
			return
		}
		if need.Needed >= 0 && need.Fewest >= 0 {
			require.LessOrEqual(t, need.Fewest, need.Needed, "%+v", need)
		}
		if need.Needed >= 0 && need.Most >= 0 {
			require.LessOrEqual(t, need.Needed, need.Most, "%+v", need)
		}
	})
}

// FuzzRollUp checks RollUp on arbitrary goals: no panic, errors wrap the
// sentinels, and each node's parts are the sum of its children's
// effective goals.
func FuzzRollUp(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{0, 0, 0, 255, 255, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := newFuzzStream(data)
		nov := sp.Month(2026, time.November, nil)
		periods := []sp.Period{nov, nov.Next(), sp.Quarter(2026, 4, nil)}
		half, _ := sp.NewPeriod(nov.Start(), nov.Start().Add(15*24*time.Hour))
		periods = append(periods, half)
		ids := []string{"", "a", "b"}
		var goals []quota.Goal
		for b.more() && len(goals) < 30 {
			g := quota.Goal{Rep: sp.RepID(ids[b.next()%3]), Region: sp.RegionID(ids[b.next()%3]), Period: periods[b.next()%4]}
			if b.next()%2 == 0 {
				g.Revenue = cents(b.next()*100 - 50)
			} else {
				g.Deals = b.next() - 5
			}
			goals = append(goals, g)
		}
		for _, metric := range []quota.Metric{quota.MetricRevenue, quota.MetricWonDeals} {
			node, err := quota.RollUp(nov, metric, slices.Values(goals))
			if err != nil {
				require.True(t, wrapsSentinel(err), "%v", err)
				continue
			}
			var check func(n quota.RollupNode)
			check = func(n quota.RollupNode) {
				if len(n.Children) == 0 {
					return
				}
				var sum decimal.Decimal
				for _, c := range n.Children {
					check(c)
					if c.HasOwn {
						sum = sum.Add(amountValue(c.Own))
					} else {
						sum = sum.Add(amountValue(c.Parts))
					}
				}
				require.True(t, sum.Equal(amountValue(n.Parts)), "parts %s, children %s", n.Parts, sum)
			}
			check(node)
		}
	})
}

func amountValue(a quota.Amount) decimal.Decimal {
	if a.Metric() == quota.MetricRevenue {
		return a.Money.Amount()
	}
	return a.Deals
}

// FuzzGoalValidate checks Goal.Validate against goalVerdict, the same
// rules written plainly: any IDs, a period of any instants (before the
// year 1, past 9999, or where daylight saving folds it to nothing) in a
// zone with an IANA name or a fixed zone under any name, and any targets.
// Validate refuses exactly the goals goalVerdict refuses, with an error
// wrapping ErrInvalid that names the same field (or one below it), and a
// goal it accepts encodes to JSON that decodes back to it.
func FuzzGoalValidate(f *testing.F) {
	f.Add("ann", "north", "widget", int64(1_793_000_000), uint32(43_200), uint8(1), int64(100_000), uint8(0), int64(0))
	f.Add("", "", "", int64(1_793_000_000), uint32(0), uint8(0), int64(0), uint8(0), int64(3))
	f.Add(" ann", "north\x00", "", int64(253_402_300_000), uint32(100), uint8(4), int64(-5), uint8(1), int64(0))
	f.Add("ann", "", "", int64(-62_135_600_000), uint32(600), uint8(5), int64(1), uint8(2), int64(-1))
	f.Add("ann", "", "", int64(1_698_541_200), uint32(20), uint8(1), int64(7), uint8(0), int64(0))  // 02:00 to 02:20 as clocks turn back in Berlin
	f.Add("ann", "", "", int64(1_793_000_000), uint32(600), uint8(3), int64(7), uint8(0), int64(0)) // in a fixed zone "XYZ"
	// The zones, and whether a period in each can leave the process: a
	// fixed zone only under the name of the IANA zone of its offset.
	zones := []struct {
		loc *time.Location
		ok  bool
	}{
		{time.UTC, true}, {location(f, "Europe/Berlin"), true}, {location(f, "America/Asuncion"), true},
		{time.FixedZone("XYZ", 3600), false}, {time.FixedZone("Etc/GMT-1", 3600), true},
		{time.FixedZone("Europe/Berlin", 3600), false}, {time.FixedZone("", 0), false},
	}
	currencies := []sp.Currency{"EUR", "JPY", "BHD"}
	f.Fuzz(func(t *testing.T, rep, region, product string, start int64, minutes uint32, zone uint8,
		units int64, currency uint8, deals int64) {
		g := quota.Goal{Rep: sp.RepID(rep), Region: sp.RegionID(region), Product: sp.ProductID(product), Deals: deals}
		z := zones[int(zone)%len(zones)]
		if minutes > 0 {
			from := time.Unix(start, 0).In(z.loc)
			if p, err := sp.NewPeriod(from, from.Add(time.Duration(minutes)*time.Minute)); err == nil {
				g.Period = p
			}
		}
		if units != 0 || currency%4 != 3 {
			if m, err := sp.NewMoneyFromMinor(units, currencies[int(currency)%len(currencies)]); err == nil {
				g.Revenue = m
			}
		}
		want := goalVerdict(g, z.ok)
		err := g.Validate()
		if want == "" {
			require.NoError(t, err, "%+v", g)
			raw, err := json.Marshal(g)
			require.NoError(t, err, "a valid goal encodes")
			var back quota.Goal
			require.NoError(t, json.Unmarshal(raw, &back), "%s", raw)
			again, err := json.Marshal(back)
			require.NoError(t, err)
			require.Equal(t, string(raw), string(again))
			return
		}
		require.Error(t, err, "%+v: want a refusal naming %s", g, want)
		requireInvalid(t, err)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve)
		require.True(t, ve.Field == want || len(ve.Field) > len(want) && ve.Field[:len(want)+1] == want+".",
			"%+v: the error names %q, want %q: %v", g, ve.Field, want, err)
	})
}

// goalVerdict returns the field that Goal.Validate's error names for g,
// "" if g is valid: IDs valid where set, in the order rep, region,
// product; a period that is set, within the years 1 to 9999 (a custom
// one ending in them too), in a zone that can leave the process (zoneOK),
// and that lasts some wall-clock time in its zone as Coverage measures
// it; then exactly one target, positive, a revenue being a valid amount.
func goalVerdict(g quota.Goal, zoneOK bool) string {
	switch {
	case g.Rep != "" && g.Rep.Validate() != nil:
		return "goal.rep"
	case g.Region != "" && g.Region.Validate() != nil:
		return "goal.region"
	case g.Product != "" && g.Product.Validate() != nil:
		return "goal.product"
	}
	p := g.Period
	if p.IsZero() {
		return "goal.period"
	}
	last := p.End().Add(-time.Nanosecond)
	if p.Start().Year() < 1 || last.Year() > 9999 || p.End().Year() > 9999 && p.Kind() == sp.KindCustom || !zoneOK {
		return "goal.period"
	}
	// The wall-clock readings of its bounds, the first instant of a day
	// reading as its midnight.
	wall := func(t time.Time) time.Time {
		y, m, d := t.Date()
		if t.Equal(sp.DayStart(y, m, d, t.Location())) {
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
		return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	if !wall(p.Start()).Before(wall(p.End())) || p.Duration() < 48*time.Hour && !p.Coverage(p).Defined() {
		return "goal.period"
	}
	revenue := !g.Revenue.IsUnset()
	switch {
	case revenue && g.Deals != 0, !revenue && g.Deals == 0:
		return "goal"
	case g.Deals < 0:
		return "goal.deals"
	case revenue && (g.Revenue.Validate() != nil || g.Revenue.Sign() <= 0):
		return "goal.revenue"
	}
	return ""
}
