-- 0010 rewards (SQL Server). Same tables and meaning as migrations/sqlite/0010_rewards.sql.
ALTER TABLE point_balances ADD CONSTRAINT ck_point_balances_balance CHECK (balance >= 0);

CREATE TABLE reward_settings (
    site_id BIGINT PRIMARY KEY REFERENCES sites (id),
    point_value_e4 INT NOT NULL DEFAULT 0 CHECK (point_value_e4 >= 0),
    currency NVARCHAR(3) NOT NULL DEFAULT 'CNY',
    second_approval_points INT NULL CHECK (second_approval_points IS NULL OR second_approval_points >= 1),
    expiry_months INT NULL CHECK (expiry_months IS NULL OR expiry_months BETWEEN 1 AND 120),
    updated_utc DATETIME2 NOT NULL
);

CREATE TABLE rewards (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    category NVARCHAR(12) NOT NULL CHECK (category IN ('physical', 'voucher', 'experience')),
    name_zh NVARCHAR(100) NOT NULL,
    name_en NVARCHAR(100) NOT NULL,
    description_zh NVARCHAR(1000) NOT NULL,
    description_en NVARCHAR(1000) NOT NULL,
    cost INT NOT NULL CHECK (cost >= 1),
    stock INT NULL CHECK (stock IS NULL OR stock >= 0),
    stocked INT NOT NULL DEFAULT 0 CHECK (stocked >= 0),
    limit_count INT NULL CHECK (limit_count IS NULL OR limit_count >= 1),
    limit_period NVARCHAR(10) NULL CHECK (limit_period IS NULL OR limit_period IN ('month', 'quarter')),
    requires_approval INT NOT NULL DEFAULT 1,
    active_from INT NULL,
    active_to INT NULL,
    active INT NOT NULL DEFAULT 1,
    version INT NOT NULL DEFAULT 1,
    created_utc DATETIME2 NOT NULL,
    updated_utc DATETIME2 NOT NULL,
    CHECK ((limit_count IS NULL AND limit_period IS NULL) OR (limit_count IS NOT NULL AND limit_period IS NOT NULL)),
    CHECK (active_to IS NULL OR active_from IS NULL OR active_to >= active_from)
);
CREATE INDEX ix_rewards_site ON rewards (site_id, active);

CREATE TABLE reward_photos (
    reward_id BIGINT PRIMARY KEY REFERENCES rewards (id),
    content_type NVARCHAR(50) NOT NULL,
    bytes VARBINARY(MAX) NOT NULL
);

CREATE TABLE reward_orders (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    reward_id BIGINT NOT NULL REFERENCES rewards (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    quantity INT NOT NULL CHECK (quantity >= 1),
    cost_each INT NOT NULL CHECK (cost_each >= 1),
    points INT NOT NULL CHECK (points >= 1),
    period NVARCHAR(10) NULL,
    local_day INT NOT NULL,
    status NVARCHAR(12) NOT NULL CHECK (status IN ('pending', 'approved', 'ready', 'handed_over', 'declined', 'cancelled')),
    approvals_needed INT NOT NULL CHECK (approvals_needed BETWEEN 0 AND 2),
    approved_by BIGINT NULL REFERENCES employees (id),
    approved_utc DATETIME2 NULL,
    second_approved_by BIGINT NULL REFERENCES employees (id),
    second_approved_utc DATETIME2 NULL,
    pickup_code NVARCHAR(20) NULL,
    ready_by BIGINT NULL REFERENCES employees (id),
    ready_utc DATETIME2 NULL,
    handed_by BIGINT NULL REFERENCES employees (id),
    handed_utc DATETIME2 NULL,
    closed_by BIGINT NULL REFERENCES employees (id),
    closed_utc DATETIME2 NULL,
    closed_reason NVARCHAR(500) NULL,
    created_utc DATETIME2 NOT NULL,
    CHECK (second_approved_by IS NULL OR second_approved_by <> approved_by)
);
CREATE UNIQUE INDEX ux_reward_orders_pickup ON reward_orders (pickup_code) WHERE pickup_code IS NOT NULL;
CREATE INDEX ix_reward_orders_employee ON reward_orders (employee_id, id);
CREATE INDEX ix_reward_orders_site_status ON reward_orders (site_id, status, id);
CREATE INDEX ix_reward_orders_reward ON reward_orders (reward_id, local_day);

CREATE TABLE reward_takes (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    reward_id BIGINT NOT NULL REFERENCES rewards (id),
    period NVARCHAR(10) NOT NULL,
    taken INT NOT NULL CHECK (taken >= 0),
    PRIMARY KEY (employee_id, reward_id, period)
);

CREATE TABLE expiry_notices (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    expires_day INT NOT NULL,
    points INT NOT NULL,
    created_utc DATETIME2 NOT NULL,
    PRIMARY KEY (employee_id, expires_day)
);
