-- 0017 personal messages (SQL Server). Same meaning as migrations/sqlite/0017_personal_messages.sql; notifications get
-- a rowversion so the mail dispatcher reads only settled rows (as the relay does with events).
ALTER TABLE employees ADD
    notify_email INT NOT NULL CONSTRAINT df_employees_notify_email DEFAULT 1,
    quiet_from INT NULL,
    quiet_to INT NULL;
ALTER TABLE deliveries ADD employee_id BIGINT NULL REFERENCES employees (id);
ALTER TABLE notifications ADD rv ROWVERSION;
