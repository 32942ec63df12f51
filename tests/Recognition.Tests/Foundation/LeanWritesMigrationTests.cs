using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Tests.Foundation;

/// <summary>
/// 0005 rebuilds the award path's tables (WITHOUT ROWID, partial unique reversal key). A database written
/// under 0001–0004 must come through with every row, key and constraint intact.
/// </summary>
public sealed class LeanWritesMigrationTests : IDisposable
{
    private static readonly string[] Rebuilt =
    [
        "recognition_recipients", "points_ledger", "person_day_points", "person_week_points", "person_month_points",
        "team_day_points", "allowances", "allowance_grants", "giving_counts", "idempotency_keys",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("recognition-0005-").FullName;

    [SqliteFact]
    public async Task An_older_database_keeps_every_row_and_key_through_the_rebuild()
    {
        await using var db = new Db(DbProvider.Sqlite, $"Data Source={Path.Combine(_dir, "upgrade.db")}");
        var runner = new Migrator(db, NullLogger<Migrator>.Instance);
        Assert.Equal(4, await runner.MigrateAsync(target: 4));

        // Today's award code writes events without the payload column the schema kept until 0014; here the old column
        // gets the '{}' the code of the time wrote (events are not among the tables 0005 rebuilds).
        await db.WriteAsync((c, t) => c.ExecuteAsync(
            "ALTER TABLE events DROP COLUMN payload; ALTER TABLE events ADD COLUMN payload TEXT NOT NULL DEFAULT '{}';", transaction: t));
        var (people, badge) = await SeedAsync(db);
        var awards = new AwardService(db, PolicyStore.Fixed(db, new RulesOptions()));
        var now = new DateTime(2026, 11, 18, 2, 0, 0, DateTimeKind.Utc);
        long first = 0;
        for (var i = 0; i < 6; i++)
        {
            var outcome = await awards.AwardAsync(new AwardCommand(people[i % 3], [people[(i % 3) + 1], people[4]], badge, null,
                "把交接单重新设计了，换班时缺料一目了然，谢谢你。", "public", 5, $"upgrade-key-{i}"), now);
            Assert.True(outcome.Ok, outcome.Error);
            if (i == 0) first = outcome.Id!.Value;
        }
        await db.WriteAsync((c, t) => PointsLedger.ReverseSourceAsync(c, t, db.Dialect, "recognition", first, now));
        var before = await DumpAsync(db);

        Assert.Equal(1, await runner.MigrateAsync(target: 5));

        Assert.Equal(before, await DumpAsync(db));
        await DbProbe.AssertLedgerConsistentAsync(db);
        await using var conn = await db.OpenAsync();
        Assert.Equal("ok", await conn.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        Assert.Empty(await conn.QueryAsync("PRAGMA foreign_key_check"));
        foreach (var table in Rebuilt.Where(t => t != "points_ledger"))
        {
            Assert.Contains("WITHOUT ROWID", await conn.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE name = @table", new { table }));
        }
        // The keys still hold: a second reversal of the same entry and a repeated idempotency key are refused.
        var reversed = await conn.ExecuteScalarAsync<long>("SELECT reverses_id FROM points_ledger WHERE reverses_id IS NOT NULL LIMIT 1");
        var dup = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => conn.ExecuteAsync(
            @"INSERT INTO points_ledger (employee_id, team_id, site_id, points, kind, source_type, source_id, reverses_id, local_day, created_utc)
              SELECT employee_id, team_id, site_id, -points, 'reversal', source_type, source_id, id, local_day, created_utc FROM points_ledger WHERE id = @reversed",
            new { reversed }));
        Assert.Contains("UNIQUE", dup.Message);
        var repeat = await awards.AwardAsync(new AwardCommand(people[0], [people[1]], badge, null,
            "把交接单重新设计了，换班时缺料一目了然，谢谢你。", "public", 5, "upgrade-key-0"), now);
        Assert.True(repeat.Ok);
        Assert.Equal(first, repeat.Id);
        Assert.Equal(before, await DumpAsync(db));
    }

    private static async Task<string> DumpAsync(Db db)
    {
        await using var conn = await db.OpenAsync();
        var parts = new List<string>();
        foreach (var table in Rebuilt)
        {
            var rows = await conn.QueryAsync($"SELECT * FROM {table} ORDER BY 1, 2, 3");
            parts.Add(table + ":" + string.Join(";", rows.Select(r => string.Join(",", ((IDictionary<string, object?>)r).Select(kv => $"{kv.Key}={kv.Value}")))));
        }
        return string.Join("\n", parts);
    }

    private static async Task<(long[] People, long Badge)> SeedAsync(Db db)
    {
        var people = new List<long>();
        long badge = 0;
        await db.WriteAsync(async (c, t) =>
        {
            var site = await c.QuerySingleAsync<long>("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('U', '升级', 'Upgrade', 'Asia/Shanghai', '2026-01-01T00:00:00Z') RETURNING id", transaction: t);
            // The schema as of 0004: today's catalogue seeder writes columns later migrations add.
            await c.ExecuteAsync(
                @"INSERT INTO badges (code, value_id, kind, name_zh, name_en, description_zh, description_en, icon, color)
                  VALUES ('mentor', NULL, 'peer', '新人导师', 'Mentor', '带教', 'Mentoring', '导', '#229954')", transaction: t);
            var team = await c.QuerySingleAsync<long>("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (@site, 'T', '一班', 'Line 1', 'standing') RETURNING id", new { site }, t);
            for (var i = 0; i < 5; i++)
            {
                people.Add(await c.QuerySingleAsync<long>(
                    "INSERT INTO employees (site_id, team_id, employee_no, name_zh, name_en, roles, created_utc) VALUES (@site, @team, @no, @no, @no, 1, '2026-01-01T00:00:00Z') RETURNING id",
                    new { site, team, no = $"U{i}" }, t));
            }
            badge = await c.ExecuteScalarAsync<long>("SELECT id FROM badges WHERE code = 'mentor'", transaction: t);
        });
        return (people.ToArray(), badge);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
