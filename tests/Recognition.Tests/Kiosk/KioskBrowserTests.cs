using Microsoft.Playwright;
using Recognition.Tests.Support;

namespace Recognition.Tests.Kiosk;

[Collection(BrowserCollection.Name)]
public sealed class KioskBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    private async Task<IPage> KioskAsync(int width, int height, string locale = "zh-CN")
    {
        var code = await KioskTests.PairCodeAsync(_app, _w, locale: locale);
        var page = await browser.NewPageAsync(_app.ServerAddress, width, height, locale);
        await page.GotoAsync($"/pair?code={code}");
        await page.ClickAsync("#pair-submit");
        await page.WaitForURLAsync("**/kiosk");
        return page;
    }

    [BrowserFact]
    public async Task A_first_timer_activates_with_the_on_screen_keyboard_alone_at_both_kiosk_sizes()
    {
        foreach (var (w, h, locale) in new[] { (1280, 800, "zh-CN"), (1080, 1920, "en-US") })
        {
            var code = await _app.Db.WriteAsync((c, t) => _app.Get<Recognition.Web.Features.Rollout.Activation>().IssueAsync(c, t, _w.Bob, _app.Clock.UtcNow));
            var page = await KioskAsync(w, h, locale);
            await page.ClickAsync("#activate-open");
            await page.WaitForURLAsync("**/kiosk/activate");
            // Gloves, no system keyboard: every character is a tap on the screen's own keys; full fields move on by themselves.
            async Task TapAsync(string text)
            {
                foreach (var ch in text) await page.ClickAsync($".kkeyboard [data-key='{ch}']");
            }
            await TapAsync("E3");
            await page.ClickAsync("#activate-code");
            await TapAsync(code);
            await Assertions.Expect(page.Locator("#activate-pin")).ToBeFocusedAsync();
            await TapAsync("482916");
            await Assertions.Expect(page.Locator("#activate-repeat")).ToBeFocusedAsync();
            await BrowserFixture.ShotAsync(page, $"kiosk-activate-typed-{w}");
            var submit = (await page.Locator("#activate-submit").BoundingBoxAsync())!;
            Assert.True(submit.Y + submit.Height <= h, $"Activate is below the fold at {w}×{h}");
            await TapAsync("482916"); // the last digit sends the form
            await page.WaitForURLAsync("**/kiosk/home**");
            await Assertions.Expect(page.Locator("#kiosk-person")).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }
        Assert.Equal(0, await DbProbe.ScalarAsync<long>(_app.Db, $"SELECT COUNT(*) FROM employees WHERE id = {_w.Bob} AND activation_hash IS NOT NULL"));
    }

    [BrowserFact]
    public async Task Scan_recognise_two_colleagues_and_the_kiosk_signs_out_by_itself_with_a_double_tap_making_one_recognition()
    {
        var page = await KioskAsync(1280, 800);
        await BrowserFixture.ShotAsync(page, "kiosk-idle-landscape-zh");
        // A badge reader types the code and Enter into whatever has focus: the hidden scan input.
        await BrowserFixture.ScanAsync(page, "B-E1");
        await Assertions.Expect(page.Locator("#kiosk-person")).ToHaveTextAsync("王伟");
        await BrowserFixture.ShotAsync(page, "kiosk-home-landscape-zh");
        await page.ClickAsync("#go-recognize");
        await page.ClickAsync($"label[data-person-id='{_w.Alice}']");
        // A second colleague from another team, found by search: Alice stays chosen while the list changes.
        await page.FillAsync("#kiosk-search", "E3");
        var bob = page.Locator($"#kiosk-people label[data-person-id='{_w.Bob}']");
        await bob.ClickAsync();
        await Assertions.Expect(page.Locator($"#kiosk-picked label[data-person-id='{_w.Alice}'] input")).ToBeCheckedAsync();
        await page.ClickAsync(".kpanel.kactive .knav [data-goto='2']");
        await page.ClickAsync($"input[name=BadgeId][value='{_w.Badges["mentor"]}']");
        await page.Locator(".kphrase").First.ClickAsync(); // suggestions loaded for the chosen badge
        await page.ClickAsync(".kpanel.kactive .knav [data-goto='4']");
        await page.ClickAsync("input[name=PointsEach][value='5']");
        await Assertions.Expect(page.Locator("#sum-who")).ToContainTextAsync("、");
        await BrowserFixture.ShotAsync(page, "kiosk-recognize-landscape-zh");
        await page.DblClickAsync("#kiosk-confirm");
        await page.WaitForURLAsync("**/kiosk?done=recognized");
        await Assertions.Expect(page.Locator("#kiosk-thanks")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#kiosk-person").CountAsync());
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognition_recipients"));
        Assert.Equal(5, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(5, await DbProbe.BalanceAsync(_app.Db, _w.Bob));
        Assert.Contains("耐心教我", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT message FROM recognitions"));
        // The previous person's pages are gone: going back lands on the idle screen.
        await page.GoBackAsync();
        await page.GotoAsync("/kiosk/home");
        Assert.EndsWith("/kiosk", new Uri(page.Url).AbsolutePath);
    }

    [BrowserFact]
    public async Task The_language_button_switches_every_screen_and_the_next_person_meets_the_kiosk_s_own_language()
    {
        var page = await KioskAsync(1280, 800);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await page.ClickAsync("#kiosk-lang");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        await page.ClickAsync("#kiosk-lang");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await BrowserFixture.ScanAsync(page, "B-E1");
        await page.ClickAsync("#kiosk-lang");
        await page.WaitForURLAsync("**/kiosk/home");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        await page.ClickAsync("#go-recognize");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        await BrowserFixture.ShotAsync(page, "kiosk-recognize-switched-en");
        await page.ClickAsync("#kiosk-done");
        await page.WaitForURLAsync("**/kiosk");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
    }

    [BrowserFact]
    public async Task Number_and_pin_on_the_keypad_sign_in_in_portrait_and_in_english()
    {
        var page = await KioskAsync(1080, 1920, "en-US");
        await page.ClickAsync("#pin-open");
        await page.FillAsync("#pin-no", "E1");
        await page.ClickAsync("#pin-pin");
        foreach (var digit in "12345") await page.ClickAsync($"#keypad [data-key='{digit}']");
        await BrowserFixture.ShotAsync(page, "kiosk-pin-portrait-en");
        await page.ClickAsync("#keypad [data-key='6']"); // the sixth digit submits
        await page.WaitForURLAsync("**/kiosk/home");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN"); // switched to the person's language
        await page.ClickAsync("#go-report");
        await BrowserFixture.ShotAsync(page, "kiosk-report-portrait-zh");
    }

    [BrowserFact]
    public async Task Sign_in_recognise_and_report_fit_the_screen_without_scrolling_at_both_kiosk_sizes()
    {
        foreach (var (w, h, lang) in new[] { (1280, 800, "zh-CN"), (1080, 1920, "en-US") })
        {
            var page = await KioskAsync(w, h, lang);
            async Task FitsAsync(string selector, string shot)
            {
                var box = (await page.Locator(selector).BoundingBoxAsync())!;
                await BrowserFixture.ShotAsync(page, $"kiosk-fit-{shot}-{w}");
                Assert.True(box.Y + box.Height <= h, $"{selector} ends at {box.Y + box.Height} px on a {w}×{h} screen ({shot})");
            }
            await page.ClickAsync("#pin-open");
            await FitsAsync("#pin-submit", "pin");
            await page.FillAsync("#pin-no", "E1");
            await page.FillAsync("#pin-pin", "123456");
            await page.ClickAsync("#pin-submit");
            await page.WaitForURLAsync("**/kiosk/home");
            await page.ClickAsync("#go-recognize");
            await page.ClickAsync("#kiosk-strip [data-goto='2']");
            await page.ClickAsync($"input[name=BadgeId][value='{_w.Badges["mentor"]}']");
            await page.Locator(".kphrase").First.WaitForAsync(); // the badge's suggestions
            await page.ClickAsync("#kiosk-strip [data-goto='4']");
            await FitsAsync("#kiosk-confirm", "recognize");
            await page.GotoAsync("/kiosk/report");
            await FitsAsync("#kiosk-send", "report");
        }
    }

    [BrowserFact]
    public async Task Recognising_someone_from_another_team_takes_four_screens_that_fit_with_the_kiosk_s_own_keyboard_and_pinyin_initials()
    {
        foreach (var (w, h, lang) in new[] { (1280, 800, "zh-CN"), (1080, 1920, "en-US") })
        {
            var page = await KioskAsync(w, h, lang);
            await page.ClickAsync("#pin-open");
            await page.FillAsync("#pin-no", "E1");
            await page.FillAsync("#pin-pin", "123456");
            await page.ClickAsync("#pin-submit");
            await page.WaitForURLAsync("**/kiosk/home");
            await page.ClickAsync("#go-recognize");
            async Task OnScreenAsync(string selector, string shot)
            {
                await BrowserFixture.ShotAsync(page, $"kiosk-flow-{shot}-{w}");
                var box = await page.Locator(selector).BoundingBoxAsync();
                Assert.True(box is not null && box.Y >= 0 && box.Y + box.Height <= h, $"{selector} is not on the {w}×{h} screen ({shot}): {box?.Y} + {box?.Height}");
                var height = await page.EvaluateAsync<int>("document.documentElement.scrollHeight");
                Assert.True(height <= h, $"the page scrolls at {w}×{h} ({shot}): {height} px");
            }
            // Bob (刘强) is in another team: typed on the screen's own keys as the first letters of his name's pinyin.
            await page.ClickAsync("#kiosk-keys-toggle");
            await page.ClickAsync("#kiosk-keys [data-key='l']");
            // The list is the answer to "lq" (a slow machine may also answer "l" first, replaced a moment later).
            await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#kiosk-keys [data-key='q']"), r => r.Url.Contains("q=lq", StringComparison.Ordinal));
            await page.WaitForFunctionAsync("() => !document.querySelector('#kiosk-people.htmx-settling, #kiosk-people .htmx-settling')");
            var bob = page.Locator($"label[data-person-id='{_w.Bob}']");
            await bob.WaitForAsync();
            await OnScreenAsync($"label[data-person-id='{_w.Bob}']", "who");
            await bob.ClickAsync(); // several may be chosen: Next moves on
            await OnScreenAsync(".kpanel.kactive .knav [data-goto='2']", "who-next");
            await page.ClickAsync(".kpanel.kactive .knav [data-goto='2']");
            await OnScreenAsync($"input[name=BadgeId][value='{_w.Badges["mentor"]}'] >> xpath=..", "badge");
            await Assertions.Expect(page.Locator("#sum-who")).ToHaveTextAsync("刘强"); // in the signed-in person's language
            await page.ClickAsync($"input[name=BadgeId][value='{_w.Badges["mentor"]}']");
            var phrase = page.Locator(".kphrase").First;
            await phrase.ClickAsync();
            // The phrase is in the words box, and the counter counts it.
            Assert.Equal((await phrase.InnerTextAsync()).Trim(), await page.InputValueAsync("#kiosk-message"));
            await Assertions.Expect(page.Locator("#kiosk-message-count")).Not.ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0 "));
            await OnScreenAsync(".kpanel.kactive .knav [data-goto='4']", "words");
            await page.ClickAsync(".kpanel.kactive .knav [data-goto='4']");
            await page.ClickAsync("input[name=PointsEach][value='5']");
            // Send says what will be sent: to whom, which badge, how many points.
            var confirm = await page.InnerTextAsync("#kiosk-confirm");
            Assert.Contains("刘强", confirm);
            Assert.Contains("5", confirm);
            await OnScreenAsync("#kiosk-confirm", "points");
            await page.ClickAsync("#kiosk-confirm");
            await page.WaitForURLAsync("**/kiosk?done=recognized");
            await page.Context.CloseAsync();
            _app.Clock.Advance(TimeSpan.FromDays(1));
        }
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM recognition_recipients WHERE employee_id = {_w.Bob}"));
    }

    [BrowserFact]
    public async Task Wrong_pins_lock_with_a_clear_message()
    {
        var page = await KioskAsync(1280, 800);
        for (var i = 0; i < 6; i++)
        {
            if (!await page.Locator("#pin-panel[open]").IsVisibleAsync()) await page.ClickAsync("#pin-open");
            await page.FillAsync("#pin-no", "E1");
            await page.FillAsync("#pin-pin", "999999");
            await page.ClickAsync("#pin-submit");
            await page.WaitForSelectorAsync("#kiosk-error");
        }
        await Assertions.Expect(page.Locator("#kiosk-error")).ToContainTextAsync("你的密码已锁定，请 15 分钟后再试"); // the sixth try: five wrong PINs lock it
        await BrowserFixture.ShotAsync(page, "kiosk-locked-zh");
    }

    [BrowserFact]
    public async Task A_kiosk_session_cannot_open_an_admin_page()
    {
        var page = await KioskAsync(1280, 800);
        await BrowserFixture.ScanAsync(page, "B-S1");
        // Even a supervisor, at a kiosk, is only a kiosk user: office pages answer 403 with a page saying so.
        foreach (var url in new[] { "/Admin", "/Supervisor/Approvals" })
        {
            var res = await page.GotoAsync(url);
            Assert.Equal(403, res!.Status);
            await page.WaitForSelectorAsync("#denied");
        }
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>With a short idle time, so the test needn't wait a minute.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KioskIdleBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(new() { ["Kiosk:IdleSeconds"] = "8" }, realPort: true);
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    [BrowserFact]
    public async Task Without_a_touch_the_session_counts_down_signs_out_and_clears_the_screen()
    {
        var code = await KioskTests.PairCodeAsync(_app, _w);
        var page = await browser.NewPageAsync(_app.ServerAddress, 1280, 800);
        await page.GotoAsync($"/pair?code={code}");
        await page.ClickAsync("#pair-submit");
        await page.WaitForURLAsync("**/kiosk");
        await page.Keyboard.TypeAsync("B-E1");
        await page.Keyboard.PressAsync("Enter");
        // Only the navigation is awaited: under load the page's load event may come after the short idle time.
        await page.WaitForURLAsync("**/kiosk/home", new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("#kiosk-countdown")).ToBeVisibleAsync(new() { Timeout = 5000 });
        await page.WaitForURLAsync("**/kiosk?timeout=1", new() { Timeout = 20000, WaitUntil = WaitUntilState.Commit });
        Assert.Equal(0, await page.Locator("#kiosk-person").CountAsync());
        Assert.Equal(0, await page.Locator("#kiosk-balance").CountAsync());
        await page.GotoAsync("/kiosk/me");
        Assert.EndsWith("/kiosk", new Uri(page.Url).AbsolutePath);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
