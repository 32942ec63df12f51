-- 0019 digests and mentions (SQL Server). Same meaning as migrations/sqlite/0019_digests_mentions.sql.
ALTER TABLE channels ADD cadence NVARCHAR(16) NOT NULL CONSTRAINT df_channels_cadence DEFAULT 'each';
ALTER TABLE employees ADD
    chat_user_id NVARCHAR(128) NULL,
    notify_chat INT NOT NULL CONSTRAINT df_employees_notify_chat DEFAULT 1,
    notify_weekly INT NOT NULL CONSTRAINT df_employees_notify_weekly DEFAULT 1,
    praise_listed INT NOT NULL CONSTRAINT df_employees_praise_listed DEFAULT 1;
ALTER TABLE deliveries ADD digest_key NVARCHAR(200) NULL;
CREATE UNIQUE INDEX ux_deliveries_digest ON deliveries (digest_key) WHERE digest_key IS NOT NULL;
