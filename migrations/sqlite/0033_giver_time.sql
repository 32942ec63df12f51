-- 0033 a giver's recognitions by time (SQLite). Same meaning as migrations/sqlserver/0033_giver_time.sql.
-- Counting what a supervisor gave in the last 90 days (the insights page's cadence table, the one-to-one card) read
-- every one of their recognitions from the table; this index answers it by itself.
CREATE INDEX ix_recognitions_giver_time ON recognitions (giver_id, created_utc, status, source);
