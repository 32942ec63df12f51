-- 0021 kiosk report choices (SQL Server). Same meaning as migrations/sqlite/0021_claim_quick_pick.sql.
ALTER TABLE claims ADD
    quick_pick NVARCHAR(40) NULL,
    area_id BIGINT NULL CONSTRAINT fk_claims_area REFERENCES site_areas (id),
    note NVARCHAR(2000) NULL;
