using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Features.Demo;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Printing;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;
using Recognition.Web.Infrastructure.Pdf;

namespace Recognition.Bench;

/// <summary>
/// PDF timings through the app's own queries and renderers on a real SQLite database: the first PDF in
/// a fresh process (font load + JIT), warm single certificates, a 50-recognition shift summary and a
/// batch of 50 certificates (query + render each).
/// </summary>
public static class PdfBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var runs = o.Int("runs", 200);
        var db = new Db(DbProvider.Sqlite, $"Data Source={Path.Combine(Paths.TempDir(), "pdf.db")}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var (teamId, adminId, ids, now) = await SeedAsync(db);
        var feed = new FeedQueries(db);
        var summaries = new ShiftSummaryQueries(db, feed, new Recognition.Web.Features.Insights.InsightsQueries(db, TimeProvider.System));
        var certificates = new CertificateQueries(db, feed);
        var admin = PeopleStore.Principal(new PersonRow { Id = adminId, SiteId = 1, EmployeeNo = "A", NameZh = "管理员", Roles = 7, Active = true }, "bench");
        const string baseUrl = "https://recognition.example";

        var first = Stopwatch.StartNew();
        PdfFonts.EnsureInitialized(Path.Combine(Paths.RepoRoot(), "wwwroot"));
        var one = await certificates.ForRecognitionsAsync(admin, [ids[0]], null, baseUrl);
        _ = CertificatePdf.Render(one);
        var firstMs = first.Elapsed.TotalMilliseconds;

        var cert = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            _ = CertificatePdf.Render(await certificates.ForRecognitionsAsync(admin, [ids[i % ids.Count]], null, baseUrl));
            cert.Add(sw.Elapsed.TotalMilliseconds);
        }
        cert.Sort();

        var summary = new List<double>();
        var batch = new List<double>();
        var pages = 0;
        for (var i = 0; i < 20; i++)
        {
            var sw = Stopwatch.StartNew();
            var s = await summaries.LoadAsync(teamId, null, now.AddDays(-1), now.AddMinutes(1), now) ?? throw new InvalidOperationException("no team");
            if (s.Recognitions.Count != 50) throw new InvalidOperationException($"expected 50 recognitions, got {s.Recognitions.Count}");
            _ = SummaryPdf.Render(s);
            summary.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            var certs = await certificates.ForRecognitionsAsync(admin, s.Recognitions.Select(r => r.Id).ToList(), null, baseUrl);
            pages = certs.Count;
            _ = CertificatePdf.Render(certs);
            batch.Add(sw.Elapsed.TotalMilliseconds);
        }
        return new Dictionary<string, object>
        {
            ["scenario"] = "pdf",
            ["certificate_p99_ms"] = Stats.Round(Stats.Percentile(cert, 99)),
            ["certificate_p50_ms"] = Stats.Round(Stats.Percentile(cert, 50)),
            ["summary50_ms"] = Stats.Round(Stats.Median(summary)),
            ["batch50_ms"] = Stats.Round(Stats.Median(batch)),
            ["batch_pages"] = pages,
            ["first_ms"] = Stats.Round(firstMs),
        };
    }

    private static async Task<(long Team, long Admin, List<long> Ids, DateTime Now)> SeedAsync(Db db)
    {
        long team = 0, admin = 0;
        var people = new List<long>();
        await db.WriteAsync(async (c, t) =>
        {
            var site = await c.QuerySingleAsync<long>("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('P', '苏州一厂', 'Suzhou Plant 1', 'Asia/Shanghai', @now) RETURNING id", new { now = DateTime.UtcNow }, t);
            await Catalog.SeedAsync(c, t);
            team = await c.QuerySingleAsync<long>("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (@site, 'L1', '冲压一线', 'Stamping Line 1', 'standing') RETURNING id", new { site }, t);
            for (var i = 0; i < 20; i++)
            {
                people.Add(await c.QuerySingleAsync<long>(
                    "INSERT INTO employees (site_id, team_id, employee_no, name_zh, name_en, roles, created_utc) VALUES (@site, @team, @no, @zh, @en, 1, @now) RETURNING id",
                    new { site, team, no = $"P{i:000}", zh = $"王伟{i}", en = $"Wei Wang {i}", now = DateTime.UtcNow }, t));
            }
            admin = await c.QuerySingleAsync<long>("INSERT INTO employees (site_id, employee_no, name_zh, roles, created_utc) VALUES (@site, 'ADM', '管理员', 5, @now) RETURNING id", new { site, now = DateTime.UtcNow }, t);
        });
        var awards = new AwardService(db, PolicyStore.Fixed(db, new RulesOptions { DailyRecognitionCap = 1000, MonthlyAllowance = 100000, MaxSharePercentToOnePerson = 100 }));
        var now = new DateTime(2026, 11, 18, 2, 0, 0, DateTimeKind.Utc);
        var badge = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM badges WHERE code = 'customer_guardian'"));
        var ids = new List<long>();
        for (var i = 0; i < 50; i++)
        {
            var o = await awards.AwardAsync(new AwardCommand(people[i % 20], [people[(i + 1) % 20]], badge, null,
                "你在给客户的汇报里加了两张对比表，把交付周期的改善讲得清清楚楚，客户当场续签了季度订单。", "public", 5, Guid.NewGuid().ToString("N")), now.AddMinutes(-i));
            ids.Add(o.Id ?? throw new InvalidOperationException(o.Error));
        }
        return (team, admin, ids, now);
    }
}
