-- 0026 celebrations (SQLite). Same meaning as migrations/sqlserver/0026_celebrations.sql.
-- A birthday is month and day only (MMDD), kept only when the person adds it, celebrated only when they opt in.
-- celebrate_opt_out: the person wants no celebration at all (no card, no points, no message).
ALTER TABLE employees ADD COLUMN birth_mmdd INTEGER NULL;
ALTER TABLE employees ADD COLUMN birthday_public INTEGER NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN celebrate_opt_out INTEGER NOT NULL DEFAULT 0;
-- One row per person, kind and year: the key is what makes the daily job idempotent across restarts and instances.
CREATE TABLE celebrations (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    team_id INTEGER NULL REFERENCES teams (id),
    kind TEXT NOT NULL CHECK (kind IN ('birthday', 'anniversary', 'first_day')),
    year INTEGER NOT NULL,
    years INTEGER NOT NULL DEFAULT 0,
    local_day INTEGER NOT NULL,
    points INTEGER NOT NULL DEFAULT 0,
    created_utc TEXT NOT NULL,
    UNIQUE (employee_id, kind, year)
);
CREATE INDEX ix_celebrations_site_day ON celebrations (site_id, local_day);
