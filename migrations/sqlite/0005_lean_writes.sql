-- 0005 lean writes (SQLite). Every b-tree an award touches is one more page written to the log on
-- commit, and on this engine each page is its own write. Tables keyed by a composite primary key become
-- WITHOUT ROWID (the key is the table: one b-tree instead of a rowid table plus its key index); the
-- ledger's "reverses" key becomes a partial unique index (ordinary entries no longer add a NULL to it,
-- as on SQL Server); the unread person x day index goes. Same rows, same keys, same constraints.

CREATE TABLE recognition_recipients_new (
    recognition_id INTEGER NOT NULL REFERENCES recognitions (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    team_id INTEGER NULL REFERENCES teams (id),
    PRIMARY KEY (recognition_id, employee_id)
) WITHOUT ROWID;
INSERT INTO recognition_recipients_new (recognition_id, employee_id, team_id)
    SELECT recognition_id, employee_id, team_id FROM recognition_recipients;
DROP TABLE recognition_recipients;
ALTER TABLE recognition_recipients_new RENAME TO recognition_recipients;
CREATE INDEX ix_recognition_recipients_employee ON recognition_recipients (employee_id, recognition_id);
CREATE INDEX ix_recognition_recipients_team ON recognition_recipients (team_id, recognition_id);

CREATE TABLE points_ledger_new (
    id INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    team_id INTEGER NULL REFERENCES teams (id),
    site_id INTEGER NOT NULL REFERENCES sites (id),
    points INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('recognition', 'claim', 'achievement', 'redemption', 'reversal', 'adjustment')),
    source_type TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    reverses_id INTEGER NULL REFERENCES points_ledger (id),
    local_day INTEGER NOT NULL,
    created_utc TEXT NOT NULL
);
INSERT INTO points_ledger_new (id, employee_id, team_id, site_id, points, kind, source_type, source_id, reverses_id, local_day, created_utc)
    SELECT id, employee_id, team_id, site_id, points, kind, source_type, source_id, reverses_id, local_day, created_utc FROM points_ledger;
DROP TABLE points_ledger;
ALTER TABLE points_ledger_new RENAME TO points_ledger;
CREATE UNIQUE INDEX ux_points_ledger_reverses ON points_ledger (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX ix_points_ledger_employee ON points_ledger (employee_id, id);
CREATE INDEX ix_points_ledger_source ON points_ledger (source_type, source_id);

CREATE TABLE person_day_points_new (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    day INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (employee_id, day)
) WITHOUT ROWID;
INSERT INTO person_day_points_new SELECT employee_id, day, points FROM person_day_points;
DROP TABLE person_day_points;
ALTER TABLE person_day_points_new RENAME TO person_day_points;

CREATE TABLE person_week_points_new (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    week INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (employee_id, week)
) WITHOUT ROWID;
INSERT INTO person_week_points_new SELECT employee_id, week, points FROM person_week_points;
DROP TABLE person_week_points;
ALTER TABLE person_week_points_new RENAME TO person_week_points;
CREATE INDEX ix_person_week_points_rank ON person_week_points (week, points);

CREATE TABLE person_month_points_new (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    month INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (employee_id, month)
) WITHOUT ROWID;
INSERT INTO person_month_points_new SELECT employee_id, month, points FROM person_month_points;
DROP TABLE person_month_points;
ALTER TABLE person_month_points_new RENAME TO person_month_points;
CREATE INDEX ix_person_month_points_rank ON person_month_points (month, points);

CREATE TABLE team_day_points_new (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    day INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (team_id, day)
) WITHOUT ROWID;
INSERT INTO team_day_points_new SELECT team_id, day, points FROM team_day_points;
DROP TABLE team_day_points;
ALTER TABLE team_day_points_new RENAME TO team_day_points;
CREATE INDEX ix_team_day_points_day ON team_day_points (day, team_id);

CREATE TABLE allowances_new (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    month INTEGER NOT NULL,
    budget INTEGER NOT NULL,
    spent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (employee_id, month),
    CHECK (spent <= budget)
) WITHOUT ROWID;
INSERT INTO allowances_new SELECT employee_id, month, budget, spent FROM allowances;
DROP TABLE allowances;
ALTER TABLE allowances_new RENAME TO allowances;

CREATE TABLE allowance_grants_new (
    giver_id INTEGER NOT NULL REFERENCES employees (id),
    recipient_id INTEGER NOT NULL REFERENCES employees (id),
    month INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (giver_id, recipient_id, month)
) WITHOUT ROWID;
INSERT INTO allowance_grants_new SELECT giver_id, recipient_id, month, points FROM allowance_grants;
DROP TABLE allowance_grants;
ALTER TABLE allowance_grants_new RENAME TO allowance_grants;

CREATE TABLE giving_counts_new (
    giver_id INTEGER NOT NULL REFERENCES employees (id),
    day INTEGER NOT NULL,
    given INTEGER NOT NULL,
    PRIMARY KEY (giver_id, day)
) WITHOUT ROWID;
INSERT INTO giving_counts_new SELECT giver_id, day, given FROM giving_counts;
DROP TABLE giving_counts;
ALTER TABLE giving_counts_new RENAME TO giving_counts;

CREATE TABLE idempotency_keys_new (
    actor_id INTEGER NOT NULL,
    idem_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    result_id INTEGER NULL,
    created_utc TEXT NOT NULL,
    PRIMARY KEY (actor_id, idem_key)
) WITHOUT ROWID;
INSERT INTO idempotency_keys_new SELECT actor_id, idem_key, kind, result_id, created_utc FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
