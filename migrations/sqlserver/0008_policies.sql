-- 0008 policies (SQL Server). Same numbers and meaning as migrations/sqlite/0008_policies.sql.
CREATE TABLE policies (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NULL REFERENCES sites (id),
    monthly_allowance INT NOT NULL CHECK (monthly_allowance >= 0),
    per_report INT NOT NULL CHECK (per_report >= 0),
    share_pct INT NOT NULL CHECK (share_pct BETWEEN 1 AND 100),
    daily_cap INT NOT NULL CHECK (daily_cap >= 1),
    max_recipients INT NOT NULL CHECK (max_recipients >= 1),
    point_steps NVARCHAR(200) NOT NULL,
    message_min INT NOT NULL CHECK (message_min >= 1),
    message_max INT NOT NULL,
    updated_utc DATETIME2 NOT NULL,
    CHECK (message_max >= message_min)
);
CREATE UNIQUE INDEX ux_policies_site ON policies (site_id) WHERE site_id IS NOT NULL;
INSERT INTO policies (site_id, monthly_allowance, per_report, share_pct, daily_cap, max_recipients, point_steps, message_min, message_max, updated_utc)
    VALUES (NULL, 100, 20, 40, 10, 10, '0,5,10,20,50', 20, 500, '2026-11-22T00:00:00');
