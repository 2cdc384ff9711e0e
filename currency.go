package salesprocess

// Currency is an ISO 4217 alphabetic currency code such as "EUR". Its text
// form is the code itself. The zero value is the empty code, which belongs
// to the zero [Money] only; [ParseCurrency] and [Currency.Validate] accept
// only the codes of the currencies active in ISO 4217 (list published
// 2026-01-01) that have a defined minor unit, so the precious-metal and
// testing codes (XAU, XTS, XXX, ...) are refused.
type Currency string

// ParseCurrency returns the currency with code s. The code must be given in
// upper case, exactly as ISO 4217 spells it; an unknown or malformed code
// gets an error that wraps [ErrInvalid].
func ParseCurrency(s string) (Currency, error) {
	if c, ok := canonical[Currency(s)]; ok {
		return c, nil
	}
	c := Currency(s)
	return "", c.Validate()
}

// canonical maps each known code to the one string this package holds for
// it. Currencies parsed from text are that string, so that two of them
// compare by their shared bytes (see [Accumulator.Add]) whatever text they
// came from.
var canonical = func() map[Currency]Currency {
	m := make(map[Currency]Currency, len(minorUnits))
	for c := range minorUnits {
		m[c] = c
	}
	return m
}()

// Validate reports whether c is an active ISO 4217 code with a minor unit.
func (c Currency) Validate() error {
	if _, ok := minorUnits[c]; ok {
		return nil
	}
	if c == "" {
		return Invalid("currency", "missing")
	}
	if len(c) > 8 {
		return Invalid("currency", "unknown ISO 4217 code %.8q...", string(c))
	}
	return Invalid("currency", "unknown ISO 4217 code %q", string(c))
}

// MinorUnits returns the number of decimal places of c's minor unit (2 for
// EUR, 0 for JPY, 3 for KWD), and false if c is not a known code.
func (c Currency) MinorUnits() (int32, bool) {
	n, ok := minorUnits[c]
	return int32(n), ok
}

// String returns the code.
func (c Currency) String() string { return string(c) }

// MarshalText implements [encoding.TextMarshaler]; the zero Currency encodes
// as empty text. As for UnmarshalText, an unknown code is an error wrapping
// [ErrInvalid].
func (c Currency) MarshalText() ([]byte, error) {
	if c != "" {
		if err := c.Validate(); err != nil {
			return nil, err
		}
	}
	return []byte(c), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text decodes to
// the zero Currency; an unknown code is an error wrapping [ErrInvalid] and
// leaves c unchanged.
func (c *Currency) UnmarshalText(text []byte) error {
	if err := CheckTarget(c); err != nil {
		return err
	}
	if len(text) == 0 {
		*c = ""
		return nil
	}
	v, err := ParseCurrency(string(text))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// minorUnits maps the active ISO 4217 codes to their minor-unit digits.
// Funds codes with a defined minor unit (BOV, CHE, CHW, CLF, COU, MXV, USN,
// UYI, UYW, XAD) are included; codes whose minor unit is "N.A." are not.
var minorUnits = map[Currency]uint8{
	"AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "AOA": 2, "ARS": 2, "AUD": 2, "AWG": 2,
	"AZN": 2, "BAM": 2, "BBD": 2, "BDT": 2, "BHD": 3, "BIF": 0, "BMD": 2, "BND": 2,
	"BOB": 2, "BOV": 2, "BRL": 2, "BSD": 2, "BTN": 2, "BWP": 2, "BYN": 2, "BZD": 2,
	"CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CLF": 4, "CLP": 0, "CNY": 2,
	"COP": 2, "COU": 2, "CRC": 2, "CUP": 2, "CVE": 2, "CZK": 2, "DJF": 0, "DKK": 2,
	"DOP": 2, "DZD": 2, "EGP": 2, "ERN": 2, "ETB": 2, "EUR": 2, "FJD": 2, "FKP": 2,
	"GBP": 2, "GEL": 2, "GHS": 2, "GIP": 2, "GMD": 2, "GNF": 0, "GTQ": 2, "GYD": 2,
	"HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3,
	"IRR": 2, "ISK": 0, "JMD": 2, "JOD": 3, "JPY": 0, "KES": 2, "KGS": 2, "KHR": 2,
	"KMF": 0, "KPW": 2, "KRW": 0, "KWD": 3, "KYD": 2, "KZT": 2, "LAK": 2, "LBP": 2,
	"LKR": 2, "LRD": 2, "LSL": 2, "LYD": 3, "MAD": 2, "MDL": 2, "MGA": 2, "MKD": 2,
	"MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2, "MVR": 2, "MWK": 2, "MXN": 2,
	"MXV": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NIO": 2, "NOK": 2, "NPR": 2,
	"NZD": 2, "OMR": 3, "PAB": 2, "PEN": 2, "PGK": 2, "PHP": 2, "PKR": 2, "PLN": 2,
	"PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0, "SAR": 2, "SBD": 2,
	"SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2, "SOS": 2, "SRD": 2,
	"SSP": 2, "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2, "THB": 2, "TJS": 2, "TMT": 2,
	"TND": 3, "TOP": 2, "TRY": 2, "TTD": 2, "TWD": 2, "TZS": 2, "UAH": 2, "UGX": 0,
	"USD": 2, "USN": 2, "UYI": 0, "UYU": 2, "UYW": 4, "UZS": 2, "VED": 2, "VES": 2,
	"VND": 0, "VUV": 0, "WST": 2, "XAD": 2, "XAF": 0, "XCD": 2, "XCG": 2, "XOF": 0,
	"XPF": 0, "YER": 2, "ZAR": 2, "ZMW": 2, "ZWG": 2,
}
