-- 0009 security (SQL Server). Same table and meaning as migrations/sqlite/0009_security.sql.
CREATE TABLE attempt_counters (
    bucket NVARCHAR(200) NOT NULL PRIMARY KEY,
    failures INT NOT NULL,
    window_start_utc DATETIME2 NOT NULL
);
