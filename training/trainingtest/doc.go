// Package trainingtest helps test code that uses package training: a
// conformance suite for implementations of [training.Store] and of its
// optional capabilities [training.BriefVersionSource] and
// [training.LimitedSaleStore] ([RunStoreTests]); the same cases as a suite
// for each of the interfaces that Store gathers, for a host that keeps
// some of training's records apart from the others ([RunBriefStoreTests],
// [RunCertificateStoreTests], [RunAttemptStoreTests],
// [RunAssignmentStoreTests], [RunPilotStoreTests], [RunSaleStoreTests],
// [RunFeedbackStoreTests]: RunStoreTests runs each of their cases once);
// and an in-memory store that passes them and has both capabilities
// ([MemStore]).
package trainingtest
