-- 0006 plant setup (SQL Server). Same numbers and meaning as migrations/sqlite/0006_plant_setup.sql.
-- GO separates batches (FluentMigrator splits on it): a column added in a batch can't be used later in the same batch.
ALTER TABLE sites ADD default_locale NVARCHAR(10) NOT NULL CONSTRAINT df_sites_default_locale DEFAULT 'zh-CN',
    active INT NOT NULL CONSTRAINT df_sites_active DEFAULT 1;
ALTER TABLE shifts ADD active INT NOT NULL CONSTRAINT df_shifts_active DEFAULT 1;

ALTER TABLE employees ADD manager_id BIGINT NULL CONSTRAINT fk_employees_manager REFERENCES employees (id),
    security_stamp NVARCHAR(64) NOT NULL CONSTRAINT df_employees_security_stamp DEFAULT '',
    version INT NOT NULL CONSTRAINT df_employees_version DEFAULT 1,
    password_reset_hash NVARCHAR(64) NULL,
    password_reset_expires_utc DATETIME2 NULL;
GO
CREATE INDEX ix_employees_site ON employees (site_id, employee_no);
CREATE INDEX ix_employees_manager ON employees (manager_id);
CREATE UNIQUE INDEX ux_employees_reset ON employees (password_reset_hash) WHERE password_reset_hash IS NOT NULL;

CREATE TABLE team_leaders (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    PRIMARY KEY (team_id, employee_id)
);
CREATE INDEX ix_team_leaders_employee ON team_leaders (employee_id, team_id);
INSERT INTO team_leaders (team_id, employee_id) SELECT id, supervisor_id FROM teams WHERE supervisor_id IS NOT NULL;
ALTER TABLE teams DROP COLUMN supervisor_id;

ALTER TABLE audit_log ADD site_id BIGINT NULL, before_json NVARCHAR(MAX) NULL, after_json NVARCHAR(MAX) NULL;
GO
CREATE INDEX ix_audit_log_site ON audit_log (site_id, id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, id);
