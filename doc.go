// Package salesprocess is the shared vocabulary of a company's sales
// management process, the types every other package of this module speaks:
//
//   - [Money]: an exact decimal amount in an ISO 4217 [Currency], with
//     explicit rounding ([HalfUp], [HalfEven]), exact allocation by weights
//     ([Money.Allocate]) and fast exact summation ([Sum], [Accumulator]).
//     Amounts of different currencies never mix; arithmetic between them
//     fails with [ErrCurrencyMismatch].
//   - [Period]: a half-open interval in a time zone (month, quarter, year,
//     ISO week or custom) with exact proration by days ([Period.Coverage]);
//     [DayStart] gives the instant a day begins at, as periods begin it,
//     and [WallTime] the instant a zone's clocks read a date and time.
//   - Identifier types, one per entity ([RepID], [RegionID], [ProductID],
//     [ChannelID], [CampaignID], [CustomerID], [InquiryID], [DealID]), and the
//     entities themselves: [Rep], [Region], [Product], [Channel],
//     [Campaign], [Customer].
//   - [Feedback] about a product, from customers, field tests and reps.
//   - [Duration]: a [time.Duration] with a text form ("24h0m0s"), the form
//     every package writes a duration in JSON; it also reads the integer
//     of nanoseconds encoding/json writes for a time.Duration.
//   - [Clock], the only source of "now"; [Actor] and its [Role], for the
//     audit trail and authorization; [Event] and [Publisher], for hosts that
//     build on what happened.
//   - The sentinel errors every package wraps ([ErrNotFound], [ErrConflict],
//     [ErrInvalid], [ErrInvalidTransition], [ErrForbidden],
//     [ErrCurrencyMismatch], [ErrDuplicate]) and [ValidationError], which
//     names the field at fault ([InField] and [InElement] place it); the
//     checks the packages share ([ValidateID], [ValidateTime], [CheckEnum]);
//     [FormatTime] and [Quote], how the packages write a time and a
//     caller's value in a text; and [DecodeJSON], through which every
//     type's UnmarshalJSON reports bad JSON as invalid input naming the
//     field (malformed JSON given to [json.Unmarshal] is reported by
//     encoding/json itself, before any UnmarshalJSON runs: see
//     [DecodeJSON]). Records ignore members they do not know, so that a
//     record written by a later version reads; configuration that a
//     person writes decodes by [DecodeJSONStrict], which refuses an
//     unknown member, a misspelt setting, and a member given twice, which
//     encoding/json would take the last of, naming it. Every
//     UnmarshalJSON and UnmarshalText method, called on a nil receiver,
//     returns the error of [CheckTarget], which wraps ErrInvalid and names
//     the type ("cannot decode into a nil *salesprocess.Region").
//
// The process itself lives in the sub-packages: training (field tests,
// product briefs, certification), pipeline (inquiries and deals), quota
// (goals, attainment, conversion, forecasts) and review (findings that feed
// back into training and the product).
//
// This package holds no state but caches: the time zones it has loaded by
// name, to read a zone that a text or JSON form names once for all the
// values that name it, and to check that a location's name loads (see
// [ValidateZone]), and
// four filled once per type: what [DecodeJSON] asks of each type it decodes
// into or meets below it (whether [json.Unmarshal] can decode into it
// without panicking or dropping members of it, whether it decodes by a
// method of its own, whether [DecodeJSONStrict] checks its members), where a
// value of each type that DecodeJSON has decoded into holds decimals, which
// field of each struct type decodes each JSON member, for the checks of
// DecodeJSONStrict and the paths of DecodeJSON's errors, and, where a
// program has set decimal.MarshalJSONWithoutQuotes, whether encoding/json
// may write a decimal for a type that [EncodeJSON] meets. Its only I/O is
// reading the time zone database, as [time.LoadLocation] does: to load a
// location that a text or JSON form names, and to check that the zone a
// period or region is in has the name of an IANA zone (see
// [Period.MarshalText] and [Period.Validate]); a program that runs where the
// system has no zone database (a container built from scratch, Windows
// without Go installed) embeds one by importing time/tzdata, as the example
// programs do. Its values are immutable and
// safe to share between goroutines unless a type's documentation says
// otherwise; every type that leaves the process has a text or JSON form that
// round-trips exactly: decoding what it encoded and encoding the result
// again gives the same bytes. A value encoded and decoded again equals the
// original when amounts, decimals, periods and times are compared by their
// Equal methods, not by == or reflect.DeepEqual: an amount comes back padded
// to its currency's minor unit (see [Money]), a decimal without trailing
// zeros (0.50 as 0.5), and a [time.Time], which encoding/json writes in RFC
// 3339, as the same instant at the same UTC offset but not in its time zone:
// in UTC, in the machine's [time.Local] where the offset is that zone's, or
// else in a location without a name. Take the month or week of such a time
// in its region's zone (MonthOf(t.In(region.Loc()))): a [Period] in such a
// location may have no text form (see [Period.MarshalText]). A Period keeps
// its zone, by name. No function panics on any input; bad input gets an
// error that wraps [ErrInvalid] and names the field. No result of this
// module depends on the package variables of shopspring/decimal that a
// program may set: every division names the places it rounds to, where
// decimal.Div would round to decimal.DivisionPrecision's, and every decimal
// is a JSON string whatever decimal.MarshalJSONWithoutQuotes says (see JSON
// forms).
//
// # JSON forms
//
// The JSON forms of every package of this module follow one convention,
// which each package's doc points at:
//
//   - Members are named in lower snake_case ("expected_close",
//     "won_amount"), and so are the values of enumerations (a stage, a
//     kind, a category, a status: "no_decision").
//   - A count of whole things (deals, inquiries, attempts, a record's
//     version, the num and den of a [Fraction] or a rate) is a JSON
//     number, and so is a count of calendar days or months, named for its
//     unit ("retrain_due_days", "valid_months").
//   - An exact decimal is a string ("0.95"), so that no reader takes it for
//     a float: an amount, a rate, a ratio, a probability, a percentage, a
//     confidence level, and a quantity that may be fractional, such as the
//     deals a rep is credited with under split credit (quota's
//     Amount.deals, where a goal's deals, a whole count, is a number).
//     It is a string even where a program has set
//     decimal.MarshalJSONWithoutQuotes, which makes shopspring/decimal
//     write numbers: every type of the module that holds a decimal
//     encodes by [EncodeJSON] (quota's RateEstimate and Interval write the
//     same form by hand), but the parts that records and reports write so
//     within them: a deal's Line, a pipeline spec's StageSpec, the rows of
//     review's snapshot, which marshaled on their own follow the setting.
//     Records and results read a decimal from a JSON number too; review's
//     rules document, which a person writes, requires the string. A
//     [Money] is {"amount":"12.50","currency":"EUR"}, and null when unset.
//     What the module computes as a float64 because it is an approximation
//     (quota's chance and its error bound, a simulation, a prior's mean and
//     strength) is a JSON number.
//   - A member that holds a percentage is named percent or ends in
//     _percent ("pace_percent": 50 for half); every other proportion (a
//     share, a rate, a probability, a discount, a threshold of pace, the
//     elapsed part of a period, a coverage) is a ratio, 0.5 for half.
//   - A time is RFC 3339 text, as encoding/json writes a [time.Time]. A
//     time that may be zero (not yet, never, unknown: a deal's closed, an
//     activity's done, a rep's hired) is left out when zero, never written
//     as "0001-01-01T00:00:00Z"; a time that is required is always written.
//     Decoding reads a time left out, and a zero time written out, as zero.
//   - A [Period] is its text form ("2026-11", see [Period.MarshalText]);
//     one that may be zero (a filter's, a group's month) is left out when
//     zero. A [Duration] is its text form ("26h30m0s"); decoding reads the
//     integer of nanoseconds that encoding/json writes for a time.Duration
//     too, but for review's rules document, where 24 would be taken for 24
//     nanoseconds. A time zone is its IANA name ("Europe/Lisbon") in a
//     member named time_zone.
//   - A list is never null. A result's list (a report's groups, findings,
//     reasons) is [] when empty; a record's optional list (a deal's lines,
//     history and activities) is left out when empty, unless the type's doc
//     says that empty and absent differ (a pipeline spec's moves). Decoding
//     reads null as an empty list (nil).
//   - Records and results ignore a member they do not know, so that one a
//     later version wrote reads; configuration that a person writes
//     refuses one, naming it ([DecodeJSONStrict]).
//
// Go 1.24's struct tag option omitzero would leave zero values out, but
// Go 1.23, which this module supports, ignores it: the types whose
// encoding/json form would depart from the convention have MarshalJSON
// methods of their own, and their UnmarshalJSON methods read what earlier
// versions wrote (a zero time written out, null for an empty list, a
// confidence as a JSON number, a member under its former name).
package salesprocess
