package sqlstore

// Classify exports classify to the tests.
var Classify = classify

// NotMigrated exports what a store on schema says of err when its schema
// lacks a table or a column.
func NotMigrated(schema string, err error) string {
	r := rw{t: newTables(schema)}
	return r.notMigrated(err)
}
