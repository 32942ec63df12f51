-- 0029 portable badges and data keeping (SQLite). Same meaning as migrations/sqlserver/0029_credentials.sql.
-- The organisation's signing keys for Open Badges 3.0 credentials: the private key encrypted (Data Protection, whose
-- keys are encrypted with the key-encryption key); a rotated key is retired, never deleted, so what it signed still verifies.
CREATE TABLE issuer_keys (
    id INTEGER PRIMARY KEY,
    kid TEXT NOT NULL UNIQUE,
    alg TEXT NOT NULL CHECK (alg IN ('ES256')),
    private_enc TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    retired_utc TEXT NULL
);
-- One signed credential per person, source, choice of message and recipient identity (employee number or the e-mail they added); its id is its index in the revocation status list.
CREATE TABLE credentials (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    source_kind TEXT NOT NULL CHECK (source_kind IN ('recognition', 'achievement')),
    source_id INTEGER NOT NULL,
    with_message INTEGER NOT NULL DEFAULT 0,
    recipient TEXT NOT NULL,
    kid TEXT NOT NULL,
    jwt TEXT NOT NULL,
    issued_utc TEXT NOT NULL,
    UNIQUE (employee_id, source_kind, source_id, with_message, recipient)
);
CREATE INDEX ix_credentials_source ON credentials (source_kind, source_id);
-- Per site: free text written by people who left is removed once it is this many years old (the ledger's numbers stay).
CREATE TABLE retention_policies (
    site_id INTEGER PRIMARY KEY REFERENCES sites (id),
    leaver_text_years INTEGER NULL CHECK (leaver_text_years BETWEEN 1 AND 50),
    updated_by INTEGER NULL REFERENCES employees (id),
    updated_utc TEXT NOT NULL,
    last_run_utc TEXT NULL,
    last_removed INTEGER NOT NULL DEFAULT 0
);
-- An e-mail address the person adds for their credentials (often a private one that outlives the job); optional.
ALTER TABLE employees ADD COLUMN credential_email TEXT NULL;
