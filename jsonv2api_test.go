//go:build go1.27 && goexperiment.jsonv2

package salesprocess_test

import (
	"encoding/json"
	jsonv2 "encoding/json/v2"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestJSONFormsThroughJSONV2API checks that every type of the module that
// decodes JSON by a method of its own is encoded by the API of
// encoding/json/v2, whose defaults differ from encoding/json's (a zero
// number or false is written despite omitempty, a nil slice as [], a
// map's members in any order), as encoding/json encodes it, zero and
// filled, and decoded by it from that form as encoding/json decodes it: a
// host on Go 1.27 may use either.
func TestJSONFormsThroughJSONV2API(t *testing.T) {
	for _, pkg := range decodingCases(t) {
		for _, c := range pkg.cases {
			if c.fresh == nil {
				continue
			}
			zero, filled := c.fresh(), c.fresh()
			fillAll(reflect.ValueOf(filled).Elem(), 0)
			fillDecimals(reflect.ValueOf(filled).Elem(), 0)
			for variant, v := range map[string]any{"zero": zero, "filled": filled} {
				want, err := json.Marshal(v)
				for range 4 { // a map's members in another order, if any
					got, err2 := jsonv2.Marshal(v)
					if err != nil {
						assert.Error(t, err2, "%s %s: encoding/json refuses it: %v", c.name, variant, err)
						break
					}
					if !assert.NoError(t, err2, "%s %s", c.name, variant) || !assert.Equal(t, string(want), string(got), "%s %s", c.name, variant) {
						break
					}
				}
				if err != nil {
					continue
				}
				v1, v2 := c.fresh(), c.fresh()
				err1, err2 := json.Unmarshal(want, v1), jsonv2.Unmarshal(want, v2)
				assert.Equal(t, err1 == nil, err2 == nil, "%s %s: decoding %s: %v, %v", c.name, variant, want, err1, err2)
				if err1 == nil && err2 == nil {
					assert.Equal(t, v1, v2, "%s %s: decoded from %s", c.name, variant, want)
				}
			}
		}
	}
}

// fillAll sets what v (settable) holds that has a JSON form of its own
// kind, reached through exported fields, pointers, slices and maps, to a
// value that is not zero: a string to "x" (a named string type, often an
// enumeration that checks its text, is left empty), a number to 1, a bool
// to true, a raw message to an object, each list to one element and each
// map to two (a map keyed by a named type is left nil), each pointer
// allocated, to a depth of 5. Structs without exported fields (times,
// decimals, Money, locations) are left zero.
func fillAll(v reflect.Value, depth int) {
	if depth > 5 {
		return
	}
	t := v.Type()
	if t == reflect.TypeFor[json.RawMessage]() {
		v.SetBytes([]byte(`{"k":[1]}`))
		return
	}
	switch t.Kind() {
	case reflect.String:
		if t.PkgPath() == "" {
			v.SetString("x")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Struct && !hasExported(t.Elem()) {
			return // a *time.Location
		}
		v.Set(reflect.New(t.Elem()))
		fillAll(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(t, 1, 1))
		fillAll(v.Index(0), depth+1)
	case reflect.Map:
		if t.Key().PkgPath() != "" {
			return // keyed by an enumeration, which checks its text
		}
		m := reflect.MakeMap(t)
		for _, key := range []string{"a", "b"} {
			k := reflect.New(t.Key()).Elem()
			switch k.Kind() {
			case reflect.String:
				k.SetString(key)
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				k.SetInt(int64(key[0]))
			default:
				return
			}
			e := reflect.New(t.Elem()).Elem()
			fillAll(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := v.Field(i); f.CanSet() {
				fillAll(f, depth+1)
			}
		}
	}
}

// hasExported reports whether struct type t has an exported field.
func hasExported(t reflect.Type) bool {
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			return true
		}
	}
	return false
}
