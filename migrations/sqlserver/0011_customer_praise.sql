-- 0011 customer praise (SQL Server). Same tables and meaning as migrations/sqlite/0011_customer_praise.sql.
CREATE TABLE praise_codes (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    kind NVARCHAR(10) NOT NULL CHECK (kind IN ('team', 'person', 'area')),
    team_id BIGINT NULL REFERENCES teams (id),
    employee_id BIGINT NULL REFERENCES employees (id),
    area_id BIGINT NULL REFERENCES site_areas (id),
    code NVARCHAR(20) NOT NULL UNIQUE,
    active INT NOT NULL DEFAULT 1,
    created_utc DATETIME2 NOT NULL,
    retired_utc DATETIME2 NULL,
    CHECK ((kind = 'team' AND team_id IS NOT NULL AND employee_id IS NULL AND area_id IS NULL)
        OR (kind = 'person' AND employee_id IS NOT NULL AND team_id IS NULL AND area_id IS NULL)
        OR (kind = 'area' AND area_id IS NOT NULL AND team_id IS NULL AND employee_id IS NULL))
);
CREATE INDEX ix_praise_codes_site ON praise_codes (site_id, kind, active);

ALTER TABLE employees ADD praise_opt_in INT NOT NULL DEFAULT 0;

CREATE TABLE praise_submissions (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    code_id BIGINT NOT NULL REFERENCES praise_codes (id),
    team_id BIGINT NULL REFERENCES teams (id),
    employee_id BIGINT NULL REFERENCES employees (id),
    value_id BIGINT NULL REFERENCES core_values (id),
    message NVARCHAR(2000) NOT NULL,
    author_name NVARCHAR(100) NULL,
    company NVARCHAR(100) NULL,
    contact NVARCHAR(200) NULL,
    text_hash NVARCHAR(64) NOT NULL,
    status NVARCHAR(10) NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by BIGINT NULL REFERENCES employees (id),
    decided_utc DATETIME2 NULL,
    recognition_id BIGINT NULL REFERENCES recognitions (id),
    created_utc DATETIME2 NOT NULL
);
CREATE INDEX ix_praise_submissions_site_status ON praise_submissions (site_id, status, id);
CREATE INDEX ix_praise_submissions_hash ON praise_submissions (site_id, text_hash);

ALTER TABLE recognitions ADD source NVARCHAR(10) NOT NULL CONSTRAINT df_recognitions_source DEFAULT 'peer'
    CONSTRAINT ck_recognitions_source CHECK (source IN ('peer', 'customer')), external_from NVARCHAR(200) NULL;
