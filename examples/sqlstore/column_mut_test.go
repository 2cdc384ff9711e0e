package sqlstore_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"

	"github.com/salesprocess/salesprocess/examples/sqlstore"
)

// The name of a missing column is read where the server says the
// statement names it, as PostgreSQL reads a name: a quoted one with its
// doubled quotes as one, and only to its closing quote; one that is not
// quoted with digits, '$' and any letter, upper case or beyond ASCII. A
// number, a parameter, a character that starts no name there, or one
// inside a name (its second one included) gives no name, even where the
// message holds its text; nor does a name that stands in the message
// only inside a longer one, whatever the characters around it. A name
// that is not quoted is read with A to Z in lower case, as the server
// folds it; a quoted one, and letters beyond ASCII, keep their case. A
// long name is cut to 64 bytes, as the store cuts what it quotes.
func TestMissingColumnEdges(t *testing.T) {
	const some = "the database's schema is not migrated up to date: a column of the store's is missing"
	named := func(name string) string {
		return `the database's schema is not migrated up to date: it has no column "` + strings.ReplaceAll(name, `"`, `\"`) + `"`
	}
	german := func(name string) string { return "Spalte »" + name + "« existiert nicht" }
	at := func(q, s string) int32 { return int32(utf8.RuneCountInString(q[:strings.Index(q, s)])) + 1 }
	long := strings.Repeat("units_", 50)
	const (
		sel      = "SELECT doc FROM pilot_sales WHERE pilot = $1 AND units > 10"
		dotted   = `SELECT doc FROM "verkäufe".pilot_sales WHERE units > 0`
		unclosed = `SELECT "units`
	)
	tests := []struct {
		name, query, message string
		position             int32
		want                 string
	}{
		{"doubled_quote", `SELECT "un""its" FROM pilot_sales`, german(`un"its`), 8, named(`un"its`)},
		{"unclosed_quote", unclosed, german("units"), 8, some},
		{"last_byte_0x80", "SELECT unitÀ FROM pilot_sales", german("unitÀ"), 8, named("unitÀ")},
		{"dollar_in_name", "SELECT units$ FROM pilot_sales", german("units$"), 8, named("units$")},
		{"zero_in_name", "SELECT units0 FROM pilot_sales", german("units0"), 8, named("units0")},
		{"upper_case_alias", "SELECT Z.units FROM pilot_sales Z", german("units"), 8, named("units")},
		{"mixed_case_folded", "SELECT Z.UnitS FROM pilot_sales Z", german("units"), 8, named("units")},
		{"quoted_mixed_case_kept", `SELECT "UnitS" FROM pilot_sales`, german("UnitS"), 8, named("UnitS")},
		{"quoted_mixed_case_not_folded", `SELECT "UnitS" FROM pilot_sales`, german("units"), 8, some},
		{"beyond_ascii_not_folded", "SELECT ÀUnits FROM pilot_sales", german("Àunits"), 8, named("Àunits")},
		{"inside_a_name_whose_tail_the_message_holds", sel, german("sales"), at(sel, "sales"), some},
		{"second_character", sel, german("ELECT"), 2, some},
		{"long_name_cut", "SELECT " + long + " FROM pilot_sales", german(long), 8, named(long[:64] + "...")},
		{"number", sel, german("10"), at(sel, "10"), some},
		{"parameter", sel, german("$1"), at(sel, "$1"), some},
		{"dot_after_a_quote", dotted, "la colonne « units » de la relation « pilot_sales » n'existe pas", at(dotted, ".pilot"),
			some + ` in table "pilot_sales"`},
		{"letter_after_in_the_message", sel, german("unitsä"), at(sel, "units"), some},
		{"letter_before_in_the_message", sel, german("äunits"), at(sel, "units"), some},
		{"digit_after_in_the_message", sel, german("units2"), at(sel, "units"), some},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &pgconn.PgError{Code: "42703", Message: tt.message, Position: tt.position}
			assert.Equal(t, tt.want, sqlstore.NotMigratedByQuery("", tt.query, err))
		})
	}
}
