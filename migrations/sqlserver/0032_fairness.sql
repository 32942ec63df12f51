-- 0032 fairness of value (SQL Server). Same meaning as migrations/sqlite/0032_fairness.sql.
ALTER TABLE employees ADD gender NVARCHAR(1) NULL CONSTRAINT ck_employees_gender CHECK (gender IN ('f', 'm', 'x'));
ALTER TABLE ins_person_recent ADD with_points90 INT NOT NULL CONSTRAINT df_ins_person_recent_wp90 DEFAULT 0;
ALTER TABLE ins_person_recent ADD points90 INT NOT NULL CONSTRAINT df_ins_person_recent_p90 DEFAULT 0;
ALTER TABLE insight_clues DROP CONSTRAINT ck_insight_clues_kind;
ALTER TABLE insight_clues ADD CONSTRAINT ck_insight_clues_kind
    CHECK (kind IN ('reciprocal', 'ring', 'burst', 'duplicate', 'template', 'reciprocal_addon', 'reaction_ring', 'team_health', 'fairness'));
