using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Features.Demo;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Walls;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Bench;

/// <summary>
/// Leaderboards over a generated ledger (default 5M entries, 10,000 employees, 50 teams, one year),
/// through the wall's own queries: top 20 people this week, this month, all time, and top teams.
/// Buckets are built from the ledger the way the award code maintains them (sums per person × day, team × day).
/// </summary>
public static class LeaderboardBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var rows = o.Int("rows", 5_000_000);
        var people = o.Int("people", 10_000);
        var runs = o.Int("runs", 200);
        var file = Path.Combine(Paths.TempDir(), "leaderboard.db");
        var db = new Db(DbProvider.Sqlite, $"Data Source={file}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var now = new DateTime(2026, 11, 18, 4, 0, 0, DateTimeKind.Utc);
        var gen = Stopwatch.StartNew();
        var siteId = await GenerateAsync(file, rows, people, now);
        var genSeconds = gen.Elapsed.TotalSeconds;

        var walls = new WallQueries(db, new FeedQueries(db), new FixedClock(now));
        var today = SiteTime.ToLocal(now, "Asia/Shanghai").Date;
        var monthStart = SiteTime.Day(SiteTime.MonthStart(today));
        var tDay = SiteTime.Day(today);
        await using var conn = await db.OpenAsync();
        async Task<List<double>> Time(Func<Task> q)
        {
            for (var i = 0; i < 10; i++) await q();
            var l = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                await q();
                l.Add(sw.Elapsed.TotalMilliseconds);
            }
            l.Sort();
            return l;
        }
        var week = await Time(() => walls.PeopleAsync(conn, siteId, null, "person_week_points", "week", SiteTime.Week(tDay), 20));
        var month = await Time(() => walls.PeopleAsync(conn, siteId, null, "person_month_points", "month", tDay / 100, 20));
        // All-time top people, straight from the balances (indexed by earned points): no wall shows it; the bench keeps it as a baseline.
        var all = await Time(() => conn.QueryAsync<(long Id, int Points)>(Dialects.Sqlite.Page(
            @"SELECT e.id, b.earned FROM point_balances b JOIN employees e ON e.id = b.employee_id
              WHERE e.site_id = @siteId AND e.active = 1 AND e.leaderboard_opt_out = 0 AND b.earned > 0 ORDER BY b.earned DESC"),
            new { siteId, skip = 0, take = 20 }));
        var teamsMonth = await Time(() => walls.TeamsAsync(conn, siteId, monthStart, tDay, 20));
        var ledger = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM points_ledger");
        return new Dictionary<string, object>
        {
            ["scenario"] = "leaderboard",
            ["ledger_rows"] = ledger,
            ["employees"] = people,
            ["week_p99_ms"] = Stats.Round(Stats.Percentile(week, 99)),
            ["month_p99_ms"] = Stats.Round(Stats.Percentile(month, 99)),
            ["alltime_p99_ms"] = Stats.Round(Stats.Percentile(all, 99)),
            ["teams_month_p99_ms"] = Stats.Round(Stats.Percentile(teamsMonth, 99)),
            ["week_p50_ms"] = Stats.Round(Stats.Percentile(week, 50)),
            ["month_p50_ms"] = Stats.Round(Stats.Percentile(month, 50)),
            ["generate_s"] = Math.Round(genSeconds, 1),
        };
    }

    /// <summary>Bulk-generates people, a year of ledger entries and the buckets and balances they imply.</summary>
    private static async Task<long> GenerateAsync(string file, int rows, int people, DateTime now)
    {
        using var conn = new SqliteConnection($"Data Source={file}");
        await conn.OpenAsync();
        await conn.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"); // generation only; the queries run on the app's settings
        using (var tx = conn.BeginTransaction())
        {
            var site = await conn.QuerySingleAsync<long>("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('L', '苏州一厂', 'Plant', 'Asia/Shanghai', @now) RETURNING id", new { now }, tx);
            await Catalog.SeedAsync(conn, tx);
            for (var t = 0; t < 50; t++)
            {
                await conn.ExecuteAsync("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (@site, @c, @c, @c, 'standing')", new { site, c = $"T{t:00}" }, tx);
            }
            using var emp = conn.CreateCommand();
            emp.Transaction = tx;
            emp.CommandText = "INSERT INTO employees (site_id, team_id, employee_no, name_zh, name_en, roles, leaderboard_opt_out, created_utc) VALUES (1, $team, $no, $no, $no, 1, $opt, $now)";
            var pTeam = emp.Parameters.Add("$team", SqliteType.Integer);
            var pNo = emp.Parameters.Add("$no", SqliteType.Text);
            var pOpt = emp.Parameters.Add("$opt", SqliteType.Integer);
            emp.Parameters.AddWithValue("$now", now);
            for (var i = 0; i < people; i++)
            {
                pTeam.Value = 1 + i % 50;
                pNo.Value = $"L{i:00000}";
                pOpt.Value = i % 40 == 0 ? 1 : 0;
                await emp.ExecuteNonQueryAsync();
            }
            tx.Commit();
        }
        var rnd = new Random(5);
        var today = SiteTime.ToLocal(now, "Asia/Shanghai").Date;
        using (var tx = conn.BeginTransaction())
        {
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = @"INSERT INTO points_ledger (employee_id, team_id, site_id, points, kind, source_type, source_id, local_day, created_utc)
                                VALUES ($e, $t, 1, $p, 'recognition', 'recognition', $s, $d, $c)";
            var pe = cmd.Parameters.Add("$e", SqliteType.Integer);
            var pt = cmd.Parameters.Add("$t", SqliteType.Integer);
            var pp = cmd.Parameters.Add("$p", SqliteType.Integer);
            var ps = cmd.Parameters.Add("$s", SqliteType.Integer);
            var pd = cmd.Parameters.Add("$d", SqliteType.Integer);
            var pc = cmd.Parameters.Add("$c", SqliteType.Text);
            cmd.Prepare();
            var steps = new[] { 5, 5, 10, 10, 20, 50 };
            for (var i = 0; i < rows; i++)
            {
                var e = 1 + rnd.Next(people);
                var day = today.AddDays(-(i % 365));
                pe.Value = e;
                pt.Value = 1 + (e - 1) % 50;
                pp.Value = steps[rnd.Next(steps.Length)];
                ps.Value = i + 1;
                pd.Value = SiteTime.Day(day);
                pc.Value = day.ToString("yyyy-MM-dd 02:00:00");
                await cmd.ExecuteNonQueryAsync();
            }
            await conn.ExecuteAsync("INSERT INTO person_day_points (employee_id, day, points) SELECT employee_id, local_day, SUM(points) FROM points_ledger GROUP BY employee_id, local_day", transaction: tx);
            // Week buckets: ISO week keys computed here (SQLite has no ISO week function), then summed.
            await conn.ExecuteAsync("CREATE TEMP TABLE day_week (day INTEGER PRIMARY KEY, week INTEGER NOT NULL)", transaction: tx);
            for (var i = 0; i < 366; i++)
            {
                var d = SiteTime.Day(today.AddDays(-i));
                await conn.ExecuteAsync("INSERT INTO day_week (day, week) VALUES (@d, @w)", new { d, w = SiteTime.Week(d) }, tx);
            }
            await conn.ExecuteAsync("INSERT INTO person_week_points (employee_id, week, points) SELECT p.employee_id, w.week, SUM(p.points) FROM person_day_points p JOIN day_week w ON w.day = p.day GROUP BY p.employee_id, w.week", transaction: tx);
            await conn.ExecuteAsync("INSERT INTO person_month_points (employee_id, month, points) SELECT employee_id, day / 100, SUM(points) FROM person_day_points GROUP BY employee_id, day / 100", transaction: tx);
            await conn.ExecuteAsync("INSERT INTO team_day_points (team_id, day, points) SELECT team_id, local_day, SUM(points) FROM points_ledger GROUP BY team_id, local_day", transaction: tx);
            await conn.ExecuteAsync("INSERT INTO point_balances (employee_id, earned, balance) SELECT employee_id, SUM(points), SUM(points) FROM points_ledger GROUP BY employee_id", transaction: tx);
            tx.Commit();
        }
        await conn.ExecuteAsync("ANALYZE main");
        return 1;
    }

    internal sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }
}
