using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;
using Respawn;

namespace Recognition.Tests.Support;

/// <summary>
/// Where each test's database comes from. SQLite: a copy of one file migrated once per run (measured against a
/// fresh migration per test and against a Respawn-reset pool: README "Tests"; RECOGNITION_TEST_SQLITE=migrate or
/// respawn picks those). SQL Server: a pool of databases made and migrated once per run, emptied by Respawn when
/// a test hands one back, dropped when the run ends.
/// </summary>
public static class TestDatabases
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "recognition-tests");
    private static readonly string SqliteStrategy = Environment.GetEnvironmentVariable("RECOGNITION_TEST_SQLITE") ?? "copy";

    /// <summary>A connection string for a database nobody else is using, migrated to the current schema.</summary>
    public static string Rent(string dataDir)
    {
        if (TestEngine.Provider == DbProvider.SqlServer) return SqlServerPool.Value.Rent(dataDir);
        var file = Path.Combine(dataDir, "test.db");
        // A data directory handed over by a test that restarts the app keeps its database.
        if (File.Exists(file)) return $"Data Source={file}";
        switch (SqliteStrategy)
        {
            case "migrate": return $"Data Source={file}"; // the app migrates it at start-up
            case "respawn": return SqlitePool.Value.Rent(dataDir);
            default:
                File.Copy(SqliteTemplate.Value, file);
                return $"Data Source={file}";
        }
    }

    /// <summary>Called when the test that rented it is done; a pooled database is emptied and reused.</summary>
    public static void Return(string connectionString)
    {
        if (TestEngine.Provider == DbProvider.SqlServer) SqlServerPool.Value.Return(connectionString);
        else if (SqliteStrategy == "respawn") SqlitePool.Value.Return(connectionString);
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

    private static readonly Lazy<Pool> SqlitePool = new(() => new Pool(DbAdapter.Sqlite, cs => new SqliteConnection(cs), () =>
    {
        var file = Path.Combine(Root, $"pooled-{Guid.NewGuid():N}.db");
        File.Copy(SqliteTemplate.Value, file);
        return $"Data Source={file}";
    }, () => SqliteConnection.ClearAllPools(), _ => { }));

    private static readonly Lazy<Pool> SqlServerPool = new(() =>
    {
        var master = new SqlConnectionStringBuilder(TestEngine.SqlServer!) { InitialCatalog = "master" }.ConnectionString;
        var run = Guid.NewGuid().ToString("N")[..8];
        var count = 0;
        return new Pool(DbAdapter.SqlServer, cs => new SqlConnection(cs), () =>
        {
            var name = $"recognition_test_{run}_{Interlocked.Increment(ref count)}";
            Execute(master, $"CREATE DATABASE {name}");
            var cs = new SqlConnectionStringBuilder(TestEngine.SqlServer!) { InitialCatalog = name }.ConnectionString;
            Migrate(new Db(DbProvider.SqlServer, cs));
            return cs;
        }, SqlConnection.ClearAllPools, cs =>
        {
            var name = new SqlConnectionStringBuilder(cs).InitialCatalog;
            Execute(master, $"ALTER DATABASE {name} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE {name}");
        });
    });

    private static void Migrate(Db db)
    {
        try { new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync().GetAwaiter().GetResult(); }
        finally { db.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    private static void Execute(string cs, string sql)
    {
        using var c = new SqlConnection(cs);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Migrated databases handed out one test at a time and emptied by Respawn (journals kept) on return.</summary>
    private sealed class Pool
    {
        private readonly ConcurrentBag<string> _free = [];
        private readonly ConcurrentDictionary<string, string> _byDataDir = new();
        private readonly ConcurrentBag<string> _made = [];
        private readonly ConcurrentDictionary<string, Respawner> _respawners = new();
        private readonly IDbAdapter _adapter;
        private readonly Func<string, DbConnection> _open;
        private readonly Func<string> _create;
        private readonly Action _clearPools;

        public Pool(IDbAdapter adapter, Func<string, DbConnection> open, Func<string> create, Action clearPools, Action<string> drop)
        {
            (_adapter, _open, _create, _clearPools) = (adapter, open, create, clearPools);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                _clearPools();
                foreach (var cs in _made) { try { drop(cs); } catch (DbException) { } }
            };
        }

        public string Rent(string dataDir) => _byDataDir.GetOrAdd(dataDir, _ =>
        {
            if (_free.TryTake(out var cs)) return cs;
            cs = _create();
            _made.Add(cs);
            return cs;
        });

        public void Return(string connectionString)
        {
            foreach (var kv in _byDataDir.Where(kv => kv.Value == connectionString)) _byDataDir.TryRemove(kv.Key, out _);
            _clearPools();
            using var conn = _open(connectionString);
            conn.Open();
            var respawner = _respawners.GetOrAdd(connectionString, _ => Respawner.CreateAsync(conn, new RespawnerOptions
            {
                DbAdapter = _adapter,
                TablesToIgnore = ["schema_migrations", "schema_version"],
                WithReseed = _adapter == DbAdapter.SqlServer,
            }).GetAwaiter().GetResult());
            respawner.ResetAsync(conn).GetAwaiter().GetResult();
            _free.Add(connectionString);
        }
    }
}
