-- 0022 badge icons and certificates (SQL Server). Same meaning as migrations/sqlite/0022_icons_certificates.sql.
-- Icon names run longer than the characters did.
ALTER TABLE badges ALTER COLUMN icon NVARCHAR(40) NOT NULL;
UPDATE badges SET icon = CASE icon
    WHEN N'安' THEN 'shield-check' WHEN N'客' THEN 'handshake' WHEN N'协' THEN 'users' WHEN N'导' THEN 'graduation-cap'
    WHEN N'创' THEN 'lightbulb' WHEN N'卓' THEN 'trophy' WHEN N'哨' THEN 'shield-alert' WHEN N'师' THEN 'medal'
    WHEN N'学' THEN 'book-open' WHEN N'质' THEN 'badge-check' WHEN N'效' THEN 'zap' WHEN N'心' THEN 'heart'
    WHEN N'★' THEN 'star' WHEN N'✓' THEN 'check' WHEN N'♥' THEN 'heart' WHEN N'☀' THEN 'sun'
    ELSE 'award' END;

CREATE TABLE site_certificates (
    site_id BIGINT PRIMARY KEY REFERENCES sites (id),
    issuer_zh NVARCHAR(200) NOT NULL,
    issuer_en NVARCHAR(200) NOT NULL,
    signatory_zh NVARCHAR(200) NOT NULL,
    signatory_en NVARCHAR(200) NOT NULL,
    logo_type NVARCHAR(50) NULL,
    logo VARBINARY(MAX) NULL,
    updated_utc DATETIME2 NOT NULL
);
