-- 0030 one-to-ones (SQL Server). Same meaning as migrations/sqlite/0030_coaching.sql.
CREATE TABLE one_on_ones (
    id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_one_on_ones PRIMARY KEY,
    site_id BIGINT NOT NULL CONSTRAINT fk_one_on_ones_site REFERENCES sites (id),
    employee_id BIGINT NOT NULL CONSTRAINT fk_one_on_ones_employee REFERENCES employees (id),
    supervisor_id BIGINT NOT NULL CONSTRAINT fk_one_on_ones_supervisor REFERENCES employees (id),
    held_day INT NOT NULL,
    note NVARCHAR(1000) NULL,
    next_step NVARCHAR(300) NULL,
    next_step_day INT NULL,
    reminded_utc DATETIME2 NULL,
    created_utc DATETIME2 NOT NULL,
    request_key NVARCHAR(64) NOT NULL CONSTRAINT uq_one_on_ones_key UNIQUE
);
CREATE INDEX ix_one_on_ones_employee ON one_on_ones (employee_id, held_day);
CREATE INDEX ix_one_on_ones_due ON one_on_ones (next_step_day) WHERE reminded_utc IS NULL AND next_step_day IS NOT NULL;
