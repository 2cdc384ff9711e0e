package salesprocess

import (
	"slices"
	"strings"
)

// checkEnum reports whether v is one of valid. Like the errors of ID
// validation, the error names the kind of value but no field, and lists the
// valid values; the caller places it with [InField].
func checkEnum[T ~string](kind string, v T, valid []T) error {
	if slices.Contains(valid, v) {
		return nil
	}
	names := make([]string, len(valid))
	for i, x := range valid {
		names[i] = string(x)
	}
	if v == "" {
		return Invalid("", "missing %s; want one of %s", kind, strings.Join(names, ", "))
	}
	return Invalid("", "unknown %s %s; want one of %s", kind, quoteShort(string(v)), strings.Join(names, ", "))
}

// unmarshalEnum sets *dst from text if text is empty or one of valid, and
// leaves it alone otherwise.
func unmarshalEnum[T ~string](kind string, dst *T, text []byte, valid []T) error {
	v := T(text)
	if v != "" {
		if err := checkEnum(kind, v, valid); err != nil {
			return err
		}
	}
	*dst = v
	return nil
}
