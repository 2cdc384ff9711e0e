package salesprocess_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// lowerJSONKey is a map key type whose UnmarshalJSON folds the key to
// lower case, and whose UnmarshalText keeps it as it is. encoding/json
// calls UnmarshalJSON for a key before UnmarshalText; encoding/json/v2
// (Go 1.27) calls UnmarshalText alone.
type lowerJSONKey string

// lowerTextKey is a map key type whose UnmarshalText, by which every
// encoding/json decodes a key, folds the key to lower case.
type lowerTextKey string

func (k *lowerTextKey) UnmarshalText(text []byte) error {
	*k = lowerTextKey(strings.ToLower(string(text)))
	return nil
}

func (k *lowerJSONKey) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*k = lowerJSONKey(strings.ToLower(s))
	return nil
}

func (k *lowerJSONKey) UnmarshalText(text []byte) error {
	*k = lowerJSONKey(text)
	return nil
}

// TestDecodeJSONStrictMapKeyKinds checks that DecodeJSONStrict tells a map
// key given twice as encoding/json stores it, for every kind of key: an
// integer of any size or sign read in base 10 only ("010" is 10, not 8),
// and a key type with an UnmarshalText method, and one with an
// UnmarshalJSON method too, by what the method encoding/json calls makes
// of it; and that it takes the keys encoding/json stores apart.
func TestDecodeJSONStrictMapKeyKinds(t *testing.T) {
	type twice struct {
		name, doc, reason string
		v                 func() any
	}
	type apart struct {
		name, doc string
		v         func() any
		want      any
	}
	byJSON := twice{"key_by_unmarshal_json", `{"A":1,"a":2}`, "key a given twice, first as A", func() any { return new(map[lowerJSONKey]int) }}
	apartByJSON := apart{"key_by_unmarshal_json", `{"A":1,"b":2}`, func() any { return new(map[lowerJSONKey]int) }, &map[lowerJSONKey]int{"a": 1, "b": 2}}
	if sp.JSONV2() {
		// The key is decoded by UnmarshalText, which keeps its case;
		// and a float key is decoded, as a number.
		byJSON = twice{"float", `{"1.5":1,"15e-1":2}`, `key 15e-1 given twice, first as "1.5"`, func() any { return new(map[float64]int) }}
		apartByJSON = apart{"key_by_unmarshal_text_not_json", `{"A":1,"a":2}`, func() any { return new(map[lowerJSONKey]int) },
			&map[lowerJSONKey]int{"A": 1, "a": 2}}
	}
	for _, tt := range []twice{
		{"int_decimal_not_octal", `{"10":1,"8":2,"010":3}`, "key 010 given twice, first as 10", func() any { return new(map[int]int) }},
		{"int64", `{"9223372036854775807":1,"09223372036854775807":2}`, "key 09223372036854775807 given twice, first as 9223372036854775807",
			func() any { return new(map[int64]int) }},
		{"int8_negative", `{"-128":1,"-0128":2}`, "key -0128 given twice, first as -128", func() any { return new(map[int8]int) }},
		{"uint", `{"7":1,"07":2}`, "key 07 given twice, first as 7", func() any { return new(map[uint]int) }},
		{"uint_decimal_not_octal", `{"10":1,"8":2,"010":3}`, "key 010 given twice, first as 10", func() any { return new(map[uint]int) }},
		{"uint64", `{"18446744073709551615":1,"018446744073709551615":2}`, "key 018446744073709551615 given twice, first as 18446744073709551615",
			func() any { return new(map[uint64]int) }},
		{"uint8", `{"255":1,"0255":2}`, "key 0255 given twice, first as 255", func() any { return new(map[uint8]int) }},
		{"key_by_unmarshal_text", `{"A":1,"a":2}`, "key a given twice, first as A", func() any { return new(map[lowerTextKey]int) }},
		byJSON,
	} {
		if tt.name == "" {
			continue
		}
		t.Run("err_"+tt.name, func(t *testing.T) {
			v := tt.v()
			require.NoError(t, json.Unmarshal([]byte(tt.doc), tt.v()), "encoding/json takes the document")
			err := sp.DecodeJSONStrict("keys", []byte(tt.doc), v)
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "keys", ve.Field)
			assert.Equal(t, tt.reason, ve.Reason)
		})
	}
	for _, tt := range []apart{
		{"int_octal_looking", `{"8":1,"010":2}`, func() any { return new(map[int]int) }, &map[int]int{8: 1, 10: 2}},
		{"uint_octal_looking", `{"8":1,"010":2}`, func() any { return new(map[uint]int) }, &map[uint]int{8: 1, 10: 2}},
		{"int64_bounds", `{"9223372036854775807":1,"-9223372036854775808":2}`, func() any { return new(map[int64]int) },
			&map[int64]int{9223372036854775807: 1, -9223372036854775808: 2}},
		{"key_by_unmarshal_text", `{"A":1,"b":2}`, func() any { return new(map[lowerTextKey]int) }, &map[lowerTextKey]int{"a": 1, "b": 2}},
		apartByJSON,
	} {
		t.Run("ok_"+tt.name, func(t *testing.T) {
			v := tt.v()
			require.NoError(t, sp.DecodeJSONStrict("keys", []byte(tt.doc), v))
			assert.Equal(t, tt.want, v)
		})
	}
}

// TestDecodeJSONStrictTwiceQuotesFirst checks that the reason of a member
// given twice quotes the first spelling, as the path quotes the second,
// when it is not a plain name.
func TestDecodeJSONStrictTwiceQuotesFirst(t *testing.T) {
	var v struct {
		Note string `json:"the note"`
	}
	err := sp.DecodeJSONStrict("config", []byte(`{"the note":"a","THE NOTE":"b"}`), &v)
	require.ErrorIs(t, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, `config."THE NOTE"`, ve.Field)
	assert.Equal(t, `given twice, first as "the note"`, ve.Reason)
	assert.Empty(t, v.Note, "a failed decoding changes nothing")
}

// TestDecodeJSONNestedPathOfAListDecodesOnce checks that an element of a
// slice or a map decoded whole, refused by a type that decodes by
// DecodeJSON itself, is found where its bytes lie, without decoding the
// elements again, and named by its index below a map's value.
func TestDecodeJSONNestedPathOfAListDecodesOnce(t *testing.T) {
	const bad = `{"price":{"amount":"1","currency":"XXX"}}`
	for _, tt := range []struct {
		name, doc, field string
		v                func() any
		decodings        int
	}{
		{"slice", `[{},{},` + bad + `]`, "list[2].price.currency", func() any { return new([]pathNode) }, 3},
		{"array", `[{},` + bad + `]`, "list[1].price.currency", func() any { return new([2]pathNode) }, 2},
		{"map", `{"a":{},"b":` + bad + `}`, "list.price.currency", func() any { return new(map[string]pathNode) }, 2},
		{"map_of_slices", `{"a":[{}],"b":[{},` + bad + `]}`, "list[1].price.currency", func() any { return new(map[string][]pathNode) }, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.v()
			nodeDecodings = 0
			err := sp.DecodeJSON("list", []byte(tt.doc), v)
			require.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "%v", err)
			assert.Equal(t, tt.decodings, nodeDecodings, "decodings of a node")
		})
	}
}
