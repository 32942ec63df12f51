-- 0002 claims, achievement badges and notifications (SQL Server).
CREATE TABLE claims (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    team_id BIGINT NULL REFERENCES teams (id),
    rule_id BIGINT NOT NULL REFERENCES behaviour_rules (id),
    description NVARCHAR(2000) NOT NULL,
    location NVARCHAR(200) NULL,
    status NVARCHAR(10) NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    adopted INT NOT NULL DEFAULT 0,
    points_awarded INT NOT NULL DEFAULT 0,
    recorded_by BIGINT NULL REFERENCES employees (id),
    decided_by BIGINT NULL REFERENCES employees (id),
    decided_utc DATETIME2 NULL,
    decision_reason NVARCHAR(500) NULL,
    created_utc DATETIME2 NOT NULL
);
CREATE INDEX ix_claims_employee ON claims (employee_id, id);
CREATE INDEX ix_claims_team_status ON claims (team_id, status);

CREATE TABLE claim_photos (
    claim_id BIGINT PRIMARY KEY REFERENCES claims (id),
    content_type NVARCHAR(50) NOT NULL,
    bytes VARBINARY(MAX) NOT NULL
);

CREATE TABLE rule_counters (
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    rule_id BIGINT NOT NULL REFERENCES behaviour_rules (id),
    period NVARCHAR(20) NOT NULL,
    used INT NOT NULL,
    PRIMARY KEY (employee_id, rule_id, period)
);

CREATE TABLE achievement_rules (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    badge_id BIGINT NOT NULL REFERENCES badges (id),
    rule_id BIGINT NOT NULL REFERENCES behaviour_rules (id),
    threshold INT NOT NULL CHECK (threshold > 0),
    window_days INT NOT NULL CHECK (window_days > 0),
    bonus_points INT NOT NULL DEFAULT 0
);

CREATE TABLE employee_badges (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    badge_id BIGINT NOT NULL REFERENCES badges (id),
    achievement_rule_id BIGINT NOT NULL REFERENCES achievement_rules (id),
    seq INT NOT NULL,
    verify_code NVARCHAR(64) NOT NULL UNIQUE,
    created_utc DATETIME2 NOT NULL,
    CONSTRAINT uq_employee_badges_seq UNIQUE (employee_id, achievement_rule_id, seq)
);

CREATE TABLE notifications (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    kind NVARCHAR(50) NOT NULL,
    subject_id BIGINT NOT NULL,
    created_utc DATETIME2 NOT NULL,
    read_utc DATETIME2 NULL
);
CREATE INDEX ix_notifications_unread ON notifications (employee_id, read_utc);
