package salesprocess

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// scanMemberField is memberField as a scan of the visible fields of t for
// each member, without a table: the first field whose JSON name is name,
// else the first whose name strings.EqualFold matches to name.
func scanMemberField(t reflect.Type, name string) (int, reflect.Type) {
	folded, at := reflect.Type(nil), -1
	for i, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && jsonTagName(f) == "" && structBelow(f.Type) != nil) {
			continue
		}
		n := jsonTagName(f)
		if n == "-" {
			continue
		}
		if n == "" {
			n = f.Name
		}
		if n == name {
			return i, f.Type
		}
		if folded == nil && strings.EqualFold(n, name) {
			folded, at = f.Type, i
		}
	}
	return at, folded
}

type foldInner struct {
	Inner  string `json:"inner"`
	Shared int    `json:"shared"`
	Deep   int
}

type foldPointed struct {
	Pointed string `json:"pointed"`
	Inner   int    // Inner at the depth of foldInner's: neither is visible
}

type foldTagged struct {
	Within int `json:"within"`
}

type foldHidden struct {
	Promoted int `json:"promoted"`
}

// foldCases is a struct with every kind of field memberField tells apart:
// promoted through embedded structs, a pointer to one and an unexported
// one, an embedded struct with a name in its tag, a field shadowing a
// promoted one, names that differ by case only or fold to another rune
// (the Kelvin sign, the long s, the final sigma), names that several
// fields take, names not UTF-8, a field left out (json:"-") and one that
// encoding/json names "-" (json:"-,"), which memberField leaves out too,
// and unexported fields.
type foldCases struct {
	foldInner
	*foldPointed
	foldHidden
	foldTagged `json:"tagged"`
	Shared     string `json:"shared"`
	Lower      int    `json:"v"`
	Upper      int    `json:"V"`
	FirstName  int    `json:"Name"`
	Name       int    `json:"name"`
	Dup1       int    `json:"dup"`
	Dup2       int    `json:"DUP"`
	Kelvin     int    `json:"\u212a"`
	LongS      int    `json:"ſtrict"`
	Sigma      int    `json:"σ"`
	Final      int    `json:"xς"`
	Eszett     int    `json:"ß"`
	Dotted     int    `json:"İ"`
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
// written out have them, and one of that name in upper case between.
var foldDups = reflect.StructOf([]reflect.StructField{
	{Name: "Dup1", Type: reflect.TypeFor[int](), Tag: `json:"dup"`},
	{Name: "Dup2", Type: reflect.TypeFor[int](), Tag: `json:"DUP"`},
	{Name: "Dup3", Type: reflect.TypeFor[int](), Tag: `json:"dup"`},
})

// memberFieldTypes are the struct types that TestMemberField and
// FuzzMemberField look members up in.
var memberFieldTypes = []reflect.Type{
	reflect.TypeFor[foldCases](), foldDups, reflect.TypeFor[foldInner](), reflect.TypeFor[struct{}](),
	reflect.TypeFor[Region](), reflect.TypeFor[Event](), reflect.TypeFor[Feedback](), reflect.TypeFor[Campaign](),
}

// foldVariants returns name as it is, in upper, lower and title case, and
// with each rune replaced by the next, and the one after, of its orbit
// under unicode.SimpleFold.
func foldVariants(name string) []string {
	next := strings.Map(unicode.SimpleFold, name)
	return []string{name, strings.ToUpper(name), strings.ToLower(name), strings.ToTitle(name), next, strings.Map(unicode.SimpleFold, next)}
}

func checkMemberField(t *testing.T, typ reflect.Type, name string) {
	t.Helper()
	i, ft := memberField(typ, name)
	wi, wft := scanMemberField(typ, name)
	if i != wi || ft != wft {
		t.Errorf("memberField(%v, %q) = %d, %v; a scan of the fields finds %d, %v", typ, name, i, ft, wi, wft)
	}
}

// TestMemberField checks memberField, which looks a member up in a table
// made once per type, against a scan of the fields for each member, for
// the name of each field, its Go name and their variants by case and
// folding, and names of no field; and the field it picks where several
// match.
func TestMemberField(t *testing.T) {
	others := []string{"", "-", "DUP", "Dup", "k", "K", "S", "STRICT", "strict", "ſ", "Σ", "ς", "XΣ", "XΣΣ", "ss", "SS", "ẞ", "i", "I", "ı",
		"\xfe", "\ufffd", "\xff\xff", "pointed", "POINTED", "Inner", "deep", "promoted", "within", "tagged", "TAGGED", "private", "Skipped",
		"skipped", "omitempty", "Options", "nmae", strings.Repeat("Name", 40)}
	for _, typ := range memberFieldTypes {
		names := others
		for _, f := range reflect.VisibleFields(typ) {
			names = append(names, foldVariants(f.Name)...)
			names = append(names, foldVariants(jsonTagName(f))...)
		}
		for _, name := range names {
			checkMemberField(t, typ, name)
		}
	}
	// An exact match wins over a field before it that matches without
	// regard to case; of several fields that match alike, the first.
	typ := reflect.TypeFor[foldCases]()
	for name, want := range map[string]string{
		"name": "Name", "NAME": "FirstName", "Name": "FirstName", "dup": "Dup1", "DUP": "Dup2", "Dup": "Dup1", "k": "Kelvin", "STRICT": "LongS",
		"ς": "Sigma", "XΣ": "Final", "ẞ": "Eszett", "\xfe": "Invalid", "\ufffd": "Invalid", "shared": "Shared", "deep": "Deep",
		"pointed": "Pointed", "promoted": "Promoted", "Options": "Options",
	} {
		i, _ := memberField(typ, name)
		if i < 0 || reflect.VisibleFields(typ)[i].Name != want {
			t.Errorf("memberField(foldCases, %q) = %d, want field %s", name, i, want)
		}
	}
	for _, name := range []string{"i", "ı", "ss", "private", "Skipped", "skipped", "-", "Dash"} {
		if i, ft := memberField(typ, name); i >= 0 || ft != nil {
			t.Errorf("memberField(foldCases, %q) = %d, %v; want none", name, i, ft)
		}
	}
	for name, want := range map[string]string{"dup": "Dup1", "DUP": "Dup2", "Dup": "Dup1"} {
		if i, _ := memberField(foldDups, name); i < 0 || foldDups.Field(i).Name != want {
			t.Errorf("memberField(foldDups, %q) = %d, want field %s", name, i, want)
		}
	}
}

// FuzzMemberField checks memberField against a scan of the fields for any
// member's name and its variants by case and folding.
func FuzzMemberField(f *testing.F) {
	for _, s := range []string{"name", "NAME", "\u212a", "ſTRICT", "XΣ", "\xff", "\ufffd", "", "-", "dup", "Dup", "ẞ", "ı"} {
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
