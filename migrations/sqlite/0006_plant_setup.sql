-- 0006 plant setup (SQLite): what an HR admin now manages in the app. Sites get a default language and can be
-- deactivated, shifts too; people get a manager, a security stamp (a change signs their sessions out), a version
-- (two admins saving the same person: the second is told), and a one-time password-reset link. Teams may have
-- several leaders (team_leaders replaces teams.supervisor_id). Audit entries carry the site and before/after.
ALTER TABLE sites ADD COLUMN default_locale TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE sites ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE shifts ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

ALTER TABLE employees ADD COLUMN manager_id INTEGER NULL REFERENCES employees (id);
ALTER TABLE employees ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE employees ADD COLUMN password_reset_hash TEXT NULL;
ALTER TABLE employees ADD COLUMN password_reset_expires_utc TEXT NULL;
CREATE INDEX ix_employees_site ON employees (site_id, employee_no);
CREATE INDEX ix_employees_manager ON employees (manager_id);
CREATE UNIQUE INDEX ux_employees_reset ON employees (password_reset_hash) WHERE password_reset_hash IS NOT NULL;

CREATE TABLE team_leaders (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    PRIMARY KEY (team_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX ix_team_leaders_employee ON team_leaders (employee_id, team_id);
INSERT INTO team_leaders (team_id, employee_id) SELECT id, supervisor_id FROM teams WHERE supervisor_id IS NOT NULL;
ALTER TABLE teams DROP COLUMN supervisor_id;

ALTER TABLE audit_log ADD COLUMN site_id INTEGER NULL;
ALTER TABLE audit_log ADD COLUMN before_json TEXT NULL;
ALTER TABLE audit_log ADD COLUMN after_json TEXT NULL;
CREATE INDEX ix_audit_log_site ON audit_log (site_id, id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, id);
