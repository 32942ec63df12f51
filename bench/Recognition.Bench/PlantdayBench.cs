using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;

namespace Recognition.Bench;

/// <summary>
/// A plant's day in ten minutes: 2,000 walls (Node, doing what wall.js does), 50 kiosks running the real kiosk flow with
/// a person's pace (each idle screen holding its hub connection), 200 office users reading the feed and their page and
/// opening Recognise (with a typeahead search) with their personal hub connection open,
/// awards at 10/s from the Recognise page, a claim and its approval every 5 s, a shift-meeting PDF every 10 s. Reports
/// p99 per request class, errors, wall events missed, and the server's RSS at the start of the last five minutes and
/// at the end.
/// </summary>
public static partial class PlantdayBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var minutes = o.Int("minutes", 10);
        var walls = o.Int("walls", 2000);
        var kiosks = o.Int("kiosks", 50);
        var office = o.Int("office", 200);
        var rate = o.Int("rate", 10);
        await NodeClients.EnsureInstalledAsync();
        var world = await BenchWorld.CreateAsync(people: 400, kiosks: kiosks);
        // One supervisor leads every team (approvals, PDFs); people sign in with the bench password.
        var supervisor = world.People[^1];
        await world.Db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE employees SET roles = 3 WHERE id = @supervisor", new { supervisor }, t);
            await c.ExecuteAsync("INSERT INTO team_leaders (team_id, employee_id) SELECT id, @supervisor FROM teams", new { supervisor }, t);
            // One reporter files every 5 s: the hazard rule's per-person caps (3 a day) would refuse most of them.
            await c.ExecuteAsync("UPDATE behaviour_rules SET cap_per_day = NULL, cap_per_week = NULL, cap_per_month = NULL WHERE system_key = 'hazard_report'", transaction: t);
        });
        var hazard = await world.Db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM behaviour_rules WHERE system_key = 'hazard_report'"));
        var team = await world.Db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM teams"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var app = await BenchApp.StartAsync(world.DbFile, new()
        {
            ["Recognition__Security__SignInFailuresPerAddress"] = "100000",
            ["Recognition__Bench__Broadcast"] = "true", // /bench/memory: the managed heap next to RSS, to tell managed growth from native
        });
        using var node = NodeClients.Start("fanout.js", app.BaseUrl, walls.ToString(CultureInfo.InvariantCulture), world.DisplayToken, world.DisplaySlug);
        var ready = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await node.StandardError.ReadToEndAsync());
        if (!ready.StartsWith("ready", StringComparison.Ordinal)) throw new InvalidOperationException(ready);
        var stdin = new SemaphoreSlim(1, 1);
        using var people = new PeopleHubs(app.BaseUrl);
        foreach (var token in world.KioskTokens) await people.KioskAsync(token);

        var pages = new RequestClass();
        var kioskClass = new RequestClass();
        var pdf = new RequestClass();
        var claims = new RequestClass();
        var awardPosts = new RequestClass();
        var until = DateTime.UtcNow.AddMinutes(minutes);
        var rss = new List<MemorySamples.Sample>();
        using var probe = new WebClient(app.BaseUrl);
        var clock = Stopwatch.StartNew();

        async Task<T> Timed<T>(RequestClass cls, Func<Task<T>> work)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                var r = await work();
                cls.Add(sw.Elapsed.TotalMilliseconds);
                return r;
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref cls.Errors);
                throw new OperationCanceledException("counted");
            }
        }
        static async Task Quietly(Func<Task> work) { try { await work(); } catch (OperationCanceledException) { } }

        // Awards at a fixed rate from ten signed-in givers, each through the Recognise page as a browser posts it.
        var givers = new List<WebClient>();
        for (var i = 0; i < 10; i++)
        {
            var g = new WebClient(app.BaseUrl);
            await g.SignInAsync($"B{i:0000}", BenchWorld.Password);
            givers.Add(g);
        }
        var awardsSent = 0;
        var awardTask = Task.Run(async () =>
        {
            var pending = new List<Task>();
            var interval = 1000.0 / rate;
            var started = clock.Elapsed.TotalMilliseconds;
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                var due = started + i * interval - clock.Elapsed.TotalMilliseconds;
                if (due > 0) await Task.Delay(TimeSpan.FromMilliseconds(due));
                var n = i;
                pending.Add(Quietly(async () =>
                {
                    var giver = givers[n % givers.Count];
                    var to = world.People[20 + n % 300];
                    var (_, token, key) = await Timed(pages, () => giver.GetAsync($"/Recognize?to={to}"));
                    var res = await Timed(awardPosts, () => giver.PostAsync("/Recognize", token!, new()
                    {
                        ["IdempotencyKey"] = key!, ["RecipientIds"] = to.ToString(CultureInfo.InvariantCulture),
                        ["BadgeId"] = world.Badges["mentor"].ToString(CultureInfo.InvariantCulture),
                        // Words of their own each time, as people write them: the page asks before sending the same words to the same person twice in a day.
                        ["Message"] = $"第 {n} 次：你耐心教我操作新设备，我现在可以独立上岗了，谢谢你！", ["Visibility"] = "public", ["PointsEach"] = "0",
                    }));
                    var t0 = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
                    var id = res.Headers.Location?.OriginalString.Split("done=").Last();
                    if (res.StatusCode != HttpStatusCode.Redirect || id is null) { Interlocked.Increment(ref awardPosts.Errors); return; }
                    Interlocked.Increment(ref awardsSent);
                    await stdin.WaitAsync();
                    try { await node.StandardInput.WriteLineAsync($"mark card {id} {t0.ToString(CultureInfo.InvariantCulture)}"); }
                    finally { stdin.Release(); }
                }));
            }
            await Task.WhenAll(pending);
        });

        // Kiosks: the real flow at a person's pace.
        var kioskTasks = world.KioskTokens.Select((token, k) => Task.Run(async () =>
        {
            var mine = new List<double>();
            for (var n = 0; DateTime.UtcNow < until; n++)
            {
                try { await KioskBench.PersonAsync(app.BaseUrl, world, token, 100 + k * 1000 + n, mine, 1000); }
                catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException) { Interlocked.Increment(ref kioskClass.Errors); }
            }
            foreach (var ms in mine) kioskClass.Add(ms);
        })).ToList();

        // Office users: the feed, my page, Recognise with a typeahead search, every 10–20 s each.
        var officeTasks = Enumerable.Range(0, office).Select(u => Task.Run(async () =>
        {
            using var c = new WebClient(app.BaseUrl);
            await Task.Delay(Random.Shared.Next(15_000));
            try { await c.SignInAsync($"B{20 + u:0000}", BenchWorld.Password); }
            catch (InvalidOperationException) { Interlocked.Increment(ref pages.Errors); return; }
            await people.PersonAsync(c.CookieHeader);
            while (DateTime.UtcNow < until)
            {
                await Quietly(async () =>
                {
                    await Timed(pages, () => c.GetAsync("/Feed"));
                    await Task.Delay(3000 + Random.Shared.Next(3000));
                    await Timed(pages, () => c.GetAsync("/Me"));
                    await Task.Delay(3000 + Random.Shared.Next(3000));
                    await Timed(pages, () => c.GetAsync("/Recognize"));
                    await Timed(pages, () => c.GetAsync("/Recognize?handler=Search&q=%E7%8E%8B%E4%BC%9F1"));
                });
                await Task.Delay(3000 + Random.Shared.Next(6000));
            }
        })).ToList();

        // A hazard report and its approval every 5 s; a shift-meeting PDF every 10 s.
        using var reporter = new WebClient(app.BaseUrl);
        await reporter.SignInAsync("B0015", BenchWorld.Password);
        using var boss = new WebClient(app.BaseUrl);
        await boss.SignInAsync($"B{world.People.Count - 1:0000}", BenchWorld.Password);
        var claimTask = Task.Run(async () =>
        {
            while (DateTime.UtcNow < until)
            {
                await Quietly(async () =>
                {
                    var (_, token, key) = await Timed(claims, () => reporter.GetAsync("/Claims/New"));
                    var res = await Timed(claims, () => reporter.PostAsync("/Claims/New", token!, new()
                    {
                        ["IdempotencyKey"] = key!, ["RuleId"] = hazard.ToString(CultureInfo.InvariantCulture),
                        ["Description"] = "2 号通道地面有油渍，已放警示牌，需要清理。", ["Location"] = "2 号车间",
                    }));
                    var id = ClaimId().Match(res.Headers.Location?.OriginalString ?? "");
                    if (res.StatusCode != HttpStatusCode.Redirect || !id.Success) { Interlocked.Increment(ref claims.Errors); return; }
                    var (_, bossToken, _) = await Timed(claims, () => boss.GetAsync("/Supervisor/Approvals"));
                    var ok = await Timed(claims, () => boss.PostAsync("/Supervisor/Approvals?handler=Approve", bossToken!, new() { ["id"] = id.Groups[1].Value }));
                    if (ok.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref claims.Errors);
                });
                await Task.Delay(5000);
            }
        });
        var pdfTask = Task.Run(async () =>
        {
            while (DateTime.UtcNow < until)
            {
                await Quietly(async () =>
                {
                    var bytes = await Timed(pdf, async () =>
                    {
                        var res = await boss.Http.GetAsync($"/Supervisor/Summary?handler=Pdf&team={team}");
                        if (!res.IsSuccessStatusCode) throw new InvalidOperationException("pdf " + (int)res.StatusCode);
                        return await res.Content.ReadAsByteArrayAsync();
                    });
                    if (bytes.Length < 1000) Interlocked.Increment(ref pdf.Errors);
                });
                await Task.Delay(10_000);
            }
        });
        var rssTask = MemorySamples.RunAsync(app, probe, clock, until, rss);
        await Task.WhenAll([awardTask, claimTask, pdfTask, rssTask, .. kioskTasks, .. officeTasks]);
        await Task.Delay(walls + 5000);
        var rssEnd = app.RssMb();
        var memoryEnd = JsonDocument.Parse(await probe.Http.GetStringAsync("/bench/memory")).RootElement;
        await node.StandardInput.WriteLineAsync("report");
        var line = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("no report");
        var report = JsonDocument.Parse(line).RootElement;
        await node.WaitForExitAsync();
        var peopleReport = await people.ReportAsync();
        foreach (var g in givers) g.Dispose();
        var lastFive = rss.Where(r => r.Minute >= minutes - 5).ToList();
        var rssStart = lastFive.Count > 0 ? lastFive[0].Mb : rss.FirstOrDefault().Mb;
        var heapStart = lastFive.Count > 0 ? lastFive[0].HeapMb : rss.FirstOrDefault().HeapMb;
        var hubErrors = peopleReport.GetProperty("errors").GetInt32() + peopleReport.GetProperty("feed_errors").GetInt32();
        var errors = pages.Errors + kioskClass.Errors + pdf.Errors + claims.Errors + awardPosts.Errors + hubErrors;
        return new Dictionary<string, object>
        {
            ["scenario"] = "plantday",
            ["minutes"] = minutes,
            ["walls"] = report.GetProperty("connected").GetInt32(),
            ["award_to_wall_p99_ms"] = report.GetProperty("card").GetProperty("p99").ValueKind == JsonValueKind.Number ? Math.Round(report.GetProperty("card").GetProperty("p99").GetDouble(), 1) : -1,
            ["page_p99_ms"] = pages.P99(),
            ["kiosk_p99_ms"] = kioskClass.P99(),
            ["pdf_p99_ms"] = pdf.P99(),
            ["errors"] = errors,
            ["missed"] = report.GetProperty("card").GetProperty("missing").GetInt32(),
            ["rss_start_mb"] = rssStart,
            ["rss_end_mb"] = rssEnd,
            ["rss_trend_last_five_pct"] = MemorySamples.TrendPercent(lastFive),
            ["errors_by_class"] = new Dictionary<string, int> { ["page"] = pages.Errors, ["kiosk"] = kioskClass.Errors, ["pdf"] = pdf.Errors, ["claim"] = claims.Errors, ["award"] = awardPosts.Errors, ["hub"] = hubErrors },
            ["award_post_p99_ms"] = awardPosts.P99(),
            ["claim_p99_ms"] = claims.P99(),
            ["p99_after_first_minute_ms"] = RequestClass.AfterFirstMinute(("page", pages), ("kiosk", kioskClass), ("award_post", awardPosts), ("claim", claims), ("pdf", pdf)),
            ["awards"] = awardsSent,
            ["page_requests"] = pages.Count,
            ["kiosk_requests"] = kioskClass.Count,
            ["pdfs"] = pdf.Count,
            ["rss_samples_mb"] = rss.Select(r => r.Mb).ToArray(),
            ["heap_start_mb"] = heapStart,
            ["heap_end_mb"] = rss.LastOrDefault().HeapMb,
            ["heap_samples_mb"] = rss.Select(r => r.HeapMb).ToArray(),
            ["committed_samples_mb"] = rss.Select(r => r.CommittedMb).ToArray(), // the GC's committed memory: RSS minus this is native
            ["gc_end"] = memoryEnd, // collections, heap trims and the last trim's pause
            ["people_connections"] = peopleReport, // office users on /hubs/me, kiosk idle screens on /hubs/wall, toasts and events they got
        };
    }

    [GeneratedRegex("done=(\\d+)")]
    private static partial Regex ClaimId();
}
