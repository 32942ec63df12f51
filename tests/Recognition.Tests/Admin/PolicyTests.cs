using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Admin;

public sealed class PolicyTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private const string Message = "你每天下班后多留半小时带新人练习，谢谢你。";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 6);
        await _w.AddSecondSiteAsync(_app);
    }

    private static Dictionary<string, string> Form(int allowance = 100, int daily = 10, string steps = "0,5,10,20,50", int min = 20, int max = 500, int share = 40) => new()
    {
        ["monthlyAllowance"] = $"{allowance}", ["perReport"] = "20", ["sharePct"] = $"{share}", ["dailyCap"] = $"{daily}", ["maxRecipients"] = "10",
        ["pointSteps"] = steps, ["messageMin"] = $"{min}", ["messageMax"] = $"{max}",
    };

    private Task<Outcome> Give(long giver, long to, int points = 10) =>
        _app.Get<AwardService>().AwardAsync(new AwardCommand(giver, [to], _w.Badges["mentor"], null, Message, "public", points, Idempotency.NewKey()), _app.Clock.UtcNow);

    [Fact]
    public async Task A_site_s_own_policy_governs_its_people_and_the_other_site_keeps_the_organisation_default()
    {
        var a1 = await Session.SignInAsync(_app, "A1");
        var res = await a1.PostFormAsync($"/Admin/Policy?site={_w.SiteId}&handler=Save", Form(daily: 2, steps: "0, 10"), formPage: "/Admin/People");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.True((await Give(_w.Giver, _w.Crowd[0])).Ok);
        Assert.True((await Give(_w.Giver, _w.Crowd[1])).Ok);
        Assert.Equal("Error.DailyCap", (await Give(_w.Giver, _w.Crowd[2])).Error);
        Assert.Equal("Error.BadPoints", (await Give(_w.Alice, _w.Crowd[3], points: 5)).Error);
        // Site B still has the organisation's 5-point step.
        var eb2 = await _app.Get<PeopleStore>().CreateAsync(new(_w.SiteB, _w.TeamC, "EB2", "同事", "Colleague"));
        Assert.True((await Give(_w.Eve, eb2, points: 5)).Ok);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.update'"));
        // A site admin cannot touch the organisation default or another site's policy.
        var before = await DbProbe.FingerprintAsync(_app.Db);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await a1.PostFormAsync("/Admin/Policy?handler=Save", Form(daily: 1), formPage: "/Admin/People")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, (await a1.PostFormAsync($"/Admin/Policy?site={_w.SiteB}&handler=Save", Form(daily: 1), formPage: "/Admin/People")).StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task A_new_allowance_waits_for_next_month_unless_applied_now_and_never_drops_below_what_was_given()
    {
        await _app.SetPolicyAsync(r => (r.MonthlyAllowance, r.MaxSharePercentToOnePerson) = (100, 100));
        for (var i = 0; i < 4; i++) Assert.True((await Give(_w.Giver, _w.Crowd[i], points: 20)).Ok); // 80 of 100 given
        Assert.True((await Give(_w.Alice, _w.Crowd[0], points: 10)).Ok);                                // 10 of 100 given
        var org = await Session.SignInAsync(_app, "OA1");

        var later = await org.PostFormAsync("/Admin/Policy?handler=Save", Form(allowance: 50, share: 100), formPage: "/Admin/People");
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
        Assert.Equal(100, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT budget FROM allowances WHERE employee_id = @id", new { id = _w.Giver }));
        Assert.Contains("新的月度额度从 2026-12-01 起对所有人生效", (await org.GetDocAsync(later.Headers.Location!.OriginalString)).QuerySelector("#policy-message")!.TextContent);

        var now = await org.PostFormAsync("/Admin/Policy?handler=Save", new(Form(allowance: 50, share: 100)) { ["applyNow"] = "true" }, formPage: "/Admin/People");
        Assert.Equal(80, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT budget FROM allowances WHERE employee_id = @id", new { id = _w.Giver })); // not below spent
        Assert.Equal(50, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT budget FROM allowances WHERE employee_id = @id", new { id = _w.Alice }));
        Assert.Contains("2 人的本月额度共变化 -70 积分", (await org.GetDocAsync(now.Headers.Location!.OriginalString)).QuerySelector("#policy-message")!.TextContent);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM allowances WHERE spent > budget"));
        Assert.Equal("Error.OverAllowance", (await Give(_w.Giver, _w.Crowd[4], points: 10)).Error);
    }

    [Fact]
    public async Task Bad_policy_input_is_refused_with_a_reason_and_writes_nothing()
    {
        var org = await Session.SignInAsync(_app, "OA1");
        foreach (var (form, error) in new (Dictionary<string, string>, string)[]
        {
            (Form(steps: "5,abc"), "积分档应为 1 到 10 个 0–1000 的整数，用逗号分隔。"),
            (Form(steps: "-5,10"), "积分档应为 1 到 10 个 0–1000 的整数，用逗号分隔。"),
            (Form(min: 50, max: 20), "留言最少应为 1–500，最多不小于最少且不超过 2000。"),
            (Form(share: 0), "给同一人的上限应为 1% 到 100%。"),
            (Form(allowance: -10), "额度必须在 0 到 100000 之间（每名成员额外 0 到 10000）。"),
        })
        {
            var before = await DbProbe.FingerprintAsync(_app.Db);
            var res = await org.PostFormAsync("/Admin/Policy?handler=Save", form, formPage: "/Admin/People");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            Assert.Equal(error, (await Session.Doc(res)).QuerySelector("#policy-error")!.TextContent);
            Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        }
    }

    [Fact]
    public async Task Message_length_comes_from_the_policy()
    {
        await _app.SetPolicyAsync(r => r.MessageMinLength = 60);
        Assert.Equal("Error.MessageTooShort", (await Give(_w.Giver, _w.Bob)).Error);
        await _app.SetPolicyAsync(r => r.MessageMinLength = 20);
        Assert.True((await Give(_w.Giver, _w.Bob)).Ok);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
