using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Insights;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Insights;

/// <summary>The insights pages, the review queue, the team view's charts and my own radar, at their sizes: axe, the CSP, no sideways scroll. Screenshots in screenshots/insights-*.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InsightsBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 30);
        await _app.SetPolicyAsync(r => { r.DailyRecognitionCap = 1000; r.MonthlyAllowance = 100000; r.MaxSharePercentToOnePerson = 100; });
        var awards = _app.Get<AwardService>();
        var rnd = new Random(7);
        var badges = _w.Badges.Values.ToList();
        for (var i = 0; i < 300; i++)
        {
            var giver = _w.Crowd[rnd.Next(_w.Crowd.Count)];
            var to = rnd.Next(10) == 0 ? _w.Alice : _w.Crowd[rnd.Next(_w.Crowd.Count)];
            if (giver == to) continue;
            await awards.AwardAsync(new AwardCommand(giver, [to], badges[rnd.Next(badges.Count)], null, "你今天帮我们班组调试了新模具，整条线提前恢复了生产，谢谢！", "public", 0,
                Idempotency.NewKey()), _app.Clock.UtcNow.AddDays(-rnd.Next(0, 300)));
        }
        for (var i = 0; i < 5; i++)
        {
            await awards.AwardAsync(new AwardCommand(_w.Crowd[0], [_w.Crowd[1]], _w.Badges["mentor"], null, $"谢谢你耐心地教我新设备的操作方法，第 {i} 次", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
            await awards.AwardAsync(new AwardCommand(_w.Crowd[1], [_w.Crowd[0]], _w.Badges["mentor"], null, $"谢谢你帮我顶班，让我能去医院陪家人，第 {i} 次", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
        }
        await _app.Get<InsightsBuilder>().RebuildAsync(_w.SiteId, _app.Clock.UtcNow);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<IReadOnlyList<string>> CheckAsync(IPage page, string url, string shot)
    {
        var res = await page.GotoAsync(url);
        Assert.True(res!.Ok, $"{url} → {res.Status}");
        await BrowserFixture.ShotAsync(page, "insights-" + shot);
        var wide = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)");
        var scrolls = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(scrolls, $"{url} scrolls sideways: {string.Join(", ", wide)}");
        return await Axe.ViolationsAsync(page);
    }

    [BrowserFact]
    public async Task Insights_pages_render_their_charts_without_violations()
    {
        var violations = new List<string>();
        foreach (var (locale, lang) in new[] { ("zh-CN", "zh"), ("en-US", "en") })
        {
            var admin = await browser.SignedInPageAsync(_app.ServerAddress, "A1", locale, 1280, 900);
            violations.AddRange(await CheckAsync(admin, "/Insights", $"hr-{lang}"));
            Assert.True(await admin.Locator("#heatmap svg.heatmap rect").CountAsync() > 52);
            violations.AddRange(await CheckAsync(admin, "/Insights/Clues", $"clues-{lang}"));
            Assert.True(await admin.Locator("article.clue").CountAsync() >= 1);
            violations.AddRange(await CheckAsync(admin, "/Insights/Fairness", $"fairness-{lang}"));
            Assert.True(await admin.Locator("#fairness-table tbody tr").CountAsync() >= 11); // the site, its shifts, 3 roles, 4 tenure bands, 3 genders
            var phoneHr = await browser.SignedInPageAsync(_app.ServerAddress, "A1", locale, 390, 844);
            violations.AddRange(await CheckAsync(phoneHr, "/Insights/Fairness", $"fairness-phone-{lang}"));
            var sup = await browser.SignedInPageAsync(_app.ServerAddress, "S1", locale, 1280, 900);
            violations.AddRange(await CheckAsync(sup, $"/Supervisor/Team?team={_w.TeamA}", $"team-{lang}"));
            var phone = await browser.SignedInPageAsync(_app.ServerAddress, "E2", locale, 390, 844);
            violations.AddRange(await CheckAsync(phone, "/Me", $"me-phone-{lang}"));
            Assert.Equal(1, await phone.Locator("#my-radar svg.radar polygon[stroke='#b3261e']").CountAsync());
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.Empty(browser.CspViolations);
    }
}
