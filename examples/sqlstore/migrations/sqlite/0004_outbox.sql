-- The outbox: the events of package pipeline's engine, appended in the
-- transaction of their change (pipeline.Outbox), for the host's relay to
-- deliver and delete. seq is the order of appending, never reused
-- (AUTOINCREMENT), and SQLite's one writer at a time makes it the order in
-- which the transactions commit. id is the event's ID, unique while the
-- event is kept; time is in nanoseconds since 1970 UTC; data is the
-- event's JSON payload byte for byte, NULL for none.

CREATE TABLE outbox_events (
	seq     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	id      TEXT    NOT NULL UNIQUE,
	type    TEXT    NOT NULL,
	time    INTEGER NOT NULL,
	actor   TEXT    NOT NULL,
	subject TEXT    NOT NULL,
	data    BLOB
);
