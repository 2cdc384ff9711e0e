// Package trainingtest helps test code that uses package training: a
// conformance suite for implementations of [training.Store] and of its
// optional capabilities [training.BriefVersionSource] and
// [training.LimitedSaleStore] ([RunStoreTests]), and an in-memory store
// that passes it and has both capabilities ([MemStore]).
package trainingtest
