package quota

import (
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
)

// checkAsOf refuses a zero asOf: the calculators take every time from
// their arguments, and the zero time, the year 1, is a time left unset,
// not now.
func checkAsOf(asOf time.Time) error {
	if asOf.IsZero() {
		return sp.Invalid("as_of", "missing: the zero time")
	}
	return nil
}

// quotaErr prefixes err with the package name and the operation, keeping
// it in the chain for errors.Is and errors.As.
func quotaErr(op string, err error) error {
	return fmt.Errorf("quota: %s: %w", op, err)
}
