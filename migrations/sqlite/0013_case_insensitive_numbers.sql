-- One person, one employee number and one badge code whatever the case: e0001 beside E0001 is refused by the database.
-- Existing twins were renamed (the newer person's number gets -DUP<id>, the newer badge code is cleared) and audited
-- as employee.case_twin before this script runs. SQLite's UPPER folds ASCII, and employee numbers are ASCII.
CREATE UNIQUE INDEX ux_employees_employee_no_ci ON employees (UPPER(employee_no));
CREATE UNIQUE INDEX ux_employees_badge_code_ci ON employees (UPPER(badge_code)) WHERE badge_code IS NOT NULL;
