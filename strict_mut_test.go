package salesprocess_test

import (
	"encoding/json"
	"strings"
	"testing"

	sp "github.com/salesprocess/salesprocess"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// EmbeddedZone is an exported struct embedded without a tag: its members are
// the parent's, and its own name is no member.
type EmbeddedZone struct {
	Zone string `json:"zone"`
}

// EmbeddedNamed is an exported struct embedded under a tag: a member of its
// own, as any other field.
type EmbeddedNamed struct {
	At int `json:"at"`
}

// shapeLimit and shapeOther are the types of two fields whose JSON names
// differ only in case: "K" holds a limit, "k" something else.
type shapeLimit struct {
	Limit int `json:"limit"`
}

type shapeOther struct {
	Other int `json:"other"`
}

// strictShapes holds the shapes of a configuration that the strict
// decoding reads by encoding/json's rules beside those of strictConfig: a
// pointer to a pointer, an array, a slice and a map of pointers, an
// untagged field, an embedded struct with a tag and one without, fields
// whose names differ only in case and a field left out of JSON.
type strictShapes struct {
	EmbeddedZone
	EmbeddedNamed `json:"named"`
	PP            **settings           `json:"pp,omitempty"`
	Arr           [2]settings          `json:"arr"`
	Ptrs          []*settings          `json:"ptrs,omitempty"`
	ByPtr         map[string]*settings `json:"by_ptr,omitempty"`
	Plain         int
	Up            shapeLimit `json:"K"`
	Low           shapeOther `json:"k"`
	First         shapeLimit `json:"key"`
	Second        shapeOther `json:"Key"`
	Hook          func()     `json:"-"`
}

// DecodeJSONStrict finds an unknown member in each shape of strictShapes,
// naming it by its path, and takes the members that encoding/json decodes,
// a member matched without regard to case into the field encoding/json
// picks: the one of that exact name, or else the first.
func TestDecodeJSONStrictShapes(t *testing.T) {
	for _, doc := range []string{
		`{"zone":"z","named":{"at":1},"pp":{"name":"p"},"arr":[{"name":"a"},{"limit":2}],"ptrs":[null,{"name":"q"}],"by_ptr":{"k":{"name":"m"}},"Plain":3}`,
		`{"plain":3,"ZONE":"z","Named":{"AT":1}}`,
		// "K" is the exact name of Up, a limit; "k" of Low.
		`{"K":{"limit":1},"k":{"other":2}}`,
		// "KEY" matches "key" and "Key" without regard to case, and
		// encoding/json decodes it into the first of them, First.
		`{"KEY":{"limit":1}}`,
		// A member after an object or an array that holds only known
		// members.
		`{"named":{"at":1},"arr":[{"name":"a"}],"zone":"z"}`,
	} {
		var want, got strictShapes
		require.NoError(t, json.Unmarshal([]byte(doc), &want), doc)
		require.NoError(t, sp.DecodeJSONStrict("shapes", []byte(doc), &got), doc)
		assert.Equal(t, want.Up, got.Up, doc)
		assert.Equal(t, want.First, got.First, doc)
		assert.Equal(t, want.Arr, got.Arr, doc)
	}
	for doc, field := range map[string]string{
		`{"pp":{"name":"p","x":1}}`:      "shapes.pp.x",
		`{"arr":[{"name":"a"},{"x":1}]}`: "shapes.arr[1].x",
		`{"ptrs":[null,{"x":1}]}`:        "shapes.ptrs[1].x",
		`{"by_ptr":{"k":{"x":1}}}`:       "shapes.by_ptr.x",
		`{"named":{"at":1},"zz":1}`:      "shapes.zz",
		`{"arr":[{"name":"a"}],"zz":1}`:  "shapes.zz",
		`{"named":{"at":1,"to":2}}`:      "shapes.named.to",
		`{"EmbeddedZone":{"zone":"z"}}`:  "shapes.EmbeddedZone",
		`{"K":{"other":1}}`:              "shapes.K.other",
		`{"k":{"limit":1}}`:              "shapes.k.limit",
		`{"KEY":{"other":1}}`:            "shapes.KEY.other",
		`{"-":1}`:                        "shapes.-",
		`{"Hook":null}`:                  "shapes.Hook",
		`{"plain":3,"Plane":4}`:          "shapes.Plane",
	} {
		var v strictShapes
		err := sp.DecodeJSONStrict("shapes", []byte(doc), &v)
		require.ErrorIs(t, err, sp.ErrInvalid, doc)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, doc)
		assert.Equal(t, field, ve.Field, "%s: %v", doc, err)
		assert.Equal(t, "unknown field", ve.Reason, doc)
		assert.Equal(t, strictShapes{}, v, "a failed decoding changes nothing")
	}
}

// An unknown member's key is written as it is when it is a plain name,
// at most 128 ASCII letters, digits, underscores and hyphens, and quoted
// otherwise.
func TestDecodeJSONStrictKeys(t *testing.T) {
	long := strings.Repeat("k", 128)
	for key, want := range map[string]string{
		long:       long,
		long + "k": `"` + strings.Repeat("k", 40) + `"...`,
		"":         `""`,
		"azAZ09_-": "azAZ09_-",
		"a.b":      `"a.b"`,
		"[1]":      `"[1]"`,
		"é":        `"é"`,
	} {
		doc, err := json.Marshal(map[string]int{key: 1})
		require.NoError(t, err)
		var c strictConfig
		err = sp.DecodeJSONStrict("config", doc, &c)
		var ve *sp.ValidationError
		require.ErrorAs(t, err, &ve, "%s", doc)
		assert.Equal(t, "config."+want, ve.Field, "%s", doc)
	}
}
