-- 0023 the social loop (SQLite). Same meaning as migrations/sqlserver/0023_social.sql.
-- Reactions: one of each kind per person per recognition (the key is the rule); a count is the rows.
CREATE TABLE reactions (
    recognition_id INTEGER NOT NULL REFERENCES recognitions (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    kind TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    PRIMARY KEY (recognition_id, employee_id, kind)
) WITHOUT ROWID;
CREATE INDEX ix_reactions_employee ON reactions (employee_id, created_utc);

-- Comments on public recognitions: editable for five minutes by the author, removed (kept, hidden) by the author or an admin.
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    recognition_id INTEGER NOT NULL REFERENCES recognitions (id),
    author_id INTEGER NOT NULL REFERENCES employees (id),
    body TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    edited_utc TEXT NULL,
    removed_utc TEXT NULL,
    removed_by INTEGER NULL REFERENCES employees (id)
);
CREATE INDEX ix_comments_recognition ON comments (recognition_id, id);
