-- 0003 live walls (SQL Server): the relay finds each site's previous event quickly.
CREATE INDEX ix_events_site ON events (site_id, id);
CREATE INDEX ix_point_balances_earned ON point_balances (earned);
