-- The records of package training: product briefs by version, reps'
-- certificates (one per rep, product and channel), assessment attempts,
-- training assignments, field-test pilots (rev counts their writes, for
-- optimistic concurrency) with their sales, and product feedback. Columns
-- as in 0001: doc is the record's JSON, times are nanoseconds since 1970
-- UTC.

CREATE TABLE product_briefs (
	product   TEXT    NOT NULL,
	major     INTEGER NOT NULL,
	minor     INTEGER NOT NULL,
	published INTEGER NOT NULL,
	doc       TEXT    NOT NULL,
	PRIMARY KEY (product, major, minor)
);

CREATE TABLE certificates (
	rep     TEXT    NOT NULL,
	product TEXT    NOT NULL,
	channel TEXT    NOT NULL,
	expires INTEGER NOT NULL,
	doc     TEXT    NOT NULL,
	PRIMARY KEY (rep, product, channel)
);
CREATE INDEX certificates_product ON certificates (product, rep, channel);
CREATE INDEX certificates_expires ON certificates (expires);

CREATE TABLE training_attempts (
	id     TEXT    NOT NULL PRIMARY KEY,
	rep    TEXT    NOT NULL,
	module TEXT    NOT NULL,
	at     INTEGER NOT NULL,
	doc    TEXT    NOT NULL
);
CREATE INDEX training_attempts_rep_module ON training_attempts (rep, module, at, id);

CREATE TABLE training_assignments (
	id  TEXT    NOT NULL PRIMARY KEY,
	rep TEXT    NOT NULL,
	due INTEGER NOT NULL,
	doc TEXT    NOT NULL
);
CREATE INDEX training_assignments_rep ON training_assignments (rep, due, id);
CREATE INDEX training_assignments_due ON training_assignments (due, id);

CREATE TABLE pilots (
	id      TEXT    NOT NULL PRIMARY KEY,
	product TEXT    NOT NULL,
	rev     INTEGER NOT NULL,
	doc     TEXT    NOT NULL
);
CREATE INDEX pilots_product ON pilots (product, id);

CREATE TABLE pilot_sales (
	id    TEXT    NOT NULL PRIMARY KEY,
	pilot TEXT    NOT NULL,
	at    INTEGER NOT NULL,
	doc   TEXT    NOT NULL
);
CREATE INDEX pilot_sales_pilot ON pilot_sales (pilot, at, id);

CREATE TABLE product_feedback (
	id      TEXT    NOT NULL PRIMARY KEY,
	product TEXT    NOT NULL,
	at      INTEGER NOT NULL,
	doc     TEXT    NOT NULL
);
CREATE INDEX product_feedback_product ON product_feedback (product, at, id);
