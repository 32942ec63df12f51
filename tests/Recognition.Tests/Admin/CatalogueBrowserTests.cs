using Microsoft.Playwright;
using Recognition.Tests.Kiosk;
using Recognition.Tests.Support;
using Recognition.Web.Features.Devices;

namespace Recognition.Tests.Admin;

/// <summary>HR creates a value and a badge in the browser; an employee gives that badge at a kiosk; two paired walls show it, in Chinese and in English.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CatalogueBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app); // brings OA1, an organisation admin at site A
    }

    private async Task<IPage> WallAsync(string locale)
    {
        var devices = _app.Get<DeviceService>();
        var created = await devices.CreateAsync(_w.Admin, _w.SiteId, null, "display", $"Wall {locale}", locale, _app.Clock.UtcNow);
        var code = (await devices.IssuePairingCodeAsync(created.Id!.Value, AdminScope.CommandLine, _app.Clock.UtcNow))!.PairingCode;
        var page = await browser.NewPageAsync(_app.ServerAddress, 1920, 1080, locale);
        await page.GotoAsync($"/pair?code={code}");
        await page.ClickAsync("#pair-submit");
        await page.WaitForURLAsync("**/walls/**");
        await page.WaitForFunctionAsync("() => window.recognitionWall && window.recognitionWall.connected()");
        return page;
    }

    [BrowserFact]
    public async Task A_badge_HR_creates_is_given_at_a_kiosk_and_shown_on_walls_in_both_languages()
    {
        var hr = await browser.NewPageAsync(_app.ServerAddress, locale: "zh-CN");
        await hr.GotoAsync("/Account/SignIn");
        await hr.FillAsync("#Login", "OA1");
        await hr.FillAsync("#Password", World.Password);
        await hr.ClickAsync("#signin-submit");
        await hr.WaitForSelectorAsync("#home-greeting");

        await hr.GotoAsync("/Admin/Catalogue");
        var value = hr.Locator("details[data-value='0']");
        await value.Locator("summary").ClickAsync();
        await value.Locator("input[name=code]").FillAsync("frugal");
        await value.Locator("input[name=nameZh]").FillAsync("节约");
        await value.Locator("input[name=nameEn]").FillAsync("Frugality");
        await value.Locator("textarea[name=behavioursZh]").FillAsync("随手关灯关气；边角料回收再用");
        await value.Locator("textarea[name=behavioursEn]").FillAsync("Switches off air and light; reuses offcuts");
        await value.Locator("button").ClickAsync();
        await hr.WaitForSelectorAsync("#catalogue-message");

        var badge = hr.Locator("details[data-badge='0']");
        await badge.Locator("summary").ClickAsync();
        await badge.Locator("input[name=code]").FillAsync("saver");
        await badge.Locator("select[name=valueId]").SelectOptionAsync(new SelectOptionValue { Label = "节约" });
        // The icon picker: each icon drawn in the badge's colour, picked by tapping it (the radio itself is hidden).
        await badge.Locator("label:has(input[name=icon][value='zap']) .badge-icon").ClickAsync();
        Assert.True(await badge.Locator("input[name=icon][value='zap']").IsCheckedAsync());
        await badge.Locator("input[name=nameZh]").FillAsync("节约能手");
        await badge.Locator("input[name=nameEn]").FillAsync("Waste Cutter");
        await badge.Locator("input[name=descriptionZh]").FillAsync("帮大家省下了材料和能源");
        await badge.Locator("input[name=descriptionEn]").FillAsync("Saved material and energy for everyone");
        await badge.Locator("textarea[name=phrasesZh]").FillAsync("你发现压缩空气泄漏并及时报修，一天省下不少电。");
        await badge.Locator("textarea[name=phrasesEn]").FillAsync("You found the compressed-air leak and had it fixed, saving a lot of power.");
        await BrowserFixture.ShotAsync(hr, "catalogue-new-badge-zh");
        await badge.Locator("button.primary").ClickAsync();
        await hr.WaitForSelectorAsync("#catalogue-message");
        var saver = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM badges WHERE code = 'saver'");

        var zhWall = await WallAsync("zh-CN");
        var enWall = await WallAsync("en-US");

        var kioskCode = await KioskTests.PairCodeAsync(_app, _w);
        var kiosk = await browser.NewPageAsync(_app.ServerAddress, 1280, 800, "zh-CN");
        await kiosk.GotoAsync($"/pair?code={kioskCode}");
        await kiosk.ClickAsync("#pair-submit");
        await kiosk.WaitForURLAsync("**/kiosk");
        await BrowserFixture.ScanAsync(kiosk, "B-E1");
        await kiosk.ClickAsync("#go-recognize");
        await kiosk.ClickAsync($"label[data-person-id='{_w.Alice}']");
        await kiosk.ClickAsync(".kpanel.kactive .knav [data-goto='2']"); // several may be chosen: Next moves on
        await kiosk.ClickAsync($"input[name=BadgeId][value='{saver}']");
        await kiosk.Locator(".kphrase").First.ClickAsync(); // the phrase HR wrote
        await kiosk.ClickAsync("#kiosk-strip [data-goto='4']");
        await kiosk.ClickAsync("input[name=PointsEach][value='5']");
        await kiosk.ClickAsync("#kiosk-confirm");
        await kiosk.WaitForURLAsync("**/kiosk?done=recognized");
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM recognitions WHERE badge_id = @saver", new { saver });

        await Assertions.Expect(zhWall.Locator($"#w-{id}")).ToContainTextAsync("节约能手", new() { Timeout = 5000 });
        await Assertions.Expect(zhWall.Locator($"#w-{id}")).ToContainTextAsync("压缩空气泄漏");
        await Assertions.Expect(enWall.Locator($"#w-{id}")).ToContainTextAsync("Waste Cutter", new() { Timeout = 5000 });
        await BrowserFixture.ShotAsync(enWall, "catalogue-badge-on-wall-en");
    }

    [BrowserFact]
    public async Task A_refused_new_rule_comes_back_open_with_everything_typed_and_the_reason_on_screen()
    {
        var hr = await browser.SignedInPageAsync(_app.ServerAddress, "OA1", "zh-CN", 1280, 800);
        await hr.GotoAsync("/Admin/Catalogue");
        var form = hr.Locator("details[data-rule='0']");
        await form.Locator("summary").ClickAsync();
        await form.Locator("input[name=code]").FillAsync("SAFETY_WALK");
        await form.Locator("input[name=nameZh]").FillAsync("安全巡查");
        await form.Locator("input[name=nameEn]").FillAsync("Safety walk");
        await form.Locator("input[name=points]").FillAsync("5");
        await form.Locator("input[name=capPerDay]").FillAsync("10");
        await form.Locator("input[name=capPerMonth]").FillAsync("5"); // more a day than a month: only the server says no
        await form.Locator("button.primary").ClickAsync();
        var error = hr.Locator("details[data-rule='0'][open] .form-error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        var box = (await error.BoundingBoxAsync())!;
        Assert.True(box.Y >= 0 && box.Y + box.Height <= 800, $"the reason is off screen at {box.Y}");
        form = hr.Locator("details[data-rule='0']");
        Assert.Equal("SAFETY_WALK", await form.Locator("input[name=code]").InputValueAsync());
        Assert.Equal("安全巡查", await form.Locator("input[name=nameZh]").InputValueAsync());
        Assert.Equal("Safety walk", await form.Locator("input[name=nameEn]").InputValueAsync());
        Assert.Equal("10", await form.Locator("input[name=capPerDay]").InputValueAsync());
        Assert.Equal("5", await form.Locator("input[name=capPerMonth]").InputValueAsync());
        await BrowserFixture.ShotAsync(hr, "catalogue-rule-refused-zh");
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM behaviour_rules WHERE code = 'SAFETY_WALK'"));

        await form.Locator("input[name=capPerDay]").FillAsync("2");
        await form.Locator("button.primary").ClickAsync();
        await hr.WaitForSelectorAsync("#catalogue-message");
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM behaviour_rules WHERE code = 'SAFETY_WALK'"));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
