namespace Recognition.Web.Infrastructure.Data;

/// <summary>
/// Every SQL Server-only statement the code holds, in one place, so a test can parse them with Microsoft's
/// T-SQL parser (ScriptDom), since no SQL Server runs in CI.
/// </summary>
public static class SqlServerStatements
{
    /// <summary>FluentMigrator's journal (as FluentMigrator would create it, in our names) and the checksum journal.</summary>
    public const string CreateJournals =
        """
        IF OBJECT_ID(N'schema_migrations', N'U') IS NULL
            CREATE TABLE schema_migrations (version INT PRIMARY KEY, name NVARCHAR(200) NOT NULL, checksum NVARCHAR(64) NOT NULL, applied_utc DATETIME2 NOT NULL);
        IF OBJECT_ID(N'schema_version', N'U') IS NULL
        BEGIN
            CREATE TABLE schema_version (version BIGINT NOT NULL, applied_utc DATETIME2 NULL, description NVARCHAR(1024) NULL);
            CREATE UNIQUE CLUSTERED INDEX ux_schema_version ON schema_version (version);
        END;
        INSERT INTO schema_version (version, applied_utc, description)
            SELECT version, applied_utc, LEFT(name, LEN(name) - 4) FROM schema_migrations
            WHERE version NOT IN (SELECT version FROM schema_version);
        """;

    public const string MigrationLock =
        "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = 'recognition_migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 60000; SELECT @r;";

    public const string MigrationUnlock =
        "EXEC sp_releaseapplock @Resource = 'recognition_migrations', @LockOwner = 'Session'";

    /// <summary>Events committed so far, read only below the oldest open transaction's rowversion so late identities are not skipped.</summary>
    public const string SettledEventsAfter =
        "SELECT TOP (@take) id, site_id, team_id, kind, subject_id FROM events WHERE id > @after AND rv < MIN_ACTIVE_ROWVERSION() ORDER BY id";

    public const string SettledNotificationsAfter =
        "SELECT TOP (@take) id AS Id, employee_id AS EmployeeId, kind AS Kind, subject_id AS SubjectId FROM notifications WHERE id > @after AND rv < MIN_ACTIVE_ROWVERSION() ORDER BY id";

    public const string ListTables =
        "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME";

    public static IEnumerable<string> All()
    {
        var d = Dialects.SqlServer;
        yield return CreateJournals;
        yield return MigrationLock;
        yield return MigrationUnlock;
        yield return d.SettledEventsAfter;
        yield return d.SettledNotificationsAfter;
        yield return d.ListTables;
        yield return d.InsertReturningId("audit_log", "at_utc, action", "@at, @action");
        yield return d.Page("SELECT id FROM recognitions ORDER BY id DESC");
        yield return d.UpsertAdd("point_balances", ["employee_id"], "earned", "balance");
        yield return d.UpsertAddCapped("giving_counts", ["giver_id", "day"], "given", "@cap");
        yield return d.UpsertAddCapped("allowance_grants", ["giver_id", "recipient_id", "month"], "points",
            "(SELECT budget FROM allowances WHERE employee_id = @giver_id AND month = @month) * @pct / 100");
        yield return d.InsertIfMissing("allowances", ["employee_id", "month"], ["employee_id", "month", "budget", "spent"]);
        yield return d.UpsertAddCapped("reward_takes", ["employee_id", "reward_id", "period"], "taken", "@cap");
        yield return Recognition.Web.Domain.PointsLedger.BalanceForUpdate(d);
        yield return d.InsertIfMissing("expiry_notices", ["employee_id", "expires_day"], ["employee_id", "expires_day", "points", "created_utc"]);
    }
}
