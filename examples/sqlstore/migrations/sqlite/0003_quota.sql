-- The goals of package quota, one per key (Goal.Key): subject (rep,
-- region, empty for the company), product, period in its text form
-- (location included) and metric. starts and ends are the period's bounds
-- in nanoseconds since 1970 UTC, for the overlap filter and the order; doc
-- is the goal's JSON.

CREATE TABLE goals (
	rep         TEXT    NOT NULL,
	region      TEXT    NOT NULL,
	product     TEXT    NOT NULL,
	period_text TEXT    NOT NULL,
	metric      TEXT    NOT NULL,
	starts      INTEGER NOT NULL,
	ends        INTEGER NOT NULL,
	doc         TEXT    NOT NULL,
	PRIMARY KEY (rep, region, product, period_text, metric)
);
CREATE INDEX goals_order ON goals (starts, rep, region, product, period_text, metric);
