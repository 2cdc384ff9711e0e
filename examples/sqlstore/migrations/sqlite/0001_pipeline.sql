-- Inquiries and deals of package pipeline, and the outcomes of commands
-- that carried an idempotency key. Each record is its JSON document (doc)
-- beside the columns that filters and listings use. Text compares by
-- bytes (SQLite's BINARY collation). Times are nanoseconds since 1970 UTC,
-- -9223372036854775808 standing for the zero time. The version column is
-- the record's Version, which an update checks and raises by one.

CREATE TABLE inquiries (
	id       TEXT    NOT NULL PRIMARY KEY,
	version  INTEGER NOT NULL,
	owner    TEXT    NOT NULL,
	region   TEXT    NOT NULL,
	product  TEXT    NOT NULL,
	channel  TEXT    NOT NULL,
	campaign TEXT    NOT NULL,
	customer TEXT    NOT NULL,
	stage    TEXT    NOT NULL,
	received INTEGER NOT NULL,
	doc      TEXT    NOT NULL
);
CREATE INDEX inquiries_owner ON inquiries (owner, id);
CREATE INDEX inquiries_region ON inquiries (region, id);
CREATE INDEX inquiries_product ON inquiries (product, id);
CREATE INDEX inquiries_channel ON inquiries (channel, id);
CREATE INDEX inquiries_campaign ON inquiries (campaign, id);
CREATE INDEX inquiries_customer ON inquiries (customer, id);
CREATE INDEX inquiries_stage ON inquiries (stage, id);
CREATE INDEX inquiries_received ON inquiries (received);

CREATE TABLE deals (
	id       TEXT    NOT NULL PRIMARY KEY,
	version  INTEGER NOT NULL,
	pipeline TEXT    NOT NULL,
	owner    TEXT    NOT NULL,
	region   TEXT    NOT NULL,
	product  TEXT    NOT NULL,
	channel  TEXT    NOT NULL,
	campaign TEXT    NOT NULL,
	customer TEXT    NOT NULL,
	inquiry  TEXT    NOT NULL,
	stage    TEXT    NOT NULL,
	created  INTEGER NOT NULL,
	closed   INTEGER NOT NULL,
	doc      TEXT    NOT NULL
);
CREATE INDEX deals_owner ON deals (owner, id);
CREATE INDEX deals_region ON deals (region, id);
CREATE INDEX deals_product ON deals (product, id);
CREATE INDEX deals_channel ON deals (channel, id);
CREATE INDEX deals_campaign ON deals (campaign, id);
CREATE INDEX deals_customer ON deals (customer, id);
CREATE INDEX deals_inquiry ON deals (inquiry, id);
CREATE INDEX deals_pipeline_stage ON deals (pipeline, stage, id);
CREATE INDEX deals_stage ON deals (stage, id);
CREATE INDEX deals_created ON deals (created);
CREATE INDEX deals_closed ON deals (closed);

-- result is the command's result byte for byte; doc the rest of the outcome.
CREATE TABLE idempotency_outcomes (
	idem_key TEXT NOT NULL PRIMARY KEY,
	result   BLOB,
	doc      TEXT NOT NULL
);
