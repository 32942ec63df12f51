-- 0008 policies (SQLite): the allowance and message policy moves from appsettings.json into the database, per site
-- with an organisation default (site_id NULL), edited by HR and audited. The default row carries the values the
-- configuration file held until now.
CREATE TABLE policies (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NULL REFERENCES sites (id),
    monthly_allowance INTEGER NOT NULL CHECK (monthly_allowance >= 0),
    per_report INTEGER NOT NULL CHECK (per_report >= 0),
    share_pct INTEGER NOT NULL CHECK (share_pct BETWEEN 1 AND 100),
    daily_cap INTEGER NOT NULL CHECK (daily_cap >= 1),
    max_recipients INTEGER NOT NULL CHECK (max_recipients >= 1),
    point_steps TEXT NOT NULL,
    message_min INTEGER NOT NULL CHECK (message_min >= 1),
    message_max INTEGER NOT NULL,
    updated_utc TEXT NOT NULL,
    CHECK (message_max >= message_min)
);
CREATE UNIQUE INDEX ux_policies_site ON policies (site_id) WHERE site_id IS NOT NULL;
INSERT INTO policies (site_id, monthly_allowance, per_report, share_pct, daily_cap, max_recipients, point_steps, message_min, message_max, updated_utc)
    VALUES (NULL, 100, 20, 40, 10, 10, '0,5,10,20,50', 20, 500, '2026-11-22T00:00:00Z');
