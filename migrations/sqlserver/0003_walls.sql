-- 0003 live walls (SQL Server): the relay finds each site's previous event quickly.
CREATE INDEX ix_events_site ON events (site_id, id);
CREATE INDEX ix_point_balances_earned ON point_balances (earned);

-- Leaderboard buckets per person and ISO week (yyyyww) / month (yyyymm), kept by the ledger like the daily ones,
-- so "top 20 this week / this month" walks an index instead of summing days.
CREATE TABLE person_week_points (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    week INT NOT NULL,
    points INT NOT NULL,
    PRIMARY KEY (employee_id, week)
);
CREATE INDEX ix_person_week_points_rank ON person_week_points (week, points);

CREATE TABLE person_month_points (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    month INT NOT NULL,
    points INT NOT NULL,
    PRIMARY KEY (employee_id, month)
);
CREATE INDEX ix_person_month_points_rank ON person_month_points (month, points);
