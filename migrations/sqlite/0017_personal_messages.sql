-- 0017 personal messages (SQLite). Same meaning as migrations/sqlserver/0017_personal_messages.sql.
-- A person's e-mail choice and quiet hours (in their site's zone; from = to or both empty: none); a delivery made for
-- one person (an e-mail channel's message) names them. Personal deliveries are made from the notifications table, which
-- is written in the transaction of the change it announces.
ALTER TABLE employees ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 1;
ALTER TABLE employees ADD COLUMN quiet_from INTEGER NULL;
ALTER TABLE employees ADD COLUMN quiet_to INTEGER NULL;
ALTER TABLE deliveries ADD COLUMN employee_id INTEGER NULL REFERENCES employees (id);
