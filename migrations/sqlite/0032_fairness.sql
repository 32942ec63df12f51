-- 0032 fairness of value (SQLite). Same meaning as migrations/sqlserver/0032_fairness.sql.
-- Optional gender, recorded by HR only where the plant does (f, m, x: another or not said); nothing else reads it.
ALTER TABLE employees ADD COLUMN gender TEXT NULL CHECK (gender IN ('f', 'm', 'x'));
-- Per person, the last 90 days: recognitions received with points, and the points they carried.
ALTER TABLE ins_person_recent ADD COLUMN with_points90 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ins_person_recent ADD COLUMN points90 INTEGER NOT NULL DEFAULT 0;
-- One more kind of finding: a group's points per recognition or share with points differs from the site's by more than
-- the margin. SQLite cannot change a CHECK in place: the table is rebuilt with its rows.
CREATE TABLE insight_clues_new (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    kind TEXT NOT NULL CHECK (kind IN ('reciprocal', 'ring', 'burst', 'duplicate', 'template', 'reciprocal_addon', 'reaction_ring', 'team_health', 'fairness')),
    clue_key TEXT NOT NULL UNIQUE,
    people TEXT NOT NULL,
    evidence TEXT NOT NULL,
    detail TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'dismissed', 'revoked')),
    found_utc TEXT NOT NULL,
    decided_by INTEGER NULL REFERENCES employees (id),
    decided_utc TEXT NULL
);
INSERT INTO insight_clues_new (id, site_id, kind, clue_key, people, evidence, detail, status, found_utc, decided_by, decided_utc)
    SELECT id, site_id, kind, clue_key, people, evidence, detail, status, found_utc, decided_by, decided_utc FROM insight_clues;
DROP TABLE insight_clues;
ALTER TABLE insight_clues_new RENAME TO insight_clues;
CREATE INDEX ix_insight_clues_site_status ON insight_clues (site_id, status, id);
