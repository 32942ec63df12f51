using System.IO.Compression;
using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Recognition.Tests.Support;

namespace Recognition.Tests.Foundation;

/// <summary>
/// A database made by the release before FluentMigrator (journal in schema_migrations only, 1 KB pages,
/// WITHOUT ROWID tables, the demo plant in it) starts on today's code with nothing re-run and no row lost.
/// The fixture was written by that release's own `seed demo`.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recognition-upgrade-").FullName;

    [SqliteFact]
    public async Task A_database_from_the_hand_written_runner_upgrades_in_place_row_for_row()
    {
        var file = Path.Combine(_dir, "test.db");
        await using (var gz = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "v0005-demo.db.gz")), CompressionMode.Decompress))
        await using (var target = File.Create(file))
        {
            await gz.CopyToAsync(target);
        }
        var before = Dump(file);
        Assert.DoesNotContain("schema_version", before.Keys);
        Assert.True(before["employees"].Count > 100 && before["recognitions"].Count > 800, "the fixture holds the demo plant");

        using (var app = new AppFactory(dataDir: _dir))
        {
            var health = await app.CreateClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            // The demo admin of the old release signs in with the old password hash.
            await Session.SignInAsync(app, "A0001", "demo-admin");
        }
        SqliteConnection.ClearAllPools();

        var after = Dump(file);
        foreach (var (table, rows) in before)
        {
            Assert.True(after.ContainsKey(table), $"table {table} is gone");
            Assert.True(rows.Except(after[table]).ToList() is [], $"table {table} lost or changed rows: {string.Join("; ", rows.Except(after[table]).Take(3))}");
            // Starting and signing in may add an audit entry and a data-protection key; nothing else may change.
            if (table is not ("audit_log" or "data_protection_keys")) Assert.Equal(rows.Count, after[table].Count);
        }
        // FluentMigrator's journal was carried over from the old one, so nothing ran again.
        Assert.Equal(["1|0001_initial", "2|0002_claims_achievements", "3|0003_walls", "4|0004_kiosk", "5|0005_lean_writes"],
            after["schema_version"].Select(r => string.Join('|', r.Split('|').Where((_, i) => i != 1))));
        await using var c = new SqliteConnection($"Data Source={file};Pooling=False");
        await c.OpenAsync();
        Assert.Equal(1024, await c.ExecuteScalarAsync<int>("PRAGMA page_size"));
        Assert.Equal("ok", await c.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        Assert.Contains("WITHOUT ROWID", await c.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE name = 'allowances'"));
    }

    /// <summary>Every row of every table, in key order, as text.</summary>
    private static Dictionary<string, List<string>> Dump(string file)
    {
        using var c = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
        c.Open();
        var result = new Dictionary<string, List<string>>();
        foreach (var table in c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"))
        {
            var columns = c.Query<string>($"SELECT name FROM pragma_table_info('{table}')").ToList();
            result[table] = c.Query($"SELECT * FROM {table} ORDER BY {string.Join(", ", Enumerable.Range(1, columns.Count))}")
                .Select(r => string.Join('|', ((IDictionary<string, object?>)r).Values.Select(v => v is byte[] b ? Convert.ToHexString(b) : v?.ToString())))
                .ToList();
        }
        return result;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
