using System.Data;
using FluentMigrator.Runner;
using Microsoft.Data.SqlClient;

namespace Recognition.Web.Infrastructure.Data;

public sealed class SqlServerDialect : ISqlDialect
{
    public string Name => "sqlserver";

    public DbConnection NewConnection(string connectionString) => new SqlConnection(connectionString);

    public string ResolveConnectionString(string? configured, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new ConfigurationProblem(
                "Database:Provider is SqlServer but ConnectionStrings:Recognition is empty. " +
                "Set it with the environment variable Recognition__ConnectionStrings__Recognition.");
        }
        try { _ = new SqlConnectionStringBuilder(configured); }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ConfigurationProblem($"ConnectionStrings:Recognition is not a valid SQL Server connection string: {ex.Message}");
        }
        return configured;
    }

    public bool SharesOneWriter => false;

    public Task ConfigureWriterAsync(DbConnection conn) => Task.CompletedTask;

    public string ForUpdate(string table) => $"{table} WITH (UPDLOCK, ROWLOCK)";

    public string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.id VALUES ({values})";

    public string Page(string orderedSelect) => orderedSelect + " OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY";

    // HOLDLOCK makes MERGE take a key-range lock, so two first writers cannot both insert.
    public string UpsertAdd(string table, string[] keys, params string[] columns) =>
        $"MERGE {table} WITH (HOLDLOCK) AS t USING (SELECT {string.Join(", ", keys.Select(k => $"@{k} AS {k}"))}) AS s " +
        $"ON {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} " +
        $"WHEN MATCHED THEN UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = t.{c} + @{c}"))} " +
        $"WHEN NOT MATCHED THEN INSERT ({string.Join(", ", keys.Concat(columns))}) VALUES ({string.Join(", ", keys.Concat(columns).Select(k => "@" + k))});";

    public string UpsertAddCapped(string table, string[] keys, string column, string capSql) =>
        $"MERGE {table} WITH (HOLDLOCK) AS t USING (SELECT {string.Join(", ", keys.Select(k => $"@{k} AS {k}"))}) AS s " +
        $"ON {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} " +
        $"WHEN MATCHED AND t.{column} + @{column} <= {capSql} THEN UPDATE SET {column} = t.{column} + @{column} " +
        $"WHEN NOT MATCHED AND @{column} <= {capSql} THEN INSERT ({string.Join(", ", keys)}, {column}) VALUES ({string.Join(", ", keys.Select(k => "@" + k))}, @{column});";

    public string InsertIfMissing(string table, string[] keys, string[] columns) =>
        $"MERGE {table} WITH (HOLDLOCK) AS t USING (SELECT {string.Join(", ", keys.Select(k => $"@{k} AS {k}"))}) AS s " +
        $"ON {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} " +
        $"WHEN NOT MATCHED THEN INSERT ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))});";

    public bool IsUniqueViolation(Exception ex) => ex is SqlException { Number: 2627 or 2601 };

    public string ListTables => SqlServerStatements.ListTables;

    // Identity values can commit out of order: read only below the oldest open transaction's rowversion.
    public string SettledEventsAfter => SqlServerStatements.SettledEventsAfter;

    public string SettledNotificationsAfter => SqlServerStatements.SettledNotificationsAfter;

    public Task<int> ExecAsync(DbConnection conn, DbTransaction tx, string sql, object args) => conn.ExecuteAsync(sql, args, tx);

    public Task<object?> ScalarAsync(DbConnection conn, DbTransaction tx, string sql, object args) => conn.ExecuteScalarAsync(sql, args, tx);

    public Task<T?> RowAsync<T>(DbConnection conn, DbTransaction tx, string sql, object args) => conn.QuerySingleOrDefaultAsync<T>(sql, args, tx);

    /// <summary>An application lock owned by a session of its own, held for the whole FluentMigrator run.</summary>
    public async Task<IAsyncDisposable> LockMigrationsAsync(string connectionString, CancellationToken ct)
    {
        var conn = new SqlConnection(connectionString);
        await conn.OpenAsync(ct);
        var result = await conn.QuerySingleAsync<int>(SqlServerStatements.MigrationLock, commandTimeout: 90); // longer than the lock's own 60 s
        if (result < 0)
        {
            await conn.DisposeAsync();
            throw new MigrationException($"Another instance has been migrating this database for 60 s (sp_getapplock returned {result}).");
        }
        return new AppLock(conn);
    }

    public Task PrepareJournalAsync(DbConnection conn) => conn.ExecuteAsync(SqlServerStatements.CreateJournals);

    public string MigrationConnectionString(string connectionString) => connectionString;

    public void AddMigrationRunner(IMigrationRunnerBuilder runner) => runner.AddSqlServer();

    public void VerifyMigration(IDbConnection conn, IDbTransaction tx, string name) { } // constraints are always enforced

    private sealed class AppLock(SqlConnection conn) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await conn.ExecuteAsync(SqlServerStatements.MigrationUnlock);
            await conn.DisposeAsync();
        }
    }
}
