-- One person, one employee number and one badge code whatever the case, even on a case-sensitive collation.
-- Existing twins were renamed (the newer person's number gets -DUP<id>, the newer badge code is cleared) and audited
-- as employee.case_twin before this script runs. A badge code never contains whitespace, so ' ' + id stands for "none".
ALTER TABLE employees ADD employee_no_key AS UPPER(employee_no) PERSISTED;
ALTER TABLE employees ADD badge_code_key AS COALESCE(UPPER(badge_code), N' ' + CAST(id AS NVARCHAR(20))) PERSISTED;
GO
CREATE UNIQUE INDEX ux_employees_employee_no_ci ON employees (employee_no_key);
CREATE UNIQUE INDEX ux_employees_badge_code_ci ON employees (badge_code_key);
