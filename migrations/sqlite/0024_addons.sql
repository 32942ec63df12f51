-- 0024 add-on points (SQLite). Same meaning as migrations/sqlserver/0024_addons.sql.
-- Someone with allowance left adds points to another's public recognition: points_each goes to every recipient, from the
-- adder's allowance, posted to the ledger as earned points with source 'addon' (so revoking the recognition reverses them).
CREATE TABLE recognition_addons (
    id INTEGER PRIMARY KEY,
    recognition_id INTEGER NOT NULL REFERENCES recognitions (id),
    giver_id INTEGER NOT NULL REFERENCES employees (id),
    points_each INTEGER NOT NULL CHECK (points_each > 0),
    message TEXT NULL,
    created_utc TEXT NOT NULL
);
CREATE INDEX ix_recognition_addons_recognition ON recognition_addons (recognition_id, id);
CREATE INDEX ix_recognition_addons_giver ON recognition_addons (giver_id, created_utc);
