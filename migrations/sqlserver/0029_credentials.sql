-- 0029 portable badges and data keeping (SQL Server). Same meaning as migrations/sqlite/0029_credentials.sql.
CREATE TABLE issuer_keys (
    id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_issuer_keys PRIMARY KEY,
    kid NVARCHAR(64) NOT NULL CONSTRAINT uq_issuer_keys_kid UNIQUE,
    alg NVARCHAR(8) NOT NULL CONSTRAINT ck_issuer_keys_alg CHECK (alg IN ('ES256')),
    private_enc NVARCHAR(MAX) NOT NULL,
    public_jwk NVARCHAR(1000) NOT NULL,
    created_utc DATETIME2 NOT NULL,
    retired_utc DATETIME2 NULL
);
CREATE TABLE credentials (
    id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_credentials PRIMARY KEY,
    public_id NVARCHAR(64) NOT NULL CONSTRAINT uq_credentials_public UNIQUE,
    employee_id BIGINT NOT NULL CONSTRAINT fk_credentials_employee REFERENCES employees (id),
    source_kind NVARCHAR(16) NOT NULL CONSTRAINT ck_credentials_kind CHECK (source_kind IN ('recognition', 'achievement')),
    source_id BIGINT NOT NULL,
    with_message BIT NOT NULL CONSTRAINT df_credentials_message DEFAULT 0,
    recipient NVARCHAR(200) NOT NULL,
    kid NVARCHAR(64) NOT NULL,
    jwt NVARCHAR(MAX) NOT NULL,
    issued_utc DATETIME2 NOT NULL,
    CONSTRAINT uq_credentials_source UNIQUE (employee_id, source_kind, source_id, with_message, recipient)
);
CREATE INDEX ix_credentials_source ON credentials (source_kind, source_id);
CREATE TABLE retention_policies (
    site_id BIGINT NOT NULL CONSTRAINT pk_retention_policies PRIMARY KEY CONSTRAINT fk_retention_policies_site REFERENCES sites (id),
    leaver_text_years INT NULL CONSTRAINT ck_retention_years CHECK (leaver_text_years BETWEEN 1 AND 50),
    updated_by BIGINT NULL CONSTRAINT fk_retention_policies_by REFERENCES employees (id),
    updated_utc DATETIME2 NOT NULL,
    last_run_utc DATETIME2 NULL,
    last_removed INT NOT NULL CONSTRAINT df_retention_removed DEFAULT 0
);
ALTER TABLE employees ADD credential_email NVARCHAR(200) NULL;
