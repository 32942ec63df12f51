using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Walls;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Me;

public sealed class SettingsTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    [Fact]
    public async Task A_person_takes_themselves_off_the_leaderboards_and_the_wall_s_boards_leave_them_out()
    {
        var award = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null,
            "你每天下班后多留半小时带新人练习，谢谢你。", "public", 10, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(award.Ok, award.Error);
        Assert.Contains((await _app.Get<WallQueries>().BoardsAsync(_w.SiteId, null)).PeopleMonth, r => r.Id == _w.Bob);

        var bob = await Session.SignInAsync(_app, "E3");
        Assert.NotNull((await bob.GetDocAsync("/Me")).QuerySelector("#me-settings"));
        var res = await bob.PostFormAsync("/Me/Settings?handler=OptOut", new() { ["optOut"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.DoesNotContain((await _app.Get<WallQueries>().BoardsAsync(_w.SiteId, null)).PeopleMonth, r => r.Id == _w.Bob);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.leaderboard_opt_out'"));
    }

    [Fact]
    public async Task An_office_user_changes_their_own_password_and_their_other_sessions_end()
    {
        var phone = await Session.SignInAsync(_app, "E3");
        var desk = await Session.SignInAsync(_app, "E3");
        var wrong = await desk.PostFormAsync("/Me/Settings?handler=Password", new() { ["current"] = "not-it", ["password"] = "new-pass-2026", ["confirm"] = "new-pass-2026" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Equal("当前密码不正确。", (await Session.Doc(wrong)).QuerySelector("#settings-error")!.TextContent);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT failures FROM attempt_counters WHERE bucket = @b", new { b = $"acct:{_w.Bob}" })); // a guess counts
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var weak = await desk.PostFormAsync("/Me/Settings?handler=Password", new() { ["current"] = World.Password, ["password"] = "short", ["confirm"] = "short" });
        Assert.Equal("密码太短：至少 10 个字符。", (await Session.Doc(weak)).QuerySelector("#settings-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        var ok = await desk.PostFormAsync("/Me/Settings?handler=Password", new() { ["current"] = World.Password, ["password"] = "new-pass-2026", ["confirm"] = "new-pass-2026" });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.Client.GetAsync("/Me")).StatusCode);      // this session continues
        Assert.Equal(HttpStatusCode.Redirect, (await phone.Client.GetAsync("/Me")).StatusCode); // the other one ended
        await Session.SignInAsync(_app, "E3", "new-pass-2026");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
