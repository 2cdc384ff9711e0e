-- The goals of package quota, one per key (Goal.Key): subject (rep,
-- region, empty for the company), product, period in its text form
-- (location included) and metric. starts and ends are the period's bounds
-- in nanoseconds since 1970 UTC, for the overlap filter and the order; doc
-- is the goal's JSON.

CREATE TABLE goals (
	rep         text   COLLATE "C" NOT NULL,
	region      text   COLLATE "C" NOT NULL,
	product     text   COLLATE "C" NOT NULL,
	period_text text   COLLATE "C" NOT NULL,
	metric      text   COLLATE "C" NOT NULL,
	starts      bigint NOT NULL,
	ends        bigint NOT NULL,
	doc         json   NOT NULL,
	PRIMARY KEY (rep, region, product, period_text, metric)
);
CREATE INDEX goals_order ON goals (starts, rep, region, product, period_text, metric);
