-- 0018 the plant systems' API (SQLite). Same meaning as migrations/sqlserver/0018_api.sql.
-- Integration tokens per site (stored as SHA-256, shown once, revocable), allowed to read and/or to report named
-- behaviour rules; a claim reported through the API remembers which token sent it and when the behaviour happened.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    can_read INTEGER NOT NULL DEFAULT 0,
    rule_codes TEXT NOT NULL DEFAULT '',
    created_by INTEGER NULL REFERENCES employees (id),
    created_utc TEXT NOT NULL,
    last_used_utc TEXT NULL,
    revoked_utc TEXT NULL
);
CREATE INDEX ix_api_tokens_site ON api_tokens (site_id, id);
ALTER TABLE claims ADD COLUMN api_token_id INTEGER NULL REFERENCES api_tokens (id);
ALTER TABLE claims ADD COLUMN occurred_utc TEXT NULL;
