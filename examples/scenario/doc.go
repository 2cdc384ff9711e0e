// Package scenario holds no code, only a test suite written the way a
// user's test suite models a sales scenario with this module: a new rep
// is trained and certified, two weeks of inquiries come in and are followed
// up, a deal is lost on price and another won, and the review of the two
// weeks is asserted, finding by finding.
//
// Read scenario_test.go. It uses the helpers a host's tests would: the
// engine, in-memory store, stepping clock and fixtures of
// pipeline/pipelinetest (NewScenario, whose Receive receives an inquiry at
// the clock's time and whose Deals and Inquiries feed the review,
// NewInquiry, MustEUR, the fixture IDs and actors), the in-memory
// training store and the fixtures of training/trainingtest (the widget's
// brief, catalog and a certificate), and the reviewer of package review;
// each test reads as Given, When, Then.
//
//	go test ./examples/scenario
package scenario
