-- 0012 insights (SQLite): rollups the insights pages read (rebuilt from the recognitions every hour and on demand, so a
-- revocation is reflected on the next rebuild), and the anti-gaming review queue. Weeks are ISO weeks yyyyww in the
-- site's time zone.
CREATE TABLE ins_team_week (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    week INTEGER NOT NULL,
    received INTEGER NOT NULL, -- recognitions received by the team's members (one per recipient)
    received_outside INTEGER NOT NULL, -- of which from someone outside the team
    given INTEGER NOT NULL, -- recognitions given by the team's members
    PRIMARY KEY (team_id, week)
) WITHOUT ROWID;

CREATE TABLE ins_person_week (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    week INTEGER NOT NULL,
    received INTEGER NOT NULL,
    received_outside INTEGER NOT NULL,
    given INTEGER NOT NULL,
    PRIMARY KEY (employee_id, week)
) WITHOUT ROWID;

-- A snapshot per person at the last rebuild: the last 30 and 60 days.
CREATE TABLE ins_person_recent (
    employee_id INTEGER PRIMARY KEY REFERENCES employees (id),
    gave30 INTEGER NOT NULL,
    received30 INTEGER NOT NULL,
    gave_reports30 INTEGER NOT NULL, -- to their own direct reports
    gave_reports60 INTEGER NOT NULL,
    received90 INTEGER NOT NULL
);

CREATE TABLE ins_person_value (
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    value_id INTEGER NOT NULL REFERENCES core_values (id),
    n INTEGER NOT NULL,
    PRIMARY KEY (employee_id, value_id)
) WITHOUT ROWID;

CREATE TABLE ins_builds (
    site_id INTEGER PRIMARY KEY REFERENCES sites (id),
    built_utc TEXT NOT NULL,
    took_ms INTEGER NOT NULL,
    recognitions INTEGER NOT NULL
);

-- Anti-gaming clues: evidence for a conversation, never an automatic action. One row per finding; the same finding
-- found again keeps its row (key) and its decision.
CREATE TABLE insight_clues (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    kind TEXT NOT NULL CHECK (kind IN ('reciprocal', 'ring', 'burst', 'duplicate', 'template')),
    clue_key TEXT NOT NULL UNIQUE,
    people TEXT NOT NULL, -- employee ids, comma-separated
    evidence TEXT NOT NULL, -- recognition ids, comma-separated
    detail TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'dismissed', 'revoked')),
    found_utc TEXT NOT NULL,
    decided_by INTEGER NULL REFERENCES employees (id),
    decided_utc TEXT NULL
);
CREATE INDEX ix_insight_clues_site_status ON insight_clues (site_id, status, id);
