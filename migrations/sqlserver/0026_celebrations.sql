-- 0026 celebrations (SQL Server). Same meaning as migrations/sqlite/0026_celebrations.sql.
ALTER TABLE employees ADD birth_mmdd INT NULL;
ALTER TABLE employees ADD birthday_public INT NOT NULL CONSTRAINT df_employees_birthday_public DEFAULT 0;
ALTER TABLE employees ADD celebrate_opt_out INT NOT NULL CONSTRAINT df_employees_celebrate_opt_out DEFAULT 0;
CREATE TABLE celebrations (
    id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_celebrations PRIMARY KEY,
    site_id BIGINT NOT NULL CONSTRAINT fk_celebrations_site REFERENCES sites (id),
    employee_id BIGINT NOT NULL CONSTRAINT fk_celebrations_employee REFERENCES employees (id),
    team_id BIGINT NULL CONSTRAINT fk_celebrations_team REFERENCES teams (id),
    kind NVARCHAR(16) NOT NULL CONSTRAINT ck_celebrations_kind CHECK (kind IN ('birthday', 'anniversary', 'first_day')),
    year INT NOT NULL,
    years INT NOT NULL CONSTRAINT df_celebrations_years DEFAULT 0,
    local_day INT NOT NULL,
    points INT NOT NULL CONSTRAINT df_celebrations_points DEFAULT 0,
    created_utc DATETIME2 NOT NULL,
    CONSTRAINT ux_celebrations_once UNIQUE (employee_id, kind, year)
);
CREATE INDEX ix_celebrations_site_day ON celebrations (site_id, local_day);
