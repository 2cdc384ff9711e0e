package review

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// eventID keeps an ID within MaxEventIDLength: as it is up to the bound,
// else the prefix and kind, a digest of the whole and as much of the key
// as fits, cut at a character's boundary, and, where the prefix leaves no
// room, "review/", the kind and the digest.
func TestEventIDForms(t *testing.T) {
	digest := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:16])
	}
	prefix := "review/2026-11/2026-12-01T00:00:00Z/"
	fits := strings.Repeat("k", MaxEventIDLength-len(prefix+"finding/"))
	assert.Equal(t, prefix+"finding/"+fits, eventID(prefix, "finding", fits), "at the bound, as it is")

	over := fits + "€"
	id := eventID(prefix, "finding", over)
	head := prefix + "finding#" + digest(prefix+"finding/"+over) + "/"
	assert.Equal(t, head+fits[:MaxEventIDLength-len(head)], id)

	// A key of three-byte characters is cut before the one that would
	// pass the bound, never within it.
	euros := strings.Repeat("€", 200)
	id = eventID(prefix, "product_feedback", euros)
	assert.True(t, utf8.ValidString(id), id)
	assert.LessOrEqual(t, len(id), MaxEventIDLength)
	assert.Greater(t, len(id), MaxEventIDLength-3)
	assert.True(t, strings.HasPrefix(id, prefix+"product_feedback#"+digest(prefix+"product_feedback/"+euros)+"/€"), id)

	long := "review/2026-11[" + strings.Repeat("Zone/", 100) + "]/2026-12-01T00:00:00Z/"
	assert.Equal(t, "review/finding#"+digest(long+"finding/x"), eventID(long, "finding", "x"), "a prefix that leaves no room")
	assert.NotEqual(t, eventID(long, "finding", "x"), eventID(long, "finding", "y"))
}
