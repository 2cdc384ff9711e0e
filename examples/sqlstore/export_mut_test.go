package sqlstore

import "errors"

// Statement returns the statement of the store's whose error err is, as
// withQuery keeps it for queryColumn to read, or "" when err carries none.
func Statement(err error) string {
	var qe *queryError
	if !errors.As(err, &qe) {
		return ""
	}
	return qe.query
}
