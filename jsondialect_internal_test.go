package salesprocess

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

// TestTagNameV2 checks the names encoding/json/v2 gives fields by their
// json tags, on any Go; with encoding/json/v2, against json.Unmarshal
// itself, which puts the member of that name, and no other, into the
// field.
func TestTagNameV2(t *testing.T) {
	for _, tt := range []struct{ tag, name string }{
		{"name", "name"},
		{"name,omitempty", "name"},
		{",omitempty", ""},
		{"a b", "a b"},
		{"-,", "-"},
		{"a.b/c", "a.b/c"},
		{`a"b`, "a"},
		{`a\b`, "a"},
		{"a'b", "a"},
		{"a`b", "a"},
		{`x-y"z`, "x"},
		{`_x1"y`, "_x1"},
		{`é9"y`, "é9"},
		{`'quoted'`, ""},
		{`1"x`, ""},
		{`-"x`, ""},
		{"\xff", "\ufffd"},
		{"a\xfe\xffb,omitempty", "a\ufffd\ufffdb"},
	} {
		if got := tagNameV2(tt.tag); got != tt.name {
			t.Errorf("tagNameV2(%q) = %q, want %q", tt.tag, got, tt.name)
		}
		if !jsonV2() {
			continue
		}
		typ := reflect.StructOf([]reflect.StructField{{Name: "Go", Type: reflect.TypeFor[int](), Tag: reflect.StructTag(`json:"` + escapeTag(tt.tag) + `"`)}})
		member := tt.name
		if member == "" {
			member = "Go"
		}
		data, err := json.Marshal(map[string]int{member: 1})
		if err != nil {
			t.Fatal(err)
		}
		v := reflect.New(typ)
		if err := json.Unmarshal(data, v.Interface()); err != nil || v.Elem().Field(0).Int() != 1 {
			t.Errorf("tag %q: json.Unmarshal does not put the member %q into the field (%v)", tt.tag, member, err)
		}
	}
}

// escapeTag returns tag as it is written within the double quotes of a
// struct tag's value.
func escapeTag(tag string) string {
	q, _ := json.Marshal(tag)
	return string(q[1 : len(q)-1])
}

type (
	dialectLine struct {
		Qty  int64             `json:"qty"`
		Tags map[string][]int  `json:"tags"`
		Sub  *dialectLine      `json:"sub"`
		Own  Money             `json:"own"`
		Dots map[string]string `json:"a.b"`
	}
	dialectDoc struct {
		Lines  []dialectLine          `json:"lines"`
		Grid   [2][]int               `json:"grid"`
		ByKey  map[string]dialectLine `json:"by_key"`
		Slash  int                    `json:"a/b~c"`
		Nested struct {
			Deep []*dialectLine `json:"deep"`
		} `json:"nested"`
	}
)

// TestPointerPath checks the paths written from the whole paths
// encoding/json/v2 gives, on any Go: each member by its field's JSON
// name, however the document spells it, each index in brackets, map keys
// left out; and the paths that do not lead through the type, which it
// reports.
func TestPointerPath(t *testing.T) {
	typ := reflect.TypeFor[dialectDoc]()
	for _, tt := range []struct{ field, path string }{
		{"", ""},
		{"lines", "lines"},
		{"lines.0.qty", "lines[0].qty"},
		{"LINES.12.QTY", "lines[12].qty"},
		{"lines.1.tags.x.3", "lines[1].tags[3]"},
		{"lines.1.sub.sub.qty", "lines[1].sub.sub.qty"},
		{"grid.1.0", "grid[1][0]"},
		{"by_key.k.qty", "by_key.qty"},
		{"by_key.0.qty", "by_key.qty"},
		{"a~1b~0c", "a/b~c"},
		{"nested.deep.2.qty", "nested.deep[2].qty"},
		{"lines.0.own", "lines[0].own"},
	} {
		got, ok := pointerPath(typ, tt.field)
		if !ok || got != tt.path {
			t.Errorf("pointerPath(%q) = %q, %t; want %q", tt.field, got, ok, tt.path)
		}
	}
	for _, field := range []string{
		"qty",                            // a member's own method's error, from where it began
		"lines.x.qty",                    // not an index
		"lines.0.nope",                   // no such member
		"lines.0.own.amount",             // within a value that decodes by its own method
		"lines.0.a.b.k",                  // a name with a dot
		"by_key.k.x.y.qty",               // a key with dots
		"lines.0.qty.1",                  // below a number
		"grid.-1.0",                      // a negative index
		"lines.18446744073709551616.qty", // an index beyond uint64
	} {
		if got, ok := pointerPath(typ, field); ok {
			t.Errorf("pointerPath(%q) = %q, true; want false", field, got)
		}
	}
}

// dialectOwn decodes by a method of its own that converts its receiver to
// a local type with the same fields.
type dialectOwn struct {
	N    int64        `json:"n"`
	Subs []dialectOwn `json:"subs"`
}

func (o *dialectOwn) UnmarshalJSON(data []byte) error {
	type plain dialectOwn
	return json.Unmarshal(data, (*plain)(o))
}

// TestPointerPathOwn checks the paths below a type that decodes by a
// method of its own, from where the method began: by the type's fields at
// the start, but not below another value that decodes by its own method.
func TestPointerPathOwn(t *testing.T) {
	typ := reflect.TypeFor[dialectOwn]()
	for _, tt := range []struct {
		field, path string
		ok          bool
	}{
		{"", "", true},
		{"n", "n", true},
		{"N", "n", true},
		{"subs", "subs", true},
		{"subs.2", "subs[2]", true},
		{"subs.2.n", "", false}, // within the element's own method
		{"nope", "", false},
	} {
		got, ok := pointerPathOwn(typ, tt.field)
		if got != tt.path || ok != tt.ok {
			t.Errorf("pointerPathOwn(%q) = %q, %t; want %q, %t", tt.field, got, ok, tt.path, tt.ok)
		}
	}
	if got, ok := pointerPath(typ, "n"); ok {
		t.Errorf("pointerPath(%q) = %q, true: a path into a value that decodes by its own method", "n", got)
	}
}

// TestWrongTypeAt checks the check of a path that encoding/json/v2 gives
// from where a method began, on any Go: the value at the path, found by
// the fields' JSON names (the last of a member given twice, spelt in any
// case), fails to decode alone into the type wanted.
func TestWrongTypeAt(t *testing.T) {
	own, i64 := reflect.TypeFor[dialectOwn](), reflect.TypeFor[int64]()
	for _, tt := range []struct {
		data, path string
		want       reflect.Type
		wrong      bool
	}{
		{`{"n":"x"}`, "n", i64, true},
		{`{"n":1}`, "n", i64, false},
		{`{"N":"x"}`, "n", i64, true},
		{`{"n":"x","n":1}`, "n", i64, false},
		{`{"n":1,"n":"x"}`, "n", i64, true},
		{`{"subs":[{},{"n":"x"}]}`, "subs[1].n", i64, true},
		{`{"subs":[{},{"n":"x"}]}`, "subs[0].n", i64, false},
		{`{"subs":[{"n":"x"}]}`, "subs[1].n", i64, false},
		{`{"subs":[{"n":"x"}]}`, "subs[x].n", i64, false},
		{`{"subs":[{"n":"x"}]}`, "subs[0", i64, false},
		{`{"subs":{"n":"x"}}`, "subs[0].n", i64, false},
		{`{"n":"x"}`, "nope", i64, false},
		{`{"n":"x"}`, "n.m", i64, false},
		{`{"n":"x"}`, "n", nil, false},
		{`{"subs":"x"}`, "subs", reflect.TypeFor[[]dialectOwn](), true},
	} {
		if got := wrongTypeAt(own, []byte(tt.data), tt.path, tt.want); got != tt.wrong {
			t.Errorf("wrongTypeAt(%s, %q, %v) = %t, want %t", tt.data, tt.path, tt.want, got, tt.wrong)
		}
	}
}

// TestKeyMethodFollowsEncodingJSON checks that keyMethod names the method
// json.Unmarshal decodes a map key by, of a key type with both methods:
// the one whose result the decoded map holds.
func TestKeyMethodFollowsEncodingJSON(t *testing.T) {
	var m map[bothKey]int
	if err := json.Unmarshal([]byte(`{"k":1}`), &m); err != nil {
		t.Fatal(err)
	}
	for k := range m {
		if want := keyMethod(reflect.TypeFor[bothKey]()); string(k) != want {
			t.Errorf("json.Unmarshal decodes the key by %s; keyMethod says %s", k, want)
		}
	}
	if got := keyMethod(reflect.TypeFor[string]()); got != "" {
		t.Errorf("keyMethod(string) = %q", got)
	}
}

// bothKey is a map key type with both decoding methods, each of which
// stores its own name.
type bothKey string

func (k *bothKey) UnmarshalJSON([]byte) error { *k = "UnmarshalJSON"; return nil }
func (k *bothKey) UnmarshalText([]byte) error { *k = "UnmarshalText"; return nil }

// FuzzTagName checks tagName, of the encoding/json the test is built with,
// against json.Unmarshal: the member that tagName names a field by, or
// the field's Go name where it names none, goes into the field. A tag
// whose options json.Unmarshal refuses for the field says nothing.
func FuzzTagName(f *testing.F) {
	for _, tag := range []string{"name", `a"b`, `a\b`, "'q'", "-,", ",omitempty", "\xff", "a b", "x,string", `é"`, `1"x`, "a`b", "Go"} {
		f.Add(tag)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		if tag == "" || tag == "-" {
			return
		}
		name := tagName(tag)
		if name == "" {
			name = "Go"
		}
		typ := reflect.StructOf([]reflect.StructField{{Name: "Go", Type: reflect.TypeFor[any](), Tag: reflect.StructTag("json:" + strconv.Quote(tag))}})
		data, err := json.Marshal(map[string]int{name: 1})
		if err != nil {
			t.Fatal(err)
		}
		v := reflect.New(typ)
		if err := json.Unmarshal(data, v.Interface()); err != nil {
			return
		}
		if v.Elem().Field(0).IsNil() {
			t.Fatalf("tag %q: tagName gives %q, and json.Unmarshal puts the member %q into no field", tag, tagName(tag), name)
		}
	})
}
