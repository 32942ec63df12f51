using System.Text.Json;

namespace Recognition.Bench;

/// <summary>
/// N wall clients (Node, @microsoft/signalr over WebSockets) on one site. Each measured message is timed
/// from the moment the award POST's response arrives to its receipt on every wall; in the same run a raw
/// hub broadcast of a card-sized payload (no outbox, no relay) is the baseline.
/// </summary>
public static class FanoutBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var sets = (o.Text("set") ?? o.Int("walls", 2000).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var messages = o.Int("messages", 40);
        await NodeClients.EnsureInstalledAsync();
        var runs = new List<Dictionary<string, object>>();
        foreach (var walls in sets) runs.Add(await OneAsync(walls, messages));
        var main = runs.FirstOrDefault(r => (int)r["walls"] == 2000) ?? runs[0];
        var result = new Dictionary<string, object>(main) { ["scenario"] = "fanout" };
        if (runs.Count > 1) result["runs"] = runs;
        return result;
    }

    private static async Task<Dictionary<string, object>> OneAsync(int walls, int messages)
    {
        var world = await BenchWorld.CreateAsync(people: 40);
        await using var app = await BenchApp.StartAsync(world.DbFile, new()
        {
            ["Recognition__Bench__Broadcast"] = "true",
            ["Recognition__Security__SignInFailuresPerAddress"] = "100000",
        });
        using var node = NodeClients.Start("fanout.js", app.BaseUrl, walls.ToString(System.Globalization.CultureInfo.InvariantCulture), world.DisplayToken);
        var ready = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await node.StandardError.ReadToEndAsync());
        if (!ready.StartsWith("ready", StringComparison.Ordinal)) throw new InvalidOperationException(ready);
        var rss = app.RssMb();
        var rssReady = rss;
        using var raw = new WebClient(app.BaseUrl);
        var memoryReady = await raw.Http.GetStringAsync("/bench/memory");

        using var giver = new WebClient(app.BaseUrl);
        await giver.SignInAsync("B0000", BenchWorld.Password);
        static double Epoch() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

        async Task AwardAsync(int i, bool mark)
        {
            var (_, token, key) = await giver.GetAsync($"/Recognize?to={world.People[1 + i % (world.People.Count - 1)]}");
            var res = await giver.PostAsync("/Recognize", token!, new()
            {
                ["IdempotencyKey"] = key!, ["RecipientIds"] = world.People[1 + i % (world.People.Count - 1)].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["BadgeId"] = world.Badges["mentor"].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Message"] = "你耐心教我操作新设备，我现在可以独立上岗了，谢谢你！", ["Visibility"] = "public", ["PointsEach"] = "0",
            });
            var t0 = Epoch();
            var id = res.Headers.Location?.OriginalString.Split("done=").Last();
            if (res.StatusCode != System.Net.HttpStatusCode.Redirect || id is null) throw new InvalidOperationException($"award failed: {(int)res.StatusCode}");
            if (mark) await node.StandardInput.WriteLineAsync($"mark card {id} {t0.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        async Task BroadcastAsync(int i, bool mark)
        {
            var res = await raw.Http.PostAsync($"/bench/broadcast?site={world.SiteId}&id={i}", null);
            var t0 = Epoch();
            res.EnsureSuccessStatusCode();
            if (mark) await node.StandardInput.WriteLineAsync($"mark bench {i} {t0.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        for (var i = 0; i < 5; i++) { await AwardAsync(i, false); await BroadcastAsync(-1 - i, false); } // warm-up (JIT)
        await Task.Delay(1000);
        for (var i = 0; i < messages; i++)
        {
            // Interleaved, each after the previous one has had time to reach every wall.
            await AwardAsync(100 + i, true);
            await Task.Delay(walls / 4 + 150);
            await BroadcastAsync(1000 + i, true);
            await Task.Delay(walls / 4 + 150);
        }
        rss = Math.Max(rss, app.RssMb());
        var memory = await raw.Http.GetStringAsync("/bench/memory");
        await node.StandardInput.WriteLineAsync("report");
        var line = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("no report");
        var report = JsonDocument.Parse(line).RootElement;
        double P(string kind, string q) => report.GetProperty(kind).GetProperty(q).ValueKind == JsonValueKind.Number ? Math.Round(report.GetProperty(kind).GetProperty(q).GetDouble(), 1) : -1;
        await node.WaitForExitAsync();
        return new Dictionary<string, object>
        {
            ["walls"] = walls,
            ["connected"] = report.GetProperty("connected").GetInt32(),
            ["p50_ms"] = P("card", "p50"),
            ["p99_ms"] = P("card", "p99"),
            ["baseline_p50_ms"] = P("bench", "p50"),
            ["baseline_p99_ms"] = P("bench", "p99"),
            ["missing"] = report.GetProperty("card").GetProperty("missing").GetInt32() + report.GetProperty("bench").GetProperty("missing").GetInt32(),
            ["server_rss_mb"] = rss,
            ["messages"] = messages,
            ["rss_connected_mb"] = rssReady,
            ["gc_connected"] = JsonDocument.Parse(memoryReady).RootElement,
            ["gc"] = JsonDocument.Parse(memory).RootElement,
        };
    }
}
