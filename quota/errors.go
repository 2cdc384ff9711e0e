package quota

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// quotaErr prefixes err with the package name and the operation, keeping
// it in the chain for errors.Is and errors.As.
func quotaErr(op string, err error) error {
	return fmt.Errorf("quota: %s: %w", op, err)
}

// quote quotes s, a record's ID or a group's key, for an error message as
// the root package quotes a caller's value: escaped as by [strconv.Quote]
// and cut to 40 bytes, at the start of a character, with "..." after a
// cut. The package takes records as they read, so an ID may be of any
// length and hold any bytes.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}
