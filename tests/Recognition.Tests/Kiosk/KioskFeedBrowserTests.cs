using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Kiosk;

/// <summary>The kiosk's idle feed takes pushed cards: a new public recognition appears, its reactions are counted in place (pushed as
/// numbers, drawn in the screen's language) and a revoked one leaves, with no fetch per event.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KioskFeedBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [BrowserFact]
    public async Task A_new_card_arrives_pushed_and_a_revoked_one_leaves_without_the_kiosk_fetching()
    {
        var code = await Kiosk.KioskTests.PairCodeAsync(_app, _w, locale: "zh-CN");
        var kiosk = await browser.NewPageAsync(_app.ServerAddress, 1280, 800, "zh-CN");
        await kiosk.GotoAsync($"/pair?code={code}");
        await kiosk.ClickAsync("#pair-submit");
        await kiosk.WaitForURLAsync("**/kiosk");
        await kiosk.WaitForFunctionAsync("() => window.recognitionKiosk && window.recognitionKiosk.connected()");
        var fetches = 0;
        kiosk.Request += (_, r) => { if (r.Url.Contains("handler=Feed", StringComparison.OrdinalIgnoreCase)) fetches++; };
        var award = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Alice], _w.Badges["mentor"], null,
            "你耐心教我操作新设备，我现在可以独立上岗了，谢谢你！", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
        try { await kiosk.WaitForSelectorAsync($"#kiosk-feed #w-{award.Id}", new() { Timeout = 10_000 }); }
        catch (TimeoutException)
        {
            var state = await kiosk.EvaluateAsync<string>("() => JSON.stringify({ push: document.getElementById('kiosk-feed').dataset.pushLang, lang: document.getElementById('kiosk-feed').lang, html: document.getElementById('kiosk-feed').innerHTML.slice(0, 300) })");
            Assert.Fail($"no card; fetches {fetches}; {state}");
        }
        var card = await kiosk.QuerySelectorAsync($"#kiosk-feed #w-{award.Id}");
        Assert.Contains("陈静", await card!.TextContentAsync());
        Assert.NotNull(await kiosk.QuerySelectorAsync($"#w-{award.Id} .wicon[style*='background']")); // painted like the rest
        await BrowserFixture.ShotAsync(kiosk, "kiosk-feed-pushed");
        var reactions = _app.Get<Recognition.Web.Features.Social.Reactions>();
        Assert.True((await reactions.SetAsync(award.Id!.Value, _w.Bob, _w.SiteId, "learned", true, _app.Clock.UtcNow)).Ok);
        Assert.True((await reactions.SetAsync(award.Id!.Value, _w.Carol, _w.SiteId, "learned", true, _app.Clock.UtcNow)).Ok);
        await Assertions.Expect(kiosk.Locator($"#kiosk-feed #w-{award.Id} .wreact[data-kind=learned]")).ToContainTextAsync("学到了2", new() { Timeout = 5000 });
        Assert.Equal(1, await kiosk.Locator($"#kiosk-feed #w-{award.Id} .wreact").CountAsync()); // only the kinds someone chose
        Assert.True((await _app.Get<RevokeService>().RevokeAsync(award.Id!.Value, _w.AdminScope, "误操作，撤回", null, _app.Clock.UtcNow)).Ok);
        await kiosk.WaitForSelectorAsync($"#w-{award.Id}", new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
        Assert.Equal(0, fetches);
        Assert.Empty(browser.CspViolations);
    }
}
