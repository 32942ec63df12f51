-- 0018 the plant systems' API (SQL Server). Same meaning as migrations/sqlite/0018_api.sql.
CREATE TABLE api_tokens (
    id BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    name NVARCHAR(100) NOT NULL,
    token_hash NVARCHAR(64) NOT NULL CONSTRAINT ux_api_tokens_hash UNIQUE,
    can_read INT NOT NULL CONSTRAINT df_api_tokens_read DEFAULT 0,
    rule_codes NVARCHAR(1000) NOT NULL CONSTRAINT df_api_tokens_rules DEFAULT '',
    created_by BIGINT NULL REFERENCES employees (id),
    created_utc DATETIME2 NOT NULL,
    last_used_utc DATETIME2 NULL,
    revoked_utc DATETIME2 NULL
);
CREATE INDEX ix_api_tokens_site ON api_tokens (site_id, id);
ALTER TABLE claims ADD
    api_token_id BIGINT NULL REFERENCES api_tokens (id),
    occurred_utc DATETIME2 NULL;
