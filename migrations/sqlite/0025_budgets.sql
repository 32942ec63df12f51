-- 0025 company-funded points and budgets (SQLite). Same meaning as migrations/sqlserver/0025_budgets.sql.
-- Per site: a supervisor's monthly spot-award budget (separate from the peer allowance) and the points a celebration
-- brings. No row: the product's defaults (a spot budget of 200, celebrations without points).
CREATE TABLE company_funding (
    site_id INTEGER PRIMARY KEY REFERENCES sites (id),
    spot_budget INTEGER NOT NULL CHECK (spot_budget BETWEEN 0 AND 100000),
    birthday_points INTEGER NOT NULL DEFAULT 0 CHECK (birthday_points BETWEEN 0 AND 1000),
    anniversary_points INTEGER NOT NULL DEFAULT 0 CHECK (anniversary_points BETWEEN 0 AND 1000),
    first_day_points INTEGER NOT NULL DEFAULT 0 CHECK (first_day_points BETWEEN 0 AND 1000),
    updated_utc TEXT NOT NULL
);
-- One supervisor's own monthly spot budget, set by HR instead of the site's.
CREATE TABLE spot_budget_people (
    employee_id INTEGER PRIMARY KEY REFERENCES employees (id),
    monthly INTEGER NOT NULL CHECK (monthly BETWEEN 0 AND 100000)
);
-- A budget's month: created on first use with that month's amount; spent moves by one conditional update.
CREATE TABLE budget_months (
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('person', 'program')),
    owner_id INTEGER NOT NULL,
    month INTEGER NOT NULL,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    budget INTEGER NOT NULL CHECK (budget >= 0),
    spent INTEGER NOT NULL DEFAULT 0 CHECK (spent >= 0),
    low_noted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner_kind, owner_id, month),
    CHECK (spent <= budget)
);
CREATE INDEX ix_budget_months_site ON budget_months (site_id, month);
