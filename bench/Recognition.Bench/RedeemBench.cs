using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Features.Demo;
using Recognition.Web.Features.Rewards;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Bench;

/// <summary>
/// Sustained redemptions on SQLite through the app's own RewardService, as the Rewards page and the kiosk call it:
/// each one is the stock decrement, the per-person limit, the order, the conditional balance debit, the ledger entry and
/// the idempotency key in one IMMEDIATE transaction with synchronous=FULL. Half the items have stock that runs out
/// near the end of the run (so refusals are part of the load, and overselling would show), half are unlimited with a
/// monthly limit. The rate reported is orders made per second; refused attempts are counted apart. Afterwards the database
/// itself is asked whether anything was oversold or any balance went below zero.
/// </summary>
public static class RedeemBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var count = o.Int("redemptions", 6000);
        var people = o.Int("people", 2000);
        var writers = o.Int("writers", 4);
        var file = Path.Combine(Paths.TempDir(), "redeem.db");
        var db = new Db(DbProvider.Sqlite, $"Data Source={file};Pooling=True");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var (ids, items) = await SeedAsync(db, people);
        var rewards = new RewardService(db);
        var now = new DateTime(2026, 11, 18, 2, 0, 0, DateTimeKind.Utc);

        await RunAsync(rewards, ids, items, now, 300, 1, 0); // warm-up: JIT, pool, page cache
        var (rate1, lat1, refused1) = await RunAsync(rewards, ids, items, now, count, 1, 1);
        var (rate, lat, refused) = await RunAsync(rewards, ids, items, now, count, writers, 2);
        var oversold = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            @"SELECT COUNT(*) FROM rewards r WHERE r.stock IS NOT NULL AND (r.stock < 0 OR r.stock + COALESCE((SELECT SUM(quantity) FROM reward_orders o
                WHERE o.reward_id = r.id AND o.status NOT IN ('declined', 'cancelled')), 0) <> r.stocked)"));
        var negative = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM point_balances b WHERE b.balance < 0 OR b.balance <> (SELECT SUM(points) FROM points_ledger l WHERE l.employee_id = b.employee_id)"));
        var orders = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reward_orders"));
        return new Dictionary<string, object>
        {
            ["scenario"] = "redeem",
            // Orders made per second (refusals — sold out, limit reached — are counted separately and not in this rate).
            ["redemptions_per_sec"] = Math.Round(rate * (count - refused) / count),
            ["p99_ms"] = Stats.Percentile(lat, 99),
            ["oversold"] = oversold,
            ["negative_balances"] = negative,
            ["attempts_per_sec"] = Math.Round(rate),
            ["p50_ms"] = Stats.Percentile(lat, 50),
            ["writers"] = writers,
            ["redemptions_per_sec_1"] = Math.Round(rate1 * (count - refused1) / count),
            ["p99_ms_1"] = Stats.Percentile(lat1, 99),
            ["attempts_per_run"] = count,
            ["refused_sold_out_or_limit"] = refused,
            ["orders_written"] = orders,
        };
    }

    private static async Task<(double Rate, List<double> Latencies, int Refused)> RunAsync(RewardService rewards, long[] ids, (long Id, int Cost)[] items, DateTime now,
        int count, int writers, int round)
    {
        var latencies = new List<double>(count);
        var next = -1;
        var refused = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var who = ids[(i * 7 + round) % ids.Length];
                var item = items[(i + round) % items.Length];
                var start = Stopwatch.GetTimestamp();
                var outcome = await rewards.RedeemAsync(new RedeemCommand(who, item.Id, 1, item.Cost, Guid.NewGuid().ToString("N")), now);
                mine.Add(Stats.Ms(Stopwatch.GetTimestamp() - start));
                if (!outcome.Ok)
                {
                    if (outcome.Error is not ("Rewards.OutOfStock" or "Rewards.LimitMonth")) throw new InvalidOperationException($"Redemption refused: {outcome.Error}");
                    Interlocked.Increment(ref refused);
                }
            }
            lock (latencies) latencies.AddRange(mine);
        })));
        var rate = count / sw.Elapsed.TotalSeconds;
        latencies.Sort();
        return (rate, latencies, refused);
    }

    private static async Task<(long[] Ids, (long Id, int Cost)[] Items)> SeedAsync(Db db, int people)
    {
        var ids = new List<long>();
        var items = new List<(long, int)>();
        long site = 0;
        await db.WriteAsync(async (c, t) =>
        {
            site = await c.QuerySingleAsync<long>("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('B', '基准', 'Bench', 'Asia/Shanghai', @now) RETURNING id", new { now = DateTime.UtcNow }, t);
            await Catalog.SeedAsync(c, t);
            var team = await c.QuerySingleAsync<long>("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (@site, 'T0', 'T0', 'T0', 'standing') RETURNING id", new { site }, t);
            for (var i = 0; i < people; i++)
            {
                var id = await c.QuerySingleAsync<long>(
                    "INSERT INTO employees (site_id, team_id, employee_no, name_zh, name_en, roles, created_utc) VALUES (@site, @team, @no, @no, @no, 1, @now) RETURNING id",
                    new { site, team, no = $"R{i:00000}", now = DateTime.UtcNow }, t);
                ids.Add(id);
                await PointsLedger.PostAsync(c, t, db.Dialect, new LedgerEntry(id, team, site, 100_000, "claim", "bench", id, 20261101, DateTime.UtcNow));
            }
        });
        var catalogue = new RewardCatalogue(db);
        var admin = new AdminScope(0, site, Org: true);
        for (var i = 0; i < 20; i++)
        {
            // Even items: stock that runs out mid-run; odd items: unlimited, at most 50 per person per month.
            var limited = i % 2 == 0;
            var saved = await catalogue.SaveAsync(new RewardForm(null, 0, site, "physical", $"奖品{i}", $"Item {i}", "", "", 10 + i, !limited, limited ? 550 : 0,
                limited ? null : 50, "month", i % 4 != 1, null, null, true, null), admin, DateTime.UtcNow);
            if (!saved.Ok) throw new InvalidOperationException(saved.Error);
            items.Add((saved.Id!.Value, 10 + i));
        }
        return (ids.ToArray(), items.ToArray());
    }
}
