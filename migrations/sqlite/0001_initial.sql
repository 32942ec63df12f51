-- 0001 initial schema (SQLite). Same numbers and meaning as migrations/sqlserver/0001_initial.sql.
-- Times are UTC ISO-8601 text; calendar days are site-local integers yyyymmdd; months yyyymm.
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    created_utc TEXT NOT NULL
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('standing', 'project')),
    supervisor_id INTEGER NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE shifts (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    UNIQUE (site_id, code)
);

CREATE TABLE team_shifts (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    shift_id INTEGER NOT NULL REFERENCES shifts (id),
    PRIMARY KEY (team_id, shift_id)
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    team_id INTEGER NULL REFERENCES teams (id),
    employee_no TEXT NOT NULL UNIQUE,
    email TEXT NULL,
    badge_code TEXT NULL,
    name_zh TEXT NULL,
    name_en TEXT NULL,
    locale TEXT NOT NULL DEFAULT 'zh-CN',
    roles INTEGER NOT NULL DEFAULT 1,
    hire_day INTEGER NULL,
    pin_hash TEXT NULL,
    password_hash TEXT NULL,
    leaderboard_opt_out INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_utc TEXT NOT NULL,
    CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL)
);
CREATE UNIQUE INDEX ux_employees_email ON employees (email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX ux_employees_badge_code ON employees (badge_code) WHERE badge_code IS NOT NULL;
CREATE INDEX ix_employees_team ON employees (team_id);

CREATE TABLE core_values (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    behaviours_zh TEXT NOT NULL,
    behaviours_en TEXT NOT NULL,
    color TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE badges (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    value_id INTEGER NULL REFERENCES core_values (id),
    kind TEXT NOT NULL CHECK (kind IN ('peer', 'supervisor', 'achievement')),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    icon TEXT NOT NULL,
    color TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE behaviour_rules (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL CHECK (category IN ('safety', 'mentoring', 'customer', 'knowledge', 'improvement')),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    points INTEGER NOT NULL CHECK (points >= 0),
    requires_approval INTEGER NOT NULL DEFAULT 1,
    claimable INTEGER NOT NULL DEFAULT 1,
    cap_per_day INTEGER NULL,
    cap_per_week INTEGER NULL,
    cap_per_month INTEGER NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE recognitions (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    giver_id INTEGER NOT NULL REFERENCES employees (id),
    badge_id INTEGER NULL REFERENCES badges (id),
    value_id INTEGER NULL REFERENCES core_values (id),
    message TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'team', 'private')),
    points_each INTEGER NOT NULL CHECK (points_each >= 0),
    funding TEXT NOT NULL CHECK (funding IN ('allowance', 'company')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    verify_code TEXT NOT NULL UNIQUE,
    created_utc TEXT NOT NULL,
    revoked_utc TEXT NULL,
    revoked_by INTEGER NULL REFERENCES employees (id),
    revoke_reason TEXT NULL
);
CREATE INDEX ix_recognitions_site_created ON recognitions (site_id, id);
CREATE INDEX ix_recognitions_giver ON recognitions (giver_id, id);

CREATE TABLE recognition_recipients (
    recognition_id INTEGER NOT NULL REFERENCES recognitions (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    team_id INTEGER NULL REFERENCES teams (id),
    PRIMARY KEY (recognition_id, employee_id)
);
CREATE INDEX ix_recognition_recipients_employee ON recognition_recipients (employee_id, recognition_id);
CREATE INDEX ix_recognition_recipients_team ON recognition_recipients (team_id, recognition_id);

-- Append-only: rows are never updated or deleted. A correction is a new row whose reverses_id points at the original.
CREATE TABLE points_ledger (
    id INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    team_id INTEGER NULL REFERENCES teams (id),
    site_id INTEGER NOT NULL REFERENCES sites (id),
    points INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('recognition', 'claim', 'achievement', 'redemption', 'reversal', 'adjustment')),
    source_type TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    reverses_id INTEGER NULL UNIQUE REFERENCES points_ledger (id),
    local_day INTEGER NOT NULL,
    created_utc TEXT NOT NULL
);
CREATE INDEX ix_points_ledger_employee ON points_ledger (employee_id, id);
CREATE INDEX ix_points_ledger_source ON points_ledger (source_type, source_id);

CREATE TABLE point_balances (
    employee_id INTEGER PRIMARY KEY REFERENCES employees (id),
    earned INTEGER NOT NULL,
    balance INTEGER NOT NULL
);

CREATE TABLE person_day_points (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    day INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (employee_id, day)
);
CREATE INDEX ix_person_day_points_day ON person_day_points (day, employee_id);

CREATE TABLE team_day_points (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    day INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (team_id, day)
);
CREATE INDEX ix_team_day_points_day ON team_day_points (day, team_id);

CREATE TABLE allowances (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    month INTEGER NOT NULL,
    budget INTEGER NOT NULL,
    spent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (employee_id, month),
    CHECK (spent <= budget)
);

CREATE TABLE allowance_grants (
    giver_id INTEGER NOT NULL REFERENCES employees (id),
    recipient_id INTEGER NOT NULL REFERENCES employees (id),
    month INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (giver_id, recipient_id, month)
);

CREATE TABLE giving_counts (
    giver_id INTEGER NOT NULL REFERENCES employees (id),
    day INTEGER NOT NULL,
    given INTEGER NOT NULL,
    PRIMARY KEY (giver_id, day)
);

-- Outbox for live displays: written in the same transaction as the change it announces.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    team_id INTEGER NULL REFERENCES teams (id),
    kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    created_utc TEXT NOT NULL
);

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    team_id INTEGER NULL REFERENCES teams (id),
    kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'display')),
    name TEXT NOT NULL,
    slug TEXT NULL UNIQUE,
    locale TEXT NOT NULL DEFAULT 'zh-CN',
    pairing_code_hash TEXT NULL UNIQUE,
    pairing_expires_utc TEXT NULL,
    token_hash TEXT NULL UNIQUE,
    enrolled_utc TEXT NULL,
    revoked_utc TEXT NULL,
    created_utc TEXT NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at_utc TEXT NOT NULL,
    actor_id INTEGER NULL,
    action TEXT NOT NULL,
    target TEXT NULL,
    detail TEXT NULL,
    ip TEXT NULL
);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);

-- A double tap or retried POST finds its key here and returns the first result.
CREATE TABLE idempotency_keys (
    actor_id INTEGER NOT NULL,
    idem_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    result_id INTEGER NULL,
    created_utc TEXT NOT NULL,
    PRIMARY KEY (actor_id, idem_key)
);

CREATE TABLE data_protection_keys (
    id INTEGER PRIMARY KEY,
    friendly_name TEXT NOT NULL UNIQUE,
    xml TEXT NOT NULL
);
