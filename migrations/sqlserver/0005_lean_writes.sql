-- 0005 lean writes (SQL Server). The SQLite twin rebuilds composite-key tables WITHOUT ROWID and makes
-- the ledger's "reverses" key a filtered unique index; here the keys are clustered and that index is
-- filtered already. What both share: the person x day bucket's day index is read by nothing, so it goes.
DROP INDEX ix_person_day_points_day ON person_day_points;
