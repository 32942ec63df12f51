using System.Diagnostics;
using System.Net;
using Recognition.Web.Features.Recognize;

namespace Recognition.Bench;

/// <summary>
/// Portable badges (issue #36) against the app in Release on SQLite, doing what a person's browser does: one person with
/// 5,000 badge recognitions signs in; each download of /me/credentials/recognition/{id} issues (and stores) a credential;
/// each /verify is the page's form post of a credential (with its antiforgery token); then the personal export
/// (/me/export.json, streamed) is read to the end while the app's RSS is sampled every 20 ms.
/// </summary>
public static class CredentialsBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var recognitions = o.Int("recognitions", 5000);
        var issues = o.Int("issues", 1000);
        var verifies = o.Int("verifies", 1000);
        var world = await BenchWorld.CreateAsync(people: 20);
        var holder = world.People[0];
        var awards = new AwardService(world.Db, PolicyStore.Fixed(world.Db, new RulesOptions { MonthlyAllowance = 100_000_000, MaxSharePercentToOnePerson = 100, DailyRecognitionCap = 1_000_000 }));
        var badges = new[] { world.Badges["mentor"], world.Badges["safety_star"], world.Badges["customer_guardian"] };
        var start = DateTime.UtcNow.AddDays(-recognitions / 10.0);
        for (var i = 0; i < recognitions; i++)
        {
            var outcome = await awards.AwardAsync(new AwardCommand(world.People[1 + i % 19], [holder], badges[i % badges.Length], null,
                $"第 {i} 次：你在交接班时把异常写得清清楚楚，下一班少走了很多弯路。", "public", 5, Guid.NewGuid().ToString("N")), start.AddMinutes(i * 144));
            if (!outcome.Ok) throw new InvalidOperationException($"Award refused: {outcome.Error}");
        }
        var ids = (await world.Db.ReadAsync(c => Dapper.SqlMapper.QueryAsync<long>(c,
            "SELECT r.id FROM recognitions r JOIN recognition_recipients x ON x.recognition_id = r.id WHERE x.employee_id = @holder ORDER BY r.id", new { holder }))).ToList();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var app = await BenchApp.StartAsync(world.DbFile);
        using var web = new WebClient(app.BaseUrl);
        await web.SignInAsync("B0000", BenchWorld.Password);
        for (var i = 0; i < 20; i++) await DownloadAsync(web, ids[ids.Count - 1 - i]); // warm-up: JIT, the signing key

        var issued = new List<string>(issues);
        var issueMs = new List<double>(issues);
        for (var i = 0; i < issues; i++)
        {
            var sw = Stopwatch.StartNew();
            issued.Add(await DownloadAsync(web, ids[i]));
            issueMs.Add(sw.Elapsed.TotalMilliseconds);
        }
        var (_, token, _) = await web.GetAsync("/verify");
        var verifyMs = new List<double>(verifies);
        for (var i = 0; i < verifies; i++)
        {
            var sw = Stopwatch.StartNew();
            var res = await web.PostAsync("/verify", token!, new() { ["Token"] = issued[i % issued.Count] });
            var html = await res.Content.ReadAsStringAsync();
            verifyMs.Add(sw.Elapsed.TotalMilliseconds);
            if (res.StatusCode != HttpStatusCode.OK || !html.Contains("data-verdict=\"valid\"", StringComparison.Ordinal)) throw new InvalidOperationException("verify did not say valid");
        }

        // The export: RSS before, and its peak while the response is read to the end.
        await Task.Delay(1000);
        var before = app.RssMb();
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, app.RssMb());
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var exportWatch = Stopwatch.StartNew();
        using var export = await web.Http.GetAsync("/me/export.json", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await export.Content.ReadAsStreamAsync();
        var bytes = 0L;
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0) bytes += n;
        var exportMs = exportWatch.Elapsed.TotalMilliseconds;
        await sampling.CancelAsync();
        await sampler;
        if (export.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"export → {(int)export.StatusCode}");

        issueMs.Sort();
        verifyMs.Sort();
        Console.WriteLine($"credentials details: {ids.Count} recognitions; issue p50 {Stats.Round(Stats.Percentile(issueMs, 50))} ms; verify p50 {Stats.Round(Stats.Percentile(verifyMs, 50))} ms; " +
            $"export {bytes / 1024} KB, RSS {Stats.Round(before)} → peak {Stats.Round(peak)} MB");
        return new Dictionary<string, object>
        {
            ["scenario"] = "credentials",
            ["issue_p99_ms"] = Stats.Round(Stats.Percentile(issueMs, 99)),
            ["verify_p99_ms"] = Stats.Round(Stats.Percentile(verifyMs, 99)),
            ["export_ms"] = Stats.Round(exportMs),
            ["export_rss_growth_mb"] = Stats.Round(peak - before),
        };
    }

    private static async Task<string> DownloadAsync(WebClient web, long id)
    {
        var res = await web.Http.GetAsync($"/me/credentials/recognition/{id}");
        if (res.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"credential {id} → {(int)res.StatusCode}");
        return await res.Content.ReadAsStringAsync();
    }
}
