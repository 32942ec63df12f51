-- 0002 claims, achievement badges and notifications (SQLite).
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    team_id INTEGER NULL REFERENCES teams (id),
    rule_id INTEGER NOT NULL REFERENCES behaviour_rules (id),
    description TEXT NOT NULL,
    location TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    adopted INTEGER NOT NULL DEFAULT 0,
    points_awarded INTEGER NOT NULL DEFAULT 0,
    recorded_by INTEGER NULL REFERENCES employees (id),
    decided_by INTEGER NULL REFERENCES employees (id),
    decided_utc TEXT NULL,
    decision_reason TEXT NULL,
    created_utc TEXT NOT NULL
);
CREATE INDEX ix_claims_employee ON claims (employee_id, id);
CREATE INDEX ix_claims_team_status ON claims (team_id, status);

CREATE TABLE claim_photos (
    claim_id INTEGER PRIMARY KEY REFERENCES claims (id),
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL
);

-- Counts approved claims per rule and period, so caps are enforced by one conditional UPDATE.
CREATE TABLE rule_counters (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    rule_id INTEGER NOT NULL REFERENCES behaviour_rules (id),
    period TEXT NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (employee_id, rule_id, period)
);

CREATE TABLE achievement_rules (
    id INTEGER PRIMARY KEY,
    badge_id INTEGER NOT NULL REFERENCES badges (id),
    rule_id INTEGER NOT NULL REFERENCES behaviour_rules (id),
    threshold INTEGER NOT NULL CHECK (threshold > 0),
    window_days INTEGER NOT NULL CHECK (window_days > 0),
    bonus_points INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE employee_badges (
    id INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    badge_id INTEGER NOT NULL REFERENCES badges (id),
    achievement_rule_id INTEGER NOT NULL REFERENCES achievement_rules (id),
    seq INTEGER NOT NULL,
    verify_code TEXT NOT NULL UNIQUE,
    created_utc TEXT NOT NULL,
    UNIQUE (employee_id, achievement_rule_id, seq)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    created_utc TEXT NOT NULL,
    read_utc TEXT NULL
);
CREATE INDEX ix_notifications_unread ON notifications (employee_id, read_utc);
