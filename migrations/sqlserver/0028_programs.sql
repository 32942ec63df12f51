-- 0028 award programs with nominations (SQL Server). Same meaning as migrations/sqlite/0028_programs.sql.
CREATE TABLE award_programs (
    id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_award_programs PRIMARY KEY,
    site_id BIGINT NOT NULL CONSTRAINT fk_award_programs_site REFERENCES sites (id),
    name_zh NVARCHAR(100) NOT NULL,
    name_en NVARCHAR(100) NOT NULL,
    badge_id BIGINT NOT NULL CONSTRAINT fk_award_programs_badge REFERENCES badges (id),
    criteria NVARCHAR(2000) NOT NULL,
    nominators NVARCHAR(16) NOT NULL CONSTRAINT ck_award_programs_nominators CHECK (nominators IN ('everyone', 'supervisors')),
    opens_day INT NOT NULL,
    closes_day INT NOT NULL,
    prize_points INT NOT NULL CONSTRAINT ck_award_programs_prize CHECK (prize_points BETWEEN 0 AND 10000),
    budget INT NOT NULL CONSTRAINT ck_award_programs_budget CHECK (budget BETWEEN 0 AND 1000000),
    status NVARCHAR(16) NOT NULL CONSTRAINT df_award_programs_status DEFAULT 'open' CONSTRAINT ck_award_programs_status CHECK (status IN ('open', 'decided', 'cancelled')),
    created_by BIGINT NOT NULL CONSTRAINT fk_award_programs_created_by REFERENCES employees (id),
    created_utc DATETIME2 NOT NULL,
    decided_by BIGINT NULL CONSTRAINT fk_award_programs_decided_by REFERENCES employees (id),
    decided_utc DATETIME2 NULL,
    CONSTRAINT ck_award_programs_window CHECK (closes_day >= opens_day)
);
CREATE INDEX ix_award_programs_site ON award_programs (site_id, closes_day);
CREATE TABLE program_judges (
    program_id BIGINT NOT NULL CONSTRAINT fk_program_judges_program REFERENCES award_programs (id),
    employee_id BIGINT NOT NULL CONSTRAINT fk_program_judges_employee REFERENCES employees (id),
    CONSTRAINT pk_program_judges PRIMARY KEY (program_id, employee_id)
);
CREATE TABLE nominations (
    id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_nominations PRIMARY KEY,
    program_id BIGINT NOT NULL CONSTRAINT fk_nominations_program REFERENCES award_programs (id),
    nominee_id BIGINT NOT NULL CONSTRAINT fk_nominations_nominee REFERENCES employees (id),
    nominator_id BIGINT NOT NULL CONSTRAINT fk_nominations_nominator REFERENCES employees (id),
    reason NVARCHAR(2000) NOT NULL,
    shortlisted INT NOT NULL CONSTRAINT df_nominations_shortlisted DEFAULT 0,
    recognition_id BIGINT NULL CONSTRAINT fk_nominations_recognition REFERENCES recognitions (id),
    created_utc DATETIME2 NOT NULL,
    CONSTRAINT ux_nominations_once UNIQUE (program_id, nominee_id, nominator_id)
);
CREATE INDEX ix_nominations_nominator ON nominations (nominator_id, program_id);
CREATE TABLE nomination_scores (
    nomination_id BIGINT NOT NULL CONSTRAINT fk_nomination_scores_nomination REFERENCES nominations (id),
    judge_id BIGINT NOT NULL CONSTRAINT fk_nomination_scores_judge REFERENCES employees (id),
    score INT NOT NULL CONSTRAINT ck_nomination_scores_score CHECK (score BETWEEN 1 AND 5),
    scored_utc DATETIME2 NOT NULL,
    CONSTRAINT pk_nomination_scores PRIMARY KEY (nomination_id, judge_id)
);
