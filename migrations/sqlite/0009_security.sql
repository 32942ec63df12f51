-- 0009 security (SQLite): failed-attempt counters shared by every instance and kept across restarts (sign-in per
-- account, per address and per trusted browser; kiosk PINs of unknown numbers; badge scans per kiosk; pairing).
-- One row per bucket and fixed window: an attempt is reserved (counted) before the secret is checked.
CREATE TABLE attempt_counters (
    bucket TEXT NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start_utc TEXT NOT NULL
);
