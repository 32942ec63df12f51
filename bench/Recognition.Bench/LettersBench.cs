using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Bench;

/// <summary>
/// Welcome letters for a plant: 2,000 people with no way to sign in yet, and an admin who asks the People page for
/// "everyone without a way to sign in" — the same form post the page makes — and downloads the PDF. total_ms is that
/// request from post to last byte; rss_growth_mb is the app's peak resident memory during it (sampled every 20 ms)
/// over its resident memory before.
/// </summary>
public static class LettersBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var people = o.Int("letters", 2_000);
        var world = await BenchWorld.CreateAsync(people: 0);
        await world.Db.WriteAsync(async (c, t) =>
        {
            var now = DateTime.UtcNow;
            var team = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM teams", transaction: t);
            await c.ExecuteAsync(
                "INSERT INTO employees (site_id, team_id, employee_no, name_zh, name_en, roles, password_hash, created_utc) VALUES (@SiteId, NULL, 'ADMIN', '人事', 'HR', 5, @hash, @now)",
                new { world.SiteId, hash = new PasswordHasher<Credential>().HashPassword(new Credential(), BenchWorld.Password), now }, t);
            for (var i = 0; i < people; i++)
            {
                await c.ExecuteAsync(
                    "INSERT INTO employees (site_id, team_id, employee_no, badge_code, name_zh, name_en, roles, created_utc) VALUES (@SiteId, @team, @no, @badge, @zh, @en, 1, @now)",
                    new { world.SiteId, team, no = $"L{i:00000}", badge = i % 2 == 0 ? $"BADGE-L{i:00000}" : null, zh = $"李娜{i}", en = $"Na Li {i}", now }, t);
            }
        });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var app = await BenchApp.StartAsync(world.DbFile);
        using var admin = new WebClient(app.BaseUrl);
        await admin.SignInAsync("ADMIN", BenchWorld.Password);
        var (_, token, _) = await admin.GetAsync("/Admin/People");
        await Task.Delay(500);
        var before = app.RssMb();
        var peak = before;
        using var cts = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                peak = Math.Max(peak, app.RssMb());
                await Task.Delay(20);
            }
        });
        var sw = Stopwatch.StartNew();
        var res = await admin.PostAsync("/Admin/People?handler=Letters", token!, new() { ["Who"] = "without" });
        var pdf = await res.Content.ReadAsByteArrayAsync();
        var totalMs = sw.Elapsed.TotalMilliseconds;
        await cts.CancelAsync();
        await sampler;
        if (res.Content.Headers.ContentType?.MediaType != "application/pdf") throw new InvalidOperationException($"letters: {(int)res.StatusCode}");
        var letters = await world.Db.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM employees WHERE activation_hash IS NOT NULL"));
        Console.WriteLine($"letters details: {pdf.Length / 1024} KB PDF, RSS before {before} MB, peak {peak} MB");
        return new Dictionary<string, object>
        {
            ["scenario"] = "letters",
            ["letters"] = letters,
            ["total_ms"] = Stats.Round(totalMs),
            ["rss_growth_mb"] = Stats.Round(peak - before),
        };
    }
}
