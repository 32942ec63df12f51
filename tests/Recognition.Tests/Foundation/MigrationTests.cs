using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Tests.Support;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Tests.Foundation;

public sealed class MigrationTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact]
    public async Task A_database_gets_every_migration_journaled_by_FluentMigrator_with_checksums_and_a_second_run_applies_nothing()
    {
        _ = _app.Services; // starts the app, which migrates
        var scripts = ScriptMigration.All(_app.Db.Dialect);
        var journal = await DbProbe.QueryAsync<(long Version, string Name, string Checksum)>(_app.Db, "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
        Assert.Equal(scripts.Select(s => (s.Version, s.Name, s.Checksum)), journal);
        var versions = await DbProbe.QueryAsync<long>(_app.Db, "SELECT version FROM schema_version ORDER BY version");
        Assert.Equal(scripts.Select(s => s.Version), versions);
        Assert.Equal(0, await _app.Get<Migrator>().MigrateAsync());
        Assert.True((await _app.Get<Migrator>().StatusAsync()).Current);
        // The embedded scripts are read and hashed once per engine, not on every health check.
        Assert.Same(scripts, (await _app.Get<Migrator>().StatusAsync()).All);
        Assert.NotSame(ScriptMigration.All(Dialects.Sqlite), ScriptMigration.All(Dialects.SqlServer));
    }

    [SqliteFact]
    public async Task New_sqlite_databases_are_WAL_with_small_pages()
    {
        _ = _app.Services;
        Assert.Equal("wal", await DbProbe.ScalarAsync<string>(_app.Db, "PRAGMA journal_mode"));
        Assert.Equal(1024, await DbProbe.ScalarAsync<int>(_app.Db, "PRAGMA page_size"));
    }

    [Fact]
    public async Task A_changed_applied_migration_stops_with_a_message_naming_the_file()
    {
        _ = _app.Services;
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1", transaction: t));
        var ex = await Assert.ThrowsAsync<MigrationException>(() => _app.Get<Migrator>().MigrateAsync());
        Assert.Contains("0001_initial.sql", ex.Message);
        Assert.Contains("changed after it was applied", ex.Message);

        // The real app on the same database refuses to start, with the same clear message and no stack trace.
        var (exit, stderr) = await AppProcess.RunAsync(new() { ["Recognition__ConnectionStrings__Recognition"] = _app.Db.ConnectionString });
        Assert.Equal(2, exit);
        Assert.StartsWith("Recognition cannot start: Migration 0001_initial.sql was changed after it was applied", stderr);
        Assert.DoesNotContain("   at ", stderr);
        // `migrate --list` names it too, and exits 1.
        var (listExit, _, listOut) = await AppProcess.RunWithOutputAsync(new() { ["Recognition__ConnectionStrings__Recognition"] = _app.Db.ConnectionString }, "migrate", "--list");
        Assert.Equal(1, listExit);
        Assert.Matches(@"0001_initial\.sql\s+CHANGED", listOut);

        // Put it back: the journal outlives the test when the database is pooled.
        var original = ScriptMigration.All(_app.Db.Dialect)[0].Checksum;
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE schema_migrations SET checksum = @original WHERE version = 1", new { original }, t));
    }

    [SqliteFact]
    public async Task Migrate_list_shows_pending_then_applied_and_migrate_applies_and_exits()
    {
        var file = Path.Combine(_app.DataDir, "cli.db");
        var env = new Dictionary<string, string> { ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={file}" };
        var count = ScriptMigration.All(Dialects.Sqlite).Count;

        var (exit, stderr, stdout) = await AppProcess.RunWithOutputAsync(env, "migrate", "--list");
        Assert.True(exit == 0, stderr);
        Assert.Matches(@"0001_initial\.sql\s+pending", stdout);
        Assert.Contains($"0 applied, {count} pending, 0 changed.", stdout);

        (exit, stderr) = await AppProcess.RunAsync(env, "migrate");
        Assert.True(exit == 0, stderr);
        var db = new Db(DbProvider.Sqlite, $"Data Source={file}");
        Assert.Equal(count, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM employees"));

        (exit, _, stdout) = await AppProcess.RunWithOutputAsync(env, "migrate", "--list");
        Assert.Equal(0, exit);
        Assert.Matches(@"0005_lean_writes\.sql\s+applied \d{4}-\d\d-\d\d", stdout);
        Assert.Contains($"{count} applied, 0 pending, 0 changed.", stdout);
        Assert.Equal(0, (await AppProcess.RunAsync(env, "migrate")).Exit);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Both_engines_have_the_same_numbered_migrations()
    {
        var sqlite = ScriptMigration.All(Dialects.Sqlite).Select(m => m.Name).ToList();
        var sqlServer = ScriptMigration.All(Dialects.SqlServer).Select(m => m.Name).ToList();
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, sqlServer);
        Assert.Equal(sqlite.Select((_, i) => i + 1L), ScriptMigration.All(Dialects.Sqlite).Select(m => m.Version));
    }

    [SqliteFact]
    public async Task Migrating_twice_in_parallel_in_one_process_applies_each_migration_once()
    {
        var db = new Db(DbProvider.Sqlite, $"Data Source={Path.Combine(_app.DataDir, "parallel.db")}");
        var a = new Migrator(db, NullLogger<Migrator>.Instance);
        var b = new Migrator(db, NullLogger<Migrator>.Instance);
        var applied = await Task.WhenAll(a.MigrateAsync(), b.MigrateAsync());
        var count = ScriptMigration.All(Dialects.Sqlite).Count;
        Assert.Equal(count, applied.Sum());
        Assert.Equal(count, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(count, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM schema_version"));
    }

    [SqliteFact]
    public async Task Two_app_processes_migrating_one_new_database_at_once_both_succeed_and_apply_each_migration_once()
    {
        var file = Path.Combine(_app.DataDir, "two-processes.db");
        var env = new Dictionary<string, string> { ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={file}" };
        var runs = await Task.WhenAll(AppProcess.RunAsync(env, "migrate"), AppProcess.RunAsync(env, "migrate"));
        Assert.All(runs, r => Assert.True(r.Exit == 0, r.Stderr));
        var db = new Db(DbProvider.Sqlite, $"Data Source={file}");
        var count = ScriptMigration.All(Dialects.Sqlite).Count;
        Assert.Equal(count, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(count, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM schema_version"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [SqliteFact]
    public async Task A_migration_that_leaves_a_broken_reference_is_rolled_back_with_a_message_naming_it()
    {
        var db = new Db(DbProvider.Sqlite, $"Data Source={Path.Combine(_app.DataDir, "fk.db")}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync(target: 1);
        // A team pointing at a site that does not exist: what a botched table rebuild would leave behind.
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("PRAGMA foreign_keys=OFF; INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (999, 'X', 'X', 'X', 'standing')");
        }
        var ex = await Assert.ThrowsAsync<MigrationException>(() => new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync());
        Assert.Contains("0002_claims_achievements.sql leaves a broken reference in table teams", ex.Message);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'claims'"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _app.Dispose();
}
