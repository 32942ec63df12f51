-- 0010 rewards (SQLite): a catalogue per site, orders and their fulfilment, per-person limits, the site's reward
-- settings (points-to-money rate, second approval, optional expiry), and a balance that can never go below zero.

-- point_balances gains CHECK (balance >= 0) (SQLite adds a CHECK only by rebuilding the table). Until now only
-- earned entries and their reversals moved balances, so no existing balance is negative.
CREATE TABLE point_balances_new (
    employee_id INTEGER PRIMARY KEY REFERENCES employees (id),
    earned INTEGER NOT NULL,
    balance INTEGER NOT NULL CHECK (balance >= 0)
);
INSERT INTO point_balances_new (employee_id, earned, balance) SELECT employee_id, earned, balance FROM point_balances;
DROP TABLE point_balances;
ALTER TABLE point_balances_new RENAME TO point_balances;
CREATE INDEX ix_point_balances_earned ON point_balances (earned);

CREATE TABLE reward_settings (
    site_id INTEGER PRIMARY KEY REFERENCES sites (id),
    point_value_e4 INTEGER NOT NULL DEFAULT 0 CHECK (point_value_e4 >= 0), -- money per point, in ten-thousandths
    currency TEXT NOT NULL DEFAULT 'CNY',
    second_approval_points INTEGER NULL CHECK (second_approval_points IS NULL OR second_approval_points >= 1),
    expiry_months INTEGER NULL CHECK (expiry_months IS NULL OR expiry_months BETWEEN 1 AND 120),
    updated_utc TEXT NOT NULL
);

CREATE TABLE rewards (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    category TEXT NOT NULL CHECK (category IN ('physical', 'voucher', 'experience')),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    cost INTEGER NOT NULL CHECK (cost >= 1),
    stock INTEGER NULL CHECK (stock IS NULL OR stock >= 0), -- NULL: unlimited
    stocked INTEGER NOT NULL DEFAULT 0 CHECK (stocked >= 0), -- everything ever put in stock
    limit_count INTEGER NULL CHECK (limit_count IS NULL OR limit_count >= 1),
    limit_period TEXT NULL CHECK (limit_period IS NULL OR limit_period IN ('month', 'quarter')),
    requires_approval INTEGER NOT NULL DEFAULT 1,
    active_from INTEGER NULL, -- site-local day yyyymmdd, inclusive
    active_to INTEGER NULL,
    active INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    CHECK ((limit_count IS NULL) = (limit_period IS NULL)),
    CHECK (active_to IS NULL OR active_from IS NULL OR active_to >= active_from)
);
CREATE INDEX ix_rewards_site ON rewards (site_id, active);

CREATE TABLE reward_photos (
    reward_id INTEGER PRIMARY KEY REFERENCES rewards (id),
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL
);

CREATE TABLE reward_orders (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    reward_id INTEGER NOT NULL REFERENCES rewards (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    quantity INTEGER NOT NULL CHECK (quantity >= 1),
    cost_each INTEGER NOT NULL CHECK (cost_each >= 1),
    points INTEGER NOT NULL CHECK (points >= 1),
    period TEXT NULL, -- the per-person limit's period this order counts in (m202611, q20264)
    local_day INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'ready', 'handed_over', 'declined', 'cancelled')),
    approvals_needed INTEGER NOT NULL CHECK (approvals_needed BETWEEN 0 AND 2),
    approved_by INTEGER NULL REFERENCES employees (id),
    approved_utc TEXT NULL,
    second_approved_by INTEGER NULL REFERENCES employees (id),
    second_approved_utc TEXT NULL,
    pickup_code TEXT NULL,
    ready_by INTEGER NULL REFERENCES employees (id),
    ready_utc TEXT NULL,
    handed_by INTEGER NULL REFERENCES employees (id),
    handed_utc TEXT NULL,
    closed_by INTEGER NULL REFERENCES employees (id),
    closed_utc TEXT NULL,
    closed_reason TEXT NULL,
    created_utc TEXT NOT NULL,
    CHECK (second_approved_by IS NULL OR second_approved_by <> approved_by)
);
CREATE UNIQUE INDEX ux_reward_orders_pickup ON reward_orders (pickup_code) WHERE pickup_code IS NOT NULL;
CREATE INDEX ix_reward_orders_employee ON reward_orders (employee_id, id);
CREATE INDEX ix_reward_orders_site_status ON reward_orders (site_id, status, id);
CREATE INDEX ix_reward_orders_reward ON reward_orders (reward_id, local_day);

-- Per-person limits: one conditional upsert whose row count decides.
CREATE TABLE reward_takes (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    reward_id INTEGER NOT NULL REFERENCES rewards (id),
    period TEXT NOT NULL,
    taken INTEGER NOT NULL CHECK (taken >= 0),
    PRIMARY KEY (employee_id, reward_id, period)
) WITHOUT ROWID;

-- Expiry announcements already sent (one per person and expiry date), so the daily job tells each person once.
CREATE TABLE expiry_notices (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    expires_day INTEGER NOT NULL,
    points INTEGER NOT NULL,
    created_utc TEXT NOT NULL,
    PRIMARY KEY (employee_id, expires_day)
) WITHOUT ROWID;
