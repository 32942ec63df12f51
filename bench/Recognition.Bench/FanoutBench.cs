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
        // --rate R --seconds S: awards arrive continuously at R per second for S seconds (and a raw broadcast once a second
        // among them), instead of one message at a time.
        var rate = o.Int("rate", 0);
        var seconds = o.Int("seconds", 60);
        await NodeClients.EnsureInstalledAsync();
        var runs = new List<Dictionary<string, object>>();
        foreach (var walls in sets) runs.Add(await OneAsync(walls, messages, rate, seconds));
        var main = runs.FirstOrDefault(r => (int)r["walls"] == 2000) ?? runs[0];
        var result = new Dictionary<string, object>(main) { ["scenario"] = "fanout" };
        if (runs.Count > 1) result["runs"] = runs;
        return result;
    }

    private static async Task<Dictionary<string, object>> OneAsync(int walls, int messages, int rate, int seconds)
    {
        var world = await BenchWorld.CreateAsync(people: 40);
        await using var app = await BenchApp.StartAsync(world.DbFile, new()
        {
            ["Recognition__Bench__Broadcast"] = "true",
            ["Recognition__Security__SignInFailuresPerAddress"] = "100000",
        });
        using var node = NodeClients.Start("fanout.js", app.BaseUrl, walls.ToString(System.Globalization.CultureInfo.InvariantCulture), world.DisplayToken, world.DisplaySlug);
        var ready = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await node.StandardError.ReadToEndAsync());
        if (!ready.StartsWith("ready", StringComparison.Ordinal)) throw new InvalidOperationException(ready);
        var rss = app.RssMb();
        var rssReady = rss;
        using var raw = new WebClient(app.BaseUrl);
        var memoryReady = await raw.Http.GetStringAsync("/bench/memory");

        using var giver = new WebClient(app.BaseUrl);
        await giver.SignInAsync("B0000", BenchWorld.Password);
        static double Epoch() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        // Marks come from concurrent awards and broadcasts in the sustained run: one line at a time into Node's stdin.
        var stdin = new SemaphoreSlim(1, 1);
        async Task MarkAsync(string line)
        {
            await stdin.WaitAsync();
            try { await node.StandardInput.WriteLineAsync(line); }
            finally { stdin.Release(); }
        }

        async Task AwardAsync(int i, bool mark)
        {
            var (_, token, key) = await giver.GetAsync($"/Recognize?to={world.People[1 + i % (world.People.Count - 1)]}");
            var res = await giver.PostAsync("/Recognize", token!, new()
            {
                ["IdempotencyKey"] = key!, ["RecipientIds"] = world.People[1 + i % (world.People.Count - 1)].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["BadgeId"] = world.Badges["mentor"].ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Words of their own each time, as people write them: the page asks before sending the same words to the same person twice in a day.
                ["Message"] = $"第 {i} 次：你耐心教我操作新设备，我现在可以独立上岗了，谢谢你！", ["Visibility"] = "public", ["PointsEach"] = "0",
            });
            var t0 = Epoch();
            var id = res.Headers.Location?.OriginalString.Split("done=").Last();
            if (res.StatusCode != System.Net.HttpStatusCode.Redirect || id is null) throw new InvalidOperationException($"award failed: {(int)res.StatusCode}");
            if (mark) await MarkAsync($"mark card {id} {t0.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        async Task BroadcastAsync(int i, bool mark)
        {
            var res = await raw.Http.PostAsync($"/bench/broadcast?site={world.SiteId}&id={i}", null);
            var t0 = Epoch();
            res.EnsureSuccessStatusCode();
            if (mark) await MarkAsync($"mark bench {i} {t0.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        for (var i = 0; i < 5; i++) { await AwardAsync(i, false); await BroadcastAsync(-1 - i, false); } // warm-up (JIT)
        await Task.Delay(1000);
        var sampled = new List<double>();
        // Cores used by the server and by the Node walls while messages flow: the two share this machine's cores, so a
        // client that cannot keep up shows here (the server idle, the client at every core it has).
        var cpuClock = System.Diagnostics.Stopwatch.StartNew();
        var (serverCpu0, clientCpu0) = (app.CpuTime(), node.TotalProcessorTime);
        (double Server, double Client) Cores()
        {
            node.Refresh();
            var s = cpuClock.Elapsed.TotalSeconds;
            return (Math.Round((app.CpuTime() - serverCpu0).TotalSeconds / s, 2), Math.Round((node.TotalProcessorTime - clientCpu0).TotalSeconds / s, 2));
        }
        double serverCores, clientCores;
        if (rate > 0)
        {
            // Sustained: an award every 1/rate s on a fixed schedule (not waiting for the previous one), and once a second a raw
            // broadcast half an interval after an award (the baseline, measured under the same load); RSS sampled every second.
            messages = rate * seconds;
            var interval = 1000.0 / rate;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var pending = new List<Task>();
            using var sampler = new PeriodicTimer(TimeSpan.FromSeconds(1));
            var sampling = Task.Run(async () => { while (await sampler.WaitForNextTickAsync()) lock (sampled) sampled.Add(app.RssMb()); });
            for (var i = 0; i < messages; i++)
            {
                var due = i * interval - clock.Elapsed.TotalMilliseconds;
                if (due > 0) await Task.Delay(TimeSpan.FromMilliseconds(due));
                pending.Add(AwardAsync(100 + i, true));
                if (i % rate != 0) continue;
                var half = (i + 0.5) * interval - clock.Elapsed.TotalMilliseconds;
                if (half > 0) await Task.Delay(TimeSpan.FromMilliseconds(half));
                pending.Add(BroadcastAsync(100_000 + i, true));
            }
            await Task.WhenAll(pending);
            (serverCores, clientCores) = Cores();
            await Task.Delay(walls + 5000); // let a backlog drain before counting what is missing
            sampler.Dispose();
            await sampling;
        }
        else
        {
            for (var i = 0; i < messages; i++)
            {
                // Interleaved, each after the previous one has had time to reach every wall.
                await AwardAsync(100 + i, true);
                await Task.Delay(walls / 4 + 150);
                await BroadcastAsync(1000 + i, true);
                await Task.Delay(walls / 4 + 150);
            }
            (serverCores, clientCores) = Cores();
        }
        rss = Math.Max(rss, Math.Max(app.RssMb(), sampled.Count == 0 ? 0 : sampled.Max()));
        var memory = await raw.Http.GetStringAsync("/bench/memory");
        var live = await raw.Http.GetStringAsync("/bench/memory?collect=true"); // after the measurement: what stays live
        await node.StandardInput.WriteLineAsync("report");
        var line = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("no report");
        var report = JsonDocument.Parse(line).RootElement;
        double P(string kind, string q) => report.GetProperty(kind).GetProperty(q).ValueKind == JsonValueKind.Number ? Math.Round(report.GetProperty(kind).GetProperty(q).GetDouble(), 1) : -1;
        await node.WaitForExitAsync();
        return new Dictionary<string, object>
        {
            ["walls"] = walls,
            ["connected"] = report.GetProperty("connected").GetInt32(),
            ["client_threads"] = report.GetProperty("threads").GetInt32(),
            ["server_cpu_cores"] = serverCores,
            ["client_cpu_cores"] = clientCores,
            ["p50_ms"] = P("card", "p50"),
            ["p99_ms"] = P("card", "p99"),
            ["baseline_p50_ms"] = P("bench", "p50"),
            ["baseline_p99_ms"] = P("bench", "p99"),
            ["missing"] = report.GetProperty("card").GetProperty("missing").GetInt32() + report.GetProperty("bench").GetProperty("missing").GetInt32(),
            ["server_rss_mb"] = rss,
            ["messages"] = messages,
            ["rate_per_s"] = rate,
            ["seconds"] = rate > 0 ? seconds : 0,
            ["rss_connected_mb"] = rssReady,
            ["gc_connected"] = JsonDocument.Parse(memoryReady).RootElement,
            ["gc"] = JsonDocument.Parse(memory).RootElement,
            ["gc_live_after"] = JsonDocument.Parse(live).RootElement,
        };
    }
}
