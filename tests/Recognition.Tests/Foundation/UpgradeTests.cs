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
        Assert.True(before["employees"].Rows.Count > 100 && before["recognitions"].Rows.Count > 800, "the fixture holds the demo plant");

        using (var app = new AppFactory(dataDir: _dir))
        {
            var health = await app.CreateClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            // The demo admin of the old release signs in with the old password hash.
            await Session.SignInAsync(app, "A0001", "demo-admin");
        }
        SqliteConnection.ClearAllPools();

        var after = Dump(file);
        var dropped = new List<string>();
        foreach (var (table, old) in before)
        {
            Assert.True(after.TryGetValue(table, out var now), $"table {table} is gone");
            dropped.AddRange(old.Columns.Except(now.Columns).Select(c => $"{table}.{c}"));
            // Every row, projected on the columns both versions have, is still there unchanged.
            // 0022 turned the badges' one-character icons into icon names (checked below): the only value a migration rewrote.
            var kept = old.Columns.Intersect(now.Columns).Where(c => !(table == "badges" && c == "icon")).ToList();
            var oldRows = old.Project(kept);
            var newRows = now.Project(kept);
            Assert.True(oldRows.Except(newRows).ToList() is [], $"table {table} lost or changed rows: {string.Join("; ", oldRows.Except(newRows).Take(3))}");
            // Later migrations journal themselves; starting and signing in may add an audit entry and a
            // data-protection key. Nothing else may gain a row.
            if (table is not ("schema_migrations" or "audit_log" or "data_protection_keys")) Assert.Equal(oldRows.Count, newRows.Count);
        }
        var icons = after["badges"].Rows.ToDictionary(r => r["id"]!, r => r["icon"]);
        foreach (var b in before["badges"].Rows) Assert.Equal(Recognition.Web.Infrastructure.Web.BadgeIcons.Legacy[b["icon"]!], icons[b["id"]!]);
        // 0006 moved each team's supervisor into team_leaders and 0014 dropped the events' payload (always '{}' since 0005):
        // the only columns later migrations dropped.
        Assert.Equal(["teams.supervisor_id", "events.payload"], dropped);
        var leaders = before["teams"].Rows.Where(r => r["supervisor_id"] is not null).Select(r => $"{r["id"]}|{r["supervisor_id"]}").ToList();
        Assert.NotEmpty(leaders);
        Assert.Equal(leaders.Order(), after["team_leaders"].Project(["team_id", "employee_id"]).Order());

        // FluentMigrator's journal was carried over from the old one, so nothing ran again.
        Assert.Equal(["1|0001_initial", "2|0002_claims_achievements", "3|0003_walls", "4|0004_kiosk", "5|0005_lean_writes"],
            after["schema_version"].Project(["version", "description"]).Take(5));
        await using var c = new SqliteConnection($"Data Source={file};Pooling=False");
        await c.OpenAsync();
        Assert.Equal(1024, await c.ExecuteScalarAsync<int>("PRAGMA page_size"));
        Assert.Equal("ok", await c.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        Assert.Contains("WITHOUT ROWID", await c.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE name = 'allowances'"));
    }

    private sealed record Table(List<string> Columns, List<Dictionary<string, string?>> Rows)
    {
        public List<string> Project(IReadOnlyList<string> columns) => Rows.Select(r => string.Join('|', columns.Select(c => r[c]))).ToList();
    }

    /// <summary>Every row of every table, in key order, as text.</summary>
    private static Dictionary<string, Table> Dump(string file)
    {
        using var c = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
        c.Open();
        var result = new Dictionary<string, Table>();
        foreach (var table in c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"))
        {
            var columns = c.Query<string>($"SELECT name FROM pragma_table_info('{table}')").ToList();
            var rows = c.Query($"SELECT * FROM {table} ORDER BY {string.Join(", ", Enumerable.Range(1, columns.Count))}")
                .Select(r => ((IDictionary<string, object?>)r).ToDictionary(kv => kv.Key, kv => kv.Value is byte[] b ? Convert.ToHexString(b) : kv.Value?.ToString()))
                .ToList();
            result[table] = new Table(columns, rows);
        }
        return result;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
