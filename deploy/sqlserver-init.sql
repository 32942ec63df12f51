-- Run once per deployment by docker-compose's db-init service (as sa, which the app never uses).
-- Creates the database and the app's own login with only what it needs: read and write rows, and the DDL
-- its migrations run (create/alter tables and indexes, foreign keys). Re-running it only resets the password.
IF DB_ID(N'recognition') IS NULL CREATE DATABASE recognition;
GO
IF SUSER_ID(N'recognition_app') IS NULL
    CREATE LOGIN recognition_app WITH PASSWORD = N'$(AppPassword)', CHECK_POLICY = ON;
ELSE
    ALTER LOGIN recognition_app WITH PASSWORD = N'$(AppPassword)';
GO
USE recognition;
GO
IF USER_ID(N'recognition_app') IS NULL CREATE USER recognition_app FOR LOGIN recognition_app;
ALTER ROLE db_datareader ADD MEMBER recognition_app;
ALTER ROLE db_datawriter ADD MEMBER recognition_app;
ALTER ROLE db_ddladmin ADD MEMBER recognition_app;
GRANT REFERENCES ON SCHEMA::dbo TO recognition_app;
GO
