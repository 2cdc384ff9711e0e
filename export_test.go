package salesprocess

// JSONV2 is jsonV2, for the tests of package salesprocess_test whose
// expectations follow encoding/json's ways.
var JSONV2 = jsonV2
