package quota

import "fmt"

// quotaErr prefixes err with the package name and the operation, keeping
// it in the chain for errors.Is and errors.As.
func quotaErr(op string, err error) error {
	return fmt.Errorf("quota: %s: %w", op, err)
}
