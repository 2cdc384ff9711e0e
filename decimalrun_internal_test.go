package salesprocess

import (
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestWrittenRun checks writtenRun and longDecimal against the text the
// decimal's String method writes: its length, a sign aside, on either
// side of MaxDigitRun, for coefficients with and without trailing zeros,
// zeros among them.
func TestWrittenRun(t *testing.T) {
	coefficients := []string{"0", "1", "-1", "7", "10", "-1000", "12345", "120000", "99999999999999999999", "-123456789012345678900000",
		"1" + strings.Repeat("0", 300), strings.Repeat("42", 200)}
	exponents := []int32{0, 1, -1, 2, -2, -5, 6, -30, -300, -301, -400, 500, -4000, 4000,
		MaxDigitRun - 3, MaxDigitRun - 1, MaxDigitRun, MaxDigitRun + 1, -MaxDigitRun + 3, -MaxDigitRun + 1, -MaxDigitRun, -MaxDigitRun - 1, -MaxDigitRun - 300, 9999, -9999}
	for _, c := range coefficients {
		v, ok := new(big.Int).SetString(c, 10)
		if !ok {
			t.Fatal(c)
		}
		for _, exp := range exponents {
			checkWrittenRun(t, decimal.NewFromBigInt(v, exp))
		}
	}
	checkWrittenRun(t, decimal.Decimal{})
}

func checkWrittenRun(t *testing.T, d decimal.Decimal) {
	t.Helper()
	want := int64(len(strings.TrimPrefix(d.String(), "-")))
	if got := writtenRun(d); got != want {
		t.Errorf("writtenRun(%se%d) = %d, want %d", d.Coefficient(), d.Exponent(), got, want)
	}
	run, long := longDecimal(d)
	if long != (want > MaxDigitRun) || long && run != want {
		t.Errorf("longDecimal(%se%d) = %d, %t; written out in %d", d.Coefficient(), d.Exponent(), run, long, want)
	}
}

// FuzzWrittenRun checks writtenRun and longDecimal against the text of
// String for decimals of any coefficient and exponent that a decimal
// decodes (within decimal.MaxDecodeExponent).
func FuzzWrittenRun(f *testing.F) {
	f.Add([]byte{1}, false, int16(-9999))
	f.Add([]byte{0x03, 0xe8}, true, int16(-8193))
	f.Add([]byte{}, false, int16(10000))
	f.Add([]byte{9}, false, int16(MaxDigitRun-1))
	f.Fuzz(func(t *testing.T, abs []byte, negative bool, exp int16) {
		exp %= int16(decimal.MaxDecodeExponent + 1) // within what a decimal decodes
		abs = abs[:min(len(abs), 1<<12)]
		v := new(big.Int).SetBytes(abs)
		if negative {
			v.Neg(v)
		}
		checkWrittenRun(t, decimal.NewFromBigInt(v, int32(exp)))
	})
}

// BenchmarkCheckDecimals is the walk DecodeJSON adds to each decoding: a
// value with a decimal and eight more in a slice, among fields without
// any, and, for a type that holds no decimal, the cached answer that there
// is nothing to walk.
func BenchmarkCheckDecimals(b *testing.B) {
	type line struct {
		Product  string
		Quantity int64
		Discount decimal.Decimal
	}
	type deal struct {
		ID          string
		Owner       string
		Amount      Money
		Probability decimal.Decimal
		Steps       []decimal.Decimal
		Lines       []line
		Notes       []string
	}
	d := deal{ID: "d1", Owner: "rep", Probability: decimal.New(5, -1), Notes: []string{"a", "b"}}
	for i := range 8 {
		d.Steps = append(d.Steps, decimal.New(int64(i), -2))
	}
	b.Run("decimals", func(b *testing.B) {
		v := reflect.ValueOf(&d).Elem()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if checkDecimals("deal", v) != nil {
				b.Fatal("refused")
			}
		}
	})
	b.Run("none", func(b *testing.B) {
		r := Rep{ID: "r1", Name: "Ana"}
		v := reflect.ValueOf(&r).Elem()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if checkDecimals("rep", v) != nil {
				b.Fatal("refused")
			}
		}
	})
}

// TestDecimalText checks the decimals of error reasons: a nonzero one in
// scientific notation by its value, the same for each written form of it,
// cut after 20 digits and only past 20; a zero as written.
func TestDecimalText(t *testing.T) {
	fromText := func(s string, exp int32) decimal.Decimal {
		c, ok := new(big.Int).SetString(s, 10)
		if !ok {
			t.Fatalf("bad coefficient %q", s)
		}
		return decimal.NewFromBigInt(c, exp)
	}
	for _, tt := range []struct {
		d    decimal.Decimal
		want string
	}{
		{decimal.New(1, 99), "1e99"},
		{decimal.New(1000, 96), "1e99"},
		{fromText("1"+strings.Repeat("0", 99), 0), "1e99"},
		{decimal.New(-125, -45), "-1.25e-43"},
		{decimal.New(-1250, -46), "-1.25e-43"},
		{decimal.New(7, 0), "7e0"},
		{decimal.New(0, -50), "0e-50"},
		{decimal.New(0, 60), "0e60"},
		{fromText("12345678901234567891", -9000), "1.2345678901234567891e-8981"},
		{fromText("-12345678901234567891", 0), "-1.2345678901234567891e19"},
		{fromText("123456789012345678901", 0), "1.2345678901234567890...e20"},
		{fromText("-123456789012345678901", 0), "-1.2345678901234567890...e20"},
		{fromText("12345678901234567890000000", 3), "1.234567890123456789e28"},
		{decimal.New(9, -2147483648), "9e-2147483648"},
		{fromText("99", 2147483647), "9.9e2147483648"},
	} {
		if got := decimalText(tt.d); got != tt.want {
			t.Errorf("decimalText(%v×10^%d) = %q, want %q", tt.d.Coefficient(), tt.d.Exponent(), got, tt.want)
		}
		if tt.d.IsZero() || strings.Contains(tt.want, "...") || tt.d.Exponent() < -1000 || tt.d.Exponent() > 1000 {
			continue
		}
		back, err := decimal.NewFromString(tt.want)
		if err != nil || !back.Equal(tt.d) {
			t.Errorf("decimalText(%v) = %q, which reads as %v (%v)", tt.d, tt.want, back, err)
		}
	}
}
