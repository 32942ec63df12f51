using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Tests.Support;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Foundation;

public sealed class MigrationTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact]
    public async Task Fresh_database_gets_every_migration_journaled_and_a_second_run_applies_nothing()
    {
        _ = _app.Services; // starts the app, which migrates
        var journal = await DbProbe.QueryAsync<(long Version, string Name, string Checksum)>(_app.Db, "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
        var files = MigrationRunner.Load(DbProvider.Sqlite);
        Assert.Equal(files.Select(f => (long)f.Version), journal.Select(j => j.Version));
        Assert.All(journal, j => Assert.Equal(64, j.Checksum.Length));
        Assert.Equal(0, await _app.Get<MigrationRunner>().MigrateAsync());
        Assert.True((await _app.Get<MigrationRunner>().StatusAsync()).Current);
        // New databases are WAL with small pages (fewer bytes flushed per award).
        Assert.Equal("wal", await DbProbe.ScalarAsync<string>(_app.Db, "PRAGMA journal_mode"));
        Assert.Equal(1024, await DbProbe.ScalarAsync<int>(_app.Db, "PRAGMA page_size"));
    }

    [Fact]
    public async Task A_changed_applied_migration_stops_with_a_message_naming_the_file()
    {
        _ = _app.Services;
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1", transaction: t));
        var ex = await Assert.ThrowsAsync<MigrationException>(() => _app.Get<MigrationRunner>().MigrateAsync());
        Assert.Contains("0001_initial.sql", ex.Message);
        Assert.Contains("changed after it was applied", ex.Message);

        // The real app on the same database refuses to start, with the same clear message and no stack trace.
        var (exit, stderr) = await AppProcess.RunAsync(new() { ["Recognition__ConnectionStrings__Recognition"] = _app.Db.ConnectionString }, "migrate");
        Assert.Equal(2, exit);
        Assert.StartsWith("Recognition cannot start: Migration 0001_initial.sql was changed after it was applied", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task The_migrate_command_applies_and_exits()
    {
        var file = Path.Combine(_app.DataDir, "cli.db");
        var env = new Dictionary<string, string> { ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={file}" };
        var (exit, stderr) = await AppProcess.RunAsync(env, "migrate");
        Assert.True(exit == 0, stderr);
        var db = new Db(DbProvider.Sqlite, $"Data Source={file}");
        Assert.Equal(MigrationRunner.Load(DbProvider.Sqlite).Count, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM employees"));
        Assert.Equal(0, (await AppProcess.RunAsync(env, "migrate")).Exit);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Both_engines_have_the_same_numbered_migrations()
    {
        var sqlite = MigrationRunner.Load(DbProvider.Sqlite).Select(m => m.Name).ToList();
        var sqlServer = MigrationRunner.Load(DbProvider.SqlServer).Select(m => m.Name).ToList();
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, sqlServer);
    }

    [Fact]
    public async Task Migrating_twice_in_parallel_applies_each_file_once()
    {
        var file = Path.Combine(_app.DataDir, "parallel.db");
        var db = new Db(DbProvider.Sqlite, $"Data Source={file}");
        var a = new MigrationRunner(db, NullLogger<MigrationRunner>.Instance);
        var b = new MigrationRunner(db, NullLogger<MigrationRunner>.Instance);
        var applied = await Task.WhenAll(a.MigrateAsync(), b.MigrateAsync());
        Assert.Equal(MigrationRunner.Load(DbProvider.Sqlite).Count, applied.Sum());
        Assert.Equal(applied.Sum(), await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM schema_migrations"));
    }

    public void Dispose() => _app.Dispose();
}
