// Package trainingtest helps test code that uses package training: a
// conformance suite for implementations of [training.Store] and of its
// optional capabilities [training.BriefVersionSource] and
// [training.LimitedSaleStore] ([RunStoreTests]); the same cases as a suite
// for each of the interfaces that Store gathers, for a host that keeps
// some of training's records apart from the others ([RunBriefStoreTests],
// [RunCertificateStoreTests], [RunAttemptStoreTests],
// [RunAssignmentStoreTests], [RunPilotStoreTests], [RunSaleStoreTests],
// [RunFeedbackStoreTests]: RunStoreTests runs each of their cases once);
// an in-memory store that passes them and has both capabilities
// ([MemStore]); and fixtures for scenario tests that train their reps
// before they sell: the widget's brief ([NewBrief]), its module and
// curriculum ([NewModule], [NewCurriculum]) in a catalog ([NewCatalog]),
// and a certificate earned before the scenario ([NewCertificate]). The
// fixtures are about the product and channel of package pipelinetest's
// fixtures, whose IDs [ProductWidget] and [ChannelPhone] repeat, so that
// trainingtest imports package training and not package pipeline; each
// call returns new values, valid by their Validate methods. The suite's
// pilots lie in a time zone; the package embeds the zone database
// (time/tzdata), so that no check is lost on a machine without one.
package trainingtest

import _ "time/tzdata" // the zones of the suite's periods wherever the host's tests run
