-- 0015 identity at plant scale (SQLite). Same tables and meaning as migrations/sqlserver/0015_identity_at_scale.sql.
-- Sign-in with the organisation's OpenID provider (one settings row; the client secret is stored encrypted with the
-- key-encryption key), SCIM provisioning (bearer tokens per site, stored hashed; the directory's userName and
-- externalId kept beside the employee number), welcome letters (a one-time kiosk activation code per person, stored
-- as a keyed hash; the import batch a person came in with) and the rollout counts (when someone last signed in).
ALTER TABLE employees ADD COLUMN sso_subject TEXT NULL;
ALTER TABLE employees ADD COLUMN scim_user_name TEXT NULL;
ALTER TABLE employees ADD COLUMN external_id TEXT NULL;
ALTER TABLE employees ADD COLUMN department TEXT NULL;
ALTER TABLE employees ADD COLUMN import_batch TEXT NULL;
ALTER TABLE employees ADD COLUMN last_signin_utc TEXT NULL;
ALTER TABLE employees ADD COLUMN activation_hash TEXT NULL;
ALTER TABLE employees ADD COLUMN activation_expires_utc TEXT NULL;
ALTER TABLE employees ADD COLUMN activated_utc TEXT NULL;
CREATE UNIQUE INDEX ux_employees_sso_subject ON employees (sso_subject) WHERE sso_subject IS NOT NULL;
CREATE UNIQUE INDEX ux_employees_external_id ON employees (site_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX ix_employees_scim_user_name ON employees (scim_user_name) WHERE scim_user_name IS NOT NULL;
CREATE INDEX ix_employees_import_batch ON employees (import_batch) WHERE import_batch IS NOT NULL;

CREATE TABLE sso_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    enabled INTEGER NOT NULL DEFAULT 0,
    display_name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_enc TEXT NULL,
    employee_claim TEXT NOT NULL DEFAULT 'employee_id',
    email_domains TEXT NULL,
    password_off_roles INTEGER NOT NULL DEFAULT 0,
    jit INTEGER NOT NULL DEFAULT 0,
    jit_site_id INTEGER NULL REFERENCES sites (id),
    jit_team_id INTEGER NULL REFERENCES teams (id),
    site_claim TEXT NULL,
    team_claim TEXT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_utc TEXT NOT NULL
);

CREATE TABLE scim_tokens (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER NULL REFERENCES employees (id),
    created_utc TEXT NOT NULL,
    last_used_utc TEXT NULL,
    revoked_utc TEXT NULL
);
CREATE INDEX ix_scim_tokens_site ON scim_tokens (site_id, id);

-- A long job that must not run twice at once (a letter batch for the same people): held until done or until_utc.
CREATE TABLE job_locks (
    name TEXT NOT NULL PRIMARY KEY,
    holder TEXT NOT NULL,
    until_utc TEXT NOT NULL
);
