-- 0001 initial schema (SQL Server). Same numbers and meaning as migrations/sqlite/0001_initial.sql.
-- Times are UTC DATETIME2; calendar days are site-local integers yyyymmdd; months yyyymm.
-- Nullable unique columns use filtered indexes (a UNIQUE constraint would allow only one NULL).
CREATE TABLE sites (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    code NVARCHAR(50) NOT NULL UNIQUE,
    name_zh NVARCHAR(200) NOT NULL,
    name_en NVARCHAR(200) NOT NULL,
    time_zone NVARCHAR(100) NOT NULL,
    created_utc DATETIME2 NOT NULL
);

CREATE TABLE teams (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    code NVARCHAR(50) NOT NULL UNIQUE,
    name_zh NVARCHAR(200) NOT NULL,
    name_en NVARCHAR(200) NOT NULL,
    kind NVARCHAR(20) NOT NULL CHECK (kind IN ('standing', 'project')),
    supervisor_id BIGINT NULL,
    active INT NOT NULL DEFAULT 1
);

CREATE TABLE shifts (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    code NVARCHAR(20) NOT NULL,
    name_zh NVARCHAR(100) NOT NULL,
    name_en NVARCHAR(100) NOT NULL,
    start_minute INT NOT NULL,
    end_minute INT NOT NULL,
    CONSTRAINT uq_shifts_site_code UNIQUE (site_id, code)
);

CREATE TABLE team_shifts (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    shift_id BIGINT NOT NULL REFERENCES shifts (id),
    PRIMARY KEY (team_id, shift_id)
);

CREATE TABLE employees (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    team_id BIGINT NULL REFERENCES teams (id),
    employee_no NVARCHAR(50) NOT NULL UNIQUE,
    email NVARCHAR(200) NULL,
    badge_code NVARCHAR(100) NULL,
    name_zh NVARCHAR(100) NULL,
    name_en NVARCHAR(200) NULL,
    locale NVARCHAR(10) NOT NULL DEFAULT 'zh-CN',
    roles INT NOT NULL DEFAULT 1,
    hire_day INT NULL,
    pin_hash NVARCHAR(200) NULL,
    password_hash NVARCHAR(200) NULL,
    leaderboard_opt_out INT NOT NULL DEFAULT 0,
    active INT NOT NULL DEFAULT 1,
    created_utc DATETIME2 NOT NULL,
    CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL)
);
CREATE UNIQUE INDEX ux_employees_email ON employees (email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX ux_employees_badge_code ON employees (badge_code) WHERE badge_code IS NOT NULL;
CREATE INDEX ix_employees_team ON employees (team_id);

CREATE TABLE core_values (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    code NVARCHAR(50) NOT NULL UNIQUE,
    name_zh NVARCHAR(100) NOT NULL,
    name_en NVARCHAR(100) NOT NULL,
    behaviours_zh NVARCHAR(1000) NOT NULL,
    behaviours_en NVARCHAR(1000) NOT NULL,
    color NVARCHAR(20) NOT NULL,
    active INT NOT NULL DEFAULT 1
);

CREATE TABLE badges (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    code NVARCHAR(50) NOT NULL UNIQUE,
    value_id BIGINT NULL REFERENCES core_values (id),
    kind NVARCHAR(20) NOT NULL CHECK (kind IN ('peer', 'supervisor', 'achievement')),
    name_zh NVARCHAR(100) NOT NULL,
    name_en NVARCHAR(100) NOT NULL,
    description_zh NVARCHAR(500) NOT NULL,
    description_en NVARCHAR(500) NOT NULL,
    icon NVARCHAR(20) NOT NULL,
    color NVARCHAR(20) NOT NULL,
    active INT NOT NULL DEFAULT 1
);

CREATE TABLE behaviour_rules (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    code NVARCHAR(50) NOT NULL UNIQUE,
    category NVARCHAR(20) NOT NULL CHECK (category IN ('safety', 'mentoring', 'customer', 'knowledge', 'improvement')),
    name_zh NVARCHAR(100) NOT NULL,
    name_en NVARCHAR(100) NOT NULL,
    points INT NOT NULL CHECK (points >= 0),
    requires_approval INT NOT NULL DEFAULT 1,
    claimable INT NOT NULL DEFAULT 1,
    cap_per_day INT NULL,
    cap_per_week INT NULL,
    cap_per_month INT NULL,
    active INT NOT NULL DEFAULT 1
);

CREATE TABLE recognitions (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    giver_id BIGINT NOT NULL REFERENCES employees (id),
    badge_id BIGINT NULL REFERENCES badges (id),
    value_id BIGINT NULL REFERENCES core_values (id),
    message NVARCHAR(2000) NOT NULL,
    visibility NVARCHAR(10) NOT NULL CHECK (visibility IN ('public', 'team', 'private')),
    points_each INT NOT NULL CHECK (points_each >= 0),
    funding NVARCHAR(20) NOT NULL CHECK (funding IN ('allowance', 'company')),
    status NVARCHAR(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    verify_code NVARCHAR(64) NOT NULL UNIQUE,
    created_utc DATETIME2 NOT NULL,
    revoked_utc DATETIME2 NULL,
    revoked_by BIGINT NULL REFERENCES employees (id),
    revoke_reason NVARCHAR(500) NULL
);
CREATE INDEX ix_recognitions_site_created ON recognitions (site_id, id);
CREATE INDEX ix_recognitions_giver ON recognitions (giver_id, id);

CREATE TABLE recognition_recipients (
    recognition_id BIGINT NOT NULL REFERENCES recognitions (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    team_id BIGINT NULL REFERENCES teams (id),
    PRIMARY KEY (recognition_id, employee_id)
);
CREATE INDEX ix_recognition_recipients_employee ON recognition_recipients (employee_id, recognition_id);
CREATE INDEX ix_recognition_recipients_team ON recognition_recipients (team_id, recognition_id);

-- Append-only: rows are never updated or deleted. A correction is a new row whose reverses_id points at the original.
CREATE TABLE points_ledger (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    team_id BIGINT NULL REFERENCES teams (id),
    site_id BIGINT NOT NULL REFERENCES sites (id),
    points INT NOT NULL,
    kind NVARCHAR(20) NOT NULL CHECK (kind IN ('recognition', 'claim', 'achievement', 'redemption', 'reversal', 'adjustment')),
    source_type NVARCHAR(20) NOT NULL,
    source_id BIGINT NOT NULL,
    reverses_id BIGINT NULL REFERENCES points_ledger (id),
    local_day INT NOT NULL,
    created_utc DATETIME2 NOT NULL
);
CREATE UNIQUE INDEX ux_points_ledger_reverses ON points_ledger (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX ix_points_ledger_employee ON points_ledger (employee_id, id);
CREATE INDEX ix_points_ledger_source ON points_ledger (source_type, source_id);

CREATE TABLE point_balances (
    employee_id BIGINT PRIMARY KEY REFERENCES employees (id),
    earned INT NOT NULL,
    balance INT NOT NULL
);

CREATE TABLE person_day_points (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    day INT NOT NULL,
    points INT NOT NULL,
    PRIMARY KEY (employee_id, day)
);
CREATE INDEX ix_person_day_points_day ON person_day_points (day, employee_id);

CREATE TABLE team_day_points (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    day INT NOT NULL,
    points INT NOT NULL,
    PRIMARY KEY (team_id, day)
);
CREATE INDEX ix_team_day_points_day ON team_day_points (day, team_id);

CREATE TABLE allowances (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    month INT NOT NULL,
    budget INT NOT NULL,
    spent INT NOT NULL DEFAULT 0,
    PRIMARY KEY (employee_id, month),
    CHECK (spent <= budget)
);

CREATE TABLE allowance_grants (
    giver_id BIGINT NOT NULL REFERENCES employees (id),
    recipient_id BIGINT NOT NULL REFERENCES employees (id),
    month INT NOT NULL,
    points INT NOT NULL,
    PRIMARY KEY (giver_id, recipient_id, month)
);

CREATE TABLE giving_counts (
    giver_id BIGINT NOT NULL REFERENCES employees (id),
    day INT NOT NULL,
    given INT NOT NULL,
    PRIMARY KEY (giver_id, day)
);

-- Outbox for live displays. rv lets the relay read only below MIN_ACTIVE_ROWVERSION(), so an identity
-- value that commits late is never skipped.
CREATE TABLE events (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    team_id BIGINT NULL REFERENCES teams (id),
    kind NVARCHAR(50) NOT NULL,
    subject_id BIGINT NOT NULL,
    payload NVARCHAR(MAX) NOT NULL,
    created_utc DATETIME2 NOT NULL,
    rv ROWVERSION NOT NULL
);
CREATE INDEX ix_events_rv ON events (rv);

CREATE TABLE devices (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    team_id BIGINT NULL REFERENCES teams (id),
    kind NVARCHAR(10) NOT NULL CHECK (kind IN ('kiosk', 'display')),
    name NVARCHAR(200) NOT NULL,
    slug NVARCHAR(100) NULL,
    locale NVARCHAR(10) NOT NULL DEFAULT 'zh-CN',
    pairing_code_hash NVARCHAR(100) NULL,
    pairing_expires_utc DATETIME2 NULL,
    token_hash NVARCHAR(100) NULL,
    enrolled_utc DATETIME2 NULL,
    revoked_utc DATETIME2 NULL,
    created_utc DATETIME2 NOT NULL
);
CREATE UNIQUE INDEX ux_devices_slug ON devices (slug) WHERE slug IS NOT NULL;
CREATE UNIQUE INDEX ux_devices_pairing ON devices (pairing_code_hash) WHERE pairing_code_hash IS NOT NULL;
CREATE UNIQUE INDEX ux_devices_token ON devices (token_hash) WHERE token_hash IS NOT NULL;

CREATE TABLE audit_log (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    at_utc DATETIME2 NOT NULL,
    actor_id BIGINT NULL,
    action NVARCHAR(100) NOT NULL,
    target NVARCHAR(200) NULL,
    detail NVARCHAR(2000) NULL,
    ip NVARCHAR(64) NULL
);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);

CREATE TABLE idempotency_keys (
    actor_id BIGINT NOT NULL,
    idem_key NVARCHAR(100) NOT NULL,
    kind NVARCHAR(50) NOT NULL,
    result_id BIGINT NULL,
    created_utc DATETIME2 NOT NULL,
    PRIMARY KEY (actor_id, idem_key)
);

CREATE TABLE data_protection_keys (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    friendly_name NVARCHAR(200) NOT NULL UNIQUE,
    xml NVARCHAR(MAX) NOT NULL
);
