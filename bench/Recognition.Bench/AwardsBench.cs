using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Features.Demo;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Bench;

/// <summary>
/// Sustained award throughput on SQLite through the app's own AwardService: one award is a
/// recognition + recipient + allowance spend + ledger entry + buckets + outbox event + notification
/// + idempotency key, in one IMMEDIATE transaction with synchronous=FULL.
/// </summary>
public static class AwardsBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var count = o.Int("awards", 4000);
        var people = o.Int("people", 2000);
        var file = Path.Combine(Paths.TempDir(), "awards.db");
        var db = new Db(DbProvider.Sqlite, $"Data Source={file};Pooling=True");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var (ids, badge) = await SeedAsync(db, people);
        var rules = new RulesOptions { MonthlyAllowance = 1_000_000, MaxSharePercentToOnePerson = 100, DailyRecognitionCap = 1_000_000 };
        var awards = new AwardService(db, PolicyStore.Fixed(db, rules));
        var now = new DateTime(2026, 11, 18, 2, 0, 0, DateTimeKind.Utc);

        await RunAsync(awards, ids, badge, now, 300, 1); // warm-up: JIT, pool, page cache
        var (rate1, lat1) = await RunAsync(awards, ids, badge, now, count, 1);
        var (rate4, lat4) = await RunAsync(awards, ids, badge, now, count, 4);
        var total = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM recognitions"));
        return new Dictionary<string, object>
        {
            ["scenario"] = "awards",
            ["awards_per_sec_1"] = Math.Round(rate1),
            ["awards_per_sec_4"] = Math.Round(rate4),
            ["p50_ms"] = Stats.Percentile(lat1, 50),
            ["p99_ms"] = Stats.Percentile(lat1, 99),
            ["p50_ms_4"] = Stats.Percentile(lat4, 50),
            ["p99_ms_4"] = Stats.Percentile(lat4, 99),
            ["awards_per_run"] = count,
            ["recognitions_written"] = total,
        };
    }

    private static async Task<(double Rate, List<double> Latencies)> RunAsync(AwardService awards, long[] ids, long badge, DateTime now, int count, int writers)
    {
        var latencies = new List<double>(count);
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var giver = ids[i % ids.Length];
                var recipient = ids[(i * 7 + 1) % ids.Length];
                if (recipient == giver) recipient = ids[(i + 1) % ids.Length];
                var start = Stopwatch.GetTimestamp();
                var outcome = await awards.AwardAsync(new AwardCommand(giver, [recipient], badge, null,
                    "你把交接单重新设计了，换班时缺料一目了然。", "public", 5, Guid.NewGuid().ToString("N")), now);
                mine.Add(Stats.Ms(Stopwatch.GetTimestamp() - start));
                if (!outcome.Ok) throw new InvalidOperationException($"Award refused: {outcome.Error}");
            }
            lock (latencies) latencies.AddRange(mine);
        })));
        var rate = count / sw.Elapsed.TotalSeconds;
        latencies.Sort();
        return (rate, latencies);
    }

    private static async Task<(long[] Ids, long Badge)> SeedAsync(Db db, int people)
    {
        var ids = new List<long>();
        long badge = 0;
        await db.WriteAsync(async (c, t) =>
        {
            var site = await c.QuerySingleAsync<long>("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('B', '基准', 'Bench', 'Asia/Shanghai', @now) RETURNING id", new { now = DateTime.UtcNow }, t);
            await Catalog.SeedAsync(c, t);
            var teams = new List<long>();
            for (var i = 0; i < 20; i++)
            {
                teams.Add(await c.QuerySingleAsync<long>("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (@site, @code, @code, @code, 'standing') RETURNING id", new { site, code = $"T{i}" }, t));
            }
            for (var i = 0; i < people; i++)
            {
                ids.Add(await c.QuerySingleAsync<long>(
                    "INSERT INTO employees (site_id, team_id, employee_no, name_zh, name_en, roles, created_utc) VALUES (@site, @team, @no, @no, @no, 1, @now) RETURNING id",
                    new { site, team = teams[i % teams.Count], no = $"B{i:00000}", now = DateTime.UtcNow }, t));
            }
            badge = await c.ExecuteScalarAsync<long>("SELECT id FROM badges WHERE code = 'mentor'", transaction: t);
        });
        return (ids.ToArray(), badge);
    }
}
