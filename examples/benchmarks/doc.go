// Package benchmarks compares the deal stage machine of package pipeline
// with two general-purpose state machine libraries, github.com/looplab/fsm
// and github.com/qmuntal/stateless, on the same four-transition deal
// lifecycle (prospecting → qualification → proposal → negotiation → won),
// with the state loaded from a stored record each time. It lives in its own
// module so that the root module does not depend on them.
//
// Run it from this directory:
//
//	go test -bench . -benchmem
//
// Each benchmark reports ns/op for a whole lifecycle and ns/transition.
package benchmarks
