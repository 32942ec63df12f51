-- 0004 kiosk (SQLite): PIN lockout and the site's list of areas for hazard reports.
ALTER TABLE employees ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN pin_locked_until_utc TEXT NULL;

CREATE TABLE site_areas (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
