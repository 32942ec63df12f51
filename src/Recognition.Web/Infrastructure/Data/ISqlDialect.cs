using System.Data;
using FluentMigrator.Runner;
using Microsoft.Data.Sqlite;

namespace Recognition.Web.Infrastructure.Data;

/// <summary>
/// Everything that differs between SQLite and SQL Server, in one seam: SQL shapes, connections and their
/// settings, the relay's read of settled events, the migration lock and journal, and prepared statements.
/// Features and infrastructure call these instead of branching on the engine.
/// </summary>
public interface ISqlDialect
{
    /// <summary>FluentMigrator's name for the engine ("sqlite", "sqlserver"), also the migrations folder.</summary>
    string Name { get; }

    DbConnection NewConnection(string connectionString);

    /// <summary>The configured connection string, checked and completed (SQLite: a default file, paths under the content root).</summary>
    /// <exception cref="ConfigurationProblem">It is missing (where required) or malformed.</exception>
    string ResolveConnectionString(string? configured, string contentRoot);

    /// <summary>True when every write goes through one long-lived connection (SQLite: one writer at a time anyway).</summary>
    bool SharesOneWriter { get; }

    /// <summary>Per-connection settings of a writer connection, applied once when it opens.</summary>
    Task ConfigureWriterAsync(DbConnection conn);

    /// <summary>An INSERT that yields the new row's id as a single scalar.</summary>
    string InsertReturningId(string table, string columns, string values);

    /// <summary>
    /// A table to SELECT rows from that the transaction then changes: they stay locked against other writers until it ends
    /// (SQL Server: an update lock; SQLite: its one writer already keeps every other writer out).
    /// </summary>
    string ForUpdate(string table);

    /// <summary>Appends paging to a query that already ends with ORDER BY. Parameters @skip and @take.</summary>
    string Page(string orderedSelect);

    /// <summary>Adds @column to each counter column, creating the row when missing. Atomic on both engines.</summary>
    string UpsertAdd(string table, string[] keys, params string[] columns);

    /// <summary>
    /// Adds @column to a counter only while the result stays within <paramref name="capSql"/> (an SQL
    /// expression); creates the row when missing, under the same cap. One row affected means it fitted.
    /// </summary>
    string UpsertAddCapped(string table, string[] keys, string column, string capSql);

    /// <summary>Inserts a row unless one with the same key exists.</summary>
    string InsertIfMissing(string table, string[] keys, string[] columns);

    bool IsUniqueViolation(Exception ex);

    /// <summary>The names of the database's own tables, one per row.</summary>
    string ListTables { get; }

    /// <summary>
    /// Up to @take outbox events after @after that can no longer be overtaken by a transaction still open,
    /// so the relay never skips an id that commits late.
    /// </summary>
    string SettledEventsAfter { get; }

    /// <summary>The same for personal notifications (the mail dispatcher's source).</summary>
    string SettledNotificationsAfter { get; }

    /// <summary>Runs a statement on a prepared command where the engine benefits (parameters bound by name).</summary>
    Task<int> ExecAsync(DbConnection conn, DbTransaction tx, string sql, object args);

    Task<object?> ScalarAsync(DbConnection conn, DbTransaction tx, string sql, object args);

    Task<T?> RowAsync<T>(DbConnection conn, DbTransaction tx, string sql, object args);

    /// <summary>Held while migrating, so instances starting together apply each migration once.</summary>
    Task<IAsyncDisposable> LockMigrationsAsync(string connectionString, CancellationToken ct);

    /// <summary>
    /// Creates the journals when missing: FluentMigrator's <c>schema_version</c> and the checksum journal
    /// <c>schema_migrations</c>; copies into the first any version only the second has (databases made by
    /// the hand-written runner before FluentMigrator). Sets a new SQLite file's page size and WAL first.
    /// </summary>
    Task PrepareJournalAsync(DbConnection conn);

    /// <summary>The connection string FluentMigrator runs on (SQLite: foreign keys not enforced while a file rebuilds tables).</summary>
    string MigrationConnectionString(string connectionString);

    void AddMigrationRunner(IMigrationRunnerBuilder runner);

    /// <summary>Runs last inside each migration's transaction; throws to roll the migration back.</summary>
    void VerifyMigration(IDbConnection conn, IDbTransaction tx, string name);
}

public static class Dialects
{
    public static readonly ISqlDialect Sqlite = new SqliteDialect();
    public static readonly ISqlDialect SqlServer = new SqlServerDialect();
    public static readonly IReadOnlyList<ISqlDialect> All = [Sqlite, SqlServer];

    public static ISqlDialect For(DbProvider provider) => provider == DbProvider.Sqlite ? Sqlite : SqlServer;

    /// <summary>The dialect of an open connection, for helpers that are handed only a connection.</summary>
    public static ISqlDialect Of(DbConnection conn) => conn is SqliteConnection ? Sqlite : SqlServer;
}

/// <summary>
/// The award path's hot statements go through the dialect: on SQLite a prepared command per statement
/// text and connection, on SQL Server Dapper as everywhere else.
/// </summary>
public static class CachedSql
{
    public static Task<int> ExecAsync(this DbConnection conn, DbTransaction tx, string sql, object args) =>
        Dialects.Of(conn).ExecAsync(conn, tx, sql, args);

    public static async Task<T> ScalarAsync<T>(this DbConnection conn, DbTransaction tx, string sql, object args)
    {
        var value = await Dialects.Of(conn).ScalarAsync(conn, tx, sql, args);
        if (value is null or DBNull) return default!;
        if (value is T t) return t;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>At most one row, mapped by Dapper's row parser (columns by name, as everywhere else).</summary>
    public static Task<T?> RowAsync<T>(this DbConnection conn, DbTransaction tx, string sql, object args) =>
        Dialects.Of(conn).RowAsync<T>(conn, tx, sql, args);
}
