-- 0030 one-to-ones (SQLite). Same meaning as migrations/sqlserver/0030_coaching.sql.
-- A supervisor records that a conversation took place: the day (the site's), an optional note only the two people see,
-- and an agreed next step with its day; a reminder goes to both when that day comes (once: reminded_utc). No scores.
CREATE TABLE one_on_ones (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    supervisor_id INTEGER NOT NULL REFERENCES employees (id),
    held_day INTEGER NOT NULL,
    note TEXT NULL,
    next_step TEXT NULL,
    next_step_day INTEGER NULL,
    reminded_utc TEXT NULL,
    created_utc TEXT NOT NULL,
    request_key TEXT NOT NULL UNIQUE
);
CREATE INDEX ix_one_on_ones_employee ON one_on_ones (employee_id, held_day);
CREATE INDEX ix_one_on_ones_due ON one_on_ones (next_step_day) WHERE reminded_utc IS NULL AND next_step_day IS NOT NULL;
