-- 0015 identity at plant scale (SQL Server). Same tables and meaning as migrations/sqlite/0015_identity_at_scale.sql.
ALTER TABLE employees ADD
    sso_subject NVARCHAR(255) NULL,
    scim_user_name NVARCHAR(255) NULL,
    external_id NVARCHAR(255) NULL,
    department NVARCHAR(200) NULL,
    import_batch NVARCHAR(40) NULL,
    last_signin_utc DATETIME2 NULL,
    activation_hash NVARCHAR(64) NULL,
    activation_expires_utc DATETIME2 NULL,
    activated_utc DATETIME2 NULL;
GO
CREATE UNIQUE INDEX ux_employees_sso_subject ON employees (sso_subject) WHERE sso_subject IS NOT NULL;
CREATE UNIQUE INDEX ux_employees_external_id ON employees (site_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX ix_employees_scim_user_name ON employees (scim_user_name) WHERE scim_user_name IS NOT NULL;
CREATE INDEX ix_employees_import_batch ON employees (import_batch) WHERE import_batch IS NOT NULL;

CREATE TABLE sso_settings (
    id INT NOT NULL PRIMARY KEY CONSTRAINT ck_sso_settings_one CHECK (id = 1),
    enabled INT NOT NULL CONSTRAINT df_sso_settings_enabled DEFAULT 0,
    display_name NVARCHAR(100) NOT NULL,
    issuer NVARCHAR(500) NOT NULL,
    client_id NVARCHAR(200) NOT NULL,
    client_secret_enc NVARCHAR(1000) NULL,
    employee_claim NVARCHAR(100) NOT NULL CONSTRAINT df_sso_settings_claim DEFAULT 'employee_id',
    email_domains NVARCHAR(1000) NULL,
    password_off_roles INT NOT NULL CONSTRAINT df_sso_settings_password_off DEFAULT 0,
    jit INT NOT NULL CONSTRAINT df_sso_settings_jit DEFAULT 0,
    jit_site_id BIGINT NULL REFERENCES sites (id),
    jit_team_id BIGINT NULL REFERENCES teams (id),
    site_claim NVARCHAR(100) NULL,
    team_claim NVARCHAR(100) NULL,
    version INT NOT NULL CONSTRAINT df_sso_settings_version DEFAULT 1,
    updated_utc DATETIME2 NOT NULL
);

CREATE TABLE scim_tokens (
    id BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    name NVARCHAR(100) NOT NULL,
    token_hash NVARCHAR(64) NOT NULL CONSTRAINT ux_scim_tokens_hash UNIQUE,
    created_by BIGINT NULL REFERENCES employees (id),
    created_utc DATETIME2 NOT NULL,
    last_used_utc DATETIME2 NULL,
    revoked_utc DATETIME2 NULL
);
CREATE INDEX ix_scim_tokens_site ON scim_tokens (site_id, id);

CREATE TABLE job_locks (
    name NVARCHAR(200) NOT NULL PRIMARY KEY,
    holder NVARCHAR(64) NOT NULL,
    until_utc DATETIME2 NOT NULL
);
