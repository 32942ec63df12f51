-- 0004 kiosk (SQL Server): PIN lockout and the site's list of areas for hazard reports.
ALTER TABLE employees ADD pin_failures INT NOT NULL DEFAULT 0, pin_locked_until_utc DATETIME2 NULL;

CREATE TABLE site_areas (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    name_zh NVARCHAR(100) NOT NULL,
    name_en NVARCHAR(100) NOT NULL,
    active INT NOT NULL DEFAULT 1
);
