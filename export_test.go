package salesprocess

// JSONV2 is jsonV2, for the tests of package salesprocess_test whose
// expectations follow encoding/json's ways.
var JSONV2 = jsonV2

// DialectOwn is dialectOwn, a type that decodes by a method of its own,
// for the tests of package salesprocess_test that nest such types.
type DialectOwn = dialectOwn
