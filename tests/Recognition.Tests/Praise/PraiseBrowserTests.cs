using Recognition.Tests.Support;
using Recognition.Web.Features.Praise;

namespace Recognition.Tests.Praise;

/// <summary>
/// A customer on a phone scans the team's code, thanks a person, the supervisor approves, and the wall shows it as
/// customer praise — live, at 1920×1080. Screenshots in screenshots/praise-*.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PraiseBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [BrowserFact]
    public async Task From_the_phone_form_through_approval_to_the_wall()
    {
        var code = await _app.Get<PraiseCodes>().EnsureCodeAsync(_w.SiteId, "team", _w.TeamA, _app.Clock.UtcNow);
        var wallCode = await Kiosk.KioskTests.PairCodeAsync(_app, _w, "display", "zh-CN");
        var wall = await browser.NewPageAsync(_app.ServerAddress, 1920, 1080, "zh-CN");
        await wall.GotoAsync($"/pair?code={wallCode}");
        await wall.ClickAsync("#pair-submit");
        await wall.WaitForURLAsync("**/walls/**");

        var phone = await browser.NewPageAsync(_app.ServerAddress, 390, 844, "en-US");
        await phone.GotoAsync($"/thanks/{code}");
        await BrowserFixture.ShotAsync(phone, "praise-form-phone-en");
        Assert.Empty(await Axe.ViolationsAsync(phone));
        Assert.False(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the form scrolls sideways on a phone");
        // Nothing is red before the customer typed; each name is a row a thumb can hit; the legend sits inside its box.
        Assert.DoesNotContain("bad", await phone.GetAttributeAsync("#thanks-count", "class") ?? "");
        var option = (await phone.Locator(".who-option").First.BoundingBoxAsync())!;
        Assert.True(option.Height >= 44, $"a name's row is {option.Height} px tall");
        var radio = (await phone.Locator(".who-option input").First.BoundingBoxAsync())!;
        Assert.True(radio.Width >= 24, $"the radio is {radio.Width} px");
        var legend = (await phone.Locator(".who-list legend").BoundingBoxAsync())!;
        var box = (await phone.Locator(".who-list").BoundingBoxAsync())!;
        Assert.True(legend.Y >= box.Y, $"the legend ({legend.Y}) crosses the box's border ({box.Y})");
        await phone.CheckAsync($"input[name=Who][value=p{_w.Giver}]");
        await phone.FillAsync("textarea[name=Message]", "Too short");
        await phone.FocusAsync("input[name=Company]");
        Assert.Contains("bad", await phone.GetAttributeAsync("#thanks-count", "class") ?? ""); // too short, once they left the box
        await phone.FillAsync("textarea[name=Message]", "Your team re-packed our order on Friday night so it reached our customer on time. Thank you!");
        await phone.FillAsync("input[name=Company]", "ACME Logistics");
        _app.Clock.Advance(TimeSpan.FromSeconds(30)); // a person takes longer than the minimum fill time
        await phone.ClickAsync("#thanks-send");
        await phone.WaitForSelectorAsync("#thanks-sent");
        await BrowserFixture.ShotAsync(phone, "praise-sent-phone-en");
        Assert.Equal(0, await wall.Locator(".wcard").CountAsync()); // nothing on the wall before approval

        var sup = await browser.SignedInPageAsync(_app.ServerAddress, "S1", "zh-CN", 1280, 900);
        await sup.GotoAsync("/Supervisor/Praise");
        await BrowserFixture.ShotAsync(sup, "praise-queue-zh");
        Assert.Empty(await Axe.ViolationsAsync(sup));
        await sup.ClickAsync("button.approve");
        await sup.WaitForSelectorAsync("#praise-message");

        var card = await wall.WaitForSelectorAsync(".wcard .wcustomer", new() { Timeout = 10_000 });
        Assert.Equal("客户表扬", await card!.TextContentAsync());
        Assert.Contains("客户 (ACME Logistics)", await wall.TextContentAsync(".wcard .wmeta"));
        await BrowserFixture.ShotAsync(wall, "praise-wall-1080-zh");
        await sup.GotoAsync($"/Supervisor/Team?team={_w.TeamA}");
        await BrowserFixture.ShotAsync(sup, "praise-team-code-zh");
        Assert.Contains($"/thanks/{code}", await sup.TextContentAsync("#team-praise-link"));
        Assert.Empty(browser.CspViolations);
    }
}
