namespace Recognition.Web.Infrastructure.Data;

/// <summary>
/// Every SQL Server-only statement the code holds, in one place, so CI can check them with a T-SQL
/// grammar (`dotnet Recognition.Web.dll sql-statements`), since no SQL Server runs there.
/// </summary>
public static class SqlServerStatements
{
    public const string CreateJournal =
        "IF OBJECT_ID(N'schema_migrations', N'U') IS NULL CREATE TABLE schema_migrations (version INT PRIMARY KEY, name NVARCHAR(200) NOT NULL, checksum NVARCHAR(64) NOT NULL, applied_utc DATETIME2 NOT NULL)";

    public const string MigrationLock =
        "EXEC sp_getapplock @Resource = 'recognition_migrations', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 60000";

    /// <summary>Events committed so far, read only below the oldest open transaction's rowversion so late identities are not skipped.</summary>
    public const string SettledEventsAfter =
        "SELECT TOP (@take) id, site_id, team_id, kind, subject_id, payload FROM events WHERE id > @after AND rv < MIN_ACTIVE_ROWVERSION() ORDER BY id";

    public static IEnumerable<string> All()
    {
        var d = new SqlServerDialect();
        yield return CreateJournal;
        yield return MigrationLock;
        yield return SettledEventsAfter;
        yield return d.InsertReturningId("audit_log", "at_utc, action", "@at, @action");
        yield return d.Page("SELECT id FROM recognitions ORDER BY id DESC");
        yield return d.UpsertAdd("point_balances", ["employee_id"], "earned", "balance");
        yield return d.UpsertAddCapped("giving_counts", ["giver_id", "day"], "given", "@cap");
        yield return d.UpsertAddCapped("allowance_grants", ["giver_id", "recipient_id", "month"], "points",
            "(SELECT budget FROM allowances WHERE employee_id = @giver_id AND month = @month) * @pct / 100");
        yield return d.InsertIfMissing("allowances", ["employee_id", "month"], ["employee_id", "month", "budget", "spent"]);
    }
}
