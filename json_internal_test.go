package salesprocess

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// unmarshalField is the oracle of memberField: it reports whether
// json.Unmarshal puts the value of the member name of a JSON object into a
// field of a struct of type t, and if it can tell, which: the index
// sequence of the field that takes the number 1, when that is the only
// change. A field that refuses 1 (a string, a struct), or that
// encoding/json cannot reach (through a nil embedded pointer to an
// unexported struct), makes json.Unmarshal fail, which a well-formed
// document does only when the member goes to some field.
func unmarshalField(t reflect.Type, name string) (ok bool, index []int) {
	doc, err := json.Marshal(map[string]int{name: 1})
	if err != nil {
		panic(err)
	}
	v := reflect.New(t)
	if json.Unmarshal(doc, v.Interface()) != nil {
		return true, nil
	}
	var set [][]int
	var walk func(v reflect.Value, at []int)
	walk = func(v reflect.Value, at []int) {
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.Struct {
				f = f.Elem()
			}
			switch {
			case f.Kind() == reflect.Struct:
				walk(f, append(slices.Clip(at), i))
			case !f.IsZero():
				set = append(set, append(slices.Clip(at), i))
			}
		}
	}
	walk(v.Elem(), nil)
	if len(set) == 0 {
		return false, nil
	}
	if len(set) == 1 && v.Elem().FieldByIndex(set[0]).Kind() == reflect.Int {
		return true, set[0]
	}
	return true, nil
}

// memberIndex returns the index sequence of the field of t's memberTable
// with the identity id, nil if none.
func memberIndex(t reflect.Type, id int) []int {
	for _, ref := range membersOf(t).exact {
		if ref.id == id {
			return ref.index
		}
	}
	return nil
}

// fieldPath returns the Go names of the fields of t along index, joined by
// dots: "foldInner.Inner".
func fieldPath(t reflect.Type, index []int) string {
	names := make([]string, len(index))
	for i := range index {
		names[i] = t.FieldByIndex(index[:i+1]).Name
	}
	return strings.Join(names, ".")
}

type foldInner struct {
	Inner  int `json:"inner"`
	Shared int `json:"shared"`
	Deep   int
}

type foldPointed struct {
	Pointed int `json:"pointed"`
	Inner   int // encoding/json names it Inner, foldInner's inner
}

type foldTagged struct {
	Within int `json:"within"`
}

type foldHidden struct {
	Promoted int `json:"promoted"`
}

type foldNamed struct {
	Own int `json:"own"`
}

// foldCases is a struct with every kind of field memberField tells apart:
// promoted through embedded structs, a pointer to one and an unexported
// one, embedded structs with a name in their tag (one unexported), a
// field shadowing a promoted one, fields of one Go name that
// encoding/json names apart, names that differ by case only or fold to
// another rune (the Kelvin sign, the long s, the final sigma), a tag whose
// name encoding/json does not take (not UTF-8), a field left out
// (json:"-") and one that encoding/json names "-" (json:"-,"), and
// unexported fields.
type foldCases struct {
	foldInner
	*foldPointed
	foldHidden
	foldTagged `json:"tagged"`
	foldNamed  `json:"named"`
	Shared     int `json:"shared"`
	Lower      int `json:"v"`
	Upper      int `json:"V"`
	FirstName  int `json:"Name"`
	Name       int `json:"name"`
	Dup1       int `json:"dup"`
	Dup2       int `json:"DUP"`
	Kelvin     int `json:"\u212a"`
	LongS      int `json:"ſtrict"`
	Sigma      int `json:"σ"`
	Final      int `json:"xς"`
	Eszett     int `json:"ß"`
	Dotted     int `json:"İ"`
	//lint:ignore SA5008 a name not UTF-8 is one of the cases
	Invalid int `json:"\xff"`
	Skipped int `json:"-"`
	//lint:ignore SA5008 the name "-" is one of the cases
	Dash    int `json:"-,"`
	Plain   int
	Options int `json:",omitempty"`
	//lint:ignore U1000 a field memberField leaves out
	private int
}

// foldDups has two fields of one JSON name, as go vet lets no struct type
// written out have them, and one of that name in upper case between:
// encoding/json decodes neither of the two.
var foldDups = reflect.StructOf([]reflect.StructField{
	{Name: "Dup1", Type: reflect.TypeFor[int](), Tag: `json:"dup"`},
	{Name: "Dup2", Type: reflect.TypeFor[int](), Tag: `json:"DUP"`},
	{Name: "Dup3", Type: reflect.TypeFor[int](), Tag: `json:"dup"`},
})

type (
	FoldX1 struct {
		One int `json:"x"`
	}
	FoldX2 struct {
		Two int `json:"x"`
	}
	FoldPlainY struct {
		Y int
	}
	FoldTaggedY struct {
		TagY int `json:"Y"`
	}
	FoldDeepZ struct {
		DeepZ int `json:"z"`
	}
	FoldDeeperZ struct {
		FoldDeepZ
	}
)

// foldDominance has fields of one JSON name at one depth and at several:
// two tagged x at depth 1, which encoding/json decodes neither of; a
// tagged Y and an untagged Y at depth 1, the tagged one decoding it; z at
// depths 0, 1 and 2, the shallowest decoding it.
var foldDominance = reflect.StructOf([]reflect.StructField{
	{Name: "FoldX1", Type: reflect.TypeFor[FoldX1](), Anonymous: true},
	{Name: "FoldX2", Type: reflect.TypeFor[FoldX2](), Anonymous: true},
	{Name: "FoldPlainY", Type: reflect.TypeFor[FoldPlainY](), Anonymous: true},
	{Name: "FoldTaggedY", Type: reflect.TypeFor[FoldTaggedY](), Anonymous: true},
	{Name: "FoldDeeperZ", Type: reflect.TypeFor[FoldDeeperZ](), Anonymous: true},
	{Name: "FoldDeepZ", Type: reflect.TypeFor[FoldDeepZ](), Anonymous: true},
	{Name: "Z", Type: reflect.TypeFor[int](), Tag: `json:"z"`},
})

// foldSelf embeds a pointer to itself: its fields are met again at every
// depth.
type foldSelf struct {
	//lint:ignore U1000 encoding/json finds no member in it but its own
	*foldSelf
	Self int `json:"self"`
}

// The types of this module, as their UnmarshalJSON methods decode them:
// their fields, without the methods, which json.Unmarshal would call.
type (
	plainRegion   Region
	plainEvent    Event
	plainFeedback Feedback
	plainCampaign Campaign
)

// memberFieldTypes are the struct types that TestMemberField and
// FuzzMemberField look members up in.
var memberFieldTypes = []reflect.Type{
	reflect.TypeFor[foldCases](), foldDups, foldDominance, reflect.TypeFor[foldInner](), reflect.TypeFor[foldSelf](),
	reflect.TypeFor[struct{}](), reflect.TypeFor[plainRegion](), reflect.TypeFor[plainEvent](), reflect.TypeFor[plainFeedback](), reflect.TypeFor[plainCampaign](),
}

// foldVariants returns name as it is, in upper, lower and title case, and
// with each rune replaced by the next, and the one after, of its orbit
// under unicode.SimpleFold.
func foldVariants(name string) []string {
	next := strings.Map(unicode.SimpleFold, name)
	return []string{name, strings.ToUpper(name), strings.ToLower(name), strings.ToTitle(name), next, strings.Map(unicode.SimpleFold, next)}
}

// checkMemberField checks memberField against json.Unmarshal: it finds a
// field exactly when json.Unmarshal puts the member into one, a field of
// the type it gives, and the same field as json.Unmarshal where
// unmarshalField can tell which.
func checkMemberField(t *testing.T, typ reflect.Type, name string) {
	t.Helper()
	id, ft := memberField(typ, name)
	ok, want := unmarshalField(typ, name)
	if (ft != nil) != ok {
		t.Errorf("memberField(%v, %q) = %d, %v; json.Unmarshal puts the member into a field: %t", typ, name, id, ft, ok)
		return
	}
	if ft == nil {
		return
	}
	index := memberIndex(typ, id)
	if index == nil || typ.FieldByIndex(index).Type != ft {
		t.Errorf("memberField(%v, %q) = %d, %v; the table has field %v", typ, name, id, ft, index)
		return
	}
	if want != nil && !slices.Equal(index, want) {
		t.Errorf("memberField(%v, %q) is field %s; json.Unmarshal puts the member into %s", typ, name, fieldPath(typ, index), fieldPath(typ, want))
	}
}

// TestMemberField checks memberField, which looks a member up in a table
// made once per type, against json.Unmarshal, for the name of each field,
// its Go name and their variants by case and folding, and names of no
// field; and the field it picks where several match.
func TestMemberField(t *testing.T) {
	others := []string{"", "-", "DUP", "Dup", "k", "K", "S", "STRICT", "strict", "ſ", "Σ", "ς", "XΣ", "XΣΣ", "ss", "SS", "ẞ", "i", "I", "ı",
		"\xfe", "\ufffd", "\xff\xff", "pointed", "POINTED", "Inner", "inner", "INNER", "deep", "promoted", "within", "tagged", "TAGGED",
		"named", "own", "private", "Skipped", "skipped", "omitempty", "Options", "nmae", "x", "X", "y", "Y", "z", "Z", strings.Repeat("Name", 40)}
	for _, typ := range memberFieldTypes {
		names := others
		for _, f := range reflect.VisibleFields(typ) {
			names = append(names, foldVariants(f.Name)...)
			tagged, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			names = append(names, foldVariants(tagged)...)
		}
		for _, name := range names {
			checkMemberField(t, typ, name)
		}
	}
	// An exact match wins over a field before it that matches without
	// regard to case; of several fields that match alike, the first.
	for _, tt := range []struct {
		typ  reflect.Type
		want map[string]string
		none []string
	}{{
		typ: reflect.TypeFor[foldCases](),
		want: map[string]string{
			"name": "Name", "NAME": "FirstName", "Name": "FirstName", "dup": "Dup1", "DUP": "Dup2", "Dup": "Dup1", "k": "Kelvin", "STRICT": "LongS",
			"ς": "Sigma", "XΣ": "Final", "ẞ": "Eszett", "Invalid": "Invalid", "INVALID": "Invalid", "shared": "Shared", "deep": "foldInner.Deep",
			"pointed": "foldPointed.Pointed", "promoted": "foldHidden.Promoted", "Options": "Options", "inner": "foldInner.Inner",
			"Inner": "foldPointed.Inner", "INNER": "foldInner.Inner", "tagged": "foldTagged", "named": "foldNamed", "-": "Dash",
		},
		none: []string{"i", "ı", "ss", "private", "Skipped", "skipped", "Dash", "within", "own", "\xfe", "\ufffd", "\xff"},
	}, {
		typ:  foldDups,
		want: map[string]string{"DUP": "Dup2", "Dup": "Dup2", "dup": "Dup2"},
	}, {
		typ:  foldDominance,
		want: map[string]string{"Y": "FoldTaggedY.TagY", "y": "FoldTaggedY.TagY", "z": "Z", "Z": "Z"},
		none: []string{"x", "X", "One", "Two"},
	}, {
		typ:  reflect.TypeFor[foldSelf](),
		want: map[string]string{"self": "Self", "SELF": "Self"},
		none: []string{"foldSelf"},
	}} {
		if tt.typ == reflect.TypeFor[foldCases]() && jsonV2() {
			// encoding/json/v2 names the field Invalid by its tag, not
			// UTF-8, each byte that is not replaced by U+FFFD, as it
			// reads a member's name.
			tt.want = maps.Clone(tt.want)
			delete(tt.want, "Invalid")
			delete(tt.want, "INVALID")
			for _, name := range []string{"\xfe", "\ufffd", "\xff"} {
				tt.want[name] = "Invalid"
			}
			tt.none = append(tt.none[:len(tt.none)-3:len(tt.none)-3], "Invalid", "INVALID")
		}
		for name, want := range tt.want {
			id, _ := memberField(tt.typ, name)
			if index := memberIndex(tt.typ, id); index == nil || fieldPath(tt.typ, index) != want {
				t.Errorf("memberField(%v, %q) = %d, field %v; want field %s", tt.typ, name, id, index, want)
			}
		}
		for _, name := range tt.none {
			if id, ft := memberField(tt.typ, name); id >= 0 || ft != nil {
				t.Errorf("memberField(%v, %q) = %d, %v; want none", tt.typ, name, id, ft)
			}
		}
	}
}

// FuzzMemberField checks memberField against json.Unmarshal for any
// member's name and its variants by case and folding.
func FuzzMemberField(f *testing.F) {
	for _, s := range []string{"name", "NAME", "\u212a", "ſTRICT", "XΣ", "\xff", "\ufffd", "", "-", "dup", "Dup", "ẞ", "ı",
		"inner", "Inner", "iNNER", "within", "tagged", "named", "own", "promoted", "Invalid", "x", "Y", "z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, typ := range memberFieldTypes {
			for _, v := range foldVariants(name) {
				checkMemberField(t, typ, v)
			}
		}
	})
}

// TestAppendFolded checks that two names fold to the same bytes exactly
// when strings.EqualFold reports them equal: every rune against each rune
// of its orbit under unicode.SimpleFold, the least of which it folds to;
// and names of several runes, or of bytes that are not UTF-8.
func TestAppendFolded(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue // a surrogate, which a string holds as utf8.RuneError
		}
		key := string(appendFolded(nil, string(r)))
		least, size := utf8.DecodeRuneInString(key)
		if size != len(key) {
			t.Fatalf("rune %U folds to %q, not one rune", r, key)
		}
		for f := unicode.SimpleFold(r); ; f = unicode.SimpleFold(f) {
			if f < least {
				t.Fatalf("rune %U folds to %U, not to the least of its orbit, %U", r, least, f)
			}
			if other := string(appendFolded(nil, string(f))); other != key {
				t.Fatalf("rune %U folds to %q, %U of its orbit to %q", r, key, f, other)
			}
			if f == r {
				break
			}
		}
		if !strings.EqualFold(string(r), string(least)) {
			t.Fatalf("rune %U folds to %U, which strings.EqualFold does not match to it", r, least)
		}
	}
	for _, pair := range [][2]string{
		{"", ""}, {"a", ""}, {"a", "ab"}, {"Name", "nAME"}, {"name", "nam"}, {"\u212aelvin", "KELVIN"}, {"ſtrict", "STRICT"}, {"xς", "XΣ"},
		{"ß", "ẞ"}, {"straße", "STRASSE"}, {"İ", "i"}, {"ı", "I"}, {"\xff", "\xfe"}, {"\xff", "\ufffd"}, {"a\xffb", "A\ufffdB"},
		{"\xe2\x84", "\ufffd\ufffd"}, {"\xe2\x84", "\ufffd"}, {"é", "É"}, {"é", "e\u0301"}, {"ǅ", "ǆ"}, {"ǅ", "Ǆ"}, {"1_-", "1_-"}, {"@", "`"},
		{"[", "{"}, {"Ω", "\u2126"}, {"µ", "Μ"},
	} {
		a, b := pair[0], pair[1]
		same := string(appendFolded(nil, a)) == string(appendFolded(nil, b))
		if want := strings.EqualFold(a, b); same != want {
			t.Errorf("%q and %q fold to the same bytes: %t; strings.EqualFold: %t", a, b, same, want)
		}
	}
}

type (
	infoLoop  *infoLoop
	infoSlice []infoLoop
	infoText  string
)

func (*infoText) UnmarshalText([]byte) error { return nil }

// TestTypeInfo checks that the answers kept once per type, whether a type
// decodes by a method of its own and whether DecodeJSONStrict checks its
// members, are those found anew, for types of every kind, a pointer to
// itself included (which holds no members, where a walk through its
// pointers would not end); and that asking again allocates nothing.
func TestTypeInfo(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[int](), reflect.TypeFor[string](), reflect.TypeFor[*int](), reflect.TypeFor[[]int](), reflect.TypeFor[[2]*[]int](),
		reflect.TypeFor[map[string]int](), reflect.TypeFor[any](), reflect.TypeFor[error](), reflect.TypeFor[foldCases](),
		reflect.TypeFor[*foldCases](), reflect.TypeFor[[][]*foldCases](), reflect.TypeFor[infoText](), reflect.TypeFor[*infoText](),
		reflect.TypeFor[[]infoText](), reflect.TypeFor[Money](), reflect.TypeFor[[]Money](), reflect.TypeFor[*Period](),
		reflect.TypeFor[infoLoop](), reflect.TypeFor[infoSlice](), reflect.TypeFor[func()](), reflect.TypeFor[chan int](),
	} {
		self, members := hasDecodingMethod(typ), holdsMembers(typ)
		if decodesItself(typ) != self || checksMembers(typ) != members {
			t.Errorf("%v: decodesItself %t, checksMembers %t; found anew: %t, %t", typ, decodesItself(typ), checksMembers(typ), self, members)
		}
		if allocs := testing.AllocsPerRun(10, func() { decodesItself(typ); checksMembers(typ) }); allocs != 0 {
			t.Errorf("%v: asking again allocates %v times", typ, allocs)
		}
	}
	for typ, want := range map[reflect.Type][2]bool{
		reflect.TypeFor[infoText]():     {true, false},
		reflect.TypeFor[[]*foldCases](): {false, true},
		reflect.TypeFor[[]Money]():      {false, false},
		reflect.TypeFor[any]():          {false, true},
		reflect.TypeFor[error]():        {false, false},
		reflect.TypeFor[infoLoop]():     {false, false},
	} {
		if got := [2]bool{decodesItself(typ), checksMembers(typ)}; got != want {
			t.Errorf("%v: decodesItself, checksMembers = %v; want %v", typ, got, want)
		}
	}
}

// ipRow is a type with every way to an element or a member that a path of
// a value of the wrong JSON type goes through: an embedded struct, slices,
// a slice of slices, a map, a pointer and an array.
type ipRow struct {
	ipEmbedded
	N     int64            `json:"n"`
	S     string           `json:"s"`
	Subs  []ipRow          `json:"subs"`
	Grid  [][]ipRow        `json:"grid"`
	ByKey map[string]ipRow `json:"by_key"`
	Ptr   *ipRow           `json:"ptr"`
	Arr   [2]int           `json:"arr"`
}

type ipEmbedded struct {
	E bool `json:"e"`
}

// ipMember is a member of a JSON object as [readAll] keeps it: every
// member, duplicates too, in the document's order, for encoding/json
// decodes each one it meets, and the first of two may be the one of the
// wrong type.
type ipMember struct {
	key string
	val any
}

// readAll reads the next JSON value of dec: an object as its members
// ([]ipMember), an array as []any, a number as json.Number (dec uses
// numbers) and the rest as json.Token gives them.
func readAll(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := []ipMember{}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			val, err := readAll(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, ipMember{key.(string), val})
		}
		_, err := dec.Token()
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for dec.More() {
			val, err := readAll(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, val)
		}
		_, err := dec.Token()
		return arr, err
	}
	return tok, nil
}

// leadsTo reports whether the document v, read by [readAll], leads by the
// steps of a path (".subs", "[1]", ".n") to a value of the JSON type kind
// ("string", "number", "object", "array", "bool"), a member matched to a
// name without regard to case, as encoding/json matches it, and the value
// of the member by_key, the map of ipRow, passed over by one of its keys,
// which the path leaves out.
func leadsTo(v any, steps []string, kind string) bool {
	if len(steps) == 0 {
		switch v.(type) {
		case string:
			return kind == "string"
		case json.Number:
			return kind == "number"
		case bool:
			return kind == "bool"
		case []any:
			return kind == "array"
		case []ipMember:
			return kind == "object"
		}
		return false
	}
	if obj, ok := v.([]ipMember); ok && strings.HasPrefix(steps[0], ".") {
		for _, m := range obj {
			if !strings.EqualFold(m.key, steps[0][1:]) {
				continue
			}
			if byKey, ok := m.val.([]ipMember); ok && steps[0] == ".by_key" {
				for _, e := range byKey {
					if leadsTo(e.val, steps[1:], kind) {
						return true
					}
				}
			}
			if leadsTo(m.val, steps[1:], kind) {
				return true
			}
		}
		return false
	}
	l, ok := v.([]any)
	if !ok || !strings.HasPrefix(steps[0], "[") {
		return false
	}
	i, err := strconv.Atoi(strings.Trim(steps[0], "[]"))
	return err == nil && i < len(l) && leadsTo(l[i], steps[1:], kind)
}

// FuzzIndexedPath checks the path DecodeJSON gives a value of the wrong
// JSON type: without its indexes, it is the path encoding/json gives (as
// jsonPath writes it), unless encoding/json/v2 gave the indexes; with
// them, it leads in the document to a value of the JSON type
// encoding/json says it met.
func FuzzIndexedPath(f *testing.F) {
	for _, s := range []string{`{"n":"x"}`, `{"subs":[{},{"n":"x"}]}`, `{"grid":[[],[{},{"e":1}]]}`, `{"by_key":{"a":{"subs":[{"s":1}]}}}`,
		`{"ptr":{"subs":[{},{},{"arr":[1,"x"]}]}}`, `{"subs":[{},[]]}`, `{"subs":{}}`, `{"SUBS":[{"N":true}]}`, `[1]`, `{"subs":[{"n":1e400}]}`,
		`{"subs":[{"n":1,"n":"x"}]}`, `{"by_key":{"a":{"n":1},"a":{"n":"x"}}}`, `{"subs":[{"x":[{"n":"x"}],"n":{}}]}`,
		`{"suBs":[{"n":[],"n":{}}]}`, `{"by_key":{"a":{"n":"x"},"a":{"n":1}}}`} {
		f.Add([]byte(s))
	}
	typ := reflect.TypeFor[ipRow]()
	f.Fuzz(func(t *testing.T, data []byte) {
		var typeErr *json.UnmarshalTypeError
		err := json.Unmarshal(data, new(ipRow))
		if !errors.As(err, &typeErr) {
			return
		}
		ve := placeError("row", typ, data, err)
		if !jsonV2() {
			// encoding/json/v2 gives the indexes itself (pointerPath).
			want := "row"
			if p := jsonPath(typ, typeErr.Field); p != "" {
				want += "." + p
			}
			if got := regexp.MustCompile(`\[\d+\]`).ReplaceAllString(ve.Field, ""); got != want {
				t.Fatalf("%s: path %q; encoding/json gives %q", data, ve.Field, want)
			}
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		doc, err := readAll(dec)
		if err != nil {
			t.Fatalf("%s: does not read: %v", data, err)
		}
		kind, _, _ := strings.Cut(typeErr.Value, " ")
		steps := regexp.MustCompile(`\.[^.\[]+|\[\d+\]`).FindAllString(strings.TrimPrefix(ve.Field, "row"), -1)
		if !leadsTo(doc, steps, kind) {
			t.Fatalf("%s: path %q leads to no JSON %s", data, ve.Field, kind)
		}
	})
}
