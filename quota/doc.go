// Package quota turns the second step of the sales process into numbers
// one can trust: reps get monthly sales goals in their regional divisions,
// inquiries become won deals, and "the ratio of inquiries to closed deals
// is the conversion rate; the higher it is, the likelier the team meets its
// targets". It holds pure calculators: no storage, no clock, no context;
// every result is exact where it is money or a count, and deterministic.
//
// # Goals
//
// A [Goal] is a target for a rep, a region or the company, for a period
// (usually a calendar month in the region's time zone), in revenue
// ([sp.Money]) or in won deals. [Spread] splits a yearly or
// quarterly goal over its months by weights, [Prorate] and [Reassign] split
// a goal by days (a rep hired on the 11th, a rep who moved between regions
// mid-month), and [Ramp.Goals] turns a new rep's onboarding (full monthly
// goal, first day, ramp, time zone) into monthly goals. All of them
// allocate exactly, by [sp.Money.AllocateDecimal]: the parts sum
// to the whole to the last cent (or deal). [RollUp] sums goals up the
// hierarchy rep → region → company and reports where a region's own goal
// differs from the sum of its reps'. A [GoalStore] is the interface for
// hosts that keep goals.
//
// # Attainment
//
// [Attain] measures goals against the deals won in their periods, by close
// time (the period's bounds are instants, so a month in the region's zone
// counts deals by their close time in that zone), with split credit
// ([Options.Splits], [Credits]: percentages that sum to exactly 100, amounts
// that sum exactly to the deal's): percent attained, gap, pace against the
// elapsed part of the period ([Elapsed]: calendar time, or working days of
// a [Calendar]), run-rate projection and a [Status] by [Thresholds].
// A company's month in one zone is therefore not the sum of its regions'
// months in theirs: deals closed late on a month's last day west of the
// company's zone count for its next month, and deals closed early on the
// next month's first day east of it for this one (see [Attain]).
//
// # Rates and conversion
//
// A [Rate] is an exact pair of counts; a zero denominator is "no data",
// never NaN. It renders as a decimal rounded half-up ([Rate.Decimal]), has a
// Wilson score interval ([Rate.Wilson]), and an empirical-Bayes estimate
// shrunk toward its group's rate ([Rate.Shrink], [FitPrior]), so that a rep
// with 2 of 3 is not ranked above one with 60 of 100. [Compare] tells
// whether a rate is significantly below its peers' (Newcombe's hybrid score
// interval for the difference), and [CompareAmong] does so for one of many
// comparisons judged together (Bonferroni). Statistics are computed in
// float64 and reported as decimals rounded half-up to stated places, but
// for a [Chance] (its Value and ErrorBound), a [Simulation] (its Value and
// StdErr), a [Prior] (its Mean and Strength) and the Confidence a grouped
// report was computed at, which are float64. In JSON the first three are
// numbers, the approximations they are; the confidence, a level the caller
// chose, is a decimal string ("0.95"), as review writes its own, and reads
// from a JSON number too, as earlier versions wrote it. The JSON forms
// follow the module's convention ("JSON forms" in the doc of package
// salesprocess): a result's lists are [] when empty, never null, a time or
// period that may be zero (an optional one) is left out when it is, one a
// result always has is always written, even in a zero result, no
// [Durations] are {"count":0}, their
// statistics left out, and an attainment's pace, a percentage, is the
// member pace_percent.
//
// Conversion has two definitions, named in the API:
//
//   - Cohort ([CohortConversion]): of the inquiries received in a period,
//     the share that became won deals by an as-of time. Numerator and
//     denominator count the same inquiries, so it is a proportion, and it
//     grows as the cohort's deals are won (and falls if won deals are
//     reopened: deals are judged as they are now).
//   - Period ([PeriodConversion]): the deals won in a period over the
//     inquiries received in it, whenever those deals' inquiries arrived.
//     It counts events and may exceed 1. Deals are judged as they are now
//     here too, so it is final when the period ends but for wins reopened
//     since, which no longer count.
//
// [WinRates] gives won / (won + lost) of the deals closed in a period;
// [Funnel] the stage-to-stage conversion from the deals' histories, with
// skipped stages counted as passed, reopened deals judged by all they ever
// reached, and open deals counted as pending, not lost; [SalesCycle],
// [TimeToConvert] and [FirstResponse] the durations with median and
// percentiles; [Velocity] the pipeline velocity. Every one of them groups
// by any [Grouping] of rep, region, product, channel, campaign, month and a
// host's key as it reads the records, allocating per group, not per record;
// only what percentiles and cohorts need grows with the records: one
// duration per record measured, one entry per inquiry of a cohort.
//
// # Forecasts
//
// [WeightedPipeline] sums probability × amount over open deals (lost deals
// contribute nothing, whatever probability they carry). [Forecast] gives,
// for each goal, what is booked, the open deals expected to close in the
// period, the coverage (weighted pipeline over the remaining gap), and the
// [Chance] of reaching the target: P(booked + Σ Xᵢaᵢ ≥ goal) with Xᵢ
// independent Bernoulli(pᵢ) ([Reach] computes it from plain prospects).
// The method is chosen per input and reported with a bound that holds:
//
//   - [MethodEnumeration], for up to 32 deals: every outcome, meeting in
//     the middle, with compensated sums. Exact up to float64 rounding
//     (bound below 1e-13).
//   - [MethodLattice]: dynamic programming over the multiples of the
//     amounts' greatest common divisor, within a window of about ±8.4σ
//     around the running mean (Freedman's inequality puts the mass leaving
//     it below 1e-15; the mass actually dropped is tracked and added to the
//     bound), wider where one amount is large beside σ, and never wider
//     than all the amounts together. Used when it fits a budget of some
//     2·10⁴ cells per deal; for a need small beside the pipeline (a goal
//     nearly met), exactly, as any deal of at least the need reaches it
//     alone and the others' partial sums below the need fit the budget;
//     when only the largest few deals (up to 4) keep it from the budget, as
//     a deal of millions among deals of cents does, for each outcome of
//     those few, the lattice of the others.
//   - [MethodEdgeworth]: the normal approximation with the skewness term,
//     with Esseen's smoothing inequality for the bound: the characteristic
//     function's distance to the expansion's is bounded analytically near
//     zero (from the deals' cumulants) and by exact evaluation farther out,
//     plus 24m/(πT). The bound shrinks about as 1/Σpᵢ(1−pᵢ), so as 1/n
//     for even chances and as one over the number of deals expected to be
//     won for rare ones: for heterogeneous amounts in cents it is below
//     10⁻³ from about a thousand deals won one time in two to ten, and
//     about 2·10⁻⁴ for ten thousand; for ten thousand deals each won one
//     time in thirty to a hundred, about 2·10⁻³. Beyond, the budget of the
//     exact evaluation shortens T, and it is about 10⁻³ for a million.
//     When a few deals (up to 12) dwarf the others, as a deal of millions
//     among thousands of small ones does, the sum is far from normal: every
//     outcome of those few (the fewest largest that leave no other deal
//     above a tenth of the others' standard deviation or, when there are
//     none, those above the widest drop, of four times or more, from one
//     amount to the next among the largest) is then enumerated and the
//     expansion applied to the others, whose bound holds at every
//     threshold. Where the need lies far in a tail (a goal all but
//     certain, or all but hopeless), the bound is narrowed by Bernstein's
//     inequality, which gives the chance within exp(−y²/(2(1+βy/3)))/2 for
//     a need y standard deviations from the mean (β the largest deal's
//     deviation from its mean, in standard deviations): a goal of a tenth
//     of the expected total of 200 even chances is 1 within 10⁻¹⁵, not
//     within the expansion's 2·10⁻³.
//   - [MethodGrid]: the dynamic program on a coarser grid, its rounding
//     bracketed exactly, when that bracket beats the Edgeworth bound.
//
// [Simulate] is the seeded Monte Carlo cross-check (math/rand/v2 PCG, the
// same result on any machine for the same seed). [InquiriesNeeded] says how
// many more inquiries close a gap at the current conversion rate and
// average won amount, with the range from the rate's Wilson interval.
//
// # Inputs and outputs
//
// Calculators take records as iter.Seq[*pipeline.Deal] and
// iter.Seq[*pipeline.Inquiry], read them in one pass (two for calculators
// that follow inquiries to deals: inquiries first) and keep no pointer to
// them, so a host can stream them from its database refilling one variable
// ([Records] adapts a store listing, [Refs] a slice). Records are taken to
// be distinct; only the calculators that follow inquiries to their deals,
// which index the inquiries by ID, count a repeated inquiry ID once (and
// inquiries without an ID each). A nil sequence holds no records; a nil
// record in a sequence is an error wrapping [sp.ErrInvalid] that ends the
// pass. A record's time that is unset (the zero time: an inquiry without
// Received, a deal without Created or Closed) lies in no period, not even
// one that holds the zero time. Whether a deal is open, won or lost is
// [Options.Outcome]'s call ([DefaultOutcome] for the default pipeline,
// [OutcomeBy] for pipeline definitions). Results are sorted by [Key],
// marshal to JSON and back (but for months in zones without an IANA name,
// see below, and totals of more than the 40 digits before the point that a
// [sp.Money] holds, which only amounts near 10³⁹ reach), and are safe to
// share; the calculators only read what they are given, so calls on several
// goroutines at once may share their records (through sequences that can be
// walked again, such as [Refs] of a slice) and their [Options]. No function
// panics; bad input gets an error wrapping [sp.ErrInvalid] (or
// [sp.ErrCurrencyMismatch] for mixed currencies, which names the deal at
// fault in a pass over deals, and the goal too for a deal of another
// currency than a goal; in [RollUp], the goal) that names the field,
// prefixed "quota: " but for the errors of the Validate, MarshalText,
// UnmarshalText and JSON methods, which name the field only, so that a
// caller's error can take them in. Periods that go into goals and results
// must be able to leave the process (within the years 1 to 9999, in a
// location with an IANA name) and last some wall-clock time in their
// location, and the months of records grouped by month must lie within the
// years 1 to 9999. Grouping by month in a zone without an IANA name from
// [Options.Location] ([time.FixedZone]'s, [time.Local]) is computed all the
// same, but its months, like any Period in such a zone
// ([sp.Period.MarshalText]), have no text form: the result then fails to
// marshal, with an error wrapping [sp.ErrInvalid]. Decimals from the caller
// (percentages, probabilities, steps, thresholds) may not have an exponent
// beyond ±40, which no real figure needs and which would make arithmetic on
// them write out billions of digits. The UnmarshalJSON methods report
// malformed JSON, a value its own type refuses (an unknown currency, a
// malformed period), and a decimal that would be written out in more digits
// in a row than a document may hold ([sp.MaxDigitRun]: a step of "1e-9999"),
// as an error wrapping [sp.ErrInvalid] that names the field, but do not
// validate the decoded value: a decoded [Goal] may be invalid until
// [Goal.Validate] says so. An UnmarshalJSON or UnmarshalText method called
// on a nil receiver returns an error wrapping [sp.ErrInvalid] that names the
// type ("cannot decode into a nil *quota.Goal"), as [sp.CheckTarget] gives
// it. Records and results ignore a member they do not know, so that one
// written by a later version reads; a [Ramp] and [Thresholds], which a
// person writes as configuration, refuse one (a misspelt "timezone" that
// would run a ramp in UTC) as an error wrapping [sp.ErrInvalid] that names
// it ("ramp.timezone"), and so a member given twice, by the same key or one
// that differs in case, which would otherwise leave its field at the last of
// its values.
package quota
