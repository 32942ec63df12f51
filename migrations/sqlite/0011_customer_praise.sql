-- 0011 customer praise (SQLite): public thank-you codes per team, opted-in person and site area; the submissions that
-- wait for moderation; and recognitions that came from a customer (source 'customer', with the company or name they gave).
CREATE TABLE praise_codes (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    kind TEXT NOT NULL CHECK (kind IN ('team', 'person', 'area')),
    team_id INTEGER NULL REFERENCES teams (id),
    employee_id INTEGER NULL REFERENCES employees (id),
    area_id INTEGER NULL REFERENCES site_areas (id),
    code TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1,
    created_utc TEXT NOT NULL,
    retired_utc TEXT NULL,
    CHECK ((kind = 'team' AND team_id IS NOT NULL AND employee_id IS NULL AND area_id IS NULL)
        OR (kind = 'person' AND employee_id IS NOT NULL AND team_id IS NULL AND area_id IS NULL)
        OR (kind = 'area' AND area_id IS NOT NULL AND team_id IS NULL AND employee_id IS NULL))
);
CREATE INDEX ix_praise_codes_site ON praise_codes (site_id, kind, active);

ALTER TABLE employees ADD COLUMN praise_opt_in INTEGER NOT NULL DEFAULT 0;

CREATE TABLE praise_submissions (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    code_id INTEGER NOT NULL REFERENCES praise_codes (id),
    team_id INTEGER NULL REFERENCES teams (id),
    employee_id INTEGER NULL REFERENCES employees (id), -- NULL: the whole team
    value_id INTEGER NULL REFERENCES core_values (id),
    message TEXT NOT NULL,
    author_name TEXT NULL,
    company TEXT NULL,
    contact TEXT NULL, -- never shown publicly; purged with a rejected submission
    text_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by INTEGER NULL REFERENCES employees (id),
    decided_utc TEXT NULL,
    recognition_id INTEGER NULL REFERENCES recognitions (id),
    created_utc TEXT NOT NULL
);
CREATE INDEX ix_praise_submissions_site_status ON praise_submissions (site_id, status, id);
CREATE INDEX ix_praise_submissions_hash ON praise_submissions (site_id, text_hash);

ALTER TABLE recognitions ADD COLUMN source TEXT NOT NULL DEFAULT 'peer' CHECK (source IN ('peer', 'customer'));
ALTER TABLE recognitions ADD COLUMN external_from TEXT NULL;
