// Package pipelinetest helps test code that uses package pipeline:
//
//   - [RunStoreTests], the conformance suite a host runs against its own
//     [pipeline.Store] (a SQL store, say): CRUD, not found, duplicates,
//     version conflicts, copying, filters, iteration, cancellation,
//     transactions (whose Store is held to the same contract), concurrent
//     writers through a [pipeline.Engine], on one record (none
//     lost) and on distinct records (none failing for the others' sake)
//     and, for a store that keeps events, its [pipeline.Outbox]
//     ([RunStoreTestsWith] takes [StoreTestOptions]: other numbers of
//     writers, and how the suite reads the events of a store's outbox);
//   - [MemStore], an in-memory store that passes it, with idempotency
//     outcomes and transactions, and [OutboxMemStore], one that keeps the
//     engine's events in its transactions too;
//   - fixtures for scenario tests: [NewScenario] (an engine on a MemStore
//     with a stepping clock and an event [Recorder]), whose
//     [Scenario.Receive] receives an inquiry at the clock's time and
//     [Scenario.Deals] and [Scenario.Inquiries] give its records to the
//     calculators of package quota and to a review, [NewInquiry],
//     [NewDeal], actors, a fake [Certified] eligibility, and [Retry] for
//     commands that race. Each Scenario has its own store, clock and
//     recorder, and the fixtures return new values on each call, so
//     parallel tests (t.Parallel) may each build their own. The package's
//     examples show a scenario test, and one that trains its reps first.
//
// It depends on nothing but the standard library, the module itself and
// shopspring/decimal, which the module's own code needs (not testify, which
// only the module's tests use: no test framework), so a host's tests may
// import it freely.
package pipelinetest
