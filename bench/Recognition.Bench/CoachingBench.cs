using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Features.Insights;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Bench;

/// <summary>
/// Coaching (issue #37) on the insights bench's year of a 10,000-person plant (1,000,000 recognitions), against the app
/// in Release, doing what the browsers do: the team leader opens one-to-one cards (/Coaching/{id}) and prints the cards of
/// a team of 50 (/print/coaching/team/{id}, one PDF); HR opens the insights page, whose participation table is coverage
/// and which carries the supervisors' cadence (/Insights?site=1), and the fairness page (/Insights/Fairness?site=1).
/// On top of the insights data: team leaders, hire dates and recorded genders for everyone, a quarter of the
/// recognitions without points, and 100 one-to-ones per leader; then one rebuild (the app's own periodic one is off).
/// </summary>
public static class CoachingBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var recognitions = o.Int("recognitions", 1_000_000);
        var people = o.Int("people", 10_000);
        var runs = o.Int("runs", 100);
        var file = Path.Combine(Paths.TempDir(), "coaching.db");
        // --reuse 1 keeps the last run's database (same day): for measuring a change to the pages, not for a recorded result.
        var reuse = o.Int("reuse", 0) == 1 && File.Exists(file);
        if (!reuse) foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        var db = new Db(DbProvider.Sqlite, $"Data Source={file};Pooling=True");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var now = DateTime.UtcNow;
        if (!reuse) await InsightsBench.GenerateAsync(file, recognitions, people, o.Int("ledger", 1_000_000), now);
        var team50 = reuse ? await db.ReadAsync(c => c.QuerySingleAsync<long>("SELECT id FROM teams WHERE code = 'T50'")) : await PrepareAsync(db, people, now);
        var build = reuse
            ? await db.ReadAsync(c => c.QuerySingleAsync<(int Recognitions, long Milliseconds)>("SELECT recognitions, took_ms FROM ins_builds WHERE site_id = 1"))
            : await new InsightsBuilder(db, new ClueDetector(), new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).RebuildAsync(1, now) is var r
                ? (r.Recognitions, r.Milliseconds) : default;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var app = await BenchApp.StartAsync(file, new() { ["Recognition__Insights__RebuildMinutes"] = "0" });
        using var leader = new WebClient(app.BaseUrl);
        await leader.SignInAsync("I00000", BenchWorld.Password);
        using var hr = new WebClient(app.BaseUrl);
        await hr.SignInAsync("I00099", BenchWorld.Password);
        var members = (await db.ReadAsync(c => c.QueryAsync<long>("SELECT id FROM employees WHERE team_id IN (1, @team50) AND id <> 1", new { team50 }))).ToArray();
        var rnd = new Random(5);

        async Task<List<double>> Time(int n, Func<Task> run)
        {
            for (var i = 0; i < Math.Min(5, n); i++) await run();
            var l = new List<double>(n);
            for (var i = 0; i < n; i++)
            {
                var sw = Stopwatch.StartNew();
                await run();
                l.Add(sw.Elapsed.TotalMilliseconds);
            }
            l.Sort();
            return l;
        }
        async Task Page(WebClient web, string url, string mark)
        {
            var (html, _, _) = await web.GetAsync(url);
            if (!html.Contains(mark, StringComparison.Ordinal)) throw new InvalidOperationException($"{url} did not show {mark}");
        }
        var slowest = new List<(double Ms, long Member)>();
        var card = await Time(runs, async () =>
        {
            var member = members[rnd.Next(members.Length)];
            var sw = Stopwatch.StartNew();
            await Page(leader, $"/Coaching/{member}", "id=\"card-label\"");
            slowest.Add((sw.Elapsed.TotalMilliseconds, member));
        });
        // The slowest cards, and the same people's cards again: slow for who they are (the queries), or for when (a pause)?
        var again = new List<string>();
        foreach (var (ms, member) in slowest.OrderByDescending(x => x.Ms).Take(3))
        {
            var sw = Stopwatch.StartNew();
            await Page(leader, $"/Coaching/{member}", "id=\"card-label\"");
            again.Add($"{member}: {Stats.Round(ms)} then {Stats.Round(sw.Elapsed.TotalMilliseconds)} ms");
        }
        Console.WriteLine($"coaching slowest cards: {string.Join("; ", again)}");
        long pdfBytes = 0;
        var team = await Time(5, async () =>
        {
            var res = await leader.Http.GetAsync($"/print/coaching/team/{team50}");
            var bytes = await res.Content.ReadAsByteArrayAsync();
            if (!res.IsSuccessStatusCode || bytes.Length < 1000) throw new InvalidOperationException($"team print → {(int)res.StatusCode}");
            pdfBytes = bytes.Length;
        });
        var coverage = await Time(runs, () => Page(hr, "/Insights?site=1", "id=\"participation\""));
        var fairness = await Time(runs, () => Page(hr, "/Insights/Fairness?site=1", "id=\"fairness-table\""));
        Console.WriteLine($"coaching /Insights sections (ms, median of 20, in process): {await SectionsAsync(db)}");
        Console.WriteLine($"coaching details: {build.Recognitions} recognitions, {people} people; card p50 {Stats.Round(Stats.Percentile(card, 50))} ms; " +
            $"team of 50 {pdfBytes / 1024} KB, fastest {Stats.Round(team[0])} ms; coverage p50 {Stats.Round(Stats.Percentile(coverage, 50))} ms; " +
            $"fairness p50 {Stats.Round(Stats.Percentile(fairness, 50))} ms; rebuild {Math.Round(build.Milliseconds / 1000.0, 1)} s; RSS {Math.Round(app.RssMb(), 1)} MB");
        return new Dictionary<string, object>
        {
            ["scenario"] = "coaching",
            ["card_p99_ms"] = Stats.Round(Stats.Percentile(card, 99)),
            ["team50_ms"] = Stats.Round(team[^1]), // the slowest of five prints
            ["coverage_p99_ms"] = Stats.Round(Stats.Percentile(coverage, 99)),
            ["fairness_p99_ms"] = Stats.Round(Stats.Percentile(fairness, 99)),
        };
    }

    /// <summary>Where the insights page's time goes: each of its queries on its own, against the same database.</summary>
    private static async Task<string> SectionsAsync(Db db)
    {
        var q = new InsightsQueries(db, TimeProvider.System);
        var cadence = new Recognition.Web.Features.Coaching.Cadence(db, TimeProvider.System);
        var scope = new InsightsQueries.Scope(1, null);
        var disclosed = await q.DisclosedAsync();
        var sections = new (string Name, Func<Task> Run)[]
        {
            ("disclosed", () => q.DisclosedAsync()),
            ("participation", () => q.ParticipationAsync(scope, disclosed)),
            ("heatmap", () => q.HeatmapAsync(scope)),
            ("islands", () => q.IslandsAsync(scope, 8)),
            ("managers", () => q.SilentManagersAsync(scope, disclosed)),
            ("cadence", () => cadence.ForSiteAsync(1)),
            ("drops", () => q.DropsAsync(scope)),
            ("equity", () => q.EquityAsync(scope, k => k, disclosed)),
        };
        var parts = new List<string>();
        foreach (var (name, run) in sections)
        {
            var l = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var sw = Stopwatch.StartNew();
                await run();
                l.Add(sw.Elapsed.TotalMilliseconds);
            }
            l.Sort();
            parts.Add($"{name} {Stats.Round(Stats.Percentile(l, 50))}");
        }
        return string.Join(", ", parts);
    }

    /// <summary>Leaders, a team of 50, HR's sign-in, hire dates, genders, recognitions without points, one-to-ones.</summary>
    private static async Task<long> PrepareAsync(Db db, int people, DateTime now)
    {
        var hash = new PasswordHasher<Credential>().HashPassword(new Credential(), BenchWorld.Password);
        return await db.WriteAsync(async (c, t) =>
        {
            // The first person of each team leads it (the generator made them supervisors and everyone's manager).
            await c.ExecuteAsync("INSERT INTO team_leaders (team_id, employee_id) SELECT team_id, id FROM employees WHERE id <= 50", transaction: t);
            var team50 = await c.QuerySingleAsync<long>("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (1, 'T50', '五十人班组', 'Team of fifty', 'standing') RETURNING id", transaction: t);
            await c.ExecuteAsync("INSERT INTO team_leaders (team_id, employee_id) VALUES (@team50, 1)", new { team50 }, t);
            await c.ExecuteAsync("UPDATE employees SET team_id = @team50 WHERE id IN (SELECT id FROM employees WHERE team_id = 1 AND id > 1 ORDER BY id LIMIT 50)", new { team50 }, t);
            await c.ExecuteAsync("UPDATE employees SET password_hash = @hash WHERE id IN (1, 100)", new { hash }, t);
            await c.ExecuteAsync("UPDATE employees SET roles = @roles WHERE id = 100", new { roles = (int)(Roles.Employee | Roles.Admin) }, t);
            await c.ExecuteAsync(
                // Hire days spread over 15 years, each day of the year alike: about 27 service anniversaries on the bench's day, as a
                // plant of 10,000 has (not everyone's at once, which had the celebrations pass writing 10,000 while cards were timed).
                @"UPDATE employees SET hire_day = CAST(strftime('%Y%m%d', date(@iso, '-' || ((id * 7919) % 5475) || ' days')) AS INTEGER),
                    gender = CASE WHEN id % 40 = 0 THEN 'x' WHEN id % 2 = 0 THEN 'f' ELSE 'm' END", new { iso = now.ToString("yyyy-MM-dd") }, t);
            await c.ExecuteAsync("UPDATE recognitions SET points_each = CASE WHEN id % 4 = 0 THEN 0 WHEN id % 7 = 0 THEN 10 ELSE 5 END", transaction: t);
            var rnd = new Random(9);
            for (var leader = 1; leader <= 50; leader++)
            {
                for (var i = 0; i < 100; i++)
                {
                    var member = leader + 50 * (1 + rnd.Next(people / 50 - 1));
                    await c.ExecuteAsync(
                        @"INSERT INTO one_on_ones (site_id, employee_id, supervisor_id, held_day, note, next_step, next_step_day, created_utc, request_key)
                          VALUES (1, @member, @leader, @day, '聊了换模的改进', '下周一起看数据', NULL, @now, @key)",
                        new { member, leader, day = SiteTime.Day(now.AddDays(-rnd.Next(120))), now, key = Guid.NewGuid().ToString("N") }, t);
                }
            }
            return team50;
        });
    }
}
