-- 0031 the team-health clue (SQL Server). Same meaning as migrations/sqlite/0031_team_health.sql.
DECLARE @check sysname = (SELECT cc.name FROM sys.check_constraints cc
    JOIN sys.columns c ON c.object_id = cc.parent_object_id AND c.column_id = cc.parent_column_id
    WHERE cc.parent_object_id = OBJECT_ID('insight_clues') AND c.name = 'kind');
IF @check IS NOT NULL EXEC('ALTER TABLE insight_clues DROP CONSTRAINT ' + @check);
ALTER TABLE insight_clues ALTER COLUMN kind NVARCHAR(20) NOT NULL;
ALTER TABLE insight_clues ADD CONSTRAINT ck_insight_clues_kind
    CHECK (kind IN ('reciprocal', 'ring', 'burst', 'duplicate', 'template', 'reciprocal_addon', 'reaction_ring', 'team_health'));
