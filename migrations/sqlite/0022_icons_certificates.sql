-- 0022 badge icons and certificates (SQLite). Same meaning as migrations/sqlserver/0022_icons_certificates.sql.
-- Badges drew one character (协/客/安, also in English); they now name an icon of the shipped set (wwwroot/icons).
UPDATE badges SET icon = CASE icon
    WHEN '安' THEN 'shield-check' WHEN '客' THEN 'handshake' WHEN '协' THEN 'users' WHEN '导' THEN 'graduation-cap'
    WHEN '创' THEN 'lightbulb' WHEN '卓' THEN 'trophy' WHEN '哨' THEN 'shield-alert' WHEN '师' THEN 'medal'
    WHEN '学' THEN 'book-open' WHEN '质' THEN 'badge-check' WHEN '效' THEN 'zap' WHEN '心' THEN 'heart'
    WHEN '★' THEN 'star' WHEN '✓' THEN 'check' WHEN '♥' THEN 'heart' WHEN '☀' THEN 'sun'
    ELSE 'award' END;

-- What a site's certificates carry besides the recognition: who issues them, whose signature line, the plant's logo.
CREATE TABLE site_certificates (
    site_id INTEGER PRIMARY KEY REFERENCES sites (id),
    issuer_zh TEXT NOT NULL,
    issuer_en TEXT NOT NULL,
    signatory_zh TEXT NOT NULL,
    signatory_en TEXT NOT NULL,
    logo_type TEXT NULL,
    logo BLOB NULL,
    updated_utc TEXT NOT NULL
);
