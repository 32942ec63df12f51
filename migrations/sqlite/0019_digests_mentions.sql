-- 0019 digests and mentions (SQLite). Same meaning as migrations/sqlserver/0019_digests_mentions.sql.
-- A chat channel sends each message as it happens, or one daily or weekly digest instead (cadence). A person's chat
-- user id (WeCom/DingTalk user id, Feishu open id, Teams UPN) lets their team's group robot @mention them; people choose
-- whether to be mentioned and whether to get the weekly "what you gave and received" e-mail. A digest delivery carries a
-- key (channel or person, and period) that is unique, so a restart or a second instance never sends a period twice.
-- praise_listed: whether a person appears (as given name and initial) on their team's public thank-you page.
ALTER TABLE channels ADD COLUMN cadence TEXT NOT NULL DEFAULT 'each';
ALTER TABLE employees ADD COLUMN chat_user_id TEXT NULL;
ALTER TABLE employees ADD COLUMN notify_chat INTEGER NOT NULL DEFAULT 1;
ALTER TABLE employees ADD COLUMN notify_weekly INTEGER NOT NULL DEFAULT 1;
ALTER TABLE employees ADD COLUMN praise_listed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE deliveries ADD COLUMN digest_key TEXT NULL;
CREATE UNIQUE INDEX ux_deliveries_digest ON deliveries (digest_key) WHERE digest_key IS NOT NULL;
