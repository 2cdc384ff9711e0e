package salesprocess_test

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// badInput is one row of the bad-input catalogue: a call with an invalid
// input, the sentinel its error must wrap, and the field it must name: the
// Field of the *ValidationError in its chain when that has one, else a
// substring of its message. A call that decodes into a value checks itself
// that a failed decoding left the value alone, and says so in its error.
type badInput struct {
	name  string
	call  func() error
	is    error
	field string
}

// checkBadInput runs one row of a catalogue.
func checkBadInput(t *testing.T, row badInput) {
	t.Helper()
	var err error
	require.NotPanics(t, func() { err = row.call() })
	require.Error(t, err, "bad input accepted")
	assert.ErrorIs(t, err, row.is)
	assert.NotErrorIs(t, err, errChanged, "a failed call changed its target")
	var ve *sp.ValidationError
	if errors.As(err, &ve) && ve.Field != "" {
		assert.Equal(t, row.field, ve.Field, "error: %v", err)
	} else {
		assert.Contains(t, err.Error(), row.field)
	}
	assert.True(t, strings.HasPrefix(err.Error(), "invalid ") || strings.Contains(err.Error(), "salesprocess: "),
		"message %q says what is invalid or where it comes from", err)
}

// errChanged marks a failed decoding that changed its target.
var errChanged = errors.New("the target changed")

// keeps runs decode on a copy of before and joins errChanged to its error
// when the copy no longer equals before.
func keeps[T any](before T, equal func(a, b T) bool, decode func(*T) error) func() error {
	return func() error {
		v := before
		err := decode(&v)
		if !equal(v, before) {
			return errors.Join(err, errChanged)
		}
		return err
	}
}

func eq[T comparable](a, b T) bool { return a == b }

// textOf returns a function that unmarshals text into *T.
func textOf[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](text string) func(*T) error {
	return func(v *T) error { return P(v).UnmarshalText([]byte(text)) }
}

// jsonOf returns a function that decodes data into *T as [decode] does.
func jsonOf[T any, P interface {
	*T
	json.Unmarshaler
}](data string) func(*T) error {
	return func(v *T) error {
		if json.Valid([]byte(data)) {
			return json.Unmarshal([]byte(data), v)
		}
		return P(v).UnmarshalJSON([]byte(data))
	}
}

// decode decodes data into a new T with its UnmarshalJSON method: called
// directly, since encoding/json checks the syntax of the whole document
// before it calls any method, and fails alone on malformed JSON.
func decode[T any, P interface {
	*T
	json.Unmarshaler
}](data string) func() error {
	return func() error {
		var v T
		if json.Valid([]byte(data)) {
			// Well-formed JSON: decode as hosts do.
			return json.Unmarshal([]byte(data), &v)
		}
		return P(&v).UnmarshalJSON([]byte(data))
	}
}

// Adversarial texts for identifiers and names.
var (
	long   = strings.Repeat("x", 100_000)
	nul    = "a\x00b"
	badUTF = "a\xffb"
)

// TestBadInputCatalogue lists every exported constructor, parser,
// validator and decoder of the package that takes input, with every class
// of invalid input, and checks the error: it wraps the right sentinel and
// names the field.
func TestBadInputCatalogue(t *testing.T) {
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	eur := money(t, "10.00 EUR")
	huge := eur.Mul(decimal.New(1, math.MaxInt32)) // beyond the bounds of Money
	tiny := eur.Mul(decimal.New(1, math.MinInt32))
	berlin := location(t, "Europe/Berlin")

	var rows []badInput
	add := func(r ...badInput) { rows = append(rows, r...) }

	// Identifiers: every type, every class of bad ID.
	ids := []struct {
		kind     string
		validate func(string) error
	}{
		{"rep id", func(s string) error { return sp.RepID(s).Validate() }},
		{"region id", func(s string) error { return sp.RegionID(s).Validate() }},
		{"product id", func(s string) error { return sp.ProductID(s).Validate() }},
		{"channel id", func(s string) error { return sp.ChannelID(s).Validate() }},
		{"campaign id", func(s string) error { return sp.CampaignID(s).Validate() }},
		{"customer id", func(s string) error { return sp.CustomerID(s).Validate() }},
		{"inquiry id", func(s string) error { return sp.InquiryID(s).Validate() }},
		{"deal id", func(s string) error { return sp.DealID(s).Validate() }},
		{"actor id", func(s string) error { return sp.ActorID(s).Validate() }},
		{"feedback id", func(s string) error { return sp.FeedbackID(s).Validate() }},
		{"custom id", func(s string) error { return sp.ValidateID("custom id", s) }},
	}
	badIDs := map[string]string{
		"empty": "", "oversized": strings.Repeat("x", sp.MaxIDLength+1), "huge": long, "invalid_utf8": badUTF,
		"nul": nul, "leading_space": " x", "trailing_space": "x ", "newline": "a\nb", "zero_width": "a\u200bb",
		"bidi_override": "a\u202eb", "only_space": "   ",
	}
	for _, id := range ids {
		for _, how := range slices.Sorted(func(yield func(string) bool) {
			for k := range badIDs {
				if !yield(k) {
					return
				}
			}
		}) {
			s := badIDs[how]
			add(badInput{"id/" + strings.ReplaceAll(id.kind, " ", "_") + "/" + how, func() error { return id.validate(s) }, sp.ErrInvalid, id.kind})
		}
	}

	// Times.
	add(
		badInput{"time/year_10000", func() error { return sp.ValidateTime(far) }, sp.ErrInvalid, "outside the years 1 to 9999"},
		badInput{"time/year_0", func() error { return sp.ValidateTime(time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)) }, sp.ErrInvalid, "outside the years"},
		badInput{"time/negative_year", func() error { return sp.ValidateTime(time.Date(-44, 3, 15, 0, 0, 0, 0, time.UTC)) }, sp.ErrInvalid, "outside the years"},
		badInput{"time/utc_past_9999", func() error {
			return sp.ValidateTime(time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("EST", -5*3600)))
		}, sp.ErrInvalid, "outside the years"},
		badInput{"time/max", func() error { return sp.ValidateTime(time.Unix(math.MaxInt64/2, 0)) }, sp.ErrInvalid, "outside the years"},
		// RFC 3339 writes the offset's hours in two digits, up to 23.
		badInput{"time/zone_a_day_ahead", func() error {
			return sp.ValidateTime(time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("far", 24*3600)))
		}, sp.ErrInvalid, "offset"},
		badInput{"time/zone_days_behind", func() error {
			return sp.ValidateTime(time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("far", -100*3600)))
		}, sp.ErrInvalid, "offset"},
	)

	// Free text and decimals from outside, by the checks other packages
	// build on.
	for how, tc := range map[string]struct {
		s         string
		max       int
		multiline bool
		msg       string
	}{
		"too_long":         {"abcd", 3, false, "longer than 3 bytes"},
		"huge":             {long, 1000, true, "longer than 1000 bytes"},
		"invalid_utf8":     {badUTF, 10, false, "not valid UTF-8"},
		"nul":              {nul, 10, true, "control character U+0000"},
		"newline":          {"a\nb", 10, false, "control character U+000A"},
		"tab":              {"a\tb", 10, false, "control character U+0009"},
		"multiline_escape": {"a\x1bb", 10, true, "control character U+001B"},
		"multiline_del":    {"a\x7fb", 10, true, "control character U+007F"},
		"multiline_c1":     {"a\u0085b", 10, true, "control character U+0085"},
	} {
		add(badInput{"text/" + how, func() error { return sp.ValidateText(tc.s, tc.max, tc.multiline) }, sp.ErrInvalid, tc.msg})
	}
	for how, d := range map[string]decimal.Decimal{
		"too_many_digits":  decimal.RequireFromString(strings.Repeat("9", 41)),
		"too_many_places":  decimal.RequireFromString("0." + strings.Repeat("1", 41)),
		"huge_exponent":    decimal.New(1, math.MaxInt32),
		"tiny_exponent":    decimal.New(1, math.MinInt32),
		"negative_too_big": decimal.New(-1, 40),
	} {
		add(badInput{"decimal/" + how, func() error { return sp.ValidateDecimal(d) }, sp.ErrInvalid, "has"})
	}
	add(
		badInput{"decode_json/nil_target", func() error { return sp.DecodeJSON("rep", []byte(`{}`), nil) }, sp.ErrInvalid, "rep"},
		badInput{"decode_json/not_a_pointer", func() error { return sp.DecodeJSON("rep", []byte(`{}`), sp.Rep{}) }, sp.ErrInvalid, "rep"},
		badInput{"decode_json/nil_pointer", func() error { return sp.DecodeJSON("rep", []byte(`{}`), (*sp.Rep)(nil)) }, sp.ErrInvalid, "rep"},
		badInput{"decode_json/malformed", keeps(sp.Rep{ID: "keep"}, func(a, b sp.Rep) bool { return a.ID == b.ID }, func(r *sp.Rep) error {
			return sp.DecodeJSON("rep", []byte(`{"id":`), r)
		}), sp.ErrInvalid, "rep"},
		badInput{"decode_json/wrong_type", keeps(sp.Rep{ID: "keep"}, func(a, b sp.Rep) bool { return a.ID == b.ID }, func(r *sp.Rep) error {
			return sp.DecodeJSON("rep", []byte(`{"id":1}`), r)
		}), sp.ErrInvalid, "rep.id"},
		badInput{"decode_json_strict/nil_target", func() error { return sp.DecodeJSONStrict("rep", []byte(`{}`), nil) }, sp.ErrInvalid, "rep"},
		badInput{"decode_json_strict/nil_pointer", func() error { return sp.DecodeJSONStrict("rep", []byte(`{}`), (*sp.Rep)(nil)) }, sp.ErrInvalid, "rep"},
		badInput{"decode_json_strict/malformed", keeps(settings{Name: "keep"}, eq, func(s *settings) error {
			return sp.DecodeJSONStrict("settings", []byte(`{"name":`), s)
		}), sp.ErrInvalid, "settings"},
		badInput{"decode_json_strict/wrong_type", keeps(settings{Name: "keep"}, eq, func(s *settings) error {
			return sp.DecodeJSONStrict("settings", []byte(`{"name":1}`), s)
		}), sp.ErrInvalid, "settings.name"},
		badInput{"decode_json_strict/unknown_member", keeps(settings{Name: "keep"}, eq, func(s *settings) error {
			return sp.DecodeJSONStrict("settings", []byte(`{"name":"x","limt":3}`), s)
		}), sp.ErrInvalid, "settings.limt"},
	)

	// Enumerations: Validate and UnmarshalText, each leaving the value alone.
	type enum struct {
		kind     string
		validate func(string) error
		text     func(string) func() error
	}
	enums := []enum{
		{"role", func(s string) error { return sp.Role(s).Validate() },
			func(s string) func() error { return keeps(sp.RoleRep, eq, textOf[sp.Role](s)) }},
		{"channel kind", func(s string) error { return sp.ChannelKind(s).Validate() },
			func(s string) func() error { return keeps(sp.ChannelPhone, eq, textOf[sp.ChannelKind](s)) }},
		{"feedback category", func(s string) error { return sp.FeedbackCategory(s).Validate() },
			func(s string) func() error { return keeps(sp.FeedbackPrice, eq, textOf[sp.FeedbackCategory](s)) }},
		{"feedback source", func(s string) error { return sp.FeedbackSource(s).Validate() },
			func(s string) func() error { return keeps(sp.FromRep, eq, textOf[sp.FeedbackSource](s)) }},
		{"rounding mode", func(s string) error { return sp.RoundingMode(s).Validate() },
			func(s string) func() error { return keeps(sp.HalfEven, eq, textOf[sp.RoundingMode](s)) }},
		{"period kind", func(s string) error { return sp.PeriodKind(s).Validate() },
			func(s string) func() error { return keeps(sp.KindWeek, eq, textOf[sp.PeriodKind](s)) }},
	}
	for _, e := range enums {
		k := strings.ReplaceAll(e.kind, " ", "_")
		add(badInput{"enum/" + k + "/validate_empty", func() error { return e.validate("") }, sp.ErrInvalid, "missing " + e.kind})
		for how, s := range map[string]string{"unknown": "king", "upper_case": "REP", "nul": "\x00", "huge": long, "invalid_utf8": "\xff"} {
			add(
				badInput{"enum/" + k + "/validate_" + how, func() error { return e.validate(s) }, sp.ErrInvalid, "unknown " + e.kind},
				badInput{"enum/" + k + "/unmarshal_" + how, e.text(s), sp.ErrInvalid, "unknown " + e.kind},
			)
		}
	}
	add(
		badInput{"enum/check_enum_nothing_valid", func() error { return sp.CheckEnum[sp.Role]("role", "rep") }, sp.ErrInvalid, "unknown role"},
		badInput{"enum/unmarshal_enum_nil_valid", keeps(sp.RoleAdmin, eq, func(r *sp.Role) error {
			return sp.UnmarshalEnum("role", r, []byte("admin"))
		}), sp.ErrInvalid, "unknown role"},
		badInput{"enum/unmarshal_enum_nil_dst", func() error {
			return sp.UnmarshalEnum[sp.Role]("role", nil, []byte("admin"), sp.RoleAdmin)
		}, sp.ErrInvalid, "nil *salesprocess.Role"},
	)

	// Currencies.
	for how, s := range map[string]string{
		"empty": "", "lower_case": "eur", "testing_code": "XTS", "precious_metal": "XAU", "no_minor_unit": "XXX",
		"four_letters": "EURO", "symbol": "€", "nul": "E\x00R", "huge": long, "spaced": " EUR",
	} {
		field := "currency"
		add(
			badInput{"currency/parse_" + how, func() error { _, err := sp.ParseCurrency(s); return err }, sp.ErrInvalid, field},
			badInput{"currency/validate_" + how, func() error { return sp.Currency(s).Validate() }, sp.ErrInvalid, field},
		)
		if s != "" { // empty text is the zero Currency
			add(badInput{"currency/unmarshal_" + how, keeps(sp.Currency("JPY"), eq, textOf[sp.Currency](s)), sp.ErrInvalid, field})
		}
	}

	// Amounts and money.
	for how, s := range map[string]string{
		"empty": "", "sign_only": "-", "exponent": "1e3", "huge_exponent": "1e-2000000000", "nan": "NaN", "inf": "Inf",
		"plus": "+1", "thousands": "1,000", "leading_space": " 1", "trailing_space": "1 ", "arabic_digits": "١٢",
		"too_many_digits": strings.Repeat("9", 41), "too_many_places": "0." + strings.Repeat("1", 41),
		"point_first": ".5", "point_last": "5.", "double_minus": "--1", "hex": "0x10", "two_points": "1.2.3",
		"huge": strings.Repeat("1", 100_000), "nul": "1\x00", "unicode_minus": "\u22121",
	} {
		add(badInput{"amount/parse_" + how, func() error { _, err := sp.ParseAmount(s); return err }, sp.ErrInvalid, "amount"})
	}
	for how, s := range map[string]string{
		"empty": "", "no_currency": "12.30", "lower_case": "12.30 eur", "currency_first": "EUR 12.30",
		"two_spaces": "12.30  EUR", "exponent": "1e3 EUR", "nan": "NaN EUR", "trailing_nul": "12.30 EUR\x00",
		"unknown_currency": "12.30 XTS", "too_many_digits": strings.Repeat("9", 41) + " EUR", "huge": long + " EUR",
	} {
		field := "money"
		switch how {
		case "lower_case", "trailing_nul", "unknown_currency", "currency_first", "two_spaces":
			field = "currency"
		case "exponent", "nan", "too_many_digits", "huge":
			field = "amount"
		}
		add(badInput{"money/parse_" + how, func() error { _, err := sp.ParseMoney(s); return err }, sp.ErrInvalid, field})
		if s != "" {
			add(badInput{"money/unmarshal_text_" + how, keeps(eur, sp.Money.Equal, textOf[sp.Money](s)), sp.ErrInvalid, field})
		}
	}
	for how, tc := range map[string]struct{ data, field string }{
		"malformed":          {`{`, "money"},
		"array":              {`[]`, "money"},
		"text_form":          {`"12.30 EUR"`, "money"},
		"number_amount":      {`{"amount":12.3,"currency":"EUR"}`, "money.amount"},
		"missing_amount":     {`{"currency":"EUR"}`, "money.amount"},
		"null_amount":        {`{"amount":null,"currency":"EUR"}`, "money.amount"},
		"missing_currency":   {`{"amount":"1"}`, "money.currency"},
		"exponent_amount":    {`{"amount":"1e5","currency":"EUR"}`, "money.amount"},
		"huge_exponent":      {`{"amount":"1e-2000000000","currency":"EUR"}`, "money.amount"},
		"lower_case":         {`{"amount":"1","currency":"eur"}`, "money.currency"},
		"empty_object":       {`{}`, "money.amount"},
		"negative_zero_only": {`{"amount":"-","currency":"EUR"}`, "money.amount"},
	} {
		add(badInput{"money/unmarshal_json_" + how, keeps(eur, sp.Money.Equal, jsonOf[sp.Money](tc.data)), sp.ErrInvalid, tc.field})
	}
	add(
		badInput{"money/new_unknown_currency", func() error { _, err := sp.NewMoney(decimal.New(1, 0), "XTS"); return err }, sp.ErrInvalid, "currency"},
		badInput{"money/new_empty_currency", func() error { _, err := sp.NewMoney(decimal.New(1, 0), ""); return err }, sp.ErrInvalid, "currency"},
		badInput{"money/new_too_many_digits", func() error { _, err := sp.NewMoney(decimal.New(1, 40), "EUR"); return err }, sp.ErrInvalid, "amount"},
		badInput{"money/new_too_many_places", func() error { _, err := sp.NewMoney(decimal.New(1, -41), "EUR"); return err }, sp.ErrInvalid, "amount"},
		badInput{"money/new_max_exponent", func() error { _, err := sp.NewMoney(decimal.New(1, math.MaxInt32), "EUR"); return err }, sp.ErrInvalid, "amount"},
		badInput{"money/new_min_exponent", func() error { _, err := sp.NewMoney(decimal.New(1, math.MinInt32), "EUR"); return err }, sp.ErrInvalid, "amount"},
		badInput{"money/new_zero_decimal_bad_currency", func() error { _, err := sp.NewMoney(decimal.Decimal{}, "eur"); return err }, sp.ErrInvalid, "currency"},
		badInput{"money/from_minor_unknown_currency", func() error { _, err := sp.NewMoneyFromMinor(1, "XXX"); return err }, sp.ErrInvalid, "currency"},
		badInput{"money/from_minor_empty_currency", func() error { _, err := sp.NewMoneyFromMinor(math.MinInt64, ""); return err }, sp.ErrInvalid, "currency"},
		badInput{"money/validate_zero", func() error { return sp.Money{}.Validate() }, sp.ErrInvalid, "currency"},
		badInput{"money/validate_huge", huge.Validate, sp.ErrInvalid, "amount"},
		badInput{"money/validate_tiny", tiny.Validate, sp.ErrInvalid, "amount"},
		badInput{"money/marshal_text_huge", func() error { _, err := huge.MarshalText(); return err }, sp.ErrInvalid, "amount"},
		badInput{"money/marshal_json_tiny", func() error { _, err := json.Marshal(tiny); return err }, sp.ErrInvalid, "amount"},
		badInput{"money/add_mismatch", func() error { _, err := eur.Add(money(t, "1 JPY")); return err }, sp.ErrCurrencyMismatch, `"EUR" and "JPY"`},
		badInput{"money/add_zero_money", func() error { _, err := eur.Add(sp.Money{}); return err }, sp.ErrCurrencyMismatch, `"EUR" and ""`},
		badInput{"money/sub_mismatch", func() error { _, err := eur.Sub(money(t, "1 USD")); return err }, sp.ErrCurrencyMismatch, `"EUR" and "USD"`},
		badInput{"money/cmp_mismatch", func() error { _, err := eur.Cmp(money(t, "1 USD")); return err }, sp.ErrCurrencyMismatch, "compare"},
		badInput{"money/allocate_no_weights", func() error { _, err := eur.Allocate(); return err }, sp.ErrInvalid, "weights"},
		badInput{"money/allocate_negative", func() error { _, err := eur.Allocate(1, -1); return err }, sp.ErrInvalid, "weights"},
		badInput{"money/allocate_all_zero", func() error { _, err := eur.Allocate(0, 0); return err }, sp.ErrInvalid, "weights"},
		badInput{"money/allocate_zero_money", func() error { _, err := sp.Money{}.Allocate(1); return err }, sp.ErrInvalid, "currency"},
		badInput{"money/allocate_huge_money", func() error { _, err := huge.Allocate(1); return err }, sp.ErrInvalid, "amount"},
		badInput{"money/allocate_decimal_no_weights", func() error { _, err := eur.AllocateDecimal(); return err }, sp.ErrInvalid, "weights"},
		badInput{"money/allocate_decimal_negative", func() error { _, err := eur.AllocateDecimal(dec(t, "-0.5")); return err }, sp.ErrInvalid, "weights"},
		badInput{"money/allocate_decimal_huge_exponent", func() error {
			_, err := eur.AllocateDecimal(decimal.New(1, math.MaxInt32), decimal.New(1, 0))
			return err
		}, sp.ErrInvalid, "weights"},
		badInput{"money/allocate_decimal_tiny_exponent", func() error {
			_, err := eur.AllocateDecimal(decimal.New(1, math.MinInt32))
			return err
		}, sp.ErrInvalid, "weights"},
		badInput{"money/allocate_decimal_all_zero", func() error { _, err := eur.AllocateDecimal(decimal.Zero); return err }, sp.ErrInvalid, "weights"},
		badInput{"money/sum_unknown_currency", func() error { _, err := sp.Sum("ECU", nil); return err }, sp.ErrInvalid, "currency"},
		badInput{"money/sum_mismatch", func() error {
			_, err := sp.Sum("EUR", slices.Values([]sp.Money{eur, money(t, "1 JPY")}))
			return err
		}, sp.ErrCurrencyMismatch, `"EUR" and "JPY"`},
		badInput{"money/sum_zero_money", func() error { _, err := sp.Sum("EUR", slices.Values([]sp.Money{{}})); return err }, sp.ErrCurrencyMismatch, "add"},
		badInput{"money/accumulator_add_zero_money", func() error { var a sp.Accumulator; return a.Add(sp.Money{}) }, sp.ErrCurrencyMismatch, "add"},
		badInput{"money/accumulator_add_mismatch", func() error {
			a := sp.NewAccumulator("EUR")
			return a.Add(money(t, "1 JPY"))
		}, sp.ErrCurrencyMismatch, `"EUR" and "JPY"`},
		badInput{"money/accumulator_merge_mismatch", func() error {
			a, b := sp.NewAccumulator("EUR"), sp.NewAccumulator("JPY")
			_ = b.Add(money(t, "1 JPY"))
			return a.Merge(&b)
		}, sp.ErrCurrencyMismatch, "merge"},
	)

	// Periods.
	for how, s := range map[string]string{
		"month_13": "2026-13", "month_0": "2026-00", "year_0": "0000", "quarter_0": "2026-Q0", "quarter_5": "2026-Q5",
		"week_0": "2026-W00", "week_54": "2026-W54", "no_week_53": "2027-W53", "reversed": "2026-11-17/2026-11-03",
		"empty_span": "2026-11-03/2026-11-03", "local_zone": "2026[Local]", "empty_zone": "2026[]",
		"unknown_zone": "2026[Mars/Olympus]", "path_zone": "2026[../../etc/passwd]", "absolute_zone": "2026[/etc/localtime]",
		"nested_brackets": "2026[[UTC]]", "unbalanced": "2026]", "too_long": strings.Repeat("2", 129),
		"feb_30": "2026-02-30/2026-03-03", "nul": "2026\x00", "year_10000": "10000", "bound_year_10000": "9999-12-01/10000-01-01",
		"bound_in_loc_past_9999": "9999-12-31T23:00:00Z/9999-12-31T23:30:00Z[Asia/Tokyo]", "two_letters": "26",
		"signed_year": "+2026", "spaced": " 2026", "lower_case_quarter": "2026-q4", "garbage": "yesterday",
	} {
		add(badInput{"period/parse_" + how, func() error { _, err := sp.ParsePeriod(s); return err }, sp.ErrInvalid, "period"})
		add(badInput{"period/parse_in_" + how, func() error { _, err := sp.ParsePeriodIn(s, berlin); return err }, sp.ErrInvalid, "period"})
		add(badInput{"period/unmarshal_" + how, keeps(sp.Year(2026, nil), sp.Period.Equal, textOf[sp.Period](s)), sp.ErrInvalid, "period"})
	}
	for how, s := range map[string]string{
		"empty": "", "no_unit": "24", "unknown_unit": "3 days", "spaced": " 1h", "overflow": "2562047h47m16.854775808s",
		"huge": "9999999999h", "exponent": "1e3s", "garbage": "soon", "nul": "1h\x00", "bad_utf8": "1\xffh",
	} {
		add(badInput{"duration/unmarshal_text_" + how, keeps(sp.Duration(time.Hour), eq, textOf[sp.Duration](s)), sp.ErrInvalid, "duration"})
	}
	for how, data := range map[string]string{
		"malformed_string": `"1h`, "bad_text": `"soon"`, "empty_text": `""`, "fraction": `1.5`, "exponent": `1e9`,
		"above_int64": `9223372036854775808`, "below_int64": `-9223372036854775809`, "bool": `true`,
		"object": `{"ns":1}`, "array": `[1]`, "empty": ``, "leading_plus": `+5`, "garbage": `12abc`,
	} {
		add(badInput{"duration/unmarshal_json_" + how, keeps(sp.Duration(time.Hour), eq, jsonOf[sp.Duration](data)), sp.ErrInvalid, "duration"})
	}
	add(
		badInput{"duration/unmarshal_text_nil", func() error { return (*sp.Duration)(nil).UnmarshalText([]byte("1h")) }, sp.ErrInvalid, "nil *salesprocess.Duration"},
		badInput{"duration/unmarshal_json_nil", func() error { return (*sp.Duration)(nil).UnmarshalJSON([]byte("1")) }, sp.ErrInvalid, "nil *salesprocess.Duration"},
	)
	add(
		badInput{"period/new_reversed", func() error { _, err := sp.NewPeriod(day, day.Add(-time.Hour)); return err }, sp.ErrInvalid, "period"},
		badInput{"period/new_empty", func() error { _, err := sp.NewPeriod(day, day); return err }, sp.ErrInvalid, "period"},
		badInput{"period/new_zero_times", func() error { _, err := sp.NewPeriod(time.Time{}, time.Time{}); return err }, sp.ErrInvalid, "period"},
		badInput{"period/new_end_past_9999", func() error { _, err := sp.NewPeriod(day, far); return err }, sp.ErrInvalid, "period"},
		badInput{"period/new_start_before_year_1", func() error {
			_, err := sp.NewPeriod(time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC), day)
			return err
		}, sp.ErrInvalid, "period"},
		badInput{"period/marshal_year_10000", func() error { _, err := sp.Month(10000, 1, nil).MarshalText(); return err }, sp.ErrInvalid, "period"},
		badInput{"period/marshal_year_0", func() error { _, err := sp.Year(0, nil).MarshalText(); return err }, sp.ErrInvalid, "period"},
		badInput{"period/marshal_local", func() error { _, err := sp.Month(2026, 1, machineLocal).MarshalText(); return err }, sp.ErrInvalid, "period"},
		badInput{"period/marshal_unnamed_zone", func() error {
			_, err := sp.Month(2026, 1, time.FixedZone("", 3600)).MarshalText()
			return err
		}, sp.ErrInvalid, "period"},
		badInput{"period/marshal_fixed_zone_unknown_name", func() error {
			_, err := sp.Month(2026, 1, time.FixedZone("XYZ", 3600)).MarshalText()
			return err
		}, sp.ErrInvalid, "period"},
		badInput{"period/marshal_fixed_zone_borrowed_name", func() error {
			_, err := sp.Month(2026, 7, time.FixedZone("Europe/Berlin", 3600)).MarshalText()
			return err
		}, sp.ErrInvalid, "period"},
		badInput{"period/marshal_fixed_zone_utc_name", func() error {
			_, err := sp.Month(2026, 7, time.FixedZone("UTC", 3600)).MarshalText()
			return err
		}, sp.ErrInvalid, "period"},
		badInput{"period/json_local", func() error {
			_, err := json.Marshal(struct{ P sp.Period }{sp.Month(2026, 1, machineLocal)})
			return err
		}, sp.ErrInvalid, "period"},
	)

	// Actors.
	actorOK := sp.ManagerActor("m1", "north")
	for how, tc := range map[string]struct {
		edit  func(*sp.Actor)
		field string
	}{
		"empty_id":       {func(a *sp.Actor) { a.ID = "" }, "actor.id"},
		"nul_id":         {func(a *sp.Actor) { a.ID = sp.ActorID(nul) }, "actor.id"},
		"empty_role":     {func(a *sp.Actor) { a.Role = "" }, "actor.role"},
		"unknown_role":   {func(a *sp.Actor) { a.Role = "guest" }, "actor.role"},
		"upper_role":     {func(a *sp.Actor) { a.Role = "Admin" }, "actor.role"},
		"empty_region":   {func(a *sp.Actor) { a.Regions = []sp.RegionID{"north", ""} }, "actor.regions[1]"},
		"invalid_region": {func(a *sp.Actor) { a.Regions = []sp.RegionID{sp.RegionID(badUTF)} }, "actor.regions[0]"},
	} {
		a := actorOK
		a.Regions = slices.Clone(a.Regions)
		tc.edit(&a)
		add(badInput{"actor/" + how, a.Validate, sp.ErrInvalid, tc.field})
	}

	// Entities: each field of each, and their JSON.
	repOK := sp.Rep{ID: "r1", Name: "Ana", Region: "north", Hired: day}
	for how, tc := range map[string]struct {
		edit  func(*sp.Rep)
		field string
	}{
		"empty_id":       {func(r *sp.Rep) { r.ID = "" }, "rep.id"},
		"oversized_id":   {func(r *sp.Rep) { r.ID = sp.RepID(long) }, "rep.id"},
		"empty_name":     {func(r *sp.Rep) { r.Name = "" }, "rep.name"},
		"oversized_name": {func(r *sp.Rep) { r.Name = long }, "rep.name"},
		"utf8_name":      {func(r *sp.Rep) { r.Name = badUTF }, "rep.name"},
		"nul_name":       {func(r *sp.Rep) { r.Name = nul }, "rep.name"},
		"newline_name":   {func(r *sp.Rep) { r.Name = "Ana\nBob" }, "rep.name"},
		"bad_region":     {func(r *sp.Rep) { r.Region = " north" }, "rep.region"},
		"hired_far":      {func(r *sp.Rep) { r.Hired = far }, "rep.hired"},
	} {
		r := repOK
		tc.edit(&r)
		add(badInput{"rep/" + how, r.Validate, sp.ErrInvalid, tc.field})
	}
	regionOK := sp.Region{ID: "de", Name: "Germany", Location: berlin, Manager: "m1"}
	for how, tc := range map[string]struct {
		edit  func(*sp.Region)
		field string
	}{
		"empty_id":     {func(r *sp.Region) { r.ID = "" }, "region.id"},
		"empty_name":   {func(r *sp.Region) { r.Name = "" }, "region.name"},
		"nul_name":     {func(r *sp.Region) { r.Name = nul }, "region.name"},
		"tab_name":     {func(r *sp.Region) { r.Name = "a\tb" }, "region.name"},
		"bad_manager":  {func(r *sp.Region) { r.Manager = "m\x7f" }, "region.manager"},
		"long_manager": {func(r *sp.Region) { r.Manager = sp.ActorID(long) }, "region.manager"},

		// Zones that Region.MarshalJSON refuses.
		"local_zone":               {func(r *sp.Region) { r.Location = machineLocal }, "region.time_zone"},
		"unnamed_zone":             {func(r *sp.Region) { r.Location = time.FixedZone("", 7200) }, "region.time_zone"},
		"fixed_zone_unknown_name":  {func(r *sp.Region) { r.Location = time.FixedZone("XYZ", 3600) }, "region.time_zone"},
		"fixed_zone_borrowed_name": {func(r *sp.Region) { r.Location = time.FixedZone("Europe/Berlin", 7*3600) }, "region.time_zone"},
	} {
		r := regionOK
		tc.edit(&r)
		add(badInput{"region/" + how, r.Validate, sp.ErrInvalid, tc.field})
	}
	regionEq := func(a, b sp.Region) bool {
		return a.ID == b.ID && a.Name == b.Name && a.Manager == b.Manager && a.Loc() == b.Loc()
	}
	for how, tc := range map[string]struct{ data, field string }{
		"malformed":    {`{"id":"x"`, "region"},
		"not_object":   {`"x"`, "region"},
		"array":        {`[1]`, "region"},
		"number_id":    {`{"id":1}`, "region.id"},
		"number_zone":  {`{"time_zone":3}`, "region.time_zone"},
		"unknown_zone": {`{"time_zone":"Mars/Base"}`, "region.time_zone"},
		"local_zone":   {`{"time_zone":"Local"}`, "region.time_zone"},
		"path_zone":    {`{"time_zone":"../../etc/passwd"}`, "region.time_zone"},
		"nul_zone":     {`{"time_zone":"Europe/Berlin\u0000"}`, "region.time_zone"},
		"huge_zone":    {`{"time_zone":"` + long + `"}`, "region.time_zone"},
	} {
		add(badInput{"region/unmarshal_json_" + how, keeps(regionOK, regionEq, jsonOf[sp.Region](tc.data)), sp.ErrInvalid, tc.field})
	}
	add(
		badInput{"region/marshal_local", func() error {
			_, err := json.Marshal(sp.Region{ID: "x", Name: "X", Location: machineLocal})
			return err
		}, sp.ErrInvalid, "region.time_zone"},
		badInput{"region/marshal_unnamed_zone", func() error {
			_, err := json.Marshal(sp.Region{ID: "x", Name: "X", Location: time.FixedZone("", 7200)})
			return err
		}, sp.ErrInvalid, "region.time_zone"},
		badInput{"region/marshal_fixed_zone_unknown_name", func() error {
			_, err := json.Marshal(sp.Region{ID: "x", Name: "X", Location: time.FixedZone("XYZ", 3600)})
			return err
		}, sp.ErrInvalid, "region.time_zone"},
		badInput{"region/marshal_fixed_zone_borrowed_name", func() error {
			_, err := json.Marshal(sp.Region{ID: "x", Name: "X", Location: time.FixedZone("Europe/Berlin", 7*3600)})
			return err
		}, sp.ErrInvalid, "region.time_zone"},
	)
	productOK := sp.Product{ID: "p1", Name: "Widget", Owner: "pm", Price: eur}
	for how, tc := range map[string]struct {
		edit  func(*sp.Product)
		field string
	}{
		"empty_id":       {func(p *sp.Product) { p.ID = "" }, "product.id"},
		"empty_name":     {func(p *sp.Product) { p.Name = "" }, "product.name"},
		"bad_owner":      {func(p *sp.Product) { p.Owner = "\x00" }, "product.owner"},
		"negative_price": {func(p *sp.Product) { p.Price = eur.Neg() }, "product.price"},
		"huge_price":     {func(p *sp.Product) { p.Price = huge }, "product.price.amount"},
	} {
		p := productOK
		tc.edit(&p)
		add(badInput{"product/" + how, p.Validate, sp.ErrInvalid, tc.field})
	}
	channelOK := sp.Channel{ID: "c1", Name: "Phone", Kind: sp.ChannelPhone}
	for how, tc := range map[string]struct {
		edit  func(*sp.Channel)
		field string
	}{
		"empty_id":     {func(c *sp.Channel) { c.ID = "" }, "channel.id"},
		"empty_name":   {func(c *sp.Channel) { c.Name = "" }, "channel.name"},
		"missing_kind": {func(c *sp.Channel) { c.Kind = "" }, "channel.kind"},
		"unknown_kind": {func(c *sp.Channel) { c.Kind = "telepathy" }, "channel.kind"},
	} {
		c := channelOK
		tc.edit(&c)
		add(badInput{"channel/" + how, c.Validate, sp.ErrInvalid, tc.field})
	}
	campaignOK := sp.Campaign{ID: "k1", Name: "Fall", Channel: "c1", Product: "p1", Period: sp.Month(2026, 11, nil), Budget: eur}
	for how, tc := range map[string]struct {
		edit  func(*sp.Campaign)
		field string
	}{
		"empty_id":          {func(c *sp.Campaign) { c.ID = "" }, "campaign.id"},
		"empty_name":        {func(c *sp.Campaign) { c.Name = "" }, "campaign.name"},
		"empty_channel":     {func(c *sp.Campaign) { c.Channel = "" }, "campaign.channel"},
		"bad_product":       {func(c *sp.Campaign) { c.Product = "p\n" }, "campaign.product"},
		"zero_period":       {func(c *sp.Campaign) { c.Period = sp.Period{} }, "campaign.period"},
		"period_past_9999":  {func(c *sp.Campaign) { c.Period = sp.Month(12000, 1, nil) }, "campaign.period"},
		"period_year_0":     {func(c *sp.Campaign) { c.Period = sp.Year(0, nil) }, "campaign.period"},
		"negative_budget":   {func(c *sp.Campaign) { c.Budget = eur.Neg() }, "campaign.budget"},
		"out_of_bounds_bud": {func(c *sp.Campaign) { c.Budget = tiny }, "campaign.budget.amount"},

		// Periods that Period.MarshalText refuses.
		"period_local_zone":              {func(c *sp.Campaign) { c.Period = sp.Month(2026, 11, machineLocal) }, "campaign.period"},
		"period_unnamed_zone":            {func(c *sp.Campaign) { c.Period = sp.Month(2026, 11, time.FixedZone("", 3600)) }, "campaign.period"},
		"period_fixed_zone_unknown_name": {func(c *sp.Campaign) { c.Period = sp.Month(2026, 11, time.FixedZone("XYZ", 3600)) }, "campaign.period"},
	} {
		c := campaignOK
		tc.edit(&c)
		add(badInput{"campaign/" + how, c.Validate, sp.ErrInvalid, tc.field})
	}
	customerOK := sp.Customer{ID: "cu1", Name: "Acme", Locality: "Köln", Region: "de"}
	for how, tc := range map[string]struct {
		edit  func(*sp.Customer)
		field string
	}{
		"empty_id":           {func(c *sp.Customer) { c.ID = "" }, "customer.id"},
		"empty_name":         {func(c *sp.Customer) { c.Name = "" }, "customer.name"},
		"oversized_locality": {func(c *sp.Customer) { c.Locality = long }, "customer.locality"},
		"nul_locality":       {func(c *sp.Customer) { c.Locality = nul }, "customer.locality"},
		"utf8_locality":      {func(c *sp.Customer) { c.Locality = badUTF }, "customer.locality"},
		"bad_region":         {func(c *sp.Customer) { c.Region = "de " }, "customer.region"},
	} {
		c := customerOK
		tc.edit(&c)
		add(badInput{"customer/" + how, c.Validate, sp.ErrInvalid, tc.field})
	}

	// Feedback and events.
	feedbackOK := sp.Feedback{ID: "f1", Product: "p1", Rating: 4, Category: sp.FeedbackQuality, Text: "fine\n",
		Source: sp.FromFieldTest, Customer: "cu1", Locality: "Köln", Deal: "d1", Time: day}
	for how, tc := range map[string]struct {
		edit  func(*sp.Feedback)
		field string
	}{
		"empty_id":          {func(f *sp.Feedback) { f.ID = "" }, "feedback.id"},
		"empty_product":     {func(f *sp.Feedback) { f.Product = "" }, "feedback.product"},
		"rating_0":          {func(f *sp.Feedback) { f.Rating = 0 }, "feedback.rating"},
		"rating_6":          {func(f *sp.Feedback) { f.Rating = 6 }, "feedback.rating"},
		"rating_min_int":    {func(f *sp.Feedback) { f.Rating = math.MinInt }, "feedback.rating"},
		"missing_category":  {func(f *sp.Feedback) { f.Category = "" }, "feedback.category"},
		"unknown_category":  {func(f *sp.Feedback) { f.Category = "smell" }, "feedback.category"},
		"unknown_source":    {func(f *sp.Feedback) { f.Source = "rumour" }, "feedback.source"},
		"oversized_text":    {func(f *sp.Feedback) { f.Text = long }, "feedback.text"},
		"nul_text":          {func(f *sp.Feedback) { f.Text = nul }, "feedback.text"},
		"utf8_text":         {func(f *sp.Feedback) { f.Text = badUTF }, "feedback.text"},
		"bad_customer":      {func(f *sp.Feedback) { f.Customer = " c" }, "feedback.customer"},
		"bad_deal":          {func(f *sp.Feedback) { f.Deal = sp.DealID(long) }, "feedback.deal"},
		"no_locality":       {func(f *sp.Feedback) { f.Locality = "" }, "feedback.locality"},
		"newline_locality":  {func(f *sp.Feedback) { f.Locality = "a\nb" }, "feedback.locality"},
		"missing_time":      {func(f *sp.Feedback) { f.Time = time.Time{} }, "feedback.time"},
		"time_past_9999":    {func(f *sp.Feedback) { f.Time = far }, "feedback.time"},
		"time_before_year1": {func(f *sp.Feedback) { f.Time = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }, "feedback.time"},
	} {
		f := feedbackOK
		tc.edit(&f)
		add(badInput{"feedback/" + how, f.Validate, sp.ErrInvalid, tc.field})
	}
	eventOK := sp.Event{ID: "e1", Type: "pipeline.deal.won", Time: day, Actor: "a1", Subject: "d1", Data: json.RawMessage(`{}`)}
	for how, tc := range map[string]struct {
		edit  func(*sp.Event)
		field string
	}{
		"empty_id":      {func(e *sp.Event) { e.ID = "" }, "event.id"},
		"empty_type":    {func(e *sp.Event) { e.Type = "" }, "event.type"},
		"missing_time":  {func(e *sp.Event) { e.Time = time.Time{} }, "event.time"},
		"far_time":      {func(e *sp.Event) { e.Time = far }, "event.time"},
		"empty_subject": {func(e *sp.Event) { e.Subject = "" }, "event.subject"},
		"bad_data":      {func(e *sp.Event) { e.Data = json.RawMessage(`{`) }, "event.data"},
		"empty_actor":   {func(e *sp.Event) { e.Actor = "" }, "event.actor"},
	} {
		e := eventOK
		tc.edit(&e)
		add(badInput{"event/" + how, e.Validate, sp.ErrInvalid, tc.field})
	}

	// Malformed JSON for every type that leaves the process.
	jsonCases := []struct {
		kind   string
		decode func(string) func() error
		cases  map[string][2]string // name → data, field
	}{
		{"actor", decode[sp.Actor], map[string][2]string{
			"malformed": {`{"id":`, "actor"}, "number_id": {`{"id":7}`, "actor.id"},
			"unknown_role": {`{"id":"a","role":"guest"}`, "actor.role"}, "regions_object": {`{"regions":{}}`, "actor.regions"},
		}},
		{"rep", decode[sp.Rep], map[string][2]string{
			"malformed": {`{`, "rep"}, "array": {`[]`, "rep"}, "number_name": {`{"name":1}`, "rep.name"},
			"bad_hired": {`{"hired":"yesterday"}`, "rep.hired"}, "hired_number": {`{"hired":1}`, "rep.hired"},
		}},
		{"product", decode[sp.Product], map[string][2]string{
			"malformed": {`{"id":"p",}`, "product"}, "price_text": {`{"price":"12 EUR"}`, "product.price"},
			"price_bad_currency": {`{"price":{"amount":"1","currency":"ECU"}}`, "product.price.currency"},
		}},
		{"channel", decode[sp.Channel], map[string][2]string{
			"malformed": {`{"kind":}`, "channel"}, "unknown_kind": {`{"kind":"telepathy"}`, "channel.kind"},
			"number_kind": {`{"kind":5}`, "channel.kind"},
		}},
		{"campaign", decode[sp.Campaign], map[string][2]string{
			"malformed": {`[`, "campaign"}, "bad_period": {`{"period":"2026-13"}`, "campaign.period"},
			"local_period": {`{"period":"2026[Local]"}`, "campaign.period"}, "number_period": {`{"period":2026}`, "campaign.period"},
			"budget_array": {`{"budget":[]}`, "campaign.budget"},
		}},
		{"customer", decode[sp.Customer], map[string][2]string{
			"malformed": {`{"id":"c"`, "customer"}, "bool_region": {`{"region":true}`, "customer.region"},
		}},
		{"feedback", decode[sp.Feedback], map[string][2]string{
			"malformed": {`{"rating":`, "feedback"}, "text_rating": {`{"rating":"5"}`, "feedback.rating"},
			"float_rating": {`{"rating":4.5}`, "feedback.rating"}, "huge_rating": {`{"rating":1e400}`, "feedback.rating"},
			"unknown_category": {`{"category":"smell"}`, "feedback.category"}, "unknown_source": {`{"source":"rumour"}`, "feedback.source"},
			"bad_time": {`{"time":"2026-13-01T00:00:00Z"}`, "feedback.time"},
		}},
		{"event", decode[sp.Event], map[string][2]string{
			"malformed": {`{"data":{`, "event"}, "number_type": {`{"type":1}`, "event.type"},
			"bad_time": {`{"time":"now"}`, "event.time"},
		}},
		{"fraction", decode[sp.Fraction], map[string][2]string{
			"malformed": {`{"num":1,`, "fraction"}, "float_num": {`{"num":1.5,"den":2}`, "fraction.num"},
			"text_den": {`{"num":1,"den":"2"}`, "fraction.den"}, "overflow": {`{"num":1e19,"den":1}`, "fraction.num"},
		}},
		{"money", decode[sp.Money], map[string][2]string{
			"malformed": {`{"amount":`, "money"}, "number": {`12.3`, "money"},
		}},
		{"region", decode[sp.Region], map[string][2]string{
			"malformed": {`{"time_zone":"UTC"`, "region"}, "manager_number": {`{"manager":1}`, "region.manager"},
		}},
	}
	for _, jc := range jsonCases {
		for name, c := range jc.cases {
			add(badInput{"json/" + jc.kind + "/" + name, jc.decode(c[0]), sp.ErrInvalid, c[1]})
		}
	}

	slices.SortFunc(rows, func(a, b badInput) int { return strings.Compare(a.name, b.name) })
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) { checkBadInput(t, row) })
	}
	t.Logf("%d rows", len(rows))
}

// TestAdversarialInputsDoNotPanic feeds strange but legal inputs to the
// functions that return no error: none panics or hangs (the test's timeout
// catches a hang), and what they promise still holds.
func TestAdversarialInputsDoNotPanic(t *testing.T) {
	eur := money(t, "10.00 EUR")
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"sum_nil_sequence", func(t *testing.T) {
			s, err := sp.Sum("EUR", nil)
			require.NoError(t, err)
			assert.Equal(t, "0.00 EUR", s.String())
		}},
		{"month_huge_year", func(t *testing.T) {
			p := sp.Month(math.MaxInt32, 1, nil)
			assert.True(t, strings.HasPrefix(p.String(), "!"), p.String())
			_, err := p.MarshalText()
			assert.ErrorIs(t, err, sp.ErrInvalid)
		}},
		{"week_and_quarter_out_of_range", func(t *testing.T) {
			for _, p := range []sp.Period{sp.Week(2026, -1000, nil), sp.Week(0, 0, nil), sp.Quarter(2026, -7, nil), sp.Quarter(2026, math.MaxInt16, nil)} {
				assert.True(t, p.Start().Before(p.End()))
				_ = p.String()
				_ = p.Days()
			}
		}},
		{"of_zero_time", func(t *testing.T) {
			for _, p := range []sp.Period{sp.MonthOf(time.Time{}), sp.QuarterOf(time.Time{}), sp.YearOf(time.Time{}), sp.WeekOf(time.Time{})} {
				_ = p.String()
				_ = p.Next()
				_ = p.Prev()
			}
		}},
		{"nil_location", func(t *testing.T) {
			p := sp.Month(2026, 2, nil)
			assert.Equal(t, "2026-02", p.String())
			q, err := sp.ParsePeriodIn("2026-02", nil)
			require.NoError(t, err)
			assert.True(t, p.Equal(q))
		}},
		{"zero_period", func(t *testing.T) {
			var p sp.Period
			assert.Nil(t, p.Location())
			assert.False(t, p.Contains(time.Time{}))
			assert.False(t, p.Coverage(sp.Month(2026, 1, nil)).Defined())
			for range p.Months() {
				t.Fatal("the zero period has no months")
			}
			assert.True(t, p.Next().IsZero())
		}},
		{"fraction_extremes", func(t *testing.T) {
			f := sp.Fraction{Num: math.MinInt64, Den: -1}
			assert.Equal(t, f, f.Reduce(), "-MinInt64 does not fit")
			assert.Equal(t, 1, f.Cmp(sp.Fraction{Num: 1, Den: 1}))
			assert.Equal(t, "9223372036854775808", f.Decimal(0).String())
			assert.True(t, sp.Fraction{Num: 1}.Decimal(math.MaxInt32).IsZero())
		}},
		{"round_extremes", func(t *testing.T) {
			assert.Equal(t, "0.00 EUR", eur.RoundTo(math.MinInt32, sp.HalfUp).String())
			assert.Equal(t, eur, eur.Round("sideways"))
			assert.Equal(t, sp.Money{}, sp.Money{}.Round(sp.HalfUp))
		}},
		{"mul_out_of_bounds_formats_briefly", func(t *testing.T) {
			for _, f := range []decimal.Decimal{decimal.New(1, math.MinInt32), decimal.New(7, math.MaxInt32)} {
				s := eur.Mul(f).String()
				assert.True(t, strings.HasPrefix(s, "!"), s)
				assert.Less(t, len(s), 200)
			}
			assert.Equal(t, "0.00 EUR", eur.Mul(decimal.New(0, math.MaxInt32)).String())
		}},
		{"validate_id_huge", func(t *testing.T) {
			err := sp.RepID(strings.Repeat("\xff", 10_000_000)).Validate()
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Less(t, len(err.Error()), 200, "the message quotes no huge input")
		}},
		{"check_enum_quotes_briefly", func(t *testing.T) {
			err := sp.Role(long).Validate()
			require.ErrorIs(t, err, sp.ErrInvalid)
			assert.Less(t, len(err.Error()), 300)
		}},
		{"in_field_nil", func(t *testing.T) { assert.NoError(t, sp.InField("x", nil)) }},
		{"in_element_extremes", func(t *testing.T) {
			assert.NoError(t, sp.InElement("", -1, "", nil))
			assert.EqualError(t, sp.InElement("", -1, "", sp.Invalid("", "bad")), "invalid [-1]: bad")
		}},
		{"actor_helpers_zero", func(t *testing.T) {
			var a sp.Actor
			assert.False(t, a.IsRep(""))
			assert.False(t, a.Manages(""))
			assert.False(t, sp.ManagerActor("m", "").Manages(""))
		}},
		{"stepping_clock_extremes", func(t *testing.T) {
			c := sp.NewSteppingClock(time.Time{}, math.MinInt64)
			c.Now()
			c.Advance(math.MaxInt64)
			_ = c.Peek()
		}},
		{"allocate_many_weights", func(t *testing.T) {
			w := make([]int64, 10_000)
			w[9_999] = math.MaxInt64
			parts, err := money(t, "0.01 EUR").Allocate(w...)
			require.NoError(t, err)
			assert.Equal(t, "0.01 EUR", parts[9_999].String())
		}},
		{"region_json_null", func(t *testing.T) {
			r := sp.Region{ID: "keep"}
			require.NoError(t, json.Unmarshal([]byte("null"), &r))
			assert.Equal(t, sp.RegionID("keep"), r.ID)
		}},
		{"event_data_huge", func(t *testing.T) {
			e := sp.Event{ID: "e", Type: "t", Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Actor: "a", Subject: "s", Data: json.RawMessage(`"` + long + `"`)}
			assert.NoError(t, e.Validate())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotPanics(t, func() { tt.run(t) })
		})
	}
}
