-- 0020 device status (SQLite). Same meaning as migrations/sqlserver/0020_device_status.sql.
-- What the admin sees of each wall and kiosk: when it was last connected to any instance (refreshed while connected),
-- when it last went away, the app version its page runs and its screen size (both as the device reported them, bounded).
ALTER TABLE devices ADD COLUMN last_seen_utc TEXT NULL;
ALTER TABLE devices ADD COLUMN offline_utc TEXT NULL;
ALTER TABLE devices ADD COLUMN app_version TEXT NULL;
ALTER TABLE devices ADD COLUMN screen TEXT NULL;
