using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Programs;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Social;

/// <summary>The social loop's new screens as people use them: a phone adds points, a judge scores and announces at a desk.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SocialBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<IPage> SignedInAsync(string login, int width, int height, string locale) =>
        browser.SignedInPageAsync(_app.ServerAddress, login, locale, width, height);

    [BrowserFact]
    public async Task On_a_phone_a_colleague_adds_points_once_and_the_card_says_from_whom()
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Alice, _w.Dave], _w.Badges["mentor"], null,
            "你们俩把夜班交接表改成了一页纸，交接时间少了一半。", "public", 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        var bob = await SignedInAsync("E3", 390, 844, "zh-CN"); // his own language is Chinese
        await bob.GotoAsync("/Feed");
        await bob.ClickAsync($"#r-{o.Id} .addon-link");
        await bob.CheckAsync("#addon input[name=AddPoints][value='10']");
        await bob.FillAsync("#addon-message", "我们班也受益了");
        await BrowserFixture.ShotAsync(bob, "addon-phone-zh");
        await bob.DblClickAsync("#addon button[type=submit]");
        await Assertions.Expect(bob.Locator($"#r-{o.Id} .addon")).ToHaveTextAsync("+10 来自 刘强");
        await BrowserFixture.ShotAsync(bob, "addon-done-phone-zh");
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognition_addons"));
        Assert.Equal(15, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
    }

    [BrowserFact]
    public async Task A_judge_scores_and_announces_at_a_desk_and_the_winner_is_on_the_programs_page()
    {
        var scope = new Recognition.Web.Domain.AdminScope(_w.Admin, _w.SiteId, Org: false);
        var programs = _app.Get<ProgramService>();
        var created = await programs.CreateAsync(_w.SiteId, new ProgramForm("安全之星 · 11月", "Safety Star · November", _w.Badges["safety_star"],
            "主动发现并消除安全隐患，带动班组安全习惯。", "everyone", "2026-11-01", "2026-11-17", 50, 200, "S1"), scope, _app.Clock.UtcNow.AddDays(-10));
        Assert.True(created.Ok, created.Error);
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
            "INSERT INTO nominations (program_id, nominee_id, nominator_id, reason, created_utc) VALUES (@p, @a, @g, @r, @now), (@p, @b, @g, @r2, @now)",
            new { p = created.Id, a = _w.Alice, b = _w.Bob, g = _w.Giver, r = "连续三个月带头做班前安全检查，发现并上报了七处隐患。", r2 = "每次换模都主动检查安全锁，还教会了新人。", now = _app.Clock.UtcNow.AddDays(-5) }, t));
        var judge = await SignedInAsync("S1", 1280, 900, "zh-CN");
        await judge.GotoAsync($"/Programs/{created.Id}/Judge");
        await judge.SelectOptionAsync($"#nominee-{_w.Alice} select[name=score]", "5");
        await judge.ClickAsync($"#nominee-{_w.Alice} form[action*='Score'] button");
        await Assertions.Expect(judge.Locator($"#nominee-{_w.Alice} .nomination small.muted").Last).ToContainTextAsync("5");
        await judge.CheckAsync($"#nominee-{_w.Alice} input[name=winners]");
        await BrowserFixture.ShotAsync(judge, "program-judge-zh");
        judge.Dialog += (_, d) => d.AcceptAsync();
        await judge.ClickAsync("#decide");
        await Assertions.Expect(judge.Locator($"#nominee-{_w.Alice} .tag").Last).ToHaveTextAsync("当选");
        var bob = await SignedInAsync("E3", 390, 844, "zh-CN");
        await bob.GotoAsync("/Programs");
        await Assertions.Expect(bob.Locator($"#program-{created.Id} .winners a")).ToHaveTextAsync("陈静");
        await Assertions.Expect(bob.Locator($"#program-{created.Id}")).Not.ToContainTextAsync("刘强");
        await BrowserFixture.ShotAsync(bob, "programs-phone-zh");
    }
}
