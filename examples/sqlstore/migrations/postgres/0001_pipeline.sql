-- Inquiries and deals of package pipeline, and the outcomes of commands
-- that carried an idempotency key. Each record is its JSON document (doc)
-- beside the columns that filters and listings use. Text compares by
-- bytes (COLLATE "C"). Times are nanoseconds since 1970 UTC,
-- -9223372036854775808 standing for the zero time. The version column is
-- the record's Version, which an update checks and raises by one.

CREATE TABLE inquiries (
	id       text   COLLATE "C" NOT NULL PRIMARY KEY,
	version  bigint NOT NULL,
	owner    text   COLLATE "C" NOT NULL,
	region   text   COLLATE "C" NOT NULL,
	product  text   COLLATE "C" NOT NULL,
	channel  text   COLLATE "C" NOT NULL,
	campaign text   COLLATE "C" NOT NULL,
	customer text   COLLATE "C" NOT NULL,
	stage    text   COLLATE "C" NOT NULL,
	received bigint NOT NULL,
	doc      json   NOT NULL
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
	id       text   COLLATE "C" NOT NULL PRIMARY KEY,
	version  bigint NOT NULL,
	pipeline text   COLLATE "C" NOT NULL,
	owner    text   COLLATE "C" NOT NULL,
	region   text   COLLATE "C" NOT NULL,
	product  text   COLLATE "C" NOT NULL,
	channel  text   COLLATE "C" NOT NULL,
	campaign text   COLLATE "C" NOT NULL,
	customer text   COLLATE "C" NOT NULL,
	inquiry  text   COLLATE "C" NOT NULL,
	stage    text   COLLATE "C" NOT NULL,
	created  bigint NOT NULL,
	closed   bigint NOT NULL,
	doc      json   NOT NULL
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
	idem_key text COLLATE "C" NOT NULL PRIMARY KEY,
	result   bytea,
	doc      json NOT NULL
);
