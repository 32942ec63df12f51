-- 0012 insights (SQL Server). Same tables and meaning as migrations/sqlite/0012_insights.sql.
CREATE TABLE ins_team_week (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    week INT NOT NULL,
    received INT NOT NULL,
    received_outside INT NOT NULL,
    given INT NOT NULL,
    PRIMARY KEY (team_id, week)
);

CREATE TABLE ins_person_week (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    week INT NOT NULL,
    received INT NOT NULL,
    received_outside INT NOT NULL,
    given INT NOT NULL,
    PRIMARY KEY (employee_id, week)
);

CREATE TABLE ins_person_recent (
    employee_id BIGINT PRIMARY KEY REFERENCES employees (id),
    gave30 INT NOT NULL,
    received30 INT NOT NULL,
    gave_reports30 INT NOT NULL,
    gave_reports60 INT NOT NULL,
    received90 INT NOT NULL
);

CREATE TABLE ins_person_value (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    value_id BIGINT NOT NULL REFERENCES core_values (id),
    n INT NOT NULL,
    PRIMARY KEY (employee_id, value_id)
);

CREATE TABLE ins_builds (
    site_id BIGINT PRIMARY KEY REFERENCES sites (id),
    built_utc DATETIME2 NOT NULL,
    took_ms INT NOT NULL,
    recognitions INT NOT NULL
);

CREATE TABLE insight_clues (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    kind NVARCHAR(12) NOT NULL CHECK (kind IN ('reciprocal', 'ring', 'burst', 'duplicate', 'template')),
    clue_key NVARCHAR(200) NOT NULL UNIQUE,
    people NVARCHAR(400) NOT NULL,
    evidence NVARCHAR(MAX) NOT NULL,
    detail NVARCHAR(400) NOT NULL,
    status NVARCHAR(10) NOT NULL CHECK (status IN ('open', 'dismissed', 'revoked')),
    found_utc DATETIME2 NOT NULL,
    decided_by BIGINT NULL REFERENCES employees (id),
    decided_utc DATETIME2 NULL
);
CREATE INDEX ix_insight_clues_site_status ON insight_clues (site_id, status, id);
