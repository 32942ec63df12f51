using System.Diagnostics;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Bench;

/// <summary>
/// A 10,000-person CSV through the services the /Admin/Import page calls (preview, apply, re-import of the same
/// file), then the /Admin/People search the page runs, on SQLite with synchronous=FULL: searches by name
/// fragment, employee number, badge code and team, each filtered to the site like a site admin's list.
/// </summary>
public static class ImportBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var people = o.Int("people", 10_000);
        var searches = o.Int("searches", 500);
        await using var db = new Db(DbProvider.Sqlite, $"Data Source={Path.Combine(Paths.TempDir(), "import.db")}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var (siteId, adminId) = await SeedAsync(db);
        var scope = new AdminScope(adminId, siteId, Org: false);
        var file = Csv(people);
        var import = new PeopleImport(db);
        var options = new ImportOptions(siteId, DeactivateMissing: false);

        var sw = Stopwatch.StartNew();
        var preview = await import.PreviewAsync(file, options, scope);
        var previewMs = sw.Elapsed.TotalMilliseconds;
        if (preview.New.Count != people || !preview.CanApply) throw new InvalidOperationException($"preview: {preview.New.Count} new, {preview.Errors.Count} errors");

        sw.Restart();
        var applied = await import.ApplyAsync(file, options, scope, null, DateTime.UtcNow);
        var applyMs = sw.Elapsed.TotalMilliseconds;
        if (!applied.Applied) throw new InvalidOperationException("apply did not apply");

        sw.Restart();
        var again = await import.ApplyAsync(file, options, scope, null, DateTime.UtcNow);
        var reimportMs = sw.Elapsed.TotalMilliseconds;
        if (again.Unchanged != people) throw new InvalidOperationException($"re-import: {again.Unchanged} unchanged");

        var search = new PeopleSearch(db);
        string[] Query(int i) => (i % 5) switch
        {
            0 => [Surname(i), ""],                          // a surname fragment: hundreds of matches, first page
            1 => [$"P{i * 7 % people:00000}", ""],          // an exact employee number
            2 => [$"BADGE{i * 13 % people:00000}", ""],      // a scanned badge code
            3 => ["Line 3", ""],                            // a team name
            _ => ["", "inactive"],                          // the filter alone
        };
        for (var i = 0; i < 50; i++) await search.SearchAsync(new PeopleFilter(Query(i)[0], null, null, null, Query(i)[1], 1), scope); // warm-up
        var latencies = new List<double>();
        for (var i = 0; i < searches; i++)
        {
            var q = Query(i);
            sw.Restart();
            await search.SearchAsync(new PeopleFilter(q[0], null, null, null, q[1], 1 + i % 3), scope);
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        }
        latencies.Sort();
        return new Dictionary<string, object>
        {
            ["scenario"] = "import",
            ["people"] = people,
            ["preview_ms"] = Stats.Round(previewMs),
            ["apply_ms"] = Stats.Round(applyMs),
            ["reimport_ms"] = Stats.Round(reimportMs),
            ["search_p50_ms"] = Stats.Round(Stats.Percentile(latencies, 50)),
            ["search_p99_ms"] = Stats.Round(Stats.Percentile(latencies, 99)),
        };
    }

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"];

    private static string Surname(int i) => Surnames[i % Surnames.Length];

    private static byte[] Csv(int people)
    {
        var sb = new StringBuilder("employee_no,name_zh,name_en,email,team,manager_no,roles,language,badge_code\r\n");
        for (var i = 0; i < people; i++)
        {
            var manager = i % 50 == 0 ? "" : $"P{i / 50 * 50:00000}";
            sb.Append($"P{i:00000},{Surname(i)}{"伟芳娜敏静强磊军"[i % 8]}{i % 97},Person {i},p{i}@example.com,L{i % 20},{manager},{(i % 50 == 0 ? "employee;supervisor" : "employee")},{(i % 3 == 0 ? "en-US" : "zh-CN")},BADGE{i:00000}\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static async Task<(long Site, long Admin)> SeedAsync(Db db) => await db.WriteAsync(async (c, t) =>
    {
        var site = await c.QuerySingleAsync<long>("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('B1', '基准厂', 'Bench Plant', 'Asia/Shanghai', @now) RETURNING id", new { now = DateTime.UtcNow }, t);
        for (var i = 0; i < 20; i++)
        {
            await c.ExecuteAsync("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (@site, @code, @zh, @en, 'standing')",
                new { site, code = $"L{i}", zh = $"{i}号线", en = $"Line {i}" }, t);
        }
        var admin = await c.QuerySingleAsync<long>(
            "INSERT INTO employees (site_id, employee_no, name_zh, name_en, roles, created_utc) VALUES (@site, 'ADMIN', '人事', 'HR', 5, @now) RETURNING id",
            new { site, now = DateTime.UtcNow }, t);
        return (site, admin);
    });
}
