using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin.Budgets;
using Recognition.Web.Features.Celebrations;

namespace Recognition.Tests.Social;

/// <summary>Birthdays, service anniversaries and first days: on the day, once a year per kind, on any number of instances.</summary>
public sealed class CelebrationTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        // The test clock stands at 2026-11-18 02:00 UTC: 10:00 on 18 November at the site (Asia/Shanghai).
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
            $@"UPDATE employees SET hire_day = 20211118 WHERE id = {_w.Alice};
               UPDATE employees SET hire_day = 20261118 WHERE id = {_w.Dave};
               UPDATE employees SET birth_mmdd = 1118, birthday_public = 1 WHERE id = {_w.Carol};
               UPDATE employees SET birth_mmdd = 1118, birthday_public = 0 WHERE id = {_w.Bob};
               UPDATE employees SET hire_day = 20201118 WHERE id = {_w.Gone};
               UPDATE employees SET hire_day = 20191118, celebrate_opt_out = 1 WHERE id = {_w.Giver};
               UPDATE employees SET hire_day = 20211119 WHERE id = {_w.SupA};", transaction: t));
        Assert.True((await _app.Get<BudgetAdmin>().SaveFundingAsync(_w.SiteId, 200, 10, 20, 5, new Recognition.Web.Domain.AdminScope(_w.Admin, _w.SiteId, Org: false), _app.Clock.UtcNow)).Ok);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<int> CountAsync() => DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM celebrations");

    [Fact]
    public async Task The_job_on_two_instances_and_run_again_makes_one_celebration_per_person_and_kind_with_company_points()
    {
        // A second instance on the same database (its own job starts with it), and both passes at the same moment.
        await using var other = new AppFactory(new Dictionary<string, string?> { ["ConnectionStrings:Recognition"] = _app.Db.ConnectionString, ["Celebrations:PollSeconds"] = "1" });
        other.Clock.Set(_app.Clock.UtcNow);
        await Task.WhenAll(_app.Get<CelebrationService>().RunAsync(_app.Clock.UtcNow), other.Get<CelebrationService>().RunAsync(other.Clock.UtcNow),
            _app.Get<CelebrationService>().RunAsync(_app.Clock.UtcNow));
        await Task.Delay(1500); // the other instance's own job has run at least once more
        // Later the same day: nothing new, and nothing written at all (the pass every few minutes is a read), counted on a
        // Db of its own so that no other job's commit counts.
        var own = new Recognition.Web.Infrastructure.Data.Db(_app.Db.Provider, _app.Db.ConnectionString);
        var commits = 0;
        own.Committed += () => Interlocked.Increment(ref commits);
        Assert.Equal(0, await new CelebrationService(own, Microsoft.Extensions.Logging.Abstractions.NullLogger<CelebrationService>.Instance).RunAsync(_app.Clock.UtcNow.AddHours(6)));
        Assert.Equal(0, commits);
        var rows = (await DbProbe.QueryAsync<(long Employee, string Kind, long Years, long Points)>(_app.Db,
            "SELECT employee_id, kind, years, points FROM celebrations ORDER BY employee_id")).ToList();
        Assert.Equal(new[] { (_w.Alice, "anniversary", 5L, 20L), (_w.Carol, "birthday", 0L, 10L), (_w.Dave, "first_day", 0L, 5L) }.OrderBy(r => r.Item1), rows);
        // Company points, not anyone's allowance, one ledger entry each; a notification and a spotlight event each.
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(10, await DbProbe.BalanceAsync(_app.Db, _w.Carol));
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM points_ledger WHERE source_type = 'celebration'"));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COALESCE(SUM(spent), 0) FROM allowances"));
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM events WHERE kind = 'celebration.created'"));
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM notifications WHERE kind = 'celebration'"));

        // The next day: only the supervisor's fifth anniversary; the next year: Alice's sixth anniversary, Carol's birthday
        // again, Dave's first anniversary.
        Assert.Equal(1, await _app.Get<CelebrationService>().RunAsync(_app.Clock.UtcNow.AddDays(1)));
        Assert.Equal(3, await _app.Get<CelebrationService>().RunAsync(_app.Clock.UtcNow.AddYears(1)));
        Assert.Equal(7, await CountAsync());
    }

    [Fact]
    public async Task Today_s_celebrations_show_on_the_feed_and_the_person_s_page_and_a_birthday_is_the_person_s_choice()
    {
        await _app.Get<CelebrationService>().RunAsync(_app.Clock.UtcNow);
        var jing = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var feed = await jing.GetDocAsync("/Feed");
        var items = feed.QuerySelectorAll("#celebrations-today li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(3, items.Count);
        Assert.Contains(items, t => t.StartsWith("Jing Chen", StringComparison.Ordinal) && t.Contains("5 year(s) with us") && t.Contains("+20 from the company"));
        Assert.Contains("My celebrations", (await jing.GetDocAsync("/Me")).QuerySelector("#my-celebrations")!.TextContent);

        // Bob gave his birthday but did not say "celebrate it": nothing. A day that does not exist is refused; then he opts in.
        var bob = await Session.SignInAsync(_app, "E3");
        var bad = await bob.PostFormAsync("/Me/Settings?handler=Celebrations", new() { ["month"] = "2", ["day"] = "30", ["birthdayPublic"] = "true" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("存在的月和日", (await Session.Doc(bad)).QuerySelector("#settings-error")!.TextContent);
        Assert.Equal("30", (await Session.Doc(bad)).QuerySelector("#birth-day")!.GetAttribute("value")); // what he typed stays
        Assert.Equal(HttpStatusCode.Redirect, (await bob.PostFormAsync("/Me/Settings?handler=Celebrations", new() { ["month"] = "11", ["day"] = "18", ["birthdayPublic"] = "true" })).StatusCode);
        Assert.Equal(1, await _app.Get<CelebrationService>().RunAsync(_app.Clock.UtcNow));
        // Carol says "no celebrations": she leaves today's spotlight, and next year nothing is made for her.
        var carol = await Session.SignInAsync(_app, "E4");
        Assert.Equal(HttpStatusCode.Redirect, (await carol.PostFormAsync("/Me/Settings?handler=Celebrations", new() { ["month"] = "11", ["day"] = "18", ["none"] = "true" })).StatusCode);
        Assert.DoesNotContain("Carol", (await jing.GetDocAsync("/Feed")).QuerySelector("#celebrations-today")!.TextContent);
        await _app.Get<CelebrationService>().RunAsync(_app.Clock.UtcNow.AddYears(1));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM celebrations WHERE employee_id = {_w.Carol} AND year = 2027"));
    }

    [Fact]
    public async Task HR_sets_a_hire_date_on_the_person_s_page_and_a_date_that_does_not_exist_is_refused()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var page = $"/Admin/Person?id={_w.Bob}";
        Assert.Equal("", (await admin.GetDocAsync(page)).QuerySelector("#hire-date")!.GetAttribute("value") ?? "");
        var form = new Dictionary<string, string>
        {
            ["Id"] = _w.Bob.ToString(), ["Version"] = (await DbProbe.ScalarAsync<int>(_app.Db, "SELECT version FROM employees WHERE id = " + _w.Bob)).ToString(),
            ["SiteId"] = _w.SiteId.ToString(), ["TeamId"] = _w.TeamB.ToString(), ["EmployeeNo"] = "E3", ["NameZh"] = "刘强", ["NameEn"] = "Qiang Liu", ["Locale"] = "zh-CN",
            ["HireDate"] = "2021-13-45",
        };
        var bad = await admin.PostFormAsync("/Admin/Person?handler=Save", form, formPage: page);
        Assert.Contains("2021-13-45", (await Session.Doc(bad)).QuerySelector("[role=alert]")!.TextContent);
        Assert.Null(await DbProbe.ScalarAsync<int?>(_app.Db, "SELECT hire_day FROM employees WHERE id = " + _w.Bob));
        form["HireDate"] = "2016-11-18";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Person?handler=Save", form, formPage: page)).StatusCode);
        Assert.Equal("2016-11-18", (await admin.GetDocAsync(page)).QuerySelector("#hire-date")!.GetAttribute("value"));
        Assert.Equal(4, await _app.Get<CelebrationService>().RunAsync(_app.Clock.UtcNow)); // his tenth anniversary with the three of the setup
        Assert.Equal(10, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT years FROM celebrations WHERE employee_id = {_w.Bob}"));
    }
}
