-- 0024 add-on points (SQL Server). Same meaning as migrations/sqlite/0024_addons.sql.
CREATE TABLE recognition_addons (
    id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_recognition_addons PRIMARY KEY,
    recognition_id BIGINT NOT NULL CONSTRAINT fk_recognition_addons_recognition REFERENCES recognitions (id),
    giver_id BIGINT NOT NULL CONSTRAINT fk_recognition_addons_giver REFERENCES employees (id),
    points_each INT NOT NULL CONSTRAINT ck_recognition_addons_points CHECK (points_each > 0),
    message NVARCHAR(500) NULL,
    created_utc DATETIME2 NOT NULL
);
CREATE INDEX ix_recognition_addons_recognition ON recognition_addons (recognition_id, id);
CREATE INDEX ix_recognition_addons_giver ON recognition_addons (giver_id, created_utc);
