package sqlstore

// Classify exports classify to the tests.
var Classify = classify
