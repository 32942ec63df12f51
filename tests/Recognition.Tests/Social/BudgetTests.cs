using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Social;

/// <summary>Supervisors' spot budgets: set by HR per site and per person, debited atomically, a low note, the report.</summary>
public sealed class BudgetTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<Recognition.Web.Domain.Outcome> SpotAsync(long[] to, int points, string? key = null) =>
        _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.SupA, to, _w.Badges["outstanding"], null,
            "这个月你带新人把首件检验的漏检降到了零，做得非常扎实。", "public", points, key ?? Idempotency.NewKey()), _app.Clock.UtcNow);

    private Task<int> SpentAsync() => DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COALESCE(SUM(spent), 0) FROM budget_months WHERE owner_kind = 'person' AND owner_id = {_w.SupA}");

    [Fact]
    public async Task A_supervisor_spends_the_spot_budget_HR_sets_not_the_allowance_with_one_low_note_and_a_report()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        // HR sets the site's spot budget to 100; bad amounts are refused in the admin's language and change nothing.
        var bad = await admin.PostFormAsync($"/Admin/Budgets?site={_w.SiteId}&handler=Funding",
            new() { ["spotBudget"] = "-5", ["birthdayPoints"] = "0", ["anniversaryPoints"] = "0", ["firstDayPoints"] = "0" }, formPage: "/Admin/Budgets");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("即时奖励预算须在 0 到 100000 积分之间", (await Session.Doc(bad)).QuerySelector("#budget-error")!.TextContent);
        Assert.Equal("-5", (await Session.Doc(bad)).QuerySelector("input[name=spotBudget]")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/Admin/Budgets?site={_w.SiteId}&handler=Funding",
            new() { ["spotBudget"] = "100", ["birthdayPoints"] = "10", ["anniversaryPoints"] = "20", ["firstDayPoints"] = "5" }, formPage: "/Admin/Budgets")).StatusCode);

        // Two people × 20 and then × 20 again: 80 of 100; the peer allowance is untouched.
        Assert.True((await SpotAsync([_w.Alice, _w.Dave], 20)).Ok);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM notifications WHERE kind = 'budget.low'"));
        Assert.True((await SpotAsync([_w.Alice, _w.Dave], 20)).Ok);
        Assert.Equal(80, await SpentAsync());
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COALESCE(SUM(spent), 0) FROM allowances WHERE employee_id = {_w.SupA}"));
        // 20 left is not under a fifth; 10 more is: one note, however many awards follow.
        Assert.True((await SpotAsync([_w.Alice], 10)).Ok);
        Assert.True((await SpotAsync([_w.Alice], 5)).Ok);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM notifications WHERE kind = 'budget.low' AND employee_id = {_w.SupA}"));
        // Over what is left: refused, nothing written.
        var over = await SpotAsync([_w.Alice, _w.Dave], 5);
        Assert.Equal("Error.OverBudget", over.Error);
        Assert.Equal(95, await SpentAsync());
        var supervisor = await Session.SignInAsync(_app, "S1");
        Assert.Contains("剩余 5 积分", (await supervisor.GetDocAsync("/Recognize")).QuerySelector("#spot-left")!.TextContent);

        // HR gives this supervisor 200 of his own: it applies this month at once.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/Admin/Budgets?site={_w.SiteId}&handler=Person",
            new() { ["employeeId"] = _w.SupA.ToString(), ["monthly"] = "200" }, formPage: "/Admin/Budgets")).StatusCode);
        Assert.True((await SpotAsync([_w.Alice, _w.Dave], 50)).Ok);
        // Not a supervisor, or another site's admin: refused.
        var notSup = await admin.PostFormAsync($"/Admin/Budgets?site={_w.SiteId}&handler=Person", new() { ["employeeId"] = _w.Alice.ToString(), ["monthly"] = "50" }, formPage: "/Admin/Budgets");
        Assert.Contains("只有主管", (await Session.Doc(notSup)).QuerySelector("#budget-error")!.TextContent);
        var siteB = await Session.SignInAsync(_app, "AB1");
        Assert.Equal(HttpStatusCode.NotFound, (await siteB.PostFormAsync($"/Admin/Budgets?site={_w.SiteB}&handler=Person",
            new() { ["employeeId"] = _w.SupA.ToString(), ["monthly"] = "9999" }, formPage: "/Admin/Budgets")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await siteB.Client.GetAsync($"/Admin/Budgets?site={_w.SiteId}")).StatusCode);

        // The report: this month's budget, spent and left, and the supervisor's row.
        var page = await admin.GetDocAsync($"/Admin/Budgets?site={_w.SiteId}");
        var cells = page.QuerySelectorAll("#report-table tbody tr").First().QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["200", "195", "5"], cells.Skip(2));
        Assert.Contains("195", page.QuerySelector($"#spot-table tr[data-person='{_w.SupA}']")!.TextContent);
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'funding.%'"));
    }

    [Fact]
    public async Task Parallel_spot_awards_never_spend_more_than_the_budget()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SpotAsync([_w.Alice], 50)));
        Assert.Equal(4, results.Count(r => r.Ok)); // the default 200
        Assert.Equal(200, await SpentAsync());
        Assert.Equal(200, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
    }
}
