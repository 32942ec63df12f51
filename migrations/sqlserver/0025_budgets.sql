-- 0025 company-funded points and budgets (SQL Server). Same meaning as migrations/sqlite/0025_budgets.sql.
CREATE TABLE company_funding (
    site_id BIGINT NOT NULL CONSTRAINT pk_company_funding PRIMARY KEY CONSTRAINT fk_company_funding_site REFERENCES sites (id),
    spot_budget INT NOT NULL CONSTRAINT ck_company_funding_spot CHECK (spot_budget BETWEEN 0 AND 100000),
    birthday_points INT NOT NULL CONSTRAINT df_company_funding_birthday DEFAULT 0 CONSTRAINT ck_company_funding_birthday CHECK (birthday_points BETWEEN 0 AND 1000),
    anniversary_points INT NOT NULL CONSTRAINT df_company_funding_anniversary DEFAULT 0 CONSTRAINT ck_company_funding_anniversary CHECK (anniversary_points BETWEEN 0 AND 1000),
    first_day_points INT NOT NULL CONSTRAINT df_company_funding_first_day DEFAULT 0 CONSTRAINT ck_company_funding_first_day CHECK (first_day_points BETWEEN 0 AND 1000),
    updated_utc DATETIME2 NOT NULL
);
CREATE TABLE spot_budget_people (
    employee_id BIGINT NOT NULL CONSTRAINT pk_spot_budget_people PRIMARY KEY CONSTRAINT fk_spot_budget_people_employee REFERENCES employees (id),
    monthly INT NOT NULL CONSTRAINT ck_spot_budget_people_monthly CHECK (monthly BETWEEN 0 AND 100000)
);
CREATE TABLE budget_months (
    owner_kind NVARCHAR(16) NOT NULL CONSTRAINT ck_budget_months_kind CHECK (owner_kind IN ('person', 'program')),
    owner_id BIGINT NOT NULL,
    month INT NOT NULL,
    site_id BIGINT NOT NULL CONSTRAINT fk_budget_months_site REFERENCES sites (id),
    budget INT NOT NULL CONSTRAINT ck_budget_months_budget CHECK (budget >= 0),
    spent INT NOT NULL CONSTRAINT df_budget_months_spent DEFAULT 0 CONSTRAINT ck_budget_months_spent CHECK (spent >= 0),
    low_noted INT NOT NULL CONSTRAINT df_budget_months_low DEFAULT 0,
    CONSTRAINT pk_budget_months PRIMARY KEY (owner_kind, owner_id, month),
    CONSTRAINT ck_budget_months_within CHECK (spent <= budget)
);
CREATE INDEX ix_budget_months_site ON budget_months (site_id, month);
