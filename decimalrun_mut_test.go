package salesprocess_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// decNode holds itself, as a chain of rates, before its decimal.
type decNode struct {
	Next *decNode        `json:"next,omitempty"`
	Rate decimal.Decimal `json:"rate"`
}

// decTree holds itself and no decimal.
type decTree struct {
	Name string    `json:"name"`
	Kids []decTree `json:"kids"`
}

// DecTerms is embedded in decWrapped under a name of its own.
type DecTerms struct {
	Fee decimal.Decimal `json:"fee"`
}

type decWrapped struct {
	DecTerms `json:"terms"`
	Note     string `json:"note"`
}

// DecExported is embedded in decPointed by pointer, whose members are
// decPointed's own.
type DecExported struct {
	Cap decimal.Decimal `json:"cap"`
}

type decPointed struct {
	*DecExported
	Rates [3]decimal.Decimal `json:"rates"`
	Steps []decimal.Decimal  `json:"steps"`
}

// decForeign decodes itself without DecodeJSON: its decimals are its own
// method's to judge.
type decForeign struct {
	Fee decimal.Decimal `json:"fee"`
}

func (f *decForeign) UnmarshalJSON(data []byte) error {
	type plain decForeign
	return json.Unmarshal(data, (*plain)(f))
}

type decHolder struct {
	Foreign decForeign      `json:"foreign"`
	Rate    decimal.Decimal `json:"rate"`
}

// TestDecodeJSONDecimalsOfEveryShape checks that the decimals DecodeJSON
// judges are found in a type that holds itself (and that one without
// decimals decodes), in an embedded struct
// named by its tag, in one embedded by pointer, in an array and in a
// slice of several, named by their paths, the value left unchanged; that
// a member that decodes by its own method is left to it; and that the
// same type is judged alike on each decoding.
func TestDecodeJSONDecimalsOfEveryShape(t *testing.T) {
	const long = `"1e-9999"`
	t.Run("holds_itself", func(t *testing.T) {
		for doc, field := range map[string]string{
			`{"rate":` + long + `}`:                                         "node.rate",
			`{"rate":"1","next":{"rate":` + long + `}}`:                     "node.next.rate",
			`{"rate":"1","next":{"rate":"2","next":{"rate":` + long + `}}}`: "node.next.next.rate",
		} {
			v := decNode{Rate: decimal.New(7, 0)}
			checkRefused(t, "node", doc, &v, field)
			assert.Equal(t, "7", v.Rate.String(), doc)
			assert.Nil(t, v.Next, doc)
		}
		var v decNode
		require.NoError(t, sp.DecodeJSON("node", []byte(`{"rate":"1","next":{"rate":"1e-8190"}}`), &v))
		require.NotNil(t, v.Next)
		assert.Equal(t, int32(-8190), v.Next.Rate.Exponent())
		var tree decTree
		require.NoError(t, sp.DecodeJSON("tree", []byte(`{"name":"1e9999","kids":[{"name":"a","kids":[{"name":"b"}]}]}`), &tree))
		assert.Equal(t, "b", tree.Kids[0].Kids[0].Name)
	})
	t.Run("embedded", func(t *testing.T) {
		for doc, field := range map[string]string{
			`{"terms":{"fee":` + long + `}}`:                           "wrapped.terms.fee",
			`{"terms":{"fee":"1"},"note":"1e9999","fee":` + long + `}`: "",
		} {
			v := decWrapped{Note: "kept"}
			if field == "" {
				// "fee" is not a member of decWrapped: its decTerms is named "terms".
				require.NoError(t, sp.DecodeJSON("wrapped", []byte(doc), &v), doc)
				assert.Equal(t, "1", v.Fee.String())
				continue
			}
			checkRefused(t, "wrapped", doc, &v, field)
			assert.Equal(t, "kept", v.Note, doc)
		}
		for doc, field := range map[string]string{
			`{"cap":` + long + `}`:                        "pointed.cap",
			`{"rates":["1","2",` + long + `]}`:            "pointed.rates[2]",
			`{"steps":["1",` + long + `,"1e9999"]}`:       "pointed.steps[1]", // the first of two
			`{"steps":["1","1e9999",` + long + `]}`:       "pointed.steps[1]",
			`{"rates":[` + long + `],"steps":["1e9999"]}`: "pointed.rates[0]",
		} {
			var v decPointed
			checkRefused(t, "pointed", doc, &v, field)
			assert.Nil(t, v.DecExported, doc)
		}
	})
	t.Run("tag_names", func(t *testing.T) {
		// As encoding/json names members: `json:"-,"` names the member
		// "-", and a tag name it does not take leaves the Go name; but
		// encoding/json/v2 names Quote "a", the letters before the quote.
		type odd struct {
			//lint:ignore SA5008 the name "-" is the case
			Dash decimal.Decimal `json:"-,"`
			//lint:ignore SA5008 a name encoding/json does not take is the case
			Quote decimal.Decimal `json:"a\"b"`
		}
		var v odd
		checkRefused(t, "odd", `{"-":`+long+`}`, &v, "odd.-")
		if sp.JSONV2() {
			checkRefused(t, "odd", `{"a":`+long+`}`, &v, "odd.a")
			return
		}
		checkRefused(t, "odd", `{"Quote":`+long+`}`, &v, "odd.Quote")
	})
	t.Run("own_method", func(t *testing.T) {
		var v decHolder
		require.NoError(t, sp.DecodeJSON("holder", []byte(`{"foreign":{"fee":"1e-9999"},"rate":"1"}`), &v))
		assert.Equal(t, int32(-9999), v.Foreign.Fee.Exponent())
		checkRefused(t, "holder", `{"foreign":{"fee":"1"},"rate":`+long+`}`, &v, "holder.rate")
	})
	t.Run("again", func(t *testing.T) {
		// The plan of a type is made once and kept: each decoding of the
		// same type, and of a type of the same name in another scope, is
		// judged alike.
		type plain struct {
			Rate decimal.Decimal `json:"rate"`
		}
		for range 3 {
			var v plain
			checkRefused(t, "plain", `{"rate":`+long+`}`, &v, "plain.rate")
			var p *plain
			checkRefused(t, "plain", `{"rate":`+long+`}`, &p, "plain.rate")
			var s []plain
			checkRefused(t, "plain", `[{"rate":"1"},{"rate":`+long+`}]`, &s, "plain[1].rate")
		}
		{
			type plain struct {
				Rates []decimal.Decimal `json:"rates"`
			}
			var v plain
			checkRefused(t, "plain", `{"rates":["1",`+long+`]}`, &v, "plain.rates[1]")
		}
	})
}

// TestDecodeJSONDecimalAtTheBound checks decimals whose coefficient
// alone reaches the bound: a run of MaxDigitRun digits with a point
// among them is one more than the bound, and refused, one digit less is
// taken and reads back.
func TestDecodeJSONDecimalAtTheBound(t *testing.T) {
	nines := strings.Repeat("9", sp.MaxDigitRun)
	for _, doc := range []string{
		`{"rate":"` + nines + `e-1"}`,
		`{"rate":"` + nines + `e-4000"}`,
		`{"rate":"` + nines + `e1"}`,
	} {
		var v decNode
		checkRefused(t, "node", doc, &v, "node.rate")
	}
	for _, doc := range []string{
		`{"rate":"` + nines[1:] + `e-1"}`,
		`{"rate":"` + nines[1:] + `e-8190"}`,
		`{"rate":"` + nines[1:] + `e1"}`,
		`{"rate":"1` + strings.Repeat("0", sp.MaxDigitRun-1) + `e-1"}`, // the zero after the point is not written
	} {
		var v decNode
		require.NoError(t, sp.DecodeJSON("node", []byte(doc), &v), doc[:40])
		once, err := json.Marshal(v)
		require.NoError(t, err)
		var back decNode
		require.NoError(t, sp.DecodeJSON("node", once, &back), doc[:40])
		assert.True(t, back.Rate.Equal(v.Rate), doc[:40])
	}
}

// TestDecodeJSONDecimalReasonCut checks that the reason writes the decimal
// in scientific notation, its digits cut after 20, and only past 20.
func TestDecodeJSONDecimalReasonCut(t *testing.T) {
	var v decNode
	err := sp.DecodeJSON("node", []byte(`{"rate":"12345678901234567891e-9000"}`), &v)
	assert.EqualError(t, err, "invalid node.rate: 1.2345678901234567891e-8981 is written out in 9002 digits in a row, more than the 8192 a document may hold")
	err = sp.DecodeJSON("node", []byte(`{"rate":"123456789012345678901e-9000"}`), &v)
	assert.EqualError(t, err, "invalid node.rate: 1.2345678901234567890...e-8980 is written out in 9002 digits in a row, more than the 8192 a document may hold")
}

func checkRefused(t *testing.T, kind, doc string, v any, field string) {
	t.Helper()
	err := sp.DecodeJSON(kind, []byte(doc), v)
	require.ErrorIs(t, err, sp.ErrInvalid, doc)
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve, doc)
	assert.Equal(t, field, ve.Field, "%s: %v", doc, err)
	assert.Contains(t, ve.Reason, "digits in a row, more than the 8192 a document may hold", doc)
}
