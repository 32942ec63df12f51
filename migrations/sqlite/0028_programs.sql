-- 0028 award programs with nominations (SQLite). Same meaning as migrations/sqlserver/0028_programs.sql.
-- HR defines a program ("安全之星 · monthly"): its badge, who may nominate, the judges, the nomination window (the site's
-- local days), the criteria, the prize points and the program's budget they come from.
CREATE TABLE award_programs (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    badge_id INTEGER NOT NULL REFERENCES badges (id),
    criteria TEXT NOT NULL,
    nominators TEXT NOT NULL CHECK (nominators IN ('everyone', 'supervisors')),
    opens_day INTEGER NOT NULL,
    closes_day INTEGER NOT NULL,
    prize_points INTEGER NOT NULL CHECK (prize_points BETWEEN 0 AND 10000),
    budget INTEGER NOT NULL CHECK (budget BETWEEN 0 AND 1000000),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided', 'cancelled')),
    created_by INTEGER NOT NULL REFERENCES employees (id),
    created_utc TEXT NOT NULL,
    decided_by INTEGER NULL REFERENCES employees (id),
    decided_utc TEXT NULL,
    CHECK (closes_day >= opens_day)
);
CREATE INDEX ix_award_programs_site ON award_programs (site_id, closes_day);
CREATE TABLE program_judges (
    program_id INTEGER NOT NULL REFERENCES award_programs (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    PRIMARY KEY (program_id, employee_id)
);
-- One nomination per nominator and nominee; only winners are ever shown to anyone but the judges.
CREATE TABLE nominations (
    id INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES award_programs (id),
    nominee_id INTEGER NOT NULL REFERENCES employees (id),
    nominator_id INTEGER NOT NULL REFERENCES employees (id),
    reason TEXT NOT NULL,
    shortlisted INTEGER NOT NULL DEFAULT 0,
    recognition_id INTEGER NULL REFERENCES recognitions (id),
    created_utc TEXT NOT NULL,
    UNIQUE (program_id, nominee_id, nominator_id)
);
CREATE INDEX ix_nominations_nominator ON nominations (nominator_id, program_id);
-- A judge's own score of a nomination (1–5); no judge sees another's.
CREATE TABLE nomination_scores (
    nomination_id INTEGER NOT NULL REFERENCES nominations (id),
    judge_id INTEGER NOT NULL REFERENCES employees (id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    scored_utc TEXT NOT NULL,
    PRIMARY KEY (nomination_id, judge_id)
);
