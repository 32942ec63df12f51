-- 0023 the social loop (SQL Server). Same meaning as migrations/sqlite/0023_social.sql.
CREATE TABLE reactions (
    recognition_id BIGINT NOT NULL CONSTRAINT fk_reactions_recognition REFERENCES recognitions (id),
    employee_id BIGINT NOT NULL CONSTRAINT fk_reactions_employee REFERENCES employees (id),
    kind NVARCHAR(16) NOT NULL,
    created_utc DATETIME2 NOT NULL,
    CONSTRAINT pk_reactions PRIMARY KEY (recognition_id, employee_id, kind)
);
CREATE INDEX ix_reactions_employee ON reactions (employee_id, created_utc);

CREATE TABLE comments (
    id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_comments PRIMARY KEY,
    recognition_id BIGINT NOT NULL CONSTRAINT fk_comments_recognition REFERENCES recognitions (id),
    author_id BIGINT NOT NULL CONSTRAINT fk_comments_author REFERENCES employees (id),
    body NVARCHAR(1000) NOT NULL,
    created_utc DATETIME2 NOT NULL,
    edited_utc DATETIME2 NULL,
    removed_utc DATETIME2 NULL,
    removed_by BIGINT NULL CONSTRAINT fk_comments_removed_by REFERENCES employees (id)
);
CREATE INDEX ix_comments_recognition ON comments (recognition_id, id);
