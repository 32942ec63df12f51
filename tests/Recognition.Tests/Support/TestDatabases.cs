using System.Collections.Concurrent;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;
using Respawn;

namespace Recognition.Tests.Support;

/// <summary>
/// Where each test's database comes from. SQLite: a copy of one file migrated once per run (measured against
/// a fresh migration per test and against Respawn; see README "Tests"). SQL Server: a pool of databases made
/// and migrated once per run, emptied by Respawn when a test hands one back, dropped when the run ends.
/// </summary>
public static class TestDatabases
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "recognition-tests");

    /// <summary>A connection string for a database nobody else is using, migrated to the current schema.</summary>
    public static string Rent(string dataDir) =>
        TestEngine.Provider == DbProvider.Sqlite ? RentSqlite(dataDir) : SqlServerPool.Rent(dataDir);

    /// <summary>Called when the test that rented it is done; the database may be reused.</summary>
    public static void Return(string connectionString)
    {
        if (TestEngine.Provider == DbProvider.SqlServer) SqlServerPool.Return(connectionString);
    }

    private static readonly Lazy<string> SqliteTemplate = new(() =>
    {
        var file = Path.Combine(Root, $"template-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Root);
        Migrate(new Db(DbProvider.Sqlite, $"Data Source={file}"));
        using (var c = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);"; // everything in the main file, so a copy is whole
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { File.Delete(file); File.Delete(file + ".migrate-lock"); } catch (IOException) { } };
        return file;
    });

    private static void Migrate(Db db)
    {
        try { new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync().GetAwaiter().GetResult(); }
        finally { db.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    private static string RentSqlite(string dataDir)
    {
        var file = Path.Combine(dataDir, "test.db");
        // A data directory handed over by a test that restarts the app keeps its database.
        if (!File.Exists(file) && Environment.GetEnvironmentVariable("RECOGNITION_TEST_SQLITE") != "migrate") File.Copy(SqliteTemplate.Value, file);
        return $"Data Source={file}";
    }

    private static class SqlServerPool
    {
        private static readonly ConcurrentBag<string> Free = [];
        private static readonly ConcurrentDictionary<string, string> ByDataDir = new();
        private static readonly ConcurrentBag<string> Made = [];
        private static readonly string Run = Guid.NewGuid().ToString("N")[..8];
        private static int _count;
        private static readonly Lazy<RespawnerOptions> Options = new(() => new RespawnerOptions
        {
            DbAdapter = DbAdapter.SqlServer,
            TablesToIgnore = ["schema_migrations", "schema_version"],
            WithReseed = true,
        });

        static SqlServerPool() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAll();

        private static string Base => TestEngine.SqlServer ?? throw new InvalidOperationException($"{TestEngine.Variable} is not set.");

        public static string Rent(string dataDir) => ByDataDir.GetOrAdd(dataDir, _ => Free.TryTake(out var cs) ? cs : Create());

        public static void Return(string connectionString)
        {
            foreach (var kv in ByDataDir.Where(kv => kv.Value == connectionString)) ByDataDir.TryRemove(kv.Key, out _);
            SqlConnection.ClearAllPools();
            using var conn = new SqlConnection(connectionString);
            conn.Open();
            var respawner = Respawner.CreateAsync(conn, Options.Value).GetAwaiter().GetResult();
            respawner.ResetAsync(conn).GetAwaiter().GetResult();
            Free.Add(connectionString);
        }

        private static string Create()
        {
            var name = $"recognition_test_{Run}_{Interlocked.Increment(ref _count)}";
            using (var c = new SqlConnection(new SqlConnectionStringBuilder(Base) { InitialCatalog = "master" }.ConnectionString))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = $"CREATE DATABASE {name}";
                cmd.ExecuteNonQuery();
            }
            Made.Add(name);
            var cs = new SqlConnectionStringBuilder(Base) { InitialCatalog = name }.ConnectionString;
            Migrate(new Db(DbProvider.SqlServer, cs));
            return cs;
        }

        private static void DropAll()
        {
            if (Made.IsEmpty) return;
            SqlConnection.ClearAllPools();
            using var c = new SqlConnection(new SqlConnectionStringBuilder(Base) { InitialCatalog = "master" }.ConnectionString);
            c.Open();
            foreach (var name in Made)
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = $"ALTER DATABASE {name} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE {name}";
                cmd.ExecuteNonQuery();
            }
        }
    }
}
