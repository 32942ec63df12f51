-- 0021 kiosk report choices (SQLite). Same meaning as migrations/sqlserver/0021_claim_quick_pick.sql.
-- A kiosk hazard report's quick-pick answer is stored as its choice (a resource key) with the area's id and the reporter's
-- own note, so each reader sees it in their language; description keeps the reporter's-language text for everything else.
ALTER TABLE claims ADD COLUMN quick_pick TEXT NULL;
ALTER TABLE claims ADD COLUMN area_id INTEGER NULL REFERENCES site_areas (id);
ALTER TABLE claims ADD COLUMN note TEXT NULL;
