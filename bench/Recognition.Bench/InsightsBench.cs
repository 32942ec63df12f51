using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Features.Demo;
using Recognition.Web.Features.Insights;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Bench;

/// <summary>
/// A year of a big plant on SQLite — 10,000 people in 50 teams on 3 shifts, 1,000,000 recognitions (most within the team,
/// some across, values from the badges), 5,000,000 ledger rows — then the insights the HR page and the team view ask for,
/// through the app's own InsightsQueries: heatmap, team radar, islands, participation. The rebuild (rollups plus clue
/// detection over 90 days) is timed as a whole and the detection on its own.
/// </summary>
public static class InsightsBench
{
    private static readonly string[] Messages =
    [
        "你今天帮我们班组调试了新模具，整条线提前一小时恢复了生产，谢谢！", "谢谢你耐心地教我新设备的操作方法，我现在可以独立上岗了。",
        "你发现了安全隐患并立刻停机报告，保护了大家，谢谢你。", "Thanks for covering my shift on short notice so I could be with my family.",
        "你的改善点子让我们的换模时间缩短了一半，大家都受益。", "Your clear handover notes meant no time was lost at shift change today.",
    ];

    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var recognitions = o.Int("recognitions", 1_000_000);
        var people = o.Int("people", 10_000);
        var ledgerRows = o.Int("ledger", 5_000_000);
        var runs = o.Int("runs", 100);
        var file = Path.Combine(Paths.TempDir(), "insights.db");
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        var db = new Db(DbProvider.Sqlite, $"Data Source={file};Pooling=True");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var now = new DateTime(2026, 11, 18, 4, 0, 0, DateTimeKind.Utc);
        var gen = Stopwatch.StartNew();
        await GenerateAsync(file, recognitions, people, ledgerRows, now);
        var genSeconds = gen.Elapsed.TotalSeconds;

        var clock = new LeaderboardBench.FixedClock(now);
        var builder = new InsightsBuilder(db, new ClueDetector(), new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var build = await builder.RebuildAsync(1, now);
        // The hourly rebuild an hour later: only the rows whose 30/60/90-day windows moved are written.
        var hourly = await builder.RebuildAsync(1, now.AddHours(1));
        var q = new InsightsQueries(db, clock);
        var site = new InsightsQueries.Scope(1, null);
        var rnd = new Random(3);
        async Task<List<double>> Time(Func<Task> run)
        {
            for (var i = 0; i < 5; i++) await run();
            var l = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                await run();
                l.Add(sw.Elapsed.TotalMilliseconds);
            }
            l.Sort();
            return l;
        }
        var heat = await Time(() => q.HeatmapAsync(site));
        var radar = await Time(() => q.TeamRadarAsync(1 + rnd.Next(50)));
        var islands = await Time(() => q.IslandsAsync(site, 8));
        var participation = await Time(() => q.ParticipationAsync(site));
        var managers = await Time(() => q.SilentManagersAsync(site));
        var equity = await Time(() => q.EquityAsync(site, k => k));
        var ledger = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM points_ledger"));
        return new Dictionary<string, object>
        {
            ["scenario"] = "insights",
            ["recognitions"] = build.Recognitions,
            ["heatmap_p99_ms"] = Stats.Round(Stats.Percentile(heat, 99)),
            ["radar_p99_ms"] = Stats.Round(Stats.Percentile(radar, 99)),
            ["islands_p99_ms"] = Stats.Round(Stats.Percentile(islands, 99)),
            ["participation_p99_ms"] = Stats.Round(Stats.Percentile(participation, 99)),
            ["detect_s"] = Math.Round(build.DetectMilliseconds / 1000.0, 1),
            ["managers_p99_ms"] = Stats.Round(Stats.Percentile(managers, 99)),
            ["equity_p99_ms"] = Stats.Round(Stats.Percentile(equity, 99)),
            ["rebuild_s"] = Math.Round(build.Milliseconds / 1000.0, 1),
            ["rebuild_rows_written"] = build.RowsWritten,
            ["rebuild_longest_write_ms"] = build.LongestWriteMilliseconds,
            ["hourly_rebuild_s"] = Math.Round(hourly.Milliseconds / 1000.0, 1),
            ["hourly_rows_written"] = hourly.RowsWritten,
            ["hourly_longest_write_ms"] = hourly.LongestWriteMilliseconds,
            ["clues_found"] = build.Clues,
            ["people"] = people,
            ["ledger_rows"] = ledger,
            ["generate_s"] = Math.Round(genSeconds, 1),
        };
    }

    /// <summary>Bulk-generates the plant and its year (generation only runs with synchronous=OFF).</summary>
    internal static async Task GenerateAsync(string file, int recognitions, int people, int ledgerRows, DateTime now)
    {
        using var conn = new SqliteConnection($"Data Source={file}");
        await conn.OpenAsync();
        await conn.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        const int teams = 50;
        using (var tx = conn.BeginTransaction())
        {
            await conn.ExecuteAsync("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('I', '苏州一厂', 'Plant', 'Asia/Shanghai', @now)", new { now }, tx);
            await Catalog.SeedAsync(conn, tx);
            for (var s = 0; s < 3; s++)
                await conn.ExecuteAsync("INSERT INTO shifts (site_id, code, name_zh, name_en, start_minute, end_minute) VALUES (1, @c, @c, @c, @a, @b)", new { c = $"S{s}", a = s * 480, b = (s + 1) * 480 % 1440 }, tx);
            for (var t = 0; t < teams; t++)
            {
                await conn.ExecuteAsync("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (1, @c, @c, @c, 'standing')", new { c = $"T{t:00}" }, tx);
                await conn.ExecuteAsync("INSERT INTO team_shifts (team_id, shift_id) VALUES (@t, @s)", new { t = t + 1, s = 1 + t % 3 }, tx);
            }
            using var emp = conn.CreateCommand();
            emp.Transaction = tx;
            emp.CommandText = "INSERT INTO employees (site_id, team_id, manager_id, employee_no, name_zh, name_en, roles, created_utc) VALUES (1, $team, $mgr, $no, $no, $no, $roles, $now)";
            var pTeam = emp.Parameters.Add("$team", SqliteType.Integer);
            var pMgr = emp.Parameters.Add("$mgr", SqliteType.Integer);
            var pNo = emp.Parameters.Add("$no", SqliteType.Text);
            var pRoles = emp.Parameters.Add("$roles", SqliteType.Integer);
            emp.Parameters.AddWithValue("$now", now);
            for (var i = 0; i < people; i++)
            {
                var team = i % teams;
                pTeam.Value = team + 1;
                var manager = i < teams; // the first person of each team manages it
                pMgr.Value = manager ? DBNull.Value : team + 1;
                pNo.Value = $"I{i:00000}";
                pRoles.Value = manager ? 3 : 1;
                await emp.ExecuteNonQueryAsync();
            }
            tx.Commit();
        }
        var badges = (await conn.QueryAsync<long>("SELECT id FROM badges WHERE kind = 'peer'")).ToArray();
        var rnd = new Random(11);
        var today = SiteTime.ToLocal(now, "Asia/Shanghai").Date;
        using (var tx = conn.BeginTransaction())
        {
            using var rec = conn.CreateCommand();
            rec.Transaction = tx;
            rec.CommandText = @"INSERT INTO recognitions (site_id, giver_id, badge_id, message, visibility, points_each, funding, status, verify_code, created_utc)
                                VALUES (1, $g, $b, $m, 'public', 5, 'allowance', 'active', $v, $c)";
            var g = rec.Parameters.Add("$g", SqliteType.Integer);
            var b = rec.Parameters.Add("$b", SqliteType.Integer);
            var m = rec.Parameters.Add("$m", SqliteType.Text);
            var v = rec.Parameters.Add("$v", SqliteType.Text);
            var c = rec.Parameters.Add("$c", SqliteType.Text);
            rec.Prepare();
            using var rcp = conn.CreateCommand();
            rcp.Transaction = tx;
            rcp.CommandText = "INSERT INTO recognition_recipients (recognition_id, employee_id, team_id) VALUES ($r, $e, $t)";
            var r = rcp.Parameters.Add("$r", SqliteType.Integer);
            var e = rcp.Parameters.Add("$e", SqliteType.Integer);
            var t = rcp.Parameters.Add("$t", SqliteType.Integer);
            rcp.Prepare();
            for (var i = 0; i < recognitions; i++)
            {
                var giver = 1 + rnd.Next(people);
                var giverTeam = (giver - 1) % teams;
                // Seven in ten stay inside the giver's team; the rest go anywhere.
                var recipient = rnd.Next(10) < 7 ? 1 + giverTeam + teams * rnd.Next(people / teams) : 1 + rnd.Next(people);
                if (recipient == giver) recipient = recipient % people + 1;
                var at = now.AddMinutes(-rnd.Next(365 * 24 * 60));
                g.Value = giver;
                b.Value = badges[rnd.Next(badges.Length)];
                m.Value = rnd.Next(4) == 0 ? $"{Messages[rnd.Next(Messages.Length)]} #{i}" : Messages[rnd.Next(Messages.Length)];
                v.Value = $"V{i:x8}";
                c.Value = at.ToString("yyyy-MM-dd HH:mm:ss");
                await rec.ExecuteNonQueryAsync();
                r.Value = i + 1;
                e.Value = recipient;
                t.Value = 1 + (recipient - 1) % teams;
                await rcp.ExecuteNonQueryAsync();
            }
            using var led = conn.CreateCommand();
            led.Transaction = tx;
            led.CommandText = @"INSERT INTO points_ledger (employee_id, team_id, site_id, points, kind, source_type, source_id, local_day, created_utc)
                                VALUES ($e, $t, 1, 5, 'recognition', 'recognition', $s, $d, $c)";
            var le = led.Parameters.Add("$e", SqliteType.Integer);
            var lt = led.Parameters.Add("$t", SqliteType.Integer);
            var ls = led.Parameters.Add("$s", SqliteType.Integer);
            var ld = led.Parameters.Add("$d", SqliteType.Integer);
            var lc = led.Parameters.Add("$c", SqliteType.Text);
            led.Prepare();
            for (var i = 0; i < ledgerRows; i++)
            {
                var who = 1 + rnd.Next(people);
                var day = today.AddDays(-(i % 365));
                le.Value = who;
                lt.Value = 1 + (who - 1) % teams;
                ls.Value = 1 + i % Math.Max(1, recognitions);
                ld.Value = SiteTime.Day(day);
                lc.Value = day.ToString("yyyy-MM-dd 02:00:00");
                await led.ExecuteNonQueryAsync();
            }
            tx.Commit();
        }
        await conn.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }
}
