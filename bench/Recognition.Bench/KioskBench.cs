using System.Diagnostics;
using System.Net;

namespace Recognition.Bench;

/// <summary>
/// 50 kiosks at once, each running the real flow in a loop without think time: idle screen, badge scan,
/// home, recognise page, confirm (award), back to idle. Every request's latency is recorded; and one
/// scripted person's time from scan to done is measured on its own.
/// </summary>
public static class KioskBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var kiosks = o.Int("kiosks", 50);
        var seconds = o.Int("seconds", 30);
        // A brisk person needs about a second per step; --think-ms 0 turns this into a saturation test.
        var think = o.Int("think-ms", 1000);
        var world = await BenchWorld.CreateAsync(people: 200, kiosks: kiosks);
        await using var app = await BenchApp.StartAsync(world.DbFile);

        var scripted = await PersonAsync(app.BaseUrl, world, world.KioskTokens[0], 0, null, 0); // warm-up, then the scripted person (server time only)
        scripted = await PersonAsync(app.BaseUrl, world, world.KioskTokens[0], 1, null, 0);

        var latencies = new List<double>();
        var errors = 0;
        var flows = 0;
        var until = DateTime.UtcNow.AddSeconds(seconds);
        await Task.WhenAll(world.KioskTokens.Select((token, k) => Task.Run(async () =>
        {
            var mine = new List<double>();
            for (var n = 0; DateTime.UtcNow < until; n++)
            {
                try
                {
                    await PersonAsync(app.BaseUrl, world, token, k * 1000 + n + 10, mine, think);
                    Interlocked.Increment(ref flows);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            lock (latencies) latencies.AddRange(mine);
        })));
        latencies.Sort();
        return new Dictionary<string, object>
        {
            ["scenario"] = "kiosk",
            ["kiosks"] = kiosks,
            ["p50_ms"] = Stats.Round(Stats.Percentile(latencies, 50)),
            ["p99_ms"] = Stats.Round(Stats.Percentile(latencies, 99)),
            ["requests"] = latencies.Count,
            ["flows"] = flows,
            ["errors"] = errors,
            ["scan_to_done_ms"] = Stats.Round(scripted),
            ["seconds"] = seconds,
            ["think_ms"] = think,
            ["requests_per_sec"] = Math.Round(latencies.Count / (double)seconds),
        };
    }

    /// <summary>One person at one kiosk: scan, open recognise, confirm, and the idle screen again. Returns the time from scan to done.</summary>
    internal static async Task<double> PersonAsync(string baseUrl, BenchWorld world, string kioskToken, int n, List<double>? latencies, int think)
    {
        using var c = new WebClient(baseUrl, kioskToken);
        async Task<T> Timed<T>(Func<Task<T>> request)
        {
            if (think > 0) await Task.Delay(think / 2 + Random.Shared.Next(think));
            var sw = Stopwatch.StartNew();
            var r = await request();
            latencies?.Add(sw.Elapsed.TotalMilliseconds);
            return r;
        }
        var person = n % world.People.Count;
        var (_, idleToken, _) = await Timed(() => c.GetAsync("/kiosk"));
        var total = Stopwatch.StartNew();
        var scan = await Timed(() => c.PostAsync("/kiosk?handler=Scan", idleToken!, new() { ["code"] = $"BADGE-B{person:0000}" }));
        if (scan.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("scan failed");
        await Timed(() => c.GetAsync("/kiosk/home"));
        var (_, token, key) = await Timed(() => c.GetAsync("/kiosk/recognize"));
        // What the kiosk page does while the person chooses: the chosen badge's suggested phrases, and "still here"
        // (kiosk.js sends it on a touch at most every 5 s, so the server-side session follows the idle rule).
        await Timed(() => c.GetAsync($"/kiosk/recognize?handler=Phrases&badgeId={world.Badges["mentor"]}"));
        var alive = await Timed(() => c.PostAsync("/kiosk/home?handler=Alive", token!, []));
        if (alive.StatusCode != HttpStatusCode.NoContent) throw new InvalidOperationException("still-here failed " + (int)alive.StatusCode);
        var to = world.People[(person + 1) % world.People.Count];
        var confirm = await Timed(() => c.PostAsync("/kiosk/recognize", token!, new()
        {
            ["IdempotencyKey"] = key!, ["RecipientIds"] = to.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BadgeId"] = world.Badges["mentor"].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Phrase"] = "你耐心教我操作新设备，我现在可以独立上岗了。", ["PointsEach"] = "0",
        }));
        if (confirm.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("award failed " + (int)confirm.StatusCode);
        await Timed(() => c.GetAsync(confirm.Headers.Location!.OriginalString));
        return total.Elapsed.TotalMilliseconds;
    }
}
