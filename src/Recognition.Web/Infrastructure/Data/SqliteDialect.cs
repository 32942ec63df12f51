using System.Collections.Concurrent;
using System.Data;
using System.Reflection;
using System.Runtime.CompilerServices;
using FluentMigrator.Runner;
using Microsoft.Data.Sqlite;

namespace Recognition.Web.Infrastructure.Data;

public sealed class SqliteDialect : ISqlDialect
{
    public string Name => "sqlite";

    public DbConnection NewConnection(string connectionString) => new SqliteConnection(connectionString);

    public const string DefaultFile = "data/recognition.db";

    public string ResolveConnectionString(string? configured, string contentRoot)
    {
        SqliteConnectionStringBuilder b;
        try { b = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? $"Data Source={DefaultFile}" : configured); }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new ConfigurationProblem($"ConnectionStrings:Recognition is not a valid SQLite connection string: {ex.Message}");
        }
        if (b.DataSource is not (":memory:" or "") && !Path.IsPathRooted(b.DataSource))
        {
            b.DataSource = Path.GetFullPath(Path.Combine(contentRoot, b.DataSource));
        }
        var dir = Path.GetDirectoryName(b.DataSource);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        b.Pooling = true;
        return b.ToString();
    }

    public bool SharesOneWriter => true;

    // WAL itself is a property of the file (set when the journal is first created); these are per connection.
    public Task ConfigureWriterAsync(DbConnection conn) =>
        conn.ExecuteAsync("PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");

    public string ForUpdate(string table) => table;

    public string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id";

    public string Page(string orderedSelect) => orderedSelect + " LIMIT @take OFFSET @skip";

    public string UpsertAdd(string table, string[] keys, params string[] columns) =>
        $"INSERT INTO {table} ({string.Join(", ", keys.Concat(columns))}) VALUES ({string.Join(", ", keys.Concat(columns).Select(k => "@" + k))}) " +
        $"ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = {c} + excluded.{c}"))}";

    public string UpsertAddCapped(string table, string[] keys, string column, string capSql) =>
        $"INSERT INTO {table} ({string.Join(", ", keys)}, {column}) SELECT {string.Join(", ", keys.Select(k => "@" + k))}, @{column} WHERE @{column} <= {capSql} " +
        $"ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {column} = {column} + excluded.{column} WHERE {column} + excluded.{column} <= {capSql}";

    public string InsertIfMissing(string table, string[] keys, string[] columns) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))}) " +
        $"ON CONFLICT ({string.Join(", ", keys)}) DO NOTHING";

    public bool IsUniqueViolation(Exception ex) =>
        ex is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public string ListTables => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name";

    // One writer at a time: an id is visible only once its transaction committed, so nothing can commit behind it.
    public string SettledNotificationsAfter =>
        "SELECT id AS Id, employee_id AS EmployeeId, kind AS Kind, subject_id AS SubjectId FROM notifications WHERE id > @after ORDER BY id LIMIT @take";

    public string SettledEventsAfter =>
        "SELECT id, site_id, team_id, kind, subject_id FROM events WHERE id > @after ORDER BY id LIMIT @take";

    // Microsoft.Data.Sqlite compiles SQL afresh for every new command, which dominated the cost of an award, so
    // each statement text gets one prepared command per connection (the writer is long-lived, see Db), re-bound
    // by parameter name on each call: two call sites may pass the same SQL with properties in another order.
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, SqliteCommand>> Commands = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Props = new();
    private static readonly ConcurrentDictionary<(string, Type), Delegate> Parsers = new();

    public Task<int> ExecAsync(DbConnection conn, DbTransaction tx, string sql, object args) => Bind(conn, tx, sql, args).ExecuteNonQueryAsync();

    public Task<object?> ScalarAsync(DbConnection conn, DbTransaction tx, string sql, object args) => Bind(conn, tx, sql, args).ExecuteScalarAsync();

    public async Task<T?> RowAsync<T>(DbConnection conn, DbTransaction tx, string sql, object args)
    {
        await using var reader = await Bind(conn, tx, sql, args).ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return default;
        // Dapper emits a new parser on every GetRowParser call, so keep one per statement.
        var parse = (Func<DbDataReader, T>)Parsers.GetOrAdd((sql, typeof(T)), _ => reader.GetRowParser<T>());
        return parse(reader);
    }

    private static SqliteCommand Bind(DbConnection conn, DbTransaction tx, string sql, object args)
    {
        var commands = Commands.GetOrCreateValue(conn);
        var props = Props.GetOrAdd(args.GetType(), t => t.GetProperties());
        if (!commands.TryGetValue(sql, out var cmd))
        {
            cmd = (SqliteCommand)conn.CreateCommand();
            cmd.CommandText = sql;
            foreach (var p in props) cmd.Parameters.Add(new SqliteParameter("@" + p.Name, null));
            cmd.Prepare();
            commands[sql] = cmd;
        }
        cmd.Transaction = (SqliteTransaction)tx;
        foreach (var p in props)
        {
            var name = "@" + p.Name;
            var i = cmd.Parameters.IndexOf(name);
            var parameter = i >= 0 ? cmd.Parameters[i] : cmd.Parameters.Add(new SqliteParameter(name, null));
            parameter.Value = p.GetValue(args) ?? DBNull.Value;
        }
        return cmd;
    }

    /// <summary>
    /// An exclusive lock on a file beside the database: FluentMigrator opens its own connections, so the
    /// database's own write lock cannot be held across its run. A SQLite file is only ever shared by processes
    /// on one machine, which is exactly what a file lock serialises.
    /// </summary>
    public async Task<IAsyncDisposable> LockMigrationsAsync(string connectionString, CancellationToken ct)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (file is "" or ":memory:") return NoLock.Instance;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                // Kept, not deleted on close: deleting would let a waiter lock the old file while a third locks a new one.
                return new FileStream(file + ".migrate-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
            catch (IOException ex)
            {
                throw new MigrationException($"Another process has been migrating {file} for 60 s ({ex.Message}).");
            }
        }
    }

    public async Task PrepareJournalAsync(DbConnection conn)
    {
        // A new database gets 1 KB pages: an award changes a few bytes in each of ~27 b-trees, and every changed
        // page is written whole to the log and flushed at commit, so small pages cut the bytes per award by 4x
        // (awards bench: ~1,350/s against ~1,050/s with 4 KB pages). Both are no-ops on an existing database.
        await conn.ExecuteAsync("PRAGMA page_size=1024; PRAGMA journal_mode=WAL;");
        await conn.ExecuteAsync(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_utc TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_utc TEXT NULL, description TEXT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_schema_version ON schema_version (version);
            INSERT INTO schema_version (version, applied_utc, description)
                SELECT version, applied_utc, substr(name, 1, length(name) - 4) FROM schema_migrations
                WHERE version NOT IN (SELECT version FROM schema_version);
            """);
    }

    public string MigrationConnectionString(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = false, DefaultTimeout = 600 }.ToString();

    public void AddMigrationRunner(IMigrationRunnerBuilder runner) => runner.AddSQLite();

    /// <summary>
    /// Migrations run with foreign keys not enforced, so a table can be rebuilt the way SQLite documents it
    /// (create, copy, drop, rename); this proves every reference still holds before the migration commits.
    /// </summary>
    public void VerifyMigration(IDbConnection conn, IDbTransaction tx, string name)
    {
        if (conn.Query("PRAGMA foreign_key_check", transaction: tx).FirstOrDefault() is IDictionary<string, object> bad)
        {
            throw new MigrationException($"Migration {name} leaves a broken reference in table {bad["table"]}; nothing was applied.");
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
