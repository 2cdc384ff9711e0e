// Package trainingtest helps test code that uses package training: a
// conformance suite for implementations of [training.Store]
// ([RunStoreTests]) and an in-memory store that passes it ([MemStore]).
package trainingtest
