package sqlstore

// Classify exports classify to the tests.
var Classify = classify

// NotMigrated exports what a store on schema says of err when its schema
// lacks a table or a column.
func NotMigrated(schema string, err error) string {
	r := rw{t: newTables(schema)}
	return r.notMigrated(err)
}

// NotMigratedByQuery is NotMigrated of err as the error of the statement
// query.
func NotMigratedByQuery(schema, query string, err error) string {
	return NotMigrated(schema, withQuery(query, err))
}
