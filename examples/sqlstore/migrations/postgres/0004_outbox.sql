-- The outbox: the events of package pipeline's engine, appended in the
-- transaction of their change (pipeline.Outbox), for the host's relay to
-- deliver and delete. seq is the order of appending, never reused; an
-- append takes a transaction-level advisory lock first, so that events
-- get their seq in the order their transactions commit. id is the event's
-- ID, unique while the event is kept; time is in nanoseconds since 1970
-- UTC; data is the event's JSON payload byte for byte, NULL for none.

CREATE TABLE outbox_events (
	seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id      text   COLLATE "C" NOT NULL UNIQUE,
	type    text   COLLATE "C" NOT NULL,
	time    bigint NOT NULL,
	actor   text   COLLATE "C" NOT NULL,
	subject text   COLLATE "C" NOT NULL,
	data    bytea
);
