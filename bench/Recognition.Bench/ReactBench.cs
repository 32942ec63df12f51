using System.Text.Json;
using Recognition.Web.Features.Recognize;

namespace Recognition.Bench;

/// <summary>
/// Issue #35's `react`: N walls connected (the fan-out bench's Node walls, which apply a "reactions" message as wall.js
/// does: in place, no request), while office users react at a fixed rate through the button's own request (an htmx POST
/// to /r/{id}?handler=React with the page's antiforgery token as a header). Each reaction goes to its own public card,
/// so its arrival on a wall is the first "reactions" message for that card: timed from the POST's response to receipt on
/// every wall. RSS sampled every second; missing counted after a drain of walls + 5 s.
/// </summary>
public static class ReactBench
{
    private static readonly string[] Kinds = ["like", "heart", "strong", "party", "learned"];

    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var walls = o.Int("walls", 2000);
        var rate = o.Int("rate", 50);
        var seconds = o.Int("seconds", 60);
        var reactors = o.Int("people", 50);
        var count = rate * seconds;
        await NodeClients.EnsureInstalledAsync();
        var world = await BenchWorld.CreateAsync(people: reactors + 1);
        // The cards people react to, written through the award code before the app starts.
        var awards = new AwardService(world.Db, PolicyStore.Fixed(world.Db, new RulesOptions { DailyRecognitionCap = 1_000_000 }));
        var cards = new List<long>();
        for (var i = 0; i < count + 10; i++)
        {
            var outcome = await awards.AwardAsync(new AwardCommand(world.People[0], [world.People[1 + i % reactors]], world.Badges["mentor"], null,
                $"第 {i} 次：你耐心教我操作新设备，我现在可以独立上岗了，谢谢你！", "public", 0, Guid.NewGuid().ToString("N")), DateTime.UtcNow);
            cards.Add(outcome.Id ?? throw new InvalidOperationException(outcome.Error));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var app = await BenchApp.StartAsync(world.DbFile, new()
        {
            ["Recognition__Security__SignInFailuresPerAddress"] = "100000",
            ["Recognition__Bench__Broadcast"] = "true", // for /bench/memory (loopback only), as the fan-out bench reads it
        });
        // What one wall page costs the server in allocations (before the walls connect, one request at a time): the page, twenty times.
        // --probe 1 (diagnostics, not for recorded results): this, and a /healthz beside the reactions.
        var probeOn = o.Int("probe", 0) == 1;
        var wallAlloc = !probeOn ? -1 : await AllocatedPerRequestAsync(app.BaseUrl, world.DisplayToken, $"/walls/{Uri.EscapeDataString(world.DisplaySlug)}");
        // --nice N: the walls' Node process at a lower CPU priority (0 = the same as the server, the recorded default).
        var nice = o.Int("nice", 0);
        using var node = NodeClients.StartNiced(nice, "fanout.js", app.BaseUrl, walls.ToString(System.Globalization.CultureInfo.InvariantCulture), world.DisplayToken, world.DisplaySlug);
        var ready = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await node.StandardError.ReadToEndAsync());
        if (!ready.StartsWith("ready", StringComparison.Ordinal)) throw new InvalidOperationException(ready);

        // Each office user opens the feed once (its token), then taps: what the page's buttons send.
        var people = new List<(WebClient Client, string Token)>();
        for (var i = 1; i <= reactors; i++)
        {
            var c = new WebClient(app.BaseUrl);
            await c.SignInAsync($"B{i:0000}", BenchWorld.Password);
            var (_, token, _) = await c.GetAsync("/Feed");
            people.Add((c, token ?? throw new InvalidOperationException("no antiforgery token on /Feed")));
        }
        var memoryReady = await people[0].Client.Http.GetStringAsync("/bench/memory");
        static double Epoch() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        var stdin = new SemaphoreSlim(1, 1);
        var posts = new List<double>();
        var slow = new List<(double Ms, double At)>(); // each POST's time and when it was sent (s from the start), for the diagnostics
        var sw0 = System.Diagnostics.Stopwatch.StartNew();
        var errors = 0;
        async Task ReactAsync(int i, bool mark)
        {
            var (client, token) = people[i % people.Count];
            var req = new HttpRequestMessage(HttpMethod.Post, $"/r/{cards[i]}?handler=React")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = Kinds[i % Kinds.Length], ["on"] = "true" }),
            };
            req.Headers.Add("HX-Request", "true");
            req.Headers.Add("RequestVerificationToken", token);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            using var res = await client.Http.SendAsync(req);
            await res.Content.ReadAsStringAsync();
            var took = sw.Elapsed.TotalMilliseconds;
            var t0 = Epoch();
            if (!res.IsSuccessStatusCode) { Interlocked.Increment(ref errors); return; }
            if (!mark) return;
            lock (posts) { posts.Add(took); slow.Add((took, sw0.Elapsed.TotalSeconds - took / 1000)); }
            await stdin.WaitAsync();
            try { await node.StandardInput.WriteLineAsync($"mark reactions {cards[i]} {t0.ToString(System.Globalization.CultureInfo.InvariantCulture)}"); }
            finally { stdin.Release(); }
        }

        for (var i = count; i < count + 10; i++) await ReactAsync(i, false); // warm-up (JIT), on cards of their own
        await Task.Delay(1000);
        var sampled = new List<double> { app.RssMb() };
        using var sampler = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var sampling = Task.Run(async () => { while (await sampler.WaitForNextTickAsync()) lock (sampled) sampled.Add(app.RssMb()); });
        // Beside the reactions, as a reference: a GET /healthz about 50 times a second on a client of its own (no database, no
        // rendering), so a slow POST can be told from a slow server.
        var health = new List<double>();
        using var probe = new WebClient(app.BaseUrl);
        using var probing = new CancellationTokenSource();
        var probeLoop = Task.Run(async () =>
        {
            while (probeOn && !probing.IsCancellationRequested)
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                using (var r = await probe.Http.GetAsync("/healthz")) await r.Content.ReadAsStringAsync();
                lock (health) health.Add(sw.Elapsed.TotalMilliseconds);
                await Task.Delay(TimeSpan.FromMilliseconds(20)); // 50 a second whatever the reactions' rate
            }
        });
        await people[0].Client.Http.GetStringAsync("/bench/posts"); // forget the sign-ins and warm-up
        var interval = 1000.0 / rate;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Cores used by the server, the walls and this process while the reactions flow (the three share this machine's two).
        node.Refresh();
        var (serverCpu0, wallsCpu0, benchCpu0) = (app.CpuTime(), node.TotalProcessorTime, System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);
        var pending = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var due = i * interval - clock.Elapsed.TotalMilliseconds;
            if (due > 0) await Task.Delay(TimeSpan.FromMilliseconds(due));
            pending.Add(ReactAsync(i, true));
        }
        await Task.WhenAll(pending);
        node.Refresh();
        var cores = new
        {
            server = Math.Round((app.CpuTime() - serverCpu0).TotalSeconds / clock.Elapsed.TotalSeconds, 2),
            walls = Math.Round((node.TotalProcessorTime - wallsCpu0).TotalSeconds / clock.Elapsed.TotalSeconds, 2),
            bench = Math.Round((System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - benchCpu0).TotalSeconds / clock.Elapsed.TotalSeconds, 2),
        };
        probing.Cancel();
        await probeLoop;
        await Task.Delay(walls + 5000); // a backlog drains before what is missing is counted
        sampler.Dispose();
        await sampling;
        var inApp = await people[0].Client.Http.GetStringAsync("/bench/posts");
        var memory = await people[0].Client.Http.GetStringAsync("/bench/memory");
        await node.StandardInput.WriteLineAsync("report");
        var line = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("no report");
        var report = JsonDocument.Parse(line).RootElement.GetProperty("reactions");
        await node.WaitForExitAsync();
        foreach (var p in people) p.Client.Dispose();
        posts.Sort();
        var postP99 = posts.Count == 0 ? -1 : Math.Round(posts[Math.Min(posts.Count - 1, (int)Math.Ceiling(0.99 * posts.Count) - 1)], 1);
        var rss = Math.Round(sampled.Max(), 1);
        var wallP99 = report.GetProperty("p99").ValueKind == JsonValueKind.Number ? Math.Round(report.GetProperty("p99").GetDouble(), 1) : -1;
        // Beside the line: what else a reader needs to judge it (on stderr, so the last line stays the issue's).
        Console.Error.WriteLine(JsonSerializer.Serialize(new
        {
            rate, seconds, reactions = posts.Count, post_errors = errors, wall_p50_ms = report.GetProperty("p50").ValueKind == JsonValueKind.Number ? report.GetProperty("p50").GetDouble() : -1,
            receipts = report.GetProperty("receipts").GetInt32(), nice, cores,
            post_p50_ms = posts.Count == 0 ? -1 : Math.Round(posts[posts.Count / 2], 1),
            healthz_p50_ms = health.Count == 0 ? -1 : Math.Round(Stats.Percentile(Sorted(health), 50), 1),
            healthz_p99_ms = health.Count == 0 ? -1 : Math.Round(Stats.Percentile(Sorted(health), 99), 1),
            slowest_posts = slow.OrderByDescending(x => x.Ms).Take(10).Select(x => $"{Math.Round(x.Ms)} ms at {Math.Round(x.At, 1)} s").ToArray(), rss_connected_mb = Math.Round(sampled[0], 1),
            wall_page_alloc_kb = wallAlloc, posts_in_app = JsonDocument.Parse(inApp).RootElement,
            rss_samples = sampled.Select(x => Math.Round(x)).ToArray(),
            gc_connected = JsonDocument.Parse(memoryReady).RootElement, gc = JsonDocument.Parse(memory).RootElement,
        }));
        return new Dictionary<string, object>
        {
            ["scenario"] = "react",
            ["walls"] = walls,
            ["post_p99_ms"] = postP99,
            ["wall_p99_ms"] = wallP99,
            ["missing"] = report.GetProperty("missing").GetInt32() + errors,
            ["rss_mb"] = rss,
        };
    }

    private static async Task<double> AllocatedPerRequestAsync(string baseUrl, string deviceToken, string url)
    {
        using var wall = new WebClient(baseUrl, deviceToken);
        async Task<double> Allocated() => JsonDocument.Parse(await wall.Http.GetStringAsync("/bench/memory")).RootElement.GetProperty("allocated_mb").GetDouble();
        await wall.GetAsync(url);
        var before = await Allocated();
        for (var i = 0; i < 20; i++) await wall.GetAsync(url);
        return Math.Round((await Allocated() - before) * 1024 / 20, 1);
    }

    private static List<double> Sorted(List<double> l)
    {
        lock (l) { var copy = l.ToList(); copy.Sort(); return copy; }
    }
}
