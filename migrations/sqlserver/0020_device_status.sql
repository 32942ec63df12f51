-- 0020 device status (SQL Server). Same meaning as migrations/sqlite/0020_device_status.sql.
ALTER TABLE devices ADD
    last_seen_utc DATETIME2 NULL,
    offline_utc DATETIME2 NULL,
    app_version NVARCHAR(40) NULL,
    screen NVARCHAR(20) NULL;
