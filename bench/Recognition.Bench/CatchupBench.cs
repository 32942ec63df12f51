using System.Text.Json;
using Recognition.Web.Features.Recognize;

namespace Recognition.Bench;

/// <summary>
/// 2,000 walls reconnect at random moments within 30 s; each must get every recognition it missed
/// from the catch-up endpoint, with no errors. The server starts just before them, as after a restart, so the first
/// walls meet code that is not yet compiled; the report gives the p99 without the first second too.
/// </summary>
public static class CatchupBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var walls = o.Int("walls", 2000);
        var window = o.Int("window", 30);
        var missed = o.Int("missed", 50);
        await NodeClients.EnsureInstalledAsync();
        var world = await BenchWorld.CreateAsync(people: 40);
        // What the walls missed while they were away, written through the award code.
        var awards = new AwardService(world.Db, PolicyStore.Fixed(world.Db, new RulesOptions { DailyRecognitionCap = 100000 }));
        for (var i = 0; i < missed; i++)
        {
            var outcome = await awards.AwardAsync(new AwardCommand(world.People[0], [world.People[1 + i % 39]], world.Badges["mentor"], null,
                "你耐心教我操作新设备，我现在可以独立上岗了，谢谢你！", "public", 0, Guid.NewGuid().ToString("N")), DateTime.UtcNow);
            if (!outcome.Ok) throw new InvalidOperationException(outcome.Error);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var app = await BenchApp.StartAsync(world.DbFile);
        using var node = NodeClients.Start("catchup.js", app.BaseUrl, walls.ToString(System.Globalization.CultureInfo.InvariantCulture), world.DisplayToken,
            world.DisplaySlug, "0", missed.ToString(System.Globalization.CultureInfo.InvariantCulture), window.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var line = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await node.StandardError.ReadToEndAsync());
        var rss = app.RssMb();
        await node.WaitForExitAsync();
        var r = JsonDocument.Parse(line).RootElement;
        return new Dictionary<string, object>
        {
            ["scenario"] = "catchup",
            ["walls"] = walls,
            ["window_s"] = window,
            ["missed_per_wall"] = missed,
            ["caught_up"] = r.GetProperty("caught_up").GetInt32(),
            ["errors"] = r.GetProperty("errors").GetInt32(),
            ["incomplete"] = r.GetProperty("incomplete").GetInt32(),
            ["p50_ms"] = Math.Round(r.GetProperty("p50").GetDouble(), 1),
            ["p99_ms"] = Math.Round(r.GetProperty("p99").GetDouble(), 1),
            // The walls that reconnected once the server had been up a second; the first ones pay for its start.
            ["p99_after_first_second_ms"] = Math.Round(r.GetProperty("warm_p99").GetDouble(), 1),
            ["slowest"] = JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetProperty("slowest").GetRawText())!,
            ["server_rss_mb"] = rss,
        };
    }
}
